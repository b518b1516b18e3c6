import { assert, it } from "@effect/vitest"
import { startMockNode } from "../src/index.js"
import { get, post, waitForJob } from "./utils/http.js"

it("smoke", async () => {
  const node = await startMockNode()
  try {
    const health = await get(node.url, "/health")
    console.log(health.status, health.headers, JSON.stringify(health.text))
    const info = await get(node.url, "/info")
    console.log(info.text)
    const job = await post(node.url, "/api/jobs", {
      containers: ["hello-world", "hello-world"],
      data: { name: "Ritual" }
    })
    console.log(job.status, job.text)
    const result = await waitForJob(node.url, job.json().id, { intermediate: true })
    console.log(JSON.stringify(result))
    const stream = await post(node.url, "/api/jobs/stream", {
      containers: ["openai-inference-streaming-0.0.1"],
      data: {
        model: "gpt",
        params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
      }
    })
    console.log(stream.status, stream.headers, stream.chunks.length, JSON.stringify(stream.text.slice(0, 120)))
    const r404 = await get(node.url, "/nope")
    console.log(r404.status, r404.text)
    const r405 = await get(node.url, "/api/jobs/batch")
    console.log(r405.status, r405.headers.allow)
    const emb = await post(node.url, "/api/jobs", {
      containers: ["openai-inference-0.0.1"],
      data: {
        model: "text-embedding-3-small",
        params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
      }
    })
    const e = await waitForJob(node.url, emb.json().id)
    console.log(e.result.output.length, e.result.output.slice(0, 3))
    console.log((await get(node.url, "/api/jobs")).text)
    console.log((await get(node.url, "/resources")).text)
    assert.strictEqual(health.status, 200)
  } finally {
    await node.close()
  }
})
