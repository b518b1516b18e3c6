/**
 * The README's examples (examples/*.ts) run against @infernet/node-mock, so the docs cannot rot.
 */
import { afterAll, assert, beforeAll, describe, it, vi } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { Effect } from "effect"
import * as EffectExample from "../examples/effect.js"
import * as PromiseExample from "../examples/promise.js"
import { start } from "./utils/mock.js"

let node: RunningMockNode
beforeAll(async () => {
  node = await start()
})
afterAll(async () => {
  await node?.close()
})

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe("examples", () => {
  it("examples/promise.ts walks the usage page", async () => {
    const lines: Array<ReadonlyArray<unknown>> = []
    const out = await PromiseExample.usagePage(node.url, (...values) => lines.push(values))
    assert.match(out.jobId, uuid)
    assert.strictEqual(out.ids.length, 2)
    assert.strictEqual(out.result.status, "success")
    assert.isAbove(out.text.length, 20)
    assert.deepStrictEqual(lines.at(-1), [405, "Container not supported", { container: "non-existent-container" }])
  })

  it.live("examples/effect.ts walks the usage page", () =>
    // The console spy keeps the example's output out of the test report.
    Effect.acquireUseRelease(
      Effect.sync(() => vi.spyOn(console, "log").mockImplementation(() => {})),
      () =>
        Effect.gen(function* () {
          const out = yield* EffectExample.usagePage.pipe(Effect.provide(EffectExample.live(node.url)))
          assert.match(out.jobId, uuid)
          assert.strictEqual(out.ids.length, 2)
          assert.strictEqual(out.result.status, "success")
          assert.isAbove(out.text.length, 20)
          assert.strictEqual(out.rejection, "405 Container not supported")
        }),
      (spy) => Effect.sync(() => spy.mockRestore())
    )
  )
})
