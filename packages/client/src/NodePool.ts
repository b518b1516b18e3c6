/**
 * One client over many Infernet nodes: the `NodeClient` job methods over a set of nodes given as URLs, or discovered
 * through an Infernet Router (`RouterClient`) and refreshed on a schedule.
 *
 * - Routing: a job goes to a healthy node that runs **all** its containers (from each node's `/info`), least loaded
 *   first (its pending jobs plus this pool's requests in flight to it), so a burst spreads over the nodes.
 * - Job ids stay tied to the node that created them: results, sync waits and status go there; `getJobResults` over
 *   ids of several nodes asks each node once and answers in input order; `getJobs` merges every node's ids.
 * - Failover: a job moves to the next node only when it surely was not created (connection refused, 429, 503, the
 *   node not running the container); never after a timeout or a connection cut mid-request, unless the call says
 *   `failover: "always"`. Streams likewise, before the id line.
 * - Health: a failing node is cooled down (`Retry-After` respected) and probed again with backoff; after `dropAfter`
 *   failures in a row it is dropped from routing until a probe succeeds. Calls for jobs on a node that is down fail
 *   with a `NodeUnavailable` reason naming the node: nothing is lost silently, nothing runs twice.
 * - Observability: `snapshot` of every node, and a `NodePool.node` span (attribute `infernet.node.url`) around every
 *   request to a node when a tracer is installed.
 *
 * @example
 * ```ts
 * import { NodePool } from "@infernet/client"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const pool = yield* NodePool.NodePool
 *   const id = yield* pool.requestJob({ containers: ["hello-world"], data: { name: "Ritual" } })
 *   return yield* pool.getJobResultSync(id) // asked of the node that took the job
 * })
 *
 * program.pipe(
 *   Effect.provide(NodePool.layer({ nodes: ["http://10.0.0.7:4000", "http://10.0.0.8:4000"] })),
 *   Effect.provide(NodeHttpClient.layerUndici),
 *   Effect.scoped,
 *   Effect.runPromise
 * )
 * ```
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import type { Job, Primitives } from "@infernet/types"
import { Clock, Context, Duration, Effect, Either, Layer, type Scope } from "effect"
import * as Pool from "./internal/poolNodes.js"
import * as Runtime from "./internal/runtime.js"
import * as NodeClient from "./NodeClient.js"
import { JobNotFound, NoNodeAvailable, NodeClientError, NodeUnavailable } from "./NodeClientError.js"
import * as RouterClient from "./RouterClient.js"

/**
 * When a job may move to another node after a failure: `"safe"` (default) only when it surely was not created;
 * `"always"` also after a timeout or a connection cut mid-request (the job may then run twice); `"never"`.
 *
 * @since 0.1.0
 * @category models
 */
export type Failover = "safe" | "always" | "never"

/**
 * Discovery through an Infernet Router.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouterDiscovery extends RouterClient.Options {
  /** A router client to use instead of making one from these options. */
  readonly client?: RouterClient.Service | undefined
  /**
   * The containers your jobs use: nodes running all of them are asked for (one `/api/v1/ips` request per refresh).
   * Without it, every container the router lists is asked for in turn (one request each).
   */
  readonly containers?: ReadonlyArray<string> | undefined
  /** How many nodes to ask the router for. Default 100. */
  readonly n?: number | undefined
  /** How often the router is asked again. Default 30 seconds (the router's own refresh interval). */
  readonly refreshInterval?: Duration.DurationInput | undefined
}

/**
 * Options of {@link make}. Give `nodes`, `router`, or both.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Node URLs, e.g. `["http://10.0.0.7:4000"]`. */
  readonly nodes?: ReadonlyArray<string | URL> | undefined
  /** Discover nodes through a router: `true` for the default router, a URL, or options. */
  readonly router?: boolean | string | URL | RouterDiscovery | undefined
  /** Options of every node's `NodeClient` (timeout, retry of safe requests, headers, ...). */
  readonly client?: Omit<NodeClient.Options, "baseUrl"> | undefined
  /** Default failover policy of job-creating calls. Default `"safe"`. */
  readonly failover?: Failover | undefined
  /** How often healthy nodes' `/info` is read again (containers, pending counts). Default 10 seconds. */
  readonly infoInterval?: Duration.DurationInput | undefined
  /** How often nodes that are cooling down are checked for a probe. Default 500 ms. */
  readonly probeInterval?: Duration.DurationInput | undefined
  /** Timeout of a probe (`GET /info`). Default 3 seconds, as the router's. */
  readonly probeTimeout?: Duration.DurationInput | undefined
  /** The first cool-down after a failure; it doubles per failure in a row. Default 1 second. */
  readonly cooldown?: Duration.DurationInput | undefined
  /** The longest cool-down. Default 30 seconds. */
  readonly maxCooldown?: Duration.DurationInput | undefined
  /** Failures in a row after which a node is dropped from routing (it is still probed). Default 5. */
  readonly dropAfter?: number | undefined
  /** How many job ids the pool remembers the node of (oldest forgotten first; then found by asking). Default 100 000. */
  readonly maxTrackedJobs?: number | undefined
}

