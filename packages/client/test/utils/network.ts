/**
 * Helpers for tests over a mock network (`@infernet/node-mock`'s `startMockNetwork`): a pool or router client on
 * undici, run in a scope.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { type MockNetwork, type RunningMockNetwork, startMockNetwork } from "@infernet/node-mock"
import { Effect } from "effect"
import { NodePool, RouterClient } from "../../src/index.js"

/** Runs `f` with a network, always closing it. */
export const withNetwork = async <A>(
  options: MockNetwork.MockNetworkOptions,
  f: (network: RunningMockNetwork) => Promise<A>
): Promise<A> => {
  const network = await startMockNetwork(options)
  try {
    return await f(network)
  } finally {
    await network.close()
  }
}

/** Runs `f` with a pool (on undici, in a scope of its own), as a Promise. */
export const runPool = <A, E>(
  options: NodePool.Options,
  f: (pool: NodePool.Service) => Effect.Effect<A, E>
): Promise<A> =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(NodePool.make(options), f)).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

/** Runs `f` with a router client (on undici), as a Promise. */
export const runRouter = <A, E>(
  options: RouterClient.Options,
  f: (router: RouterClient.Service) => Effect.Effect<A, E>
): Promise<A> =>
  Effect.runPromise(Effect.flatMap(RouterClient.make(options), f).pipe(Effect.provide(NodeHttpClient.layerUndici)))

/** Nodes with the given containers each (no latency unless given). */
export const nodes = (
  ...containerSets: ReadonlyArray<ReadonlyArray<string | { readonly id: string; readonly latency_ms?: number }>>
): ReadonlyArray<MockNetwork.NodeOptions> =>
  containerSets.map((set) => ({
    config: {
      containers: set.map((c) =>
        typeof c === "string"
          ? { id: c, description: `${c} container` }
          : { id: c.id, behavior: { type: "echo" as const, latency_ms: c.latency_ms ?? 0 } }
      )
    }
  }))

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
