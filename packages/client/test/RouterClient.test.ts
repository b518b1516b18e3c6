import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Fiber, Layer, TestClock } from "effect"
import { type NodeClientError, RouterClient } from "../src/index.js"
import { html, json, makeFake } from "./utils/fakeHttp.js"
import { nodes, runRouter, withNetwork } from "./utils/network.js"

const ROUTER = "http://router.test"

const reasonOf = (either: Either.Either<unknown, NodeClientError.NodeClientError>) => {
  if (Either.isRight(either)) return assert.fail("expected a failure")
  return either.left
}

describe("RouterClient against a fake router", () => {
  it.effect("asks /api/v1/ips with repeated container params, n and offset, and makes URLs with the scheme", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json(["10.0.0.7:4000", "[::1]:4001"]))
      const router = yield* RouterClient.make({ url: `${ROUTER}/`, scheme: "https" }).pipe(Effect.provide(fake.layer))
      const urls = yield* router.findNodes(["a", "b"], { n: 2, offset: 1 })
      assert.deepStrictEqual(urls, ["https://10.0.0.7:4000", "https://[::1]:4001"])
      assert.strictEqual(fake.requests[0]!.url.href, `${ROUTER}/api/v1/ips?container=a&container=b&n=2&offset=1`)
      const raw = yield* router.findAddresses(["a"])
      assert.deepStrictEqual(raw, ["10.0.0.7:4000", "[::1]:4001"])
      assert.strictEqual(fake.requests[1]!.url.search, "?container=a")
      assert.strictEqual(router.url, ROUTER)
    })
  )

  it.effect("maps 400, 404 and 429 to typed reasons", () =>
    Effect.gen(function* () {
      const fake = makeFake((request) => {
        if (request.url.pathname === "/api/v1/ips") return json({ error: "No containers specified" }, 400)
        if (request.url.pathname === "/api/v1/resources") return html(404)
        return html(429, undefined, { "retry-after": "0" })
      })
      const router = yield* RouterClient.make({ url: ROUTER, retry: false }).pipe(Effect.provide(fake.layer))
      const empty = reasonOf(yield* Effect.either(router.findNodes([])))
      assert.strictEqual(empty.method, "RouterClient.findNodes")
      assert.strictEqual(empty.reason._tag, "ApiError")
      assert.strictEqual(
        empty.message,
        "RouterClient.findNodes: The node rejected the request: No containers specified (HTTP 400)"
      )
      const resources = reasonOf(yield* Effect.either(router.resources()))
      assert.strictEqual(resources.reason._tag, "NotSupported")
      assert.include(resources.message, "Not supported by this router: GET /api/v1/resources answered 404")
      const support = reasonOf(yield* Effect.either(router.checkModelSupport("gpt-4o")))
      assert.strictEqual(support.reason._tag, "NotSupported")
      assert.strictEqual(fake.requests.at(-1)!.url.search, "?model_id=gpt-4o")
      const limited = reasonOf(yield* Effect.either(router.containers()))
      assert.strictEqual(limited.reason._tag, "RateLimited")
    })
  )

  it.effect("retries a 429 on GETs by default, then succeeds", () =>
    Effect.gen(function* () {
      const fake = makeFake((_, index) =>
        index === 0 ? html(429, undefined, { "retry-after": "0" }) : json([{ id: "a", count: 1, description: null }])
      )
      const router = yield* RouterClient.make({ url: ROUTER, retry: 2 }).pipe(Effect.provide(fake.layer))
      const fiber = yield* Effect.fork(router.containers())
      yield* TestClock.adjust("1 second")
      const containers = yield* Fiber.join(fiber)
      assert.deepStrictEqual(containers, [{ id: "a", count: 1, description: null }] as any)
      assert.strictEqual(fake.requests.length, 2)
    })
  )

  it.effect("layerConfig reads ROUTER_URL, defaults to the public router, and rejects a bad URL", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([]))
      const urlOf = (env: Record<string, string>) =>
        Effect.map(RouterClient.RouterClient, (r) => r.url).pipe(
          Effect.provide(
            RouterClient.layerConfig().pipe(
              Layer.provide(fake.layer),
              Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
            )
          ),
          Effect.either
        )
      assert.deepStrictEqual(yield* urlOf({}), Either.right(RouterClient.DEFAULT_URL))
      assert.deepStrictEqual(
        yield* urlOf({ ROUTER_URL: "http://localhost:4100/" }),
        Either.right("http://localhost:4100")
      )
      const bad = yield* urlOf({ ROUTER_URL: "ftp://x" })
      assert.isTrue(Either.isLeft(bad))
    })
  )

  it("addressToUrl keeps URLs that have a scheme", () => {
    assert.strictEqual(RouterClient.addressToUrl("h:1"), "http://h:1")
    assert.strictEqual(RouterClient.addressToUrl("https://h:1/", "http"), "https://h:1")
    assert.deepStrictEqual(
      RouterClient.normalizeUrl("ftp://x"),
      Either.left('Invalid router URL "ftp://x": expected an http: or https: URL')
    )
    assert.deepStrictEqual(
      RouterClient.normalizeUrl("nope"),
      Either.left('Invalid router URL "nope": expected e.g. http://infernet-router.ritual.net')
    )
  })
})

describe("RouterClient against the mock router", () => {
  it("lists containers and finds nodes, least busy first", () =>
    withNetwork({ nodes: nodes(["a"], ["a", "b"]), router: { rateLimit: false, resources: true } }, async (network) => {
      const [first, second] = network.nodes as [any, any]
      await runRouter({ url: network.router!.url }, (router) =>
        Effect.gen(function* () {
          const containers = yield* router.containers()
          assert.deepStrictEqual(
            containers.map((c) => [c.id, c.count, c.description]),
            [
              ["a", 2, "a container"],
              ["b", 1, "b container"]
            ]
          )
          assert.deepStrictEqual(yield* router.findNodes(["a"]), [first.url, second.url])
          assert.deepStrictEqual(yield* router.findNodes(["a", "b"]), [second.url])
          assert.deepStrictEqual(yield* router.findNodes(["a"], { n: 1, offset: 1 }), [second.url])
          assert.deepStrictEqual(yield* router.findNodes(["zzz"]), [])
          const resources = yield* router.resources()
          assert.sameMembers(Object.keys(resources), [first.address, second.address])
        })
      )
    }))
})
