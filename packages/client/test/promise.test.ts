import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { getEventListeners } from "node:events"
import { Duration, Layer, Schedule, Schema } from "effect"
import { userAgent } from "../src/NodeClient.js"
import { NodeClientError as EffectErrors } from "../src/index.js"
import { createNodeClient, fromEffectError, isNodeClientError, NodeClientError } from "../src/promise.js"
import { chunked, html, ids, json, makeFake } from "./utils/fakeHttp.js"
import { withNetwork } from "./utils/network.js"
import { createNodePool, createRouterClient } from "../src/promise.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Headers
  readonly body: string | undefined
  readonly signal: AbortSignal | undefined
}

/** A fake `fetch`: records each request and answers with `handler`. */
const fakeFetch = (handler: (request: Seen, index: number) => Response | Promise<Response>) => {
  const seen: Array<Seen> = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: Seen = {
      method: init?.method ?? "GET",
      url: String(input),
      headers: new Headers(init?.headers),
      body:
        init?.body === undefined || init.body === null
          ? undefined
          : typeof init.body === "string"
            ? init.body
            : new TextDecoder().decode(init.body as Uint8Array),
      signal: init?.signal ?? undefined
    }
    seen.push(request)
    return handler(request, seen.length - 1)
  }) as typeof globalThis.fetch
  return { fetch, seen }
}

/** Resolves when the request's signal aborts, rejecting like fetch does. */
const hang = (request: Seen): Promise<Response> =>
  new Promise((_, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal?.reason), { once: true })
  })

const BASE = "http://node.test:4000"
const request = { containers: ["openai-inference-0.0.1"], data: { prompt: "hi" } }

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected a rejection")
}

