import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Option } from "effect"
import { describeCause, parseRetryAfter, readIdLine } from "../../src/internal/http.js"

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
