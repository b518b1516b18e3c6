import { assert, describe, it } from "@effect/vitest"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import {
  Cause,
  Chunk,
  ConfigError,
  ConfigProvider,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Schedule,
  Stream,
  Schema,
  TestClock,
  Tracer
} from "effect"
import { NodeClient, NodeClientError } from "../src/index.js"
import { version } from "../src/internal/version.js"
import packageJson from "../package.json" with { type: "json" }
import { defect, failure } from "./utils/exit.js"
import { chunked, type Fake, html, ids, json, makeFake, type Recorded, refused } from "./utils/fakeHttp.js"

const BASE = "http://node.test:4000"

/** The `x-request-id` the clients of these tests send (the default maker is tested on its own). */
const RID = "test-request-id"

const run = <A, E, R>(
  fake: Fake,
  f: (client: NodeClient.Service) => Effect.Effect<A, E, R>,
  options: Partial<NodeClient.Options> = {}
) =>
  Effect.flatMap(NodeClient.make({ baseUrl: BASE, requestId: () => RID, ...options }), f).pipe(
    Effect.provide(fake.layer)
  )

const result = (id: string, status: string, extra: object = {}) => ({
  id,
  status,
  result:
    status === "running"
      ? null
      : status === "success"
        ? { container: "openai-inference-0.0.1", output: { text: "ok" } }
        : { container: "openai-inference-0.0.1", error: "boom" },
  ...extra
})

const request = {
  containers: ["openai-inference-0.0.1"],
  data: { model: "gpt-3.5-turbo-16k", params: { endpoint: "completion", prompt: "how do I make pizza?" } }
}

/** A node that answers `/health` after a minute, and tells whether the attempt was interrupted before. */
const slowHealth = () => {
  let interrupted = false
  const fake = makeFake(() =>
    Effect.sleep("1 minute").pipe(
      Effect.as(json({ status: "healthy" })),
      Effect.onInterrupt(() => Effect.sync(() => (interrupted = true)))
    )
  )
  return { fake, interrupted: () => interrupted }
}

describe("requests", () => {
  it.effect("health: GET /health, true only for {status: healthy}, with Accept and User-Agent", () =>
    Effect.gen(function* () {
      const fake = makeFake((_, i) => json({ status: i === 0 ? "healthy" : "starting" }))
      assert.isTrue(yield* run(fake, (c) => c.health()))
      assert.isFalse(yield* run(fake, (c) => c.health()))
      const [first] = fake.requests
      assert.strictEqual(first!.method, "GET")
      assert.strictEqual(first!.url.href, `${BASE}/health`)
      assert.strictEqual(first!.headers["user-agent"], `infernet-ts-client/${packageJson.version}`)
      assert.strictEqual(first!.headers.accept, "application/json")
    })
  )

  it("the User-Agent version is the package version", () => {
    assert.strictEqual(version, packageJson.version)
    assert.strictEqual(NodeClient.userAgent, `infernet-ts-client/${packageJson.version}`)
  })

  it.effect("userAgent and headers options", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      yield* run(fake, (c) => c.health(), { userAgent: "my-app/1.0", headers: { "x-team": "a" } })
      yield* run(fake, (c) => c.health({ headers: { "x-call": "b" } }), { userAgent: false })
      assert.strictEqual(fake.requests[0]!.headers["user-agent"], "my-app/1.0")
      assert.strictEqual(fake.requests[0]!.headers["x-team"], "a")
      assert.isUndefined(fake.requests[1]!.headers["user-agent"])
      assert.strictEqual(fake.requests[1]!.headers["x-call"], "b")
    })
  )

  it.effect("info: decodes NodeInfo; a base URL path prefix and trailing slash are kept/normalised", () =>
    Effect.gen(function* () {
      const body = {
        version: "0.3.0",
        containers: [
          {
            id: "openai-inference-0.0.1",
            image: "ritualnetwork/css_inference_service:latest",
            description: "OPENAI Inference Service",
            external: true
          }
        ],
        pending: { offchain: 5, onchain: 3 },
        chain: { enabled: true, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }
      }
      const fake = makeFake(() => json(body))
      const info = yield* run(fake, (c) => c.info(), { baseUrl: "https://proxy.test/nodes/1/" })
      assert.deepStrictEqual(info, body as never)
      assert.strictEqual(fake.requests[0]!.url.href, "https://proxy.test/nodes/1/info")
    })
  )

  it.effect("resources and checkModelSupport: model_id is URL-encoded", () =>
    Effect.gen(function* () {
      const fake = makeFake((r) =>
        r.url.searchParams.has("model_id")
          ? json({ "openai-inference-0.0.1": { supported: false, error: "unknown model" } })
          : json({ "openai-inference-0.0.1": { hardware: { cpu: { cores: 8 } } } })
      )
      const resources = yield* run(fake, (c) => c.resources())
      assert.deepStrictEqual(resources, { "openai-inference-0.0.1": { hardware: { cpu: { cores: 8 } } } })
      const support = yield* run(fake, (c) => c.checkModelSupport("org/model name&v=2"))
      assert.deepStrictEqual(support, { "openai-inference-0.0.1": { supported: false, error: "unknown model" } })
      assert.strictEqual(fake.requests[1]!.url.search, "?model_id=org%2Fmodel+name%26v%3D2")
      assert.strictEqual(fake.requests[1]!.url.searchParams.get("model_id"), "org/model name&v=2")
    })
  )

  it.effect("requestJob: POST /api/jobs with the JSON body (big integers exact), returns the id", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ id: ids.c }))
      const id = yield* run(fake, (c) =>
        c.requestJob({
          containers: ["a", "b"],
          data: { big: 2n ** 70n, nested: { x: [1, "y"] } },
          requires_proof: true
        })
      )
      assert.strictEqual(id, ids.c)
      const sent = fake.requests[0]!
      assert.strictEqual(sent.method, "POST")
      assert.strictEqual(sent.url.href, `${BASE}/api/jobs`)
      assert.strictEqual(sent.headers["content-type"], "application/json")
      assert.strictEqual(
        sent.body,
        '{"containers":["a","b"],"data":{"big":1180591620717411303424,"nested":{"x":[1,"y"]}},"requires_proof":true}'
      )
    })
  )

  it.effect("requestJob omits requires_proof when not given", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ id: ids.c }))
      yield* run(fake, (c) => c.requestJob(request))
      assert.deepStrictEqual(JSON.parse(fake.requests[0]!.body!), request)
    })
  )

  it.effect("requestJobs: POST /api/jobs/batch, items in order", () =>
    Effect.gen(function* () {
      const answer = [
        { id: ids.a },
        { id: ids.b },
        { error: "Container not supported", params: { container: "non-existent-container" } }
      ]
      const fake = makeFake(() => json(answer))
      const requests = [request, request, { ...request, containers: ["non-existent-container"] }]
      const items = yield* run(fake, (c) => c.requestJobs(requests))
      assert.deepStrictEqual(items, answer as never)
      assert.deepStrictEqual(JSON.parse(fake.requests[0]!.body!), requests)
      assert.strictEqual(fake.requests[0]!.url.pathname, "/api/jobs/batch")
    })
  )

  it.effect("requestJobsPaired splits accepted from rejected, each with its request and index", () =>
    Effect.gen(function* () {
      const fake = makeFake(() =>
        json([{ id: ids.a }, { error: "Container not supported", params: { container: "nope" } }, { id: ids.b }])
      )
      const bad = { ...request, containers: ["nope"] }
      const paired = yield* run(fake, (c) => c.requestJobsPaired([request, bad, request]))
      assert.deepStrictEqual(
        paired.accepted.map((a) => [a.index, a.id, a.request]),
        [
          [0, ids.a, request],
          [2, ids.b, request]
        ]
      )
      assert.deepStrictEqual(paired.rejected, [
        { index: 1, request: bad, error: { error: "Container not supported", params: { container: "nope" } } }
      ])
    })
  )

  it.effect("requestJobs: an answer with the wrong number of items is an UnexpectedResponse", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([{ id: ids.a }]))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.requestJobs([request, request]))))
      assert.strictEqual(error.reason._tag, "UnexpectedResponse")
      assert.include(error.message, "answered 1 items for 2 requests")
    })
  )

  it.effect("getJobs: pending true/false/absent", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([ids.a, ids.b]))
      const all = yield* run(fake, (c) => c.getJobs())
      yield* run(fake, (c) => c.getJobs({ pending: true }))
      yield* run(fake, (c) => c.getJobs({ pending: false }))
      assert.deepStrictEqual(all, [ids.a, ids.b] as never)
      assert.deepStrictEqual(
        fake.requests.map((r) => r.url.search),
        ["", "?pending=true", "?pending=false"]
      )
    })
  )

  it.effect("recordStatus: PUT /api/status {id, status, containers}; the node's null answer is void", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json(null))
      const out = yield* run(fake, (c) =>
        c.recordStatus(ids.c, "running", { containers: ["openai-inference"], data: {} })
      )
      assert.isUndefined(out)
      assert.strictEqual(fake.requests[0]!.method, "PUT")
      assert.strictEqual(fake.requests[0]!.url.pathname, "/api/status")
      assert.strictEqual(
        fake.requests[0]!.body,
        `{"id":"${ids.c}","status":"running","containers":["openai-inference"]}`
      )
    })
  )
})

