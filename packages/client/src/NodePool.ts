/**
 * One client over many Infernet nodes: the `NodeClient` job methods over a set of nodes given as URLs, or discovered
 * through an Infernet Router (`RouterClient`) and refreshed on a schedule.
 *
 * - Routing: a job goes to a healthy node that runs **all** its containers (from each node's `/info`), least loaded
 *   first (its pending jobs plus this pool's requests in flight to it), so a burst spreads over the nodes.
 * - Job ids stay tied to the node that created them: results, sync waits and status go there; `getJobResults` over
 *   ids of several nodes asks each node once and answers in input order; `getJobs` merges every node's ids. A node's
 *   answer for an id that was not asked is ignored, so no node can take over another's job; an id the pool does not
 *   track is looked for on every node it knows and can reach, and lives on the first whose answer is for that id.
 * - Failover: a job moves to the next node only when it surely was not created (connection refused, 429, 503, the
 *   node not running the container); never after a timeout or a connection cut mid-request, unless the call says
 *   `failover: "always"`. Streams likewise, before the id line.
 * - Health: a failing node is cooled down (`Retry-After` respected, capped by `maxCooldown`) and probed again with
 *   backoff; after `dropAfter` failures in a row it is dropped from routing until a probe succeeds. A 429 on job
 *   creation only pauses new jobs there: its jobs stay readable. Calls for jobs on a node that is down fail with a
 *   `NodeUnavailable` reason naming the node: nothing is lost silently, nothing runs twice.
 * - Bounds: at most `n` router-listed nodes (invalid addresses skipped, each node once whatever its spelling), nodes
 *   no longer listed dropped unless they hold tracked jobs, `probeConcurrency` probes at once, and every fiber in the
 *   pool's scope. A failing router is named (`RouterUnavailable`) when no node can take a call.
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
import { type Cause, Clock, Context, Duration, Effect, Either, Fiber, Layer, type Scope } from "effect"
import * as Pool from "./internal/poolNodes.js"
import * as Runtime from "./internal/runtime.js"
import * as NodeClient from "./NodeClient.js"
import {
  JobNotFound,
  NoNodeAvailable,
  NodeClientError,
  NodeUnavailable,
  RouterUnavailable,
  UnexpectedResponse
} from "./NodeClientError.js"
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
  /**
   * How many nodes to ask the router for, and the most router-listed nodes the pool keeps (a router answering more
   * is cut to the first `n`). Default 100. Nodes the router no longer lists are dropped unless they hold a tracked job.
   */
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
  /** How many nodes are probed (`GET /info`) or asked for untracked ids at once. Default 16. */
  readonly probeConcurrency?: number | undefined
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
  /** Until when it takes no new jobs after answering 429 to one (epoch milliseconds); its jobs can still be read. */
  readonly jobsPausedUntil: number | undefined
}

/**
 * Discovery through the router, as the pool sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DiscoverySnapshot {
  /** The router's URL. */
  readonly router: string
  /** Why the router's last refresh failed (refused, timed out, its status, `Retry-After`); `undefined` after a success. */
  readonly lastError: string | undefined
  /** When the router last answered (epoch milliseconds). */
  readonly lastRefreshAt: number | undefined
  /** How many distinct addresses from the router were skipped as invalid (a bad port, host, scheme, a query, ...). */
  readonly skippedAddresses: number
  /** The last few skipped addresses, with why. */
  readonly skipped: ReadonlyArray<{ readonly address: string; readonly reason: string }>
}

/**
 * What {@link Service.snapshot} returns: every node, and (when discovering) the router's side.
 *
 * @since 0.1.0
 * @category models
 */
