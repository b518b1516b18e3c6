// Reading JSON input: a file, or stdin for `-` / no flag. Every failure is a FileError naming the file and, for
// syntax errors, the line and column.
import { FileSystem } from "@effect/platform"
import { Json } from "@infernet/types"
import { Effect, Option, ParseResult, Schema } from "effect"
import * as CliError from "../CliError.js"
import { Io } from "./Io.js"
import * as JsonSyntax from "./jsonSyntax.js"

/** The name stdin goes by in messages. @internal */
export const STDIN = "<stdin>"

const fileError = (path: string, detail: string, at?: { readonly line: number; readonly column: number }) =>
  new CliError.CliError({
    reason: new CliError.FileError(at === undefined ? { path, detail } : { path, detail, ...at })
  })

/** `ENOENT` and friends in words. @internal */
export const describeSystemError = (error: unknown): string => {
  const reason = (error as { readonly reason?: unknown }).reason
  const code = (error as { readonly code?: unknown }).code
  switch (reason ?? code) {
    case "NotFound":
    case "ENOENT":
      return "no such file"
    case "PermissionDenied":
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "BadResource":
    case "EISDIR":
      return "is a directory"
    default: {
      const message = (error as { readonly message?: unknown }).message
      return typeof message === "string" && message.length > 0 ? message : String(error)
    }
  }
}

/**
 * Parses JSON text (exact big integers), or fails with the position of the first syntax error.
 *
 * @internal
 */
export const parseJson = (text: string, path: string): Effect.Effect<unknown, CliError.CliError> =>
  Effect.suspend(() => {
    // A leading byte order mark (common from Windows editors) is not JSON, but is never meant as content.
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    if (body.trim() === "") return Effect.fail(fileError(path, "is empty: expected JSON"))
    try {
      return Effect.succeed(Json.parse(body))
    } catch (cause) {
      const located = JsonSyntax.locate(body)
      return Effect.fail(
        located === undefined
          ? fileError(path, `invalid JSON: ${cause instanceof Error ? cause.message : String(cause)}`)
          : fileError(path, `invalid JSON: ${located.message}`, located)
      )
    }
  })

/**
 * Reads the text of `source`: a path, or stdin for `-` and for `None`. When stdin is a terminal, a hint is printed
 * so the user knows the command is waiting for them.
 *
 * @internal
 */
export const readText = (
  source: Option.Option<string>,
  what: string
): Effect.Effect<{ readonly path: string; readonly text: string }, CliError.CliError, FileSystem.FileSystem | Io> =>
  Effect.gen(function* () {
    const path = Option.getOrElse(source, () => "-")
    if (path === "-") {
      const io = yield* Io
      if (io.stdin.isTTY) {
        yield* io.stderr.write(`Reading ${what} as JSON from stdin (finish with Ctrl-D, or pass -i FILE)...\n`)
      }
      const text = yield* io.stdin.readAll.pipe(
        Effect.mapError((cause) => fileError(STDIN, `cannot read: ${describeSystemError(cause)}`))
      )
      return { path: STDIN, text }
    }
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(path)
      .pipe(Effect.mapError((cause) => fileError(path, `cannot read: ${describeSystemError(cause)}`)))
    return { path, text }
  })

/**
 * One line for the first issue of a schema failure, with its JSON path: `params.period: Expected uint32, got -1`.
 *
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return error.message
  const where = first.path.length === 0 ? "" : `${first.path.map((k) => String(k)).join(".")}: `
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "issue" : "issues"})` : ""
  return `${where}${first.message}${more}`
}

/** "an array", "a string", ... for messages. @internal */
export const describeValue = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  switch (typeof value) {
    case "object":
      return "an object"
    case "string":
      return "a string"
    case "boolean":
      return "a boolean"
    default:
      return "a number"
  }
}

const rootIssue = (error: ParseResult.ParseError): boolean => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  return issues.length === 1 && issues[0]!.path.length === 0
}

/**
 * Reads and parses JSON from `source`, then decodes it with `schema`; `what` names the content in messages.
 *
 * @internal
 */
export const readJson = <A, I>(
  source: Option.Option<string>,
  schema: Schema.Schema<A, I>,
  what: string
): Effect.Effect<A, CliError.CliError, FileSystem.FileSystem | Io> =>
  Effect.gen(function* () {
    const { path, text } = yield* readText(source, what)
    const value = yield* parseJson(text, path)
    return yield* Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(value).pipe(
      Effect.mapError((error) =>
        fileError(
          path,
          rootIssue(error)
            ? `expected ${what}, got ${describeValue(value)}`
            : `expected ${what}: ${describeParseError(error)}`
        )
      )
    )
  })
