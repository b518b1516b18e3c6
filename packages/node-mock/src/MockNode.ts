/**
 * A running mock Infernet node: an Effect service (`MockNode`) with a scoped constructor and a `Layer`, and a
 * Promise facade (`start`, exported from the package root as `startMockNode`) for code outside Effect.
 *
 * @since 0.1.0
 */
// The node:http server, or (in a browser bundle, through the "browser" condition) a refusal to listen.
import { listen } from "#listen"
import { Cause, type Clock, Context, Effect, Exit, FiberSet, Layer, ManagedRuntime, Redacted, type Scope } from "effect"
import * as Control from "./internal/control.js"
import { IN_PROCESS_ORIGIN, makeFetch } from "./internal/inProcess.js"
import { makeState } from "./internal/state.js"
import { originProblem } from "./internal/cors.js"
import { attachReplay, unused as unusedRecordingsOf } from "./internal/replay.js"
import * as Cassette from "./Cassette.js"
import * as MockConfig from "./MockConfig.js"
import * as MockNodeError from "./MockNodeError.js"

import type * as State from "./internal/state.js"
import type * as Store from "./internal/store.js"
import type * as Verify from "./internal/verify.js"

/**
 * A request the mock received, as `GET /__mock/requests` lists it: `{at, method, path, query, client, status,
 * content_type, body, tolerated?}`, and, from `requests()`, `json`: the body parsed, when it is JSON.
 *
 * @since 0.1.0
 * @category models
 */
export type RecordedRequest = Control.ControlRequest

/**
 * A container and its current behaviour, as `containers()` lists them.
 *
 * @since 0.2.0
 * @category models
 */
export type ContainerSnapshot = Control.ContainerSnapshot

/**
 * What `waitForJob` waits for: a status, or `"finished"` (the default: `success` or `failed`).
 *
 * @since 0.2.0
 * @category models
 */
export type WaitStatus = Control.WaitStatus

/**
 * How long `waitForJob` and `waitForRequests` wait (`timeoutMs`, default 5000, real time) and how often they look
 * (`intervalMs`, default 10).
 *
 * @since 0.2.0
 * @category models
 */
export type WaitOptions = Control.WaitOptions

/**
 * The control surface of a mock node, as Promises: the same for a node started here (`startMockNode`) and one
 * started elsewhere (`connectMockNode(url)`: the command, a global setup, another process). Every method rejects
 * with a {@link MockNodeError.MockNodeError}.
 *
 * @since 0.2.0
 * @category models
 */
export interface MockNodeControl {
  /** Base URL of the node. */
  readonly url: string
  /** Every container with its current behaviour. */
  containers(): Promise<ReadonlyArray<ContainerSnapshot>>
  /** Replaces a container's behaviour until the next reset (`UnknownContainer`, `InvalidConfig`). */
  setBehavior(container: string, behavior: MockConfig.BehaviorInput): Promise<void>
  /** The rate limit in force, `null` when off. */
  rateLimit(): Promise<MockConfig.RateLimitInput | null>
  /** Replaces the rate limit (`null` turns it off) until the next reset, and forgets what was counted. */
  setRateLimit(rateLimit: MockConfig.RateLimitInput | null): Promise<void>
  /** Every stored job of every client. */
  jobs(): Promise<ReadonlyArray<JobSnapshot>>
  /** Requests received so far, oldest first, bodies parsed into `json` (control requests are not recorded). */
  requests(): Promise<ReadonlyArray<RecordedRequest>>
  /** Delegated subscriptions received so far, with their signature checks. */
  subscriptions(): Promise<ReadonlyArray<RecordedSubscription>>
  /** Forgets jobs, requests, subscriptions and rate-limit state; restores configured behaviours and rate limit. */
  reset(): Promise<void>
  /** Waits until job `id` has `status` (default `"finished"`); fails with `WaitTimedOut`. */
  waitForJob(id: string, status?: WaitStatus, options?: WaitOptions): Promise<JobSnapshot>
  /** Waits until at least `count` requests (matching `filter`, if given) were received; returns them. */
  waitForRequests(
    count: number,
    options?: WaitOptions & { readonly filter?: ((request: RecordedRequest) => boolean) | undefined }
  ): Promise<ReadonlyArray<RecordedRequest>>
}

/**
 * {@link MockNodeControl} for Effect users: the same names, each method returning an `Effect` that fails with a
 * {@link MockNodeError.MockNodeError}.
 *
 * @since 0.2.0
 * @category models
 */