describe("createNodeClient", () => {
  it("every method works over fetch, with the Effect client's requests and answers", async () => {
    const { fetch, seen } = fakeFetch((r) => {
      const url = new URL(r.url)
      if (url.pathname === "/health") return json({ status: "healthy" })
      if (url.pathname === "/info")
        return json({
          version: "1.4.0",
          containers: [],
          pending: { offchain: 0, onchain: 0 },
          chain: { enabled: false, address: "" }
        })
      if (url.pathname === "/resources" && url.searchParams.has("model_id")) return json({ c: { supported: true } })
      if (url.pathname === "/resources") return json({ c: { cpu: 1 } })
      if (url.pathname === "/api/jobs/batch")
        return json([{ id: ids.a }, { error: "Container not supported", params: { container: "x" } }])
      if (url.pathname === "/api/jobs" && r.method === "POST") return json({ id: ids.b })
      if (url.pathname === "/api/jobs" && url.searchParams.has("id"))
        return json(
          url.searchParams.getAll("id").map((id) => ({ id, status: "success", result: { container: "c", output: 1 } }))
        )
      if (url.pathname === "/api/jobs") return json([ids.a, ids.b])
      if (url.pathname === "/api/status") return json(null)
      return html(404)
    })
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    assert.isTrue(await client.health())
    assert.strictEqual((await client.info()).version, "1.4.0")
    assert.deepStrictEqual(await client.resources(), { c: { cpu: 1 } })
    assert.deepStrictEqual(await client.checkModelSupport("m"), { c: { supported: true } })
    assert.strictEqual(await client.requestJob(request), ids.b)
    assert.strictEqual((await client.requestJobs([request, request])).length, 2)
    const paired = await client.requestJobsPaired([request, { ...request, containers: ["x"] }])
    assert.deepStrictEqual(
      paired.accepted.map((a) => a.id),
      [ids.a]
    )
    assert.deepStrictEqual(
      paired.rejected.map((r) => r.error.error),
      ["Container not supported"]
    )
    assert.deepStrictEqual(
      (await client.getJobResults([ids.a, ids.c])).map((r) => r.id),
      [ids.a, ids.c]
    )
    assert.strictEqual((await client.getJobResultSync(ids.a)).status, "success")
    assert.deepStrictEqual(await client.getJobs({ pending: false }), [ids.a, ids.b])
    assert.isUndefined(await client.recordStatus(ids.a, "success", request))
    assert.strictEqual(seen.length, 11)
    assert.strictEqual(seen[0]!.headers.get("user-agent")?.startsWith("infernet-ts-client/"), true)
    // No tracer can be installed in the Promise API's runtime: no spans, so no trace headers.
    assert.isNull(seen[0]!.headers.get("traceparent"))
  })

  it("failures reject with the NodeClientError itself", async () => {
    const { fetch } = fakeFetch(() => json({ error: "Container not supported", params: { container: "x" } }, 405))
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const error = await rejection(client.requestJob(request))
    assert.instanceOf(error, NodeClientError)
    assert.isTrue(isNodeClientError(error))
    if (!(error instanceof NodeClientError)) return
    assert.strictEqual(error.reason._tag, "ApiError")
    assert.strictEqual(error.method, "requestJob")
    assert.include(error.message, "Container not supported")
  })

  it("a fetch that throws is a TransportError", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
      })
    }) as typeof globalThis.fetch
    await using client = createNodeClient({ baseUrl: BASE, fetch, retry: false })
    const error = await rejection(client.info())
    assert.instanceOf(error, NodeClientError)
    assert.include((error as NodeClientError).message, "connect ECONNREFUSED 127.0.0.1:1")
  })

  it("an AbortSignal cancels the request and rejects with its reason", async () => {
    const { fetch, seen } = fakeFetch(hang)
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const controller = new AbortController()
    const pending = client.info({ signal: controller.signal })
    await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    const error = await rejection(pending)
    assert.instanceOf(error, DOMException)
    assert.strictEqual((error as DOMException).name, "AbortError")
    assert.isTrue(seen[0]!.signal?.aborted, "the fetch itself was aborted")
  })

  it("a custom abort reason is passed through; an already aborted signal sends nothing", async () => {
    const { fetch, seen } = fakeFetch(hang)
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const reason = new Error("user cancelled")
    const error = await rejection(client.info({ signal: AbortSignal.abort(reason) }))
    assert.strictEqual(error, reason)
    assert.strictEqual(seen.length, 0)
    const controller = new AbortController()
    const pending = client.getJobResultSync(ids.a, { signal: controller.signal })
    setTimeout(() => controller.abort(reason), 10)
    assert.strictEqual(await rejection(pending), reason)
  })

  it("a transient failure is retried by the client's schedule; aborting during the backoff rejects at once", async () => {
    // The first attempt runs as a plain Promise, the retries as an Effect: both must count and honour the signal.
    const { fetch, seen } = fakeFetch((_, index) =>
      index < 2 ? json({ error: "busy" }, 503) : json({ status: "healthy" })
    )
    await using client = createNodeClient({ baseUrl: BASE, fetch, retry: 3 })
    assert.isTrue(await client.health())
    assert.strictEqual(seen.length, 3)
    const failing = fakeFetch(() => json({ error: "busy" }, 503))
    await using slow = createNodeClient({ baseUrl: BASE, fetch: failing.fetch, retry: Schedule.spaced("10 seconds") })
    const reason = new Error("stop waiting")
    const controller = new AbortController()
    const started = Date.now()
    const pending = slow.info({ signal: controller.signal })
    setTimeout(() => controller.abort(reason), 30)
    assert.strictEqual(await rejection(pending), reason)
    assert.isBelow(Date.now() - started, 5_000, "not after the 10 s backoff")
    assert.strictEqual(failing.seen.length, 1)
  })

  it("a signal shared by many calls keeps no listener once they are done", async () => {
    const { fetch } = fakeFetch(() => json({ status: "healthy" }))
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const controller = new AbortController()
    await Promise.all(Array.from({ length: 50 }, () => client.health({ signal: controller.signal })))
    assert.strictEqual(getEventListeners(controller.signal, "abort").length, 0)
  })

  it("a bad argument rejects, on the first call and on later ones; it never throws synchronously", async () => {
    const { fetch, seen } = fakeFetch(() => json({ id: ids.a }))
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const bad = undefined as unknown as typeof request
    for (let i = 0; i < 2; i++) {
      let pending: Promise<unknown> | undefined
      assert.doesNotThrow(() => {
        pending = client.requestJob(bad)
      })
      assert.instanceOf(await rejection(pending!), TypeError)
      assert.strictEqual(await client.requestJob(request), ids.a)
    }
    assert.strictEqual(seen.length, 2)
  })

  it("requestInit is passed to fetch", async () => {
    const inits: Array<RequestInit | undefined> = []
    const fetch = (async (_: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init)
      return json({ status: "healthy" })
    }) as typeof globalThis.fetch
    await using client = createNodeClient({ baseUrl: BASE, fetch, requestInit: { keepalive: true } })
    await client.health()
    assert.strictEqual(inits[0]?.keepalive, true)
  })

  it("the default fetch transport sends what FetchHttpClient sends: URL, query encoding, headers, body", async () => {
    const answer = (r: Seen) =>
      r.method === "POST"
        ? json({ id: ids.a })
        : new URL(r.url).searchParams.has("model_id")
          ? json({ c: { supported: true } })
          : json([])
    const exercise = async (client: ReturnType<typeof createNodeClient>) => {
      await client.checkModelSupport("a b/c!'()~*é&=?")
      await client.requestJob(request, { headers: { "x-call": "1", accept: "application/json; q=1" } })
      await client.getJobResults([ids.a, ids.b], { intermediate: true })
      await client.getJobs({ pending: true })
    }
    const lean = fakeFetch(answer)
    const options = { baseUrl: `${BASE}/prefix/`, headers: { "x-client": "c" }, requestId: () => "req-1" }
    const requestInit = { headers: { "x-init": "i", "user-agent": "overridden" } }
    await using leanClient = createNodeClient({ ...options, fetch: lean.fetch, requestInit })
    await exercise(leanClient)
    const platform = fakeFetch(answer)
    const http = FetchHttpClient.layer.pipe(
      Layer.provide(Layer.succeed(FetchHttpClient.Fetch, platform.fetch)),
      Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, requestInit))
    )
    await using platformClient = createNodeClient({ ...options, httpClient: http })
    await exercise(platformClient)
    const view = (r: Seen) => ({
      method: r.method,
      url: r.url,
      headers: [...r.headers].sort(([a], [b]) => a.localeCompare(b)),
      body: r.body
    })
    assert.strictEqual(lean.seen.length, 4)
    assert.deepStrictEqual(lean.seen.map(view), platform.seen.map(view))
    assert.strictEqual(lean.seen[0]!.url, `${BASE}/prefix/resources?model_id=a+b%2Fc%21%27%28%29%7E*%C3%A9%26%3D%3F`)
    assert.strictEqual(lean.seen[1]!.headers.get("x-init"), "i")
    assert.strictEqual(lean.seen[1]!.headers.get("user-agent"), userAgent)
    assert.strictEqual(lean.seen[1]!.headers.get("accept"), "application/json; q=1")
    assert.strictEqual(lean.seen[1]!.headers.get("content-type"), "application/json")
    assert.strictEqual(lean.seen[1]!.headers.get("x-request-id"), "req-1")
  })

  it("httpClient replaces fetch: requests go through the given HttpClient layer", async () => {
    const fake = makeFake((r) => (r.method === "POST" ? json({ id: ids.a }) : json({ status: "healthy" })))
    await using client = createNodeClient({ baseUrl: BASE, httpClient: fake.layer })
    assert.isTrue(await client.health())
    assert.strictEqual(await client.requestJob(request), ids.a)
    assert.deepStrictEqual(
      fake.requests.map((r) => `${r.method} ${r.url}`),
      [`GET ${BASE}/health`, `POST ${BASE}/api/jobs`]
    )
    assert.strictEqual(fake.requests[1]!.body, JSON.stringify(request))
  })

  it("getJobResults: long lists split under maxUrlLength, answers in order; an empty list sends nothing", async () => {
    const answer = (url: URL) =>
      json(url.searchParams.getAll("id").map((id) => ({ id, status: "running", result: null })))
    const { fetch, seen } = fakeFetch((r) => answer(new URL(r.url)))
    const fake = makeFake((r) => answer(new URL(r.url)))
    const wanted = [ids.a, ids.b, ids.c]
    for (const options of [{ fetch }, { httpClient: fake.layer }]) {
      await using client = createNodeClient({ baseUrl: BASE, maxUrlLength: 90, ...options })
      assert.deepStrictEqual(await client.getJobResults([]), [])
      assert.deepStrictEqual(
        (await client.getJobResults(wanted)).map((r) => r.id),
        wanted
      )
      assert.deepStrictEqual((await client.getJobResults([ids.a], { intermediate: true })).length, 1)
    }
    // Each transport: one request per id (a URL with two ids is longer than 90), then the single-id call.
    assert.strictEqual(seen.length, 4)
    assert.strictEqual(fake.requests.length, 4)
    assert.include(seen[3]!.url, "intermediate=true")
  })

  it("httpClient together with fetch or requestInit is a TypeError at once", () => {
    const { fetch } = fakeFetch(() => json({ status: "healthy" }))
    const { layer } = makeFake(() => json({ status: "healthy" }))
    assert.throws(() => createNodeClient({ baseUrl: BASE, httpClient: layer, fetch }), TypeError, /not both/)
    assert.throws(
      () => createNodeClient({ baseUrl: BASE, httpClient: layer, requestInit: { keepalive: true } }),
      TypeError,
      /not both/
    )
  })

  it("close() rejects later calls", async () => {
    const { fetch } = fakeFetch(() => json({ status: "healthy" }))
    const client = createNodeClient({ baseUrl: BASE, fetch })
    assert.isTrue(await client.health())
    await client.close()
    await client.close()
    const error = await rejection(client.health())
    assert.include(String(error), "the client is closed")
  })
})

