// mockNodeTest isolates tests: a Vitest project of four files, run in three parallel worker threads, where every test
// reconfigures its node's container and runs into its own rate limit many times, must pass as a whole (each test
// sees only its own behaviours, jobs, requests and rate-limit state), and its files must really overlap in time.
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { runVitest } from "./utils/vitest.js"

describe("mockNodeTest", () => {
  it("keeps parallel files and every test apart: 4 files x 5 tests in 3 workers, reconfiguring all the time", async () => {
    const cwd = fileURLToPath(new URL("./fixtures/parallel-project/", import.meta.url))
    const { code, output } = await runVitest(cwd)
    assert.strictEqual(code, 0, output)
    // The project also loads @infernet/node-mock/vitest as its global setup, where Vitest's runtime is not available.
    assert.notInclude(output, "Unhandled Error")
    assert.match(output, /Test Files\s+4 passed \(4\)/)
    assert.match(output, /Tests\s+20 passed \(20\)/)
    const runs = [...output.matchAll(/FILE=(\w) WORKER=(\d+) START=(\d+) END=(\d+)/g)].map((m) => ({
      file: m[1]!,
      worker: m[2]!,
      start: Number(m[3]),
      end: Number(m[4])
    }))
    assert.strictEqual(runs.length, 4, output)
    // More than one worker, and at least two files running at the same time.
    assert.isAbove(new Set(runs.map((r) => r.worker)).size, 1)
    const overlapping = runs.some((a) => runs.some((b) => a !== b && a.start < b.end && b.start < a.end))
    assert.isTrue(overlapping, JSON.stringify(runs))
  }, 120_000)
})