export type MockNodeControlEffect = {
  readonly [K in keyof MockNodeControl]: MockNodeControl[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Effect.Effect<R, MockNodeError.MockNodeError>
    : MockNodeControl[K]
}

/**
 * A delegated subscription the mock received, with the outcome of its signature check.
 *
 * @since 0.1.0
 * @category models
 */
export type RecordedSubscription = State.RecordedSubscription

/**
 * The outcome of a signature check: `verified`, `signer_mismatch`, `unknown_owner`, `invalid_signature` or
 * `not_checked`.
 *
 * @since 0.1.0
 * @category models
 */
export type SignatureCheck = Verify.SignatureCheck

/**
 * A stored job and the client it belongs to, as `GET /__mock/jobs` and `jobs` list them.
 *
 * @since 0.1.0
 * @category models
 */
export type JobSnapshot = Store.JobSnapshot

/**
 * How to start a mock node.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockNodeOptions {
  /** Port to listen on. Default 0: a free port, reported in `url` and `port`. */
  readonly port?: number | undefined
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string | undefined
  /**
   * `false` opens no port at all: the node answers only through its in-process {@link MockNodeService.fetch}, and
   * its `url` is `http://node-mock.invalid` (a name that never resolves, so a request sent over the network by
   * mistake fails at once). Default `true`.
   */
  readonly listen?: boolean | undefined
  /**
   * The configuration: an object in the `config.json` shape, or the path of a JSON file. Default
   * {@link MockConfig.defaultConfig}. A configuration replaces the default entirely; spread `defaultConfig` to
   * extend it.
   */
  readonly config?: MockConfig.Input | string | undefined
  /** Overrides `mock.seed`: the seed of latency ranges and failure rates. */
  readonly seed?: number | undefined
  /**
   * Overrides `mock.control_open`: `true` answers the `/__mock/` control API to every client, not only loopback ones
   * (the command's `--control-open`).
   */
  readonly controlOpen?: boolean | undefined
  /**
   * Overrides `mock.cors`: origins whose pages may call the node from a browser (`"*"`: any), as through a
   * CORS-adding proxy (the command's `--cors`). The real node sends no CORS headers; default none.
   */
  readonly cors?: string | ReadonlyArray<string> | undefined
  /**
   * The clock for latencies, stream delays, rate limiting, signature expiry and pending TTLs. Default: the clock of
   * the fiber that builds the node, so under `it.effect` the `TestClock` drives it. Pass `Clock.make()` for real
   * time regardless.
   */
  readonly clock?: Clock.Clock | undefined
  /**
   * Replays a cassette written by `infernet-node-mock record` (a file path, or {@link Cassette.ReplayOptions}):
   * recorded requests get their recorded answers; others a `501` (mode `strict`, the default) or the simulated
   * containers (mode `fallback`).
   */
  readonly replay?: string | Cassette.ReplayOptions | undefined
}

/**
 * The running node: its address, its configuration, its in-process `fetch`, and the control operations of
 * {@link MockNodeControl} as Effects.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockNodeService extends MockNodeControlEffect {
  /** Base URL, e.g. `http://127.0.0.1:41234`; `http://node-mock.invalid` with `listen: false`. */
  readonly url: string
  readonly host: string
  /** The port it listens on; `0` with `listen: false`. */
  readonly port: number
  /** The decoded configuration, defaults filled in. */
  readonly config: MockConfig.MockConfig
  /**
   * A WHATWG `fetch` answered in-process by the same handler as the port, with no socket: pass it to a client
   * (`createNodeClient({ baseUrl: node.url, fetch: node.fetch })`). Only the path and query of the URL are used;
   * requests come from `127.0.0.1`. It rejects once the node is closed.
   */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
  /** With `replay`: the recorded interactions no request has used yet (empty without a cassette). */
  readonly unusedRecordings: () => Effect.Effect<ReadonlyArray<Cassette.Interaction>>
}

/**
 * The running mock node, as a service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockNode } from "@infernet/node-mock"
 *
 * const program = Effect.gen(function* () {
 *   const node = yield* MockNode.MockNode
 *   const response = yield* Effect.promise(() => fetch(`${node.url}/health`))
 *   return yield* Effect.promise(() => response.json())
 * }).pipe(Effect.provide(MockNode.layer()))
 * ```
 * @since 0.1.0
 * @category services
 */
export class MockNode extends Context.Tag("@infernet/node-mock/MockNode")<MockNode, MockNodeService>() {}

