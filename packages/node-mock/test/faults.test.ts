// Hostile but fair clients (issue 14): incomplete requests, deep nesting, foreign control-API callers, bodies held
// in flight, slow and idle connections, bad encodings. Each row is a fault that once broke the mock.
import { assert, describe, it } from "@effect/vitest"
import type { AddressInfo } from "node:net"
import { createServer } from "node:http"
import { networkInterfaces } from "node:os"
import { Json } from "@infernet/types"
import type { MockConfig, MockNodeOptions } from "../src/index.js"
import { get, post, put, request } from "./utils/http.js"
import { withNode } from "./utils/node.js"
import { exchange, head } from "./utils/raw.js"
import { v0Body } from "./utils/subscriptions.js"

const containers: MockConfig.Input["containers"] = [
  { id: "echo", behavior: { type: "echo" } },
  { id: "hello", behavior: { type: "hello-world" } },
  { id: "completion", behavior: { type: "completion" } },
  { id: "stream", behavior: { type: "stream", chunk_delay_ms: 0 } }
]

const options = (fastPath: boolean, mock: MockConfig.Input["mock"] = {}): MockNodeOptions => ({
  config: { containers, chain: { enabled: true }, mock: { fast_path: fastPath, ...mock } }
})

const JOB = JSON.stringify({ containers: ["echo"], data: { a: 1 } })

const JSON_TYPE = { headers: { "content-type": "application/json" } }

