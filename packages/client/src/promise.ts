/**
 * The Promise API of `@infernet/client`, for code that does not use Effect: `createNodeClient(options)` gives the same
 * methods as the Effect `NodeClient`, returning Promises, with an `AbortSignal` on every call.
 *
 * It runs on `fetch` (Node 20+, Bun, Deno, browsers) through a lean transport of its own (one `fetch` and one
 * `AbortController` per attempt; streams use `FetchHttpClient` from `@effect/platform`), or on the `HttpClient` layer
 * given as `httpClient` (in Node, `NodeHttpClient.layerUndici` costs the least CPU), with one `ManagedRuntime` per
 * client. On `fetch`, a JSON call is a plain Promise built from the same request description, schema and error
 * mapping as the Effect method (retries after a failed first attempt, polling and streams run the Effect
 * implementation); on another `HttpClient`, every method runs the Effect implementation. Failures reject with this
 * module's `NodeClientError` (`err instanceof NodeClientError`, `err.reason._tag`), the Effect API's error in plain
 * JavaScript values: durations in milliseconds (`retryAfterMs`, `timeoutMs`, `elapsedMs`), `undefined` for absent
 * values, ids as strings, and a `JSON.stringify` that shows the method, message, URL, status and request id. An
 * aborted call rejects with the signal's `reason` (an `AbortError` `DOMException` unless you gave another).
 *
 * @example
 * ```ts
 * import { createNodeClient, NodeClientError } from "@infernet/client/promise"
 *
 * await using client = createNodeClient({ baseUrl: "http://localhost:4000" })
 * try {
 *   const id = await client.requestJob({ containers: ["openai-inference-0.0.1"], data: { prompt: "hi" } })
 *   console.log(await client.getJobResultSync(id, { retries: 20 }))
 * } catch (err) {
 *   if (err instanceof NodeClientError && err.reason._tag === "ApiError") console.error(err.reason.error)
 *   else throw err
 * }
 * ```
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import type { DelegatedSubscription, Job, NodeInfo } from "@infernet/types"
import { type Effect, Layer, ManagedRuntime, Scope } from "effect"
import * as Http from "./internal/http.js"
import * as NodeCalls from "./internal/nodeCalls.js"
import * as PlainError from "./internal/plainError.js"
import { NodeClientError } from "./internal/plainError.js"
import * as PromiseRuntime from "./internal/promiseRuntime.js"
import { asyncDispose, withoutSignal } from "./internal/promiseRuntime.js"
import * as NodeClient from "./NodeClient.js"
import type * as Errors from "./NodeClientError.js"

/**
 * The error every method rejects with: `method` and a tagged `reason`, in plain JavaScript values (durations as
 * millisecond numbers such as `retryAfterMs`, `undefined` for absent values, ids as strings); `url`, `status` and
 * `requestId` repeat the reason's. `JSON.stringify(err)` shows all of them.
 *
 * @example
 * ```ts
 * import { createNodeClient, NodeClientError } from "@infernet/client/promise"
 *
 * const client = createNodeClient({ baseUrl: "http://localhost:4000" })
 * try {
 *   await client.info()
 * } catch (err) {
 *   if (err instanceof NodeClientError && err.reason._tag === "RateLimited") console.log(err.reason.retryAfterMs)
 *   console.log(JSON.stringify(err)) // {"_tag":"NodeClientError","method":"info","message":...,"url":...,"requestId":...}
 * }
 * ```
 * @since 0.1.0
 * @category errors
 */
export { NodeClientError }

/**
 * Every reason a Promise API error can carry, in plain values (the Effect API's `NodeClientError.Reason`, durations
 * in milliseconds); narrow it on `_tag`.
 *
 * @since 0.2.0
 * @category errors
 */
export type NodeClientErrorReason = PlainError.PlainReason

/**
 * One reason of {@link NodeClientErrorReason} by its tag, e.g. `ReasonOf<"RateLimited">`.
 *
 * @since 0.2.0
 * @category errors
 */
export type ReasonOf<Tag extends NodeClientErrorReason["_tag"]> = Extract<NodeClientErrorReason, { readonly _tag: Tag }>

