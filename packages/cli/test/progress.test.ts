import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, TestClock } from "effect"
import * as Progress from "../src/internal/progress.js"
import { makeTestIo } from "./utils/io.js"

describe("progress", () => {
  it("formats the elapsed time", () => {
    assert.strictEqual(Progress.formatElapsed(1234), "1.2s")
    assert.strictEqual(Progress.formatElapsed(12_345), "12s")
    assert.strictEqual(Progress.formatElapsed(125_000), "2m05s")
  })

  it.effect("draws a spinner on a terminal while waiting, then erases it", () => {
    const io = makeTestIo({ stderrTTY: true })
    return Effect.gen(function* () {
      const done = yield* Deferred.make<string>()
      const fiber = yield* Effect.fork(Deferred.await(done).pipe(Progress.withProgress("waiting for job x")))
      yield* TestClock.adjust("50 millis")
      assert.strictEqual(io.stderr(), "", "no frame before the first interval")
      yield* TestClock.adjust("1 second")
      const frames = io.writes().stderr
      assert.isAtLeast(frames.length, 9)
      assert.strictEqual(frames[0], `${Progress.CLEAR_LINE}⠋ waiting for job x 0.1s`)
      assert.isTrue(frames.at(-1)!.startsWith(Progress.CLEAR_LINE))
      assert.isTrue(frames.at(-1)!.endsWith(" waiting for job x 1.0s"))
      yield* Deferred.succeed(done, "result")
      assert.strictEqual(yield* Fiber.join(fiber), "result")
      assert.strictEqual(io.writes().stderr.at(-1), Progress.CLEAR_LINE)
      const count = io.writes().stderr.length
      yield* TestClock.adjust("1 second")
      assert.strictEqual(io.writes().stderr.length, count, "the spinner stops with the wait")
    }).pipe(Effect.provide(io.layer))
  })

  it.effect("erases the line when interrupted", () => {
    const io = makeTestIo({ stderrTTY: true })
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.never.pipe(Progress.withProgress("waiting")))
      yield* TestClock.adjust("300 millis")
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(io.writes().stderr.at(-1), Progress.CLEAR_LINE)
    }).pipe(Effect.provide(io.layer))
  })

  it.effect("draws nothing when stderr is not a terminal", () => {
    const io = makeTestIo({ stderrTTY: false })
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.sleep("5 seconds").pipe(Effect.as(1), Progress.withProgress("waiting")))
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), 1)
      assert.strictEqual(io.stderr(), "")
    }).pipe(Effect.provide(io.layer))
  })
})
