import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Redacted, Schema } from "effect"
import { getAddress } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { BEHAVIOR_KEYS, MOCK_KEYS } from "../src/internal/knownKeys.js"
import { MockConfig } from "../src/index.js"

const errorOf = (input: unknown) => Effect.runSync(Effect.flip(MockConfig.decode(input))).message

describe("MockConfig.decode", () => {
  it("fills every default", () => {
    const config = Effect.runSync(MockConfig.decode({ containers: [{ id: "echo" }] }))
    assert.deepStrictEqual(config.containers[0], {
      id: "echo",
      image: "",
      description: "",
      external: true,
      allowed_ips: [],
      allowed_addresses: [],
      allowed_delegate_addresses: [],
      generates_proofs: false,
      behavior: { type: "echo" }
    })
    assert.deepStrictEqual(config.chain, { enabled: false })
    assert.deepStrictEqual(config.mock, {
      version: "1.4.0",
      chain_id: 31337,
      seed: 0,
      pending_ttl_seconds: 900,
      local_addresses: ["127.0.0.0/8", "::1", "172.16.0.0/12"],
      delegate_signers: {},
      ignore_expiry: false,
      max_body_bytes: 16 * 1024 * 1024,
      max_inflight_bytes: 64 * 1024 * 1024,
      max_json_depth: 512,
      control_open: false,
      cors: [],
      headers_timeout_ms: 10_000,
      request_timeout_ms: 30_000,
      keep_alive_timeout_ms: 5_000,
      max_connections: 1024,
      request_log_limit: 1000,
      stream_chunking: "natural",
      fast_path: true
    })
  })

  it("accepts a real node's config.json, ignoring the keys the mock does not use", () => {
    const real = {
      log_path: "infernet_node.log",
      server: { port: 4000, rate_limit: { num_requests: 100, period: 100 } },
      chain: {
        enabled: true,
        trail_head_blocks: 0,
        rpc_url: "http://host.docker.internal:8545",
        registry_address: "0x663F3ad617193148711d28f5334eE4Ed07016602",
        wallet: { max_gas_limit: 4000000, private_key: `0x${"11".repeat(32)}`, allowed_sim_errors: [] },
        snapshot_sync: { sleep: 3, batch_size: 500 }
      },
      startup_wait: 1.0,
      docker: { username: "your-username", password: "" },
      redis: { host: "redis", port: 6379 },
      forward_stats: true,
      containers: [
        {
          id: "hello-world",
          image: "ritualnetwork/hello-world-infernet:latest",
          external: true,
          port: 3000,
          allowed_delegate_addresses: [],
          allowed_addresses: [],
          allowed_ips: [],
          command: "--bind=0.0.0.0:3000 --workers=2",
          env: {},
          volumes: [],
          accepted_payments: {},
          generates_proofs: false
        }
      ]
    }
    const config = Effect.runSync(MockConfig.decode(real))
    assert.strictEqual(config.containers[0]!.port, 3000)
    assert.strictEqual(config.containers[0]!.behavior.type, "echo")
    assert.strictEqual(config.chain.enabled, true)
    // The key is kept redacted: it never shows in logs or error messages.
    assert.strictEqual(String(config.chain.wallet?.private_key), "<redacted>")
    assert.strictEqual(Redacted.value(config.chain.wallet!.private_key!), `0x${"11".repeat(32)}`)
  })

  it("reports one line naming the field", () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [
        { containers: [{ id: "a", behavior: { type: "ech0" } }] },
        'options: containers[0].behavior.type: expected one of "echo" | "hello-world" | "completion" | "embeddings" | "stream" | "static" | "fail" | "proxy", got "ech0"'
      ],
      [
        { containers: [{ id: "a" }, { id: "b" }, { id: "a" }] },
        'options: containers[2].id: duplicate container id "a"'
      ],
      [
        { containers: [{ id: "a", behavior: { type: "static" } }] },
        "options: containers[0].behavior.output: is missing"
      ],
      [
        { containers: [{ id: "a", behavior: { type: "stream", chunk_delay: 5 } }] },
        'options: containers[0].behavior.chunk_delay: unknown key; did you mean "chunk_delay_ms"?'
      ],
      [
        { containers: [{ id: "a" }, { id: "b" }, { id: "c", behaviour: { type: "fail" } }] },
        'options: containers[2].behaviour: unknown key; did you mean "behavior"?'
      ],
      [{ containres: [] }, 'options: containres: unknown key; did you mean "containers"?'],
      [
        { containers: [{ id: "a", allowed_ip: ["127.0.0.1"] }] },
        'options: containers[0].allowed_ip: unknown key; did you mean "allowed_ips"?'
      ],
      [
        { chain: { wallet: { privatekey: "0x12" } } },
        'options: chain.wallet.privatekey: unknown key; did you mean "private_key"?'
      ],
      [
        { mock: { rate_limit: { limit: 1, period_seconds: 1, routes: { "GET /info": { limit: 1, period: 1 } } } } },
        'options: mock.rate_limit.routes["GET /info"].period: unknown key (expected one of "limit", "period_seconds")'
      ],
      [
        { containers: [{ id: "a", behavior: { type: "echo", text: "x" } }] },
        'options: containers[0].behavior.text: unknown key (expected one of "type", "latency_ms", "failure_rate", "failure", "models", "resources")'
      ],
      [{ containers: [{ id: 5 }] }, "options: containers[0].id: expected a string, got 5"],
      [{ containers: "x" }, 'options: containers: expected an array, got "x"'],
      [{ mock: { ratelimit: {} } }, 'options: mock.ratelimit: unknown key; did you mean "rate_limit"?'],
      [
        { containers: [{ id: "a", allowed_ips: ["1.2.3.4/40"] }] },
        'options: containers[0].allowed_ips[0]: expected an IP address or CIDR range, got "1.2.3.4/40"'
      ],
      [
        { containers: [{ id: "a", behavior: { type: "echo", latency_ms: [5, 1] } }] },
        "options: containers[0].behavior.latency_ms: expected [min, max] with min <= max"
      ],
      [{ chain: { enabled: "yes" } }, 'options: chain.enabled: expected a boolean, got "yes"'],
      [
        { chain: { wallet: { private_key: "0x12" } } },
        "options: chain.wallet.private_key: expected a private key (0x and 64 hex digits)"
      ],
      [
        { mock: { delegate_signers: { "0x12": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" } } },
        'options: mock.delegate_signers["0x12"]: expected an owner address (0x and 40 hex digits) as the key'
      ],
      [
        { containers: [{ id: "a", behavior: "echo" }] },
        'options: containers[0].behavior: expected an object such as {"type": "echo"}'
      ],
      [
        { containers: [{ id: "a", behavior: { type: "echo", failure_rate: 2 } }] },
        "options: containers[0].behavior.failure_rate: expected a probability between 0 and 1"
      ],
      [
        { mock: { rate_limit: { limit: 0, period_seconds: 1 } } },
        "options: mock.rate_limit.limit: expected a number > 0"
      ],
      [
        {
          mock: {
            rate_limit: { limit: 1, period_seconds: 1, routes: { "/api/jobs": { limit: 1, period_seconds: 1 } } }
          }
        },
        'options: mock.rate_limit.routes["/api/jobs"]: expected a rate-limited route: "GET /health" | "GET /info" | "GET /resources" | "POST /api/jobs" | "GET /api/jobs" | "POST /api/jobs/batch" | "POST /api/jobs/stream"'
      ],
      [{ mock: { max_json_depth: 5000 } }, "options: mock.max_json_depth: expected a number <= 1000"],
      [
        { mock: { headers_timeout_ms: 5000, request_timeout_ms: 1000 } },
        "options: mock.request_timeout_ms: expected a number >= headers_timeout_ms"
      ],
      [
        { mock: { max_body_bytes: 2000, max_inflight_bytes: 1000 } },
        "options: mock.max_inflight_bytes: expected a number >= max_body_bytes"
      ],
      [5, "options: expected a JSON object, got 5"]
    ]
    for (const [input, message] of cases) {
      const actual = errorOf(input)
      assert.strictEqual(actual, message)
      assert.notInclude(actual, "\n")
    }
  })

  it("fails with a MockNodeError whose reason names the source and the field", () => {
    const error = Effect.runSync(Effect.flip(MockConfig.decode({ containers: [{ id: "" }] }, "my.json")))
    assert.strictEqual(error._tag, "MockNodeError")
    assert.strictEqual(error.reason._tag, "InvalidConfig")
    if (error.reason._tag !== "InvalidConfig") return
    assert.strictEqual(error.reason.source, "my.json")
    assert.strictEqual(error.reason.field, "containers[0].id")
    assert.strictEqual(error.message, "my.json: containers[0].id: expected a non-empty string")
  })
})

describe("MockConfig.load", () => {
  const file = async (name: string, text: string) => {
    const dir = await mkdtemp(join(tmpdir(), "node-mock-config-"))
    const path = join(dir, name)
    await writeFile(path, text)
    return path
  }

  it("reads a JSON file", async () => {
    const path = await file(
      "config.json",
      JSON.stringify({ containers: [{ id: "x", behavior: { type: "hello-world" } }] })
    )
    const config = await Effect.runPromise(MockConfig.load(path))
    assert.strictEqual(config.containers[0]!.behavior.type, "hello-world")
  })

  it("names the file in every error", async () => {
    const invalid = await file("bad.json", '{"containers": [')
    const missing = join(tmpdir(), "node-mock-does-not-exist.json")
    const wrong = await file("wrong.json", '{"containers": [{"id": "a", "external": "yes"}]}')
    const messages = await Promise.all(
      [invalid, missing, wrong].map((path) => Effect.runPromise(Effect.flip(MockConfig.load(path))))
    )
    assert.match(messages[0]!.message, /^.*bad\.json: invalid JSON: /)
    assert.strictEqual(messages[1]!.message, `${missing}: file not found`)
    assert.strictEqual(messages[2]!.message, `${wrong}: containers[0].external: expected a boolean, got "yes"`)
  })
})

describe("MockConfig.defaultConfig", () => {
  const config = Effect.runSync(MockConfig.decode(MockConfig.defaultConfig))

  it("has the usage page's containers and hello-world", () => {
    assert.deepStrictEqual(
      config.containers.map((c) => [c.id, c.behavior.type]),
      [
        ["openai-inference-0.0.1", "completion"],
        ["openai-inference-streaming-0.0.1", "stream"],
        ["openai-inference", "completion"],
        ["hello-world", "hello-world"]
      ]
    )
    assert.strictEqual(config.containers[0]!.image, "ritualnetwork/css_inference_service:latest")
    assert.strictEqual(config.containers[0]!.description, "OPENAI Inference Service")
  })

  it("maps the usage page's subscription owner to the address of the page's private key", () => {
    const pageKey = "0xb25c7db31feed9122727bf0939dc769a96564b2ae4c4726d035b36ecf1e5b364"
    assert.deepStrictEqual(config.mock.delegate_signers, {
      "0x5FbDB2315678afecb367f032d93F642f64180aa3": privateKeyToAccount(pageKey).address
    })
    assert.strictEqual(
      config.chain.coordinator_address,
      getAddress("0x1FbDB2315678afecb369f032d93F642f64140aa3".toLowerCase())
    )
    assert.strictEqual(config.chain.enabled, true)
  })

  it("round-trips through the schema", () => {
    const encoded = Schema.encodeSync(MockConfig.MockConfig)(config)
    assert.deepStrictEqual(Schema.decodeUnknownEither(MockConfig.MockConfig)(encoded), Either.right(config))
  })

  it("the known-key lists follow the schemas (a key added to a schema is accepted in a config file)", () => {
    assert.deepStrictEqual(
      Object.keys((MockConfig.MockSection as unknown as { from: { fields: object } }).from.fields).sort(),
      [...MOCK_KEYS].sort()
    )
    for (const member of MockConfig.Behavior.members) {
      const type = (member.fields.type as unknown as { literals: ReadonlyArray<string> }).literals[0]!
      assert.deepStrictEqual(Object.keys(member.fields).sort(), [...BEHAVIOR_KEYS[type]!].sort(), type)
    }
  })
})
