/**
 * The usage page, with the Effect API on Node's undici client. Run it against a node (or `infernet-node-mock`):
 *
 *   SERVER_URL=http://localhost:4000 node scripts/run-ts.mjs examples/effect.ts
 *
 * `test/examples.test.ts` runs it against @infernet/node-mock.
 */
import { NodeClient, NodeClientError } from "@infernet/client"
import { NodeHttpClient } from "@effect/platform-node"
import { Console, Effect, Layer, Stream } from "effect"
import { pathToFileURL } from "node:url"

const embedding = (container: string) => ({
  containers: [container],
  data: {
    model: "text-embedding-3-small",
    params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
  }
})

/** What the walk-through returns (for the test that runs it). */
export interface Outcome {
  readonly jobId: string
  readonly ids: ReadonlyArray<string>
  readonly result: { readonly status: string }
  readonly text: string
  readonly rejection: string
}

export const usagePage: Effect.Effect<Outcome, NodeClientError.NodeClientError, NodeClient.NodeClient> = Effect.gen(
  function* () {
    const client = yield* NodeClient.NodeClient

    // Information
    const info = yield* client.info()
    yield* Console.log(
      info.version,
      info.containers.map((c) => c.id)
    )

    // Request
    const jobId = yield* client.requestJob({
      containers: ["openai-inference-0.0.1"],
      data: {
        model: "gpt-3.5-turbo-16k",
        params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
      }
    })
    yield* Console.log(jobId)

    // Batch request, paired: accepted requests with their ids, rejected ones with the node's error
    const { accepted, rejected } = yield* client.requestJobsPaired([
      embedding("openai-inference-0.0.1"),
      embedding("openai-inference-0.0.1"),
      embedding("non-existent-container")
    ])
    yield* Console.log(rejected.map((r) => r.error)) // [{ error: "Container not supported", params: {...} }]

    // Fetch results
    const ids = accepted.map((a) => a.id)
    yield* Effect.forEach(ids, (id) => client.getJobResultSync(id), { concurrency: "unbounded" })
    const results = yield* client.getJobResults(ids)
    yield* Console.log(results)

    // Sync request: request, then wait for the result (at most 20 polls); a failed job fails with JobFailed
    const id = yield* client.requestJob(embedding("openai-inference-0.0.1"))
    const result = yield* client.getJobResultSync(id, { retries: 20 })
    yield* Console.log(result)

    // Streaming: the job id first, then the text as it arrives; the stream's connection lives in the scope
    const text = yield* Effect.scoped(
      Effect.gen(function* () {
        const stream = yield* client.requestStream({
          containers: ["openai-inference-streaming-0.0.1"],
          data: {
            model: "gpt-3.5-turbo-16k",
            params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
          }
        })
        yield* Console.log(`Job ID: ${stream.id}`)
        return yield* stream.text.pipe(
          Stream.tap((piece) => Console.log(piece)),
          Stream.runFold("", (all, piece) => all + piece)
        )
      })
    )

    // Get IDs: all, completed, pending
    yield* Console.log(yield* client.getJobs())
    yield* Console.log(yield* client.getJobs({ pending: false }))
    yield* Console.log(yield* client.getJobs({ pending: true }))

    // Status: record a job's status by hand (do not use this unless you know why)
    const request = { containers: ["openai-inference"], data: {} }
    yield* client.recordStatus("d77215c8-dd25-4843-89c4-788eef9ed324", "running", request)
    yield* client.recordStatus("d77215c8-dd25-4843-89c4-788eef9ed324", "success", request)

    // Errors: one NodeClientError, matched on its reason
    const rejection = yield* client.requestJob(embedding("non-existent-container")).pipe(
      Effect.map(() => "accepted"),
      Effect.catchTag("NodeClientError", (error) =>
        NodeClientError.hasReason(error, "ApiError")
          ? Effect.succeed(`${error.reason.status} ${error.reason.error}`) // "405 Container not supported"
          : Effect.fail(error)
      )
    )
    yield* Console.log(rejection)
    return { jobId, ids, result, text, rejection }
  }
)

/** The client for `baseUrl`, on undici (one connection pool for the layer's lifetime). */
export const live = (baseUrl: string) => NodeClient.layer({ baseUrl }).pipe(Layer.provide(NodeHttpClient.layerUndici))

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await Effect.runPromise(usagePage.pipe(Effect.provide(live(process.env.SERVER_URL ?? "http://localhost:4000"))))
}