describe("requestStream (Promise)", () => {
  it("iterates the text after the id line; result() fetches the stored result", async () => {
    const { fetch } = fakeFetch((r) =>
      r.method === "POST"
        ? chunked([
            ids.a.slice(0, 10),
            `${ids.a.slice(10)}\nDeep`,
            " learning ",
            new Uint8Array([0xf0, 0x9f]),
            new Uint8Array([0x8d, 0x95])
          ])
        : json([{ id: ids.a, status: "success", result: { container: "s", output: { output: "Deep learning 🍕" } } }])
    )
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const stream = await client.requestStream(request)
    assert.strictEqual(stream.id, ids.a)
    let text = ""
    for await (const piece of stream) text += piece
    assert.strictEqual(text, "Deep learning 🍕")
    const stored = await stream.result()
    assert.strictEqual(stored.status, "success")
  })

  it("chunks gives the raw bytes; the body can be read once", async () => {
    const { fetch } = fakeFetch(() => chunked([`${ids.b}\nab`, "cd"]))
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const stream = await client.requestStream(request)
    const chunks: Array<string> = []
    for await (const chunk of stream.chunks) chunks.push(new TextDecoder().decode(chunk))
    assert.deepStrictEqual(chunks, ["ab", "cd"])
    assert.throws(() => stream.text[Symbol.asyncIterator](), /can be read once/)
  })

  it("breaking out of the loop cancels the body", async () => {
    let cancelled = false
    const { fetch } = fakeFetch(() => {
      let n = 0
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode(n++ === 0 ? `${ids.c}\nfirst` : `more ${n}`))
        },
        cancel() {
          cancelled = true
        }
      })
      return new Response(body)
    })
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const stream = await client.requestStream(request)
    for await (const piece of stream) {
      assert.strictEqual(piece, "first")
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.isTrue(cancelled)
  })

  it("aborting the signal mid-stream rejects the iteration with the signal's reason", async () => {
    const { fetch } = fakeFetch(() => {
      let n = 0
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (n++ === 0) controller.enqueue(new TextEncoder().encode(`${ids.c}\nfirst`))
          else await new Promise(() => {})
        }
      })
      return new Response(body)
    })
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const controller = new AbortController()
    const stream = await client.requestStream(request, { signal: controller.signal })
    const pieces: Array<string> = []
    const error = await rejection(
      (async () => {
        for await (const piece of stream) {
          pieces.push(piece)
          setTimeout(() => controller.abort(), 10)
        }
      })()
    )
    assert.deepStrictEqual(pieces, ["first"])
    assert.instanceOf(error, DOMException)
  })

  it("a rejected stream request rejects with the NodeClientError", async () => {
    const { fetch } = fakeFetch(() => json({ error: "Container not supported", params: { container: "x" } }, 405))
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const error = await rejection(client.requestStream(request))
    assert.instanceOf(error, NodeClientError)
    assert.strictEqual((error as NodeClientError).reason._tag, "ApiError")
  })

  it("close() closes open streams", async () => {
    let cancelled = false
    const { fetch } = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(`${ids.c}\n`))
            },
            cancel() {
              cancelled = true
            }
          })
        )
    )
    const client = createNodeClient({ baseUrl: BASE, fetch })
    const stream = await client.requestStream(request)
    assert.strictEqual(stream.id, ids.c)
    await client.close()
    assert.isTrue(cancelled)
  })
})

