// POST /api/jobs/batch: answers in input order, one bad item fails the whole batch.
import { assert, describe, it } from "@effect/vitest"
import { get, post, request, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const embed = (container: string) => ({
  containers: [container],
  data: {
    model: "text-embedding-3-small",
    params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
  }
})

describe("POST /api/jobs/batch", () => {
  it("answers one element per item in input order: ids and guardian errors", () =>
    withNode(undefined, async (node) => {
      const res = await post(node.url, "/api/jobs/batch", [
        embed("openai-inference-0.0.1"),
        embed("openai-inference-0.0.1"),
        embed("non-existent-container")
      ])
      assert.strictEqual(res.status, 200)
      const [a, b, c] = res.json<Array<any>>()
      assert.match(a.id, /^[0-9a-f-]{36}$/)
      assert.match(b.id, /^[0-9a-f-]{36}$/)
      assert.notStrictEqual(a.id, b.id)
      assert.deepStrictEqual(c, { error: "Container not supported", params: { container: "non-existent-container" } })
      const [first, second] = await Promise.all([waitForJob(node.url, a.id), waitForJob(node.url, b.id)])
      // Same input, same deterministic vector.
      assert.deepStrictEqual(first.result.output, second.result.output)
      assert.strictEqual(first.result.output.length, 1536)
    }))

  it("needs a list (400), valid JSON (500) and valid items (500, nothing created)", () =>
    withNode(undefined, async (node) => {
      const notList = await post(node.url, "/api/jobs/batch", embed("hello-world"))
      assert.strictEqual(notList.status, 400)
      assert.strictEqual(notList.text, '{"error":"Expected a list"}\n')

      const invalid = await post(node.url, "/api/jobs/batch", "[{", { headers: { "content-type": "application/json" } })
      assert.strictEqual(invalid.status, 500)
      assert.match(invalid.json().error, /^Could not enqueue job: invalid JSON: /)

      const badItem = await post(node.url, "/api/jobs/batch", [embed("hello-world"), { containers: ["hello-world"] }])
      assert.strictEqual(badItem.status, 500)
      assert.deepStrictEqual(badItem.json(), {
        error: "Could not enqueue job: item 1: not a valid job request: data: is missing"
      })
      const notObject = await post(node.url, "/api/jobs/batch", [embed("hello-world"), 5])
      assert.strictEqual(notObject.status, 500)
      assert.match(notObject.json().error, /^Could not enqueue job: item 1: expected a JSON object/)
      // Every item is parsed before any is processed: the valid first items created nothing.
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [])

      const empty = await post(node.url, "/api/jobs/batch", [])
      assert.strictEqual(empty.status, 200)
      assert.strictEqual(empty.text, "[]\n")
    }))

  it("reads the body whatever its content type, as the real node (get_json(force=True))", () =>
    withNode(undefined, async (node) => {
      const res = await request(node.url, "/api/jobs/batch", {
        method: "POST",
        body: JSON.stringify([{ containers: ["hello-world"], data: {} }]),
        headers: { "content-type": "text/plain" }
      })
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.json().length, 1)
    }))
})
