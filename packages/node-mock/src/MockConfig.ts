/**
 * The mock's configuration: the real node's `config.json` shape (`containers`, `chain`) plus mock-only keys, kept
 * apart so a real config file works unchanged: `behavior` on each container, and a top-level `mock` section.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Json } from "@infernet/types"
import { behaviorTypes as internalBehaviorTypes } from "./internal/behaviorTypes.js"
import { formatConfigError, invalidConfig, readConfigFile } from "./internal/configError.js"
import { unknownConfigKey } from "./internal/knownKeys.js"
import { isIpOrCidr } from "./internal/ip.js"
import type * as MockNodeError from "./MockNodeError.js"
import { originProblem } from "./internal/cors.js"

const strict = { parseOptions: { onExcessProperty: "error" } } as const

/** An entry of `mock.cors`: `"*"` or an origin as browsers send it (`http://localhost:5173`). */
const CorsOrigin = Schema.String.pipe(Schema.filter((text) => originProblem(text) ?? true))

const NonNegative = Schema.Number.pipe(
  Schema.finite({ message: () => "expected a finite number" }),
  Schema.nonNegative({ message: () => "expected a number >= 0" })
)
const NonNegativeInt = Schema.Number.pipe(
  Schema.int({ message: () => "expected a whole number" }),
  Schema.nonNegative({ message: () => "expected a number >= 0" })
)
const PositiveInt = Schema.Number.pipe(
  Schema.int({ message: () => "expected a whole number" }),
  Schema.positive({ message: () => "expected a number > 0" })
)
const Positive = Schema.Number.pipe(
  Schema.finite({ message: () => "expected a finite number" }),
  Schema.positive({ message: () => "expected a number > 0" })
)
const NonEmptyString = Schema.String.pipe(Schema.minLength(1, { message: () => "expected a non-empty string" }))

const IpOrCidr = Schema.String.pipe(
  Schema.filter((s) => isIpOrCidr(s), {
    message: (issue) => `expected an IP address or CIDR range, got ${JSON.stringify(issue.actual)}`
  })
)

const Address = Schema.String.pipe(
  Schema.pattern(/^0x[0-9a-fA-F]{40}$/, {
    message: (issue) => `expected an address (0x and 40 hex digits), got ${JSON.stringify(issue.actual)}`
  })
)

const HttpUrl = Schema.String.pipe(
  Schema.filter((s) => /^https?:\/\/[^/]/.test(s), {
    message: (issue) => `expected an http(s) URL, got ${JSON.stringify(issue.actual)}`
  })
)

/**
 * A delay in milliseconds: a fixed number, or `[min, max]` for a seeded random delay in that range.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Latency = Schema.Union(
  NonNegative,
  Schema.Tuple(NonNegative, NonNegative).pipe(
    Schema.filter(([min, max]) => min <= max, { message: () => "expected [min, max] with min <= max" })
  )
).annotations({ identifier: "Latency" })

/**
 * How a container fails, in the real node's shapes: `unreachable` (connection refused), `timeout` (an empty error
 * string, as aiohttp's timeout gives) and `non_json` (an HTML answer the node cannot decode).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FailureMode = Schema.Literal("unreachable", "timeout", "non_json")

/**
 * @since 0.1.0
 * @category models
 */
export type FailureMode = typeof FailureMode.Type

const common = {
  /** Delay before the container answers (before the first chunk when streaming). */
  latency_ms: Schema.optionalWith(Latency, { exact: true }),
  /** Probability (0 to 1) that a call fails instead, drawn from the seeded generator. */
  failure_rate: Schema.optionalWith(
    Schema.Number.pipe(Schema.between(0, 1, { message: () => "expected a probability between 0 and 1" })),
    { exact: true }
  ),
  /** How the container fails, for `fail` and for `failure_rate`. Default `unreachable`. */
  failure: Schema.optionalWith(FailureMode, { exact: true }),
  /** Models the container reports as supported, for `/resources?model_id=`. */
  models: Schema.optionalWith(Schema.Array(Schema.String), { exact: true }),
  /** The object `/resources` reports for this container, replacing the generated one. */
  resources: Schema.optionalWith(Json.JsonObject, { exact: true })
}

