// Record and replay over real HTTP: a mock node as the upstream, the recorder in front of it, then a second mock
// that replays the cassette.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { Json } from "@infernet/types"
import { Cassette, MockConfig, MockNode, startMockNode } from "../src/index.js"
import { globalSetup, optionsFromEnv } from "../src/vitest.js"
import { request } from "./utils/http.js"
import { v0Body } from "./utils/subscriptions.js"

const dir = mkdtempSync(join(tmpdir(), "node-mock-cassette-"))
let files = 0
const file = () => join(dir, `cassette-${files++}.json`)

const config: MockConfig.Input = {
  ...MockConfig.defaultConfig,
  containers: [
    { id: "echo", behavior: { type: "echo" } },
    { id: "slow", behavior: { type: "echo", latency_ms: 300 } },
    { id: "words", behavior: { type: "stream", text: "one two three four five", chunk_delay_ms: 2 } }
  ],
  mock: { ...MockConfig.defaultConfig.mock, ignore_expiry: true }
}

const job = (containers: ReadonlyArray<string>, data: object) => ({ method: "POST", body: { containers, data } })

/** Records a session against a fresh upstream and returns the cassette's path. */
const recordSession = async (session: (url: string) => Promise<void>, keepSignatures = false) => {
  const upstream = await startMockNode({ config })
  const out = file()
  const recorder = await Cassette.record({ upstream: upstream.url, out, keepSignatures })
  try {
    await session(recorder.url)
  } finally {
    await recorder.close()
    await upstream.close()
  }
  return out
}