const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`

const isOneLineJsonError = (text: string): boolean => {
  if (!text.endsWith("\n") || text.slice(0, -1).includes("\n")) return false
  const body = JSON.parse(text) as { error?: unknown }
  return typeof body.error === "string" && body.error.length > 0
}

for (const fastPath of [true, false]) {
  const path = fastPath ? "fast path" : "platform path"

  describe(`incomplete requests (${path})`, () => {
    it("a body shorter than its Content-Length, then a hang-up, creates no job", () =>
      withNode(options(fastPath), async (node) => {
        // The whole job is there, but the request declared more bytes than it sent.
        await exchange(node.port, {
          chunks: [head("POST", "/api/jobs", { "content-length": JOB.length + 10 }), JOB],
          hangUpAfterMs: 50
        })
        await exchange(node.port, {
          chunks: [head("POST", "/api/jobs/batch", { "content-length": JOB.length + 12 }), `[${JOB}]`],
          hangUpAfterMs: 50
        })
        await exchange(node.port, {
          chunks: [head("POST", "/api/jobs/stream", { "content-length": JOB.length + 10 }), JOB],
          hangUpAfterMs: 50
        })
        await new Promise((resolve) => setTimeout(resolve, 50))
        assert.deepStrictEqual(await node.jobs(), [])
        assert.strictEqual((await get(node.url, "/health")).status, 200)
      }))

    it("a chunked body without its terminating chunk, then a hang-up, creates no job", () =>
      withNode(options(fastPath), async (node) => {
        const chunk = `${JOB.length.toString(16)}\r\n${JOB}\r\n`
        for (const route of ["/api/jobs", "/api/jobs/stream"]) {
          await exchange(node.port, {
            chunks: [head("POST", route, { "transfer-encoding": "chunked" }), chunk],
            hangUpAfterMs: 50
          })
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
        assert.deepStrictEqual(await node.jobs(), [])
        // The same bytes with the terminator make a job: the test can tell the two apart.
        const whole = await exchange(node.port, {
          chunks: [head("POST", "/api/jobs", { "transfer-encoding": "chunked" }), `${chunk}0\r\n\r\n`],
          untilAnswer: true
        })
        assert.strictEqual(whole.status, 200)
        assert.strictEqual((await node.jobs()).length, 1)
      }))
  })

  describe(`deep nesting (${path})`, () => {
    it("a job nested deeper than mock.max_json_depth is refused with 400, and listings keep working", () =>
      withNode(options(fastPath), async (node) => {
        for (const [container, depth] of [
          ["hello", 5000],
          ["echo", 5000],
          ["completion", 100_000],
          ["stream", 100_000]
        ] as const) {
          const route = container === "stream" ? "/api/jobs/stream" : "/api/jobs"
          const res = await post(
            node.url,
            route,
            `{"containers":["${container}"],"data":{"x":${nested(depth)}}}`,
            JSON_TYPE
          )
          assert.strictEqual(res.status, 400, `${container} at depth ${depth}`)
          assert.isTrue(isOneLineJsonError(res.text), res.text)
          assert.match(res.json().error, /nested deeper than 512 levels/)
        }
        assert.deepStrictEqual(await node.jobs(), [])
        // The request log shows what was refused.
        const logged = (await node.requests()).filter((r) => r.status === 400)
        assert.strictEqual(logged.length, 4)
        assert.isTrue(logged.every((r) => r.body?.startsWith('{"containers":[') === true))
        // Every body-reading route checks the depth; the limit itself is fine.
        const batch = await post(
          node.url,
          "/api/jobs/batch",
          `[{"containers":["echo"],"data":{"x":${nested(600)}}}]`,
          JSON_TYPE
        )
        assert.strictEqual(batch.status, 400)
        const behaviour = await put(
          node.url,
          "/__mock/containers/echo",
          `{"type":"static","output":${nested(100_000)}}`,
          JSON_TYPE
        )
        assert.strictEqual(behaviour.status, 400)
        assert.isTrue(isOneLineJsonError(behaviour.text), behaviour.text)
        const status = await put(
          node.url,
          "/api/status",
          `{"id":"a","status":"running","containers":${nested(600)}}`,
          JSON_TYPE
        )
        assert.strictEqual(status.status, 400)
        const ok = await post(node.url, "/api/jobs", `{"containers":["echo"],"data":{"x":${nested(500)}}}`, JSON_TYPE)
        assert.strictEqual(ok.status, 200)
        const id = ok.json().id as string
        const listing = await get(node.url, "/__mock/jobs")
        assert.strictEqual(listing.status, 200)
        assert.strictEqual(listing.json().length, 1)
        const result = await get(node.url, `/api/jobs?id=${id}`)
        assert.strictEqual(result.status, 200)
        assert.strictEqual(result.json()[0].status, "success")
      }))

    it("mock.max_json_depth sets the limit", () =>
      withNode(options(fastPath, { max_json_depth: 3 }), async (node) => {
        const deep = await post(node.url, "/api/jobs", { containers: ["echo"], data: { a: { b: [1] } } })
        assert.strictEqual(deep.status, 400)
        assert.strictEqual(deep.json().error, "Bad request: JSON nested deeper than 3 levels")
        const ok = await post(node.url, "/api/jobs", { containers: ["echo"], data: { a: [1] } })
        assert.strictEqual(ok.status, 200)
      }))

    it("bodies at the largest limit (1000 levels) run and list", () =>
      withNode(options(fastPath, { max_json_depth: 1000 }), async (node) => {
        const ids: Array<string> = []
        for (const container of ["echo", "hello", "completion"]) {
          const res = await post(
            node.url,
            "/api/jobs",
            `{"containers":["${container}"],"data":{"x":${nested(998)}}}`,
            JSON_TYPE
          )
          assert.strictEqual(res.status, 200, res.text)
          ids.push(res.json().id)
        }
        const results = await get(node.url, `/api/jobs?${ids.map((id) => `id=${id}`).join("&")}`)
        assert.strictEqual(results.status, 200)
        assert.deepStrictEqual(
          results.json().map((job: { status: string }) => job.status),
          ["success", "success", "success"]
        )
        assert.strictEqual((await get(node.url, "/__mock/jobs")).status, 200)
      }))
  })

  describe(`encodings (${path})`, () => {
    it("invalid UTF-8 in a JSON body is refused with 400", () =>
      withNode(options(fastPath), async (node) => {
        const bytes = Buffer.concat([
          Buffer.from('{"containers":["echo"],"data":{"a":"'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}}')
        ])
        const res = await exchange(node.port, {
          chunks: [head("POST", "/api/jobs", { "content-length": bytes.length }), bytes],
          untilAnswer: true
        })
        assert.strictEqual(res.status, 400)
        const body = res.text.slice(res.text.indexOf("\r\n\r\n") + 4)
        assert.strictEqual(body, '{"error":"Bad request: the body is not valid UTF-8"}\n')
        assert.deepStrictEqual(await node.jobs(), [])
      }))

    it("a container path with bad percent-encoding answers 400 with one line of JSON", () =>
      withNode(options(fastPath), async (node) => {
        const res = await put(node.url, "/__mock/containers/%E0%A4%A", "echo")
        assert.strictEqual(res.status, 400)
        assert.isTrue(isOneLineJsonError(res.text), res.text)
      }))

    it("a v0 subscription with bad inputs names subscription.inputs", () =>
      withNode(options(fastPath), async (node) => {
        for (const inputs of ["", "zz", "0x12g4"]) {
          const res = await post(node.url, "/api/jobs", v0Body({ subscription: { inputs } }))
          assert.strictEqual(res.status, 500)
          assert.match(res.json().error, /subscription\.inputs/, res.text)
          assert.notMatch(res.json().error, /containers/)
        }
      }))
  })
}

describe("jobs the mock cannot write", () => {
  it("a proxied container's deeply nested output fails a chain that cannot take it, and never fails a listing", async () => {
    // A real container answering JSON nested far deeper than anything the mock accepts in a request.
    const deep = `{"x":${nested(100_000)}}`
    const container = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(deep)
    })
    await new Promise<void>((resolve) => container.listen(0, "127.0.0.1", resolve))
    const url = `http://127.0.0.1:${(container.address() as AddressInfo).port}`
    try {
      await withNode(
        { config: { containers: [...containers, { id: "real", behavior: { type: "proxy", url } }] } },
        async (node) => {
          const alone = (await post(node.url, "/api/jobs", { containers: ["real"], data: {} })).json().id
          const chained = (await post(node.url, "/api/jobs", { containers: ["real", "hello"], data: {} })).json().id
          const ok = (await post(node.url, "/api/jobs", { containers: ["echo"], data: { a: 1 } })).json().id
          const deadline = Date.now() + 5000
          let jobs: Array<any> = []
          for (;;) {
            const res = await get(node.url, `/api/jobs?id=${alone}&id=${chained}&id=${ok}`)
            assert.strictEqual(res.status, 200)
            jobs = res.json()
            if (jobs.length === 3 && jobs.every((job) => job.status !== "running")) break
            assert.isBelow(Date.now(), deadline, res.text)
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
          const byId = new Map(jobs.map((job) => [job.id, job]))
          assert.deepStrictEqual(byId.get(ok).result, { container: "echo", output: { a: 1 } })
          // The chain's second container cannot take that input: the job fails saying so, instead of staying running.
          assert.strictEqual(byId.get(chained).status, "failed")
          assert.strictEqual(byId.get(chained).result.container, "hello")
          assert.match(
            byId.get(chained).result.error,
            /^node-mock: the container crashed: Maximum call stack size exceeded/
          )
          // The output alone is stored and written back whole (@infernet/types writes JSON of any depth).
          assert.strictEqual(byId.get(alone).status, "success")
          assert.strictEqual(Json.canonical(byId.get(alone).result.output), Json.canonical(JSON.parse(deep)))
          const listing = await get(node.url, "/__mock/jobs")
          assert.strictEqual(listing.status, 200)
          assert.strictEqual(listing.json().length, 3)
        }
      )
    } finally {
      container.close()
    }
  })
})

