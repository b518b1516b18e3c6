/**
 * The client fault suite: every row is a small hostile server (raw `node:net` on 127.0.0.1, port 0) and what the
 * client must make of it, run through the Effect API on `FetchHttpClient` and on `NodeHttpClient.layerUndici`, and
 * through the Promise API. Each row checks the typed reason, how many requests reached the server (a `POST
 * /api/jobs` is never sent twice), and that the call ended within its configured timeout plus a generous margin
 * (a correctness bound on hangs and sleeps, not a performance figure).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Duration, Effect, Exit, Layer, ManagedRuntime, Option, Schedule, Stream } from "effect"
import { NodeClient, type NodeClientError } from "../src/index.js"
import {
  createNodeClient,
  NodeClientError as PromiseNodeClientError,
  type NodeClientErrorReason
} from "../src/promise.js"
import { answer, type Behaviour, chunk, head, serve } from "./utils/hostile.js"

const ID = "2c7e3c6e-8f3a-4b7e-9a53-3d0a1c5b6f10"
/** The timeout of rows that end in a `Timeout` or `StreamIdle`: short, so that the suite stays fast. */
const TIMEOUT = 300
const IDLE = 300
/** The timeout of every other row: long enough that a loaded machine never turns a row into a `Timeout`. */
const SLACK_TIMEOUT = 3000
/**
 * How far past its timeout a call may end. The rows run concurrently on what may be a 2-core machine shared with other
 * work, so the margin is wide: it tells a timeout that fired (late) from one that never did, whose call would wait
 * for the test's own 30 s timeout.
 */
const MARGIN = 6000

type Call = "info" | "requestJob" | "stream"
type Tag = NodeClientError.Reason["_tag"]
/** A reason as the Effect API (durations) or the Promise API (plain milliseconds) gives it. */
type AnyReason = NodeClientError.Reason | NodeClientErrorReason

interface Row {
  readonly name: string
  readonly call: Call
  readonly server: Behaviour
  readonly options?: Partial<NodeClient.Options>
  /** The reason the call fails with, or `ok`. */
  readonly expect: Tag | "ok"
  /** Requests the server saw. */
  readonly hits: number
  /** More checks on the reason. */
  readonly check?: (reason: AnyReason) => void
}

const info = {
  version: "1.4.0",
  containers: [],
  pending: { offchain: 0, onchain: 0 },
  chain: { enabled: false, address: "" }
}
const okFor = (call: Call): string => JSON.stringify(call === "info" ? info : { id: ID })
const html = "<!doctype html><title>oops</title><h1>Internal Server Error</h1>"
const streamHead = head(200, { "content-type": "text/plain", "transfer-encoding": "chunked" })
const limited =
  (retryAfter: string, then?: Call): Behaviour =>
  ({ socket, index }) =>
    then !== undefined && index > 0
      ? answer(socket, 200, okFor(then))
      : answer(socket, 429, '{"error":"Too many requests"}', {
          "content-type": "application/json",
          "retry-after": retryAfter
        })
/** `Retry-After` in milliseconds, from either API's reason (the Promise API's must be a plain number). */
const retryAfterOf = (reason: AnyReason): number | undefined => {
  assert.strictEqual(reason._tag, "RateLimited")
  if ("retryAfterMs" in reason) return reason.retryAfterMs
  const effect = reason as NodeClientError.RateLimited
  return effect.retryAfter === undefined ? undefined : Duration.toMillis(effect.retryAfter)
}

