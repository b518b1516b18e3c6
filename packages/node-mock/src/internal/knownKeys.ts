// Unknown keys in a configuration: refused with their path and the closest known key ("did you mean"), at every
// level, while every key of the real node's config.json is accepted (the mock ignores most of them).
import { behaviorTypes } from "./behaviorTypes.js"
import { formatPath } from "./configError.js"

type Spec = { readonly keys: Readonly<Record<string, Spec | "any">> } | { readonly items: Spec } | "behavior"

const obj = (keys: Record<string, Spec | "any">): Spec => ({ keys })
const ANY = "any" as const

const COMMON_BEHAVIOR = ["type", "latency_ms", "failure_rate", "failure", "models", "resources"]

/** The keys each behaviour takes (its own and the common ones). */
export const BEHAVIOR_KEYS: Readonly<Record<string, ReadonlyArray<string>>> = {
  echo: COMMON_BEHAVIOR,
  "hello-world": COMMON_BEHAVIOR,
  completion: [...COMMON_BEHAVIOR, "text", "dimensions"],
  embeddings: [...COMMON_BEHAVIOR, "dimensions"],
  stream: [...COMMON_BEHAVIOR, "text", "chunk_delay_ms", "tokens_per_chunk", "fail_after_chunks"],
  static: [...COMMON_BEHAVIOR, "output"],
  fail: [...COMMON_BEHAVIOR, "message"],
  proxy: [...COMMON_BEHAVIOR, "url", "timeout_ms"]
}

const LIMIT = obj({ limit: ANY, period_seconds: ANY })

/** The `mock` section's keys (kept in step with `MockConfig.MockSection`). */
export const MOCK_KEYS = [
  "version",
  "chain_id",
  "seed",
  "rate_limit",
  "pending_ttl_seconds",
  "local_addresses",
  "delegate_signers",
  "ignore_expiry",
  "max_body_bytes",
  "max_inflight_bytes",
  "max_json_depth",
  "control_open",
  "headers_timeout_ms",
  "request_timeout_ms",
  "keep_alive_timeout_ms",
  "max_connections",
  "request_log_limit",
  "stream_chunking",
  "fast_path",
  "cors"
] as const

export const RATE_LIMIT: Spec = obj({ limit: ANY, period_seconds: ANY, routes: { items: LIMIT } })

const CONTAINER = obj({
  // The real node's container keys (utils/config.py), then the mock's own.
  id: ANY,
  image: ANY,
  url: ANY,
  bearer: ANY,
  port: ANY,
  external: ANY,
  gpu: ANY,
  accepted_payments: ANY,
  allowed_ips: ANY,
  allowed_addresses: ANY,
  allowed_delegate_addresses: ANY,
  description: ANY,
  command: ANY,
  env: ANY,
  generates_proofs: ANY,
  volumes: ANY,
  behavior: "behavior"
})

const CONFIG = obj({
  containers: { items: CONTAINER },
  chain: obj({
    enabled: ANY,
    rpc_url: ANY,
    trail_head_blocks: ANY,
    registry_address: ANY,
    coordinator_address: ANY,
    wallet: obj({ max_gas_limit: ANY, private_key: ANY, payment_address: ANY, allowed_sim_errors: ANY }),
    snapshot_sync: obj({ sleep: ANY, batch_size: ANY, starting_sub_id: ANY, sync_period: ANY })
  }),
  server: obj({ port: ANY, rate_limit: obj({ num_requests: ANY, period: ANY }) }),
  redis: obj({ host: ANY, port: ANY }),
  docker: obj({ username: ANY, password: ANY }),
  log: obj({ path: ANY, max_file_size: ANY, backup_count: ANY }),
  log_path: ANY,
  forward_stats: ANY,
  manage_containers: ANY,
  startup_wait: ANY,
  mock: obj({
    ...Object.fromEntries(MOCK_KEYS.map((k) => [k, ANY])),
    rate_limit: RATE_LIMIT,
    delegate_signers: ANY
  })
})

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** The known name closest to `name`, if one is close enough to be a typo of it. */
export const closest = (name: string, known: ReadonlyArray<string>): string | undefined => {
  const lower = name.toLowerCase().replaceAll("-", "_")
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase().replaceAll("-", "_"))
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

export interface UnknownKey {
  readonly field: string
  readonly detail: string
}

const unknownKey = (path: ReadonlyArray<PropertyKey>, key: string, known: ReadonlyArray<string>): UnknownKey => {
  const suggestion = closest(key, known)
  return {
    field: formatPath([...path, key]),
    detail:
      suggestion === undefined
        ? `unknown key (expected one of ${known.map((k) => JSON.stringify(k)).join(", ")})`
        : `unknown key; did you mean ${JSON.stringify(suggestion)}?`
  }
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The first unknown key of a behaviour object (its `type` decides which keys it takes). */
export const unknownBehaviorKey = (value: unknown, path: ReadonlyArray<PropertyKey> = []): UnknownKey | undefined => {
  if (!isObject(value)) return undefined
  const type = value.type
  const known =
    typeof type === "string" && (behaviorTypes as ReadonlyArray<string>).includes(type)
      ? BEHAVIOR_KEYS[type]!
      : [...new Set(Object.values(BEHAVIOR_KEYS).flat())]
  for (const key of Object.keys(value)) if (!known.includes(key)) return unknownKey(path, key, known)
  return undefined
}

const walk = (value: unknown, spec: Spec, path: ReadonlyArray<PropertyKey>): UnknownKey | undefined => {
  if (spec === "behavior") return unknownBehaviorKey(value, path)
  if ("items" in spec) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = walk(value[i], spec.items, [...path, i])
        if (found !== undefined) return found
      }
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const found = walk(item, spec.items, [...path, key])
        if (found !== undefined) return found
      }
    }
    return undefined
  }
  if (!isObject(value)) return undefined
  const known = Object.keys(spec.keys)
  for (const [key, item] of Object.entries(value)) {
    const child = spec.keys[key]
    if (child === undefined) return unknownKey(path, key, known)
    if (child !== ANY) {
      const found = walk(item, child, [...path, key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** The first unknown key of a whole configuration, with its path and a did-you-mean. */
export const unknownConfigKey = (input: unknown): UnknownKey | undefined => walk(input, CONFIG, [])

/** The first unknown key of a rate limit (`setRateLimit`). */
export const unknownRateLimitKey = (input: unknown): UnknownKey | undefined => walk(input, RATE_LIMIT, [])
