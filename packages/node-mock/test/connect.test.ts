// The typed control surface: connectMockNode(url) for a node started elsewhere, the same names on a node started
// here (Promises) and on the Effect service (Effects), and the wait helpers.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import {
  connectMockNetwork,
  connectMockNode,
  MockNetwork,
  MockNode,
  MockNodeError,
  startMockNetwork
} from "../src/index.js"
import { get, post } from "./utils/http.js"
import { closedPort } from "./utils/ports.js"
import { withNode } from "./utils/node.js"

const config = {
  containers: [
    { id: "echo", behavior: { type: "echo" as const } },
    { id: "slow", behavior: { type: "static" as const, output: { done: true }, latency_ms: 150 } }
  ],
  mock: { rate_limit: { limit: 100, period_seconds: 60 } }
}

const reasonOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  assert.isTrue(MockNodeError.isMockNodeError(error), String(error))
  return (error as MockNodeError.MockNodeError).reason
}

describe("connectMockNode", () => {
  it("drives a node started elsewhere over its control API: behaviours, rate limit, log with parsed bodies, reset", () =>
    withNode({ config }, async (started) => {
      const node = await connectMockNode(started.url)
      assert.strictEqual(node.url, started.url)
      assert.deepStrictEqual(
        (await node.containers()).map((c) => [c.id, c.behavior.type]),
        [
          ["echo", "echo"],
          ["slow", "static"]
        ]
      )
      await node.setBehavior("echo", { type: "static", output: { answer: 42 } })
      const { id } = (await post(started.url, "/api/jobs", { containers: ["echo"], data: { q: 1 } })).json()
      const finished = await node.waitForJob(id, "success")
      assert.deepStrictEqual(JSON.parse(JSON.stringify(finished.results)), [
        { container: "echo", output: { answer: 42 } }
      ])
      // Requests come back with their JSON body parsed.
      const [request] = await node.requests()
      assert.deepStrictEqual(request?.json, { containers: ["echo"], data: { q: 1 } })
      assert.strictEqual(request?.body, '{"containers":["echo"],"data":{"q":1}}')

      assert.deepStrictEqual(await node.rateLimit(), { limit: 100, period_seconds: 60 })
      await node.setRateLimit({ limit: 1, period_seconds: 60 })
      assert.strictEqual((await get(started.url, "/health")).status, 200)
      assert.strictEqual((await get(started.url, "/health")).status, 429)
      await node.setRateLimit(null)
      assert.strictEqual((await get(started.url, "/health")).status, 200)
      assert.isNull(await node.rateLimit())

      assert.deepStrictEqual(await reasonOf(node.setBehavior("nope", { type: "echo" })), {
        _tag: "UnknownContainer",
        container: "nope"
      } as never)
      const invalid = await reasonOf(node.setBehavior("echo", { type: "ech0" } as never))
      assert.strictEqual(invalid._tag, "InvalidConfig")
      const badLimit = await reasonOf(node.setRateLimit({ limit: 0, period_seconds: 1 }))
      assert.strictEqual(badLimit._tag, "InvalidConfig")
      assert.include(badLimit.message, "limit")

      await node.reset()
      assert.deepStrictEqual(await node.jobs(), [])
      assert.deepStrictEqual(await node.requests(), [])
      assert.deepStrictEqual(await node.rateLimit(), { limit: 100, period_seconds: 60 })
      assert.strictEqual((await node.containers())[0]?.behavior.type, "echo")
    }))

  it("waitForJob follows a job with latency; waitForRequests counts; both time out with WaitTimedOut", () =>
    withNode({ config }, async (started) => {
      const node = await connectMockNode(started.url)
      const { id } = (await post(started.url, "/api/jobs", { containers: ["slow"], data: {} })).json()
      assert.strictEqual((await node.waitForJob(id, "running")).status, "running")
      const done = await node.waitForJob(id)
      assert.strictEqual(done.status, "success")
      void get(started.url, "/health")
      void get(started.url, "/info")
      const seen = await node.waitForRequests(2, { filter: (r) => r.method === "GET" })
      assert.sameMembers(
        seen.map((r) => r.path),
        ["/health", "/info"]
      )
      const timedOut = await reasonOf(node.waitForRequests(10, { timeoutMs: 50 }))
      assert.strictEqual(timedOut._tag, "WaitTimedOut")
      assert.include(timedOut.message, "waiting for 10 request(s) (last seen: 3 request(s))")
      const missing = await reasonOf(node.waitForJob("no-such-job", "finished", { timeoutMs: 30 }))
      assert.include(missing.message, "job no-such-job to be finished (last seen: no such job)")
    }))

  it("refuses a URL where no mock node answers: ControlFailed", async () => {
    const port = await closedPort()
    const reason = await reasonOf(connectMockNode(`http://127.0.0.1:${port}`))
    assert.strictEqual(reason._tag, "ControlFailed")
    assert.include(reason.message, "the node cannot be reached")
  })
})