const resolveConfig = (options: MockNodeOptions) =>
  Effect.gen(function* () {
    const source = options.config
    const config =
      source === undefined
        ? yield* MockConfig.decode(MockConfig.defaultConfig, "default config")
        : typeof source === "string"
          ? yield* MockConfig.load(source)
          : yield* MockConfig.decode(source)
    const cors =
      options.cors === undefined ? undefined : typeof options.cors === "string" ? [options.cors] : options.cors
    for (const [i, origin] of (cors ?? []).entries()) {
      const problem = originProblem(origin)
      if (problem !== undefined) {
        return yield* new MockNodeError.MockNodeError({
          reason: new MockNodeError.InvalidConfig({ source: "options", field: `cors[${i}]`, detail: problem })
        })
      }
    }
    return {
      ...config,
      mock: {
        ...config.mock,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.controlOpen === undefined ? {} : { control_open: options.controlOpen }),
        ...(cors === undefined ? {} : { cors: [...cors] })
      }
    }
  })

const nodeAddressOf = (config: MockConfig.MockConfig) => {
  const key = config.chain.wallet?.private_key
  if (key === undefined) return Effect.succeed("")
  return Effect.promise(async () => {
    const { privateKeyToAccount } = await import("viem/accounts")
    return privateKeyToAccount(Redacted.value(key) as `0x${string}`).address as string
  })
}

/**
 * Starts a mock node in the current scope; it stops (connections closed, running jobs interrupted) when the scope
 * closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockNode } from "@infernet/node-mock"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const node = yield* MockNode.make({ port: 0 })
 *     yield* Effect.log(`mock node at ${node.url}`)
 *   })
 * )
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: MockNodeOptions = {}
): Effect.Effect<MockNodeService, MockNodeError.MockNodeError, Scope.Scope> => {
  const program = Effect.gen(function* () {
    const config = yield* resolveConfig(options)
    const address = yield* nodeAddressOf(config)
    // Job chains run on fibers of their own, interrupted when the node stops.
    const runJob = yield* FiberSet.makeRuntime<never, void, never>()
    const state = makeState(config, address, (rest) => void runJob(rest), yield* Effect.clock)
    const replayer = options.replay === undefined ? undefined : yield* loadReplay(options.replay, state)
    const host = options.host ?? "127.0.0.1"
    const requestedPort = options.port ?? 0
    let closed = false
    yield* Effect.addFinalizer(() => Effect.sync(() => (closed = true)))
    const fetch = makeFetch(state, yield* Effect.runtime<never>(), () => closed)
    const { url: _origin, ...control } = toEffects(Control.makeControl(IN_PROCESS_ORIGIN, fetch))
    const unusedRecordings = () => Effect.sync(() => (replayer === undefined ? [] : unusedRecordingsOf(replayer)))
    if (options.listen === false) {
      return {
        url: IN_PROCESS_ORIGIN,
        host,
        port: 0,
        config,
        fetch,
        ...control,
        unusedRecordings
      } satisfies MockNodeService
    }
    const { port, url } = yield* listen(state, host, requestedPort)
    const service: MockNodeService = {
      url,
      host,
      port,
      config,
      fetch,
      ...control,
      unusedRecordings
    }
    return service
  })
  return options.clock === undefined ? program : Effect.withClock(program, options.clock)
}

const loadReplay = (replay: string | Cassette.ReplayOptions, state: State.NodeState) =>
  Effect.gen(function* () {
    const options: Cassette.ReplayOptions = typeof replay === "string" ? { cassette: replay } : replay
    const cassette =
      typeof options.cassette === "string"
        ? yield* Cassette.load(options.cassette)
        : yield* Cassette.decode(options.cassette, "replay.cassette")
    return attachReplay(state, cassette, options)
  })

const withoutUrl = ({ url: _url, ...control }: MockNodeControl) => control

/** Each Promise method of a control as an Effect failing with a `MockNodeError`. */
const toEffects = (control: MockNodeControl): MockNodeControlEffect => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(control)) {
    out[key] =
      typeof value === "function"
        ? (...args: ReadonlyArray<unknown>) =>
            Effect.tryPromise({
              try: () => (value as (...a: ReadonlyArray<unknown>) => Promise<unknown>)(...args),
              catch: (error) =>
                MockNodeError.isMockNodeError(error)
                  ? error
                  : new MockNodeError.MockNodeError({
                      reason: new MockNodeError.ControlFailed({ url: control.url, detail: String(error) })
                    })
            })
        : value
  }
  return out as MockNodeControlEffect
}

