// Every request of the Python client's usage page, sent as its cURL examples send it, against a node started with
// the default configuration: each answer has the documented shape.
import { assert, describe, it } from "@effect/vitest"
import { get, post, request, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const json = { "content-type": "application/json" }

// The bodies exactly as the page's cURL examples write them (whitespace included).
const jobBody = `{
            "containers": ["openai-inference-0.0.1"],
            "data": {
                "model": "gpt-3.5-turbo-16k",
                "params": {
                    "endpoint": "completion",
                    "messages": [{"role": "user", "content": "how do I make pizza?"}]
                }
            }
        }`
const streamBody = `{
            "containers": ["openai-inference-streaming-0.0.1"],
            "data": {
                "model": "gpt-3.5-turbo-16k",
                "params": {
                    "endpoint": "completion",
                    "messages": [{"role": "user", "content": "Deep Learning is "}]
                }
            }
        }`
const statusBody = (status: string) => `{
            "id": "d77215c8-dd25-4843-89c4-788eef9ed324",
            "status": "${status}",
            "containers": ["openai-inference"],
        }`
const embedding = (container: string) => ({
  containers: [container],
  data: {
    model: "text-embedding-3-small",
    params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
  }
})

describe("the usage page against the default configuration", () => {
  it("Information: curl /info", () =>
    withNode(undefined, async (node) => {
      const info = (await get(node.url, "/info")).json()
      assert.deepStrictEqual(info.containers[0], {
        id: "openai-inference-0.0.1",
        image: "ritualnetwork/css_inference_service:latest",
        description: "OPENAI Inference Service",
        external: true
      })
      assert.strictEqual(info.version, "1.4.0")
      assert.deepStrictEqual(info.pending, { offchain: 0, onchain: 0 })
      assert.deepStrictEqual(info.chain, { enabled: true, address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" })
    }))

  it("Jobs: request, batch request, fetch results, sync request", () =>
    withNode(undefined, async (node) => {
      const created = await request(node.url, "/api/jobs", { method: "POST", body: jobBody, headers: json })
      assert.strictEqual(created.status, 200)
      assert.deepStrictEqual(Object.keys(created.json()), ["id"])
      assert.match(created.json().id, UUID)
      const pizza = await waitForJob(node.url, created.json().id)
      assert.strictEqual(pizza.status, "success")
      assert.strictEqual(pizza.result.container, "openai-inference-0.0.1")
      assert.match(pizza.result.output, /pizza/)

      const batch = await post(node.url, "/api/jobs/batch", [
        embedding("openai-inference-0.0.1"),
        embedding("openai-inference-0.0.1"),
        embedding("non-existent-container")
      ])
      const [a, b, rejected] = batch.json<Array<any>>()
      assert.match(a.id, UUID)
      assert.match(b.id, UUID)
      assert.deepStrictEqual(rejected, {
        error: "Container not supported",
        params: { container: "non-existent-container" }
      })

      // curl "http://localhost:4000/api/jobs?id=...&id=..." (quoted: unquoted, the shell would eat the second id)
      await Promise.all([waitForJob(node.url, a.id), waitForJob(node.url, b.id)])
      const results = (await get(node.url, `/api/jobs?id=${a.id}&id=${b.id}`)).json<Array<any>>()
      assert.deepStrictEqual(
        results.map((r) => [r.id, r.status, r.result.container, Object.keys(r).sort()]),
        [
          [a.id, "success", "openai-inference-0.0.1", ["id", "result", "status"]],
          [b.id, "success", "openai-inference-0.0.1", ["id", "result", "status"]]
        ]
      )
      for (const r of results) {
        assert.lengthOf(r.result.output, 1536)
        assert.isTrue(r.result.output.every((x: unknown) => typeof x === "number" && Math.abs(x) < 1))
      }

      // Sync request: request, then poll until done.
      const sync = (await post(node.url, "/api/jobs", embedding("openai-inference-0.0.1"))).json().id
      const first = (await get(node.url, `/api/jobs?id=${sync}`)).json()[0]
      assert.strictEqual(first.status, "running")
      const done = await waitForJob(node.url, sync)
      assert.deepStrictEqual(done.result.output, results[0].result.output)
    }))

  it("Streaming: curl -X POST /api/jobs/stream --no-buffer", () =>
    withNode(undefined, async (node) => {
      const res = await request(node.url, "/api/jobs/stream", { method: "POST", body: streamBody, headers: json })
      assert.strictEqual(res.status, 200)
      const newline = res.text.indexOf("\n")
      assert.match(res.text.slice(0, newline), UUID)
      assert.match(res.text.slice(newline + 1), /^a branch of machine learning/)
    }))

  it("Get IDs: curl /api/jobs, ?status=completed, ?status=pending", () =>
    withNode(undefined, async (node) => {
      const done = (await request(node.url, "/api/jobs", { method: "POST", body: jobBody, headers: json })).json().id
      await waitForJob(node.url, done)
      await request(node.url, "/api/status", { method: "PUT", body: statusBody("running"), headers: json })
      const pending = "d77215c8-dd25-4843-89c4-788eef9ed324"
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [pending, done])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=completed")).json(), [done])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=pending")).json(), [pending])
    }))

  it("Status: both curl -X PUT /api/status examples, trailing commas and all", () =>
    withNode(undefined, async (node) => {
      for (const status of ["running", "success"]) {
        const res = await request(node.url, "/api/status", { method: "PUT", body: statusBody(status), headers: json })
        assert.strictEqual(res.status, 200)
        assert.strictEqual(res.text, "null\n")
      }
      assert.deepStrictEqual((await get(node.url, "/api/jobs?id=d77215c8-dd25-4843-89c4-788eef9ed324")).json(), [
        { id: "d77215c8-dd25-4843-89c4-788eef9ed324", status: "success", result: null }
      ])
    }))
})
