// PUT /api/status: local callers only, the usage page's example with its trailing commas, and the error cases.
import { assert, describe, it } from "@effect/vitest"
import { get, put, request } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const JOB = "d77215c8-dd25-4843-89c4-788eef9ed324"

// The usage page's cURL bodies, verbatim: note the comma before the closing brace.
const pageBody = (status: string) => `{
            "id": "d77215c8-dd25-4843-89c4-788eef9ed324",
            "status": "${status}",
            "containers": ["openai-inference"],
        }`

describe("PUT /api/status", () => {
  it("records the usage page's example as written (trailing commas tolerated)", () =>
    withNode(undefined, async (node) => {
      const headers = { "content-type": "application/json" }
      const running = await request(node.url, "/api/status", { method: "PUT", body: pageBody("running"), headers })
      assert.strictEqual(running.status, 200)
      assert.strictEqual(running.headers["content-type"], "application/json")
      assert.strictEqual(running.text, "null\n")
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=pending")).json(), [JOB])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${JOB}`)).json(), [
        { id: JOB, status: "running", result: null }
      ])

      const success = await request(node.url, "/api/status", { method: "PUT", body: pageBody("success"), headers })
      assert.strictEqual(success.status, 200)
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=pending")).json(), [])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=completed")).json(), [JOB])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${JOB}&intermediate=true`)).json(), [
        { id: JOB, status: "success", result: null, intermediate_results: [] }
      ])
      const log = await node.requests()
      assert.deepStrictEqual(
        log.map((r) => [r.method, r.path, r.status, r.tolerated]),
        [
          ["PUT", "/api/status", 200, "trailing_commas"],
          ["GET", "/api/jobs", 200, undefined],
          ["GET", "/api/jobs", 200, undefined],
          ["PUT", "/api/status", 200, "trailing_commas"],
          ["GET", "/api/jobs", 200, undefined],
          ["GET", "/api/jobs", 200, undefined],
          ["GET", "/api/jobs", 200, undefined]
        ]
      )
    }))

  it("refuses callers that are not local with 403 Unauthorized (what counts as local is configurable)", () =>
    withNode({ config: { mock: { local_addresses: ["127.0.0.1"] } } }, async (node) => {
      const body = { id: JOB, status: "running", containers: ["x"] }
      const remote = await put(node.url, "/api/status", body, { localAddress: "127.0.0.2" })
      assert.strictEqual(remote.status, 403)
      assert.strictEqual(remote.text, '{"error":"Unauthorized"}\n')
      const local = await put(node.url, "/api/status", body)
      assert.strictEqual(local.status, 200)
    }))

  it("treats the whole loopback range as local by default, and records the status for that client only", () =>
    withNode(undefined, async (node) => {
      const res = await put(
        node.url,
        "/api/status",
        { id: JOB, status: "failed", containers: [] },
        { localAddress: "127.0.0.2" }
      )
      assert.strictEqual(res.status, 200)
      assert.deepStrictEqual((await get(node.url, "/api/jobs", { localAddress: "127.0.0.2" })).json(), [JOB])
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${JOB}`, { localAddress: "127.0.0.2" })).json(), [
        { id: JOB, status: "failed", result: null }
      ])
    }))

  it("answers 400 for an unknown status and 500 for a malformed body", () =>
    withNode(undefined, async (node) => {
      for (const status of ["done", "failure", 5, ""]) {
        const res = await put(node.url, "/api/status", { id: JOB, status, containers: ["x"] })
        assert.strictEqual(res.status, 400, String(status))
        assert.strictEqual(res.text, '{"error":"Status is invalid"}\n')
      }
      const malformed: ReadonlyArray<unknown> = [
        "not json",
        [1],
        { status: "running", containers: ["x"] },
        { id: JOB, containers: ["x"] },
        { id: JOB, status: "running" },
        { id: JOB, status: "running", containers: "x" },
        { id: 5, status: "running", containers: ["x"] }
      ]
      for (const body of malformed) {
        const res = await put(node.url, "/api/status", body)
        assert.strictEqual(res.status, 500, JSON.stringify(body))
        assert.strictEqual(res.text, '{"error":"Could not store job status"}\n')
      }
    }))
})
