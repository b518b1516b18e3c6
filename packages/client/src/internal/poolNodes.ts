/**
 * The bookkeeping of a `NodePool`: its nodes (health, containers, pending, in-flight counts), the choice of a node for
 * a job, how a failure is read (was the job surely not created?), cool-downs with backoff, and which node holds which
 * job. Pure and synchronous: `NodePool` runs it inside `Effect.sync`.
 */
import type { NodeInfo } from "@infernet/types"
import { Duration } from "effect"
import type { Service as NodeClientService } from "../NodeClient.js"
import { isTransient, type NodeClientError } from "../NodeClientError.js"

export type NodeState = "unknown" | "healthy" | "cooling" | "dropped"

export interface Entry {
  readonly url: string
  /** The node's identity (see {@link nodeKey}): one entry per key, whatever the spelling of its address. */
  readonly key: string
  readonly client: NodeClientService
  readonly source: "static" | "router"
  state: NodeState
  /** Whether the router listed it at its last refresh (static nodes: always). Unlisted nodes take no new jobs. */
  listed: boolean
  containers: ReadonlySet<string> | undefined
  pending: number | undefined
  inFlight: number
  /** Jobs created on it through the pool. */
  jobs: number
  failures: number
  cooldownUntil: number
  /** Until when it takes no new jobs after a 429 on creation (reads of its jobs still go to it); 0 when it does. */
  creationBlockedUntil: number
  /** How many ids of the pool's job index live on it: a node holding tracked jobs is never dropped. */
  tracked: number
  lastError: string | undefined
  lastInfoAt: number
}

export const makeEntry = (url: string, client: NodeClientService, source: Entry["source"]): Entry => ({
  url,
  key: nodeKey(url),
  client,
  source,
  state: "unknown",
  listed: true,
  containers: undefined,
  pending: undefined,
  inFlight: 0,
  jobs: 0,
  failures: 0,
  cooldownUntil: 0,
  creationBlockedUntil: 0,
  tracked: 0,
  lastError: undefined,
  lastInfoAt: 0
})

/**
 * The identity of a node URL (already normalised by `NodeClient.normalizeBaseUrl`): the URL with `localhost` read as
 * `127.0.0.1`, so that every spelling of one node (`LOCALHOST:P`, `127.0.0.1:0P`, `127.0.0.1:P/`) is one entry.
 */
export const nodeKey = (url: string): string => url.replace(/^(https?:\/\/)localhost(?=[:/]|$)/, "$1127.0.0.1")

/** Whether the node can be asked now: not cooling down or dropped, or its cool-down is over. */
export const askable = (entry: Entry, now: number): boolean =>
  entry.state === "healthy" || entry.state === "unknown" || now >= entry.cooldownUntil

export const routable = (entry: Entry): boolean => entry.state === "healthy" && entry.listed

export const runsAll = (entry: Entry, containers: ReadonlyArray<string>): boolean => {
  const running = entry.containers
  if (running === undefined) return false
  for (const id of containers) if (!running.has(id)) return false
  return true
}

/**
 * The node for a job: routable, running all its containers, not tried yet; least loaded first (pending jobs at the
 * last `/info` plus this pool's requests in flight). Ties are broken round-robin from `start`, so a burst spreads.
 */
export const pick = (
  entries: ReadonlyArray<Entry>,
  containers: ReadonlyArray<string>,
  exclude: ReadonlySet<Entry>,
  start: number,
  now: number = Number.POSITIVE_INFINITY
): Entry | undefined => {
  let best: Entry | undefined
  let bestLoad = Number.POSITIVE_INFINITY
  const n = entries.length
  for (let k = 0; k < n; k++) {
    const entry = entries[(start + k) % n]!
    if (!routable(entry) || exclude.has(entry) || !runsAll(entry, containers)) continue
    if (entry.creationBlockedUntil > now) continue
    const load = (entry.pending ?? 0) + entry.inFlight
    if (load < bestLoad) {
      best = entry
      bestLoad = load
    }
  }
  return best
}

/**
 * How a failed request that creates a job is read:
 * - `not-created`: the node surely did not create it (connection refused, 429, 503, container not on the node), so
 *   another node may take it;
 * - `ambiguous`: it may have been (a timeout, a connection cut mid-request): failing over could run it twice;
 * - `answer`: the node answered (a guardian rejection, a bad request): the same on any node.
 * `unhealthy` says whether the node should be cooled down.
 */
