// The flags shared by several commands. Global flags (`--url`, `--json`, ...) are accepted both before the command
// name (`infernet-client --url U info`) and after it (`infernet-client info --url U`); the latter wins.
import { Options } from "@effect/cli"
import { Config, Effect, Option } from "effect"
import * as CliError from "../CliError.js"
import type { OutputOptions } from "./output.js"

/** The node URL used when neither `--url` nor `SERVER_URL` is set. @internal */
export const DEFAULT_URL = "http://localhost:4000"

/** The per-request timeout used when `--timeout` is not given, in seconds. @internal */
export const DEFAULT_TIMEOUT_SECONDS = 30

/** @internal */
export const global = {
  url: Options.text("url").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription(`The node's URL. Env: SERVER_URL. Default: ${DEFAULT_URL}.`),
    Options.optional
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Compact JSON output (one line), even on a terminal.")),
  pretty: Options.boolean("pretty").pipe(
    Options.withDescription("Indented JSON output, even when piped or written to a file.")
  ),
  timeout: Options.integer("timeout").pipe(
    Options.withPseudoName("SECONDS"),
    Options.withDescription(`Timeout of each request to the node. Default: ${DEFAULT_TIMEOUT_SECONDS}.`),
    Options.optional
  ),
  verbose: Options.boolean("verbose").pipe(Options.withDescription("On failure, print the full error and its cause."))
}

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
export const output = Options.text("output").pipe(
  Options.withAlias("o"),
  Options.withPseudoName("FILE"),
  Options.withDescription("Write the result to FILE instead of stdout."),
  Options.optional
)

/** @internal */
export const outputOptions = (globals: Globals, file: Option.Option<string>): OutputOptions => ({
  json: globals.json,
  pretty: globals.pretty,
  file
})

/** `-i/--input FILE` (`-` or no flag: stdin). @internal */
export const input = (what: string) =>
  Options.text("input").pipe(
    Options.withAlias("i"),
    Options.withPseudoName("FILE"),
    Options.withDescription(`JSON file with ${what}; '-' or no flag reads stdin.`),
    Options.optional
  )

/** `-c/--containers a,b` (repeatable; comma-separated lists are split). @internal */
export const containers = Options.text("containers").pipe(
  Options.withAlias("c"),
  Options.withPseudoName("IDS"),
  Options.withDescription("Container ids, comma-separated (a,b) or repeated (-c a -c b); they run in order."),
  Options.atLeast(1)
)

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
