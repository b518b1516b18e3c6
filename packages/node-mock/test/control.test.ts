// The mock-only control API under /__mock/, and the same operations on the MockNode service.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { MockNode } from "../src/index.js"
import { get, post, put, request, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

describe("control API", () => {
  it("GET /__mock/requests lists the requests received, without control requests", () =>
    withNode({ config: { containers: [{ id: "e" }] } }, async (node) => {
      await post(node.url, "/api/jobs", { containers: ["e"], data: { a: 1 } })
      await get(node.url, "/api/jobs?pending=true&id=x", { localAddress: "127.0.0.2" })
      await get(node.url, "/nowhere")
      await get(node.url, "/__mock/jobs")
      const res = await get(node.url, "/__mock/requests")
      assert.strictEqual(res.status, 200)
      const log = res.json<Array<any>>()
      assert.deepStrictEqual(
        log.map(({ at: _at, ...rest }) => rest),
        [
          {
            method: "POST",
            path: "/api/jobs",
            query: "",
            client: "127.0.0.1",
            status: 200,
            content_type: "application/json",
            body: '{"containers":["e"],"data":{"a":1}}'
          },
          {
            method: "GET",
            path: "/api/jobs",
            query: "pending=true&id=x",
            client: "127.0.0.2",
            status: 200,
            content_type: null,
            body: null
          },
          {
            method: "GET",
            path: "/nowhere",
            query: "",
            client: "127.0.0.1",
            status: 404,
            content_type: null,
            body: null
          }
        ]
      )
      assert.match(log[0].at, /^\d{4}-\d\d-\d\dT/)
    }))

  it("keeps at most mock.request_log_limit requests, dropping the oldest", () =>
    withNode({ config: { mock: { request_log_limit: 2 } } }, async (node) => {
      await get(node.url, "/health")
      await get(node.url, "/info")
      await get(node.url, "/resources")
      assert.deepStrictEqual(
        (await node.requests()).map((r) => r.path),
        ["/info", "/resources"]
      )
    }))

  it("PUT /__mock/containers/<id> replaces a behaviour until POST /__mock/reset", () =>
    withNode(
      { config: { containers: [{ id: "c", behavior: { type: "static", output: "before" } }] } },
      async (node) => {
        const set = await put(node.url, "/__mock/containers/c", { type: "fail", failure: "timeout" })
        assert.strictEqual(set.status, 200)
        assert.deepStrictEqual(set.json(), { id: "c", behavior: { type: "fail", failure: "timeout" } })
        const job = (await post(node.url, "/api/jobs", { containers: ["c"], data: {} })).json().id
        assert.deepStrictEqual((await waitForJob(node.url, job)).result, { container: "c", error: "" })
        assert.deepStrictEqual((await get(node.url, "/__mock/containers")).json(), [
          { id: "c", behavior: { type: "fail", failure: "timeout" } }
        ])
        // A bare name works for behaviours without required keys.
        assert.strictEqual((await put(node.url, "/__mock/containers/c", '"echo"')).status, 200)

        const bad = await put(node.url, "/__mock/containers/c", { type: "static" })
        assert.strictEqual(bad.status, 400)
        assert.deepStrictEqual(bad.json(), { error: "behavior: output: is missing" })
        const unknown = await put(node.url, "/__mock/containers/nope", { type: "echo" })
        assert.strictEqual(unknown.status, 404)
        assert.deepStrictEqual(unknown.json(), { error: "Unknown container", params: { container: "nope" } })

        const reset = await post(node.url, "/__mock/reset", "")
        assert.strictEqual(reset.status, 200)
        assert.deepStrictEqual((await get(node.url, "/__mock/containers")).json(), [
          { id: "c", behavior: { type: "static", output: "before" } }
        ])
        assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [])
        assert.deepStrictEqual((await get(node.url, "/__mock/jobs")).json(), [])
        assert.deepStrictEqual(
          (await node.requests()).map((r) => r.path),
          ["/api/jobs"]
        )
      }
    ))

  it("answers wrong methods on control paths with 405", () =>
    withNode(undefined, async (node) => {
      const res = await request(node.url, "/__mock/reset", { method: "GET" })
      assert.strictEqual(res.status, 405)
      assert.strictEqual(res.headers.allow, "OPTIONS, POST")
    }))

  it("GET /__mock/jobs lists every client's jobs", () =>
    withNode({ config: { containers: [{ id: "e" }] } }, async (node) => {
      const id = (
        await post(node.url, "/api/jobs", { containers: ["e"], data: { x: 1 } }, { localAddress: "127.0.0.3" })
      ).json().id
      await waitForJob(node.url, id, { localAddress: "127.0.0.3" })
      const [job] = (await get(node.url, "/__mock/jobs")).json<Array<any>>()
      assert.strictEqual(job.client, "127.0.0.3")
      assert.strictEqual(job.id, id)
      assert.strictEqual(job.status, "success")
      assert.deepStrictEqual(job.containers, ["e"])
      assert.deepStrictEqual(job.results, [{ container: "e", output: { x: 1 } }])
    }))
})

describe("MockNode service control", () => {
  it.effect("setBehavior fails with UnknownContainer or InvalidConfig reasons", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({ config: { containers: [{ id: "c" }] } })
      const unknown = yield* Effect.flip(node.setBehavior("nope", { type: "echo" }))
      assert.strictEqual(unknown.reason._tag, "UnknownContainer")
      assert.strictEqual(unknown.message, 'Unknown container "nope"')
      const invalid = yield* Effect.flip(node.setBehavior("c", { type: "static" } as never))
      assert.strictEqual(invalid.reason._tag, "InvalidConfig")
      assert.strictEqual(invalid.message, "setBehavior: behavior: output: is missing")
      yield* node.setBehavior("c", { type: "static", output: 5 })
      const res = yield* Effect.promise(() => get(node.url, "/__mock/containers"))
      assert.deepStrictEqual(res.json(), [{ id: "c", behavior: { type: "static", output: 5 } }])
      yield* node.reset()
      const after = yield* Effect.promise(() => get(node.url, "/__mock/containers"))
      assert.deepStrictEqual(after.json(), [{ id: "c", behavior: { type: "echo" } }])
    }).pipe(Effect.scoped)
  )
})
