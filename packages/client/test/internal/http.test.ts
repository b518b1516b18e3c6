import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Option } from "effect"
import {
  BROWSER_HINT,
  BROWSER_HINT_URL,
  describeCause,
  describeTransport,
  isBrowserLike,
  parseRetryAfter,
  readIdLine
} from "../../src/internal/http.js"
import { createNodeClient, NodeClientError } from "../../src/promise.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A pull that hands out the given chunks (each a Chunk of Uint8Arrays), then ends. */
const pullOf = (pulls: ReadonlyArray<ReadonlyArray<Uint8Array>>) => {
  let i = 0
  return Effect.suspend(() =>
    i < pulls.length ? Effect.succeed(Chunk.fromIterable(pulls[i++]!)) : Effect.fail(Option.none<never>())
  )
}

const splitEverywhere = (bytes: Uint8Array, random: () => number) => {
  const pulls: Array<Array<Uint8Array>> = []
  let offset = 0
  while (offset < bytes.length) {
    const pull: Array<Uint8Array> = []
    const pieces = 1 + Math.floor(random() * 3)
    for (let p = 0; p < pieces && offset < bytes.length; p++) {
      const size = Math.max(1, Math.floor(random() * 12))
      pull.push(bytes.subarray(offset, offset + size))
      offset += size
    }
    pulls.push(pull)
  }
  return pulls
}

describe("readIdLine", () => {
  it.effect("finds the id line and the rest for every way of cutting the body", () =>
    Effect.gen(function* () {
      let seed = 7
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648
        return seed / 2147483648
      }
      const id = "449e77c9-5251-4d48-aaf0-9601aeeaf74e"
      for (let run = 0; run < 300; run++) {
        const output = "a subset of machine learning\n🍕 naïve\n".repeat(run % 4)
        const pulls = splitEverywhere(encoder.encode(`${id}\n${output}`), random)
        const found = yield* readIdLine(pullOf(pulls))
        assert.isTrue("line" in found)
        if (!("line" in found)) return
        assert.strictEqual(decoder.decode(found.line), id)
        // The rest of the body: what readIdLine kept, then the pulls it did not consume.
        const consumed = pulls.findIndex((_, i) => {
          const upTo = pulls
            .slice(0, i + 1)
            .flat()
            .reduce((n, c) => n + c.length, 0)
          return upTo > id.length
        })
        const later = pulls.slice(consumed + 1).flat()
        const rest = decoder.decode(new Uint8Array([...found.rest, ...later.flatMap((c) => [...c])]))
        assert.strictEqual(rest, output)
      }
    })
  )

  it.effect("a body that ends before a newline, or whose first line is too long, is reported as ended", () =>
    Effect.gen(function* () {
      const short = yield* readIdLine(pullOf([[encoder.encode("abc")]]))
      assert.deepStrictEqual("ended" in short && decoder.decode(short.ended), "abc")
      const long = yield* readIdLine(pullOf([[encoder.encode("x".repeat(800))], [encoder.encode("y".repeat(800))]]))
      assert.isTrue("ended" in long)
    })
  )
})

describe("parseRetryAfter", () => {
  it("seconds, an HTTP date, or nothing", () => {
    const now = Date.parse("2025-01-01T00:00:00Z")
    assert.deepStrictEqual(parseRetryAfter("0", now), Duration.seconds(0))
    assert.deepStrictEqual(parseRetryAfter(" 12 ", now), Duration.seconds(12))
    assert.deepStrictEqual(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now), Duration.millis(30_000))
    assert.deepStrictEqual(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now), Duration.millis(0))
    assert.deepStrictEqual(parseRetryAfter("Wednesday, 01-Jan-25 00:00:10 GMT", now), Duration.millis(10_000))
    assert.deepStrictEqual(parseRetryAfter("Wed Jan  1 00:00:20 2025", now), Duration.millis(20_000))
    assert.deepStrictEqual(parseRetryAfter("86400", now), Duration.days(1))
    assert.isTrue(Duration.greaterThan(parseRetryAfter("9".repeat(400), now)!, Duration.days(365)))
    // V8's Date.parse reads all of these as dates; none is a Retry-After.
    for (const garbage of ["soon", "-1", "1.5", "soon 5", "2025-01-01", "", "0x10"]) {
      assert.isUndefined(parseRetryAfter(garbage, now), garbage)
    }
    assert.isUndefined(parseRetryAfter("soon", now))
    assert.isUndefined(parseRetryAfter(undefined, now))
  })
})

