import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { NodeFileSystem, NodePath, NodeTerminal } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer } from "effect"
import { Io, type IoService } from "../../src/internal/Io.js"
import { program } from "../../src/internal/program.js"

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

/**
 * Runs a command line in process, as the binary does, with a fake terminal (`options`) and the given environment
 * (read through `Config`); resolves to the exit code and what was written.
 */
export const runInProcess = (
  args: ReadonlyArray<string>,
  options: TestIoOptions = {},
  env: Record<string, string> = {}
) => {
  const io = makeTestIo(options)
  const layer = Layer.mergeAll(
    io.layer,
    NodeFileSystem.layer,
    NodePath.layer,
    NodeTerminal.layer,
    NodeHttpClient.layer,
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )
  return program(args).pipe(
    Effect.map((code) => ({ code, stdout: io.stdout(), stderr: io.stderr(), writes: io.writes() })),
    Effect.provide(layer)
  )
}
