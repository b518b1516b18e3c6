// Running the command tree: parse, execute, and turn every outcome into output and an exit code. Shared by the bin,
// the public `Cli.run`, and the in-process tests (which provide a fake `Io`).
import { Command, ValidationError } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import { Cause, Console, Effect, Exit, Option } from "effect"
import * as CliError from "../CliError.js"
import { command, NAME, SUBCOMMANDS, type Env } from "./commands.js"
import { Io } from "./Io.js"
import * as Render from "./render.js"
import { VERSION } from "./version.js"
import { expandShortFlags } from "./wallet.js"

/** Whether `--verbose` appears among the options (before a `--`). @internal */
export const isVerbose = (args: ReadonlyArray<string>): boolean => {
  for (const arg of args) {
    if (arg === "--") return false
    if (arg === "--verbose") return true
  }
  return false
}

/** The subcommand named on the command line, for "see: infernet-client job --help". @internal */
export const commandName = (args: ReadonlyArray<string>): string => {
  const sub = args.find((arg) => SUBCOMMANDS.includes(arg))
  return sub === undefined ? NAME : `${NAME} ${sub}`
}

const cli = Command.run(command, { name: NAME, version: VERSION, executable: NAME })

/** The shell of a `--completions bash` / `--completions=sh` request. @internal */
export const bashCompletionsRequested = (args: ReadonlyArray<string>): boolean => {
  const i = args.indexOf("--completions")
  const shell = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--completions="))?.slice("--completions=".length)
  return shell === "bash" || shell === "sh"
}

/**
 * Repairs two slips of @effect/cli 0.77's bash script: it names the root command `infernet-client` in one place and
 * `infernet__client` (its identifier form) in the subcommand cases, so a subcommand's options never complete; and it
 * gives `compgen -W` a choice list joined by commas (`all,pending,completed`), which bash offers as one word.
 *
 * @internal
 */
export const fixBashCompletions = (script: string, name: string): string => {
  const id = name.replace(/-/g, "__")
  return script
    .replace(`cmd="${name}"`, `cmd="${id}"`)
    .replace(new RegExp(`^(\\s+)${name}\\)$`, "m"), `$1${id})`)
    .replace(/compgen -W "([^"$]*)"/g, (_, words: string) => `compgen -W "${words.replace(/,/g, " ")}"`)
}

/**
 * Runs `infernet-client` with `args` (without `node` and the script path). Never fails: every failure is printed on
 * stderr and becomes the exit code. Interruption (Ctrl-C) is left to the caller, which exits with 130.
 *
 * @internal
 */
export const program = (
  args: ReadonlyArray<string>
): Effect.Effect<CliError.ExitCode, never, Env | CliApp.CliApp.Environment> =>
  Effect.gen(function* () {
    const io = yield* Io
    const base = yield* Console.consoleWith(Effect.succeed)
    // @effect/cli prints help, --version and completions with Console.log: send them to our stdout (without ANSI
    // colours when it is not a terminal). It prints parse errors with Console.error before failing: those are
    // rendered below as one line instead.
    const console: Console.Console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => {
        const text = parts.map(String).join(" ")
        return io.stdout.write(`${io.stdout.isTTY ? text : Render.stripAnsi(text)}\n`)
      },
      error: () => Effect.void
    }
    if (bashCompletionsRequested(args)) {
      const lines = yield* Command.getBashCompletions(command, NAME)
      yield* io.stdout.write(`${fixBashCompletions(lines.join("\n"), NAME)}\n`)
      return CliError.ExitCode.Success
    }
    const exit = yield* cli(["node", NAME, ...expandShortFlags(args)]).pipe(Effect.withConsole(console), Effect.exit)
    if (Exit.isSuccess(exit)) return CliError.ExitCode.Success
    const options = { color: io.color, verbose: isVerbose(args) }
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) {
      const error = ValidationError.isValidationError(failure.value)
        ? Render.fromValidationError(failure.value, commandName(args))
        : failure.value
      if (CliError.isCliError(error)) {
        yield* io.stderr.write(Render.renderError(error, options))
        return error.exitCode
      }
    }
    if (Cause.isInterruptedOnly(exit.cause)) return yield* Effect.interrupt
    yield* io.stderr.write(Render.renderDefect(exit.cause, options))
    return CliError.ExitCode.Internal
  })
