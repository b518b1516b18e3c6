// The fast request path (the default) and the `@effect/platform` pipeline (`mock.fast_path: false`) put the same
// bytes on the wire: one script of requests over every route and error row, sent to a node of each kind, must get
// the same statuses, headers and bodies (job ids and the Date header aside).
import { assert, describe, it } from "@effect/vitest"
import { vi } from "vitest"
import { connect, Server } from "node:net"
import { Effect } from "effect"
import { MockConfig, MockNode } from "../src/index.js"
import { httpTransport, type RawResponse, type Transport, transportOf } from "./utils/http.js"
import { v0Body } from "./utils/subscriptions.js"

type Step = (url: string, ids: ReadonlyArray<string>) => Promise<RawResponse>

const HELLO = { containers: ["hello-world"], data: { name: "Ritual" } }
const makeScript = ({ get, post, put, request }: Transport): ReadonlyArray<readonly [string, Step]> => [
  ["health", (url) => get(url, "/health")],
  ["HEAD health", (url) => request(url, "/health", { method: "HEAD" })],
  ["info", (url) => get(url, "/info")],
  ["info, rate limited", (url) => get(url, "/info")],
  ["resources", (url) => get(url, "/resources")],
  ["resources of a model", (url) => get(url, "/resources?model_id=gpt-4o")],
  ["job", (url) => post(url, "/api/jobs", HELLO)],
  ["chained job", (url) => post(url, "/api/jobs", { containers: ["echo", "echo"], data: { n: 1 } })],
  ["job that stays running", (url) => post(url, "/api/jobs", { containers: ["slow"], data: {} })],
  ["job with trailing commas", (url) => post(url, "/api/jobs", '{"containers": ["echo",], "data": {"a": 1,},}')],
  ["unknown container", (url) => post(url, "/api/jobs", { containers: ["nope"], data: {} })],
  ["invalid JSON", (url) => post(url, "/api/jobs", "{not json")],
  ["wrong content type", (url) => post(url, "/api/jobs", "{}", { headers: { "content-type": "text/plain" } })],
  ["not a job", (url) => post(url, "/api/jobs", { containers: "echo" })],
  [
    "nested too deep",
    (url) => post(url, "/api/jobs", `{"containers":["echo"],"data":${"[".repeat(600)}${"]".repeat(600)}}`)
  ],
  [
    "invalid UTF-8",
    (url) =>
      post(url, "/api/jobs", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), {
        headers: { "content-type": "application/json" }
      })
  ],
  [
    "v0 subscription with bad inputs",
    (url) => post(url, "/api/jobs", v0Body({ subscription: { container_id: "hello-world", inputs: "" } }))
  ],
  ["body over the limit", (url) => post(url, "/api/jobs", { containers: ["echo"], data: { x: "x".repeat(5000) } })],
  [
    "large body on a route that reads none",
    (url) => request(url, "/health", { method: "GET", body: "x".repeat(5000) })
  ],
  [
    "delegated subscription",
    (url) => post(url, "/api/jobs", v0Body({ subscription: { container_id: "hello-world" } }))
  ],
  ["batch", (url) => post(url, "/api/jobs/batch", [HELLO, { containers: ["nope"], data: {} }])],
  ["batch, not a list", (url) => post(url, "/api/jobs/batch", { a: 1 })],
  ["ids", (url) => get(url, "/api/jobs")],
  ["pending ids", (url) => get(url, "/api/jobs?pending=true")],
  ["completed ids, usage page form", (url) => get(url, "/api/jobs?status=completed")],
  ["results", (url, ids) => get(url, `/api/jobs?${ids.map((id) => `id=${id}`).join("&")}`)],
  ["results with intermediates", (url, ids) => get(url, `/api/jobs?id=${ids[1]}&intermediate=true`)],
  ["results of another client", (url, ids) => get(url, `/api/jobs?id=${ids[0]}`, { localAddress: "127.0.0.2" })],
  ["status", (url) => put(url, "/api/status", { id: "manual-1", status: "success", containers: ["echo"] })],
  ["status, invalid", (url) => put(url, "/api/status", { id: "manual-2", status: "done", containers: [] })],
  ["status, bad body", (url) => put(url, "/api/status", [1, 2])],
  ["unknown path", (url) => get(url, "/nope")],
  ["wrong method", (url) => request(url, "/api/jobs", { method: "DELETE" })],
  ["OPTIONS", (url) => request(url, "/api/jobs", { method: "OPTIONS" })],
  ["stream, wrong method", (url) => get(url, "/api/jobs/stream")],
  ["control: requests", (url) => get(url, "/__mock/requests")],
  ["control: jobs", (url) => get(url, "/__mock/jobs")],
  ["control: set behaviour", (url) => put(url, "/__mock/containers/echo", { type: "static", output: { ok: 1 } })],
  ["control: unknown container", (url) => put(url, "/__mock/containers/nope", "echo")],
  ["control: bad percent-encoding", (url) => put(url, "/__mock/containers/%E0%A4%A", "echo")],
  ["control: containers", (url) => get(url, "/__mock/containers")],
  ["control: subscriptions", (url) => get(url, "/__mock/subscriptions")],
  ["control: reset", (url) => post(url, "/__mock/reset", undefined)],
  ["ids after reset", (url) => get(url, "/api/jobs")]
]

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g

