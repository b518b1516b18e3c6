/**
 * `infernet-client` as a library: the `@effect/cli` command tree, and a runner that executes a command line and
 * resolves to its exit code. The `infernet-client` binary is `main()`.
 *
 * @since 0.1.0
 */
import type { Command } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, Effect, Exit, Layer } from "effect"
import * as CliError from "./CliError.js"
import * as Commands from "./internal/commands.js"
import * as Io from "./internal/Io.js"
import * as Redact from "./internal/redact.js"
import { program } from "./internal/program.js"
import { VERSION } from "./internal/version.js"

/**
 * The version printed by `infernet-client --version`.
 *
 * @since 0.1.0
 * @category constants
 */
export const version: string = VERSION

/**
 * The root `@effect/cli` command (`infernet-client`) with all its subcommands, e.g. for generating documentation or
 * embedding the commands in another CLI.
 *
 * @since 0.1.0
 * @category commands
 */
export const command: Command.Command<"infernet-client", any, CliError.CliError, any> = Commands.command

// Only what the commands use: files, paths, the terminal (for @effect/cli), HTTP and the standard streams. HTTP goes
// through node:http rather than fetch: Node loads its fetch implementation on first use, which costs a short-lived
// command about 50 ms.
const layer = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, NodeHttpClient.layer, Io.node)

/**
 * Runs a command line (the arguments after the program name) on this process's stdin, stdout and stderr, and
 * succeeds with the exit code: failures are printed on stderr as one line and never fail the effect.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Cli } from "@infernet/cli"
 * const code = await Effect.runPromise(Cli.run(["info", "--url", "http://localhost:4000"]))
 * ```
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<CliError.ExitCode> =>
  program(args).pipe(Effect.provide(layer))

/**
 * Runs `infernet-client` with `process.argv` and exits the process with the command's exit code (130 on Ctrl-C).
 * A second Ctrl-C exits at once, without waiting for clean-up.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string> = process.argv.slice(2)): void => {
  // A closed pipe (`infernet-client ids | head -1`) is not an error of ours: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(CliError.ExitCode.Success)
      throw error
    })
  }
  const fiber = Effect.runFork(run(argv))
  let signalled: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled !== undefined) process.exit(CliError.ExitCode.Interrupted)
    signalled = signal
    fiber.unsafeInterruptAsFork(fiber.id())
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  fiber.addObserver((exit) => {
    const code = Exit.isSuccess(exit)
      ? exit.value
      : Cause.isInterruptedOnly(exit.cause)
        ? signalled === "SIGTERM"
          ? 143
          : CliError.ExitCode.Interrupted
        : CliError.ExitCode.Internal
    if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
      process.stderr.write(Redact.scrub(`error: internal error\n${Cause.pretty(exit.cause)}\n`))
    }
    // Exit once everything written so far has been handed to the OS (pipes can be asynchronous).
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)))
  })
}