const externalAddress = (): string | undefined => {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === "IPv4" && !entry.internal) return entry.address
  }
  return undefined
}

describe("control API access", () => {
  const external = externalAddress()

  it.skipIf(external === undefined)("answers loopback clients only, unless mock.control_open", () =>
    withNode({ ...options(true), host: "0.0.0.0" }, async (node) => {
      const base = `http://${external}:${node.port}`
      const foreign = await get(base, "/__mock/jobs", { localAddress: external! })
      assert.strictEqual(foreign.status, 403)
      assert.isTrue(isOneLineJsonError(foreign.text), foreign.text)
      assert.match(foreign.json().error, /^Unauthorized/)
      const reset = await post(base, "/__mock/reset", undefined, { localAddress: external! })
      assert.strictEqual(reset.status, 403)
      // The real node's routes still answer that client.
      assert.strictEqual((await get(base, "/health", { localAddress: external! })).status, 200)
      assert.strictEqual((await get(node.url, "/__mock/jobs")).status, 200)
      assert.strictEqual((await get(node.url, "/__mock/jobs", { localAddress: "127.0.0.2" })).status, 200)
    })
  )

  it("answers IPv6 loopback clients", () =>
    withNode({ ...options(true), host: "::1" }, async (node) => {
      assert.strictEqual(node.url, `http://[::1]:${node.port}`)
      const res = await get(node.url, "/__mock/jobs")
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.text, "[]\n")
    }))

  it.skipIf(external === undefined)("mock.control_open opens it to every client", () =>
    withNode({ ...options(true, { control_open: true }), host: "0.0.0.0" }, async (node) => {
      const res = await get(`http://${external}:${node.port}`, "/__mock/jobs", { localAddress: external! })
      assert.strictEqual(res.status, 200)
    })
  )
})

