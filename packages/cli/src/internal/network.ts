// The Network commands, as Python infernet-client 1.4 has them: `containers` and `find`, asking the Infernet Router
// (`--url`, else `ROUTER_URL`, else the public router) through @infernet/client's `RouterClient`.
import { Duration, Effect, Option } from "effect"
import type * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import * as Output from "./output.js"
import { define, NAME, root } from "./root.js"
import * as Router from "./router.js"
import * as Spec from "./spec.js"

const ROUTER_NOTE = `Here --url is the Infernet Router (Python 1.4's flag), not a node: else ROUTER_URL, else ${Router.DEFAULT_ROUTER_URL}.`

/** Runs `body` with the router client and the merged global flags (`--url` naming the router, not a node). */
const withRouter = <R>(
  flags: Flags.GlobalFlags & { readonly output: Option.Option<string> },
  body: (
    router: Effect.Effect.Success<ReturnType<typeof Router.client>>,
    output: Output.OutputOptions
  ) => Effect.Effect<void, CliError.CliError, R>
) =>
  Effect.gen(function* () {
    const rootFlags = yield* root
    const url = yield* Router.routerUrl(Option.orElse(flags.url, () => rootFlags.url))
    const globals = yield* Flags.resolveGlobals(rootFlags, { ...flags, url: Option.some(url) })
    if (Option.isSome(flags.output)) yield* Output.checkWritable(flags.output.value)
    const router = yield* Router.client(url, Duration.seconds(globals.timeoutSeconds))
    return yield* body(router, Flags.outputOptions(globals, flags.output))
  })

const containers = define({
  name: "containers",
  group: "Network",
  summary: "List the containers that nodes of the network run",
  description: [
    "GET /api/v1/containers on the Infernet Router: [{id, count, description}], count being how many available " +
      "nodes run the container.",
    ROUTER_NOTE
  ],
  flags: { output: Flags.output },
  examples: [`${NAME} containers`, `${NAME} containers --url http://localhost:4100`],
  run: (flags) =>
    withRouter(flags, (router, output) =>
      Effect.flatMap(
        router.containers().pipe(Effect.mapError((error) => Router.fromRouterError(error, router.url))),
        (answer) => Output.json(output, answer)
      )
    )
})

const find = define({
  name: "find",
  group: "Network",
  summary: "Find nodes running all of some containers",
  description: [
    "GET /api/v1/ips on the Infernet Router: the host:port of up to -n available nodes running all the " +
      "containers, least busy first, after skipping --skip of them. [] when none.",
    ROUTER_NOTE,
    "-n is --count here, as in the Python client; for job, results and stream, -n is --node."
  ],
  flags: {
    containers: Spec.repeatedText({
      name: "containers",
      short: "c",
      arg: "IDS",
      summary: "Containers to look for: a,b or -c a -c b"
    }),
    count: Spec.integer({ name: "count", short: "n", arg: "N", summary: "How many nodes at most", default: "3" }),
    skip: Spec.integer({ name: "skip", arg: "N", summary: "How many of the least busy to skip", default: "0" }),
    output: Flags.output
  },
  examples: [
    `${NAME} find -c hello-world`,
    `${NAME} find -c openai-inference-0.0.1 -c hello-world -n 5 --skip 5 --url http://localhost:4100`
  ],
  run: (flags) =>
    withRouter(flags, (router, output) =>
      Effect.gen(function* () {
        const ids = yield* Flags.splitContainers(flags.containers)
        const n = Option.getOrElse(flags.count, () => 3)
        const offset = Option.getOrElse(flags.skip, () => 0)
        if (n < 1) return yield* Errors.usage(`-n/--count must be at least 1, got ${n}`)
        if (offset < 0) return yield* Errors.usage(`--skip must be 0 or more, got ${offset}`)
        const addresses = yield* router
          .findAddresses(ids, { n, offset })
          .pipe(Effect.mapError((error) => Router.fromRouterError(error, router.url)))
        yield* Output.json(output, addresses)
      })
    )
})

/** The Network commands, in help order. @internal */
export const COMMANDS: ReadonlyArray<Spec.CommandSpec> = [containers, find]