/**
 * Options of the calls that create jobs: those of `NodeClient`, plus the failover policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions extends NodeClient.CallOptions {
  /** This call's failover policy; default the pool's. */
  readonly failover?: Failover | undefined
}

/**
 * One node as the pool sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface NodeSnapshot {
  readonly url: string
  /** Whether it takes new jobs (healthy, and still listed by the router when discovered). */
  readonly healthy: boolean
  /** `unknown` (not probed yet), `healthy`, `cooling` (after a failure) or `dropped` (failed `dropAfter` times). */
  readonly state: "unknown" | "healthy" | "cooling" | "dropped"
  /** `static` (from `nodes`) or `router` (discovered). */
  readonly source: "static" | "router"
  /** Whether the router listed it at its last refresh (static nodes: always true). */
  readonly listed: boolean
  /** Its running containers at the last `/info`, when known. */
  readonly containers: ReadonlyArray<string> | undefined
  /** Its pending jobs (all clients) at the last `/info`, when known. */
  readonly pending: number | undefined
  /** This pool's requests in flight to it. */
  readonly inFlight: number
  /** Jobs created on it through this pool. */
  readonly jobs: number
  /** Failures in a row. */
  readonly failures: number
  /** The last failure seen on it. */
  readonly lastError: string | undefined
  /** When a node cooling down (or dropped) is probed next (epoch milliseconds). */
  readonly probeAt: number | undefined
}

/**
 * What {@link Service.submitJob} returns: the job id and the URL of the node that took it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Submitted {
  readonly id: Primitives.JobId
  readonly node: string
}

/**
 * The pool's methods. Every method fails with a `NodeClientError` only (method `"NodePool.<name>"`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `POST /api/jobs` on a node running all the containers; fails over per `failover`. */
  readonly requestJob: (
    request: NodeClient.JobRequestInput,
    options?: CallOptions
  ) => Effect.Effect<Primitives.JobId, NodeClientError>
  /** Like `requestJob`, and says which node took the job. */
  readonly submitJob: (
    request: NodeClient.JobRequestInput,
    options?: CallOptions
  ) => Effect.Effect<Submitted, NodeClientError>
  /** `POST /api/jobs/batch` on one node running every request's containers. */
  readonly requestJobs: (
    requests: ReadonlyArray<NodeClient.JobRequestInput>,
    options?: CallOptions
  ) => Effect.Effect<ReadonlyArray<Job.BatchResponseItem>, NodeClientError>
  /** Like `requestJobs`, paired and split as `NodeClient.requestJobsPaired`. */
  readonly requestJobsPaired: <Request extends NodeClient.JobRequestInput>(
    requests: ReadonlyArray<Request>,
    options?: CallOptions
  ) => Effect.Effect<NodeClient.PairedBatch<Request>, NodeClientError>
  /**
   * Results of ids from any nodes: one request per node, answered in input order (ids no node knows are left out).
   * Ids the pool did not create are looked for on every node. Fails with `NodeUnavailable` when a node holding some
   * of the ids cannot be reached.
   */
  readonly getJobResults: (
    ids: Iterable<string>,
    options?: NodeClient.GetJobResultsOptions
  ) => Effect.Effect<ReadonlyArray<Job.JobResult>, NodeClientError>
  /** Polls the job on its node until it finishes (as `NodeClient.getJobResultSync`, `output` schema included). */
  readonly getJobResultSync: NodeClient.GetJobResultSync
  /** `POST /api/jobs/stream` on a node running the containers; fails over (per `failover`) before the id line. */
  readonly requestStream: (
    request: NodeClient.JobRequestInput,
    options?: CallOptions
  ) => Effect.Effect<NodeClient.JobStream & { readonly node: string }, NodeClientError, Scope.Scope>
  /** This client's job ids on every node that is up or holds jobs of this pool, merged. */
  readonly getJobs: (
    options?: NodeClient.GetJobsOptions
  ) => Effect.Effect<ReadonlyArray<Primitives.JobId>, NodeClientError>
  /** `PUT /api/status` on the job's node (for an id the pool does not know: a node running the containers). */
  readonly recordStatus: (
    id: string,
    status: NodeClient.RecordableStatus,
    request: NodeClient.JobRequestInput,
    options?: NodeClient.CallOptions
  ) => Effect.Effect<void, NodeClientError>
  /** `true` when at least one node takes jobs. */
  readonly health: Effect.Effect<boolean>
  /** The URL of the node holding a job, when the pool knows it. */
  readonly nodeOf: (id: string) => Effect.Effect<string | undefined>
  /** Every node as the pool sees it. */
  readonly snapshot: Effect.Effect<ReadonlyArray<NodeSnapshot>>
  /** Asks the router again (when discovering) and reads every node's `/info` now. */
  readonly refresh: Effect.Effect<void>
  /** The `NodeClient` of a node of the pool, for calls the pool does not route (`info`, `resources`, ...). */
  readonly client: (url: string) => NodeClient.Service | undefined
}

