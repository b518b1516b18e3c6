// Turning failures into one readable line on stderr and an exit code. Stack traces and causes only with --verbose.
import { HelpDoc, type ValidationError } from "@effect/cli"
import { Cause, Inspectable } from "effect"
import * as CliError from "../CliError.js"

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/g

/** Removes ANSI colour codes. @internal */
export const stripAnsi = (text: string): string => text.replace(ANSI, "")

/** Collapses a multi-line help text into one line. @internal */
export const oneLine = (text: string): string =>
  stripAnsi(text)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ")

/**
 * A usage error from `@effect/cli`'s parser, as a {@link CliError.CliError} (exit code 2) with a pointer to the help
 * of the command being run.
 *
 * @internal
 */
export const fromValidationError = (error: ValidationError.ValidationError, command: string): CliError.CliError => {
  const text = "error" in error ? oneLine(HelpDoc.toAnsiText(error.error)) : "invalid command line"
  const hint = ` (see: ${command} --help)`
  return new CliError.CliError({
    reason: new CliError.UsageError({ detail: `${text || "invalid command line"}${hint}` })
  })
}

const red = (text: string) => `\u001b[31m${text}\u001b[39m`
const dim = (text: string) => `\u001b[2m${text}\u001b[22m`

/** @internal */
export interface RenderOptions {
  readonly color: boolean
  readonly verbose: boolean
}

const describeCause = (cause: unknown): string => {
  if (Cause.isCause(cause)) return Cause.pretty(cause, { renderErrorCause: true })
  if (cause instanceof Error) {
    const parts = [cause.stack ?? `${cause.name}: ${cause.message}`]
    let next: unknown = cause.cause
    for (let depth = 0; next !== undefined && depth < 5; depth++) {
      parts.push(`caused by: ${next instanceof Error ? (next.stack ?? next.message) : Inspectable.format(next)}`)
      next = next instanceof Error ? next.cause : undefined
    }
    return parts.join("\n")
  }
  return Inspectable.format(cause)
}

/**
 * The text printed on stderr for a failure: `error: <message>`, plus the cause when verbose.
 *
 * @internal
 */
export const renderError = (error: CliError.CliError, options: RenderOptions): string => {
  const prefix = options.color ? red("error:") : "error:"
  const head = `${prefix} ${error.message}\n`
  if (!options.verbose || error.cause === undefined) return head
  const detail = describeCause(error.cause)
  return `${head}${options.color ? dim(detail) : detail}\n`
}

/**
 * The text printed for a defect (a bug): a short line, and the full cause when verbose.
 *
 * @internal
 */
export const renderDefect = (cause: Cause.Cause<unknown>, options: RenderOptions): string => {
  const prefix = options.color ? red("error:") : "error:"
  const squashed = Cause.squash(cause)
  const message = squashed instanceof Error ? squashed.message : Inspectable.format(squashed)
  const head = `${prefix} internal error: ${oneLine(message)}\n`
  return options.verbose
    ? `${head}${Cause.pretty(cause, { renderErrorCause: true })}\n`
    : `${head}Run again with --verbose for details, and please report it at https://github.com/infernet-ts/infernet-ts/issues\n`
}