/**
 * Narrows a caught value to a {@link NodeClientError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isNodeClientError = (u: unknown): u is NodeClientError => u instanceof NodeClientError

/**
 * Whether a failure is transient (transport error, 429, 502/503/504), i.e. worth trying again later.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTransient: (error: NodeClientError) => boolean = PlainError.isTransient

/**
 * The Promise API's error for an Effect API `NodeClientError` (same method, message and reason, in plain values), for
 * code that mixes both APIs.
 *
 * @since 0.2.0
 * @category errors
 */
export const fromEffectError: (error: Errors.NodeClientError) => NodeClientError = PlainError.fromEffect

export type {
  /**
   * A finished job with `status: "success"` and its output, typed by an `output` schema when given.
   *
   * @since 0.2.0
   * @category models
   */
  JobSuccess,
  /**
   * What `onRequest` sees of each attempt.
   *
   * @since 0.2.0
   * @category models
   */
  RequestEvent,
  /**
   * What `onResponse` sees of each attempt.
   *
   * @since 0.2.0
   * @category models
   */
  ResponseEvent,
  /**
   * The Standard Schema v1 interface an `output` schema implements.
   *
   * @since 0.2.0
   * @category models
   */
  StandardSchemaV1
} from "./NodeClient.js"

/**
 * A job request: `containers` (plain strings) and `data` (a JSON object), optionally `requires_proof`.
 *
 * @since 0.1.0
 * @category models
 */
export type JobRequestInput = NodeClient.JobRequestInput

/**
 * The answer of `requestJobsPaired`.
 *
 * @since 0.1.0
 * @category models
 */
export type PairedBatch<Request> = NodeClient.PairedBatch<Request>

/**
 * Options of {@link createNodeClient}: those of `NodeClient.make`, plus the `fetch` to use (or another HTTP client).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateNodeClientOptions extends Omit<NodeClient.Options, "transformClient"> {
  /** The `fetch` implementation; default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /**
   * Extra `RequestInit` for every request, e.g. `{ dispatcher: new Agent({ connections: 16 }) }` with undici, or
   * `{ credentials: "include" }` in a browser.
   */
  readonly requestInit?: RequestInit | undefined
  /**
   * Another HTTP client instead of `fetch`, as an Effect `Layer`: e.g. `NodeHttpClient.layerUndici` from
   * `@effect/platform-node`, which in Node costs less CPU per request than `fetch`. Not together with `fetch` or
   * `requestInit`.
   */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
}

/**
 * Options every call accepts: those of the Effect API, plus an `AbortSignal`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions extends NodeClient.CallOptions {
  /** Cancels the call (and closes its connection); the Promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Options of `requestStream`: those of every call, plus `idleTimeout` (the longest silence between two chunks).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestStreamOptions extends NodeClient.RequestStreamOptions, CallOptions {}

/**
 * Options of `getJobResults`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GetJobResultsOptions extends NodeClient.GetJobResultsOptions, CallOptions {}

/**
 * Options of `getJobResultSync` (`retries`, `schedule`, `notFoundGrace`, `intermediate`).
 *
 * @since 0.1.0
 * @category models
 */
export interface GetJobResultSyncOptions extends NodeClient.GetJobResultSyncOptions, CallOptions {}

/**
 * Options of `getJobs`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GetJobsOptions extends NodeClient.GetJobsOptions, CallOptions {}

/**
 * A streaming job. Iterate it (or `text`) for the output as text, or `chunks` for raw bytes; the body can be read
 * once. Breaking out of the loop, `cancel()` or `await using` closes the connection.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobStream extends AsyncIterable<string> {
  /** The job id, read from the body's first line. */
  readonly id: string
  /** The container's raw output, as it arrives. */
  readonly chunks: AsyncIterable<Uint8Array>
  /** The output decoded as UTF-8 (characters split across chunks are reassembled). */
  readonly text: AsyncIterable<string>
  /**
   * The stored result of the job once the stream has ended; tells whether a stream cut short really succeeded. With
   * an `output` schema, the output is validated and typed.
   */
  readonly result: StreamResult
  /** Closes the connection; the output not read yet is dropped. */
  readonly cancel: () => Promise<void>
  /** Same as `cancel`. */
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

