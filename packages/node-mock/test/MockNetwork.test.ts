// The mock network: nodes with their own containers, the router's routes, ordering, 400, rate limit and polling,
// and chaos (down / up / slow / fail) programmatically and through the control API.
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { MockNetwork, startMockNetwork } from "../src/index.js"
import { eventually, get, post } from "./utils/http.js"
import { withNetwork } from "./utils/node.js"

const refused = (url: string) =>
  get(url, "/health").then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED"
  )

const job = { containers: ["hello-world"], data: { name: "x" } }

describe("startMockNetwork", () => {
  it("starts three nodes with their own containers and ports, and a router that lists them", () =>
    withNetwork({ nodes: 3, router: { rateLimit: false } }, async (network) => {
      assert.strictEqual(network.nodes.length, 3)
      assert.strictEqual(new Set(network.nodes.map((n) => n.port)).size, 3)
      assert.deepStrictEqual(
        network.nodes.map((n) => n.config.containers.map((c) => c.id)),
        [
          ["openai-inference-0.0.1", "openai-inference-streaming-0.0.1", "hello-world"],
          ["openai-inference-0.0.1", "openai-inference", "hello-world"],
          ["openai-inference-0.0.1", "openai-inference-streaming-0.0.1", "hello-world"]
        ]
      )
      const router = network.router!
      const containers = (await get(router.url, "/api/v1/containers")).json()
      assert.deepStrictEqual(containers, [
        { count: 3, description: "OPENAI Inference Service", id: "openai-inference-0.0.1" },
        { count: 2, description: "OPENAI Inference Service (streaming)", id: "openai-inference-streaming-0.0.1" },
        { count: 3, description: "Hello World container", id: "hello-world" },
        { count: 1, description: "OPENAI Inference Service", id: "openai-inference" }
      ])
      const all = (await get(router.url, "/api/v1/ips?container=hello-world&n=10")).json()
      assert.deepStrictEqual(
        all,
        network.nodes.map((n) => n.address)
      )
      const streaming = await get(
        router.url,
        "/api/v1/ips?container=hello-world&container=openai-inference-streaming-0.0.1"
      )
      assert.deepStrictEqual(streaming.json(), [network.nodes[0]!.address, network.nodes[2]!.address])
      assert.deepStrictEqual((await get(router.url, "/api/v1/ips?container=nope")).json(), [])
    }))

  it("orders by total pending jobs, then applies offset and n (default 3)", () =>
    withNetwork(
      {
        nodes: [0, 1, 2, 3].map(() => ({
          config: { containers: [{ id: "slow", behavior: { type: "echo", latency_ms: 60_000 } }, { id: "fast" }] }
        })),
        router: { rateLimit: false }
      },
      async (network) => {
        const [a, b, c, d] = network.nodes as [any, any, any, any]
        const busy = async (url: string, count: number) => {
          for (let i = 0; i < count; i++) await post(url, "/api/jobs", { containers: ["slow"], data: {} })
        }
        await busy(a.url, 3)
        await busy(c.url, 1)
        await busy(d.url, 2)
        await network.router!.refresh()
        const ips = (query: string) =>
          get(network.router!.url, `/api/v1/ips?container=fast${query}`).then((r) => r.json())
        assert.deepStrictEqual(await ips(""), [b.address, c.address, d.address])
        assert.deepStrictEqual(await ips("&n=10"), [b.address, c.address, d.address, a.address])
        assert.deepStrictEqual(await ips("&n=2&offset=1"), [c.address, d.address])
        assert.deepStrictEqual(await ips("&offset=9"), [])
      }
    ))

  it("answers 400 without containers, 404/405 like a web framework, and rate limits per client", () =>
    withNetwork({ nodes: 1, router: { rateLimit: { limit: 3, period: "1 hour" } } }, async (network) => {
      const router = network.router!.url
      const missing = await get(router, "/api/v1/ips")
      assert.strictEqual(missing.status, 400)
      assert.deepStrictEqual(missing.json(), { error: "No containers specified" })
      assert.strictEqual((await get(router, "/api/v1/resources")).status, 404)
      assert.strictEqual((await post(router, "/api/v1/containers", {})).status, 405)
      // 404 and 405 do not count (no route matched); the 400 did: two more, then 429.
      assert.strictEqual((await get(router, "/api/v1/containers")).status, 200)
      assert.strictEqual((await get(router, "/api/v1/ips?container=x")).status, 200)
      const limited = await get(router, "/api/v1/containers")
      assert.strictEqual(limited.status, 429)
      assert.match(String(limited.headers["retry-after"]), /^\d+$/)
      assert.isAbove(Number(limited.headers["retry-after"]), 3000)
      // Another client has its own window.
      const other = await get(router, "/api/v1/containers", { localAddress: "127.0.0.2" })
      assert.strictEqual(other.status, 200)
      // The control API is not rate limited.
      assert.strictEqual((await get(router, "/__mock/nodes")).status, 200)
    }))

  it("serves /api/v1/resources when enabled", () =>
    withNetwork({ nodes: 2, router: { rateLimit: false, resources: true } }, async (network) => {
      const all = (await get(network.router!.url, "/api/v1/resources")).json()
      assert.sameMembers(
        Object.keys(all),
        network.nodes.map((n) => n.address)
      )
      assert.property(all[network.nodes[0]!.address], "openai-inference-0.0.1")
      // hello-world has no /service-resources: the node leaves it out, with or without model_id.
      assert.notProperty(all[network.nodes[0]!.address], "hello-world")
      const support = (await get(network.router!.url, "/api/v1/resources?model_id=gpt-4o")).json()
      assert.deepStrictEqual(support[network.nodes[1]!.address]["openai-inference-0.0.1"], { supported: true })
      assert.notProperty(support[network.nodes[1]!.address], "hello-world")
    }))

  it("takes a node down (connections refused, streams cut), brings it back with its jobs, and the router follows", () =>
    withNetwork({ nodes: 2, router: { rateLimit: false } }, async (network) => {
      const [a, b] = network.nodes as [any, any]
      const created = (await post(a.url, "/api/jobs", job)).json().id as string
      await a.down()
      assert.isTrue(await refused(a.url))
      assert.isTrue((await a.chaos()).down)
      await network.router!.refresh()
      assert.deepStrictEqual(await network.router!.available(), [b.address])
      assert.deepStrictEqual((await get(network.router!.url, "/api/v1/ips?container=hello-world")).json(), [b.address])
      await a.up()
      assert.strictEqual((await get(a.url, "/health")).status, 200)
      const results = (await get(a.url, `/api/jobs?id=${created}`)).json()
      assert.strictEqual(results[0].id, created)
      await network.router!.refresh()
      assert.deepStrictEqual(await network.router!.available(), [a.address, b.address])
    }))

  it("makes a node answer 503 or 429 for a while, with Retry-After, and heals it", () =>
    withNetwork({ nodes: 1, router: false }, async (network) => {
      const node = network.nodes[0]!
      await node.fail({ status: 429, retryAfter: "2 seconds" })
      const limited = await get(node.url, "/info")
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(limited.headers["retry-after"], "2")
      // Long enough for the two reads below on a loaded machine; then it ends by itself (polled, with a deadline).
      const failedAt = Date.now()
      await node.fail({ status: 503, for: "1 second" })
      assert.strictEqual((await get(node.url, "/info")).status, 503)
      assert.strictEqual((await node.chaos()).fail?.status, 503)
      const healed = await eventually(
        () => get(node.url, "/info"),
        (res) => res.status === 200
      )
      assert.strictEqual(healed.status, 200)
      assert.isAtLeast(Date.now() - failedAt, 900)
      assert.isNull((await node.chaos()).fail)
      await node.fail()
      assert.strictEqual((await get(node.url, "/health")).status, 503)
      await node.heal()
      assert.strictEqual((await get(node.url, "/health")).status, 200)
    }))

  it("makes a node slow, so the router's /info timeout drops it", () =>
    // A timeout well above a loaded machine's answer times, and a delay well above the timeout.
    withNetwork({ nodes: 2, router: { rateLimit: false, infoTimeout: "800 millis" } }, async (network) => {
      const [a, b] = network.nodes as [any, any]
      await a.slow(1200)
      const started = Date.now()
      assert.strictEqual((await get(a.url, "/health")).status, 200)
      // Well below the 1.2 s delay (a timer may fire a little early), well above the router's 800 ms timeout.
      assert.isAtLeast(Date.now() - started, 1000)
      await network.router!.refresh()
      assert.deepStrictEqual(await network.router!.available(), [b.address])
      await a.slow(0)
      await network.router!.refresh()
      assert.deepStrictEqual(await network.router!.available(), [a.address, b.address])
    }))

  it("drives chaos through the router's control API", () =>
    withNetwork({ nodes: 2, router: { rateLimit: false } }, async (network) => {
      const router = network.router!.url
      const [a] = network.nodes as [any]
      const down = await post(router, "/__mock/nodes/0/down", "")
      assert.deepStrictEqual(down.json(), { delay_ms: 0, down: true, fail: null })
      assert.isTrue(await refused(a.url))
      const refreshed = (await post(router, "/__mock/refresh", "")).json()
      assert.deepStrictEqual(refreshed, { available: [network.nodes[1]!.address] })
      const nodes = (await get(router, "/__mock/nodes")).json()
      assert.strictEqual(nodes[0].available, false)
      assert.match(nodes[0].last_error, /fetch failed|ECONNREFUSED/)
      await post(router, "/__mock/nodes/0/up", "")
      assert.strictEqual((await get(a.url, "/health")).status, 200)
      const failing = await post(router, "/__mock/nodes/1/fail", { status: 429, retry_after: 1 })
      assert.deepStrictEqual(failing.json().fail, { retry_after: 1, status: 429, until: null })
      assert.strictEqual((await post(router, "/__mock/nodes/1/slow", { ms: 5 })).json().delay_ms, 5)
      assert.strictEqual((await post(router, "/__mock/nodes/1/slow", { ms: -1 })).status, 400)
      assert.strictEqual((await post(router, "/__mock/nodes/1/fail", { status: 500 })).status, 400)
      assert.strictEqual((await post(router, "/__mock/nodes/7/down", "")).status, 404)
      const healed = (await post(router, "/__mock/nodes/1/heal", "")).json()
      assert.deepStrictEqual(healed, { delay_ms: 0, down: false, fail: null })
      // Only loopback callers may drive chaos (127.0.0.2 is loopback too; a non-loopback source is not testable here).
      assert.strictEqual((await get(router, "/__mock/nodes", { localAddress: "127.0.0.2" })).status, 200)
    }))

  it("closes with a node down", async () => {
    const network = await startMockNetwork({ nodes: 2 })
    await network.nodes[0]!.down()
    await network.close()
    assert.isTrue(await refused(network.nodes[1]!.url))
    assert.isTrue(await refused(network.router!.url))
  })
})

