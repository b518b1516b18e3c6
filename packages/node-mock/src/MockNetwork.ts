/**
 * A mock Infernet network: several mock nodes, each with its own containers and port, behind a mock of Ritual's
 * Infernet Router, with chaos controls (take a node down, make it slow, make it answer 503 or 429 for a while, bring
 * it back). An Effect service (`MockNetwork`) with a scoped constructor and a `Layer`, and a Promise facade (`start`,
 * exported from the package root as `startMockNetwork`).
 *
 * @since 0.1.0
 */
import type { Server } from "node:http"
import { Cause, type Clock, Context, Duration, Effect, Exit, Layer, ManagedRuntime, type Scope } from "effect"
import * as Chaos from "./internal/chaos.js"
import * as Control from "./internal/control.js"
// In a browser bundle ("browser" condition) a stub that refuses: a network needs node:http.
import { makeRouter } from "#router"
import * as MockConfig from "./MockConfig.js"
import * as MockNode from "./MockNode.js"
import * as MockNodeError from "./MockNodeError.js"

/**
 * One node of a network: the options of {@link MockNode.make} but the host (the network's) and clock.
 *
 * @since 0.1.0
 * @category models
 */
export type NodeOptions = Omit<MockNode.MockNodeOptions, "host" | "clock">

/**
 * The mock router's options. Defaults are the real router's.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouterOptions {
  /** Port to listen on. Default 0: a free port. */
  readonly port?: number | undefined
  /** How often every node's `GET /info` is polled. Default 30 seconds (the real router's `REFRESH_INTERVAL`). */
  readonly refreshInterval?: Duration.DurationInput | undefined
  /** How long `/info` may take before the node counts as unavailable. Default 3 seconds. */
  readonly infoTimeout?: Duration.DurationInput | undefined
  /** The per-client rate limit over every route: default 10 requests per 30 s window; `false` turns it off. */
  readonly rateLimit?: { readonly limit: number; readonly period: Duration.DurationInput } | false | undefined
  /** Serve `GET /api/v1/resources[?model_id=]` (the published router does not: 404). Default false. */
  readonly resources?: boolean | undefined
}

/**
 * How to start a network.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockNetworkOptions {
  /** The nodes: their options, or how many nodes with {@link defaultNodeConfig}s. Default 3. */
  readonly nodes?: number | ReadonlyArray<NodeOptions> | undefined
  /** Start a router in front of them (`true`: default options). Default true. */
  readonly router?: boolean | RouterOptions | undefined
  /** Interface every server listens on. Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** The clock of the nodes, of the router's polling and rate limit and of chaos durations. Default: the fiber's. */
  readonly clock?: Clock.Clock | undefined
}

/**
 * A node's current chaos: `down`, `delay_ms`, and the status it answers instead (`fail`, with `until` in epoch
 * milliseconds or `null` for "until healed").
 *
 * @since 0.1.0
 * @category models
 */
export type ChaosSnapshot = Chaos.ChaosSnapshot

/**
 * How {@link NetworkNode.fail} makes a node fail.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailOptions {
  /** The status every request gets (an HTML body, as a proxy or rate limiter answers). Default 503. */
  readonly status?: 429 | 503 | undefined
  /** For how long; default until `heal()` or the next `fail`. */
  readonly for?: Duration.DurationInput | undefined
  /** A `Retry-After` header (rounded up to whole seconds). Default none. */
  readonly retryAfter?: Duration.DurationInput | undefined
}

/**
 * A node of a running network, with its chaos controls.
 *
 * @since 0.1.0
 * @category models
 */
export interface NetworkNode {
  /** Position in the network (also its index in the control API). */
  readonly index: number
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** `host:port`, as the router hands it out. */
  readonly address: string
  readonly port: number
  /** The node itself: configuration, requests, jobs, behaviours. */
  readonly node: MockNode.MockNodeService
  /** Refuses connections: closes the listener and destroys every open connection (requests in flight are cut). */
  readonly down: () => Effect.Effect<void>
  /** Listens again on the same port. Jobs created before going down are still there. */
  readonly up: () => Effect.Effect<void>
  /** Delays every request by `delay` (`0` ends it). */
  readonly slow: (delay: Duration.DurationInput) => Effect.Effect<void>
  /** Answers every request with 503 (or 429) for a while. */
  readonly fail: (options?: FailOptions) => Effect.Effect<void>
  /** Up, no delay, no failure. */
  readonly heal: () => Effect.Effect<void>
  /** The node's current chaos. */
  readonly chaos: () => Effect.Effect<ChaosSnapshot>
}

/**
 * The running router.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockRouter {
  /** Base URL, e.g. `http://127.0.0.1:41240`. */
  readonly url: string
  readonly port: number
  /** Polls every node's `/info` now, instead of waiting for the next interval. */
  readonly refresh: () => Effect.Effect<void>
  /** The addresses of the nodes available at the last poll. */
  readonly available: () => Effect.Effect<ReadonlyArray<string>>
}