describe("createNodeClient options", () => {
  it("an invalid baseUrl throws a TypeError at once", () => {
    assert.throws(() => createNodeClient({ baseUrl: "localhost:4000" }), TypeError, /expected an http: or https: URL/)
    assert.throws(() => createNodeClient({ baseUrl: "not a url" }), TypeError, /Invalid node URL/)
  })

  it("a TransportError keeps the network error, not the request and its headers", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") })
    }) as typeof globalThis.fetch
    await using client = createNodeClient({
      baseUrl: BASE,
      fetch,
      retry: false,
      headers: { authorization: "Bearer s3cret" }
    })
    const error = await rejection(client.info())
    assert.instanceOf(error, NodeClientError)
    const reason = (error as NodeClientError).reason
    assert.strictEqual(reason._tag, "TransportError")
    if (reason._tag !== "TransportError") return
    assert.instanceOf(reason.cause, TypeError)
    assert.notInclude(JSON.stringify(error), "s3cret")
    assert.notInclude(String(error), "s3cret")
  })
})

describe("createRouterClient and createNodePool", () => {
  it("find nodes through the router, and route jobs and a stream through a pool", () =>
    withNetwork({ nodes: 2, router: { rateLimit: false } }, async (network) => {
      await using router = createRouterClient({ url: network.router!.url })
      const containers = await router.containers()
      assert.include(
        containers.map((c) => String(c.id)),
        "hello-world"
      )
      const found = await router.findNodes(["hello-world"], { n: 5 })
      assert.sameMembers(
        [...found],
        network.nodes.map((n) => n.url)
      )
      const unsupported = await router.resources().catch((e: unknown) => e)
      assert.isTrue(isNodeClientError(unsupported) && unsupported.reason._tag === "NotSupported")
      const aborted = await router.containers({ signal: AbortSignal.abort(new Error("stop")) }).catch((e: Error) => e)
      assert.strictEqual((aborted as Error).message, "stop")

      await using pool = await createNodePool({ router: { url: network.router!.url, containers: ["hello-world"] } })
      const { id, node } = await pool.submitJob({ containers: ["hello-world"], data: { name: "pool" } })
      assert.include(
        network.nodes.map((n) => n.url),
        node
      )
      assert.strictEqual(await pool.nodeOf(id), node)
      assert.strictEqual((await pool.getJobResultSync(id)).status, "success")
      assert.strictEqual((await pool.info(node)).containers.length, 3)
      assert.isTrue(await pool.health())

      const stream = await pool.requestStream({
        containers: ["openai-inference-streaming-0.0.1"],
        data: { model: "gpt-4o", params: { endpoint: "completion", messages: [{ role: "user", content: "hi" }] } }
      })
      // Only even nodes run the streaming container.
      assert.strictEqual(stream.node, network.nodes[0]!.url)
      let text = ""
      for await (const part of stream) text += part
      assert.isAbove(text.length, 0)
      assert.strictEqual((await stream.result()).status, "success")

      await network.nodes[1]!.down()
      await network.nodes[0]!.down()
      // A job sent on a kept-alive connection the node cut fails with NodeUnavailable (it may have been created);
      // once both nodes are known down, NoNodeAvailable at once.
      const tags: Array<string> = []
      for (let i = 0; i < 3; i++) {
        const error = await pool.requestJob({ containers: ["hello-world"], data: {} }).catch((e: unknown) => e)
        tags.push(isNodeClientError(error) ? error.reason._tag : String(error))
        if (isNodeClientError(error) && error.reason._tag === "NodeUnavailable") {
          // The node's URL, and the failure seen on it (with its request's URL), in plain values.
          const node = error.reason.node
          assert.include(
            network.nodes.map((n) => n.url),
            node
          )
          assert.isTrue(error.url?.startsWith(node), error.url)
          assert.notInclude(JSON.stringify(error), '"_id"')
        }
      }
      assert.strictEqual(tags.at(-1), "NoNodeAvailable", String(tags))
      assert.isTrue(
        tags.every((tag) => tag === "NoNodeAvailable" || tag === "NodeUnavailable"),
        String(tags)
      )
      const snapshot = await pool.snapshot()
      assert.isTrue(snapshot.every((s) => !s.healthy))
    }))
})