/**
 * `echo`: the output is the `data` the container received (for the first container, the job's `data`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EchoBehavior = Schema.Struct({ type: Schema.Literal("echo"), ...common }).annotations(strict)

/**
 * `hello-world`: Ritual's hello-world container, `{"output": "hello, world!, your input was: <input>"}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HelloWorldBehavior = Schema.Struct({ type: Schema.Literal("hello-world"), ...common }).annotations(strict)

/**
 * `completion`: an OpenAI-style inference service. The output is deterministic text continuing the prompt
 * (`params.messages`' last entry, or `params.prompt`); with `params.endpoint: "embeddings"` it is an embedding vector
 * instead, as `embeddings` gives.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CompletionBehavior = Schema.Struct({
  type: Schema.Literal("completion"),
  /** A fixed completion to answer every prompt with. */
  text: Schema.optionalWith(Schema.String, { exact: true }),
  /** Length of embedding vectors. Default 1536. */
  dimensions: Schema.optionalWith(PositiveInt, { exact: true }),
  ...common
}).annotations(strict)

/**
 * `embeddings`: a unit vector (default 1536 dimensions) drawn from a generator seeded by a hash of the input
 * (`params.input`, or the whole `data`), so the same input always gives the same vector.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbeddingsBehavior = Schema.Struct({
  type: Schema.Literal("embeddings"),
  dimensions: Schema.optionalWith(PositiveInt, { exact: true }),
  ...common
}).annotations(strict)

/**
 * `stream`: text sent in token chunks with a delay between them (`text`, or a continuation of the prompt). Through
 * `POST /api/jobs` the output is the whole text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamBehavior = Schema.Struct({
  type: Schema.Literal("stream"),
  /** The text to stream; default: a deterministic continuation of the prompt. */
  text: Schema.optionalWith(Schema.String, { exact: true }),
  /** Delay between chunks in milliseconds. Default 5. */
  chunk_delay_ms: Schema.optionalWith(NonNegative, { exact: true }),
  /** Whitespace-separated tokens per chunk. Default 1. */
  tokens_per_chunk: Schema.optionalWith(PositiveInt, { exact: true }),
  /** Fail after sending this many chunks (the stream ends early and the job is `failed`). */
  fail_after_chunks: Schema.optionalWith(NonNegativeInt, { exact: true }),
  ...common
}).annotations(strict)

/**
 * `static`: always answers `output`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StaticBehavior = Schema.Struct({
  type: Schema.Literal("static"),
  output: Json.JsonValue,
  ...common
}).annotations(strict)

/**
 * `fail`: every call fails the way `failure` says (default `unreachable`); `message` replaces the error text.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FailBehavior = Schema.Struct({
  type: Schema.Literal("fail"),
  message: Schema.optionalWith(Schema.String, { exact: true }),
  ...common
}).annotations(strict)

/**
 * `proxy`: forwards to a real container at `url` (default: the container's `url`, or `http://localhost:<port>`),
 * `POST <url>/service_output` as the node does, and `GET <url>/service-resources` for `/resources`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProxyBehavior = Schema.Struct({
  type: Schema.Literal("proxy"),
  url: Schema.optionalWith(HttpUrl, { exact: true }),
  /** Give up after this many milliseconds (an empty error, like the node's timeout). Default 180000. */
  timeout_ms: Schema.optionalWith(Positive, { exact: true }),
  ...common
}).annotations(strict)

/**
 * What a container does when called. Mock-only: the real node runs a Docker image instead.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { MockConfig } from "@infernet/node-mock"
 * Schema.decodeUnknownSync(MockConfig.Behavior)({ type: "static", output: { answer: 42 }, latency_ms: [10, 50] })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Behavior = Schema.Union(
  EchoBehavior,
  HelloWorldBehavior,
  CompletionBehavior,
  EmbeddingsBehavior,
  StreamBehavior,
  StaticBehavior,
  FailBehavior,
  ProxyBehavior
).annotations({ identifier: "Behavior" })

/**
 * @since 0.1.0
 * @category models
 */