const rows: ReadonlyArray<Row> = [
  { name: "never answers (GET)", call: "info", server: () => {}, expect: "Timeout", hits: 1 },
  { name: "never answers (POST /api/jobs)", call: "requestJob", server: () => {}, expect: "Timeout", hits: 1 },
  {
    name: "resets the connection at once (GET is retried)",
    call: "info",
    server: ({ socket }) => socket.resetAndDestroy(),
    expect: "TransportError",
    hits: 3
  },
  {
    name: "resets the connection at once (POST /api/jobs is not)",
    call: "requestJob",
    server: ({ socket }) => socket.resetAndDestroy(),
    expect: "TransportError",
    hits: 1
  },
  {
    name: "429 Retry-After: 0 on every answer",
    call: "info",
    server: limited("0"),
    expect: "RateLimited",
    hits: 3,
    check: (reason) => assert.strictEqual(retryAfterOf(reason), 0)
  },
  { name: "429 Retry-After: 0, then 200", call: "info", server: limited("0", "info"), expect: "ok", hits: 2 },
  {
    name: "429 Retry-After: 86400 (a day) fails at once",
    call: "info",
    server: limited("86400", "info"),
    expect: "RateLimited",
    hits: 1,
    check: (reason) => assert.strictEqual(retryAfterOf(reason), 86_400_000)
  },
  {
    name: "429 Retry-After: an HTTP date an hour away fails at once",
    call: "info",
    server: (exchange) => limited(new Date(Date.now() + 3_600_000).toUTCString(), "info")(exchange),
    expect: "RateLimited",
    hits: 1,
    check: (reason) => {
      const millis = retryAfterOf(reason)!
      assert.isAtLeast(millis, 3_590_000)
      assert.isAtMost(millis, 3_600_000)
    }
  },
  {
    name: "429 Retry-After: 1 is longer than the call's timeout",
    call: "info",
    server: limited("1", "info"),
    options: { timeout: "500 millis" },
    expect: "RateLimited",
    hits: 1
  },
  {
    name: "429 Retry-After: 1 is longer than maxRetryAfter",
    call: "info",
    server: limited("1", "info"),
    options: { maxRetryAfter: "200 millis" },
    expect: "RateLimited",
    hits: 1
  },
  {
    name: "429 Retry-After: garbage is ignored (the schedule's backoff applies)",
    call: "info",
    server: limited("soon, maybe"),
    expect: "RateLimited",
    hits: 3,
    check: (reason) => assert.isUndefined(retryAfterOf(reason))
  },
  {
    name: "429 on POST /api/jobs is not retried",
    call: "requestJob",
    server: limited("0", "requestJob"),
    expect: "RateLimited",
    hits: 1
  },
  {
    name: "503, then 200 (GET is retried)",
    call: "info",
    server: ({ socket, index }) =>
      index === 0 ? answer(socket, 503, html, { "content-type": "text/html" }) : answer(socket, 200, okFor("info")),
    expect: "ok",
    hits: 2
  },
  {
    name: "503 on POST /api/jobs is not retried",
    call: "requestJob",
    server: ({ socket, index }) =>
      index === 0
        ? answer(socket, 503, html, { "content-type": "text/html" })
        : answer(socket, 200, okFor("requestJob")),
    expect: "UnexpectedResponse",
    hits: 1,
    check: (reason) => assert.strictEqual((reason as NodeClientError.UnexpectedResponse).status, 503)
  },
  {
    name: "HTML 500",
    call: "info",
    server: ({ socket }) => answer(socket, 500, html, { "content-type": "text/html" }),
    expect: "UnexpectedResponse",
    hits: 1,
    check: (reason) => {
      const unexpected = reason as NodeClientError.UnexpectedResponse
      assert.strictEqual(unexpected.status, 500)
      assert.strictEqual(unexpected.contentType, "text/html")
      assert.include(unexpected.body, "Internal Server Error")
    }
  },
  {
    name: "truncated JSON in a complete answer",
    call: "info",
    server: ({ socket }) => answer(socket, 200, okFor("info").slice(0, 30)),
    expect: "UnexpectedResponse",
    hits: 1,
    check: (reason) => assert.include((reason as NodeClientError.UnexpectedResponse).detail, "not JSON")
  },
  {
    name: "connection closed mid-body (GET is retried)",
    call: "info",
    server: ({ socket }) => {
      socket.write(
        head(200, { "content-type": "application/json", "content-length": "500" }) + okFor("info").slice(0, 20)
      )
      setTimeout(() => socket.destroy(), 20)
    },
    expect: "TransportError",
    hits: 3
  },
  {
    name: "connection closed mid-body (POST /api/jobs is not)",
    call: "requestJob",
    server: ({ socket }) => {
      socket.write(`${head(200, { "content-type": "application/json", "content-length": "500" })}{"id":`)
      setTimeout(() => socket.destroy(), 20)
    },
    expect: "TransportError",
    hits: 1
  },
  {
    name: "wrong shape",
    call: "info",
    server: ({ socket }) => answer(socket, 200, JSON.stringify({ version: 14, containers: "none" })),
    expect: "UnexpectedResponse",
    hits: 1,
    check: (reason) => assert.include((reason as NodeClientError.UnexpectedResponse).detail, "does not match")
  },
  {
    name: "headers at a byte every 50 ms",
    call: "info",
    server: ({ trickle }) => trickle(head(200, { "content-type": "application/json", "content-length": "200" }), 50),
    expect: "Timeout",
    hits: 1
  },
  {
    name: "body at a byte every 50 ms",
    call: "info",
    server: ({ socket, trickle }) => {
      const body = okFor("info")
      socket.write(head(200, { "content-type": "application/json", "content-length": String(body.length) }))
      trickle(body, 50)
    },
    expect: "Timeout",
    hits: 1
  },
  {
    name: "stream: headers, then nothing (no id line within the timeout)",
    call: "stream",
    server: ({ socket }) => socket.write(streamHead),
    expect: "Timeout",
    hits: 1
  },
  {
    name: "stream: connection closed inside the id line",
    call: "stream",
    server: ({ socket }) => {
      socket.write(streamHead + chunk(ID.slice(0, 10)))
      setTimeout(() => socket.destroy(), 20)
    },
    expect: "TransportError",
    hits: 1
  },
  {
    name: "stream: connection closed mid-stream",
    call: "stream",
    server: ({ socket }) => {
      socket.write(streamHead + chunk(`${ID}\nDeep `) + chunk("learn"))
      setTimeout(() => socket.destroy(), 20)
    },
    expect: "TransportError",
    hits: 1
  },
  {
    name: "stream: silent after its id line",
    call: "stream",
    server: ({ socket }) => socket.write(streamHead + chunk(`${ID}\nDeep `)),
    expect: "StreamIdle",
    hits: 1,
    check: (reason) =>
      assert.strictEqual(
        "idleTimeoutMs" in reason
          ? reason.idleTimeoutMs
          : Duration.toMillis((reason as NodeClientError.StreamIdle).idleTimeout),
        IDLE
      )
  },
  {
    name: "stream: a well-formed stream, for contrast",
    call: "stream",
    server: ({ socket }) => socket.end(`${streamHead}${chunk(`${ID}\nDeep `)}${chunk("learning")}0\r\n\r\n`),
    expect: "ok",
    hits: 1
  }
]

