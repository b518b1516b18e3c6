/**
 * The Promise API of `RouterClient` and `NodePool` (`createRouterClient`, `createNodePool`), re-exported by
 * `promise.ts`: one `ManagedRuntime` per client over the Effect implementation, an `AbortSignal` on every call.
 */
import type { Job, NodeInfo, Router } from "@infernet/types"
import { Effect, Layer, ManagedRuntime, Scope } from "effect"
import type * as NodeClient from "../NodeClient.js"
import type { NodeClientError } from "../NodeClientError.js"
import * as NodePool from "../NodePool.js"
import * as RouterClient from "../RouterClient.js"
import {
  asyncDispose,
  type GetJobResultSync,
  type HttpOptions,
  httpLayer,
  jobStream,
  lifecycle,
  makeStreams,
  runner,
  type Signal,
  type StreamResult,
  withoutSignal
} from "./promiseRuntime.js"

export type { HttpOptions, Signal }

const split = <O extends Signal>(options: O | undefined): [Omit<O, "signal"> | undefined, AbortSignal | undefined] => [
  withoutSignal(options),
  options?.signal
]

// -------------------------------------------------------------------------------------------------------------------
// RouterClient

export interface CreateRouterClientOptions extends Omit<RouterClient.Options, "transformClient">, HttpOptions {}