describe("plain values, request ids and hooks (Promise)", () => {
  it("a RateLimited reason has retryAfterMs as a number; JSON.stringify shows tag, message, URL, status, request id", async () => {
    const { fetch } = fakeFetch(() => json({ error: "slow down" }, 429, { "retry-after": "4" }))
    await using client = createNodeClient({ baseUrl: BASE, fetch, retry: false, requestId: () => "req-7" })
    const error = await rejection(client.info())
    assert.instanceOf(error, NodeClientError)
    if (!(error instanceof NodeClientError)) return
    assert.strictEqual(error.reason._tag, "RateLimited")
    if (error.reason._tag !== "RateLimited") return
    const retryAfterMs: number | undefined = error.reason.retryAfterMs
    assert.strictEqual(retryAfterMs, 4000)
    assert.deepStrictEqual(JSON.parse(JSON.stringify(error)), {
      _tag: "NodeClientError",
      method: "info",
      message: "NodeClient.info: The node is rate limiting this client (HTTP 429); retry after 4s",
      url: `${BASE}/info`,
      status: 429,
      requestId: "req-7",
      reason: {
        _tag: "RateLimited",
        message: "The node is rate limiting this client (HTTP 429); retry after 4s",
        url: `${BASE}/info`,
        retryAfterMs: 4000,
        requestId: "req-7"
      }
    })
  })

  it("a Timeout has timeoutMs; an ApiError its URL and status; nothing of Effect's in them", async () => {
    const slow = fakeFetch(hang)
    await using client = createNodeClient({ baseUrl: BASE, fetch: slow.fetch, timeout: 20 })
    const timeout = await rejection(client.health())
    assert.isTrue(isNodeClientError(timeout))
    if (!isNodeClientError(timeout) || timeout.reason._tag !== "Timeout") return assert.fail(String(timeout))
    assert.strictEqual(timeout.reason.timeoutMs, 20)
    assert.notProperty(timeout.reason, "timeout")
    const rejected = fakeFetch(() => json({ error: "Container not supported", params: { container: "x" } }, 405))
    await using other = createNodeClient({ baseUrl: BASE, fetch: rejected.fetch })
    const api = await rejection(other.requestJob(request))
    if (!isNodeClientError(api) || api.reason._tag !== "ApiError") return assert.fail(String(api))
    assert.strictEqual(api.url, `${BASE}/api/jobs`)
    assert.strictEqual(api.status, 405)
    assert.strictEqual(api.reason.url, `${BASE}/api/jobs`)
    assert.deepStrictEqual(api.reason.params, { container: "x" })
    assert.strictEqual(api.requestId, rejected.seen[0]!.headers.get("x-request-id"))
    assert.notInclude(JSON.stringify(api), '"_id"')
  })

  it("every attempt has its own x-request-id; hooks see each one; the error reports the last", async () => {
    const { fetch, seen } = fakeFetch(() => json({ error: "busy" }, 503))
    const requests: Array<string> = []
    const responses: Array<string> = []
    await using client = createNodeClient({
      baseUrl: BASE,
      fetch,
      retry: Schedule.spaced("1 millis").pipe(Schedule.intersect(Schedule.recurs(2))),
      onRequest: (e) => requests.push(`${e.method} ${e.httpMethod} ${e.url} ${e.requestId}`),
      onResponse: (e) => responses.push(`${e.requestId} ${e.status} ${e.reason} ${e.elapsedMs >= 0}`)
    })
    const error = await rejection(client.info())
    const ids = seen.map((r) => r.headers.get("x-request-id")!)
    assert.strictEqual(new Set(ids).size, 3)
    for (const id of ids) assert.match(id, /^[0-9a-f]{12}-[0-9a-z]+$/)
    assert.deepStrictEqual(
      requests,
      ids.map((id) => `info GET ${BASE}/info ${id}`)
    )
    assert.deepStrictEqual(
      responses,
      ids.map((id) => `${id} 503 ApiError true`)
    )
    assert.isTrue(isNodeClientError(error) && error.requestId === ids[2])
  })

  it("an x-request-id the caller sets is kept and reported", async () => {
    const { fetch, seen } = fakeFetch(() => json({ error: "no" }, 400))
    await using client = createNodeClient({ baseUrl: BASE, fetch, headers: { "x-request-id": "from-upstream" } })
    const error = await rejection(client.info())
    assert.strictEqual(seen[0]!.headers.get("x-request-id"), "from-upstream")
    assert.isTrue(isNodeClientError(error) && error.requestId === "from-upstream")
  })

  it("requestId: false sends no header; errors then have none", async () => {
    const { fetch, seen } = fakeFetch(() => json({ error: "no" }, 400))
    await using client = createNodeClient({ baseUrl: BASE, fetch, requestId: false })
    const error = await rejection(client.info())
    assert.isNull(seen[0]!.headers.get("x-request-id"))
    assert.isTrue(isNodeClientError(error) && error.requestId === undefined && error.status === 400)
  })

  it("returned ids are plain strings and getJobResultSync's output is typed by an output schema", async () => {
    const { fetch } = fakeFetch((r) =>
      r.method === "POST"
        ? json({ id: ids.a })
        : json([{ id: ids.a, status: "success", result: { container: "c", output: { text: "hi" } } }])
    )
    await using client = createNodeClient({ baseUrl: BASE, fetch })
    const id: string = await client.requestJob(request)
    const result = await client.getJobResultSync(id, {
      output: Schema.standardSchemaV1(Schema.Struct({ text: Schema.String }))
    })
    const text: string = result.result.output.text
    assert.strictEqual(text, "hi")
    const mismatch = await rejection(
      client.getJobResultSync(id, { output: Schema.standardSchemaV1(Schema.Struct({ text: Schema.Number })) })
    )
    if (!isNodeClientError(mismatch) || mismatch.reason._tag !== "OutputMismatch") return assert.fail(String(mismatch))
    assert.deepStrictEqual(mismatch.reason.issues[0]!.path, ["text"])
    assert.deepStrictEqual(mismatch.reason.output, { text: "hi" })
  })

  it("a pool's NodeUnavailable: the failure seen on the node in plain values, its URL, status and id on the error", () => {
    const seenOnNode = new EffectErrors.RateLimited({
      url: "http://10.0.0.7:4000/api/jobs",
      retryAfter: Duration.seconds(2),
      requestId: "r-9"
    })
    const plain = fromEffectError(
      new EffectErrors.NodeClientError({
        method: "NodePool.requestJob",
        reason: new EffectErrors.NodeUnavailable({
          node: "http://10.0.0.7:4000",
          detail: "rate limited",
          cause: seenOnNode
        })
      })
    )
    if (plain.reason._tag !== "NodeUnavailable") return assert.fail(plain.reason._tag)
    assert.deepStrictEqual(plain.reason.cause, {
      _tag: "RateLimited",
      message: "The node is rate limiting this client (HTTP 429); retry after 2s",
      url: "http://10.0.0.7:4000/api/jobs",
      retryAfterMs: 2000,
      requestId: "r-9"
    })
    assert.deepStrictEqual([plain.url, plain.status, plain.requestId], ["http://10.0.0.7:4000/api/jobs", 429, "r-9"])
    assert.strictEqual(plain.message, `NodePool.requestJob: ${plain.reason.message}`)
  })

  it("fromEffectError turns an Effect API error into the Promise one", () => {
    const plain = fromEffectError(
      new EffectErrors.NodeClientError({
        method: "getJobResultSync",
        reason: new EffectErrors.StillRunning({ id: ids.a, attempts: 3, elapsed: Duration.millis(1500) })
      })
    )
    assert.instanceOf(plain, NodeClientError)
    assert.instanceOf(plain, Error)
    assert.deepStrictEqual(plain.reason, {
      _tag: "StillRunning",
      message: `Job ${ids.a} is still running after 3 polls; wait longer (a longer schedule or more retries)`,
      id: ids.a,
      attempts: 3,
      elapsedMs: 1500
    })
  })
})