/**
 * A layer that starts a mock node and provides {@link MockNode}; the node stops when the layer is released.
 *
 * @example
 * ```ts
 * import { it, layer } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { MockNode } from "@infernet/node-mock"
 *
 * layer(MockNode.layer())((it) => {
 *   it.effect("answers /health", () =>
 *     Effect.gen(function* () {
 *       const { url } = yield* MockNode.MockNode
 *       const response = yield* Effect.promise(() => fetch(`${url}/health`))
 *       // ...
 *     })
 *   )
 * })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: MockNodeOptions): Layer.Layer<MockNode, MockNodeError.MockNodeError> =>
  Layer.scoped(MockNode, make(options))

/**
 * A mock node started with {@link start}: its address, its in-process `fetch`, `close()`, and the control
 * operations of {@link MockNodeControl} as Promises.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningMockNode extends MockNodeControl {
  /** `0` with `listen: false`. */
  readonly port: number
  readonly config: MockConfig.MockConfig
  /** A `fetch` answered in-process by the node, with no socket (see {@link MockNodeService.fetch}). */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
  /** Stops the node: closes connections and interrupts running jobs. Safe to call twice. */
  close(): Promise<void>
  /** With `replay`: the recorded interactions no request has used yet, e.g. to check at the end of a test run. */
  unusedRecordings(): Promise<ReadonlyArray<Cassette.Interaction>>
}

/**
 * Starts a mock node for code outside Effect. Rejects with a {@link MockNodeError.MockNodeError} (an `Error`) when
 * the configuration is invalid or the port is taken.
 *
 * @example
 * ```ts
 * import { startMockNode } from "@infernet/node-mock"
 *
 * const node = await startMockNode()
 * const response = await fetch(`${node.url}/api/jobs`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ containers: ["hello-world"], data: { name: "Ritual" } })
 * })
 * console.log(await response.json()) // { id: "..." }
 * await node.close()
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const start = async (options?: MockNodeOptions): Promise<RunningMockNode> => {
  const runtime = ManagedRuntime.make(layer(options))
  const run = async <A, E>(effect: Effect.Effect<A, E, MockNode>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  }
  let node: MockNodeService
  try {
    node = await run(MockNode)
  } catch (error) {
    await runtime.dispose()
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    ...withoutUrl(Control.makeControl(IN_PROCESS_ORIGIN, node.fetch)),
    url: node.url,
    port: node.port,
    config: node.config,
    fetch: node.fetch,
    close: () => {
      closing ??= runtime.dispose()
      return closing
    },
    unusedRecordings: () => run(node.unusedRecordings())
  }
}

/**
 * Options of {@link connect} and `connectMockNode`.
 *
 * @since 0.2.0
 * @category models
 */
export interface ConnectOptions {
  /** The `fetch` to reach the node with; default `globalThis.fetch`. */
  readonly fetch?: ((input: string, init?: RequestInit) => Promise<Response>) | undefined
}

/**
 * The control surface of a mock node started elsewhere (the command, a Vitest global setup, another process), over
 * its `/__mock/` API, as Promises. Checks the node answers first: rejects with `ControlFailed` when it cannot be
 * reached or its control API refuses this client (`--control-open` opens it to non-loopback clients).
 *
 * @example
 * ```ts
 * import { connectMockNode, startMockNode } from "@infernet/node-mock"
 *
 * const node = await startMockNode() // or the URL of `npx infernet-node-mock`, or inject("infernetNodeUrl")
 * const control = await connectMockNode(node.url)
 * await control.setBehavior("hello-world", { type: "static", output: { ok: true } })
 * await control.setRateLimit({ limit: 2, period_seconds: 60 })
 * const [request] = await control.waitForRequests(0)
 * await node.close()
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const connectPromise = async (url: string, options: ConnectOptions = {}): Promise<MockNodeControl> => {
  const fetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init))
  const control = Control.makeControl(url, fetch)
  await control.containers()
  return control
}

/**
 * {@link connectPromise} for Effect users: the same control surface, each method an `Effect`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockNode } from "@infernet/node-mock"
 *
 * const program = Effect.gen(function* () {
 *   const node = yield* MockNode.connect("http://127.0.0.1:4000")
 *   yield* node.setBehavior("hello-world", { type: "fail", failure: "timeout" })
 *   return yield* node.jobs()
 * })
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const connect = (
  url: string,
  options: ConnectOptions = {}
): Effect.Effect<MockNodeControlEffect, MockNodeError.MockNodeError> =>
  Effect.tryPromise({
    try: () => connectPromise(url, options),
    catch: (error) =>
      MockNodeError.isMockNodeError(error)
        ? error
        : new MockNodeError.MockNodeError({ reason: new MockNodeError.ControlFailed({ url, detail: String(error) }) })
  }).pipe(Effect.map(toEffects))