describe("getJobResults", () => {
  it.effect("no ids: no request, no results", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([]))
      assert.deepStrictEqual(yield* run(fake, (c) => c.getJobResults([])), [])
      assert.strictEqual(fake.requests.length, 0)
    })
  )

  it.effect("repeated id= parameters (never comma-joined), intermediate flag, legacy names decoded", () =>
    Effect.gen(function* () {
      const fake = makeFake(() =>
        json([
          result(ids.a, "success", { intermediate: [{ container: "first", output: 1 }] }),
          result(ids.b, "failure")
        ])
      )
      const results = yield* run(fake, (c) => c.getJobResults(new Set([ids.a, ids.b]), { intermediate: true }))
      assert.strictEqual(fake.requests[0]!.url.search, `?intermediate=true&id=${ids.a}&id=${ids.b}`)
      assert.deepStrictEqual(results[0]!.intermediate_results, [{ container: "first", output: 1 }] as never)
      assert.strictEqual(results[1]!.status, "failed")
    })
  )

  it.effect("ids are URL-encoded", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([]))
      yield* run(fake, (c) => c.getJobResults(["a&id=b", "c d", "é"]))
      assert.strictEqual(fake.requests[0]!.url.search, "?id=a%26id%3Db&id=c+d&id=%C3%A9")
      assert.deepStrictEqual(fake.requests[0]!.url.searchParams.getAll("id"), ["a&id=b", "c d", "é"])
    })
  )

  it.effect("long id lists are split so every URL stays under maxUrlLength, answers merged in request order", () =>
    Effect.gen(function* () {
      const many = Array.from({ length: 250 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)
      let inFlight = 0
      let maxInFlight = 0
      const fake = makeFake((r) =>
        Effect.gen(function* () {
          inFlight++
          maxInFlight = Math.max(maxInFlight, inFlight)
          // Later groups answer sooner: the merge must still follow request order.
          const asked = r.url.searchParams.getAll("id")
          yield* Effect.sleep(Duration.millis(1000 - Number(asked[0]!.slice(-12))))
          inFlight--
          return json(asked.map((id) => result(id, "success")))
        })
      )
      const fiber = yield* Effect.fork(run(fake, (c) => c.getJobResults(many), { concurrency: 2 }))
      yield* TestClock.adjust("10 seconds")
      const results = yield* Fiber.join(fiber)
      assert.deepStrictEqual(
        results.map((r) => r.id),
        many
      )
      assert.isAbove(fake.requests.length, 1)
      for (const r of fake.requests) assert.isAtMost(r.url.href.length, 2000)
      // Greedy packing: every group but the last is as full as the limit allows.
      for (const r of fake.requests.slice(0, -1)) assert.isAbove(r.url.href.length, 2000 - 40)
      assert.strictEqual(maxInFlight, 2)
    })
  )

  it.effect("a small maxUrlLength gives one id per request", () =>
    Effect.gen(function* () {
      const fake = makeFake((r) => json(r.url.searchParams.getAll("id").map((id) => result(id, "running"))))
      const results = yield* run(fake, (c) => c.getJobResults([ids.a, ids.b, ids.c]), { maxUrlLength: 10 })
      assert.strictEqual(fake.requests.length, 3)
      assert.deepStrictEqual(
        results.map((r) => r.id),
        [ids.a, ids.b, ids.c]
      )
    })
  )
})

