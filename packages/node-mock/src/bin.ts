#!/usr/bin/env node
/**
 * The `infernet-node-mock` command: starts a mock node, prints its URL and containers, and stops cleanly on Ctrl-C
 * or SIGTERM.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import type * as MockNodeModule from "./MockNode.js"
import { closest } from "./internal/knownKeys.js"

// Arguments are handled before Effect and the server are loaded, so `--help` and usage errors answer at once.

const HELP = `Usage: infernet-node-mock [options]
       infernet-node-mock record --upstream <url> --out <file> [options]   (record --help for its options)

A mock Infernet node: the node's REST API on the wire, with configurable containers.

Options:
  -p, --port <port>    port to listen on (default 4000; 0 picks a free port)
      --host <host>    interface to listen on (default 127.0.0.1)
  -c, --config <file>  configuration file, in the node's config.json shape plus mock-only keys
                       (default: containers for the Python client's usage page)
      --seed <n>       seed for latency ranges and failure rates (overrides mock.seed)
      --control-open   answer the /__mock/ control API to every client, not only loopback ones
                       (overrides mock.control_open; anyone who can reach the port can then reset the node)
      --cors <origin>  let pages of this origin call the node from a browser (repeatable; "*" for any):
                       answers CORS preflights and adds CORS headers, as a CORS-adding proxy in front of a
                       real node would (the real node sends none; overrides mock.cors)
      --replay <file>  answer with a cassette written by \`infernet-node-mock record\`
      --replay-mode <strict|fallback>   unrecorded requests: 501 (strict, default) or the simulated containers
      --replay-speed <recorded|max>     streams at their recorded pace (default) or at once
      --nodes <n>      start a network of n nodes, each with its own containers, on ports from --port up
      --router         start a mock Infernet Router in front of them (--router-port, default 4100;
                       --refresh <seconds>, default 30; --router-limit <n>/<seconds> or off, default 10/30)
  -h, --help           show this help
  -v, --version        show the version

Control API (mock only, loopback clients unless --control-open): GET /__mock/requests,
GET /__mock/subscriptions, GET /__mock/jobs, GET /__mock/containers, PUT /__mock/containers/<id>,
POST /__mock/reset, GET /__mock/replay; the live inspector page: GET /__mock/ui
`

const usageError = (message: string): never => {
  process.stderr.write(`infernet-node-mock: ${message}\nRun infernet-node-mock --help for usage.\n`)
  process.exit(2)
}

const parse = () => {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        config: { type: "string", short: "c" },
        seed: { type: "string" },
        "control-open": { type: "boolean" },
        cors: { type: "string", multiple: true },
        nodes: { type: "string" },
        router: { type: "boolean" },
        "router-port": { type: "string" },
        refresh: { type: "string" },
        "router-limit": { type: "string" },
        replay: { type: "string" },
        "replay-mode": { type: "string" },
        "replay-speed": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (cause) {
    return usageError(describeParseError((cause as Error).message))
  }
}

// The flags are the ones HELP lists, so a flag added there is suggested too.
const FLAGS = [...new Set([...HELP.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!))]

/** node:util's parse errors in one short line, with the closest flag for an unknown one. */
const describeParseError = (message: string): string => {
  const unknown = /^Unknown option '(-{1,2})([^'=]+)/.exec(message)
  if (unknown !== null) {
    const name = unknown[2]!
    // A typo of a flag, or the start of one (`--rout` for `--router`).
    const best = closest(name, FLAGS) ?? FLAGS.find((flag) => flag.startsWith(name))
    const suggestion = best === undefined ? "" : `; did you mean --${best}?`
    return `unknown option ${unknown[1]}${name}${suggestion}`
  }
  const positional = /^Unexpected argument '([^']*)'/.exec(message)
  if (positional !== null)
    return `unexpected argument ${JSON.stringify(positional[1])} (this command takes options only)`
  return message
}

const integer = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (/^\d+$/.test(text) && n >= min && n <= max) return n
  return usageError(`--${name} expects a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`)
}

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width))

const banner = (node: MockNodeModule.MockNodeService): string => {
  const { config } = node
  const chain = config.chain.enabled
    ? `chain enabled (chain id ${config.mock.chain_id}${config.chain.coordinator_address === undefined ? "" : `, coordinator ${config.chain.coordinator_address}`})`
    : "chain disabled"
  const limit = config.mock.rate_limit
  const rate = limit === undefined ? "rate limit off" : `rate limit ${limit.limit} per ${limit.period_seconds}s`
  const rows = config.containers.map((c) => [c.id, c.behavior.type, c.external ? "yes" : "no", c.description])
  const widths = [
    Math.max(9, ...rows.map((r) => r[0]!.length)) + 2,
    Math.max(9, ...rows.map((r) => r[1]!.length)) + 2,
    10
  ]
  const line = (cells: ReadonlyArray<string>) =>
    `  ${pad(cells[0]!, widths[0]!)}${pad(cells[1]!, widths[1]!)}${pad(cells[2]!, widths[2]!)}${cells[3]}`.trimEnd()
  return [
    `infernet-node-mock listening on ${node.url}`,
    `  node version ${config.mock.version}, ${chain}, ${rate}`,
    "",
    rows.length === 0 ? "  (no containers configured)" : line(["CONTAINER", "BEHAVIOUR", "EXTERNAL", "DESCRIPTION"]),
    ...rows.map(line),
    "",
    ...(config.mock.cors.length === 0
      ? []
      : [`CORS: pages of ${config.mock.cors.join(", ")} may call this node (the real node sends no CORS headers)`]),
    `Control API: ${node.url}/__mock/requests (${config.mock.control_open ? "open to every client" : "loopback clients only"})   Press Ctrl-C to stop.`,
    `Inspector:   ${node.url}/__mock/ui (a live page of jobs, requests and subscriptions)`,
    ...(args.replay === undefined
      ? []
      : [
          `Replaying ${args.replay} (${args["replay-mode"] ?? "strict"}); unused recordings: ${node.url}/__mock/replay`
        ]),
    ""
  ].join("\n")
}

