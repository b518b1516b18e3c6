// Turns a configuration ParseError into one line naming the field, and reads configuration files.
import { Effect, ParseResult } from "effect"
import * as MockNodeError from "../MockNodeError.js"
import { behaviorTypes } from "./behaviorTypes.js"

const FS_MODULE = ["node", "fs/promises"].join(":")

export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_][\w-]*$/.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim()

const describeActual = (actual: unknown): string => {
  if (actual === undefined) return "nothing"
  try {
    const text = JSON.stringify(actual)
    return text.length > 60 ? `${text.slice(0, 57)}...` : text
  } catch {
    return String(actual)
  }
}

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let value = input
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

const simplifyExpected = (expected: string): string => {
  if (/^(ReadonlyArray|Array)<|^readonly \[/.test(expected)) return "an array"
  if (/^Struct|^\{/.test(expected)) return "an object"
  if (/^(string|number|boolean)$/.test(expected)) return `a ${expected}`
  return expected
}

// Effect's default messages read "Expected X, actual Y"; say it plainly, in the same words everywhere.
const rewrite = (issue: ParseResult.ArrayFormatterIssue): string => {
  if (issue._tag === "Missing") return "is missing"
  if (issue._tag === "Unexpected") return "is not a known key here (check its spelling)"
  const match = /^Expected (.*), actual (.*)$/s.exec(issue.message)
  if (match !== null) return `expected ${simplifyExpected(match[1]!)}, got ${oneLine(match[2]!)}`
  return oneLine(issue.message)
}

// Prefer a specific complaint (a refinement, a missing or unknown key) over a bare type mismatch, and the deepest.
const rank = (issue: ParseResult.ArrayFormatterIssue): number => (issue._tag === "Type" ? 0 : 1000) + issue.path.length

// A behaviour whose `type` is not a known name makes the union report a mismatch against every member; name the
// `type` field instead.
const behaviorTypeIssue = (input: unknown, issue: ParseResult.ArrayFormatterIssue) => {
  if (issue.path[issue.path.length - 1] !== "behavior") return undefined
  const value = valueAt(input, issue.path)
  const names = behaviorTypes.map((t) => JSON.stringify(t)).join(" | ")
  if (typeof value === "string") {
    return { field: formatPath(issue.path), detail: `expected an object such as {"type": ${JSON.stringify(value)}}` }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const type = (value as { type?: unknown }).type
    if (type === undefined)
      return { field: formatPath([...issue.path, "type"]), detail: `is missing (one of ${names})` }
    if (!(behaviorTypes as ReadonlyArray<unknown>).includes(type)) {
      return {
        field: formatPath([...issue.path, "type"]),
        detail: `expected one of ${names}, got ${describeActual(type)}`
      }
    }
  }
  return undefined
}

export const invalidConfig = (source: string, detail: string, field?: string): MockNodeError.MockNodeError =>
  new MockNodeError.MockNodeError({
    reason: new MockNodeError.InvalidConfig({
      source,
      detail: oneLine(detail),
      ...(field === undefined || field === "" ? {} : { field })
    })
  })

export const formatConfigError = (
  error: ParseResult.ParseError,
  input: unknown,
  source: string
): MockNodeError.MockNodeError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const behavior = issues.map((issue) => behaviorTypeIssue(input, issue)).find((found) => found !== undefined)
  if (behavior !== undefined) return invalidConfig(source, behavior.detail, behavior.field)
  let best: ParseResult.ArrayFormatterIssue | undefined
  for (const issue of issues) if (best === undefined || rank(issue) > rank(best)) best = issue
  if (best === undefined) return invalidConfig(source, error.message)
  if (best.path.length === 0 && best._tag === "Type") {
    return invalidConfig(source, `expected a JSON object, got ${describeActual(input)}`)
  }
  return invalidConfig(source, rewrite(best), formatPath(best.path))
}

export const readConfigFile = (path: string): Effect.Effect<unknown, MockNodeError.MockNodeError> =>
  Effect.tryPromise({
    try: async () => {
      // Loaded only to read a file, through a name esbuild does not follow: a browser bundle (the in-process
      // transport with a configuration object) has no file system and needs none.
      const fs: typeof import("node:fs/promises") = await import(/* @vite-ignore */ FS_MODULE)
      return fs.readFile(path, "utf8")
    },
    catch: (cause) => {
      const code = (cause as { code?: string }).code
      const detail =
        code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory, not a file" : String(cause)
      return invalidConfig(path, detail)
    }
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (cause) => invalidConfig(path, `invalid JSON: ${(cause as Error).message}`)
      })
    )
  )

/** One line for a wire-body decoding failure: `<field>: <detail>`, or the detail alone at the top level. */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  let best: ParseResult.ArrayFormatterIssue | undefined
  for (const issue of issues) if (best === undefined || rank(issue) > rank(best)) best = issue
  if (best === undefined) return oneLine(error.message)
  const field = formatPath(best.path)
  return field === "" ? rewrite(best) : `${field}: ${rewrite(best)}`
}