describe("one shape for Promise and Effect users", () => {
  const CONTROL = [
    "containers",
    "jobs",
    "rateLimit",
    "requests",
    "reset",
    "setBehavior",
    "setRateLimit",
    "subscriptions",
    "waitForJob",
    "waitForRequests"
  ]

  it.effect(
    "MockNode.make, MockNode.connect and startMockNode offer the same methods; Effect ones return Effects",
    () =>
      Effect.gen(function* () {
        const node = yield* MockNode.make({ config })
        const remote = yield* MockNode.connect(node.url)
        const running = yield* Effect.promise(() => MockNode.start({ config, listen: false }))
        const methods = (o: object) =>
          Object.entries(o)
            .filter(([, v]) => typeof v === "function")
            .map(([k]) => k)
            // fetch, close and a replayed cassette (unusedRecordings) belong to a node started in this process.
            .filter((k) => k !== "fetch" && k !== "close" && k !== "unusedRecordings")
            .sort()
        assert.deepStrictEqual(methods(node), CONTROL)
        assert.deepStrictEqual(methods(remote), CONTROL)
        assert.deepStrictEqual(methods(running), CONTROL)
        yield* node.setBehavior("echo", { type: "static", output: 7 })
        assert.strictEqual((yield* remote.containers())[0]?.behavior.type, "static")
        const failed = yield* Effect.exit(remote.setBehavior("nope", { type: "echo" }))
        assert.isTrue(Exit.isFailure(failed))
        yield* Effect.promise(() => running.close())
      }).pipe(Effect.scoped)
  )

  it("a network's nodes: chaos as methods on both sides, and the node's control", async () => {
    const network = await startMockNetwork({ nodes: 1, router: false })
    try {
      const [node] = network.nodes
      await node!.setBehavior("hello-world", { type: "static", output: "x" })
      assert.strictEqual((await node!.containers()).find((c) => c.id === "hello-world")?.behavior.type, "static")
      await node!.fail({ status: 503 })
      assert.strictEqual((await node!.chaos()).fail?.status, 503)
      await node!.heal()
    } finally {
      await network.close()
    }
    await Effect.runPromise(
      Effect.gen(function* () {
        const effectNetwork = yield* MockNetwork.make({ nodes: 1, router: false })
        const node = effectNetwork.nodes[0]!
        yield* node.down()
        assert.isTrue((yield* node.chaos()).down)
        yield* node.up()
        yield* node.node.setBehavior("hello-world", { type: "echo" })
      }).pipe(Effect.scoped)
    )
  })
})

describe("connectMockNetwork", () => {
  it("drives a network started elsewhere: each node's control, chaos through the router, the router's view", async () => {
    const started = await startMockNetwork({ nodes: 2, router: { rateLimit: false } })
    try {
      const network = await connectMockNetwork(started.router!.url)
      assert.deepStrictEqual(
        network.nodes.map((n) => n.url),
        started.nodes.map((n) => n.url)
      )
      const [a, b] = network.nodes as [MockNetwork.ConnectedNetworkNode, MockNetwork.ConnectedNetworkNode]
      await a.setBehavior("hello-world", { type: "static", output: "from a" })
      assert.strictEqual(
        (await started.nodes[0]!.containers()).find((c) => c.id === "hello-world")?.behavior.type,
        "static"
      )
      await a.down()
      assert.isTrue((await a.chaos()).down)
      await network.router.refresh()
      assert.deepStrictEqual(await network.router.available(), [b.address])
      await b.fail({ status: 429, retryAfter: "3 seconds" })
      assert.deepStrictEqual((await b.chaos()).fail?.retry_after, 3)
      await b.slow(2 ** 40)
      assert.strictEqual((await b.chaos()).delay_ms, 2 ** 31 - 1)
      await a.heal()
      await b.heal()
      await network.router.refresh()
      assert.deepStrictEqual(await network.router.available(), [a.address, b.address])
    } finally {
      await started.close()
    }
    const port = await closedPort()
    assert.strictEqual((await reasonOf(connectMockNetwork(`http://127.0.0.1:${port}`)))._tag, "ControlFailed")
  })
})