describe("chaos bounds", () => {
  it("refuses a delay over 2^31-1 ms or a retry_after over 2^31-1 s over HTTP; the API clamps, and the snapshot shows what applies", () =>
    withNetwork({ nodes: 1, router: { rateLimit: false } }, async (network) => {
      const router = network.router!.url
      const slow = await post(router, "/__mock/nodes/0/slow", { ms: 2 ** 31 })
      assert.strictEqual(slow.status, 400)
      assert.strictEqual(slow.json().error, 'Expected {"ms": <integer from 0 to 2147483647>}, got 2147483648')
      const fail = await post(router, "/__mock/nodes/0/fail", { status: 503, retry_after: 1e21 })
      assert.strictEqual(fail.status, 400)
      assert.include(fail.json().error, '"retry_after"?: <integer seconds from 0 to 2147483647>')
      assert.strictEqual((await network.nodes[0]!.chaos()).fail, null)

      // Node would fire a longer timer after 1 ms (TimeoutOverflowWarning): the API clamps to the longest it keeps.
      const node = network.nodes[0]!
      await node.slow(2 ** 40)
      assert.strictEqual((await node.chaos()).delay_ms, 2 ** 31 - 1)
      await node.slow(0)
      await node.fail({ status: 429, retryAfter: "1000000000000 seconds" })
      assert.strictEqual((await node.chaos()).fail?.retry_after, 2 ** 31 - 1)
      const limited = await get(node.url, "/health")
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(limited.headers["retry-after"], "2147483647")
      await node.heal()
    }))
})

describe("MockNetwork.make", () => {
  it.effect("polls the nodes every refreshInterval on the fiber's clock (TestClock)", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const network = yield* MockNetwork.make({ nodes: 2, router: { refreshInterval: "30 seconds" } })
        const [a, b] = network.nodes as [MockNetwork.NetworkNode, MockNetwork.NetworkNode]
        assert.deepStrictEqual(yield* network.router!.available(), [a.address, b.address])
        yield* a.down()
        // Not polled yet: the router's view is stale, as the real one's can be for one interval.
        yield* TestClock.adjust("29 seconds")
        assert.deepStrictEqual(yield* network.router!.available(), [a.address, b.address])
        yield* TestClock.adjust("1 second")
        // The poll runs real HTTP: wait for it in real time, without moving the test clock.
        for (let i = 0; i < 500 && (yield* network.router!.available()).length !== 1; i++) {
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
        }
        assert.deepStrictEqual(yield* network.router!.available(), [b.address])
      })
    )
  )
})