/**
 * `getJobResultSync` of a Promise client: with an `output` schema (any Standard Schema v1), the output is validated
 * and typed from it.
 *
 * @since 0.2.0
 * @category models
 */
export interface GetJobResultSync extends PromiseRuntime.GetJobResultSync<GetJobResultSyncOptions> {}

/**
 * A Promise stream's `result`, typed by an `output` schema when given.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamResult extends PromiseRuntime.StreamResult<GetJobResultSyncOptions> {}

/**
 * The Promise client. Every method rejects with a {@link NodeClientError} (or the signal's reason when aborted).
 *
 * @since 0.1.0
 * @category models
 */
export interface PromiseNodeClient {
  /** `GET /health`: `true` when the node says `{"status": "healthy"}`. */
  readonly health: (options?: CallOptions) => Promise<boolean>
  /** `GET /info`. */
  readonly info: (options?: CallOptions) => Promise<NodeInfo.NodeInfo>
  /** `GET /resources`. */
  readonly resources: (options?: CallOptions) => Promise<NodeInfo.Resources>
  /** `GET /resources?model_id=`. */
  readonly checkModelSupport: (modelId: string, options?: CallOptions) => Promise<NodeInfo.ModelSupportMap>
  /** `POST /api/jobs`: the new job's id. */
  readonly requestJob: (request: NodeClient.JobRequestInput, options?: CallOptions) => Promise<string>
  /** `POST /api/jobs/batch`: one answer per request, in order. */
  readonly requestJobs: (
    requests: ReadonlyArray<NodeClient.JobRequestInput>,
    options?: CallOptions
  ) => Promise<ReadonlyArray<Job.BatchResponseItem>>
  /** Like `requestJobs`, with accepted and rejected requests paired with their answers. */
  readonly requestJobsPaired: <Request extends NodeClient.JobRequestInput>(
    requests: ReadonlyArray<Request>,
    options?: CallOptions
  ) => Promise<NodeClient.PairedBatch<Request>>
  /** `GET /api/jobs?id=..`, split into several requests for long lists. */
  readonly getJobResults: (
    ids: Iterable<string>,
    options?: GetJobResultsOptions
  ) => Promise<ReadonlyArray<Job.JobResult>>
  /**
   * Polls a job until it finishes: resolves to the success (`result.result.output` typed by the `output` schema, when
   * given); rejects with `JobFailed`, `JobNotFound`, `StillRunning` or `OutputMismatch`.
   */
  readonly getJobResultSync: GetJobResultSync
  /** `POST /api/jobs/stream`: the job id and its streamed output. */
  readonly requestStream: (request: NodeClient.JobRequestInput, options?: RequestStreamOptions) => Promise<JobStream>
  /** `GET /api/jobs`: this client's job ids. */
  readonly getJobs: (options?: GetJobsOptions) => Promise<ReadonlyArray<string>>
  /** `PUT /api/status`: records a job's status by hand. */
  readonly recordStatus: (
    id: string,
    status: NodeClient.RecordableStatus,
    request: NodeClient.JobRequestInput,
    options?: CallOptions
  ) => Promise<void>
  /**
   * Sends an already signed delegated subscription; resolves to the id a node before 1.0 answers. To sign and send
   * in one call, use `requestDelegatedSubscription(client, params)` from `@infernet/client/subscriptions`.
   */
  readonly sendDelegatedSubscription: (
    request: DelegatedSubscription.DelegatedSubscriptionRequest,
    options?: CallOptions
  ) => Promise<string | undefined>
  /** Closes open streams and releases the client's resources. Calls made afterwards reject. */
  readonly close: () => Promise<void>
  /** Same as `close`, for `await using`. */
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

/**
 * Creates a Promise client for one node. One connection pool (that of `fetch`) serves every call; `close()` it when
 * done (or `await using`). Throws a `TypeError` when `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createNodeClient } from "@infernet/client/promise"
 *
 * const client = createNodeClient({ baseUrl: "http://localhost:4000", timeout: "10 seconds" })
 * const info = await client.info({ signal: AbortSignal.timeout(5_000) })
 * console.log(info.version, info.containers.map((c) => c.id))
 * await client.close()
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const createNodeClient = (options: CreateNodeClientOptions): PromiseNodeClient => {
  const { fetch, requestInit, httpClient, ...clientOptions } = options
  // A bad URL is a programming error: report it here, not as a defect on every call.
  const baseUrl = NodeClient.normalizeBaseUrl(options.baseUrl)
  if (baseUrl._tag === "Left") throw new TypeError(`createNodeClient: ${baseUrl.left}`)
  // On fetch, JSON calls take the lean transport (one fetch per attempt, nothing around it) and streams
  // FetchHttpClient, on the same fetch and RequestInit: `NodeClient.layerFetch`. `httpLayer` rejects an httpClient
  // given together with fetch or requestInit.
  const nodeClient =
    httpClient === undefined
      ? NodeClient.layerFetch({ ...clientOptions, fetch, requestInit })
      : NodeClient.layer(clientOptions).pipe(
          Layer.provide(PromiseRuntime.httpLayer("createNodeClient", { fetch, requestInit, httpClient }))
        )
  // No tracer can be installed in this runtime, so spans would only cost time: the runtime is built with the tracer
  // disabled once, instead of turning it off around every call.
  const runtime = ManagedRuntime.make(Layer.merge(nodeClient, Layer.setTracerEnabled(false)))
  const streams = PromiseRuntime.makeStreams(runtime)
  const { isClosed, close } = PromiseRuntime.lifecycle(runtime, streams)
  let service: NodeClient.Service | undefined

  // Checks (closed, aborted) come first in `serviceOf`; retries after a first attempt run here as they are.
  const runEffect: Http.EffectRunner = PromiseRuntime.runIn(runtime)

  const serviceOf = async (signal: AbortSignal | undefined): Promise<NodeClient.Service> => {
    if (isClosed()) throw new Error("createNodeClient: the client is closed")
    if (signal?.aborted) throw PromiseRuntime.abortReason(signal)
    // The service is looked up once; each call then runs alone.
    service ??= await runtime.runPromise(NodeClient.NodeClient)
    return service
  }

  const run = async <A>(
    f: (client: NodeClient.Service) => Effect.Effect<A, Errors.NodeClientError>,
    signal: AbortSignal | undefined
  ): Promise<A> => runEffect(f(await serviceOf(signal)), signal)

  // A JSON call runs from its `Spec`, the description the Effect method runs too: on fetch as a plain Promise (only
  // retries after a failed first attempt run as an Effect), on another HttpClient as the Effect. `spec` may instead
  // hand the call to an Effect method.
  const call = <A>(
    spec: (
      calls: NodeCalls.Calls
    ) => Http.Spec<A, any> | ((client: NodeClient.Service) => Effect.Effect<A, Errors.NodeClientError>),
    signal: AbortSignal | undefined
  ): Promise<A> => {
    // Once the service is known (every call after the first), nothing here waits before the request is sent.
    if (service === undefined || isClosed() || signal?.aborted) return serviceOf(signal).then(() => call(spec, signal))
    try {
      const { settings, calls } = NodeCalls.internalsOf(service)!
      const made = spec(calls)
      if (typeof made === "function") return runEffect(made(service), signal)
      return Http.runPromise(settings, made, signal, runEffect, PlainError.fromEffect)
    } catch (error) {
      // A bad argument (e.g. no `containers`) rejects, as every failure of a Promise method does.
      return Promise.reject(error)
    }
  }

  const client: PromiseNodeClient = {
    health: (o) => call((c) => c.health(withoutSignal(o)), o?.signal),
    info: (o) => call((c) => c.info(withoutSignal(o)), o?.signal),
    resources: (o) => call((c) => c.resources(withoutSignal(o)), o?.signal),
    checkModelSupport: (modelId, o) => call((c) => c.checkModelSupport(modelId, withoutSignal(o)), o?.signal),
    requestJob: (request, o) => call((c) => c.requestJob(request, withoutSignal(o)), o?.signal),
    requestJobs: (requests, o) => call((c) => c.requestJobs(requests, withoutSignal(o)), o?.signal),
    requestJobsPaired: (requests, o) => call((c) => c.requestJobsPaired(requests, withoutSignal(o)), o?.signal),
    getJobResults: (ids, o) => {
      const list = Array.from(ids)
      const options = withoutSignal(o)
      return call((c) => {
        // One request (the common case) runs from its Spec; no ids, or ids that need several requests (a long list),
        // take the Effect method, which runs them `concurrency` at a time.
        const groups = list.length === 0 ? [] : c.getJobResults("getJobResults", list, options)
        return groups.length === 1 ? groups[0]! : (node) => node.getJobResults(list, options)
      }, o?.signal)
    },
    getJobResultSync: ((id: string, o?: GetJobResultSyncOptions) =>
      run((c) => c.getJobResultSync(id, withoutSignal(o)), o?.signal)) as GetJobResultSync,
    getJobs: (o) => call((c) => c.getJobs(withoutSignal(o)), o?.signal),
    recordStatus: (id, status, request, o) =>
      call((c) => c.recordStatus(id, status, request, withoutSignal(o)), o?.signal),
    sendDelegatedSubscription: (request, o) =>
      run((c) => c.sendDelegatedSubscription(request, withoutSignal(o)), o?.signal),
    requestStream: async (request, o) => {
      if (isClosed()) throw new Error("createNodeClient: the client is closed")
      const { opened, views } = await streams.open(
        (scope) => run((c) => Scope.extend(c.requestStream(request, withoutSignal(o)), scope), o?.signal),
        o?.signal
      )
      return PromiseRuntime.jobStream(opened.id as string, views, ((resultOptions?: GetJobResultSyncOptions) =>
        run((c) => c.getJobResultSync(opened.id, withoutSignal(resultOptions)), resultOptions?.signal)) as StreamResult)
    },
    close,
    [asyncDispose]: () => client.close()
  }
  return client
}

export {
  /**
   * Options of `createRouterClient`: those of `RouterClient.make`, plus `fetch` / `requestInit` / `httpClient`.
   *
   * @since 0.1.0
   * @category models
   */
  type CreateRouterClientOptions,
  /**
   * Options of `createNodePool`: those of `NodePool.make`, plus `fetch` / `requestInit` / `httpClient`.
   *
   * @since 0.1.0
   * @category models
   */
  type CreateNodePoolOptions,
  /**
   * The Promise router client.
   *
   * @since 0.1.0
   * @category models
   */
  type PromiseRouterClient,
  /**
   * The Promise node pool.
   *
   * @since 0.1.0
   * @category models
   */
  type PromiseNodePool,
  /**
   * A streaming job of a pool, with the node that took it.
   *
   * @since 0.1.0
   * @category models
   */
  type PoolJobStream,
  /**
   * Creates a Promise client for an Infernet Router (default `http://infernet-router.ritual.net`).
   *
   * @example
   * ```ts
   * import { createRouterClient } from "@infernet/client/promise"
   *
   * await using router = createRouterClient({ url: "http://localhost:4100" })
   * console.log(await router.containers())
   * console.log(await router.findNodes(["hello-world"], { n: 3 }))
   * ```
   * @since 0.1.0
   * @category constructors
   */
  createRouterClient,
  /**
   * Creates a Promise `NodePool` over node URLs and/or a router; resolves once every node has been probed.
   *
   * @example
   * ```ts
   * import { createNodePool } from "@infernet/client/promise"
   *
   * await using pool = await createNodePool({ router: { url: "http://localhost:4100", containers: ["hello-world"] } })
   * const { id, node } = await pool.submitJob({ containers: ["hello-world"], data: { name: "Ritual" } })
   * console.log(node, await pool.getJobResultSync(id))
   * ```
   * @since 0.1.0
   * @category constructors
   */
  createNodePool
} from "./internal/promiseNetwork.js"