const oneOf = <A extends string>(name: string, text: string | undefined, allowed: ReadonlyArray<A>): A | undefined => {
  if (text === undefined || allowed.includes(text as A)) return text as A | undefined
  return usageError(`--${name} expects ${allowed.join(" or ")}, got ${JSON.stringify(text)}`)
}

const args = process.argv[2] === "record" ? ({} as ReturnType<typeof parse>) : parse()
// `--cors` values are checked before anything starts (a bad one is a usage error, as a bad port).
const cors = args.cors
if (cors !== undefined) {
  const { originProblem } = await import("./internal/cors.js")
  for (const origin of cors) {
    const problem = originProblem(origin)
    if (problem !== undefined) usageError(`--cors ${problem}`)
  }
}
if (process.argv[2] === "record") {
  const { main } = await import("./internal/recordBin.js")
  await main(process.argv.slice(3))
} else if (args.help === true) {
  process.stdout.write(HELP)
} else if (args.version === true) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
  process.stdout.write(`${pkg.version}\n`)
} else if (args.nodes !== undefined || args.router === true) {
  if (args.replay !== undefined) usageError("--replay starts one node; it cannot be combined with --nodes or --router")
  const limit = args["router-limit"]
  const parsedLimit = limit === undefined || limit === "off" ? limit : /^([1-9]\d{0,8})\/([1-9]\d{0,8})$/.exec(limit)
  if (parsedLimit === null) {
    usageError(
      `--router-limit expects <n>/<seconds> with both at least 1 (e.g. 10/30), or off; got ${JSON.stringify(limit)}`
    )
  }
  const nodes = integer("nodes", args.nodes, 1, 64) ?? 1
  const firstPort = integer("port", args.port, 0, 65535) ?? 4000
  // The nodes take ports from --port up: all of them must be ports.
  if (firstPort !== 0 && firstPort + nodes - 1 > 65535) {
    usageError(
      `--port ${firstPort} with --nodes ${nodes} needs ports ${firstPort} to ${firstPort + nodes - 1}, past 65535; use a lower --port, or --port 0 for free ports`
    )
  }
  const { main } = await import("./internal/networkBin.js")
  main({
    nodes,
    router: args.router === true,
    host: args.host ?? "127.0.0.1",
    port: firstPort,
    routerPort: integer("router-port", args["router-port"], 0, 65535) ?? 4100,
    refreshSeconds: integer("refresh", args.refresh, 1, 86400),
    routerLimit:
      parsedLimit === undefined || parsedLimit === null
        ? undefined
        : parsedLimit === "off"
          ? false
          : { limit: Number(parsedLimit[1]), seconds: Number(parsedLimit[2]) },
    config: args.config,
    seed: integer("seed", args.seed, 0, Number.MAX_SAFE_INTEGER),
    cors
  })
} else {
  const port = integer("port", args.port, 0, 65535) ?? 4000
  const seed = integer("seed", args.seed, 0, Number.MAX_SAFE_INTEGER)
  const [{ Effect }, NodeRuntime, MockNode] = await Promise.all([
    import("effect"),
    import("@effect/platform-node/NodeRuntime"),
    import("./MockNode.js")
  ])
  const main = Effect.gen(function* () {
    const node = yield* MockNode.make({
      port,
      host: args.host ?? "127.0.0.1",
      ...(args.config === undefined ? {} : { config: args.config }),
      ...(seed === undefined ? {} : { seed }),
      ...(args["control-open"] === true ? { controlOpen: true } : {}),
      ...(cors === undefined ? {} : { cors }),
      ...(args.replay === undefined
        ? {}
        : {
            replay: {
              cassette: args.replay,
              mode: oneOf("replay-mode", args["replay-mode"], ["strict", "fallback"] as const),
              speed: oneOf("replay-speed", args["replay-speed"], ["recorded", "max"] as const)
            }
          })
    })
    yield* Effect.sync(() => process.stdout.write(banner(node)))
    return yield* Effect.never.pipe(
      Effect.onInterrupt(() => Effect.sync(() => process.stdout.write("infernet-node-mock stopped\n")))
    )
  }).pipe(
    Effect.scoped,
    // One line, no stack trace; runMain then exits with code 1.
    Effect.tapError((error) => Effect.sync(() => process.stderr.write(`infernet-node-mock: ${error.message}\n`)))
  )
  NodeRuntime.runMain(main, { disableErrorReporting: true })
}