export interface PromiseRouterClient {
  /** The router's URL. */
  readonly url: string
  /** `GET /api/v1/containers`. */
  readonly containers: (options?: NodeClient.CallOptions & Signal) => Promise<Router.Containers>
  /** `GET /api/v1/ips`: URLs of nodes running all the containers, least busy first. */
  readonly findNodes: (
    containers: ReadonlyArray<string>,
    options?: RouterClient.FindNodesOptions & Signal
  ) => Promise<ReadonlyArray<string>>
  /** Like `findNodes`, with the router's raw `host:port` addresses. */
  readonly findAddresses: (
    containers: ReadonlyArray<string>,
    options?: RouterClient.FindNodesOptions & Signal
  ) => Promise<Router.Addresses>
  /** `GET /api/v1/resources`; rejects with a `NotSupported` reason where the router has none. */
  readonly resources: (options?: NodeClient.CallOptions & Signal) => Promise<Router.Resources>
  /** `GET /api/v1/resources?model_id=`; `NotSupported` as above. */
  readonly checkModelSupport: (
    modelId: string,
    options?: NodeClient.CallOptions & Signal
  ) => Promise<Router.ModelSupport>
  readonly close: () => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

export const createRouterClient = (options: CreateRouterClientOptions = {}): PromiseRouterClient => {
  const { fetch, requestInit, httpClient, ...routerOptions } = options
  const url = RouterClient.normalizeUrl(routerOptions.url ?? RouterClient.DEFAULT_URL)
  if (url._tag === "Left") throw new TypeError(`createRouterClient: ${url.left}`)
  const http = httpLayer("createRouterClient", { fetch, requestInit, httpClient })
  const runtime = ManagedRuntime.make(
    Layer.merge(RouterClient.layer(routerOptions).pipe(Layer.provide(http)), Layer.setTracerEnabled(false))
  )
  const { isClosed, close } = lifecycle(runtime)
  const run = runner("createRouterClient", runtime, isClosed)
  const call = <A, O extends Signal>(
    options: O | undefined,
    f: (router: RouterClient.Service, rest: Omit<O, "signal"> | undefined) => Effect.Effect<A, NodeClientError>
  ) => {
    const [rest, signal] = split(options)
    return run(
      Effect.flatMap(RouterClient.RouterClient, (router) => f(router, rest)),
      signal
    )
  }
  const client: PromiseRouterClient = {
    url: url.right,
    containers: (o) => call(o, (r, rest) => r.containers(rest)),
    findNodes: (containers, o) => call(o, (r, rest) => r.findNodes(containers, rest)),
    findAddresses: (containers, o) => call(o, (r, rest) => r.findAddresses(containers, rest)),
    resources: (o) => call(o, (r, rest) => r.resources(rest)),
    checkModelSupport: (modelId, o) => call(o, (r, rest) => r.checkModelSupport(modelId, rest)),
    close,
    [asyncDispose]: () => client.close()
  }
  return client
}

// -------------------------------------------------------------------------------------------------------------------
// NodePool

export interface CreateNodePoolOptions extends NodePool.Options, HttpOptions {}

/** A streaming job of a pool: iterate it (or `text`) for text, `chunks` for bytes; the body can be read once. */
export interface PoolJobStream extends AsyncIterable<string> {
  readonly id: string
  /** The URL of the node that took the job. */
  readonly node: string
  readonly chunks: AsyncIterable<Uint8Array>
  readonly text: AsyncIterable<string>
  /** The stored result once the stream has ended, typed by an `output` schema when given. */
  readonly result: StreamResult<NodeClient.GetJobResultSyncOptions & Signal>
  readonly cancel: () => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

export interface PromiseNodePool {
  readonly requestJob: (request: NodeClient.JobRequestInput, options?: NodePool.CallOptions & Signal) => Promise<string>
  /** Like `requestJob`, and says which node took the job. */
  readonly submitJob: (
    request: NodeClient.JobRequestInput,
    options?: NodePool.CallOptions & Signal
  ) => Promise<{ readonly id: string; readonly node: string }>
  readonly requestJobs: (
    requests: ReadonlyArray<NodeClient.JobRequestInput>,
    options?: NodePool.CallOptions & Signal
  ) => Promise<ReadonlyArray<Job.BatchResponseItem>>
  readonly requestJobsPaired: <Request extends NodeClient.JobRequestInput>(
    requests: ReadonlyArray<Request>,
    options?: NodePool.CallOptions & Signal
  ) => Promise<NodeClient.PairedBatch<Request>>
  readonly getJobResults: (
    ids: Iterable<string>,
    options?: NodeClient.GetJobResultsOptions & Signal
  ) => Promise<ReadonlyArray<Job.JobResult>>
  /** Polls the job on its node until it finishes; the output typed by an `output` schema when given. */
  readonly getJobResultSync: GetJobResultSync<NodeClient.GetJobResultSyncOptions & Signal>
  readonly requestStream: (
    request: NodeClient.JobRequestInput,
    options?: NodePool.CallOptions & Signal
  ) => Promise<PoolJobStream>
  readonly getJobs: (options?: NodeClient.GetJobsOptions & Signal) => Promise<ReadonlyArray<string>>
  readonly recordStatus: (
    id: string,
    status: NodeClient.RecordableStatus,
    request: NodeClient.JobRequestInput,
    options?: NodeClient.CallOptions & Signal
  ) => Promise<void>
  /** `true` when at least one node takes jobs. */
  readonly health: () => Promise<boolean>
  /** The URL of the node holding a job, when the pool knows it. */
  readonly nodeOf: (id: string) => Promise<string | undefined>
  readonly snapshot: () => Promise<NodePool.Snapshot>
  readonly refresh: () => Promise<void>
  /** `GET /info` of one node of the pool. */
  readonly info: (node: string, options?: NodeClient.CallOptions & Signal) => Promise<NodeInfo.NodeInfo>
  /** Stops the pool's background work, closes open streams and releases its resources. */
  readonly close: () => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

export const createNodePool = async (options: CreateNodePoolOptions): Promise<PromiseNodePool> => {
  const { fetch, requestInit, httpClient, ...poolOptions } = options
  const http = httpLayer("createNodePool", { fetch, requestInit, httpClient })
  const runtime = ManagedRuntime.make(
    Layer.merge(NodePool.layer(poolOptions).pipe(Layer.provide(http)), Layer.setTracerEnabled(false))
  )
  const streams = makeStreams(runtime)
  const { isClosed, close } = lifecycle(runtime, streams)
  const run = runner("createNodePool", runtime, isClosed)
  const pool = await runtime.runPromise(NodePool.NodePool).catch(async (error) => {
    await runtime.dispose()
    throw error
  })
  const call = <A, O extends Signal>(
    options: O | undefined,
    f: (rest: Omit<O, "signal"> | undefined) => Effect.Effect<A, NodeClientError>
  ) => {
    const [rest, signal] = split(options)
    return run(f(rest), signal)
  }

  const client: PromiseNodePool = {
    requestJob: (request, o) => call(o, (rest) => pool.requestJob(request, rest)),
    submitJob: (request, o) => call(o, (rest) => pool.submitJob(request, rest)),
    requestJobs: (requests, o) => call(o, (rest) => pool.requestJobs(requests, rest)),
    requestJobsPaired: (requests, o) => call(o, (rest) => pool.requestJobsPaired(requests, rest)),
    getJobResults: (ids, o) => call(o, (rest) => pool.getJobResults(ids, rest)),
    getJobResultSync: ((id: string, o?: NodeClient.GetJobResultSyncOptions & Signal) =>
      call(o, (rest) => pool.getJobResultSync(id, rest))) as PromiseNodePool["getJobResultSync"],
    getJobs: (o) => call(o, (rest) => pool.getJobs(rest)),
    recordStatus: (id, status, request, o) => call(o, (rest) => pool.recordStatus(id, status, request, rest)),
    health: () => run(pool.health, undefined),
    nodeOf: (id) => run(pool.nodeOf(id), undefined),
    snapshot: () => run(pool.snapshot, undefined),
    refresh: () => run(pool.refresh, undefined),
    info: (node, o) => {
      const nodeClient = pool.client(node)
      if (nodeClient === undefined)
        return Promise.reject(new TypeError(`createNodePool: ${node} is not a node of the pool`))
      return call(o, (rest) => nodeClient.info(rest))
    },
    requestStream: async (request, o) => {
      const { opened, views } = await streams.open(
        (scope) => call(o, (rest) => Scope.extend(pool.requestStream(request, rest), scope)),
        o?.signal
      )
      const stream = jobStream(opened.id as string, views, ((
        resultOptions?: NodeClient.GetJobResultSyncOptions & Signal
      ) => call(resultOptions, (rest) => pool.getJobResultSync(opened.id, rest))) as PoolJobStream["result"])
      return { ...stream, node: opened.node }
    },
    close,
    [asyncDispose]: () => client.close()
  }
  return client
}
