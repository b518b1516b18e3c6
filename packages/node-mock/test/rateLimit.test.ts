// Rate limiting (GCRA per route and client), driven by TestClock through the mock's Effect Clock.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { MockNode } from "../src/index.js"
import { get, post, put, type RawResponse } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const TOO_MANY =
  "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n<p>The user has sent too many requests in a given amount of time.</p>\n"

const call = <A>(f: () => Promise<A>) => Effect.promise(f)
const limits = (res: RawResponse) => [
  res.status,
  res.headers["ratelimit-limit"],
  res.headers["ratelimit-remaining"],
  res.headers["ratelimit-reset"],
  res.headers["retry-after"]
]

describe("rate limiting", () => {
  it.effect("allows a burst of `limit`, then one request per period/limit, with RateLimit-* headers", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        config: { containers: [], mock: { rate_limit: { limit: 3, period_seconds: 3 } } }
      })
      const health = () => call(() => get(node.url, "/health"))
      assert.deepStrictEqual(limits(yield* health()), [200, "3", "2", "1", undefined])
      assert.deepStrictEqual(limits(yield* health()), [200, "3", "1", "2", undefined])
      assert.deepStrictEqual(limits(yield* health()), [200, "3", "0", "3", undefined])
      const refused = yield* health()
      assert.deepStrictEqual(limits(refused), [429, "3", "0", "3", "1"])
      assert.strictEqual(refused.headers["content-type"], "text/html; charset=utf-8")
      assert.strictEqual(refused.text, TOO_MANY)

      // Retry-After is in whole seconds, rounded down: often 0.
      yield* TestClock.adjust(Duration.millis(500))
      assert.deepStrictEqual(limits(yield* health()), [429, "3", "0", "3", "0"])

      // One request's worth refills every second.
      yield* TestClock.adjust(Duration.millis(500))
      assert.deepStrictEqual(limits(yield* health()), [200, "3", "0", "3", undefined])
      assert.strictEqual((yield* health()).status, 429)

      // After a whole period, the full burst is back.
      yield* TestClock.adjust(Duration.seconds(3))
      for (let i = 0; i < 3; i++) assert.strictEqual((yield* health()).status, 200)
      assert.strictEqual((yield* health()).status, 429)
    }).pipe(Effect.scoped)
  )

  it.effect("limits each route and each client separately; status and control routes are not limited", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        config: { containers: [{ id: "e" }], mock: { rate_limit: { limit: 1, period_seconds: 60 } } }
      })
      assert.strictEqual((yield* call(() => get(node.url, "/health"))).status, 200)
      assert.strictEqual((yield* call(() => get(node.url, "/health"))).status, 429)
      assert.strictEqual((yield* call(() => get(node.url, "/info"))).status, 200)
      assert.strictEqual((yield* call(() => get(node.url, "/health", { localAddress: "127.0.0.2" }))).status, 200)
      // GET and POST /api/jobs are different routes.
      assert.strictEqual((yield* call(() => get(node.url, "/api/jobs"))).status, 200)
      assert.strictEqual((yield* call(() => post(node.url, "/api/jobs", { containers: ["e"], data: {} }))).status, 200)
      // A batch is one request, however many items.
      const batch = yield* call(() =>
        post(
          node.url,
          "/api/jobs/batch",
          [1, 2, 3].map(() => ({ containers: ["e"], data: {} }))
        )
      )
      assert.strictEqual(batch.status, 200)
      assert.strictEqual((yield* call(() => post(node.url, "/api/jobs/batch", []))).status, 429)
      for (let i = 0; i < 5; i++) {
        const status = yield* call(() => put(node.url, "/api/status", { id: "x", status: "running", containers: [] }))
        assert.strictEqual(status.status, 200)
        assert.isUndefined(status.headers["ratelimit-limit"])
        assert.strictEqual((yield* call(() => get(node.url, "/__mock/requests"))).status, 200)
      }
    }).pipe(Effect.scoped)
  )

  it.effect("takes per-route limits from mock.rate_limit.routes", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        config: {
          containers: [{ id: "e" }],
          mock: {
            rate_limit: {
              limit: 60,
              period_seconds: 60,
              routes: { "POST /api/jobs": { limit: 1, period_seconds: 60 } }
            }
          }
        }
      })
      const first = yield* call(() => post(node.url, "/api/jobs", { containers: ["e"], data: {} }))
      assert.deepStrictEqual(limits(first), [200, "1", "0", "60", undefined])
      const second = yield* call(() => post(node.url, "/api/jobs", { containers: ["e"], data: {} }))
      assert.deepStrictEqual(limits(second), [429, "1", "0", "60", "60"])
      assert.deepStrictEqual(limits(yield* call(() => get(node.url, "/health"))), [200, "60", "59", "1", undefined])
    }).pipe(Effect.scoped)
  )

  it("is off unless configured", () =>
    withNode(undefined, async (node) => {
      for (let i = 0; i < 100; i++) {
        const res = await get(node.url, "/health")
        assert.strictEqual(res.status, 200)
        assert.isUndefined(res.headers["ratelimit-limit"])
      }
    }))
})
