// The flags shared by several commands. Global flags (`--url`, `--json`, ...) are accepted both before the command
// name (`infernet-client --url U info`) and after it (`infernet-client info --url U`); the latter wins.
import { Config, Effect, Option } from "effect"
import * as CliError from "../CliError.js"
import type { OutputOptions } from "./output.js"
import * as Spec from "./spec.js"

/** The node URL used when neither `--url` nor `SERVER_URL` is set. @internal */
export const DEFAULT_URL = "http://localhost:4000"

/** The per-request timeout used when `--timeout` is not given, in seconds. @internal */
export const DEFAULT_TIMEOUT_SECONDS = 30

/** The global flags: accepted before and after the command name. @internal */
export const global = {
  url: Spec.text({
    name: "url",
    arg: "URL",
    summary: "The node",
    env: "SERVER_URL",
    default: DEFAULT_URL
  }),
  timeout: Spec.integer({
    name: "timeout",
    arg: "SECONDS",
    summary: "Timeout of each request, in seconds",
    default: String(DEFAULT_TIMEOUT_SECONDS)
  }),
  json: Spec.boolean({ name: "json", summary: "Compact JSON (one line), even on a terminal" }),
  pretty: Spec.boolean({ name: "pretty", summary: "Indented JSON, even when piped" }),
  verbose: Spec.boolean({ name: "verbose", summary: "On failure, also print the cause and its stack" })
}

/** The global flags' @effect/cli options (for the root command). @internal */
export const globalOptions = Spec.optionsOf(global)

/** @internal */
export type GlobalFlags = {
  readonly url: Option.Option<string>
  readonly json: boolean
  readonly pretty: boolean
  readonly timeout: Option.Option<number>
  readonly verbose: boolean
}

/** The global flags after merging both positions and the environment. @internal */
export interface Globals {
  readonly url: string
  readonly json: boolean
  readonly pretty: boolean
  readonly timeoutSeconds: number
  readonly verbose: boolean
}

const usage = (detail: string) => new CliError.CliError({ reason: new CliError.UsageError({ detail }) })

/**
 * Merges the global flags given before the command (`root`) and after it (`command`), then `SERVER_URL`.
 *
 * @internal
 */
export const resolveGlobals = (root: GlobalFlags, command: GlobalFlags): Effect.Effect<Globals, CliError.CliError> =>
  Effect.gen(function* () {
    const fromEnv = yield* Config.option(Config.string("SERVER_URL")).pipe(Effect.orElseSucceed(() => Option.none()))
    const url = Option.orElse(command.url, () => root.url).pipe(
      Option.orElse(() => Option.filter(fromEnv, (u) => u.trim() !== "")),
      Option.getOrElse(() => DEFAULT_URL)
    )
    const source = Option.isSome(command.url) || Option.isSome(root.url) ? "--url" : "SERVER_URL"
    yield* validateUrl(url, source)
    const timeoutSeconds = Option.orElse(command.timeout, () => root.timeout).pipe(
      Option.getOrElse(() => DEFAULT_TIMEOUT_SECONDS)
    )
    if (timeoutSeconds <= 0)
      return yield* usage(`--timeout must be a positive number of seconds, got ${timeoutSeconds}`)
    return {
      url: url.replace(/\/+$/, ""),
      json: root.json || command.json,
      pretty: root.pretty || command.pretty,
      timeoutSeconds,
      verbose: root.verbose || command.verbose
    }
  })

/** A non-empty environment variable. @internal */
export const env = (name: string): Effect.Effect<Option.Option<string>> =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.map((value) => value.trim())),
    Effect.map(Option.filter((value) => value !== "")),
    Effect.orElseSucceed(() => Option.none<string>())
  )

/**
 * A node address as the router gives it (`host:port`, no scheme) or a URL, as a URL without a trailing slash.
 *
 * @internal
 */
export const nodeUrl = (value: string, source: string): Effect.Effect<string, CliError.CliError> => {
  const trimmed = value.trim()
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`
  return Effect.as(validateUrl(url, source), url.replace(/\/+$/, ""))
}

/**
 * Checks an http(s) URL.
 *
 * @internal
 */
export const validateUrl = (url: string, source: string): Effect.Effect<void, CliError.CliError> => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return Effect.fail(usage(`${source}: expected an http(s) URL such as ${DEFAULT_URL}, got ${JSON.stringify(url)}`))
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return Effect.fail(usage(`${source}: expected an http(s) URL, got ${JSON.stringify(url)}`))
  }
  return Effect.void
}

/** `-o/--output FILE`. @internal */
export const output = Spec.text({
  name: "output",
  short: "o",
  arg: "FILE",
  summary: "Write the result to FILE",
  default: "stdout"
})

/** @internal */
export const outputOptions = (globals: Globals, file: Option.Option<string>): OutputOptions => ({
  json: globals.json,
  pretty: globals.pretty,
  file
})

/** `-i/--input FILE` (`-` or no flag: stdin). @internal */
export const input = (what: string) =>
  Spec.text({ name: "input", short: "i", arg: "FILE", summary: `JSON file with ${what}`, default: "stdin" })

/** `-c/--containers a,b` (repeatable; comma-separated lists are split). @internal */
export const containers = Spec.repeatedText({
  name: "containers",
  short: "c",
  arg: "IDS",
  summary: "Containers to run, in order: a,b or -c a -c b"
})

/**
 * Splits `-c a,b -c c` into `["a", "b", "c"]`, refusing empty ids.
 *
 * @internal
 */
export const splitContainers = (values: ReadonlyArray<string>): Effect.Effect<Array<string>, CliError.CliError> => {
  const ids = values.flatMap((v) => v.split(",")).map((id) => id.trim())
  if (ids.some((id) => id === "")) {
    return Effect.fail(usage(`--containers: empty container id in ${JSON.stringify(values.join(","))}`))
  }
  return Effect.succeed(ids)
}
