import { Effect, Layer } from "effect"
import { Io, type IoService } from "../../src/internal/Io.js"

export interface TestIoOptions {
  readonly stdoutTTY?: boolean
  readonly stderrTTY?: boolean
  readonly stdinTTY?: boolean
  readonly stdin?: string
  readonly color?: boolean
  readonly stdoutColor?: boolean
  readonly columns?: number
}

/** An in-memory `Io`: what the CLI writes is captured, stdin is the given text. */
export const makeTestIo = (options: TestIoOptions = {}) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const decoder = new TextDecoder()
  const text = (chunk: string | Uint8Array) => (typeof chunk === "string" ? chunk : decoder.decode(chunk))
  const service: IoService = {
    stdout: { isTTY: options.stdoutTTY ?? false, write: (chunk) => Effect.sync(() => void out.push(text(chunk))) },
    stderr: { isTTY: options.stderrTTY ?? false, write: (chunk) => Effect.sync(() => void err.push(text(chunk))) },
    stdin: {
      isTTY: options.stdinTTY ?? false,
      readAll: options.stdin === undefined ? Effect.fail(new Error("stdin is closed")) : Effect.succeed(options.stdin)
    },
    color: options.color ?? false,
    stdoutColor: options.stdoutColor ?? false,
    columns: options.columns ?? 80
  }
  return {
    layer: Layer.succeed(Io, service),
    stdout: () => out.join(""),
    stderr: () => err.join(""),
    writes: () => ({ stdout: [...out], stderr: [...err] })
  }
}