describe("getJobResultSync", () => {
  it.effect("a finished job is returned after one poll", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([result(ids.a, "success")]))
      const out = yield* run(fake, (c) => c.getJobResultSync(ids.a))
      assert.strictEqual(out.status, "success")
      assert.strictEqual(fake.requests.length, 1)
      assert.strictEqual(fake.requests[0]!.url.search, `?id=${ids.a}`)
    })
  )

  it.effect("polls with a short backoff (10 ms, then 1.5x) until the job is done", () =>
    Effect.gen(function* () {
      const times: Array<number> = []
      const fake = makeFake((_, i) =>
        Effect.gen(function* () {
          times.push(yield* TestClock.currentTimeMillis)
          return json([result(ids.a, i < 4 ? "running" : "success")])
        })
      )
      const fiber = yield* Effect.fork(run(fake, (c) => c.getJobResultSync(ids.a)))
      yield* TestClock.adjust("1 second")
      const out = yield* Fiber.join(fiber)
      assert.strictEqual(out.status, "success")
      assert.deepStrictEqual(times, [0, 10, 25, 47.5, 81.25])
    })
  )

  it.effect("the backoff is capped at 1 s between polls", () =>
    Effect.gen(function* () {
      const times: Array<number> = []
      const fake = makeFake((_, i) =>
        Effect.gen(function* () {
          times.push(yield* TestClock.currentTimeMillis)
          return json([result(ids.a, i < 16 ? "running" : "success")])
        })
      )
      const fiber = yield* Effect.fork(run(fake, (c) => c.getJobResultSync(ids.a)))
      yield* TestClock.adjust("20 seconds")
      yield* Fiber.join(fiber)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      assert.strictEqual(gaps.length, 16)
      for (const [i, gap] of gaps.entries()) assert.closeTo(gap, Math.min(1000, 10 * 1.5 ** i), 1e-6)
      assert.deepStrictEqual(gaps.slice(-4), [1000, 1000, 1000, 1000])
    })
  )

  it.effect("a failed job fails with JobFailed carrying the result", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([result(ids.a, "failed")]))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a))))
      assert.strictEqual(error.method, "getJobResultSync")
      assert.isTrue(NodeClientError.hasReason(error, "JobFailed"))
      if (error.reason._tag !== "JobFailed") return
      assert.deepStrictEqual(error.reason.result.result, {
        container: "openai-inference-0.0.1",
        error: "boom"
      } as never)
      assert.include(error.message, `Job ${ids.a} failed: container openai-inference-0.0.1 failed: boom`)
    })
  )

  it.effect("retries: n polls n times, then StillRunning with the attempt count", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([result(ids.a, "running")]))
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a, { retries: 5 }))))
      yield* TestClock.adjust("1 minute")
      const error = failure(yield* Fiber.join(fiber))
      assert.strictEqual(fake.requests.length, 5)
      assert.strictEqual(error.reason._tag, "StillRunning")
      if (error.reason._tag !== "StillRunning") return
      assert.strictEqual(error.reason.attempts, 5)
      assert.strictEqual(error.reason.url, `${BASE}/api/jobs`)
      // The default backoff's four waits: 10 + 15 + 22.5 + 33.75 ms (TestClock milliseconds are whole).
      assert.closeTo(Duration.toMillis(error.reason.elapsed!), 81, 1)
    })
  )

  it.effect("a custom schedule", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([result(ids.a, "running")]))
      const fiber = yield* Effect.fork(
        Effect.exit(
          run(fake, (c) =>
            c.getJobResultSync(ids.a, { schedule: Schedule.spaced("5 seconds").pipe(Schedule.upTo("12 seconds")) })
          )
        )
      )
      yield* TestClock.adjust("1 minute")
      const error = failure(yield* Fiber.join(fiber))
      assert.strictEqual(error.reason._tag, "StillRunning")
      assert.strictEqual(fake.requests.length, 4)
    })
  )

  it.effect("the default schedule gives up after about 60 s", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([result(ids.a, "running")]))
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a))))
      yield* TestClock.adjust("59 seconds")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("2 seconds")
      const error = failure(yield* Fiber.join(fiber))
      assert.strictEqual(error.reason._tag, "StillRunning")
    })
  )

  it.effect("an unknown id is JobNotFound after the grace period, not at once", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([]))
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a))))
      yield* TestClock.adjust("400 millis")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 second")
      const error = failure(yield* Fiber.join(fiber))
      assert.deepStrictEqual(error.reason, new NodeClientError.JobNotFound({ id: ids.a, url: `${BASE}/api/jobs` }))
      assert.isAtMost(fake.requests.length, 10)
    })
  )

  it.effect("an id that becomes visible within the grace period is found", () =>
    Effect.gen(function* () {
      const fake = makeFake((_, i) => json(i < 2 ? [] : [result(ids.a, "success")]))
      const fiber = yield* Effect.fork(run(fake, (c) => c.getJobResultSync(ids.a)))
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "success")
    })
  )

  it.effect("notFoundGrace: 0 fails at the first empty answer", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([]))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a, { notFoundGrace: 0 }))))
      assert.strictEqual(error.reason._tag, "JobNotFound")
      assert.strictEqual(fake.requests.length, 1)
    })
  )
})

const encoder = new TextEncoder()

