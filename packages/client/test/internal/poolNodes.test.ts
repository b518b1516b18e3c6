import { assert, describe, it } from "@effect/vitest"
import { Duration } from "effect"
import * as Pool from "../../src/internal/poolNodes.js"
import { NodeClientError } from "../../src/index.js"

const error = (reason: NodeClientError.Reason) => new NodeClientError.NodeClientError({ method: "requestJob", reason })
const url = "http://n:4000/api/jobs"

const entry = (name: string, containers: ReadonlyArray<string>, extra: Partial<Pool.Entry> = {}): Pool.Entry =>
  Object.assign(Pool.makeEntry(`http://${name}`, {} as never, "static"), {
    state: "healthy" as const,
    containers: new Set(containers),
    pending: 0,
    ...extra
  })

describe("classify", () => {
  it("reads refused connections, 429, 503 and a missing container as not created", () => {
    const refused = Pool.classify(
      error(new NodeClientError.TransportError({ url, detail: "fetch failed: connect ECONNREFUSED 127.0.0.1:1" }))
    )
    assert.deepStrictEqual(refused, { _tag: "not-created", unhealthy: true })
    const limited = Pool.classify(error(new NodeClientError.RateLimited({ url, retryAfter: Duration.seconds(2) })))
    assert.strictEqual(limited._tag, "not-created")
    assert.deepStrictEqual(limited._tag === "not-created" ? limited.retryAfter : undefined, Duration.seconds(2))
    const unavailable = Pool.classify(
      error(new NodeClientError.UnexpectedResponse({ url, status: 503, body: "", detail: "html" }))
    )
    assert.deepStrictEqual(unavailable, { _tag: "not-created", unhealthy: true })
    const missing = Pool.classify(
      error(new NodeClientError.ApiError({ status: 405, error: "Container not supported", params: { container: "x" } }))
    )
    assert.deepStrictEqual(missing, { _tag: "not-created", unhealthy: false })
  })

  it("reads a timeout and a reset mid-request as ambiguous, other answers as answers", () => {
    assert.strictEqual(
      Pool.classify(error(new NodeClientError.Timeout({ url, timeout: Duration.seconds(1) })))._tag,
      "ambiguous"
    )
    assert.strictEqual(
      Pool.classify(error(new NodeClientError.TransportError({ url, detail: "other side closed" })))._tag,
      "ambiguous"
    )
    assert.strictEqual(
      Pool.classify(error(new NodeClientError.ApiError({ status: 405, error: "First container must be external" })))
        ._tag,
      "answer"
    )
    assert.strictEqual(
      Pool.classify(error(new NodeClientError.UnexpectedResponse({ url, status: 500, body: "", detail: "x" })))._tag,
      "answer"
    )
  })
})

describe("pick", () => {
  it("takes the least loaded routable node running all containers, ties round-robin", () => {
    const a = entry("a", ["x", "y"], { pending: 2 })
    const b = entry("b", ["x"], { pending: 0 })
    const c = entry("c", ["x", "y"], { pending: 1, inFlight: 1 })
    const d = entry("d", ["x", "y"], { state: "cooling" })
    const all = [a, b, c, d]
    assert.strictEqual(Pool.pick(all, ["x", "y"], new Set(), 0), a)
    assert.strictEqual(Pool.pick(all, ["x"], new Set(), 0), b)
    assert.strictEqual(Pool.pick(all, ["x", "y"], new Set([a]), 0), c)
    assert.strictEqual(Pool.pick(all, ["z"], new Set(), 0), undefined)
    const ties = [entry("p", ["x"]), entry("q", ["x"]), entry("r", ["x"])]
    assert.deepStrictEqual(
      [0, 1, 2, 3].map((turn) => Pool.pick(ties, ["x"], new Set(), turn)?.url),
      ["http://p", "http://q", "http://r", "http://p"]
    )
    const unlisted = entry("u", ["x"], { listed: false })
    assert.strictEqual(Pool.pick([unlisted], ["x"], new Set(), 0), undefined)
  })
})

describe("markFailure / markHealthy", () => {
  const settings = { cooldown: Duration.millis(100), maxCooldown: Duration.millis(350), dropAfter: 3 }

  it("doubles the cool-down per failure up to the cap, never under Retry-After, and drops after dropAfter", () => {
    const e = entry("a", ["x"])
    Pool.markFailure(e, settings, 1000, "boom")
    assert.deepStrictEqual([e.state, e.cooldownUntil, e.failures, e.lastError], ["cooling", 1100, 1, "boom"])
    Pool.markFailure(e, settings, 1000, "boom", Duration.millis(300))
    assert.strictEqual(e.cooldownUntil, 1300)
    // A Retry-After past maxCooldown is capped: the node is probed again after maxCooldown.
    Pool.markFailure(e, settings, 1000, "boom", Duration.seconds(5))
    assert.strictEqual(e.cooldownUntil, 1350)
    Pool.markFailure(e, settings, 1000, "boom")
    assert.deepStrictEqual([e.state, e.cooldownUntil], ["dropped", 1350])
    Pool.markHealthy(
      e,
      {
        version: "1",
        containers: [{ id: "y", image: "", description: "", external: true } as any],
        pending: { offchain: 2, onchain: 1 },
        chain: { enabled: false, address: "" }
      },
      2000
    )
    assert.deepStrictEqual(
      [e.state, e.failures, [...e.containers!], e.pending, e.lastInfoAt],
      ["healthy", 0, ["y"], 3, 2000]
    )
  })
})

describe("JobIndex", () => {
  it("forgets the oldest ids beyond its limit", () => {
    const index = new Pool.JobIndex(2)
    const a = entry("a", [])
    index.set("1", a)
    index.set("2", a)
    index.set("3", a)
    assert.deepStrictEqual(
      ["1", "2", "3"].map((id) => index.get(id)?.url),
      [undefined, "http://a", "http://a"]
    )
  })
})
