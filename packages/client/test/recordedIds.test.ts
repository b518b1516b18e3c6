// Job ids recorded with PUT /api/status may be any string: the node stores them and lists them like the UUIDs it
// makes (rest-api.md, "PUT /api/status"). One such id must not make a listing fail to decode.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { Effect } from "effect"
import { start, withClient } from "./utils/mock.js"

let node: RunningMockNode
beforeAll(async () => {
  node = await start()
})
afterAll(() => node.close())

describe("ids recorded by hand", () => {
  it.live("getJobs and getJobResults accept a non-UUID id the node lists", () =>
    withClient(node.url, (client) =>
      Effect.gen(function* () {
        const request = { containers: ["hello-world"], data: {} }
        yield* client.recordStatus("nightly-batch-7", "success", request)
        const created = yield* client.requestJob({ containers: ["hello-world"], data: { name: "x" } })
        const ids = yield* client.getJobs()
        assert.includeMembers([...ids], ["nightly-batch-7", created])
        const [recorded] = yield* client.getJobResults(["nightly-batch-7"])
        assert.strictEqual(recorded?.id, "nightly-batch-7")
        assert.strictEqual(recorded?.status, "success")
      })
    )
  )
})
