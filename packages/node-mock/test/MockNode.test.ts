// Starting and stopping: startMockNode (Promise), MockNode.make (scoped) and MockNode.layer, and the clock option.
import { mkdtemp, writeFile } from "node:fs/promises"
import { request as httpRequest } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { MockNode, MockNodeError, startMockNode } from "../src/index.js"
import { get, post, waitForJob } from "./utils/http.js"

const refused = (url: string) =>
  get(url, "/health").then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED"
  )

describe("startMockNode", () => {
  it("listens on a free loopback port and stops on close()", async () => {
    const node = await startMockNode()
    assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.isAbove(node.port, 0)
    assert.strictEqual(node.url, `http://127.0.0.1:${node.port}`)
    assert.strictEqual((await get(node.url, "/health")).text, '{"status":"healthy"}\n')
    await node.close()
    await node.close()
    assert.isTrue(await refused(node.url))
  })

  it("closes promptly with a stream in flight and keep-alive connections open", async () => {
    const node = await startMockNode({
      config: { containers: [{ id: "s", behavior: { type: "stream", text: "a ".repeat(1000), chunk_delay_ms: 50 } }] }
    })
    const url = new URL("/api/jobs/stream", node.url)
    const ended = new Promise<string>((resolve) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json" }
        },
        (res) => {
          res.on("data", () => undefined)
          res.on("close", () => resolve("closed"))
        }
      )
      req.on("error", () => resolve("error"))
      req.end('{"containers":["s"],"data":{}}')
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    await node.close()
    assert.isBelow(Date.now() - started, 1000)
    assert.include(["closed", "error"], await ended)
  })

  it("reads a config file given as a path, and applies the seed option", async () => {
    const dir = await mkdtemp(join(tmpdir(), "node-mock-"))
    const path = join(dir, "config.json")
    await writeFile(
      path,
      JSON.stringify({ containers: [{ id: "from-file", behavior: { type: "static", output: "hi" } }] })
    )
    const node = await startMockNode({ config: path, seed: 42 })
    try {
      assert.strictEqual(node.config.mock.seed, 42)
      assert.deepStrictEqual(
        (await get(node.url, "/info")).json().containers.map((c: any) => c.id),
        ["from-file"]
      )
    } finally {
      await node.close()
    }
  })

  it("rejects with a MockNodeError for a bad config or a taken port", async () => {
    const config = await startMockNode({
      config: { containers: [{ id: "a", behavior: { type: "nope" } }] } as never
    }).then(
      () => undefined,
      (error: unknown) => error
    )
    assert.isTrue(MockNodeError.isMockNodeError(config))
    assert.instanceOf(config, Error)
    assert.match((config as Error).message, /^options: containers\[0\]\.behavior\.type: expected one of /)

    const first = await startMockNode({ config: { containers: [] } })
    try {
      const taken = await startMockNode({ port: first.port }).then(
        () => undefined,
        (error: MockNodeError.MockNodeError) => error
      )
      assert.strictEqual(taken?.reason._tag, "ServeFailed")
      assert.strictEqual(
        taken?.message,
        `Cannot listen on 127.0.0.1:${first.port}: port ${first.port} is already in use (try another port, or 0 for a free one)`
      )
    } finally {
      await first.close()
    }
  })
})

describe("MockNode.layer", () => {
  layer(MockNode.layer({ config: { containers: [{ id: "e", behavior: { type: "echo", latency_ms: 10 } }] } }))((it) => {
    it.effect("provides the running node's url", () =>
      Effect.gen(function* () {
        const node = yield* MockNode.MockNode
        const res = yield* Effect.promise(() => get(node.url, "/health"))
        assert.strictEqual(res.status, 200)
        assert.deepStrictEqual(
          node.config.containers.map((c) => c.id),
          ["e"]
        )
      })
    )
  })

  // it.effect installs a TestClock; the clock option overrides it for the node.
  it.effect("runs in real time with clock: Clock.make(), even under TestClock", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.MockNode
      const id = (yield* Effect.promise(() =>
        post(node.url, "/api/jobs", { containers: ["e"], data: { n: 1 } })
      )).json().id
      const job = yield* Effect.promise(() => waitForJob(node.url, id))
      assert.deepStrictEqual(job.result, { container: "e", output: { n: 1 } })
    }).pipe(
      Effect.provide(
        MockNode.layer({
          clock: Clock.make(),
          config: { containers: [{ id: "e", behavior: { type: "echo", latency_ms: 30 } }] }
        })
      )
    )
  )
})