/**
 * The `NodePool` service.
 *
 * @since 0.1.0
 * @category services
 */
export class NodePool extends Context.Tag("@infernet/client/NodePool")<NodePool, Service>() {}

const DEFAULT_N = 100

const routerOptions = (router: Options["router"]): RouterDiscovery | undefined => {
  if (router === undefined || router === false) return undefined
  if (router === true) return {}
  if (typeof router === "string" || router instanceof URL) return { url: router }
  return router
}

/**
 * Builds a pool on the `HttpClient` in context. Its background work (probes, `/info` refreshes, router refreshes)
 * runs in the scope; every node is probed once before the pool is returned, so the first job is routed at once.
 * Unreachable nodes are not an error: they start cooled down. No `nodes` and no `router` is a defect.
 *
 * @example
 * ```ts
 * import { NodePool } from "@infernet/client"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const pool = yield* NodePool.make({ router: { url: "http://localhost:4100", containers: ["hello-world"] } })
 *     const { id, node } = yield* pool.submitJob({ containers: ["hello-world"], data: { name: "x" } })
 *     yield* Effect.log(`job ${id} runs on ${node}`)
 *   })
 * ).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const discovery = routerOptions(options.router)
    if ((options.nodes === undefined || options.nodes.length === 0) && discovery === undefined) {
      return yield* Effect.dieMessage("NodePool.make: give nodes (URLs), a router, or both")
    }
    const httpClient = yield* HttpClient.HttpClient
    const staticUrls: Array<string> = []
    for (const url of options.nodes ?? []) {
      const normalized = NodeClient.normalizeBaseUrl(url)
      if (Either.isLeft(normalized)) return yield* Effect.dieMessage(`NodePool.make: ${normalized.left}`)
      staticUrls.push(normalized.right)
    }
    const router = discovery === undefined ? undefined : (discovery.client ?? (yield* RouterClient.make(discovery)))
    const health: Pool.HealthSettings = {
      cooldown: Duration.decode(options.cooldown ?? "1 second"),
      maxCooldown: Duration.decode(options.maxCooldown ?? "30 seconds"),
      dropAfter: Math.max(1, options.dropAfter ?? 5)
    }
    const probeTimeout = Duration.decode(options.probeTimeout ?? "3 seconds")
    const infoInterval = Duration.toMillis(Duration.decode(options.infoInterval ?? "10 seconds"))
    const defaultFailover = options.failover ?? "safe"
    const entries: Array<Pool.Entry> = []
    const byUrl = new Map<string, Pool.Entry>()
    const jobs = new Pool.JobIndex(Math.max(1, options.maxTrackedJobs ?? 100_000))
    let turn = 0

    const addNode = (url: string, source: Pool.Entry["source"]) =>
      Effect.gen(function* () {
        const existing = byUrl.get(url)
        if (existing !== undefined) return existing
        const client = yield* NodeClient.make({ ...options.client, baseUrl: url }).pipe(
          Effect.provideService(HttpClient.HttpClient, httpClient)
        )
        const entry = Pool.makeEntry(url, client, source)
        entries.push(entry)
        byUrl.set(url, entry)
        return entry
      })

    /** Reads a node's `/info`: healthy with fresh containers and pending, or cooled down. */
    const probe = (entry: Pool.Entry) =>
      Effect.gen(function* () {
        const info = yield* Effect.either(
          entry.client.info({ timeout: probeTimeout, retry: false }).pipe(inNode(entry))
        )
        const now = yield* Clock.currentTimeMillis
        if (Either.isRight(info)) Pool.markHealthy(entry, info.right, now)
        else {
          const reason = info.left.reason
          Pool.markFailure(
            entry,
            health,
            now,
            info.left.reason.message,
            reason._tag === "RateLimited" ? reason.retryAfter : undefined
          )
        }
      })

    const discover = Effect.gen(function* () {
      if (router === undefined || discovery === undefined) return
      const n = discovery.n ?? DEFAULT_N
      const found = yield* Effect.either(
        Effect.gen(function* () {
          if (discovery.containers !== undefined) return yield* router.findNodes(discovery.containers, { n })
          const listed = yield* router.containers()
          const lists = yield* Effect.forEach(listed, (c) => router.findNodes([c.id], { n }))
          return [...new Set(lists.flat())]
        })
      )
      if (Either.isLeft(found)) {
        yield* Effect.logDebug("NodePool: the router could not be asked", found.left)
        return
      }
      const urls = new Set(found.right)
      const added: Array<Pool.Entry> = []
      for (const url of urls) {
        if (!byUrl.has(url)) added.push(yield* addNode(url, "router"))
      }
      for (const entry of entries) if (entry.source === "router") entry.listed = urls.has(entry.url)
      yield* Effect.forEach(added, probe, { concurrency: "unbounded", discard: true })
    })

    /** One round of health work: probe nodes whose cool-down is over, re-read stale `/info`. */
    const tick = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const due = entries.filter((entry) =>
        entry.state === "healthy" ? now - entry.lastInfoAt >= infoInterval : now >= entry.cooldownUntil
      )
      yield* Effect.forEach(due, probe, { concurrency: "unbounded", discard: true })
    })

    const refresh = Effect.gen(function* () {
      yield* discover
      yield* Effect.forEach(entries, probe, { concurrency: "unbounded", discard: true })
    })

    // -----------------------------------------------------------------------------------------------------------
    // Requests to one node

    /** Counts the request in flight on the node, inside a `NodePool.node` span when a tracer is installed. */
    const inNode =
      (entry: Pool.Entry) =>
      <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.suspend(() => {
          entry.inFlight++
          return Effect.ensuring(effect, release(entry))
        }).pipe(Runtime.withSpan("NodePool.node", { attributes: { "infernet.node.url": entry.url } }))

    const releases = new WeakMap<Pool.Entry, Effect.Effect<void>>()
    const release = (entry: Pool.Entry) => {
      let effect = releases.get(entry)
      if (effect === undefined) {
        effect = Effect.sync(() => {
          entry.inFlight--
        })
        releases.set(entry, effect)
      }
      return effect
    }

    const unavailable = (method: string, entry: Pool.Entry, detail: string, cause?: unknown) =>
      new NodeClientError({
        method,
        reason: new NodeUnavailable(
          cause === undefined ? { node: entry.url, detail } : { node: entry.url, detail, cause }
        )
      })

    /** The pool's error for a failure on `entry`: node failures name the node, the node's answers keep their reason. */
    const onNode = (method: string, entry: Pool.Entry, error: NodeClientError): NodeClientError =>
      Pool.isNodeFailure(error)
        ? unavailable(method, entry, describe(error), error.reason)
        : new NodeClientError({ method, reason: error.reason })

    const describe = (error: NodeClientError): string => {
      switch (error.reason._tag) {
        case "TransportError":
          return "the connection failed"
        case "Timeout":
          return "it did not answer in time"
        case "RateLimited":
          return "it is rate limiting this client"
        default:
          return "it answered that it is unavailable"
      }
    }

    const failed = (entry: Pool.Entry, error: NodeClientError) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const reason = error.reason
          Pool.markFailure(
            entry,
            health,
            now,
            reason.message,
            reason._tag === "RateLimited" ? reason.retryAfter : undefined
          )
        })
      )

    /**
     * Runs a request bound to a node (results, status of its jobs). A node cooling down is not asked before its
     * cool-down ends (the call fails at once, naming it); a failure cools it down.
     */
    const bound = <A>(
      method: string,
      entry: Pool.Entry,
      request: Effect.Effect<A, NodeClientError>
    ): Effect.Effect<A, NodeClientError> => {
      const onFailure = (error: NodeClientError) =>
        Effect.zipRight(
          Pool.isNodeFailure(error) ? failed(entry, error) : Effect.void,
          Effect.fail(onNode(method, entry, error))
        )
      // The common case, a healthy node, reads no clock.
      if (entry.state === "healthy") return Effect.catchAll(inNode(entry)(request), onFailure)
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (entry.state !== "unknown" && entry.state !== "healthy" && now < entry.cooldownUntil) {
          return Effect.fail(
            unavailable(
              method,
              entry,
              `it is ${entry.state === "dropped" ? "down" : "cooling down"} after: ${entry.lastError ?? "a failure"}`
            )
          )
        }
        return inNode(entry)(request).pipe(
          Effect.tap(() => {
            if (entry.state !== "healthy") Pool.markHealthy(entry, undefined, now)
          }),
          Effect.catchAll(onFailure)
        )
      })
    }

    /**
     * Runs a job-creating request on the least loaded node running `containers`, moving to the next one when the
     * job surely was not created (or always / never, per the policy).
     */
    const routed = <A, R>(
      method: string,
      containers: ReadonlyArray<string>,
      failover: Failover,
      request: (entry: Pool.Entry) => Effect.Effect<A, NodeClientError, R>
    ): Effect.Effect<{ readonly value: A; readonly entry: Pool.Entry }, NodeClientError, R> => {
      const tried = new Set<Pool.Entry>()
      const seen: Array<string> = []
      const attempt = (): Effect.Effect<{ readonly value: A; readonly entry: Pool.Entry }, NodeClientError, R> => {
        const entry = Pool.pick(entries, containers, tried, turn++)
        if (entry === undefined) return Effect.fail(noNode(method, containers, seen))
        tried.add(entry)
        return inNode(entry)(request(entry)).pipe(
          Effect.map((value) => {
            entry.jobs++
            return { value, entry }
          }),
          Effect.catchAll((error) => {
            const verdict = Pool.classify(error)
            if (verdict._tag === "answer") return Effect.fail(new NodeClientError({ method, reason: error.reason }))
            seen.push(`${entry.url}: ${error.reason.message}`)
            const move = failover === "always" || (failover === "safe" && verdict._tag === "not-created")
            return Effect.zipRight(
              verdict._tag === "ambiguous" || verdict.unhealthy
                ? failed(entry, error)
                : // It does not run a container it listed: read its /info again.
                  Effect.asVoid(Effect.forkDaemon(probe(entry))),
              move ? Effect.suspend(attempt) : Effect.fail(onNode(method, entry, error))
            )
          })
        )
      }
      return Effect.suspend(attempt)
    }

    const noNode = (method: string, containers: ReadonlyArray<string>, seen: ReadonlyArray<string>) => {
      const down = entries.filter((e) => e.state !== "healthy").length
      return new NodeClientError({
        method,
        reason: new NoNodeAvailable({
          containers: [...containers],
          detail:
            seen.length === 0
              ? `no healthy node among ${entries.length} runs them${down > 0 ? ` (${down} down or not probed)` : ""}`
              : `tried ${seen.join("; ")}`
        })
      })
    }

    const stripFailover = (callOptions: CallOptions | undefined): NodeClient.CallOptions | undefined => {
      if (callOptions === undefined || !("failover" in callOptions)) return callOptions
      const { failover: _failover, ...rest } = callOptions
      return rest
    }

    const submit = (method: string, request: NodeClient.JobRequestInput, callOptions: CallOptions | undefined) =>
      Effect.map(
        routed(method, request.containers, callOptions?.failover ?? defaultFailover, (entry) =>
          entry.client.requestJob(request, stripFailover(callOptions))
        ),
        ({ value, entry }) => {
          jobs.set(value, entry)
          return { id: value, node: entry.url } satisfies Submitted
        }
      )

    const submitJob = Runtime.fn("NodePool.submitJob")(function* (
      request: NodeClient.JobRequestInput,
      callOptions?: CallOptions
    ) {
      return yield* submit("NodePool.submitJob", request, callOptions)
    })

    const requestJob = Runtime.fn("NodePool.requestJob")(function* (
      request: NodeClient.JobRequestInput,
      callOptions?: CallOptions
    ) {
      return (yield* submit("NodePool.requestJob", request, callOptions)).id
    })

    const allContainers = (requests: ReadonlyArray<NodeClient.JobRequestInput>) => [
      ...new Set(requests.flatMap((r) => r.containers))
    ]

    const requestJobs = Runtime.fn("NodePool.requestJobs")(function* (
      requests: ReadonlyArray<NodeClient.JobRequestInput>,
      callOptions?: CallOptions
    ) {
      const { value, entry } = yield* routed(
        "NodePool.requestJobs",
        allContainers(requests),
        callOptions?.failover ?? defaultFailover,
        (e) => e.client.requestJobs(requests, stripFailover(callOptions))
      )
      for (const item of value) if ("id" in item) jobs.set(item.id, entry)
      return value
    })

    const requestJobsPaired = <Request extends NodeClient.JobRequestInput>(
      requests: ReadonlyArray<Request>,
      callOptions?: CallOptions
    ): Effect.Effect<NodeClient.PairedBatch<Request>, NodeClientError> =>
      Effect.map(
        routed("NodePool.requestJobsPaired", allContainers(requests), callOptions?.failover ?? defaultFailover, (e) =>
          e.client.requestJobsPaired(requests, stripFailover(callOptions))
        ),
        ({ value, entry }) => {
          for (const accepted of value.accepted) jobs.set(accepted.id, entry)
          return value
        }
      ).pipe(Runtime.withSpan("NodePool.requestJobsPaired"))

    /** Asks every routable node for ids the pool does not know, and remembers where they were found. */
    const locate = (ids: ReadonlyArray<string>, callOptions: NodeClient.GetJobResultsOptions | undefined) =>
      Effect.gen(function* () {
        const candidates = entries.filter(Pool.routable)
        const answers = yield* Effect.forEach(
          candidates,
          (entry) =>
            Effect.map(
              bound("NodePool.getJobResults", entry, entry.client.getJobResults(ids, callOptions)),
              (results) => ({
                entry,
                results
              })
            ),
          { concurrency: "unbounded" }
        )
        const found = new Map<string, Job.JobResult>()
        for (const { entry, results } of answers) {
          for (const result of results) {
            jobs.set(result.id, entry)
            found.set(result.id, result)
          }
        }
        return found
      })

    const getJobResults = Runtime.fn("NodePool.getJobResults")(function* (
      ids: Iterable<string>,
      callOptions?: NodeClient.GetJobResultsOptions
    ) {
      const list = Array.from(ids)
      if (list.length === 1) {
        const entry = jobs.get(list[0]!)
        if (entry !== undefined) {
          return yield* bound("NodePool.getJobResults", entry, entry.client.getJobResults(list, callOptions))
        }
      }
      const groups = new Map<Pool.Entry, Array<string>>()
      const unknown: Array<string> = []
      for (const id of list) {
        const entry = jobs.get(id)
        if (entry === undefined) unknown.push(id)
        else {
          const group = groups.get(entry)
          if (group === undefined) groups.set(entry, [id])
          else group.push(id)
        }
      }
      // The common case, every id on one node: that node's answer is already in input order.
      if (unknown.length === 0 && groups.size === 1) {
        const [entry, group] = groups.entries().next().value!
        return yield* bound("NodePool.getJobResults", entry, entry.client.getJobResults(group, callOptions))
      }
      const found = new Map<string, Job.JobResult>()
      yield* Effect.forEach(
        groups,
        ([entry, group]) =>
          Effect.map(
            bound("NodePool.getJobResults", entry, entry.client.getJobResults(group, callOptions)),
            (results) => {
              for (const result of results) found.set(result.id, result)
            }
          ),
        { concurrency: "unbounded", discard: true }
      )
      if (unknown.length > 0) for (const [id, result] of yield* locate(unknown, callOptions)) found.set(id, result)
      return list.flatMap((id) => {
        const result = found.get(id)
        return result === undefined ? [] : [result]
      })
    })

    const getJobResultSync = Runtime.fn("NodePool.getJobResultSync")(function* (
      id: string,
      callOptions?: NodeClient.GetJobResultSyncOptions
    ) {
      let entry = jobs.get(id)
      if (entry === undefined) {
        yield* locate([id], undefined)
        entry = jobs.get(id)
      }
      if (entry === undefined) {
        return yield* Effect.fail(
          new NodeClientError({ method: "NodePool.getJobResultSync", reason: new JobNotFound({ id }) })
        )
      }
      return yield* bound("NodePool.getJobResultSync", entry, entry.client.getJobResultSync(id, callOptions))
    })

    const requestStream = Runtime.fn("NodePool.requestStream")(function* (
      request: NodeClient.JobRequestInput,
      callOptions?: CallOptions
    ) {
      const { value, entry } = yield* routed(
        "NodePool.requestStream",
        request.containers,
        callOptions?.failover ?? defaultFailover,
        (e) => e.client.requestStream(request, stripFailover(callOptions))
      )
      jobs.set(value.id, entry)
      return {
        ...value,
        node: entry.url,
        result: ((resultOptions?: NodeClient.GetJobResultSyncOptions) =>
          getJobResultSync(value.id, resultOptions)) as NodeClient.StreamResult
      }
    })

    const getJobs = Runtime.fn("NodePool.getJobs")(function* (callOptions?: NodeClient.GetJobsOptions) {
      const asked = entries.filter((entry) => Pool.routable(entry) || entry.jobs > 0)
      const lists = yield* Effect.forEach(
        asked,
        (entry) => bound("NodePool.getJobs", entry, entry.client.getJobs(callOptions)),
        { concurrency: "unbounded" }
      )
      return [...new Set(lists.flat())]
    })

    const recordStatus = Runtime.fn("NodePool.recordStatus")(function* (
      id: string,
      status: NodeClient.RecordableStatus,
      request: NodeClient.JobRequestInput,
      callOptions?: NodeClient.CallOptions
    ) {
      const known = jobs.get(id)
      if (known !== undefined) {
        return yield* bound("NodePool.recordStatus", known, known.client.recordStatus(id, status, request, callOptions))
      }
      const { entry } = yield* routed("NodePool.recordStatus", request.containers, "safe", (e) =>
        e.client.recordStatus(id, status, request, callOptions)
      )
      jobs.set(id, entry)
    })

    const snapshotOf = (entry: Pool.Entry): NodeSnapshot => ({
      url: entry.url,
      healthy: Pool.routable(entry),
      state: entry.state,
      source: entry.source,
      listed: entry.listed,
      containers: entry.containers === undefined ? undefined : [...entry.containers],
      pending: entry.pending,
      inFlight: entry.inFlight,
      jobs: entry.jobs,
      failures: entry.failures,
      lastError: entry.lastError,
      probeAt: entry.state === "cooling" || entry.state === "dropped" ? entry.cooldownUntil : undefined
    })

    for (const url of staticUrls) yield* addNode(url, "static")
    yield* refresh
    const probeInterval = Duration.decode(options.probeInterval ?? "500 millis")
    yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(probeInterval), tick)))
    if (discovery !== undefined) {
      const every = Duration.decode(discovery.refreshInterval ?? "30 seconds")
      yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(every), discover)))
    }

    return NodePool.of({
      requestJob,
      submitJob,
      requestJobs,
      requestJobsPaired,
      getJobResults,
      getJobResultSync: getJobResultSync as NodeClient.GetJobResultSync,
      requestStream,
      getJobs,
      recordStatus,
      health: Effect.sync(() => entries.some(Pool.routable)),
      nodeOf: (id) => Effect.sync(() => jobs.get(id)?.url),
      snapshot: Effect.sync(() => entries.map(snapshotOf)),
      refresh,
      client: (url) => {
        const normalized = NodeClient.normalizeBaseUrl(url)
        return Either.isRight(normalized) ? byUrl.get(normalized.right)?.client : undefined
      }
    })
  })

/**
 * A layer of the {@link NodePool} service; its background work stops when the layer is released.
 *
 * @example
 * ```ts
 * import { NodePool } from "@infernet/client"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 *
 * const live = NodePool.layer({ router: "http://localhost:4100" }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<NodePool, never, HttpClient.HttpClient> =>
  Layer.scoped(NodePool, make(options))