/**
 * A running network.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockNetworkService {
  readonly nodes: ReadonlyArray<NetworkNode>
  /** `undefined` when started with `router: false`. */
  readonly router: MockRouter | undefined
}

/**
 * The running mock network, as a service.
 *
 * @since 0.1.0
 * @category services
 */
export class MockNetwork extends Context.Tag("@infernet/node-mock/MockNetwork")<MockNetwork, MockNetworkService>() {}

const SHARED = new Set(["openai-inference-0.0.1", "hello-world"])
const EXTRA = ["openai-inference-streaming-0.0.1", "openai-inference"] as const

/**
 * The configuration of node `index` in a default network: the default containers `openai-inference-0.0.1` and
 * `hello-world` on every node, `openai-inference-streaming-0.0.1` on even nodes and `openai-inference` on odd ones,
 * and seed `index`.
 *
 * @example
 * ```ts
 * import { MockNetwork } from "@infernet/node-mock"
 * MockNetwork.defaultNodeConfig(1).containers?.map((c) => c.id)
 * // ["openai-inference-0.0.1", "openai-inference", "hello-world"]
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const defaultNodeConfig = (index: number): MockConfig.Input => ({
  ...MockConfig.defaultConfig,
  containers: MockConfig.defaultConfig.containers.filter((c) => SHARED.has(c.id) || c.id === EXTRA[index % 2]),
  mock: { ...MockConfig.defaultConfig.mock, seed: index }
})

const formatHost = (host: string) => (host.includes(":") ? `[${host}]` : host)

const listen = (server: Server, host: string, port: number) =>
  Effect.async<number, MockNodeError.MockNodeError>((resume) => {
    const onError = (error: NodeJS.ErrnoException) =>
      resume(
        Effect.fail(
          new MockNodeError.MockNodeError({
            reason: new MockNodeError.ServeFailed({
              host,
              port,
              detail: error.code === "EADDRINUSE" ? `port ${port} is already in use` : error.message
            })
          })
        )
      )
    server.once("error", onError)
    server.listen(port, host, () => {
      server.off("error", onError)
      const address = server.address()
      resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : port))
    })
  })

const startNode = (index: number, options: NodeOptions, host: string, now: () => number) =>
  Effect.gen(function* () {
    let captured: Server | undefined
    const node = yield* MockNode.make({ ...options, host }).pipe(
      Effect.provideService(Chaos.ServerHook, (server: Server) => {
        captured = server
      })
    )
    const chaos = Chaos.install(captured!, { host, port: node.port }, now)
    const url = new URL(node.url)
    const networkNode: NetworkNode = {
      index,
      url: node.url,
      address: url.host,
      port: node.port,
      node,
      down: () => Effect.promise(chaos.down),
      up: () => Effect.promise(chaos.up),
      slow: (delay) => Effect.sync(() => chaos.slow(Duration.toMillis(Duration.decode(delay)))),
      fail: (failOptions = {}) =>
        Effect.sync(() =>
          chaos.fail({
            status: failOptions.status ?? 503,
            forMs: failOptions.for === undefined ? undefined : Duration.toMillis(Duration.decode(failOptions.for)),
            retryAfterSeconds:
              failOptions.retryAfter === undefined
                ? undefined
                : Math.ceil(Duration.toSeconds(Duration.decode(failOptions.retryAfter)))
          })
        ),
      heal: () => Effect.promise(chaos.heal),
      chaos: () => Effect.sync(chaos.snapshot)
    }
    return { networkNode, chaos }
  })

/**
 * Starts a network in the current scope: the nodes, then the router, which polls the nodes once before this
 * returns (so it answers at once) and then every `refreshInterval`. Everything stops when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockNetwork } from "@infernet/node-mock"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const network = yield* MockNetwork.make({ nodes: 3, router: { refreshInterval: "100 millis" } })
 *     yield* network.nodes[1]!.down()
 *     yield* network.router!.refresh()
 *     return yield* network.router!.available() // two addresses
 *   })
 * )
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: MockNetworkOptions = {}
): Effect.Effect<MockNetworkService, MockNodeError.MockNodeError, Scope.Scope> => {
  const program = Effect.gen(function* () {
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const host = options.host ?? "127.0.0.1"
    const nodeOptions: ReadonlyArray<NodeOptions> =
      typeof options.nodes === "number" || options.nodes === undefined
        ? Array.from({ length: options.nodes ?? 3 }, (_, i) => ({ config: defaultNodeConfig(i) }))
        : options.nodes
    const started = yield* Effect.forEach(nodeOptions, (o, i) => startNode(i, o, host, now))
    const nodes = started.map((s) => s.networkNode)
    if (options.router === false) return { nodes, router: undefined } satisfies MockNetworkService
    const routerOptions: RouterOptions = options.router === true || options.router === undefined ? {} : options.router
    const rate = routerOptions.rateLimit ?? { limit: 10, period: "30 seconds" }
    const router = makeRouter({
      nodes: started.map(({ networkNode, chaos }) => ({ address: networkNode.address, url: networkNode.url, chaos })),
      infoTimeoutMs: Duration.toMillis(Duration.decode(routerOptions.infoTimeout ?? "3 seconds")),
      rateLimit:
        rate === false ? undefined : { limit: rate.limit, periodMs: Duration.toMillis(Duration.decode(rate.period)) },
      resources: routerOptions.resources === true,
      now
    })
    const port = yield* listen(router.server, host, routerOptions.port ?? 0)
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        router.server.close(() => resume(Effect.void))
        router.server.closeAllConnections()
      })
    )
    const refresh = Effect.promise(router.refresh)
    yield* refresh
    const interval = Duration.decode(routerOptions.refreshInterval ?? "30 seconds")
    yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(interval), refresh)))
    const mockRouter: MockRouter = {
      url: `http://${formatHost(host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host)}:${port}`,
      port,
      refresh: () => refresh,
      available: () => Effect.sync(router.available)
    }
    return { nodes, router: mockRouter } satisfies MockNetworkService
  })
  return options.clock === undefined ? program : Effect.withClock(program, options.clock)
}

/**
 * A layer that starts a network and provides {@link MockNetwork}.
 *
 * @example
 * ```ts
 * import { it, layer } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { MockNetwork } from "@infernet/node-mock"
 *
 * layer(MockNetwork.layer({ nodes: 2 }))((it) => {
 *   it.effect("lists two nodes", () =>
 *     Effect.gen(function* () {
 *       const network = yield* MockNetwork.MockNetwork
 *       const response = yield* Effect.promise(() => fetch(`${network.router!.url}/api/v1/ips?container=hello-world`))
 *       // ...
 *     })
 *   )
 * })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: MockNetworkOptions): Layer.Layer<MockNetwork, MockNodeError.MockNodeError> =>
  Layer.scoped(MockNetwork, make(options))

/**
 * A node of a network started with {@link start}, with its chaos controls as Promises.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningNetworkNode extends MockNode.MockNodeControl {
  readonly index: number
  readonly url: string
  /** `host:port`, as the router hands it out. */
  readonly address: string
  readonly port: number
  readonly config: MockConfig.MockConfig
  /** Refuses connections (requests in flight are cut) until `up()` or `heal()`. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  /** Delays every request (`0` ends it). A number is milliseconds. */
  slow(delay: Duration.DurationInput): Promise<void>
  /** Answers every request with 503 (or 429) for a while. */
  fail(options?: FailOptions): Promise<void>
  /** Up, no delay, no failure. */
  heal(): Promise<void>
  chaos(): Promise<ChaosSnapshot>
}

