// The mutable state of one running mock node, and what the control API reports about it.
import type { Clock, Effect } from "effect"
import type { Json } from "@infernet/types"
import type * as MockConfig from "../MockConfig.js"
import { InflightBudget } from "./body.js"
import type { ContainerLookup } from "./containerLookup.js"
import { type AddressMatcher, makeMatcher } from "./ip.js"
import { fromSeed, pick } from "./random.js"
import { RateLimiter } from "./rateLimit.js"
import { type ContainerState, makeContainerState } from "./runner.js"
import { JobStore } from "./store.js"
import type { SignatureCheck } from "./verify.js"

/** A request the mock received, as `GET /__mock/requests` lists it (control requests are not recorded). */
export interface RecordedRequest {
  /** ISO time, from the mock's clock. */
  readonly at: string
  readonly method: string
  readonly path: string
  /** The raw query string without `?`, `""` when none. */
  readonly query: string
  /** The client address the mock saw (owner of the jobs it creates). */
  readonly client: string
  readonly status: number
  readonly content_type: string | null
  /** The body as text (at most 64 KiB), `null` when none was read. */
  readonly body: string | null
  /** Set when the body was accepted only after removing trailing commas. */
  readonly tolerated?: "trailing_commas"
}

/** A delegated subscription the mock received, as `GET /__mock/subscriptions` lists it. */
export interface RecordedSubscription {
  readonly at: string
  readonly client: string
  readonly route: string
  /** `v0` (generation 1, `container_id`) or `v1` (generation 2, `containers` hash). */
  readonly version: "v0" | "v1"
  readonly owner: string
  readonly nonce: number
  readonly expiry: number
  /** The container ids, or `null` when a v1 hash matched no combination the mock enumerated. */
  readonly containers: ReadonlyArray<string> | null
  /** Whether the node answered 200. */
  readonly accepted: boolean
  /** The guardian's or the node's error, when it was rejected. */
  readonly error?: string
  /** The result of recovering the EIP-712 signer and comparing it with `mock.delegate_signers`. */
  readonly signature: SignatureCheck
  /** The request body as received. */
  readonly request: Json.JsonValue
}

export interface NodeState {
  readonly config: MockConfig.MockConfig
  readonly containers: Map<string, ContainerState>
  readonly store: JobStore
  readonly limiter: RateLimiter
  /** The rate limit in force: `mock.rate_limit`, until `PUT /__mock/rate-limit` replaces it (reset restores it). */
  rateLimit: MockConfig.RateLimit | undefined
  readonly requests: Array<RecordedRequest>
  readonly subscriptions: Array<RecordedSubscription>
  readonly local: AddressMatcher
  /** Loopback addresses: who may use the control API unless `mock.control_open`. */
  readonly loopback: AddressMatcher
  /** Request-body bytes held at once, at most `mock.max_inflight_bytes`. */
  readonly budget: InflightBudget
  readonly allowedIps: ReadonlyMap<string, AddressMatcher>
  /** Owner (lowercase) -> signer. */
  readonly signers: ReadonlyMap<string, string>
  /** The node's address for `/info` (`""` without a wallet key or with chain disabled). */
  readonly nodeAddress: string
  /** Runs the rest of a job's container chain in the background; the node interrupts it when it stops. */
  readonly runJob: (rest: Effect.Effect<void>) => void
  /** Epoch milliseconds from the node's Effect Clock (a TestClock in tests). */
  readonly now: () => number
  lookup: ContainerLookup | undefined
}

export const makeState = (
  config: MockConfig.MockConfig,
  nodeAddress: string,
  runJob: (rest: Effect.Effect<void>) => void,
  clock: Clock.Clock
): NodeState => ({
  config,
  containers: new Map(config.containers.map((c) => [c.id, makeContainerState(c, config.mock.seed)])),
  store: new JobStore(config.mock.pending_ttl_seconds * 1000),
  limiter: new RateLimiter(),
  rateLimit: config.mock.rate_limit,
  requests: [],
  subscriptions: [],
  local: makeMatcher(config.mock.local_addresses),
  loopback: makeMatcher(["127.0.0.0/8", "::1"]),
  budget: new InflightBudget(config.mock.max_inflight_bytes),
  allowedIps: new Map(config.containers.map((c) => [c.id, makeMatcher(c.allowed_ips)])),
  signers: new Map(
    Object.entries(config.mock.delegate_signers).map(([owner, signer]) => [owner.toLowerCase(), signer])
  ),
  nodeAddress: config.chain.enabled ? nodeAddress : "",
  runJob,
  now: () => clock.unsafeCurrentTimeMillis(),
  lookup: undefined
})

