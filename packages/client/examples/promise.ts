/**
 * The usage page, with the Promise API. Run it against a node (or `infernet-node-mock`):
 *
 *   SERVER_URL=http://localhost:4000 node scripts/run-ts.mjs examples/promise.ts
 *
 * `test/examples.test.ts` runs it against @infernet/node-mock.
 */
import { createNodeClient, NodeClientError } from "@infernet/client/promise"
import { pathToFileURL } from "node:url"

/** What the walk-through returns (for the test that runs it). */
export interface Outcome {
  readonly jobId: string
  readonly ids: ReadonlyArray<string>
  readonly result: { readonly status: string }
  readonly text: string
}

export async function usagePage(
  baseUrl: string,
  log: (...values: Array<unknown>) => void = console.log
): Promise<Outcome> {
  await using client = createNodeClient({ baseUrl })

  // Information
  const info = await client.info()
  log(
    info.version,
    info.containers.map((c) => c.id)
  )

  // Request
  const jobId = await client.requestJob({
    containers: ["openai-inference-0.0.1"],
    data: {
      model: "gpt-3.5-turbo-16k",
      params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
    }
  })
  log(jobId)

  // Batch request: one answer per request, in order; the third is rejected
  const embedding = (container: string) => ({
    containers: [container],
    data: {
      model: "text-embedding-3-small",
      params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
    }
  })
  const responses = await client.requestJobs([
    embedding("openai-inference-0.0.1"),
    embedding("openai-inference-0.0.1"),
    embedding("non-existent-container")
  ])
  log(responses)

  // Fetch results (ids the node does not know are left out)
  const ids = responses.flatMap((r) => ("id" in r ? [r.id] : []))
  await Promise.all(ids.map((id) => client.getJobResultSync(id)))
  const results = await client.getJobResults(ids)
  log(results)

  // Sync request: request, then wait for the result (at most 20 polls)
  const id = await client.requestJob(embedding("openai-inference-0.0.1"))
  const result = await client.getJobResultSync(id, { retries: 20 })
  log(result)

  // Streaming: the job id first, then the text as it arrives
  const stream = await client.requestStream({
    containers: ["openai-inference-streaming-0.0.1"],
    data: {
      model: "gpt-3.5-turbo-16k",
      params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
    }
  })
  log(`Job ID: ${stream.id}`)
  let text = ""
  for await (const piece of stream) text += piece
  log(text)

  // Get IDs: all, completed, pending
  log(await client.getJobs())
  log(await client.getJobs({ pending: false }))
  log(await client.getJobs({ pending: true }))

  // Status: record a job's status by hand (do not use this unless you know why)
  const request = { containers: ["openai-inference"], data: {} }
  await client.recordStatus("d77215c8-dd25-4843-89c4-788eef9ed324", "running", request)
  await client.recordStatus("d77215c8-dd25-4843-89c4-788eef9ed324", "success", request)

  // Errors are NodeClientError with a tagged reason
  try {
    await client.requestJob(embedding("non-existent-container"))
  } catch (error) {
    if (!(error instanceof NodeClientError) || error.reason._tag !== "ApiError") throw error
    log(error.reason.status, error.reason.error, error.reason.params) // 405 Container not supported { container: ... }
  }
  return { jobId, ids, result, text }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await usagePage(process.env.SERVER_URL ?? "http://localhost:4000")
}
