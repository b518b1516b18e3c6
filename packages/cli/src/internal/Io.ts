// The process's standard streams as a service, so commands can be run in-process by tests (with captured output and
// chosen TTY flags) exactly as the binary runs them.
import { Context, Effect, Layer } from "effect"

/** @internal */
export interface Output {
  /** Whether the stream is a terminal (pretty JSON, progress and colours are only for terminals). */
  readonly isTTY: boolean
  /** Writes and waits until the chunk is handed to the OS (back-pressure for large outputs and streams). */
  readonly write: (chunk: string | Uint8Array) => Effect.Effect<void>
}

/** @internal */
export interface Input {
  readonly isTTY: boolean
  /** Reads stdin to its end as UTF-8. */
  readonly readAll: Effect.Effect<string, Error>
}

/** @internal */
export interface IoService {
  readonly stdout: Output
  readonly stderr: Output
  readonly stdin: Input
  /** Colours on stderr: a terminal, and neither `NO_COLOR` nor `TERM=dumb` set. */
  readonly color: boolean
  /** Bold and colours on stdout (help): a terminal, and neither `NO_COLOR` nor `TERM=dumb` set. */
  readonly stdoutColor: boolean
  /** The width to wrap help to: `COLUMNS`, else the terminal's width, else 80 (piped); at least 40. */
  readonly columns: number
}

/** @internal */
export class Io extends Context.Tag("@infernet/cli/Io")<Io, IoService>() {}

const nodeOutput = (stream: NodeJS.WriteStream): Output => ({
  isTTY: stream.isTTY === true,
  write: (chunk) =>
    Effect.async<void>((resume) => {
      // Errors (EPIPE when the reader went away) are reported on the stream's "error" event, handled by the bin.
      stream.write(chunk, () => resume(Effect.void))
    })
})

const readStdin: Effect.Effect<string, Error> = Effect.async<string, Error>((resume) => {
  const chunks: Array<Buffer> = []
  const onData = (chunk: Buffer | string) => {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)
  }
  const onEnd = () => {
    cleanup()
    resume(Effect.succeed(Buffer.concat(chunks).toString("utf8")))
  }
  const onError = (error: Error) => {
    cleanup()
    resume(Effect.fail(error))
  }
  const cleanup = () => {
    process.stdin.off("data", onData)
    process.stdin.off("end", onEnd)
    process.stdin.off("error", onError)
    process.stdin.pause()
  }
  process.stdin.on("data", onData)
  process.stdin.once("end", onEnd)
  process.stdin.once("error", onError)
  return Effect.sync(cleanup)
})

/** The help's width from `COLUMNS` and the terminal's: `COLUMNS` wins, 80 when piped, never under 40. @internal */
export const columnsOf = (columnsEnv: string | undefined, terminal: number | undefined): number => {
  const fromEnv = Number(columnsEnv)
  const columns =
    columnsEnv !== undefined && Number.isInteger(fromEnv) && fromEnv > 0
      ? fromEnv
      : terminal !== undefined && terminal > 0
        ? terminal
        : 80
  return Math.max(40, columns)
}

/** Colours on a stream: only a terminal, and never with `NO_COLOR` (set and not empty) or `TERM=dumb`. @internal */
export const useColor = (isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb"

/** @internal */
export const node: Layer.Layer<Io> = Layer.sync(Io, () => {
  const env = process.env
  return {
    stdout: nodeOutput(process.stdout),
    stderr: nodeOutput(process.stderr),
    stdin: { isTTY: process.stdin.isTTY === true, readAll: readStdin },
    color: useColor(process.stderr.isTTY, env),
    stdoutColor: useColor(process.stdout.isTTY, env),
    columns: columnsOf(env.COLUMNS, process.stdout.isTTY === true ? process.stdout.columns : undefined)
  }
})
