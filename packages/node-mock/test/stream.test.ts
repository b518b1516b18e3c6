// POST /api/jobs/stream: "<id>\n" then the container's raw bytes, chunked; read with the raw node:http client and
// split on the first newline, never on the first read.
import { assert, describe, it } from "@effect/vitest"
import { post, type RawResponse, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const deepLearning = {
  containers: ["openai-inference-streaming-0.0.1"],
  data: {
    model: "gpt-3.5-turbo-16k",
    params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
  }
}

/** Splits a streamed body on its first newline, whatever the chunking. */
const splitStream = (res: RawResponse) => {
  const all = Buffer.concat(res.chunks).toString("utf8")
  const newline = all.indexOf("\n")
  return { id: all.slice(0, newline), body: all.slice(newline + 1) }
}

describe("POST /api/jobs/stream", () => {
  it("streams the usage page's example: the id line, then text continuing the prompt, in several chunks", () =>
    withNode(undefined, async (node) => {
      const res = await post(node.url, "/api/jobs/stream", deepLearning)
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.headers["content-type"], "text/html; charset=utf-8")
      assert.strictEqual(res.headers["transfer-encoding"], "chunked")
      assert.isUndefined(res.headers["content-length"])
      assert.isAbove(res.chunks.length, 10)
      const { id, body } = splitStream(res)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.match(body, /^a branch of machine learning/)
      assert.include(body, "neural networks")
      // The finished stream is stored as a success whose output is {"output": "<all text>"}.
      const job = await waitForJob(node.url, id)
      assert.deepStrictEqual(job, {
        id,
        status: "success",
        result: { container: "openai-inference-streaming-0.0.1", output: { output: body } }
      })
    }))

  it("reassembles correctly when every write, the id line included, is split in two", () =>
    withNode(
      {
        config: {
          containers: [{ id: "s", behavior: { type: "stream", text: "héllo wörld ✓ done", chunk_delay_ms: 1 } }],
          mock: { stream_chunking: "split" }
        }
      },
      async (node) => {
        const res = await post(node.url, "/api/jobs/stream", { containers: ["s"], data: {} })
        // The first read holds only half of the 37-byte id line.
        assert.isBelow(res.chunks[0]!.length, 37)
        const { id, body } = splitStream(res)
        assert.lengthOf(id, 36)
        // Multi-byte characters were cut between writes and still decode.
        assert.strictEqual(body, "héllo wörld ✓ done")
        const job = await waitForJob(node.url, id)
        assert.deepStrictEqual(job.result, { container: "s", output: { output: "héllo wörld ✓ done" } })
      }
    ))

  it("ends a failing stream cleanly and stores the job as failed", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "breaks", behavior: { type: "stream", text: "one two three four five", fail_after_chunks: 2 } },
            { id: "down", port: 3999, behavior: { type: "fail" } }
          ]
        }
      },
      async (node) => {
        const broken = await post(node.url, "/api/jobs/stream", { containers: ["breaks"], data: {} })
        assert.strictEqual(broken.status, 200)
        const first = splitStream(broken)
        assert.strictEqual(first.body, "one two ")
        assert.deepStrictEqual(await waitForJob(node.url, first.id), {
          id: first.id,
          status: "failed",
          result: { container: "breaks", error: "Response payload is not completed" }
        })

        const down = await post(node.url, "/api/jobs/stream", { containers: ["down"], data: {} })
        assert.strictEqual(down.status, 200)
        const second = splitStream(down)
        assert.strictEqual(second.body, "")
        assert.deepStrictEqual((await waitForJob(node.url, second.id)).result, {
          container: "down",
          error: "Cannot connect to host localhost:3999 ssl:default [Connect call failed ('127.0.0.1', 3999)]"
        })
      }
    ))

  it("runs only the first container; a JSON container streams its JSON answer", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "json", behavior: { type: "static", output: { answer: 42 } } },
            { id: "other", behavior: { type: "echo" } }
          ]
        }
      },
      async (node) => {
        const res = await post(node.url, "/api/jobs/stream", { containers: ["json", "other"], data: {} })
        const { id, body } = splitStream(res)
        assert.strictEqual(body, '{"answer":42}\n')
        assert.deepStrictEqual((await waitForJob(node.url, id)).result, {
          container: "json",
          output: { output: '{"answer":42}\n' }
        })
      }
    ))

  it("validates like POST /api/jobs: guardian 405s and 500s, as JSON", () =>
    withNode({ config: { containers: [{ id: "x", external: false }] } }, async (node) => {
      const unknown = await post(node.url, "/api/jobs/stream", { containers: ["nope"], data: {} })
      assert.strictEqual(unknown.status, 405)
      assert.strictEqual(unknown.headers["content-type"], "application/json")
      assert.deepStrictEqual(unknown.json(), { error: "Container not supported", params: { container: "nope" } })
      const internal = await post(node.url, "/api/jobs/stream", { containers: ["x"], data: {} })
      assert.deepStrictEqual(internal.json(), {
        error: "First container must be external",
        params: { first_container: "x" }
      })
      const malformed = await post(node.url, "/api/jobs/stream", "{", {
        headers: { "content-type": "application/json" }
      })
      assert.strictEqual(malformed.status, 500)
      assert.match(malformed.json().error, /^Internal server error: invalid JSON/)
    }))
})