describe("requestStream", () => {
  const collectWith = (fake: Fake, options: Partial<NodeClient.Options>, view: "bytes" | "text" = "text") =>
    Effect.scoped(
      run(
        fake,
        (c) =>
          Effect.gen(function* () {
            const stream = yield* c.requestStream(request)
            const chunks = Chunk.toReadonlyArray(
              yield* Stream.runCollect(stream[view] as Stream.Stream<unknown, NodeClientError.NodeClientError>)
            )
            return { id: stream.id, chunks }
          }),
        options
      )
    )
  const collect = (fake: Fake, view: "bytes" | "text" = "text") => collectWith(fake, {}, view)

  it.effect("the id is the first line even when split across chunks; the rest passes through", () =>
    Effect.gen(function* () {
      const fake = makeFake(() =>
        chunked([ids.a.slice(0, 5), ids.a.slice(5, 20), `${ids.a.slice(20)}\nDeep `, "learning", " is"])
      )
      const out = yield* collect(fake)
      assert.strictEqual(out.id, ids.a)
      assert.deepStrictEqual(out.chunks, ["Deep ", "learning", " is"])
      assert.strictEqual(fake.requests[0]!.method, "POST")
      assert.strictEqual(fake.requests[0]!.url.pathname, "/api/jobs/stream")
      assert.deepStrictEqual(JSON.parse(fake.requests[0]!.body!), request)
    })
  )

  it.effect("the id alone, the newline in its own chunk, and no output at all", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => chunked([ids.b, "\n"]))
      const out = yield* collect(fake)
      assert.strictEqual(out.id, ids.b)
      assert.deepStrictEqual(out.chunks, [])
    })
  )

  it.effect("output after the id in the same chunk keeps its newlines", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => chunked([`${ids.b}\nline 1\nline 2\n`]))
      const out = yield* collect(fake, "bytes")
      assert.strictEqual(out.id, ids.b)
      assert.deepStrictEqual(out.chunks, [encoder.encode("line 1\nline 2\n")])
    })
  )

  it.effect("text decodes UTF-8 characters split across chunks", () =>
    Effect.gen(function* () {
      const bytes = encoder.encode(`${ids.c}\nnaïve 🍕 café`)
      // Split every 3 bytes: cuts through the 2-byte ï/é and the 4-byte emoji.
      const pieces: Array<Uint8Array> = []
      for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.slice(i, i + 3))
      const fake = makeFake(() => chunked(pieces))
      const out = yield* collect(fake)
      assert.strictEqual(out.id, ids.c)
      assert.strictEqual(out.chunks.join(""), "naïve 🍕 café")
      for (const chunk of out.chunks) assert.notInclude(chunk as string, "\uFFFD")
    })
  )

  it.effect("a truncated character at the very end becomes U+FFFD", () =>
    Effect.gen(function* () {
      const emoji = encoder.encode("🍕")
      const fake = makeFake(() => chunked([`${ids.c}\nok `, emoji.slice(0, 2)]))
      const out = yield* collect(fake)
      assert.strictEqual(out.chunks.join(""), "ok \uFFFD")
    })
  )

  it.effect("a body without an id line is an UnexpectedResponse", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => chunked(["not an id"]))
      const error = failure(yield* Effect.exit(collect(fake)))
      assert.strictEqual(error.reason._tag, "UnexpectedResponse")
      assert.include(error.message, "the stream ended before the job id line")
      const notUuid = makeFake(() => chunked(["<html>\n<body>"]))
      const error2 = failure(yield* Effect.exit(collect(notUuid)))
      assert.include(error2.message, "the stream's first line is not a job id")
      const endless = makeFake(() => chunked(["x".repeat(600), "y".repeat(600), "\n"]))
      const error3 = failure(yield* Effect.exit(collect(endless)))
      assert.include(error3.message, "does not start with a job id line")
    })
  )

  it.effect("a rejected stream request is an ApiError", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "Streaming only supported for OffchainJob requests." }, 405))
      const error = failure(yield* Effect.exit(collect(fake)))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.ApiError({
          url: `${BASE}/api/jobs/stream`,
          status: 405,
          error: "Streaming only supported for OffchainJob requests.",
          requestId: RID
        })
      )
      assert.strictEqual(error.method, "requestStream")
    })
  )

  it.effect("result() fetches the stored result once the stream has ended", () =>
    Effect.gen(function* () {
      const fake = makeFake((r) =>
        r.method === "POST"
          ? chunked([`${ids.a}\nhello`])
          : json([{ id: ids.a, status: "success", result: { container: "s", output: { output: "hello" } } }])
      )
      const stored = yield* Effect.scoped(
        run(fake, (c) =>
          Effect.gen(function* () {
            const stream = yield* c.requestStream(request)
            yield* Stream.runDrain(stream.text)
            return yield* stream.result()
          })
        )
      )
      assert.deepStrictEqual(stored.result, { container: "s", output: { output: "hello" } } as never)
      assert.strictEqual(fake.requests[1]!.url.search, `?id=${ids.a}`)
    })
  )

  it.effect("a stream silent after its id line fails with StreamIdle after the idle timeout", () =>
    Effect.gen(function* () {
      const silent = () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode(`${ids.a}\nfirst`))
            }
          })
        )
      const client = (options: Partial<NodeClient.Options>, idleTimeout?: Duration.DurationInput) =>
        Effect.scoped(
          run(
            makeFake(silent),
            (c) =>
              Effect.gen(function* () {
                const stream = yield* c.requestStream(request, idleTimeout === undefined ? {} : { idleTimeout })
                return yield* Stream.runCollect(stream.text)
              }),
            options
          )
        )
      const fiber = yield* Effect.fork(Effect.exit(client({})))
      yield* TestClock.adjust("59 seconds")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 second")
      const error = failure(yield* Fiber.join(fiber))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.StreamIdle({
          url: `${BASE}/api/jobs/stream`,
          idleTimeout: Duration.seconds(60),
          requestId: RID
        })
      )
      assert.strictEqual(
        error.message,
        `NodeClient.requestStream: The node's stream sent nothing for 1m (${BASE}/api/jobs/stream)`
      )
      // The client's option, then the call's.
      const fiber2 = yield* Effect.fork(Effect.exit(client({ streamIdleTimeout: "5 seconds" })))
      yield* TestClock.adjust("5 seconds")
      assert.deepStrictEqual(failure(yield* Fiber.join(fiber2)).reason._tag, "StreamIdle")
      const fiber3 = yield* Effect.fork(Effect.exit(client({ streamIdleTimeout: "5 seconds" }, "2 seconds")))
      yield* TestClock.adjust("2 seconds")
      const error3 = failure(yield* Fiber.join(fiber3))
      assert.deepStrictEqual(
        error3.reason,
        new NodeClientError.StreamIdle({
          url: `${BASE}/api/jobs/stream`,
          idleTimeout: Duration.seconds(2),
          requestId: RID
        })
      )
    })
  )

  it.effect("the idle timeout restarts with every chunk", () =>
    Effect.gen(function* () {
      const fake = makeFake(() =>
        Effect.gen(function* () {
          // Run on the test's runtime, so the TestClock drives the 4 s pauses between chunks.
          const body = yield* Stream.fromIterable([`${ids.a}\n`, "a", "b", "c"]).pipe(
            Stream.tap(() => Effect.sleep("4 seconds")),
            Stream.map((text) => encoder.encode(text)),
            Stream.toReadableStreamEffect()
          )
          return new Response(body)
        })
      )
      const fiber = yield* Effect.fork(collectWith(fake, { streamIdleTimeout: "5 seconds", timeout: "10 seconds" }))
      yield* TestClock.adjust("20 seconds")
      const out = yield* Fiber.join(fiber)
      assert.deepStrictEqual(out.chunks, ["a", "b", "c"])
    })
  )

  it.effect("a connection that breaks mid-stream fails the stream with a TransportError", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => {
        let pulls = 0
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulls++ === 0) controller.enqueue(encoder.encode(`${ids.a}\npartial`))
            else controller.error(new Error("socket hang up"))
          }
        })
        return new Response(body)
      })
      const error = failure(yield* Effect.exit(collect(fake)))
      assert.strictEqual(error.reason._tag, "TransportError")
      assert.include(error.message, "the connection broke while streaming")
      assert.include(error.message, "socket hang up")
    })
  )
})