/**
 * A network started with {@link start}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningMockNetwork {
  readonly nodes: ReadonlyArray<RunningNetworkNode>
  /** `undefined` when started with `router: false`. */
  readonly router:
    | {
        readonly url: string
        readonly port: number
        refresh(): Promise<void>
        available(): Promise<ReadonlyArray<string>>
      }
    | undefined
  /** Stops every node and the router. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Starts a network for code outside Effect.
 *
 * @example
 * ```ts
 * import { startMockNetwork } from "@infernet/node-mock"
 *
 * const network = await startMockNetwork({ nodes: 3, router: true })
 * const ips = await fetch(`${network.router!.url}/api/v1/ips?container=hello-world`)
 * console.log(await ips.json()) // ["127.0.0.1:41231", "127.0.0.1:41233", "127.0.0.1:41235"]
 * await network.nodes[0]!.down()
 * await network.close()
 * ```
 * @since 0.1.0
 * @category constructors
 */
// A node's control operations (the node's own, in-process) as Promises.
const control = (n: NetworkNode): Omit<MockNode.MockNodeControl, "url"> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(n.node)) {
    if (key === "url" || key === "host" || key === "port" || key === "config" || key === "fetch") continue
    out[key] = async (...args: ReadonlyArray<unknown>) => {
      const exit = await Effect.runPromiseExit(
        (value as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown, MockNodeError.MockNodeError>)(...args)
      )
      if (Exit.isSuccess(exit)) return exit.value
      throw Cause.squash(exit.cause)
    }
  }
  return out as unknown as Omit<MockNode.MockNodeControl, "url">
}