export type Snapshot = ReadonlyArray<NodeSnapshot> & {
  /** Discovery through the router; `undefined` without a router. */
  readonly discovery: DiscoverySnapshot | undefined
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
   * Ids the pool does not track are looked for on every node it knows and can reach. Fails with `NodeUnavailable`
   * when a node holding some of the ids cannot be reached (or, for untracked ids, when no node could be asked:
   * `RouterUnavailable` when the router failed too).
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
  /** Every node as the pool sees it (and, as `discovery`, the router's side). */
  readonly snapshot: Effect.Effect<Snapshot>
  /** Asks the router again (when discovering) and reads every node's `/info` now. */
  readonly refresh: Effect.Effect<void>
  /**
   * The `NodeClient` of a node of the pool, for calls the pool does not route (`info`, `resources`, ...). Any spelling
   * of the node's address works (`http://127.0.0.1:4000/`, `127.0.0.1:4000`, `LOCALHOST:4000`).
   */
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
const DEFAULT_PROBE_CONCURRENCY = 16
/** How many skipped router addresses are remembered (for logging each once, and for `snapshot`). */
const SKIPPED_MEMORY = 1024
const SKIPPED_SHOWN = 20

/** A router address as a node URL, or why it is not one. */
const nodeUrlOf = (address: string, scheme: "http" | "https"): Either.Either<string, string> => {
  const trimmed = address.trim()
  if (trimmed === "" || /\s/.test(trimmed)) return Either.left("not a host:port address")
  return NodeClient.normalizeBaseUrl(RouterClient.addressToUrl(trimmed, scheme))
}

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
    // Every fiber the pool starts (background loops, probes) runs in this scope: closing it stops them all.
    const scope = yield* Effect.scope
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
    const probeConcurrency = Math.max(1, Math.floor(options.probeConcurrency ?? DEFAULT_PROBE_CONCURRENCY))
    const defaultFailover = options.failover ?? "safe"
    let entries: Array<Pool.Entry> = []
    const byKey = new Map<string, Pool.Entry>()
    const jobs = new Pool.JobIndex(Math.max(1, options.maxTrackedJobs ?? 100_000))
    let turn = 0

    // Discovery's state: the router's last failure (named in errors when no node can take a call), the addresses
    // skipped as invalid (each logged once).
    let routerFailure: NodeClientError | undefined
    let lastRefreshAt: number | undefined
    const skipped = new Map<string, string>()
    let skippedCount = 0

    const entryOf = (url: string): Pool.Entry | undefined => {
      const normalized = NodeClient.normalizeBaseUrl(
        /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : RouterClient.addressToUrl(url.trim())
      )
      return Either.isRight(normalized) ? byKey.get(Pool.nodeKey(normalized.right)) : undefined
    }

    /** The entry of a normalised URL, made (with its `NodeClient`) when the pool does not know the node yet. */
    const addNode = (url: string, source: Pool.Entry["source"]) =>
      Effect.gen(function* () {
        const existing = byKey.get(Pool.nodeKey(url))
        if (existing !== undefined) return existing
        const client = yield* NodeClient.make({ ...options.client, baseUrl: url }).pipe(
          Effect.provideService(HttpClient.HttpClient, httpClient)
        )
        const entry = Pool.makeEntry(url, client, source)
        entries.push(entry)
        byKey.set(entry.key, entry)
        return entry
      })

    /** Reads a node's `/info`: healthy with fresh containers and pending, or cooled down. */
    const readInfo = (entry: Pool.Entry) =>
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

    // One probe per node at a time, run in the pool's scope: a second request for a probe joins the running one.
    const probing = new Map<Pool.Entry, Fiber.RuntimeFiber<void>>()
    const startProbe = (entry: Pool.Entry): Effect.Effect<Fiber.RuntimeFiber<void>> =>
      Effect.suspend(() => {
        const running = probing.get(entry)
        if (running !== undefined) return Effect.succeed(running)
        return Effect.tap(
          Effect.forkIn(
            Effect.ensuring(
              readInfo(entry),
              Effect.sync(() => {
                probing.delete(entry)
              })
            ),
            scope
          ),
          (fiber) =>
            Effect.sync(() => {
              // A fiber forked into a closed scope may already be done: only a running one is remembered.
              if (fiber.unsafePoll() === null) probing.set(entry, fiber)
            })
        )
      })
    const probe = (entry: Pool.Entry): Effect.Effect<void> => Effect.flatMap(startProbe(entry), Fiber.join)
    const probeAll = (list: ReadonlyArray<Pool.Entry>) =>
      Effect.forEach(list, probe, { concurrency: probeConcurrency, discard: true })

    const skip = (address: string, reason: string) =>
      Effect.suspend(() => {
        if (skipped.has(address)) return Effect.void
        skippedCount++
        if (skipped.size >= SKIPPED_MEMORY) skipped.delete(skipped.keys().next().value!)
        skipped.set(address, reason)
        return Effect.logWarning(
          `NodePool: skipping the address ${JSON.stringify(address)} from the router at ${router?.url}: ${reason}`
        )
      })

    /** The router's addresses for the pool: those of `containers`, or of every container it lists. */
    const askRouter = (n: number) =>
      Effect.gen(function* () {
        if (router === undefined || discovery === undefined) return []
        if (discovery.containers !== undefined) return yield* router.findAddresses(discovery.containers, { n })
        const listed = yield* router.containers()
        const lists = yield* Effect.forEach(listed, (c) => router.findAddresses([c.id], { n }))
        return lists.flat()
      })

    const discover = Effect.gen(function* () {
      if (router === undefined || discovery === undefined) return
      const n = Math.max(1, Math.floor(discovery.n ?? DEFAULT_N))
      const scheme = discovery.scheme ?? "http"
      const found = yield* Effect.either(askRouter(n))
      if (Either.isLeft(found)) {
        routerFailure = found.left
        yield* Effect.logDebug("NodePool: the router could not be asked", found.left)
        return
      }
      routerFailure = undefined
      lastRefreshAt = yield* Clock.currentTimeMillis
      // At most `n` nodes, each once whatever its spelling; invalid addresses skipped (logged once, counted).
      const listed = new Map<string, string>()
      for (const address of found.right) {
        if (listed.size >= n) break
        const url = nodeUrlOf(address, scheme)
        if (Either.isLeft(url)) {
          yield* skip(address, url.left)
          continue
        }
        const key = Pool.nodeKey(url.right)
        if (!listed.has(key)) listed.set(key, url.right)
      }
      const added: Array<Pool.Entry> = []
      for (const [key, url] of listed) {
        if (!byKey.has(key)) added.push(yield* addNode(url, "router"))
      }
      for (const entry of entries) if (entry.source === "router") entry.listed = listed.has(entry.key)
      // Nodes the router no longer lists are forgotten, unless they hold tracked jobs or requests in flight; up to
      // `n` of those that took jobs of this pool are kept too (their untracked ids can still be found there).
      let former = 0
      const kept = entries.filter((entry) => {
        if (entry.source !== "router" || entry.listed || entry.tracked > 0 || entry.inFlight > 0) return true
        if (entry.jobs > 0 && former < n) {
          former++
          return true
        }
        return false
      })
      if (kept.length !== entries.length) {
        for (const entry of entries) if (!kept.includes(entry)) byKey.delete(entry.key)
        entries = kept
      }
      yield* probeAll(added)
    })

    /** One round of health work: probe nodes whose cool-down is over, re-read stale `/info`. */
    const tick = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const due = entries.filter((entry) =>
        entry.state === "healthy" ? now - entry.lastInfoAt >= infoInterval : now >= entry.cooldownUntil
      )
      yield* probeAll(due)
    })

    const refresh = Effect.gen(function* () {
      yield* discover
      yield* probeAll(entries)
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

    // Whether some node may be pausing new jobs: until one does, routing reads no clock.
    let anyPaused = false

    /** A 429 to a job-creating request: no new jobs there for a while, its jobs still readable. */
    const creationLimited = (entry: Pool.Entry, error: NodeClientError) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          anyPaused = true
          const reason = error.reason
          Pool.markCreationLimited(
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
        if (!Pool.askable(entry, now)) {
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

    /** The router's last failure as the pool's error, when discovery failed. */
    const routerUnavailable = (method: string): NodeClientError | undefined => {
      if (routerFailure === undefined || router === undefined) return undefined
      const reason = routerFailure.reason
      const status =
        reason._tag === "ApiError" || reason._tag === "UnexpectedResponse"
          ? reason.status
          : reason._tag === "RateLimited"
            ? 429
            : undefined
      const detail =
        reason._tag === "TransportError"
          ? `the connection failed: ${reason.detail}`
          : reason._tag === "Timeout"
            ? `no answer within ${Duration.format(reason.timeout)}`
            : reason._tag === "RateLimited"
              ? "it is rate limiting this client"
              : reason._tag === "ApiError"
                ? `it answered: ${reason.error}`
                : reason._tag === "UnexpectedResponse"
                  ? reason.detail
                  : reason.message
      return new NodeClientError({
        method,
        reason: new RouterUnavailable({
          router: router.url,
          detail,
          ...(status === undefined ? {} : { status }),
          ...(reason._tag === "RateLimited" && reason.retryAfter !== undefined
            ? { retryAfter: reason.retryAfter }
            : {}),
          cause: routerFailure
        })
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
      const attempt = (): Effect.Effect<{ readonly value: A; readonly entry: Pool.Entry }, NodeClientError, R> =>
        anyPaused ? Effect.flatMap(Clock.currentTimeMillis, attemptAt) : attemptAt(Number.POSITIVE_INFINITY)
      const attemptAt = (
        now: number
      ): Effect.Effect<{ readonly value: A; readonly entry: Pool.Entry }, NodeClientError, R> => {
        if (anyPaused && now !== Number.POSITIVE_INFINITY && entries.every((e) => e.creationBlockedUntil <= now)) {
          anyPaused = false
        }
        const entry = Pool.pick(entries, containers, tried, turn++, now)
        if (entry === undefined) return Effect.fail(noNode(method, containers, seen, now))
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
              error.reason._tag === "RateLimited"
                ? // A limit on creating jobs: new jobs go elsewhere, its existing jobs stay readable.
                  creationLimited(entry, error)
                : verdict._tag === "ambiguous" || verdict.unhealthy
                  ? failed(entry, error)
                  : // It does not run a container it listed: read its /info again (one probe, in the pool's scope).
                    Effect.asVoid(startProbe(entry)),
              move ? Effect.suspend(attempt) : Effect.fail(onNode(method, entry, error))
            )
          })
        )
      }
      return Effect.suspend(attempt)
    }

    const noNode = (method: string, containers: ReadonlyArray<string>, seen: ReadonlyArray<string>, now: number) => {
      // No node was tried and the router could not be asked: that is the cause, named.
      if (seen.length === 0) {
        const fromRouter = routerUnavailable(method)
        if (fromRouter !== undefined) return fromRouter
      }
      const down = entries.filter((e) => e.state !== "healthy").length
      const paused = entries.filter((e) => e.creationBlockedUntil > now).length
      const notes = [
        ...(down > 0 ? [`${down} down or not probed`] : []),
        ...(paused > 0 ? [`${paused} rate limiting new jobs`] : [])
      ]
      const routerNote =
        routerFailure === undefined || router === undefined
          ? ""
          : `; the router at ${router.url} could not be asked: ${routerFailure.reason.message}`
      return new NodeClientError({
        method,
        reason: new NoNodeAvailable({
          containers: [...containers],
          detail:
            (seen.length === 0
              ? `no healthy node among ${entries.length} runs them${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`
              : `tried ${seen.join("; ")}`) + routerNote
        })
      })
    }

    const stripFailover = (callOptions: CallOptions | undefined): NodeClient.CallOptions | undefined => {
      if (callOptions === undefined || !("failover" in callOptions)) return callOptions
      const { failover: _failover, ...rest } = callOptions
      return rest
    }

    /**
     * Records the node that created jobs. An id the pool already tracks on another node is a lie (job ids are random
     * UUIDs): the call fails, typed, and the job keeps its home.
     */
    const settle = (
      method: string,
      entry: Pool.Entry,
      path: string,
      ids: ReadonlyArray<string>
    ): Effect.Effect<void, NodeClientError> => {
      const taken = ids.filter((id) => {
        const home = jobs.get(id)
        return home !== undefined && home !== entry
      })
      if (taken.length === 0) {
        for (const id of ids) jobs.set(id, entry)
        return Effect.void
      }
      return Effect.fail(
        new NodeClientError({
          method,
          reason: new UnexpectedResponse({
            url: `${entry.url}${path}`,
            status: 200,
            body: JSON.stringify(taken).slice(0, 256),
            detail: `the node answered with the id of a job another node created (${taken.map((id) => `${id} on ${jobs.get(id)!.url}`).join(", ")})`
          })
        })
      )
    }

    const submit = (method: string, request: NodeClient.JobRequestInput, callOptions: CallOptions | undefined) =>
      Effect.flatMap(
        routed(method, request.containers, callOptions?.failover ?? defaultFailover, (entry) =>
          entry.client.requestJob(request, stripFailover(callOptions))
        ),
        ({ value, entry }) =>
          Effect.as(settle(method, entry, "/api/jobs", [value]), { id: value, node: entry.url } satisfies Submitted)
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
      yield* settle(
        "NodePool.requestJobs",
        entry,
        "/api/jobs/batch",
        value.flatMap((item) => ("id" in item ? [item.id] : []))
      )
      return value
    })

    const requestJobsPaired = <Request extends NodeClient.JobRequestInput>(
      requests: ReadonlyArray<Request>,
      callOptions?: CallOptions
    ): Effect.Effect<NodeClient.PairedBatch<Request>, NodeClientError> =>
      Effect.flatMap(
        routed("NodePool.requestJobsPaired", allContainers(requests), callOptions?.failover ?? defaultFailover, (e) =>
          e.client.requestJobsPaired(requests, stripFailover(callOptions))
        ),
        ({ value, entry }) =>
          Effect.as(
            settle(
              "NodePool.requestJobsPaired",
              entry,
              "/api/jobs/batch",
              value.accepted.map((accepted) => accepted.id)
            ),
            value
          )
      ).pipe(Runtime.withSpan("NodePool.requestJobsPaired"))

    /** Only the answers for ids that were asked: a node's answer for another id is ignored (it may be forged). */
    const onlyAsked = (results: ReadonlyArray<Job.JobResult>, asked: ReadonlySet<string>) =>
      results.every((result) => asked.has(result.id)) ? results : results.filter((result) => asked.has(result.id))

    /**
     * Asks every node the pool knows and can reach (listed by the router or not) for ids it does not track. An id's
     * home becomes the first node whose answer is for exactly that id; answers for ids not asked are ignored.
     */
    const locate = (ids: ReadonlyArray<string>, callOptions: NodeClient.GetJobResultsOptions | undefined) =>
      Effect.gen(function* () {
        const wanted = new Set(ids)
        const now = yield* Clock.currentTimeMillis
        const candidates = entries.filter((entry) => Pool.askable(entry, now))
        const unreachable = entries.filter((entry) => !Pool.askable(entry, now)).map((entry) => entry.url)
        const answers = yield* Effect.forEach(
          candidates,
          (entry) =>
            Effect.map(
              Effect.either(bound("NodePool.getJobResults", entry, entry.client.getJobResults(ids, callOptions))),
              (results) => ({ entry, results })
            ),
          { concurrency: probeConcurrency }
        )
        const found = new Map<string, Job.JobResult>()
        const asked: Array<string> = []
        for (const { entry, results } of answers) {
          if (Either.isLeft(results)) {
            unreachable.push(entry.url)
            continue
          }
          asked.push(entry.url)
          for (const result of results.right) {
            if (!wanted.has(result.id) || found.has(result.id)) continue
            found.set(result.id, result)
            if (jobs.get(result.id) === undefined) jobs.set(result.id, entry)
          }
        }
        return { found, asked, unreachable }
      })

    /** The failure when no node could be asked for untracked ids: the router's, else the first node's. */
    const noneAsked = (method: string, unreachable: ReadonlyArray<string>): NodeClientError | undefined => {
      const fromRouter = routerUnavailable(method)
      if (fromRouter !== undefined) return fromRouter
      const first = unreachable.length === 0 ? undefined : entryOf(unreachable[0]!)
      if (first === undefined) return undefined
      return unavailable(
        method,
        first,
        `it could not be asked for ids the pool does not track (${first.lastError ?? "a failure"})`
      )
    }

    const getJobResults = Runtime.fn("NodePool.getJobResults")(function* (
      ids: Iterable<string>,
      callOptions?: NodeClient.GetJobResultsOptions
    ) {
      const list = Array.from(ids)
      if (list.length === 1) {
        const id = list[0]!
        const entry = jobs.get(id)
        if (entry !== undefined) {
          const results = yield* bound("NodePool.getJobResults", entry, entry.client.getJobResults(list, callOptions))
          return results.every((result) => result.id === id) ? results : results.filter((result) => result.id === id)
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
        const results = yield* bound("NodePool.getJobResults", entry, entry.client.getJobResults(group, callOptions))
        return onlyAsked(results, new Set(group))
      }
      const found = new Map<string, Job.JobResult>()
      yield* Effect.forEach(
        groups,
        ([entry, group]) =>
          Effect.map(
            bound("NodePool.getJobResults", entry, entry.client.getJobResults(group, callOptions)),
            (results) => {
              const asked = new Set(group)
              for (const result of results) if (asked.has(result.id)) found.set(result.id, result)
            }
          ),
        { concurrency: "unbounded", discard: true }
      )
      if (unknown.length > 0) {
        const located = yield* locate(unknown, callOptions)
        if (located.asked.length === 0 && located.found.size === 0) {
          const failure = noneAsked("NodePool.getJobResults", located.unreachable)
          if (failure !== undefined) return yield* Effect.fail(failure)
        }
        for (const [id, result] of located.found) found.set(id, result)
      }
      return list.flatMap((id) => {
        const result = found.get(id)
        return result === undefined ? [] : [result]
      })
    })

    const getJobResultSync = Runtime.fn("NodePool.getJobResultSync")(function* (
      id: string,
      callOptions?: NodeClient.GetJobResultSyncOptions
    ) {
      const method = "NodePool.getJobResultSync"
      let entry = jobs.get(id)
      if (entry === undefined) {
        const located = yield* locate([id], undefined)
        entry = jobs.get(id)
        if (entry === undefined) {
          if (located.asked.length === 0) {
            const failure = noneAsked(method, located.unreachable)
            if (failure !== undefined) return yield* Effect.fail(failure)
          }
          return yield* Effect.fail(
            new NodeClientError({
              method,
              reason: new JobNotFound({ id, asked: located.asked, unreachable: located.unreachable })
            })
          )
        }
      }
      return yield* bound(method, entry, entry.client.getJobResultSync(id, callOptions))
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
      yield* settle("NodePool.requestStream", entry, "/api/jobs/stream", [value.id])
      return {
        ...value,
        node: entry.url,
        result: ((resultOptions?: NodeClient.GetJobResultSyncOptions) =>
          getJobResultSync(value.id, resultOptions)) as NodeClient.StreamResult
      }
    })

    const getJobs = Runtime.fn("NodePool.getJobs")(function* (callOptions?: NodeClient.GetJobsOptions) {
      const asked = entries.filter((entry) => Pool.routable(entry) || entry.jobs > 0)
      // A node holding jobs of this pool must answer; one holding none that fails is left out.
      const lists = yield* Effect.forEach(
        asked,
        (entry) => {
          const request = bound("NodePool.getJobs", entry, entry.client.getJobs(callOptions))
          return entry.jobs > 0 || entry.tracked > 0 ? request : Effect.orElseSucceed(request, () => [])
        },
        { concurrency: probeConcurrency }
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

    const snapshotOf = (entry: Pool.Entry, now: number): NodeSnapshot => ({
      url: entry.url,
      healthy: Pool.routable(entry) && entry.creationBlockedUntil <= now,
      state: entry.state,
      source: entry.source,
      listed: entry.listed,
      containers: entry.containers === undefined ? undefined : [...entry.containers],
      pending: entry.pending,
      inFlight: entry.inFlight,
      jobs: entry.jobs,
      failures: entry.failures,
      lastError: entry.lastError,
      probeAt: entry.state === "cooling" || entry.state === "dropped" ? entry.cooldownUntil : undefined,
      jobsPausedUntil: entry.creationBlockedUntil > now ? entry.creationBlockedUntil : undefined
    })

    const discoveryOf = (): DiscoverySnapshot | undefined =>
      router === undefined
        ? undefined
        : {
            router: router.url,
            lastError: routerUnavailable("NodePool.refresh")?.reason.message,
            lastRefreshAt,
            skippedAddresses: skippedCount,
            skipped: [...skipped].slice(-SKIPPED_SHOWN).map(([address, reason]) => ({ address, reason }))
          }

    for (const url of staticUrls) yield* addNode(url, "static")
    yield* refresh
    const probeInterval = Duration.decode(options.probeInterval ?? "500 millis")
    // A defect in one round (a bug, never an expected failure) is logged; the loops go on.
    const keepGoing = (label: string) =>
      Effect.catchAllCause((cause: Cause.Cause<never>) => Effect.logWarning(`NodePool: ${label} failed`, cause))
    yield* Effect.forkIn(
      Effect.forever(Effect.zipRight(Effect.sleep(probeInterval), keepGoing("probing")(tick))),
      scope
    )
    if (discovery !== undefined) {
      const every = Duration.decode(discovery.refreshInterval ?? "30 seconds")
      yield* Effect.forkIn(
        Effect.forever(Effect.zipRight(Effect.sleep(every), keepGoing("asking the router")(discover))),
        scope
      )
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
      health: Effect.map(Clock.currentTimeMillis, (now) =>
        entries.some((entry) => Pool.routable(entry) && entry.creationBlockedUntil <= now)
      ),
      nodeOf: (id) => Effect.sync(() => jobs.get(id)?.url),
      snapshot: Effect.map(Clock.currentTimeMillis, (now) =>
        Object.assign(
          entries.map((entry) => snapshotOf(entry, now)),
          { discovery: discoveryOf() }
        )
      ),
      refresh,
      client: (url) => entryOf(url)?.client
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