const config = (fastPath: boolean): MockConfig.Input => ({
  ...MockConfig.defaultConfig,
  containers: [
    ...MockConfig.defaultConfig.containers,
    { id: "echo", image: "echo", behavior: { type: "echo" } },
    { id: "slow", image: "slow", behavior: { type: "static", output: {}, latency_ms: 1000 } }
  ],
  mock: {
    ...MockConfig.defaultConfig.mock,
    max_body_bytes: 4096,
    rate_limit: { limit: 100, period_seconds: 60, routes: { "GET /info": { limit: 1, period_seconds: 60 } } },
    fast_path: fastPath
  }
})

const script = makeScript(httpTransport)

const run = (url: string, steps = script) =>
  Effect.promise(async () => {
    const ids: Array<string> = []
    const answers: Array<{ step: string; status: number; headers: Record<string, unknown>; text: string }> = []
    for (const [step, send] of steps) {
      const res = await send(url, ids)
      if (step.endsWith("job") && res.status === 200) ids.push(res.json().id)
      const { date: _date, ...headers } = res.headers
      // Content-Length is the same whatever the ids: every id has 36 characters.
      answers.push({ step, status: res.status, headers, text: res.text.replace(UUID, "<id>") })
    }
    return { ids, answers }
  })

describe("the fast request path", () => {
  it.effect("answers every route and error row exactly as the @effect/platform pipeline does", () =>
    Effect.gen(function* () {
      const fast = yield* MockNode.make({ config: config(true) })
      const platform = yield* MockNode.make({ config: config(false) })
      assert.isTrue(fast.config.mock.fast_path)
      assert.isFalse(platform.config.mock.fast_path)
      const a = yield* run(fast.url)
      const b = yield* run(platform.url)
      assert.strictEqual(a.ids.length, 2)
      for (let i = 0; i < script.length; i++) assert.deepStrictEqual(a.answers[i], b.answers[i], script[i]![0])
      // The script reached what it meant to: a few answers that would differ if a step went wrong.
      const byStep = new Map(a.answers.map((answer) => [answer.step, answer]))
      assert.strictEqual(byStep.get("info, rate limited")?.status, 429)
      assert.strictEqual(byStep.get("body over the limit")?.status, 413)
      assert.strictEqual(byStep.get("nested too deep")?.status, 400)
      assert.strictEqual(byStep.get("invalid UTF-8")?.status, 400)
      assert.match(byStep.get("v0 subscription with bad inputs")!.text, /subscription\.inputs/)
      assert.strictEqual(byStep.get("control: bad percent-encoding")?.status, 400)
      assert.strictEqual(byStep.get("large body on a route that reads none")?.status, 200)
      assert.strictEqual(byStep.get("results of another client")?.text, "[]\n")
      assert.strictEqual(byStep.get("ids after reset")?.text, "[]\n")
      assert.strictEqual(byStep.get("HEAD health")?.text, "")
      const subscriptions = JSON.parse(byStep.get("control: subscriptions")!.text)
      assert.strictEqual(subscriptions.length, 1)
    }).pipe(Effect.scoped)
  )

  it.effect("survives clients that hang up in the middle of a body or before the answer", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({ config: config(true) })
      const hangUp = (head: string, body: string) =>
        Effect.promise(
          () =>
            new Promise<void>((resolve, reject) => {
              const socket = connect(node.port, "127.0.0.1", () => {
                socket.write(`${head}\r\nhost: x\r\ncontent-type: application/json\r\n${body}`)
                setTimeout(() => socket.destroy(), 20)
              })
              socket.on("close", () => resolve())
              socket.on("error", reject)
            })
        )
      // Half a body of a declared length, then gone; a whole request, gone before reading the answer.
      yield* hangUp("POST /api/jobs HTTP/1.1", 'content-length: 1000\r\n\r\n{"containers": ["echo"], ')
      const job = JSON.stringify(HELLO)
      yield* hangUp("POST /api/jobs HTTP/1.1", `content-length: ${job.length}\r\n\r\n${job}`)
      const health = yield* Effect.promise(() => httpTransport.get(node.url, "/health"))
      assert.strictEqual(health.status, 200)
      const jobs = yield* node.jobs()
      assert.strictEqual(jobs.length, 1)
    }).pipe(Effect.scoped)
  )
})

