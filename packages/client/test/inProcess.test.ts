// The mock node's in-process fetch, no socket: the Promise client takes it as its `fetch`, and the Effect client
// through NodeClient.layerFetch. The node opens no port (`listen: false`).
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { MockConfig, type RunningMockNode, startMockNode } from "@infernet/node-mock"
import { Chunk, Effect, Stream } from "effect"
import { NodeClient } from "../src/index.js"
import { createNodeClient } from "../src/promise.js"

let node: RunningMockNode
beforeAll(async () => {
  node = await startMockNode({
    listen: false,
    config: {
      ...MockConfig.defaultConfig,
      containers: [...MockConfig.defaultConfig.containers, { id: "echo", behavior: { type: "echo" } }]
    }
  })
})
afterAll(() => node.close())

describe("a client on the mock's in-process fetch", () => {
  it("the Promise client: jobs, results, a stream, and the node saw them, with no port", async () => {
    assert.strictEqual(node.url, "http://node-mock.invalid")
    const client = createNodeClient({ baseUrl: node.url, fetch: node.fetch })
    try {
      const id = await client.requestJob({ containers: ["echo"], data: { n: 1 } })
      const result = await client.getJobResultSync(id)
      assert.deepStrictEqual(result.result, { container: "echo", output: { n: 1 } } as never)
      assert.include(await client.getJobs(), id)
      const stream = await client.requestStream({
        containers: ["openai-inference-streaming-0.0.1"],
        data: { model: "gpt-4o", params: { endpoint: "completion", messages: [{ role: "user", content: "Hi" }] } }
      })
      let text = ""
      for await (const chunk of stream) text += chunk
      assert.isAbove(text.length, 10)
      const posts = await node.waitForRequests(2, { filter: (r) => r.method === "POST" })
      assert.deepStrictEqual(posts[0]?.json, { containers: ["echo"], data: { n: 1 } })
    } finally {
      await client.close()
    }
  })

  it.effect("the Effect client: NodeClient.layerFetch({ baseUrl, fetch })", () =>
    Effect.gen(function* () {
      const client = yield* NodeClient.NodeClient
      const id = yield* client.requestJob({ containers: ["echo"], data: { effect: true } })
      const result = yield* client.getJobResultSync(id)
      assert.deepStrictEqual(result.result, { container: "echo", output: { effect: true } } as never)
      const info = yield* client.info()
      assert.include(
        info.containers.map((c): string => c.id),
        "echo"
      )
      const stream = yield* client.requestStream({
        containers: ["openai-inference-streaming-0.0.1"],
        data: { model: "gpt-4o", params: { endpoint: "completion", messages: [{ role: "user", content: "Hi" }] } }
      })
      assert.match(stream.id, /^[0-9a-f-]{36}$/)
      const all = yield* Stream.runCollect(stream.text)
      assert.isAbove(Chunk.join(all, "").length, 10)
    }).pipe(Effect.scoped, Effect.provide(NodeClient.layerFetch({ baseUrl: node.url, fetch: node.fetch })))
  )
})