export type Verdict =
  | { readonly _tag: "not-created"; readonly unhealthy: boolean; readonly retryAfter?: Duration.Duration | undefined }
  | { readonly _tag: "ambiguous" }
  | { readonly _tag: "answer" }

const NOT_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|connect ETIMEDOUT/

export const classify = (error: NodeClientError): Verdict => {
  const reason = error.reason
  switch (reason._tag) {
    case "TransportError":
      return NOT_CONNECTED.test(reason.detail) ? { _tag: "not-created", unhealthy: true } : { _tag: "ambiguous" }
    case "RateLimited":
      return { _tag: "not-created", unhealthy: true, retryAfter: reason.retryAfter }
    case "Timeout":
      return { _tag: "ambiguous" }
    case "ApiError":
      if (reason.status === 503) return { _tag: "not-created", unhealthy: true }
      if (reason.error === "Container not supported") return { _tag: "not-created", unhealthy: false }
      return { _tag: "answer" }
    case "UnexpectedResponse":
      return reason.status === 503 ? { _tag: "not-created", unhealthy: true } : { _tag: "answer" }
    default:
      return { _tag: "answer" }
  }
}

/** Whether a failure says the node could not be used (as opposed to an answer from it): transient, or a timeout. */
export const isNodeFailure = (error: NodeClientError): boolean => error.reason._tag === "Timeout" || isTransient(error)

export interface HealthSettings {
  readonly cooldown: Duration.Duration
  readonly maxCooldown: Duration.Duration
  readonly dropAfter: number
}

/**
 * Cools a node down after a failure: `cooldown` doubling per consecutive failure, at least the node's Retry-After,
 * and never longer than `maxCooldown` (a node asking for an hour is probed again after `maxCooldown`).
 */
export const markFailure = (
  entry: Entry,
  settings: HealthSettings,
  now: number,
  detail: string,
  retryAfter?: Duration.Duration
): void => {
  entry.failures++
  entry.lastError = detail
  const backoff = Math.min(
    Duration.toMillis(settings.maxCooldown),
    Duration.toMillis(settings.cooldown) * 2 ** Math.min(30, entry.failures - 1)
  )
  const wait = Math.min(
    Duration.toMillis(settings.maxCooldown),
    Math.max(backoff, retryAfter === undefined ? 0 : Duration.toMillis(retryAfter))
  )
  entry.cooldownUntil = now + wait
  entry.state = entry.failures >= settings.dropAfter ? "dropped" : "cooling"
}

/**
 * A 429 on a request that creates a job: the node takes no new jobs for its Retry-After (else `cooldown`), capped by
 * `maxCooldown`. It stays healthy: reads of the jobs it holds still go to it.
 */
export const markCreationLimited = (
  entry: Entry,
  settings: HealthSettings,
  now: number,
  detail: string,
  retryAfter?: Duration.Duration
): void => {
  entry.lastError = detail
  const wait = Math.min(
    Duration.toMillis(settings.maxCooldown),
    retryAfter === undefined ? Duration.toMillis(settings.cooldown) : Duration.toMillis(retryAfter)
  )
  entry.creationBlockedUntil = Math.max(entry.creationBlockedUntil, now + wait)
}

export const markHealthy = (entry: Entry, info: NodeInfo.NodeInfo | undefined, now: number): void => {
  entry.state = "healthy"
  entry.failures = 0
  entry.cooldownUntil = 0
  if (info !== undefined) {
    entry.containers = new Set(info.containers.map((c) => c.id))
    entry.pending = info.pending.offchain + info.pending.onchain
    entry.lastInfoAt = now
  }
}

/** Which node holds which job, forgetting the oldest beyond `limit`; keeps each entry's `tracked` count. */
export class JobIndex {
  private readonly nodes = new Map<string, Entry>()
  constructor(private readonly limit: number) {}
  get(id: string): Entry | undefined {
    return this.nodes.get(id)
  }
  set(id: string, entry: Entry): void {
    const previous = this.nodes.get(id)
    if (previous === entry) return
    if (previous !== undefined) previous.tracked--
    this.nodes.set(id, entry)
    entry.tracked++
    if (this.nodes.size > this.limit) {
      const oldest = this.nodes.entries().next()
      if (oldest.done !== true) {
        this.nodes.delete(oldest.value[0])
        oldest.value[1].tracked--
      }
    }
  }
  get size(): number {
    return this.nodes.size
  }
}
