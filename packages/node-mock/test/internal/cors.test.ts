// `--cors` / `mock.cors` / `startMockNode({ cors })`: the mock as a CORS-adding proxy in front of a real node.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { MockConfig, MockNodeError } from "../../src/index.js"
import { ALLOW_METHODS, EXPOSE_HEADERS, MAX_AGE_SECONDS, originProblem } from "../../src/internal/cors.js"
import { type RawResponse, request } from "../utils/http.js"
import { containers, withNetwork, withNode } from "../utils/node.js"

const PAGE = "http://localhost:5173"
const OTHER = "http://evil.example"

const preflight = (url: string, path: string, origin: string, method = "POST", headers = "content-type") =>
  request(url, path, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers }
  })

const corsHeaders = (response: RawResponse) =>
  Object.fromEntries(
    Object.entries(response.headers).filter(([name]) => name.startsWith("access-control-") || name === "vary")
  )

const job = { containers: ["echo"], data: { a: 1 } }
const config = (mock: MockConfig.Input["mock"] = {}) =>
  containers(
    [
      { id: "echo", behavior: { type: "echo" } },
      { id: "words", behavior: { type: "stream", text: "a b c" } }
    ],
    mock
  )

describe("originProblem", () => {
  it("accepts * and origins as browsers send them, and says what is wrong with anything else", () => {
    for (const ok of ["*", "http://localhost:5173", "https://app.example.com", "http://[::1]:3000"]) {
      assert.isUndefined(originProblem(ok), ok)
    }
    assert.include(originProblem("http://localhost:5173/")!, 'did you mean "http://localhost:5173"?')
    assert.include(originProblem("http://localhost:5173/app")!, 'did you mean "http://localhost:5173"?')
    assert.include(originProblem("HTTP://LOCALHOST:5173")!, 'did you mean "http://localhost:5173"?')
    assert.include(originProblem("localhost:5173")!, 'expected "*" or an origin such as "http://localhost:5173"')
    assert.include(originProblem("")!, "expected")
  })
})

describe("CORS off (the default, as on the real node)", () => {
  it("sends no CORS headers and answers a preflight as the node does (200 with Allow, no Access-Control-*)", async () => {
    await withNode({ config: config() }, async (node) => {
      assert.deepStrictEqual(node.config.mock.cors, [])
      const pre = await preflight(node.url, "/api/jobs", PAGE)
      assert.strictEqual(pre.status, 200)
      assert.strictEqual(pre.headers.allow, "GET, HEAD, OPTIONS, POST")
      assert.deepStrictEqual(corsHeaders(pre), {})
      const created = await request(node.url, "/api/jobs", { body: job, headers: { origin: PAGE } })
      assert.strictEqual(created.status, 200)
      assert.deepStrictEqual(corsHeaders(created), {})
    })
  })
})