const request = { containers: ["c"], data: { prompt: "hi" } }

/** Runs one call to completion (a stream is read to its end); resolves to its reason, or `ok`. */
interface Driver {
  readonly name: string
  readonly run: (url: string, options: Partial<NodeClient.Options>, call: Call) => Promise<AnyReason | "ok">
}

const effectDriver = (name: string, http: Layer.Layer<HttpClient.HttpClient>): Driver => ({
  name,
  run: async (url, options, call) => {
    const runtime = ManagedRuntime.make(NodeClient.layer({ baseUrl: url, ...options }).pipe(Layer.provide(http)))
    try {
      const program = Effect.flatMap(NodeClient.NodeClient, (client) => {
        if (call === "info") return Effect.asVoid(client.info())
        if (call === "requestJob") return Effect.asVoid(client.requestJob(request))
        return Effect.scoped(
          Effect.flatMap(client.requestStream(request), (stream) =>
            Effect.map(Stream.runCollect(stream.text), (text) =>
              assert.strictEqual(Chunk.join(text, ""), "Deep learning")
            )
          )
        )
      })
      const exit = await runtime.runPromiseExit(program)
      if (Exit.isSuccess(exit)) return "ok"
      const failure = Cause.failureOption(exit.cause)
      if (Option.isNone(failure)) throw Cause.squash(exit.cause)
      return failure.value.reason
    } finally {
      await runtime.dispose()
    }
  }
})

