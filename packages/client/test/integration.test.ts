/**
 * The usage page's examples, and the failure cases, against @infernet/node-mock over loopback.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { NodeHttpClient } from "@effect/platform-node"
import type { RunningMockNode } from "@infernet/node-mock"
import { Chunk, Duration, Effect, Schema, Stream } from "effect"
import { Primitives } from "@infernet/types"
import { NodeClient, NodeClientError } from "../src/index.js"
import { createNodeClient, NodeClientError as PromiseNodeClientError } from "../src/promise.js"
import { failure } from "./utils/exit.js"
import { closedPort, start, usage, withClient } from "./utils/mock.js"

let node: RunningMockNode
let split: RunningMockNode
let limited: RunningMockNode

beforeAll(async () => {
  ;[node, split, limited] = await Promise.all([
    start(),
    start({ stream_chunking: "split" }),
    start({ rate_limit: { limit: 2, period_seconds: 1 } })
  ])
})

afterAll(async () => {
  await Promise.all([node?.close(), split?.close(), limited?.close()])
})

const isJobId = Schema.is(Primitives.JobId)

describe("usage page, Effect API", () => {
  it.live("info", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const info = yield* client.info()
        assert.strictEqual(info.version, "1.4.0")
        assert.includeMembers(
          info.containers.map((c) => c.id),
          ["openai-inference-0.0.1", "openai-inference-streaming-0.0.1", "openai-inference"]
        )
        assert.isTrue(info.chain.enabled)
        assert.isTrue(yield* client.health())
      })
    )
  )

  it.live("resources and model support", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const resources = yield* client.resources()
        assert.include(Object.keys(resources), "openai-inference-0.0.1")
        const support = yield* client.checkModelSupport("gpt-4o")
        assert.isTrue(support["openai-inference-0.0.1"]?.supported)
        const none = yield* client.checkModelSupport("no-such-model")
        assert.isFalse(none["openai-inference-0.0.1"]?.supported)
      })
    )
  )

  it.live("request, then wait for the result", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const id = yield* client.requestJob(usage.completion)
        assert.isTrue(isJobId(id))
        const result = yield* client.getJobResultSync(id, { retries: 20 })
        assert.strictEqual(result.id, id)
        assert.strictEqual(result.status, "success")
        assert.strictEqual(
          result.result !== null && "output" in result.result ? result.result.container : "",
          "openai-inference-0.0.1"
        )
      })
    )
  )

  it.live("batch with an unsupported container, then fetch the results in order", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const requests = [usage.embedding(), usage.embedding(), usage.embedding("non-existent-container")]
        const items = yield* client.requestJobs(requests)
        assert.strictEqual(items.length, 3)
        assert.deepStrictEqual(items[2], {
          error: "Container not supported",
          params: { container: "non-existent-container" }
        })
        const paired = yield* client.requestJobsPaired(requests)
        assert.deepStrictEqual(
          paired.accepted.map((a) => a.index),
          [0, 1]
        )
        assert.deepStrictEqual(
          paired.rejected.map((r) => [r.index, r.error.error]),
          [[2, "Container not supported"]]
        )
        const ids = paired.accepted.map((a) => a.id)
        yield* Effect.forEach(ids, (id) => client.getJobResultSync(id))
        const results = yield* client.getJobResults(ids)
        assert.deepStrictEqual(
          results.map((r) => r.id),
          ids
        )
        for (const r of results) {
          assert.strictEqual(r.status, "success")
          const output = r.result !== null && "output" in r.result ? r.result.output : null
          assert.isTrue(Array.isArray(output) && output.length > 100 && typeof output[0] === "number")
        }
      })
    )
  )

  it.live("a long id list is split into several URLs and merged in order", () =>
    withClient(
      node.url,
      (client) =>
        Effect.gen(function* () {
          const real = yield* Effect.forEach([1, 2, 3], () => client.requestJob(usage.embedding()))
          const unknown = Array.from({ length: 200 }, () => crypto.randomUUID())
          const ids = [real[0]!, ...unknown.slice(0, 100), real[1]!, ...unknown.slice(100), real[2]!]
          yield* Effect.forEach(real, (id) => client.getJobResultSync(id))
          const results = yield* client.getJobResults(ids)
          assert.deepStrictEqual(
            results.map((r) => r.id),
            real
          )
        }),
      { maxUrlLength: 1000 }
    )
  )

  it.live("streaming: the id line, then the text as it arrives; the stored result afterwards", () =>
    Effect.scoped(
      withClient(node.url, (client) =>
        Effect.gen(function* () {
          const stream = yield* client.requestStream(usage.stream)
          assert.isTrue(isJobId(stream.id))
          const pieces = Chunk.toReadonlyArray(yield* Stream.runCollect(stream.text))
          assert.isAbove(pieces.length, 1)
          const text = pieces.join("")
          assert.isAbove(text.length, 20)
          const stored = yield* stream.result()
          assert.strictEqual(stored.status, "success")
          assert.deepStrictEqual(stored.result, {
            container: Primitives.ContainerId.make("openai-inference-streaming-0.0.1"),
            output: { output: text }
          })
        })
      )
    )
  )

  it.live("streaming with every write split in two (the id line too) gives the same id framing and text", () =>
    Effect.gen(function* () {
      const read = (url: string) =>
        Effect.scoped(
          withClient(url, (client) =>
            Effect.gen(function* () {
              const stream = yield* client.requestStream(usage.stream)
              assert.isTrue(isJobId(stream.id))
              return (yield* Stream.runCollect(stream.text)).pipe(Chunk.join(""))
            })
          )
        )
      const [natural, chopped] = yield* Effect.all([read(node.url), read(split.url)])
      assert.strictEqual(chopped, natural)
    })
  )

  it.live("ids: all, completed (pending: false) and pending (pending: true)", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const slow = yield* client.requestJob({ containers: ["slow"], data: {} })
        const fast = yield* client.requestJob(usage.completion)
        yield* client.getJobResultSync(fast)
        const all = yield* client.getJobs()
        const completed = yield* client.getJobs({ pending: false })
        const pending = yield* client.getJobs({ pending: true })
        assert.includeMembers([...all], [slow, fast])
        assert.include(completed, fast)
        assert.notInclude(completed, slow)
        assert.include(pending, slow)
        assert.notInclude(pending, fast)
      })
    )
  )

  it.live("record status by hand", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        yield* client.recordStatus(usage.status.id, "running", usage.status.request)
        const [running] = yield* client.getJobResults([usage.status.id])
        assert.strictEqual(running?.status, "running")
        yield* client.recordStatus(usage.status.id, "success", usage.status.request)
        const [done] = yield* client.getJobResults([usage.status.id])
        assert.strictEqual(done?.status, "success")
      })
    )
  )
})

describe("NodeClient.layerFetch (no HttpClient layer)", () => {
  it.live("the usage page's calls, a stream and a typed error, through the given fetch", () => {
    const urls: Array<string> = []
    const fetch: typeof globalThis.fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input))
      return globalThis.fetch(input, init)
    }
    return Effect.gen(function* () {
      const client = yield* NodeClient.NodeClient
      assert.strictEqual((yield* client.info()).version, "1.4.0")
      const id = yield* client.requestJob(usage.completion)
      assert.strictEqual((yield* client.getJobResultSync(id)).status, "success")
      const [item] = yield* client.requestJobs([usage.embedding()])
      assert.isTrue(item !== undefined && "id" in item)
      const text = yield* Effect.scoped(
        Effect.flatMap(client.requestStream(usage.stream), (stream) =>
          Effect.map(Stream.runCollect(stream.text), Chunk.join(""))
        )
      )
      assert.isAbove(text.length, 0)
      const error = failure(yield* Effect.exit(client.requestJob(usage.embedding("non-existent-container"))))
      assert.strictEqual(error.reason._tag, "ApiError")
      // Every call, the stream's included, went through the fetch given to the layer.
      assert.isAtLeast(urls.length, 6)
      assert.isTrue(urls.some((url) => url.endsWith("/api/jobs/stream")))
      assert.isTrue(urls.every((url) => url.startsWith(node.url)))
    }).pipe(Effect.provide(NodeClient.layerFetch({ baseUrl: node.url, fetch })))
  })
})

describe("failures against the mock", () => {
  it.live("an unsupported container is an ApiError with the node's params", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const error = failure(yield* Effect.exit(client.requestJob(usage.embedding("non-existent-container"))))
        assert.deepStrictEqual(
          error.reason,
          new NodeClientError.ApiError({
            url: `${node.url}/api/jobs`,
            requestId: (error.reason as NodeClientError.ApiError).requestId!,
            status: 405,
            error: "Container not supported",
            params: { container: "non-existent-container" }
          })
        )
      })
    )
  )

  it.live("a job that fails in its container fails getJobResultSync with JobFailed", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const id = yield* client.requestJob({ containers: ["always-fails"], data: {} })
        const error = failure(yield* Effect.exit(client.getJobResultSync(id)))
        assert.strictEqual(error.reason._tag, "JobFailed")
        if (error.reason._tag !== "JobFailed") return
        assert.strictEqual(error.reason.result.status, "failed")
        assert.strictEqual(error.reason.result.result !== null && "error" in error.reason.result.result, true)
        assert.include(error.message, `Job ${id} failed: container always-fails failed`)
      })
    )
  )

  it.live("an unknown id is JobNotFound", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const error = failure(yield* Effect.exit(client.getJobResultSync(crypto.randomUUID(), { notFoundGrace: 50 })))
        assert.strictEqual(error.reason._tag, "JobNotFound")
      })
    )
  )

  it.live("a job still running when the polls run out is StillRunning", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const id = yield* client.requestJob({ containers: ["slow"], data: {} })
        const error = failure(yield* Effect.exit(client.getJobResultSync(id, { retries: 3 })))
        assert.strictEqual(error.reason._tag, "StillRunning")
        if (error.reason._tag !== "StillRunning") return
        assert.strictEqual(error.reason.id, id)
        assert.strictEqual(error.reason.attempts, 3)
        assert.strictEqual(error.reason.url, `${node.url}/api/jobs`)
        assert.isAbove(Duration.toMillis(error.reason.elapsed!), 0)
      })
    )
  )

  it.live("a node that is down is a TransportError (after the safe retries)", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(closedPort)
      const error = failure(
        yield* Effect.exit(withClient(`http://127.0.0.1:${port}`, (client) => client.info(), { retry: 1 }))
      )
      assert.strictEqual(error.reason._tag, "TransportError")
      assert.include(error.message, "ECONNREFUSED")
      const post = failure(
        yield* Effect.exit(withClient(`http://127.0.0.1:${port}`, (client) => client.requestJob(usage.completion)))
      )
      assert.strictEqual(post.reason._tag, "TransportError")
    })
  )

  it.live("the node's HTML 404 for an unknown path is an UnexpectedResponse, not a JSON error", () =>
    withClient(`${node.url}/not/a/node`, (client) =>
      Effect.gen(function* () {
        const error = failure(yield* Effect.exit(client.info()))
        const reason = error.reason
        assert.strictEqual(reason._tag, "UnexpectedResponse")
        if (reason._tag !== "UnexpectedResponse") return
        assert.strictEqual(reason.status, 404)
        assert.match(reason.contentType ?? "", /text\/html/)
        assert.include(reason.body, "Not Found")
      })
    )
  )

  it.live("the rate limiter's HTML 429 is RateLimited; safe calls wait and retry", () =>
    Effect.gen(function* () {
      // limit 2 per second: the third call in a burst is rejected.
      const noRetry = yield* withClient(
        limited.url,
        (client) => Effect.exit(Effect.all([client.info(), client.info(), client.info()])),
        { retry: false }
      )
      const error = failure(noRetry)
      assert.strictEqual(error.reason._tag, "RateLimited")
      yield* Effect.sleep("1100 millis")
      const start = Date.now()
      const infos = yield* withClient(limited.url, (client) =>
        Effect.all([client.info(), client.info(), client.info()])
      )
      assert.strictEqual(infos.length, 3)
      assert.isAbove(Date.now() - start, 100, "the third call waited for the limiter")
    })
  )

  it.live("a per-call timeout", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const id = yield* client.requestJob({ containers: ["slow"], data: {} })
        assert.isTrue(isJobId(id))
        const port = node.port
        assert.isAbove(port, 0)
        const exit = yield* Effect.exit(client.getJobResultSync(id, { timeout: Duration.millis(1) }))
        const reason = failure(exit).reason
        assert.strictEqual(reason._tag, "Timeout")
        if (reason._tag === "Timeout") assert.strictEqual(Duration.toMillis(reason.timeout), 1)
      })
    )
  )
})

describe("usage page, Promise API", () => {
  it("request, sync, batch, stream and ids", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    const id = await client.requestJob(usage.completion)
    const result = await client.getJobResultSync(id, { retries: 20 })
    assert.strictEqual(result.status, "success")
    const paired = await client.requestJobsPaired([usage.embedding(), usage.embedding("non-existent-container")])
    assert.strictEqual(paired.accepted.length, 1)
    assert.strictEqual(paired.rejected[0]?.error.error, "Container not supported")
    const stream = await client.requestStream(usage.stream)
    let text = ""
    for await (const piece of stream) text += piece
    assert.isAbove(text.length, 20)
    const stored = await stream.result()
    assert.deepStrictEqual(stored.result, {
      container: Primitives.ContainerId.make("openai-inference-streaming-0.0.1"),
      output: { output: text }
    })
    assert.include(await client.getJobs({ pending: false }), id)
  })

  it("on NodeHttpClient.layerUndici instead of fetch: a job, its result and a stream", async () => {
    await using client = createNodeClient({ baseUrl: node.url, httpClient: NodeHttpClient.layerUndici })
    const id = await client.requestJob(usage.completion)
    assert.strictEqual((await client.getJobResultSync(id, { retries: 20 })).status, "success")
    const stream = await client.requestStream(usage.stream)
    let text = ""
    for await (const piece of stream) text += piece
    assert.deepStrictEqual((await stream.result()).result, {
      container: Primitives.ContainerId.make("openai-inference-streaming-0.0.1"),
      output: { output: text }
    })
  })

  it("errors are NodeClientError instances", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    const error = await client.requestJob(usage.embedding("non-existent-container")).catch((e: unknown) => e)
    assert.instanceOf(error, PromiseNodeClientError)
    assert.strictEqual((error as PromiseNodeClientError).reason._tag, "ApiError")
    const port = await closedPort()
    await using down = createNodeClient({ baseUrl: `http://127.0.0.1:${port}`, retry: false })
    const refused = await down.health().catch((e: unknown) => e)
    assert.instanceOf(refused, PromiseNodeClientError)
    assert.strictEqual((refused as PromiseNodeClientError).reason._tag, "TransportError")
  })

  it("x-request-id and hooks against node-mock: every attempt seen, the failure traced to its attempt", async () => {
    const events: Array<{
      kind: string
      id: string | undefined
      status?: number | undefined
      reason?: string | undefined
    }> = []
    await using client = createNodeClient({
      baseUrl: node.url,
      onRequest: (e) => events.push({ kind: `${e.httpMethod} ${new URL(e.url).pathname}`, id: e.requestId }),
      onResponse: (e) => events.push({ kind: "answer", id: e.requestId, status: e.status, reason: e.reason })
    })
    const id = await client.requestJob({ containers: ["hello-world"], data: { name: "ids" } })
    const result = await client.getJobResultSync(id, {
      output: Schema.standardSchemaV1(Schema.Struct({ output: Schema.String }))
    })
    assert.include(result.result.output.output, "hello, world!")
    const error = await client.requestJob(usage.embedding("non-existent-container")).catch((e: unknown) => e)
    assert.instanceOf(error, PromiseNodeClientError)
    const failed = error as PromiseNodeClientError
    const last = events.at(-1)!
    assert.deepStrictEqual(last, { kind: "answer", id: failed.requestId, status: 405, reason: "ApiError" })
    assert.deepStrictEqual(JSON.parse(JSON.stringify(failed)), {
      _tag: "NodeClientError",
      method: "requestJob",
      message: failed.message,
      url: `${node.url}/api/jobs`,
      status: 405,
      requestId: failed.requestId,
      reason: {
        _tag: "ApiError",
        message:
          'The node rejected the request: Container not supported {"container":"non-existent-container"} (HTTP 405)',
        url: `${node.url}/api/jobs`,
        status: 405,
        error: "Container not supported",
        params: { container: "non-existent-container" },
        requestId: failed.requestId
      }
    })
    // Every request and answer is paired by its id, and every id is different.
    const requests = events.filter((e) => e.kind !== "answer")
    const answers = events.filter((e) => e.kind === "answer")
    assert.strictEqual(requests[0]!.kind, "POST /api/jobs")
    assert.strictEqual(requests.length, answers.length)
    assert.deepStrictEqual(
      requests.map((e) => e.id),
      answers.map((e) => e.id)
    )
    assert.strictEqual(new Set(requests.map((e) => e.id)).size, requests.length)
  })

  it("an AbortSignal stops a long wait promptly", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    const id = await client.requestJob({ containers: ["slow"], data: {} })
    const started = Date.now()
    const error = await client.getJobResultSync(id, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e)
    assert.instanceOf(error, DOMException)
    assert.strictEqual((error as DOMException).name, "TimeoutError")
    assert.isBelow(Date.now() - started, 1000)
  })

  it("an AbortSignal stops a stream", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    const controller = new AbortController()
    const stream = await client.requestStream(usage.stream, { signal: controller.signal })
    const pieces: Array<string> = []
    const error = await (async () => {
      for await (const piece of stream) {
        pieces.push(piece)
        controller.abort()
      }
    })().catch((e: unknown) => e)
    assert.strictEqual(pieces.length, 1)
    assert.instanceOf(error, DOMException)
  })
})