describe("CORS for listed origins", () => {
  for (const fastPath of [true, false]) {
    it(`answers preflights and adds the headers to every answer, errors and streams included (fast_path ${fastPath})`, async () => {
      await withNode(
        {
          config: config({
            fast_path: fastPath,
            rate_limit: {
              limit: 1000,
              period_seconds: 60,
              routes: { "POST /api/jobs": { limit: 1, period_seconds: 60 } }
            }
          }),
          cors: [PAGE]
        },
        async (node) => {
          assert.deepStrictEqual(node.config.mock.cors, [PAGE])
          const pre = await preflight(node.url, "/api/jobs", PAGE, "POST", "content-type, x-request-id")
          assert.strictEqual(pre.status, 204)
          assert.strictEqual(pre.text, "")
          assert.deepStrictEqual(corsHeaders(pre), {
            "access-control-allow-origin": PAGE,
            "access-control-allow-methods": ALLOW_METHODS,
            "access-control-allow-headers": "content-type, x-request-id",
            "access-control-max-age": String(MAX_AGE_SECONDS),
            vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
          })
          // A preflight to a path the node does not have is answered too (a proxy does); the request then gets a 404
          // the page can read.
          assert.strictEqual((await preflight(node.url, "/nope", PAGE)).status, 204)

          const expected = {
            "access-control-allow-origin": PAGE,
            "access-control-expose-headers": EXPOSE_HEADERS,
            vary: "Origin"
          }
          const created = await request(node.url, "/api/jobs", { body: job, headers: { origin: PAGE } })
          assert.strictEqual(created.status, 200)
          assert.deepStrictEqual(corsHeaders(created), expected)
          const limited = await request(node.url, "/api/jobs", { body: job, headers: { origin: PAGE } })
          assert.strictEqual(limited.status, 429)
          assert.deepStrictEqual(corsHeaders(limited), expected)
          const rejected = await request(node.url, "/api/jobs/batch", {
            body: [{ containers: ["x"], data: {} }],
            headers: { origin: PAGE }
          })
          assert.strictEqual(rejected.status, 200)
          assert.deepStrictEqual(corsHeaders(rejected), expected)
          const missing = await request(node.url, "/nope", { headers: { origin: PAGE } })
          assert.strictEqual(missing.status, 404)
          assert.deepStrictEqual(corsHeaders(missing), expected)
          const wrongMethod = await request(node.url, "/health", {
            method: "POST",
            body: "x",
            headers: { origin: PAGE }
          })
          assert.strictEqual(wrongMethod.status, 405)
          assert.deepStrictEqual(corsHeaders(wrongMethod), expected)
          const tooDeep = await request(node.url, "/api/jobs/batch", {
            body: "[".repeat(600),
            headers: { origin: PAGE, "content-type": "application/json" }
          })
          assert.strictEqual(tooDeep.status, 400)
          assert.deepStrictEqual(corsHeaders(tooDeep), expected)

          const stream = await request(node.url, "/api/jobs/stream", {
            body: { containers: ["words"], data: {} },
            headers: { origin: PAGE }
          })
          assert.strictEqual(stream.status, 200)
          assert.match(stream.text, /^[0-9a-f-]{36}\na b c$/)
          assert.deepStrictEqual(corsHeaders(stream), expected)

          // The preflight is in the request log, as received; it created nothing.
          const log = await node.requests()
          assert.deepStrictEqual(
            log.filter((r) => r.method === "OPTIONS").map((r) => [r.path, r.status]),
            [
              ["/api/jobs", 204],
              ["/nope", 204]
            ]
          )
        }
      )
    })
  }

  it("gives other origins (and requests without Origin) no CORS headers, only Vary: Origin", async () => {
    await withNode({ config: config({ cors: [PAGE] }) }, async (node) => {
      assert.deepStrictEqual(node.config.mock.cors, [PAGE], "from mock.cors in the configuration")
      const pre = await preflight(node.url, "/api/jobs", OTHER)
      assert.strictEqual(pre.status, 200, "the node's own OPTIONS answer")
      assert.deepStrictEqual(corsHeaders(pre), { vary: "Origin" })
      const other = await request(node.url, "/info", { headers: { origin: OTHER } })
      assert.strictEqual(other.status, 200)
      assert.deepStrictEqual(corsHeaders(other), { vary: "Origin" })
      const none = await request(node.url, "/info")
      assert.deepStrictEqual(corsHeaders(none), { vary: "Origin" })
    })
  })

  it('"*" answers every origin with Access-Control-Allow-Origin: * (no Vary)', async () => {
    await withNode({ config: config(), cors: "*" }, async (node) => {
      const pre = await preflight(node.url, "/api/jobs/stream", OTHER)
      assert.strictEqual(pre.status, 204)
      assert.strictEqual(pre.headers["access-control-allow-origin"], "*")
      assert.isUndefined(pre.headers.vary)
      const info = await request(node.url, "/info", { headers: { origin: OTHER } })
      assert.deepStrictEqual(corsHeaders(info), {
        "access-control-allow-origin": "*",
        "access-control-expose-headers": EXPOSE_HEADERS
      })
    })
  })

  it("keeps the control API without CORS headers (a page on another origin cannot read it)", async () => {
    await withNode({ config: config(), cors: ["*"] }, async (node) => {
      const jobs = await request(node.url, "/__mock/jobs", { headers: { origin: PAGE } })
      assert.strictEqual(jobs.status, 200)
      assert.deepStrictEqual(corsHeaders(jobs), {})
      const pre = await preflight(node.url, "/__mock/reset", PAGE)
      assert.notStrictEqual(pre.status, 204)
      assert.deepStrictEqual(corsHeaders(pre), {})
    })
  })

  it("refuses a bad origin in the options or the configuration, naming it", async () => {
    const fromOptions = await withNode(
      { config: config(), cors: [PAGE, "http://localhost:5173/"] },
      async () => "started"
    ).catch((e) => e)
    assert.instanceOf(fromOptions, MockNodeError.MockNodeError)
    assert.strictEqual(
      (fromOptions as MockNodeError.MockNodeError).message,
      'options: cors[1]: expected "*" or an origin (scheme, host and port only, as a browser sends it), got "http://localhost:5173/"; did you mean "http://localhost:5173"?'
    )
    const fromConfig = await Effect.runPromise(Effect.flip(MockConfig.decode(config({ cors: ["localhost:5173"] }))))
    assert.strictEqual(
      fromConfig.message,
      'options: mock.cors[0]: expected "*" or an origin such as "http://localhost:5173", got "localhost:5173"'
    )
  })

  it("a mock network passes cors to its nodes", async () => {
    await withNetwork({ nodes: [{ cors: [PAGE] }, {}], router: false }, async (network) => {
      const [first, second] = network.nodes
      const a = await request(first!.url, "/health", { headers: { origin: PAGE } })
      assert.strictEqual(a.headers["access-control-allow-origin"], PAGE)
      const b = await request(second!.url, "/health", { headers: { origin: PAGE } })
      assert.isUndefined(b.headers["access-control-allow-origin"])
    })
  })
})