const promiseDriver: Driver = {
  name: "Promise API (fetch)",
  run: async (url, options, call) => {
    const { transformClient: _, ...rest } = options
    const client = createNodeClient({ baseUrl: url, ...rest })
    try {
      if (call === "info") await client.info()
      else if (call === "requestJob") await client.requestJob(request)
      else {
        const stream = await client.requestStream(request)
        let text = ""
        for await (const piece of stream) text += piece
        assert.strictEqual(text, "Deep learning")
      }
      return "ok"
    } catch (error) {
      if (error instanceof PromiseNodeClientError) {
        // Plain values only: no Effect Duration or Option anywhere in the reason.
        assert.notInclude(JSON.stringify(error), '"_id"')
        return error.reason
      }
      throw error
    } finally {
      await client.close()
    }
  }
}

const drivers: ReadonlyArray<Driver> = [
  effectDriver("Effect API on FetchHttpClient", FetchHttpClient.layer),
  effectDriver("Effect API on NodeHttpClient.layerUndici", NodeHttpClient.layerUndici),
  promiseDriver
]

// Short, fixed retries so that rows count requests exactly: two retries, 20 ms apart.
const optionsOf = (row: Row): Partial<NodeClient.Options> => ({
  timeout: Duration.millis(row.expect === "Timeout" ? TIMEOUT : SLACK_TIMEOUT),
  streamIdleTimeout: Duration.millis(row.expect === "StreamIdle" ? IDLE : SLACK_TIMEOUT),
  retry: Schedule.spaced("20 millis").pipe(Schedule.intersect(Schedule.recurs(2))),
  ...row.options
})

/**
 * The longest a row may take: a row that times out, its timeout (or idle timeout) per request; any other row, one
 * timeout in all (none of its requests may wait for it, and no row may sleep on a Retry-After); plus the margin.
 */
const boundOf = (row: Row): number => {
  if (row.expect === "Timeout") return TIMEOUT * row.hits + MARGIN
  if (row.expect === "StreamIdle") return IDLE * row.hits + MARGIN
  return SLACK_TIMEOUT + MARGIN
}

for (const driver of drivers) {
  describe.concurrent(driver.name, () => {
    for (const row of rows) {
      it(row.name, async () => {
        const server = await serve(row.server)
        try {
          const started = performance.now()
          const outcome = await driver.run(server.url, optionsOf(row), row.call)
          const elapsed = performance.now() - started
          assert.strictEqual(outcome === "ok" ? "ok" : outcome._tag, row.expect, String(outcome))
          if (outcome !== "ok") row.check?.(outcome)
          // Never more requests than the row allows (no blind retries). A row that times out may see none: on a loaded
          // machine the timeout can expire before the request reaches the server.
          if (row.expect === "Timeout") assert.isAtMost(server.hits.length, row.hits, JSON.stringify(server.hits))
          else assert.strictEqual(server.hits.length, row.hits, JSON.stringify(server.hits))
          const path = row.call === "info" ? "/info" : row.call === "requestJob" ? "/api/jobs" : "/api/jobs/stream"
          for (const hit of server.hits) assert.strictEqual(hit.path, path)
          assert.isAtMost(elapsed, boundOf(row), `${elapsed} ms`)
        } finally {
          await server.close()
        }
      })
    }
  })
}