describe("Cassette", () => {
  it("records exchanges, keeps no secrets, and replays the same answers with matching ids", async () => {
    const seen: Record<string, string> = {}
    const out = await recordSession(async (url) => {
      const created = await request(url, "/api/jobs", {
        ...job(["echo"], { prompt: "hi" }),
        headers: { authorization: "Bearer sk-live-SECRET", cookie: "session=COOKIE" }
      })
      seen.created = created.text
      const id = created.json().id as string
      seen.result = (await request(url, `/api/jobs?id=${id}`)).text
      seen.info = (await request(url, "/info")).text
      const sub = await request(url, "/api/jobs", { method: "POST", body: v0Body() })
      seen.sub = `${sub.status} ${sub.text}`
      seen.missing = (await request(url, "/nope")).text
    })
    const text = readFileSync(out, "utf8")
    const cassette = Effect.runSync(Cassette.decode(JSON.parse(text)))
    assert.strictEqual(cassette.signatures, "hashed")
    assert.deepStrictEqual(
      cassette.interactions.map((i) => `${i.request.method} ${i.request.path} ${i.response.status}`),
      ["POST /api/jobs 200", "GET /api/jobs 200", "GET /info 200", "POST /api/jobs 405", "GET /nope 404"]
    )
    // Secrets: headers other than content-type are dropped; a signature is a hash.
    for (const secret of [
      "SECRET",
      "COOKIE",
      "authorization",
      "f8ad0f2bbc399e1ae81f38c0e55053144c958d9f",
      "7e8a9497dfbef1531"
    ]) {
      assert.notInclude(text, secret)
    }
    const r = BigInt("0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fb").toString()
    assert.notInclude(text, r)
    const subBody = JSON.parse(cassette.interactions[3]!.request.body!)
    assert.deepStrictEqual(Object.keys(subBody.signature).sort(), ["expiry", "nonce", "sha256"])
    assert.match(subBody.signature.sha256, /^[0-9a-f]{64}$/)
    assert.deepStrictEqual(cassette.interactions[0]!.request.headers, { "content-type": "application/json" })

    const replay = await startMockNode({ replay: out })
    try {
      const created = await request(replay.url, "/api/jobs", job(["echo"], { prompt: "hi" }))
      assert.strictEqual(created.text, seen.created)
      const id = created.json().id as string
      const result = await request(replay.url, `/api/jobs?id=${id}`)
      assert.strictEqual(result.text, seen.result)
      assert.strictEqual(result.json()[0].id, id)
      assert.strictEqual((await request(replay.url, "/info")).text, seen.info)
      // A new signature over the same subscription (another nonce and expiry) is the same request.
      const sub = await request(replay.url, "/api/jobs", {
        method: "POST",
        body: v0Body({ signature: { nonce: 9, expiry: 2100000000 } })
      })
      assert.strictEqual(`${sub.status} ${sub.text}`, seen.sub)
      assert.deepStrictEqual(
        (await replay.unusedRecordings()).map((i) => i.request.path),
        ["/nope"]
      )
      const control = (await request(replay.url, "/__mock/replay")).json()
      assert.strictEqual(control.hits, 4)
      assert.deepStrictEqual(
        control.unused.map((u: { path: string }) => u.path),
        ["/nope"]
      )
    } finally {
      await replay.close()
    }
  })

  it("hashes signatures inside a batch and keeps integers beyond 2^53 exact", async () => {
    let answer = ""
    const big = 2n ** 60n
    const out = await recordSession(async (url) => {
      const batch = [v0Body({ subscription: { max_gas_price: big } }), { containers: ["echo"], data: { n: big } }]
      answer = (await request(url, "/api/jobs/batch", { method: "POST", body: batch })).text
    })
    const text = readFileSync(out, "utf8")
    const recorded = (await Effect.runPromise(Cassette.load(out))).interactions[0]!
    assert.strictEqual(recorded.response.body, answer)
    assert.include(recorded.request.body, `"max_gas_price":${big}`)
    assert.strictEqual(text.match(/sha256/g)?.length, 1)
    assert.notInclude(text, "f8ad0f2bbc399e1ae81f38c0e55053144c958d9f")
  })

  it("keeps signatures with keepSignatures", async () => {
    const out = await recordSession(async (url) => {
      await request(url, "/api/jobs", { method: "POST", body: v0Body() })
    }, true)
    const cassette = JSON.parse(readFileSync(out, "utf8"))
    assert.strictEqual(cassette.signatures, "kept")
    assert.include(
      cassette.interactions[0].request.body,
      BigInt("0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fb").toString()
    )
  })

  it("serves repeated requests in recorded order, then the last one again (a job polled until done)", async () => {
    let polls: Array<string> = []
    const out = await recordSession(async (url) => {
      const id = (await request(url, "/api/jobs", job(["slow"], { n: 1 }))).json().id as string
      for (;;) {
        const text = (await request(url, `/api/jobs?id=${id}`)).text
        polls.push(text)
        if (!text.includes('"running"')) break
      }
    })
    assert.isAbove(polls.length, 1)
    const replay = await startMockNode({ replay: out })
    try {
      const id = (await request(replay.url, "/api/jobs", job(["slow"], { n: 1 }))).json().id as string
      const replayed: Array<string> = []
      for (let i = 0; i < polls.length + 2; i++) replayed.push((await request(replay.url, `/api/jobs?id=${id}`)).text)
      assert.deepStrictEqual(replayed, [...polls, polls.at(-1)!, polls.at(-1)!])
      polls = []
    } finally {
      await replay.close()
    }
  })

  it("replays a stream's chunks in order", async () => {
    let recorded: Array<string> = []
    const out = await recordSession(async (url) => {
      const res = await request(url, "/api/jobs/stream", job(["words"], { prompt: "x" }))
      recorded = res.chunks.map((c) => c.toString("utf8"))
    })
    const cassette = JSON.parse(readFileSync(out, "utf8")) as Cassette.Cassette
    const chunks = cassette.interactions[0]!.response.chunks!
    assert.isAbove(chunks.length, 3)
    assert.strictEqual(chunks.map((c) => c.text).join(""), recorded.join(""))
    const replay = await startMockNode({ replay: { cassette: out, speed: "max" } })
    try {
      const res = await request(replay.url, "/api/jobs/stream", job(["words"], { prompt: "x" }))
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.headers["content-type"], "text/html; charset=utf-8")
      assert.strictEqual(res.text, chunks.map((c) => c.text).join(""))
      assert.match(res.text, /^[0-9a-f-]{36}\none two three four five$/)
    } finally {
      await replay.close()
    }
  })

  const pacedCassette: Cassette.Cassette = {
    format: "infernet-node-mock-cassette",
    version: 1,
    upstream: "http://node.example",
    signatures: "hashed",
    interactions: [
      {
        request: {
          method: "POST",
          path: "/api/jobs/stream",
          query: "",
          headers: { "content-type": "application/json" },
          body: '{"containers":["llm"],"data":{"prompt":"hi"}}'
        },
        response: {
          status: 200,
          headers: { "content-type": "text/html; charset=utf-8" },
          chunks: [
            { delay_ms: 0, text: "job-1\n" },
            { delay_ms: 1000, text: "first " },
            { delay_ms: 1000, text: "second" }
          ]
        },
        started_at: "2026-01-01T00:00:00.000Z",
        duration_ms: 2000
      }
    ]
  }
  const streamBody = { containers: ["llm"], data: { prompt: "hi" } }

  it.effect("keeps a stream's recorded pacing (on the node's clock)", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({ replay: { cassette: pacedCassette } })
      const received: Array<string> = []
      const fiber = yield* Effect.fork(
        Effect.promise(() =>
          request(node.url, "/api/jobs/stream", {
            method: "POST",
            body: streamBody,
            onChunk: (chunk) => received.push(chunk.toString("utf8"))
          })
        )
      )
      // Real I/O moves on its own; only the recorded delays wait for the clock.
      const until = (n: number) =>
        Effect.promise(async () => {
          while (received.join("").length < n) await new Promise((resolve) => setImmediate(resolve))
        })
      yield* until("job-1\n".length)
      assert.strictEqual(received.join(""), "job-1\n")
      yield* TestClock.adjust("1 second")
      yield* until("job-1\nfirst ".length)
      assert.strictEqual(received.join(""), "job-1\nfirst ")
      yield* TestClock.adjust("1 second")
      const res = yield* Fiber.join(fiber)
      assert.strictEqual(res.text, "job-1\nfirst second")
    }).pipe(Effect.scoped)
  )

  it.effect("sends a stream at once with speed max (no clock adjustment needed)", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({ replay: { cassette: pacedCassette, speed: "max" } })
      const res = yield* Effect.promise(() =>
        request(node.url, "/api/jobs/stream", { method: "POST", body: streamBody })
      )
      assert.strictEqual(res.text, "job-1\nfirst second")
    }).pipe(Effect.scoped)
  )

  it("strict mode answers 501 naming the nearest recorded request; fallback mode runs the containers", async () => {
    const out = await recordSession(async (url) => {
      await request(url, "/api/jobs", job(["echo"], { prompt: "hello" }))
      await request(url, "/health")
    })
    const strict = await startMockNode({ config, replay: out })
    try {
      const res = await request(strict.url, "/api/jobs", job(["echo"], { prompt: "hellO" }))
      assert.strictEqual(res.status, 501)
      const body = res.json()
      assert.strictEqual(
        body.error,
        "node-mock: no recorded answer for POST /api/jobs in the cassette (replay mode strict)"
      )
      assert.strictEqual(body.params.nearest.path, "/api/jobs")
      assert.strictEqual(body.params.nearest.index, 0)
      assert.include(body.params.nearest.body, '"hello"')
    } finally {
      await strict.close()
    }
    const fallback = await startMockNode({ config, replay: { cassette: out, mode: "fallback" } })
    try {
      const res = await request(fallback.url, "/api/jobs", job(["echo"], { prompt: "other" }))
      assert.strictEqual(res.status, 200)
      const id = res.json().id as string
      const result = (await request(fallback.url, `/api/jobs?id=${id}`)).json()
      assert.deepStrictEqual(result[0].result, { container: "echo", output: { prompt: "other" } })
    } finally {
      await fallback.close()
    }
  })

  it("matches on meaningful fields only, and takes a custom matcher", async () => {
    const out = await recordSession(async (url) => {
      await request(url, "/api/jobs", job(["echo"], { a: 1, b: [1, 2] }))
      await request(url, "/api/jobs?status=completed&pending=false")
    })
    const replay = await startMockNode({ replay: out })
    try {
      // Key order, whitespace and ignored keys do not matter; query parameters in any order.
      const reordered = await request(replay.url, "/api/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{ "data": {"b": [1, 2], "a": 1}, "containers": ["echo"], "extra": "ignored" }'
      })
      assert.strictEqual(reordered.status, 200)
      assert.strictEqual((await request(replay.url, "/api/jobs?pending=false&status=completed")).status, 200)
      assert.strictEqual((await request(replay.url, "/api/jobs", job(["echo"], { a: 2, b: [1, 2] }))).status, 501)
    } finally {
      await replay.close()
    }
    const loose = await startMockNode({
      replay: {
        cassette: out,
        match: (incoming, recorded) =>
          incoming.method === recorded.request.method && incoming.path === recorded.request.path
      }
    })
    try {
      const res = await request(loose.url, "/api/jobs", job(["echo"], { anything: true }))
      assert.strictEqual(res.status, 200)
      assert.strictEqual(
        Cassette.defaultMatch(
          { method: "POST", path: "/api/jobs", query: "", body: "{}" },
          (await Effect.runPromise(Cassette.load(out))).interactions[0]!
        ),
        false
      )
    } finally {
      await loose.close()
    }
  })

  it("rejects a file that is not a cassette with a MockNodeError naming the field", async () => {
    const bad = file()
    writeFileSync(
      bad,
      Json.stringify({
        format: "infernet-node-mock-cassette",
        version: 2,
        upstream: "http://x",
        signatures: "hashed",
        interactions: []
      })
    )
    const error = await startMockNode({ replay: bad }).catch((e: unknown) => e)
    assert.instanceOf(error, Error)
    assert.strictEqual((error as unknown as { reason: { _tag: string } }).reason._tag, "InvalidConfig")
    assert.include((error as Error).message, "version")
    const missing = await startMockNode({ replay: join(dir, "none.json") }).catch((e: unknown) => e)
    assert.include((missing as Error).message, "file not found")
  })

  it("replays in Vitest's global setup: globalSetup({ replay }) and INFERNET_NODE_MOCK_REPLAY", async () => {
    const out = await recordSession(async (url) => {
      await request(url, "/health")
    })
    assert.deepStrictEqual(optionsFromEnv({ INFERNET_NODE_MOCK_REPLAY: out }), { replay: out })
    let url = ""
    const teardown = await globalSetup(optionsFromEnv({ INFERNET_NODE_MOCK_REPLAY: out }))({
      provide: (_, value) => {
        url = value
      }
    })
    try {
      assert.strictEqual((await request(url, "/health")).text, '{"status":"healthy"}\n')
      assert.strictEqual((await request(url, "/info")).status, 501)
    } finally {
      await teardown()
    }
  })

  it("writes a valid cassette after every exchange, before it is closed", async () => {
    const upstream = await startMockNode({ config })
    const out = file()
    const recorder = await Cassette.record({ upstream: upstream.url, out })
    try {
      await request(recorder.url, "/health")
      assert.strictEqual(JSON.parse(readFileSync(out, "utf8")).interactions.length, 1)
      await request(recorder.url, "/info")
      assert.strictEqual(JSON.parse(readFileSync(out, "utf8")).interactions.length, 2)
    } finally {
      await recorder.close()
      await upstream.close()
    }
  })
})