describe("bytes in flight", () => {
  for (const fastPath of [true, false]) {
    it(`bodies beyond mock.max_inflight_bytes get 503 until the held ones are done (${fastPath ? "fast" : "platform"})`, () =>
      withNode(options(fastPath, { max_body_bytes: 6000, max_inflight_bytes: 10_000 }), async (node) => {
        const body = JSON.stringify({ containers: ["echo"], data: { x: "x".repeat(5000) } })
        // One client sends half its body and holds it.
        const held = exchange(node.port, {
          chunks: [head("POST", "/api/jobs", { "content-length": body.length }), body.slice(0, 100), body.slice(100)],
          delayMs: 300,
          untilAnswer: true
        })
        await new Promise((resolve) => setTimeout(resolve, 100))
        const refused = await post(node.url, "/api/jobs", body, JSON_TYPE)
        assert.strictEqual(refused.status, 503)
        assert.isTrue(isOneLineJsonError(refused.text), refused.text)
        assert.strictEqual(refused.headers["retry-after"], "1")
        // Small bodies still fit beside the held one.
        assert.strictEqual((await post(node.url, "/api/jobs", JOB, JSON_TYPE)).status, 200)
        assert.strictEqual((await held).status, 200)
        // Released: the same body is accepted now.
        assert.strictEqual((await post(node.url, "/api/jobs", body, JSON_TYPE)).status, 200)
        assert.strictEqual((await node.jobs()).length, 3)
        // A client that hangs up mid-body releases what it held, on either path (twice: more than the budget).
        for (const route of ["/api/jobs", "/api/jobs/stream", "/api/jobs"]) {
          await exchange(node.port, {
            chunks: [head("POST", route, { "content-length": body.length }), body.slice(0, 100)],
            hangUpAfterMs: 30
          })
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
        assert.strictEqual((await post(node.url, "/api/jobs", body, JSON_TYPE)).status, 200)
        assert.strictEqual((await node.jobs()).length, 4)
      }))
  }
})

describe("connection hygiene", () => {
  const short = { headers_timeout_ms: 300, request_timeout_ms: 600, keep_alive_timeout_ms: 200 }

  it("closes a connection that sends nothing within the header timeout", () =>
    withNode(options(true, short), async (node) => {
      const res = await exchange(node.port, { waitMs: 5000 })
      assert.isTrue(res.closedByServer)
      assert.isBelow(res.elapsedMs, 3000)
    }))

  it("drops a body sent at a byte at a time within the request timeout, and creates no job", () =>
    withNode(options(true, short), async (node) => {
      const chunks = [head("POST", "/api/jobs", { "content-length": JOB.length }), ...JOB.split("")]
      const res = await exchange(node.port, { chunks, delayMs: 100, waitMs: 5000 })
      assert.isTrue(res.closedByServer)
      assert.isBelow(res.elapsedMs, JOB.length * 100)
      assert.deepStrictEqual(await node.jobs(), [])
    }))

  it("closes an idle keep-alive connection after the keep-alive timeout", () =>
    withNode(options(true, short), async (node) => {
      const res = await exchange(node.port, { chunks: ["GET /health HTTP/1.1\r\nhost: x\r\n\r\n"], waitMs: 5000 })
      assert.strictEqual(res.status, 200)
      assert.isTrue(res.closedByServer)
      assert.isBelow(res.elapsedMs, 3000)
    }))

  it("lets an answer run past the request timeout: only receiving the request is timed", () =>
    withNode(
      {
        config: {
          containers: [
            {
              id: "slow-stream",
              behavior: { type: "stream", text: "one two three four five six seven eight", chunk_delay_ms: 150 }
            }
          ],
          mock: short
        }
      },
      async (node) => {
        const started = Date.now()
        const res = await post(node.url, "/api/jobs/stream", { containers: ["slow-stream"], data: {} })
        assert.isAbove(Date.now() - started, short.request_timeout_ms)
        assert.strictEqual(res.status, 200)
        assert.match(res.text, /^[0-9a-f-]{36}\none two three four five six seven eight$/)
      }
    ))

  it("refuses connections beyond mock.max_connections", () =>
    withNode(options(true, { max_connections: 2 }), async (node) => {
      const idle = [exchange(node.port, { waitMs: 1500 }), exchange(node.port, { waitMs: 1500 })]
      await new Promise((resolve) => setTimeout(resolve, 100))
      const third = await exchange(node.port, { chunks: ["GET /health HTTP/1.1\r\nhost: x\r\n\r\n"], waitMs: 1000 })
      assert.strictEqual(third.status, 0)
      assert.isTrue(third.closedByServer)
      for (const done of await Promise.all(idle)) assert.isFalse(done.closedByServer)
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.strictEqual((await request(node.url, "/health")).status, 200)
    }))
})