describe("errors", () => {
  it.effect("a refused connection is a TransportError naming the cause", () =>
    Effect.gen(function* () {
      const fake = makeFake(refused)
      const error = failure(yield* Effect.exit(run(fake, (c) => c.requestJob(request))))
      assert.strictEqual(error._tag, "NodeClientError")
      assert.strictEqual(error.method, "requestJob")
      assert.strictEqual(error.reason._tag, "TransportError")
      assert.strictEqual(
        error.message,
        `NodeClient.requestJob: The connection to the node at ${BASE}/api/jobs failed: fetch failed: connect ECONNREFUSED node.test:4000`
      )
      assert.instanceOf(error, Error)
    })
  )

  it.effect("the node's HTML 404 is an UnexpectedResponse with status, content type and a snippet", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => html(404, `<!doctype html><h1>Not Found</h1>${"x".repeat(1000)}`))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.info())))
      const reason = error.reason
      assert.strictEqual(reason._tag, "UnexpectedResponse")
      if (reason._tag !== "UnexpectedResponse") return
      assert.strictEqual(reason.status, 404)
      assert.strictEqual(reason.contentType, "text/html; charset=utf-8")
      assert.strictEqual(reason.body.length, 256)
      assert.isTrue(reason.body.startsWith("<!doctype html><h1>Not Found</h1>"))
      assert.include(error.message, "HTTP 404, text/html")
      assert.include(error.message, "not JSON")
    })
  )

  it.effect("a 405 with the node's {error, params} is an ApiError", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "Container not supported", params: { container: "nope" } }, 405))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.requestJob(request))))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.ApiError({
          url: `${BASE}/api/jobs`,
          status: 405,
          error: "Container not supported",
          params: { container: "nope" },
          requestId: RID
        })
      )
      assert.strictEqual(
        error.message,
        'NodeClient.requestJob: The node rejected the request: Container not supported {"container":"nope"} (HTTP 405)'
      )
      assert.strictEqual(fake.requests.length, 1)
    })
  )

  it.effect("a 405 HTML page (wrong method) is an UnexpectedResponse", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => html(405, "<h1>Method Not Allowed</h1>", { allow: "GET" }))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.requestJob(request))))
      assert.strictEqual(error.reason._tag, "UnexpectedResponse")
    })
  )

  it.effect("a 2xx body that is not JSON, or does not match the schema, is an UnexpectedResponse", () =>
    Effect.gen(function* () {
      const notJson = makeFake(() => html(200, "<p>hello</p>"))
      const e1 = failure(yield* Effect.exit(run(notJson, (c) => c.info())))
      assert.strictEqual(e1.reason._tag, "UnexpectedResponse")
      assert.include(e1.message, "the body is not JSON")
      const wrongShape = makeFake(() => json({ id: "not-a-uuid" }))
      const e2 = failure(yield* Effect.exit(run(wrongShape, (c) => c.requestJob(request))))
      assert.strictEqual(e2.reason._tag, "UnexpectedResponse")
      assert.include(e2.message, "does not match JobResponse")
      assert.include(e2.message, '{\\"id\\":\\"not-a-uuid\\"}')
    })
  )

  it.effect("a 500 with a JSON error body is an ApiError", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "Could not store job status" }, 500))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.recordStatus(ids.a, "success", request))))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.ApiError({
          url: `${BASE}/api/status`,
          status: 500,
          error: "Could not store job status",
          requestId: RID
        })
      )
    })
  )

  it.effect("a timeout interrupts the attempt and is a Timeout", () =>
    Effect.gen(function* () {
      const { fake, interrupted } = slowHealth()
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.health(), { timeout: "2 seconds" })))
      yield* TestClock.adjust("2 seconds")
      const error = failure(yield* Fiber.join(fiber))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.Timeout({ url: `${BASE}/health`, timeout: Duration.seconds(2), requestId: RID })
      )
      assert.strictEqual(error.message, `NodeClient.health: The node did not answer within 2s (${BASE}/health)`)
      assert.isTrue(interrupted())
    })
  )

  it.effect("the per-call timeout overrides the client's", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => Effect.sleep("5 seconds").pipe(Effect.as(json({ status: "healthy" }))))
      const fiber = yield* Effect.fork(run(fake, (c) => c.health({ timeout: "10 seconds" }), { timeout: "1 second" }))
      yield* TestClock.adjust("5 seconds")
      assert.isTrue(yield* Fiber.join(fiber))
    })
  )

  it.effect("the default timeout is 30 s", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => Effect.never)
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.requestJob(request))))
      yield* TestClock.adjust("29 seconds")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 second")
      assert.strictEqual(failure(yield* Fiber.join(fiber)).reason._tag, "Timeout")
    })
  )

  it("NodeClientError survives a round trip through its schema", () => {
    const error = new NodeClientError.NodeClientError({
      method: "requestJob",
      reason: new NodeClientError.RateLimited({
        url: `${BASE}/api/jobs`,
        retryAfter: Duration.seconds(3),
        requestId: RID
      })
    })
    assert.strictEqual(
      error.message,
      "NodeClient.requestJob: The node is rate limiting this client (HTTP 429); retry after 3s"
    )
    assert.strictEqual(
      String(error).split("\n")[0],
      "NodeClientError: NodeClient.requestJob: The node is rate limiting this client (HTTP 429); retry after 3s"
    )
    assert.isTrue(NodeClientError.isNodeClientError(error))
    assert.isFalse(NodeClientError.isNodeClientError(new Error("x")))
  })
})

describe("the live clock and tracing", () => {
  // Off the TestClock the timeout takes its cheaper path (one child fiber and a timer); it must behave the same.
  it.live("a timeout on the live clock interrupts the attempt and is a Timeout", () =>
    Effect.gen(function* () {
      const { fake, interrupted } = slowHealth()
      const start = Date.now()
      const error = failure(yield* Effect.exit(run(fake, (c) => c.health(), { timeout: "30 millis" })))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.Timeout({ url: `${BASE}/health`, timeout: Duration.millis(30), requestId: RID })
      )
      assert.isTrue(interrupted())
      assert.isBelow(Date.now() - start, 1000)
    })
  )

  it.live("on the live clock, an answer within the timeout and a failure within it are kept as they are", () =>
    Effect.gen(function* () {
      const fake = makeFake((_, i) =>
        Effect.sleep("5 millis").pipe(Effect.as(i === 0 ? json({ status: "healthy" }) : json({ error: "nope" }, 400)))
      )
      assert.isTrue(yield* run(fake, (c) => c.health(), { timeout: "1 second" }))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.info(), { timeout: "1 second" })))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.ApiError({ url: `${BASE}/info`, status: 400, error: "nope", requestId: RID })
      )
    })
  )

  it.live("interrupting the caller on the live clock interrupts the attempt", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const stopped = yield* Deferred.make<void>()
      const fake = makeFake(() =>
        Deferred.succeed(started, undefined).pipe(
          Effect.zipRight(Effect.never),
          Effect.onInterrupt(() => Deferred.succeed(stopped, undefined))
        )
      )
      const fiber = yield* Effect.fork(run(fake, (c) => c.health(), { timeout: "1 minute" }))
      yield* Deferred.await(started)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.isTrue(yield* Deferred.isDone(stopped))
    })
  )

  const recordingTracer = () => {
    const names: Array<string> = []
    const builtIn = Effect.runSync(Effect.tracer)
    const tracer = Tracer.make({
      span: (...args) => {
        names.push(args[0])
        return builtIn.span(...args)
      },
      context: builtIn.context
    })
    return { names, tracer }
  }

  it.effect("without an installed tracer: no spans and no trace headers", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ id: ids.a }))
      const spans: Array<Option.Option<Tracer.AnySpan>> = []
      yield* run(fake, (c) => c.requestJob(request), {
        transformClient: HttpClient.tapRequest(() =>
          Effect.map(Effect.option(Effect.currentSpan), (s) => spans.push(s))
        )
      })
      assert.isUndefined(fake.requests[0]!.headers.traceparent)
      assert.isUndefined(fake.requests[0]!.headers.b3)
      assert.deepStrictEqual(spans.map(Option.isSome), [false])
    })
  )

  it.effect("with an installed tracer: the method's span, the HTTP span under it, and trace headers", () =>
    Effect.gen(function* () {
      const { names, tracer } = recordingTracer()
      const fake = makeFake((r) => (r.method === "POST" ? json({ id: ids.a }) : json([result(ids.a, "success")])))
      yield* run(fake, (c) => Effect.zip(c.requestJob(request), c.getJobResults([ids.a]))).pipe(
        Effect.withTracer(tracer)
      )
      assert.deepStrictEqual(names, [
        "NodeClient.requestJob",
        "http.client POST",
        "NodeClient.getJobResults",
        "http.client GET"
      ])
      assert.isString(fake.requests[0]!.headers.traceparent)
      // Effect.withTracerEnabled(false) still turns everything off.
      const before = names.length
      yield* run(fake, (c) => c.requestJob(request)).pipe(Effect.withTracer(tracer), Effect.withTracerEnabled(false))
      assert.strictEqual(names.length, before)
    })
  )

  it.effect("bodies with bigint values are still written exactly", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ id: ids.a }))
      yield* run(fake, (c) => c.requestJob({ containers: ["c"], data: { n: 2n ** 70n, s: "x" } }))
      assert.strictEqual(fake.requests[0]!.body, '{"containers":["c"],"data":{"n":1180591620717411303424,"s":"x"}}')
    })
  )
})