/** Forgets jobs, requests, subscriptions and rate-limit state, and restores every container's configured behaviour. */
export const resetState = (state: NodeState): void => {
  state.store.clear()
  state.limiter.clear()
  state.rateLimit = state.config.mock.rate_limit
  state.requests.length = 0
  state.subscriptions.length = 0
  for (const container of state.config.containers) {
    state.containers.set(container.id, makeContainerState(container, state.config.mock.seed))
  }
}

/**
 * Appends to a log kept to `limit` entries. The oldest are dropped in batches (when the log reaches twice the limit),
 * so appending stays O(1) amortised; read it with {@link lastOf}.
 */
export const pushBounded = <A>(list: Array<A>, item: A, limit: number): void => {
  if (limit === 0) return
  list.push(item)
  if (list.length >= 2 * limit) list.splice(0, list.length - limit)
}

/** The newest `limit` entries of a log written with {@link pushBounded}. */
export const lastOf = <A>(list: ReadonlyArray<A>, limit: number): Array<A> =>
  list.length > limit ? list.slice(list.length - limit) : [...list]

const CPU_MODELS = [
  ["AMD EPYC 7R13 Processor", "AuthenticAMD"],
  ["Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "GenuineIntel"],
  ["AMD EPYC 9354 32-Core Processor", "AuthenticAMD"],
  ["Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "GenuineIntel"]
] as const

/**
 * Whether a container answers `GET /service-resources`: Ritual's inference services do (the behaviours that
 * simulate them, proxies that forward to one), and any container given `behavior.resources`; others (hello-world,
 * echo, static and failing containers) have no such route, and the real node leaves them out of `/resources`.
 */
export const hasServiceResources = (state: ContainerState): boolean => {
  const behavior = state.behavior
  if (behavior.type === "fail") return false
  if (behavior.resources !== undefined) return true
  return behavior.type === "completion" || behavior.type === "embeddings" || behavior.type === "stream"
}

/** `ritualnetwork/css_inference_service:latest` -> `css_inference_service`; the container id without an image. */
const serviceIdOf = (state: ContainerState): string => {
  const image = state.config.image
  if (image === "") return state.config.id
  const name = image.slice(image.lastIndexOf("/") + 1)
  const tag = name.indexOf(":")
  return tag === -1 ? name : name.slice(0, tag)
}

/**
 * A container's answer to `GET /service-resources`, the same on every run: `behavior.resources` when configured,
 * else a `ServiceResources` object (`service_id`, `hardware_capabilities`, `compute_capability`) as Ritual's
 * inference services answer; `undefined` for a container without that route ({@link hasServiceResources}).
 */
export const resourcesOf = (state: ContainerState): Json.JsonObject | undefined => {
  if (!hasServiceResources(state)) return undefined
  if (state.behavior.resources !== undefined) return state.behavior.resources
  const prng = fromSeed("resources", state.config.id)
  const cores = [2, 4, 8, 16][pick(prng, 4)]!
  const [model, vendor] = CPU_MODELS[pick(prng, CPU_MODELS.length)]!
  const frequency = [2000, 2450, 2900, 3250][pick(prng, 4)]!
  const disk = [64, 128, 256][pick(prng, 3)]! * 1024 ** 3
  const embeddings = state.behavior.type === "embeddings"
  return {
    version: "0.1.0",
    service_id: serviceIdOf(state),
    hardware_capabilities: [
      {
        capability_id: "base",
        os_info: { name: "Linux", version: "#1 SMP Debian 6.1.0" },
        cpu_info: {
          model,
          architecture: "x86_64",
          byte_order: "little",
          vendor_id: vendor,
          num_cores: cores,
          cores: Array.from({ length: cores }, (_, id) => ({ id, frequency }))
        },
        disk_info: [{ path: "/", filesystem: "ext4", size: disk, available: Math.floor(disk * 0.6) }]
      }
    ],
    compute_capability: [
      {
        id: "ml",
        type: "css",
        task: embeddings ? ["embeddings"] : ["text-generation"],
        models: [...(state.behavior.models ?? [])],
        cached_models: []
      }
    ]
  }
}