// What only a socket can do: another source address, a GET with a body (fetch refuses to send one).
const SOCKET_ONLY = new Set(["results of another client", "large body on a route that reads none"])
// Headers of the HTTP server's own (connection management, framing); the rest must be the same.
const SERVER_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding"])

describe("the in-process fetch", () => {
  it.effect("answers every route and error row as the port does: same statuses, headers and bodies", () =>
    Effect.gen(function* () {
      const overHttp = yield* MockNode.make({ config: config(true) })
      const inProcess = yield* MockNode.make({ config: config(true), listen: false })
      assert.strictEqual(inProcess.url, "http://node-mock.invalid")
      assert.strictEqual(inProcess.port, 0)
      const steps = makeScript(transportOf(inProcess.fetch)).filter(([step]) => !SOCKET_ONLY.has(step))
      const a = yield* run(inProcess.url, steps)
      const b = yield* run(
        overHttp.url,
        script.filter(([step]) => !SOCKET_ONLY.has(step))
      )
      assert.strictEqual(a.ids.length, 2)
      const strip = (answer: (typeof a.answers)[number]) => ({
        ...answer,
        headers: Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !SERVER_HEADERS.has(name)))
      })
      for (let i = 0; i < steps.length; i++)
        assert.deepStrictEqual(strip(a.answers[i]!), strip(b.answers[i]!), steps[i]![0])
      const byStep = new Map(a.answers.map((answer) => [answer.step, answer]))
      assert.strictEqual(byStep.get("info, rate limited")?.status, 429)
      assert.strictEqual(byStep.get("body over the limit")?.status, 413)
      assert.strictEqual(byStep.get("invalid UTF-8")?.status, 400)
      assert.strictEqual(byStep.get("ids after reset")?.text, "[]\n")
    }).pipe(Effect.scoped)
  )

  it("opens no port with listen: false, streams, and rejects once the node is closed", async () => {
    const listen = vi.spyOn(Server.prototype, "listen")
    const node = await MockNode.start({ listen: false })
    assert.strictEqual(listen.mock.calls.length, 0)
    listen.mockRestore()
    const t = transportOf(node.fetch)
    const stream = await t.post(node.url, "/api/jobs/stream", {
      containers: ["openai-inference-streaming-0.0.1"],
      data: { text: "hi" }
    })
    assert.strictEqual(stream.status, 200)
    const id = stream.text.slice(0, stream.text.indexOf("\n"))
    assert.match(id, /^[0-9a-f-]{36}$/)
    assert.isAbove(stream.text.length, 40)
    const [job] = (await t.get(node.url, `/api/jobs?id=${id}`)).json()
    assert.strictEqual(job.status, "success")
    const [recorded] = await node.requests()
    assert.strictEqual(recorded?.client, "127.0.0.1")
    await node.close()
    const closed = await node.fetch(`${node.url}/health`).then(
      () => "answered",
      (error: unknown) => String(error)
    )
    assert.include(closed, "the mock node is closed")
  })
})