export type Behavior = typeof Behavior.Type

/**
 * A behaviour as written in JSON (every optional key may be left out).
 *
 * @since 0.1.0
 * @category models
 */
export type BehaviorInput = typeof Behavior.Encoded

/**
 * The behaviour names.
 *
 * @since 0.1.0
 * @category models
 */
export const behaviorTypes: ReadonlyArray<Behavior["type"]> = internalBehaviorTypes

/**
 * A container entry of the real node's `config.json`, plus `behavior`. Keys the mock does not use (`command`, `env`,
 * `volumes`, `gpu`, `accepted_payments`, ...) are accepted and ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Container = Schema.Struct({
  id: NonEmptyString,
  image: Schema.optionalWith(Schema.String, { default: () => "" }),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  external: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  allowed_ips: Schema.optionalWith(Schema.Array(IpOrCidr), { default: () => [] }),
  allowed_addresses: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  allowed_delegate_addresses: Schema.optionalWith(Schema.Array(Address), { default: () => [] }),
  generates_proofs: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  url: Schema.optionalWith(HttpUrl, { exact: true }),
  port: Schema.optionalWith(
    Schema.Number.pipe(Schema.int(), Schema.between(0, 65535, { message: () => "expected a port (0 to 65535)" })),
    { exact: true }
  ),
  env: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { exact: true }),
  /** Mock-only: what the container does. Default `{"type": "echo"}`. */
  behavior: Schema.optionalWith(Behavior, { default: () => ({ type: "echo" as const }) })
}).annotations({ identifier: "Container" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Container extends Schema.Schema.Type<typeof Container> {}

const PrivateKey = Schema.Redacted(
  Schema.String.pipe(
    Schema.pattern(/^0x[0-9a-fA-F]{64}$/, { message: () => "expected a private key (0x and 64 hex digits)" })
  )
)

/**
 * The real node's `chain` section. `coordinator_address` is the EIP-712 `verifyingContract` used to check delegated
 * subscriptions; `wallet.private_key` gives the node's address in `/info` (it is kept `Redacted`). Other keys of a
 * real config (`trail_head_blocks`, `registry_address`, ...) are accepted and ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Chain = Schema.Struct({
  enabled: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  coordinator_address: Schema.optionalWith(Address, { exact: true }),
  rpc_url: Schema.optionalWith(Schema.String, { exact: true }),
  wallet: Schema.optionalWith(Schema.Struct({ private_key: Schema.optionalWith(PrivateKey, { exact: true }) }), {
    exact: true
  })
}).annotations({ identifier: "Chain" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Chain extends Schema.Schema.Type<typeof Chain> {}

/**
 * The rate-limited routes, as `mock.rate_limit.routes` keys.
 *
 * @since 0.1.0
 * @category models
 */
export const limitedRoutes = [
  "GET /health",
  "GET /info",
  "GET /resources",
  "POST /api/jobs",
  "GET /api/jobs",
  "POST /api/jobs/batch",
  "POST /api/jobs/stream"
] as const

const routeKeys = (record: { readonly [key: string]: unknown }) => {
  for (const key of Object.keys(record)) {
    if (!(limitedRoutes as ReadonlyArray<string>).includes(key)) {
      return {
        path: [key],
        message: `expected a rate-limited route: ${limitedRoutes.map((r) => JSON.stringify(r)).join(" | ")}`
      }
    }
  }
  return true
}

const Limit = Schema.Struct({ limit: PositiveInt, period_seconds: Positive }).annotations(strict)

/**
 * Rate limiting (off unless configured): GCRA per route and client, `limit` requests per `period_seconds`, with
 * per-route overrides keyed `"METHOD /path"` (e.g. `"POST /api/jobs"`; the real node uses 30 there, 10 for
 * `/api/jobs/stream` and `/api/jobs/batch`, 60 elsewhere).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RateLimit = Schema.Struct({
  limit: PositiveInt,
  period_seconds: Positive,
  routes: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Limit }).pipe(Schema.filter(routeKeys)), {
    exact: true
  })
}).annotations(strict)

/**
 * @since 0.1.0
 * @category models
 */
export interface RateLimit extends Schema.Schema.Type<typeof RateLimit> {}

/**
 * A rate limit as written in JSON (`setRateLimit` takes it).
 *
 * @since 0.2.0
 * @category models
 */
export type RateLimitInput = typeof RateLimit.Encoded

const addressKeys = (record: { readonly [key: string]: string }) => {
  for (const key of Object.keys(record)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(key)) {
      return { path: [key], message: `expected an owner address (0x and 40 hex digits) as the key` }
    }
  }
  return true
}

/**
 * The mock-only `mock` section. Every key is optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MockSection = Schema.Struct({
  /** `/info` version. Default `1.4.0`. */
  version: Schema.optionalWith(Schema.String, { default: () => "1.4.0" }),
  /** EIP-712 `chainId` for delegated subscriptions. Default 31337. */
  chain_id: Schema.optionalWith(PositiveInt, { default: () => 31337 }),
  /** Seed of every random draw (latency ranges, failure rates), so runs repeat. Default 0. */
  seed: Schema.optionalWith(Schema.Number.pipe(Schema.int()), { default: () => 0 }),
  rate_limit: Schema.optionalWith(RateLimit, { exact: true }),
  /** Pending jobs older than this are dropped, as the real node's Redis key expires. Default 900 (15 minutes). */
  pending_ttl_seconds: Schema.optionalWith(Positive, { default: () => 900 }),
  /** Who may `PUT /api/status`. Default loopback and Docker's private range. */
  local_addresses: Schema.optionalWith(Schema.Array(IpOrCidr), {
    default: () => ["127.0.0.0/8", "::1", "172.16.0.0/12"]
  }),
  /** Subscription owner -> the signer it delegates to, to check delegated subscriptions' signatures. */
  delegate_signers: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: Address }).pipe(Schema.filter(addressKeys)),
    { default: () => ({}) }
  ),
  /** Accept expired delegated-subscription signatures (the real node rejects them). Default false. */
  ignore_expiry: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Request body limit. Default 16 MiB, as the real node. */
  max_body_bytes: Schema.optionalWith(PositiveInt, { default: () => 16 * 1024 * 1024 }),
  /**
   * Request-body bytes held at once across all requests; a body beyond it gets `503` (JSON, `Retry-After: 1`).
   * Default 64 MiB. At least `max_body_bytes`.
   */
  max_inflight_bytes: Schema.optionalWith(PositiveInt, { default: () => 64 * 1024 * 1024 }),
  /**
   * How deep arrays and objects may nest in a request body; deeper bodies get `400`. Default 512, at most 1000 (the
   * real node's Python parser stops near 1000).
   */
  max_json_depth: Schema.optionalWith(
    PositiveInt.pipe(Schema.lessThanOrEqualTo(1000, { message: () => "expected a number <= 1000" })),
    { default: () => 512 }
  ),
  /** Answer the `/__mock/` control API from any address; by default only loopback clients get it (others 403). */
  control_open: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /**
   * Origins whose pages may call the node from a browser (`"*"`: any): preflights are answered and answers carry CORS
   * headers, as a CORS-adding proxy in front of a real node would. Default none, as the real node (no CORS headers).
   */
  cors: Schema.optionalWith(Schema.Array(CorsOrigin), { default: () => [] }),
  /** Time a client has to send a request's headers (also how long a new connection may stay silent). Default 10 s. */
  headers_timeout_ms: Schema.optionalWith(PositiveInt, { default: () => 10_000 }),
  /** Time a client has to send a whole request, body included. Default 30 s. At least `headers_timeout_ms`. */
  request_timeout_ms: Schema.optionalWith(PositiveInt, { default: () => 30_000 }),
  /** How long an idle keep-alive connection stays open after an answer. Default 5 s. */
  keep_alive_timeout_ms: Schema.optionalWith(PositiveInt, { default: () => 5_000 }),
  /** Open connections at most; connections beyond it are closed at once. Default 1024. */
  max_connections: Schema.optionalWith(PositiveInt, { default: () => 1024 }),
  /** How many requests `GET /__mock/requests` keeps (oldest dropped first). Default 1000. */
  request_log_limit: Schema.optionalWith(NonNegativeInt, { default: () => 1000 }),
  /** `split` cuts every streamed write in two (the id line too), to test clients' chunk handling. */
  stream_chunking: Schema.optionalWith(Schema.Literal("natural", "split"), { default: () => "natural" as const }),
  /**
   * Answer every route but `/api/jobs/stream` on a short request path in front of `@effect/platform`'s
   * NodeHttpServer (the same handlers and bytes on the wire, a few times the throughput). `false` sends every
   * request through the platform's pipeline. Default true.
   */
  fast_path: Schema.optionalWith(Schema.Boolean, { default: () => true })
})
  .annotations(strict)
  .pipe(
    Schema.filter((mock) => {
      if (mock.request_timeout_ms < mock.headers_timeout_ms) {
        return { path: ["request_timeout_ms"], message: "expected a number >= headers_timeout_ms" }
      }
      if (mock.max_inflight_bytes < mock.max_body_bytes) {
        return { path: ["max_inflight_bytes"], message: "expected a number >= max_body_bytes" }
      }
      return true
    })
  )
  .annotations({ identifier: "MockSection" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MockSection extends Schema.Schema.Type<typeof MockSection> {}

const uniqueIds = (containers: ReadonlyArray<{ readonly id: string }>) => {
  const seen = new Set<string>()
  for (let i = 0; i < containers.length; i++) {
    const id = containers[i]!.id
    if (seen.has(id)) return { path: [i, "id"], message: `duplicate container id ${JSON.stringify(id)}` }
    seen.add(id)
  }
  return true
}

/**
 * The whole configuration. The real node's other keys (`server`, `docker`, `redis`, `log_path`, a container's
 * `command`, ...) are accepted and ignored, so a real node's `config.json` decodes as is. {@link decode} refuses any
 * other key, at every level, with its path and the closest known key (`containers[2].behaviour: unknown key; did
 * you mean "behavior"?`); this schema alone ignores them outside `mock` and `behavior`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { MockConfig } from "@infernet/node-mock"
 * const config = Schema.decodeUnknownSync(MockConfig.MockConfig)({
 *   containers: [{ id: "hello-world", image: "ritualnetwork/hello-world-infernet:latest", behavior: { type: "hello-world" } }]
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const MockConfig = Schema.Struct({
  containers: Schema.optionalWith(Schema.Array(Container).pipe(Schema.filter(uniqueIds)), { default: () => [] }),
  chain: Schema.optionalWith(Chain, { default: () => ({ enabled: false }) }),
  mock: Schema.optionalWith(MockSection, { default: () => Schema.decodeSync(MockSection)({}) })
}).annotations({ identifier: "MockConfig" })

/**
 * A decoded configuration: every default filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockConfig extends Schema.Schema.Type<typeof MockConfig> {}

/**
 * A configuration as written in JSON (or passed in code): every key with a default may be left out.
 *
 * @since 0.1.0
 * @category models
 */
export type Input = Schema.Schema.Encoded<typeof MockConfig>

/**
 * The default configuration: the containers the Python client's usage page calls (`openai-inference-0.0.1`,
 * `openai-inference-streaming-0.0.1`, `openai-inference`) plus `hello-world`, chain enabled with the page's
 * Coordinator, and the page's delegated-subscription owner mapped to the signer of the page's private key.
 *
 * @example
 * ```ts
 * import { MockConfig, startMockNode } from "@infernet/node-mock"
 * const node = await startMockNode({
 *   config: { ...MockConfig.defaultConfig, mock: { ...MockConfig.defaultConfig.mock, rate_limit: { limit: 5, period_seconds: 1 } } }
 * })
 * await node.close()
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const defaultConfig = {
  containers: [
    {
      id: "openai-inference-0.0.1",
      image: "ritualnetwork/css_inference_service:latest",
      description: "OPENAI Inference Service",
      external: true,
      allowed_ips: [],
      allowed_addresses: [],
      allowed_delegate_addresses: [],
      generates_proofs: false,
      behavior: {
        type: "completion",
        latency_ms: [20, 60],
        models: ["gpt-3.5-turbo-16k", "gpt-4o", "text-embedding-3-small"]
      }
    },
    {
      id: "openai-inference-streaming-0.0.1",
      image: "ritualnetwork/css_inference_service:latest",
      description: "OPENAI Inference Service (streaming)",
      external: true,
      allowed_ips: [],
      allowed_addresses: [],
      allowed_delegate_addresses: [],
      generates_proofs: false,
      behavior: { type: "stream", latency_ms: 20, chunk_delay_ms: 5, models: ["gpt-3.5-turbo-16k", "gpt-4o"] }
    },
    {
      id: "openai-inference",
      image: "ritualnetwork/css_inference_service:latest",
      description: "OPENAI Inference Service",
      external: true,
      allowed_ips: [],
      allowed_addresses: [],
      allowed_delegate_addresses: [],
      generates_proofs: false,
      behavior: {
        type: "completion",
        latency_ms: [20, 60],
        models: ["gpt-3.5-turbo-16k", "gpt-4o", "text-embedding-3-small"]
      }
    },
    {
      id: "hello-world",
      image: "ritualnetwork/hello-world-infernet:latest",
      description: "Hello World container",
      external: true,
      allowed_ips: [],
      allowed_addresses: [],
      allowed_delegate_addresses: [],
      generates_proofs: false,
      behavior: { type: "hello-world", latency_ms: 10 }
    }
  ],
  chain: {
    enabled: true,
    // The usage page's Coordinator (its mixed case is not a valid EIP-55 checksum; this is the checksummed form).
    coordinator_address: "0x1Fbdb2315678aFecb369F032D93f642f64140AA3",
    rpc_url: "http://127.0.0.1:8545",
    // Anvil's well-known account #0: a test key, never a secret. It gives /info a realistic chain.address.
    wallet: { private_key: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" }
  },
  mock: {
    version: "1.4.0",
    chain_id: 31337,
    seed: 0,
    delegate_signers: {
      // The usage page's subscription owner -> the address of the page's PRIVATE_KEY.
      "0x5FbDB2315678afecb367f032d93F642f64180aa3": "0xD00562608042B94769313CeccdDf6a9Ec8702791"
    }
  }
} satisfies Input

/**
 * Decodes a configuration, filling in defaults. Fails with a {@link MockNodeError.MockNodeError} whose message is one
 * line naming the field.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockConfig } from "@infernet/node-mock"
 * const config = Effect.runSync(MockConfig.decode({ containers: [{ id: "echo" }] }))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const decode = (input: unknown, source = "options"): Effect.Effect<MockConfig, MockNodeError.MockNodeError> => {
  // A misspelt key would otherwise be ignored (the real node's keys are accepted and unused): name it first.
  const unknown = unknownConfigKey(input)
  if (unknown !== undefined) return Effect.fail(invalidConfig(source, unknown.detail, unknown.field))
  return Schema.decodeUnknown(MockConfig)(input, { errors: "all" }).pipe(
    Effect.mapError((error) => formatConfigError(error, input, source))
  )
}

/**
 * Reads and decodes a JSON configuration file.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockConfig } from "@infernet/node-mock"
 * const program = MockConfig.load("./config.json")
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const load = (path: string): Effect.Effect<MockConfig, MockNodeError.MockNodeError> =>
  Effect.flatMap(readConfigFile(path), (input) => decode(input, path))
