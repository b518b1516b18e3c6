// `infernet-node-mock --nodes N [--router]`: a mock network from the command line. Loaded by bin.ts only when those
// flags are given, so the single-node path stays as it is.
import { Effect } from "effect"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as MockNetwork from "../MockNetwork.js"

export interface NetworkArgs {
  readonly nodes: number
  readonly router: boolean
  readonly host: string
  /** The first node's port; the others follow (0: free ports). */
  readonly port: number
  readonly routerPort: number
  readonly refreshSeconds: number | undefined
  readonly routerLimit: { readonly limit: number; readonly seconds: number } | false | undefined
  readonly config: string | undefined
  readonly seed: number | undefined
  /** `--cors`: every node answers these origins' pages (the router does not). */
  readonly cors: ReadonlyArray<string> | undefined
}

const banner = (network: MockNetwork.MockNetworkService): string => {
  const lines = [`infernet-node-mock: a network of ${network.nodes.length} mock node(s)`, ""]
  for (const node of network.nodes) {
    const ids = node.node.config.containers.map((c) => c.id).join(", ")
    lines.push(`  node ${node.index}  ${node.url}  containers: ${ids === "" ? "(none)" : ids}`)
  }
  lines.push("")
  if (network.router !== undefined) {
    lines.push(`infernet router on ${network.router.url}  (GET /api/v1/containers, GET /api/v1/ips?container=ID)`)
    lines.push(
      `Chaos: POST ${network.router.url}/__mock/nodes/<index>/down|up|heal, /slow {"ms":500}, /fail {"status":503,"for_ms":5000}`
    )
    lines.push(`Inspector: ${network.router.url}/__mock/ui (every node, chaos buttons, the router's view)`)
  } else {
    lines.push("No router (start with --router for one).")
  }
  lines.push("Press Ctrl-C to stop.", "")
  return lines.join("\n")
}

export const main = (args: NetworkArgs): void => {
  const nodes: ReadonlyArray<MockNetwork.NodeOptions> = Array.from({ length: args.nodes }, (_, i) => ({
    port: args.port === 0 ? 0 : args.port + i,
    config: args.config ?? MockNetwork.defaultNodeConfig(i),
    ...(args.seed === undefined ? {} : { seed: args.seed + i }),
    ...(args.cors === undefined ? {} : { cors: args.cors })
  }))
  const router: MockNetwork.RouterOptions | false = args.router && {
    port: args.routerPort,
    ...(args.refreshSeconds === undefined ? {} : { refreshInterval: `${args.refreshSeconds} seconds` as const }),
    ...(args.routerLimit === undefined
      ? {}
      : {
          rateLimit:
            args.routerLimit === false
              ? false
              : { limit: args.routerLimit.limit, period: `${args.routerLimit.seconds} seconds` as const }
        })
  }
  const program = Effect.gen(function* () {
    const network = yield* MockNetwork.make({ nodes, router, host: args.host })
    yield* Effect.sync(() => process.stdout.write(banner(network)))
    return yield* Effect.never.pipe(
      Effect.onInterrupt(() => Effect.sync(() => process.stdout.write("infernet-node-mock stopped\n")))
    )
  }).pipe(
    Effect.scoped,
    Effect.tapError((error) => Effect.sync(() => process.stderr.write(`infernet-node-mock: ${error.message}\n`)))
  )
  NodeRuntime.runMain(program, { disableErrorReporting: true })
}