describe("retries", () => {
  const flaky = (failures: number, fail: (r: Recorded) => Response | Effect.Effect<Response, never>) => {
    const times: Array<number> = []
    const fake = makeFake((r, i) =>
      Effect.gen(function* () {
        times.push(yield* TestClock.currentTimeMillis)
        if (i < failures) {
          const answer = fail(r)
          return Effect.isEffect(answer) ? yield* answer : answer
        }
        return json({ status: "healthy" })
      })
    )
    return { fake, times }
  }

  it.effect("safe requests are retried on transport errors with the default backoff", () =>
    Effect.gen(function* () {
      const times: Array<number> = []
      const fake = makeFake((r, i) =>
        Effect.gen(function* () {
          times.push(yield* TestClock.currentTimeMillis)
          return i < 3 ? yield* refused(r) : json({ status: "healthy" })
        })
      )
      const fiber = yield* Effect.fork(run(fake, (c) => c.health()))
      yield* TestClock.adjust("10 seconds")
      assert.isTrue(yield* Fiber.join(fiber))
      assert.strictEqual(fake.requests.length, 4)
      // 100 ms doubling, jittered by 0.8-1.2.
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      const expected = [100, 200, 400]
      gaps.forEach((gap, i) => {
        assert.isAtLeast(gap, expected[i]! * 0.8 - 1)
        assert.isAtMost(gap, expected[i]! * 1.2 + 1)
      })
    })
  )

  it.effect("the default policy gives up after 4 retries", () =>
    Effect.gen(function* () {
      const fake = makeFake(refused)
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.info())))
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(failure(yield* Fiber.join(fiber)).reason._tag, "TransportError")
      assert.strictEqual(fake.requests.length, 5)
    })
  )

  it.effect("502, 503 and 504 are retried for safe requests; 500 and 404 are not", () =>
    Effect.gen(function* () {
      for (const status of [502, 503, 504]) {
        const { fake } = flaky(1, () => html(status))
        const fiber = yield* Effect.fork(run(fake, (c) => c.health()))
        yield* TestClock.adjust("10 seconds")
        assert.isTrue(yield* Fiber.join(fiber))
        assert.strictEqual(fake.requests.length, 2)
      }
      for (const status of [500, 404]) {
        const { fake } = flaky(1, () => html(status))
        const exit = yield* Effect.exit(run(fake, (c) => c.health()))
        failure(exit)
        assert.strictEqual(fake.requests.length, 1)
      }
    })
  )

  it.effect("429 is retried no sooner than Retry-After", () =>
    Effect.gen(function* () {
      const { fake, times } = flaky(2, () => html(429, "<h1>Too Many Requests</h1>", { "retry-after": "3" }))
      const fiber = yield* Effect.fork(run(fake, (c) => c.getJobs()))
      yield* TestClock.adjust("1 minute")
      yield* Effect.exit(Fiber.join(fiber))
      assert.strictEqual(fake.requests.length, 3)
      assert.isAtLeast(times[1]! - times[0]!, 3000)
      assert.isAtLeast(times[2]! - times[1]!, 3000)
    })
  )

  it.effect("429 becomes RateLimited with retryAfter (seconds or HTTP date)", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => html(429, "<h1>Too Many Requests</h1>", { "retry-after": "7" }))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.requestJob(request))))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/api/jobs`, retryAfter: Duration.seconds(7), requestId: RID })
      )
      yield* TestClock.setTime(Date.parse("2025-01-01T00:00:00Z"))
      const dated = makeFake(() => html(429, "", { "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }))
      const error2 = failure(yield* Effect.exit(run(dated, (c) => c.requestJob(request))))
      assert.deepStrictEqual(
        error2.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/api/jobs`, retryAfter: Duration.seconds(5), requestId: RID })
      )
      const none = makeFake(() => html(429))
      const error3 = failure(yield* Effect.exit(run(none, (c) => c.requestJob(request))))
      assert.deepStrictEqual(
        error3.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/api/jobs`, requestId: RID })
      )
    })
  )

  it.effect("a Retry-After past maxRetryAfter or the call's timeout fails at once with RateLimited", () =>
    Effect.gen(function* () {
      const limited = (retryAfter: string) =>
        makeFake(() => html(429, "<h1>Too Many Requests</h1>", { "retry-after": retryAfter }))
      // A day's pause asked of a 2 s call: one request, no sleep, the node's retryAfter kept.
      const day = limited("86400")
      const error = failure(yield* Effect.exit(run(day, (c) => c.info({ timeout: "2 seconds" }))))
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/info`, retryAfter: Duration.seconds(86400), requestId: RID })
      )
      assert.strictEqual(day.requests.length, 1)
      // Within the timeout (30 s) but past maxRetryAfter.
      const capped = limited("10")
      const error2 = failure(yield* Effect.exit(run(capped, (c) => c.info(), { maxRetryAfter: "5 seconds" })))
      assert.deepStrictEqual(
        error2.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/info`, retryAfter: Duration.seconds(10), requestId: RID })
      )
      assert.strictEqual(capped.requests.length, 1)
      // The default cap is 30 s: 31 s is not waited for even with a minute's timeout, 30 s is.
      const over = limited("31")
      yield* Effect.exit(run(over, (c) => c.info({ timeout: "1 minute" })))
      assert.strictEqual(over.requests.length, 1)
      const { fake, times } = flaky(1, () => html(429, "", { "retry-after": "30" }))
      const fiber = yield* Effect.fork(run(fake, (c) => c.health({ timeout: "1 minute" })))
      yield* TestClock.adjust("1 minute")
      assert.isTrue(yield* Fiber.join(fiber))
      assert.isAtLeast(times[1]! - times[0]!, 30_000)
      // A per-call maxRetryAfter overrides the client's.
      const perCall = limited("3")
      yield* Effect.exit(run(perCall, (c) => c.info({ maxRetryAfter: "1 second" })))
      assert.strictEqual(perCall.requests.length, 1)
      // An HTTP date an hour away is a RateLimited of an hour.
      yield* TestClock.setTime(Date.parse("2025-01-01T00:00:00Z"))
      const dated = limited("Wed, 01 Jan 2025 01:00:00 GMT")
      const error3 = failure(yield* Effect.exit(run(dated, (c) => c.info())))
      assert.deepStrictEqual(
        error3.reason,
        new NodeClientError.RateLimited({ url: `${BASE}/info`, retryAfter: Duration.millis(3_600_000), requestId: RID })
      )
      assert.strictEqual(dated.requests.length, 1)
    })
  )

  it.effect("an unreadable Retry-After is ignored: the schedule's own backoff applies", () =>
    Effect.gen(function* () {
      for (const garbage of ["soon", "-5", "1.5", "1e9", "Wed, 99 Foo 2025"]) {
        const { fake } = flaky(1, () => html(429, "", { "retry-after": garbage }))
        const fiber = yield* Effect.fork(run(fake, (c) => c.health({ timeout: "1 second" })))
        yield* TestClock.adjust("10 seconds")
        assert.isTrue(yield* Fiber.join(fiber), garbage)
        assert.strictEqual(fake.requests.length, 2, garbage)
      }
    })
  )

  it.effect("requests that create something are never retried by default", () =>
    Effect.gen(function* () {
      for (const call of [
        (c: NodeClient.Service) => c.requestJob(request),
        (c: NodeClient.Service) => c.requestJobs([request]),
        (c: NodeClient.Service) => c.recordStatus(ids.a, "running", request),
        (c: NodeClient.Service) => Effect.scoped(c.requestStream(request))
      ]) {
        const fake = makeFake(() => html(503))
        const exit = yield* Effect.exit(
          run(fake, call as (c: NodeClient.Service) => Effect.Effect<unknown, NodeClientError.NodeClientError>)
        )
        failure(exit)
        assert.strictEqual(fake.requests.length, 1)
      }
    })
  )

  it.effect("a call can opt in to retries (requestJob with retry: 2)", () =>
    Effect.gen(function* () {
      const fake = makeFake((r, i) => (i < 2 ? refused(r) : json({ id: ids.a })))
      const fiber = yield* Effect.fork(run(fake, (c) => c.requestJob(request, { retry: 2 })))
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), ids.a)
      assert.strictEqual(fake.requests.length, 3)
    })
  )

  it.effect("retry: false turns retries off; a custom schedule is used as given", () =>
    Effect.gen(function* () {
      const off = makeFake(refused)
      yield* Effect.exit(run(off, (c) => c.info(), { retry: false }))
      assert.strictEqual(off.requests.length, 1)
      const custom = makeFake(refused)
      const fiber = yield* Effect.fork(
        Effect.exit(
          run(custom, (c) => c.info(), {
            retry: Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(7)))
          })
        )
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(custom.requests.length, 8)
    })
  )

  it.effect("timeouts are not retried", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => Effect.never)
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.info(), { timeout: "1 second" })))
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(failure(yield* Fiber.join(fiber)).reason._tag, "Timeout")
      assert.strictEqual(fake.requests.length, 1)
    })
  )
})

describe("construction", () => {
  it.effect("layerConfig reads SERVER_URL", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      yield* NodeClient.NodeClient.pipe(
        Effect.flatMap((c) => c.health()),
        Effect.provide(NodeClient.layerConfig()),
        Effect.provide(fake.layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SERVER_URL", "http://10.0.0.7:4000/"]])))
      )
      assert.strictEqual(fake.requests[0]!.url.href, "http://10.0.0.7:4000/health")
    })
  )

  it.effect("layerConfig defaults to http://localhost:4000 and rejects a bad URL with a ConfigError", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      yield* NodeClient.NodeClient.pipe(
        Effect.flatMap((c) => c.health()),
        Effect.provide(NodeClient.layerConfig()),
        Effect.provide(fake.layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      assert.strictEqual(fake.requests[0]!.url.href, "http://localhost:4000/health")
      const exit = yield* NodeClient.NodeClient.pipe(
        Effect.provide(NodeClient.layerConfig()),
        Effect.provide(fake.layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SERVER_URL", "localhost:4000"]]))),
        Effect.exit
      )
      const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
      assert.isTrue(Option.isSome(error) && ConfigError.isConfigError(error.value), String(exit))
      assert.include(String(Option.getOrUndefined(error)), "expected an http: or https: URL")
    })
  )

  it("normalizeBaseUrl", () => {
    const ok = (u: string) => {
      const r = NodeClient.normalizeBaseUrl(u)
      return r._tag === "Right" ? r.right : `error: ${r.left}`
    }
    assert.strictEqual(ok("http://localhost:4000"), "http://localhost:4000")
    assert.strictEqual(ok("http://localhost:4000///"), "http://localhost:4000")
    assert.strictEqual(ok("HTTPS://Node.Example/x/"), "https://node.example/x")
    assert.include(ok("ftp://x"), "expected an http: or https: URL")
    assert.include(ok("not a url"), "Invalid node URL")
    assert.include(ok("http://x/?a=1"), "a query or fragment is not allowed")
  })

  it.effect("make with an invalid baseUrl dies with a clear message", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({}))
      const exit = yield* Effect.exit(run(fake, (c) => c.health(), { baseUrl: "nope" }))
      assert.include(defect(exit), "NodeClient.make: Invalid node URL")
    })
  )

  it.effect("transformClient wraps the HttpClient", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      yield* run(fake, (c) => c.health(), {
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-wrapped", "yes"))
      })
      assert.strictEqual(fake.requests[0]!.headers["x-wrapped"], "yes")
    })
  )

  it.effect("layer provides the service", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      const healthy = yield* NodeClient.NodeClient.pipe(
        Effect.flatMap((c) => c.health()),
        Effect.provide(NodeClient.layer({ baseUrl: BASE }).pipe(Layer.provide(fake.layer)))
      )
      assert.isTrue(healthy)
    })
  )
})

describe("x-request-id and hooks", () => {
  it.effect("every attempt carries its own id (the default maker); a failure reports its last attempt's", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "busy" }, 503))
      const retry = Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(2)))
      const fiber = yield* Effect.fork(Effect.exit(run(fake, (c) => c.info({ retry }), { requestId: true })))
      yield* TestClock.adjust("1 second")
      const error = failure(yield* Fiber.join(fiber))
      const sent = fake.requests.map((r) => r.headers["x-request-id"]!)
      assert.strictEqual(sent.length, 3)
      for (const id of sent) assert.match(id, /^[0-9a-f]{12}-[0-9a-z]+$/)
      assert.strictEqual(new Set(sent).size, 3)
      assert.strictEqual(error.reason._tag, "ApiError")
      assert.strictEqual((error.reason as NodeClientError.ApiError).requestId, sent[2])
    })
  )

  it.effect("requestId: false sends none; a function makes them", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ status: "healthy" }))
      yield* run(fake, (c) => c.health(), { requestId: false })
      let n = 0
      yield* run(fake, (c) => Effect.zipRight(c.health(), c.health()), { requestId: () => `mine-${++n}` })
      assert.deepStrictEqual(
        fake.requests.map((r) => r.headers["x-request-id"]),
        [undefined, "mine-1", "mine-2"]
      )
    })
  )

  it.effect("onRequest and onResponse see every attempt, with plain values; a hook that throws is ignored", () =>
    Effect.gen(function* () {
      const fake = makeFake((_, i) => (i === 0 ? html(502) : json({ id: ids.a })))
      const events: Array<string> = []
      const id = yield* run(fake, (c) => c.requestJob(request, { retry: Schedule.recurs(1) }), {
        onRequest: (e) => {
          events.push(`request ${e.requestId} ${e.method} ${e.httpMethod} ${e.url}`)
          throw new Error("a broken hook")
        },
        onResponse: (e) => {
          assert.isNumber(e.elapsedMs)
          events.push(`response ${e.requestId} ${e.status} ${e.reason}`)
        }
      })
      assert.strictEqual(id, ids.a)
      assert.deepStrictEqual(events, [
        `request ${RID} requestJob POST ${BASE}/api/jobs`,
        `response ${RID} 502 UnexpectedResponse`,
        `request ${RID} requestJob POST ${BASE}/api/jobs`,
        `response ${RID} 200 undefined`
      ])
    })
  )

  it.effect("an x-request-id the caller sets (e.g. from upstream) is kept and reported", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "no" }, 400))
      const error = failure(
        yield* Effect.exit(run(fake, (c) => c.info({ headers: { "X-Request-Id": "upstream-1" } }), { requestId: true }))
      )
      assert.strictEqual(fake.requests[0]!.headers["x-request-id"], "upstream-1")
      assert.strictEqual((error.reason as NodeClientError.ApiError).requestId, "upstream-1")
    })
  )

  it.effect("a stream's attempt carries an id too, and its failures report it", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "no" }, 405))
      const error = failure(
        yield* Effect.exit(Effect.scoped(run(fake, (c) => c.requestStream(request), { requestId: () => "s-1" })))
      )
      assert.strictEqual(fake.requests[0]!.headers["x-request-id"], "s-1")
      assert.strictEqual((error.reason as NodeClientError.ApiError).requestId, "s-1")
    })
  )
})

describe("typed outputs", () => {
  const Output = Schema.Struct({ text: Schema.String })
  const success = (output: unknown) =>
    json([{ id: ids.a, status: "success", result: { container: "openai-inference-0.0.1", output } }])

  it.effect("an Effect Schema (standardSchemaV1) validates and types the output", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => success({ text: "ok" }))
      const result = yield* run(fake, (c) => c.getJobResultSync(ids.a, { output: Schema.standardSchemaV1(Output) }))
      const text: string = result.result.output.text
      assert.strictEqual(text, "ok")
      assert.strictEqual(result.status, "success")
    })
  )

  it.effect("the schema's output replaces the stored one (transformations apply)", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => success({ n: "42" }))
      const schema = Schema.standardSchemaV1(Schema.Struct({ n: Schema.NumberFromString }))
      const result = yield* run(fake, (c) => c.getJobResultSync(ids.a, { output: schema }))
      assert.strictEqual(result.result.output.n, 42)
    })
  )

  it.effect("an output that does not match fails with OutputMismatch, with the issues and their paths", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => success({ text: 7 }))
      const error = failure(
        yield* Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a, { output: Schema.standardSchemaV1(Output) })))
      )
      assert.strictEqual(error.reason._tag, "OutputMismatch")
      if (error.reason._tag !== "OutputMismatch") return
      assert.strictEqual(error.reason.id, ids.a)
      assert.deepStrictEqual(error.reason.output, { text: 7 })
      assert.strictEqual(error.reason.url, `${BASE}/api/jobs`)
      assert.deepStrictEqual(
        error.reason.issues.map((issue) => issue.path),
        [["text"]]
      )
      assert.include(error.message, `The output of job ${ids.a} does not match its schema: text: Expected string`)
      assert.isFalse(NodeClientError.isTransient(error))
    })
  )

  // A Standard Schema written by hand, asynchronous, with `{ key }` path segments.
  const positive: NodeClient.StandardSchemaV1<unknown, { readonly n: number }> = {
    "~standard": {
      version: 1,
      vendor: "hand-written",
      validate: async (value) => {
        const n = (value as { n?: unknown } | null)?.n
        return typeof n === "number" && n > 0
          ? { value: { n } }
          : { issues: [{ message: "must be a positive number", path: [{ key: "n" }] }] }
      }
    }
  }

  it.effect("a hand-written (asynchronous) Standard Schema works the same", () =>
    Effect.gen(function* () {
      const good = yield* run(
        makeFake(() => success({ n: 3 })),
        (c) => c.getJobResultSync(ids.a, { output: positive })
      )
      const n: number = good.result.output.n
      assert.strictEqual(n, 3)
      const error = failure(
        yield* Effect.exit(
          run(
            makeFake(() => success({ n: -1 })),
            (c) => c.getJobResultSync(ids.a, { output: positive })
          )
        )
      )
      assert.deepStrictEqual(
        error.reason,
        new NodeClientError.OutputMismatch({
          id: ids.a,
          output: { n: -1 },
          url: `${BASE}/api/jobs`,
          issues: [{ message: "must be a positive number", path: ["n"] }]
        })
      )
    })
  )

  it.effect("a stream's result({ output }) validates and types the stored output", () =>
    Effect.gen(function* () {
      const fake = makeFake((r) => (r.method === "POST" ? chunked([`${ids.a}\nok`]) : success({ text: "ok" })))
      const output = yield* Effect.scoped(
        run(fake, (c) =>
          Effect.gen(function* () {
            const stream = yield* c.requestStream(request)
            yield* Stream.runDrain(stream.text)
            const stored = yield* stream.result({ output: Schema.standardSchemaV1(Output) })
            return stored.result.output.text
          })
        )
      )
      assert.strictEqual(output, "ok")
    })
  )

  it.effect("a success without an output (null, or an error) is an UnexpectedResponse", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json([{ id: ids.a, status: "success", result: null }]))
      const error = failure(yield* Effect.exit(run(fake, (c) => c.getJobResultSync(ids.a))))
      assert.strictEqual(error.reason._tag, "UnexpectedResponse")
      assert.include(error.message, `job ${ids.a} has status success but no output`)
    })
  )
})

describe("catchReason and catchReasons", () => {
  const failing = (reason: NodeClientError.Reason) =>
    Effect.fail(new NodeClientError.NodeClientError({ method: "info", reason }))
  const limited = new NodeClientError.RateLimited({ url: `${BASE}/info`, retryAfter: Duration.seconds(4) })
  const missing = new NodeClientError.JobNotFound({ id: ids.a })

  it.effect("catchReason handles its reason, narrowed; other reasons and other errors pass through", () =>
    Effect.gen(function* () {
      const handled = yield* failing(limited).pipe(
        NodeClientError.catchReason("RateLimited", (reason, error) =>
          Effect.succeed(`${error.method} ${Duration.toMillis(reason.retryAfter!)}`)
        )
      )
      assert.strictEqual(handled, "info 4000")
      const passed = yield* Effect.flip(
        NodeClientError.catchReason(failing(missing), "RateLimited", () => Effect.succeed("no"))
      )
      assert.strictEqual(passed.reason, missing)
      const other = yield* Effect.flip(
        NodeClientError.catchReason(Effect.fail("not a NodeClientError" as const), "RateLimited", () =>
          Effect.succeed("no")
        )
      )
      assert.strictEqual(other, "not a NodeClientError")
    })
  )

  it.effect("catchReasons picks the handler of the reason's tag", () =>
    Effect.gen(function* () {
      const handlers = {
        RateLimited: (reason: NodeClientError.RateLimited) => Effect.succeed(`limited ${reason.url}`),
        JobNotFound: (reason: NodeClientError.JobNotFound) => Effect.succeed(`missing ${reason.id}`)
      }
      assert.strictEqual(yield* NodeClientError.catchReasons(failing(limited), handlers), `limited ${BASE}/info`)
      assert.strictEqual(yield* failing(missing).pipe(NodeClientError.catchReasons(handlers)), `missing ${ids.a}`)
      const timeout = new NodeClientError.Timeout({ url: BASE, timeout: Duration.seconds(1) })
      const passed = yield* Effect.flip(failing(timeout).pipe(NodeClientError.catchReasons(handlers)))
      assert.strictEqual(passed.reason, timeout)
    })
  )
})