describe("describeCause", () => {
  it("follows cause chains and AggregateErrors, naming error codes once", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4000"), { code: "ECONNREFUSED" })
    assert.strictEqual(
      describeCause(new TypeError("fetch failed", { cause: refused })),
      "fetch failed: connect ECONNREFUSED 127.0.0.1:4000"
    )
    const both = new AggregateError(
      [Object.assign(new Error("connect ECONNREFUSED ::1:4000"), { code: "ECONNREFUSED" })],
      ""
    )
    assert.strictEqual(
      describeCause(Object.assign(both, { code: "ECONNREFUSED" })),
      "ECONNREFUSED: connect ECONNREFUSED ::1:4000"
    )
    assert.strictEqual(
      describeCause(Object.assign(new Error("getaddrinfo failed"), { code: "ENOTFOUND" })),
      "ENOTFOUND getaddrinfo failed"
    )
    assert.strictEqual(describeCause("plain"), "plain")
    assert.strictEqual(describeCause(undefined), "unknown error")
  })
})

describe("the browser hint of a TransportError", () => {
  it("isBrowserLike: a window with a document or a worker scope, and no process.versions.node", () => {
    assert.isTrue(isBrowserLike({ window: { document: {} } }))
    assert.isTrue(isBrowserLike({ WorkerGlobalScope: class {} }))
    assert.isFalse(isBrowserLike({}), "Node, Deno or Bun without window")
    assert.isFalse(isBrowserLike({ navigator: {} }), "Node 21+ has a navigator")
    assert.isFalse(isBrowserLike({ window: {} }), "Deno 1's window has no document")
    assert.isFalse(
      isBrowserLike({ window: { document: {} }, process: { versions: { node: "20.20.2" } } }),
      "jsdom or happy-dom under Node: fetch enforces no CORS"
    )
    assert.isFalse(isBrowserLike(globalThis as Record<string, unknown>), "this test runs in Node")
  })

  /** Runs `f` as in a Web Worker: a `WorkerGlobalScope` global and no `process.versions.node`. */
  const asInWorker = async <A>(f: () => Promise<A>): Promise<A> => {
    const node = Object.getOwnPropertyDescriptor(process.versions, "node")!
    const global = globalThis as Record<string, unknown>
    Object.defineProperty(process.versions, "node", { ...node, value: undefined })
    global.WorkerGlobalScope = class WorkerGlobalScope {}
    try {
      return await f()
    } finally {
      Object.defineProperty(process.versions, "node", node)
      delete global.WorkerGlobalScope
    }
  }

  const failedToFetch = (async () => {
    throw new TypeError("Failed to fetch")
  }) as typeof globalThis.fetch

  const reasonOf = async (fetch: typeof globalThis.fetch, call: "info" | "stream") => {
    const client = createNodeClient({ baseUrl: "http://127.0.0.1:1", fetch, retry: false })
    try {
      await (call === "info"
        ? client.info()
        : client.requestStream({ containers: ["c"], data: {} }).then((s) => s.cancel()))
      return assert.fail("the call succeeded")
    } catch (error) {
      assert.instanceOf(error, NodeClientError)
      return error as NodeClientError
    } finally {
      await client.close()
    }
  }

  it("a fetch that rejects in a browser-like runtime says CORS may be why, and where to read on; the tag is TransportError", async () => {
    for (const call of ["info", "stream"] as const) {
      const error = await asInWorker(() => reasonOf(failedToFetch, call))
      assert.strictEqual(error.reason._tag, "TransportError", call)
      assert.include(error.message, "Failed to fetch", call)
      assert.include(error.message, BROWSER_HINT, call)
      assert.include(error.message, "#in-a-browser", call)
    }
  })

  it("in Node the same failure has no hint", async () => {
    const error = await reasonOf(failedToFetch, "info")
    assert.strictEqual(error.reason._tag, "TransportError")
    assert.notInclude(error.message, "CORS")
  })

  it("a body cut while reading (the answer passed CORS) has no hint, even in a browser", async () => {
    // Made outside the simulated worker: undici reads process.versions.node when it builds a Response.
    const response = new Response(
      new ReadableStream({ pull: (controller) => controller.error(new TypeError("network error")) }),
      { status: 200, headers: { "content-type": "application/json" } }
    )
    const cut = (async () => response) as typeof globalThis.fetch
    const error = await asInWorker(() => reasonOf(cut, "info"))
    assert.strictEqual(error.reason._tag, "TransportError")
    assert.include(error.message, "while reading the answer: network error")
    assert.notInclude(error.message, "CORS")
  })

  it("describeTransport adds the hint only for a rejected fetch", async () => {
    assert.strictEqual(describeTransport(new TypeError("Failed to fetch")), "Failed to fetch")
    const inWorker = await asInWorker(async () => [
      describeTransport(new TypeError("Failed to fetch")),
      describeTransport(new TypeError("network error"), true)
    ])
    assert.deepStrictEqual(inWorker, [`Failed to fetch ${BROWSER_HINT}`, "network error"])
  })
})

describe("the client README's In a browser section", () => {
  it("shows the hint as the client writes it, under the heading the hint links to", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
    assert.include(readme, BROWSER_HINT)
    assert.include(readme, "\n## In a browser\n")
    assert.isTrue(BROWSER_HINT_URL.endsWith("#in-a-browser"))
  })
})
