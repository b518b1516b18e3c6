// Running the command tree: parse, execute, and turn every outcome into output and an exit code. Shared by the bin,
// the public `Cli.run`, and the in-process tests (which provide a fake `Io`).
import { Command, ValidationError } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import { Cause, Console, Effect, Exit, Option } from "effect"
import * as CliError from "../CliError.js"
import { COMMANDS, command, NAME, SUBCOMMANDS, type Env } from "./commands.js"
import * as Flags from "./flags.js"
import * as Help from "./help.js"
import { Io, type IoService } from "./Io.js"
import * as Redact from "./redact.js"
import * as Render from "./render.js"
import { VERSION } from "./version.js"

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

/** The shell of a `--completions bash` / `--completions=zsh` request, when there is one. @internal */
export const completionsRequested = (args: ReadonlyArray<string>): "bash" | "zsh" | "fish" | undefined => {
  const i = args.indexOf("--completions")
  const shell = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--completions="))?.slice("--completions=".length)
  if (shell === "bash" || shell === "sh") return "bash"
  return shell === "zsh" || shell === "fish" ? shell : undefined
}

/**
 * Removes @effect/cli's built-in `--wizard` and `--log-level` from a completion script: infernet-client refuses them
 * (nothing uses them), so no shell should offer them.
 *
 * @internal
 */
export const dropUnusedBuiltins = (script: string): string =>
  script
    .split("\n")
    .filter((line) => !/'--(log-level|wizard)\[|-l (log-level|wizard) /.test(line))
    .join("\n")
    .replace(/ --(log-level|wizard)(?=[ "])/g, "")

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
    Redact.registerFromCommandLine(args, process.env)
    const io = scrubbed(yield* Io)
    return yield* run(args, io).pipe(Effect.provideService(Io, io))
  })

/** `io` with every registered secret scrubbed from what is written as text. */
const scrubbed = (io: IoService): IoService => {
  const wrap = (output: IoService["stdout"]): IoService["stdout"] => ({
    isTTY: output.isTTY,
    write: (chunk) => output.write(typeof chunk === "string" ? Redact.scrub(chunk) : chunk)
  })
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) }
}

const run = (
  args: ReadonlyArray<string>,
  io: IoService
): Effect.Effect<CliError.ExitCode, never, Env | CliApp.CliApp.Environment> =>
  Effect.gen(function* () {
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
    const globalDocs = Object.values(Flags.global).map((flag) => flag.doc)
    const checked = Help.check(NAME, args, COMMANDS, globalDocs)
    switch (checked._tag) {
      case "Help": {
        const options = { width: io.columns, color: io.stdoutColor }
        yield* io.stdout.write(
          checked.command === undefined
            ? Help.root(NAME, VERSION, COMMANDS, globalDocs, options)
            : Help.command(NAME, checked.command, globalDocs, options)
        )
        return CliError.ExitCode.Success
      }
      case "Version":
        yield* io.stdout.write(`${VERSION}\n`)
        return CliError.ExitCode.Success
      case "Invalid":
        yield* io.stderr.write(Render.renderError(checked.error, { color: io.color, verbose: false }))
        return checked.error.exitCode
    }
    const shell = completionsRequested(args)
    if (shell !== undefined) {
      const lines = yield* shell === "bash"
        ? Command.getBashCompletions(command, NAME)
        : shell === "zsh"
          ? Command.getZshCompletions(command, NAME)
          : Command.getFishCompletions(command, NAME)
      const script = dropUnusedBuiltins(lines.join("\n"))
      yield* io.stdout.write(`${shell === "bash" ? fixBashCompletions(script, NAME) : script}\n`)
      return CliError.ExitCode.Success
    }
    const exit = yield* cli(["node", NAME, ...args]).pipe(Effect.withConsole(console), Effect.exit)
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