export const start = async (options?: MockNetworkOptions): Promise<RunningMockNetwork> => {
  const runtime = ManagedRuntime.make(layer(options))
  const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  }
  let network: MockNetworkService
  try {
    network = await runtime.runPromise(MockNetwork)
  } catch (error) {
    await runtime.dispose()
    throw error
  }
  let closing: Promise<void> | undefined
  const router = network.router
  return {
    nodes: network.nodes.map((n) => ({
      index: n.index,
      url: n.url,
      address: n.address,
      port: n.port,
      config: n.node.config,
      down: () => run(n.down()),
      up: () => run(n.up()),
      slow: (delay) => run(n.slow(delay)),
      fail: (failOptions) => run(n.fail(failOptions)),
      heal: () => run(n.heal()),
      chaos: () => run(n.chaos()),
      ...control(n)
    })),
    router:
      router === undefined
        ? undefined
        : {
            url: router.url,
            port: router.port,
            refresh: () => run(router.refresh()),
            available: () => run(router.available())
          },
    close: () => {
      closing ??= runtime.dispose()
      return closing
    }
  }
}

/**
 * A node of a network started elsewhere, from {@link connectPromise}: its control methods, and its chaos switches
 * through the router's control API.
 *
 * @since 0.2.0
 * @category models
 */
export type ConnectedNetworkNode = Omit<RunningNetworkNode, "port" | "config">

/**
 * A network started elsewhere (`infernet-node-mock --nodes 3 --router`, another process), from
 * {@link connectPromise}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ConnectedMockNetwork {
  readonly nodes: ReadonlyArray<ConnectedNetworkNode>
  readonly router: {
    readonly url: string
    /** Polls every node's `/info` now. */
    refresh(): Promise<void>
    /** The addresses of the nodes available at the last poll. */
    available(): Promise<ReadonlyArray<string>>
  }
}

/**
 * The control surface of a mock network started elsewhere, through its router's control API (`GET /__mock/nodes`,
 * `POST /__mock/nodes/<i>/down|up|slow|fail|heal`, `POST /__mock/refresh`) and each node's own: the same methods as
 * a network started with {@link start}, as Promises. Rejects with `ControlFailed` when the router cannot be reached.
 *
 * @example
 * ```ts
 * import { connectMockNetwork, startMockNetwork } from "@infernet/node-mock"
 *
 * const started = await startMockNetwork({ nodes: 2 }) // or `npx infernet-node-mock --nodes 2 --router`
 * const network = await connectMockNetwork(started.router!.url)
 * await network.nodes[0]!.down()
 * await network.router.refresh()
 * console.log(await network.router.available()) // the other node only
 * await network.nodes[0]!.heal()
 * await started.close()
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const connectPromise = async (
  routerUrl: string,
  options: MockNode.ConnectOptions = {}
): Promise<ConnectedMockNetwork> => {
  const fetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init))
  const call = Control.makeCaller(routerUrl, fetch)
  interface NodeView {
    readonly index: number
    readonly address: string
    readonly url: string
    readonly available: boolean
    readonly chaos: ChaosSnapshot
  }
  const views = await call<ReadonlyArray<NodeView>>("GET", "/__mock/nodes")
  const chaosCall = async (index: number, action: string, body?: unknown) => {
    await call("POST", `/__mock/nodes/${index}/${action}`, body)
  }
  const nodes = views.map((view): ConnectedNetworkNode => {
    const { url: _url, ...control } = Control.makeControl(view.url, fetch)
    return {
      ...control,
      index: view.index,
      url: view.url,
      address: view.address,
      down: () => chaosCall(view.index, "down"),
      up: () => chaosCall(view.index, "up"),
      heal: () => chaosCall(view.index, "heal"),
      slow: (delay) =>
        chaosCall(view.index, "slow", {
          ms: Math.min(Chaos.MAX_CHAOS_MS, Math.max(0, Math.round(Duration.toMillis(Duration.decode(delay)))))
        }),
      fail: (failOptions = {}) =>
        chaosCall(view.index, "fail", {
          status: failOptions.status ?? 503,
          ...(failOptions.for === undefined
            ? {}
            : { for_ms: Math.round(Duration.toMillis(Duration.decode(failOptions.for))) }),
          ...(failOptions.retryAfter === undefined
            ? {}
            : {
                retry_after: Math.min(
                  Chaos.MAX_RETRY_AFTER_SECONDS,
                  Math.ceil(Duration.toSeconds(Duration.decode(failOptions.retryAfter)))
                )
              })
        }),
      chaos: async () =>
        (await call<ReadonlyArray<NodeView>>("GET", "/__mock/nodes")).find((n) => n.index === view.index)!.chaos
    }
  })
  return {
    nodes,
    router: {
      url: routerUrl.replace(/\/+$/, ""),
      refresh: async () => {
        await call("POST", "/__mock/refresh")
      },
      available: async () =>
        (await call<ReadonlyArray<NodeView>>("GET", "/__mock/nodes")).filter((n) => n.available).map((n) => n.address)
    }
  }
}
