// Wire conventions shared by every route: canonical JSON, HTML framework errors, methods, the body limit.
import { request as httpRequest } from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { get, post, request } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const NOT_FOUND_PAGE =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
const METHOD_NOT_ALLOWED_PAGE =
  "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"

describe("wire conventions", () => {
  it("writes JSON in the node's canonical form", () =>
    withNode(
      {
        config: {
          containers: [{ id: "café", image: "img", description: 'Café ☕ "quoted"', behavior: { type: "echo" } }],
          mock: { version: "9.9.9" }
        }
      },
      async (node) => {
        const res = await get(node.url, "/info")
        assert.strictEqual(res.status, 200)
        assert.strictEqual(res.headers["content-type"], "application/json")
        assert.strictEqual(
          res.text,
          '{"chain":{"address":"","enabled":false},"containers":[{"description":"Caf\\u00e9 \\u2615 \\"quoted\\"","external":true,"id":"caf\\u00e9","image":"img"}],"pending":{"offchain":0,"onchain":0},"version":"9.9.9"}\n'
        )
      }
    ))

  it("answers unknown paths with the framework's HTML 404", () =>
    withNode(undefined, async (node) => {
      for (const path of ["/nope", "/api/job", "/info/", "/__mock/nope", "/api/jobs/batch/x"]) {
        const res = await get(node.url, path)
        assert.strictEqual(res.status, 404, path)
        assert.strictEqual(res.headers["content-type"], "text/html; charset=utf-8")
        assert.strictEqual(res.text, NOT_FOUND_PAGE)
      }
    }))

  it("answers a wrong method with HTML 405 and an Allow header", () =>
    withNode(undefined, async (node) => {
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        ["GET", "/api/jobs/batch", "OPTIONS, POST"],
        ["GET", "/api/jobs/stream", "OPTIONS, POST"],
        ["DELETE", "/api/jobs", "GET, HEAD, OPTIONS, POST"],
        ["POST", "/health", "GET, HEAD, OPTIONS"],
        ["POST", "/info", "GET, HEAD, OPTIONS"],
        ["GET", "/api/status", "OPTIONS, PUT"],
        ["PATCH", "/resources", "GET, HEAD, OPTIONS"]
      ]
      for (const [method, path, allow] of cases) {
        const res = await request(node.url, path, { method })
        assert.strictEqual(res.status, 405, `${method} ${path}`)
        assert.strictEqual(res.headers.allow, allow)
        assert.strictEqual(res.headers["content-type"], "text/html; charset=utf-8")
        assert.strictEqual(res.text, METHOD_NOT_ALLOWED_PAGE)
      }
    }))

  it("answers OPTIONS with the allowed methods and HEAD like GET without a body", () =>
    withNode(undefined, async (node) => {
      const options = await request(node.url, "/api/jobs", { method: "OPTIONS" })
      assert.strictEqual(options.status, 200)
      assert.strictEqual(options.headers.allow, "GET, HEAD, OPTIONS, POST")
      assert.strictEqual(options.text, "")
      const head = await request(node.url, "/health", { method: "HEAD" })
      assert.strictEqual(head.status, 200)
      assert.strictEqual(head.headers["content-type"], "application/json")
      assert.strictEqual(head.text, "")
    }))

  it("limits request bodies (413), whether the length is declared or not", () =>
    withNode({ config: { containers: [{ id: "echo" }], mock: { max_body_bytes: 1024 } } }, async (node) => {
      const big = JSON.stringify({ containers: ["echo"], data: { text: "x".repeat(2000) } })
      const declared = await post(node.url, "/api/jobs", big, { headers: { "content-type": "application/json" } })
      assert.strictEqual(declared.status, 413)
      assert.strictEqual(declared.headers["content-type"], "text/html; charset=utf-8")
      assert.include(declared.text, "<title>413 Request Entity Too Large</title>")

      // Chunked: no Content-Length, the limit is found while reading.
      const chunked = await new Promise<number>((resolve, reject) => {
        const url = new URL("/api/jobs/batch", node.url)
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent: false },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          }
        )
        req.on("error", reject)
        for (let i = 0; i < 10; i++) req.write(`${"x".repeat(200)}`)
        req.end()
      })
      assert.strictEqual(chunked, 413)

      const small = await post(node.url, "/api/jobs", { containers: ["echo"], data: { text: "x".repeat(500) } })
      assert.strictEqual(small.status, 200)
    }))

  it("accepts a body of the real node's 16 MiB limit and refuses one byte more", () =>
    withNode({ config: { containers: [{ id: "echo" }] } }, async (node) => {
      const envelope = '{"containers":["echo"],"data":{"t":""}}'
      const fill = 16 * 1024 * 1024 - envelope.length
      const exact = `{"containers":["echo"],"data":{"t":"${"x".repeat(fill)}"}}`
      assert.strictEqual(Buffer.byteLength(exact), 16 * 1024 * 1024)
      const ok = await post(node.url, "/api/jobs", exact, { headers: { "content-type": "application/json" } })
      assert.strictEqual(ok.status, 200)
      const over = await post(node.url, "/api/jobs", `${exact} `, { headers: { "content-type": "application/json" } })
      assert.strictEqual(over.status, 413)
    }))
})
