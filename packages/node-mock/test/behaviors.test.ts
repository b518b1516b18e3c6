// Container behaviours: outputs, the real node's failure shapes, the proxy, seeded latency and failure rates,
// and /resources.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schema, TestClock } from "effect"
import { NodeInfo } from "@infernet/types"
import { type MockConfig, MockNode } from "../src/index.js"
import { eventually, get, post, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const run = async (url: string, containers: ReadonlyArray<string>, data: unknown) => {
  const res = await post(url, "/api/jobs", { containers, data })
  assert.strictEqual(res.status, 200, res.text)
  return waitForJob(url, res.json().id, { intermediate: true })
}

const norm = (v: ReadonlyArray<number>) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0))

const chat = (content: string, endpoint = "completion") => ({
  model: "gpt-3.5-turbo-16k",
  params: { endpoint, messages: [{ role: "user", content }] }
})

describe("behaviours", () => {
  const config: MockConfig.Input = {
    containers: [
      { id: "echo", behavior: { type: "echo" } },
      { id: "hello", behavior: { type: "hello-world" } },
      { id: "completion", behavior: { type: "completion" } },
      { id: "fixed", behavior: { type: "completion", text: "Always this." } },
      { id: "embed", behavior: { type: "embeddings", dimensions: 8 } },
      { id: "stream", behavior: { type: "stream", text: "all of it" } },
      { id: "static", behavior: { type: "static", output: { error: "a JSON error body is still a success" } } }
    ]
  }

  it("echo answers the data it received; hello-world answers like Ritual's container", () =>
    withNode({ config }, async (node) => {
      const data = { text: "é", n: 1.5, big: 12345678901234567890n, list: [true, null, "it's"] }
      const echo = await run(node.url, ["echo"], data)
      assert.deepStrictEqual(echo.result, { container: "echo", output: data })
      const hello = await run(node.url, ["hello"], { name: "Ritual", ok: true, none: null, q: "it's" })
      assert.strictEqual(
        hello.result.output.output,
        `hello, world!, your input was: {'source': 1, 'destination': 1, 'data': {'name': 'Ritual', 'ok': True, 'none': None, 'q': "it's"}, 'requires_proof': False}`
      )
    }))

  it("completion answers deterministic text, and embeddings for params.endpoint = embeddings", () =>
    withNode({ config }, async (node) => {
      const pizza = await run(node.url, ["completion"], chat("how do I make pizza?"))
      assert.match(pizza.result.output, /^To make pizza at home/)
      const first = await run(node.url, ["completion"], chat("What is a monad?"))
      const again = await run(node.url, ["completion"], chat("What is a monad?"))
      assert.strictEqual(first.result.output, again.result.output)
      assert.include(first.result.output, '"What is a monad"')
      const other = await run(node.url, ["completion"], chat("Why is the sky blue?"))
      assert.notStrictEqual(other.result.output, first.result.output)
      // `prompt` and `input` work too.
      const prompt = await run(node.url, ["completion"], { prompt: "What is a monad?" })
      assert.strictEqual(prompt.result.output, first.result.output)
      const fixed = await run(node.url, ["fixed"], chat("anything"))
      assert.strictEqual(fixed.result.output, "Always this.")

      const vector = await run(node.url, ["completion"], {
        model: "text-embedding-3-small",
        params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
      })
      assert.lengthOf(vector.result.output, 1536)
      assert.closeTo(norm(vector.result.output), 1, 1e-6)
    }))

  it("embeddings: a seeded unit vector per input, the same on every node and run", () =>
    withNode({ config }, async (node) => {
      const a = await run(node.url, ["embed"], { params: { input: "alpha" } })
      const b = await run(node.url, ["embed"], { params: { input: "beta" } })
      const list = await run(node.url, ["embed"], { input: ["alpha", "beta"] })
      assert.lengthOf(a.result.output, 8)
      assert.closeTo(norm(a.result.output), 1, 1e-6)
      assert.notDeepEqual(a.result.output, b.result.output)
      assert.deepStrictEqual(list.result.output, [a.result.output, b.result.output])
      // Pinned: the generator is seeded by a SHA-256 of the input, so this never changes between runs.
      assert.deepStrictEqual(
        a.result.output,
        await withNode(
          { config },
          async (other) => (await run(other.url, ["embed"], { params: { input: "alpha" } })).result.output
        )
      )
    }))

  it("stream answers its whole text through POST /api/jobs; static answers its output, even an error-shaped one", () =>
    withNode({ config }, async (node) => {
      assert.strictEqual((await run(node.url, ["stream"], {})).result.output, "all of it")
      const staticJob = await run(node.url, ["static"], {})
      assert.strictEqual(staticJob.status, "success")
      assert.deepStrictEqual(staticJob.result.output, { error: "a JSON error body is still a success" })
    }))

  it("fail gives the real node's failure shapes", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "unreachable", behavior: { type: "fail" } },
            { id: "remote", url: "http://my-container:8080", behavior: { type: "fail", failure: "unreachable" } },
            { id: "timeout", behavior: { type: "fail", failure: "timeout" } },
            { id: "html", port: 3001, behavior: { type: "fail", failure: "non_json" } },
            { id: "custom", behavior: { type: "fail", message: "CUDA out of memory" } }
          ]
        }
      },
      async (node) => {
        const errors = await Promise.all(
          ["unreachable", "remote", "timeout", "html", "custom"].map(
            async (id) => (await run(node.url, [id], {})).result
          )
        )
        assert.deepStrictEqual(errors, [
          {
            container: "unreachable",
            error: "Cannot connect to host localhost:3000 ssl:default [Connect call failed ('127.0.0.1', 3000)]"
          },
          {
            container: "remote",
            error: "Cannot connect to host my-container:8080 ssl:default [Connect call failed ('my-container', 8080)]"
          },
          { container: "timeout", error: "" },
          {
            container: "html",
            error:
              "200, message='Attempt to decode JSON with unexpected mimetype: text/html', url='http://localhost:3001/service_output'"
          },
          { container: "custom", error: "CUDA out of memory" }
        ])
      }
    ))
})

describe("proxy", () => {
  interface Fake {
    readonly url: string
    readonly port: number
    readonly received: Array<{ method: string; url: string; body: string }>
    close(): Promise<void>
  }

  const fakeContainer = async (handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) => {
    const received: Fake["received"] = []
    const server: Server = createServer((req, res) => {
      let body = ""
      req.on("data", (chunk) => {
        body += chunk
      })
      req.on("end", () => {
        received.push({ method: req.method ?? "", url: req.url ?? "", body })
        handler(req, body, res)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as AddressInfo).port
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      received,
      close: () => new Promise<void>((resolve) => server.close(() => resolve()))
    } satisfies Fake
  }

  it("forwards the node's container input to <url>/service_output and stores what the container answers", async () => {
    const fake = await fakeContainer((req, body, res) => {
      if (req.url === "/service_output") {
        const input = JSON.parse(body)
        if (input.data.mode === "html") {
          res.writeHead(200, { "content-type": "text/html" }).end("<p>oops</p>")
        } else if (input.data.mode === "broken") {
          res.writeHead(200, { "content-type": "application/json" }).end("{not json")
        } else if (input.data.mode === "error") {
          res.writeHead(500, { "content-type": "application/json" }).end('{"detail":"model crashed"}')
        } else if (input.data.mode === "slow") {
          setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 500)
        } else if (input.destination === 2) {
          res.writeHead(200, { "content-type": "text/plain" })
          res.write("tok1 ")
          setTimeout(() => res.end("tok2"), 20)
        } else {
          // The raw body, so exact integers show as sent.
          res.writeHead(200, { "content-type": "application/json" }).end(`{"got":${body}}`)
        }
      } else if (req.url?.startsWith("/service-resources")) {
        const model = new URL(req.url, "http://x").searchParams.get("model_id")
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify(model === null ? { gpu: "fake" } : { supported: model === "m1" }))
      }
    })
    try {
      await withNode(
        {
          config: {
            containers: [
              { id: "real", url: fake.url, behavior: { type: "proxy" } },
              { id: "impatient", behavior: { type: "proxy", url: fake.url, timeout_ms: 50 } }
            ]
          }
        },
        async (node) => {
          const ok = await run(node.url, ["real"], { mode: "ok", big: 2n ** 70n })
          assert.deepStrictEqual(ok.result.output, {
            got: { source: 1, destination: 1, data: { mode: "ok", big: 2n ** 70n }, requires_proof: false }
          })
          assert.strictEqual(fake.received[0]!.method, "POST")
          assert.strictEqual(fake.received[0]!.url, "/service_output")

          assert.deepStrictEqual((await run(node.url, ["real"], { mode: "html" })).result, {
            container: "real",
            error: `200, message='Attempt to decode JSON with unexpected mimetype: text/html', url='${fake.url}/service_output'`
          })
          assert.deepStrictEqual((await run(node.url, ["real"], { mode: "broken" })).result, {
            container: "real",
            error: "{not json"
          })
          // The node does not look at the status: a JSON error body is a successful output.
          const error = await run(node.url, ["real"], { mode: "error" })
          assert.strictEqual(error.status, "success")
          assert.deepStrictEqual(error.result.output, { detail: "model crashed" })
          assert.deepStrictEqual((await run(node.url, ["impatient"], { mode: "slow" })).result, {
            container: "impatient",
            error: ""
          })

          const stream = await post(node.url, "/api/jobs/stream", { containers: ["real"], data: {} })
          const text = stream.text
          const id = text.slice(0, text.indexOf("\n"))
          assert.strictEqual(text.slice(37), "tok1 tok2")
          assert.deepStrictEqual((await waitForJob(node.url, id)).result, {
            container: "real",
            output: { output: "tok1 tok2" }
          })

          assert.deepStrictEqual((await get(node.url, "/resources")).json().real, { gpu: "fake" })
          assert.deepStrictEqual((await get(node.url, "/resources?model_id=m1")).json().real, { supported: true })
        }
      )
    } finally {
      await fake.close()
    }
    // Now nothing listens there.
    await withNode(
      { config: { containers: [{ id: "gone", behavior: { type: "proxy", url: fake.url } }] } },
      async (node) => {
        assert.deepStrictEqual((await run(node.url, ["gone"], {})).result, {
          container: "gone",
          error: `Cannot connect to host 127.0.0.1:${fake.port} ssl:default [Connect call failed ('127.0.0.1', ${fake.port})]`
        })
        // A container that does not answer is left out of /resources.
        assert.deepStrictEqual((await get(node.url, "/resources")).json(), {})
      }
    )
  })
})

describe("seeded latency and failure rates", () => {
  it.effect("holds a job running for its latency, on the mock's clock", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        config: { containers: [{ id: "slow", behavior: { type: "static", output: 1, latency_ms: 500 } }] }
      })
      const id = (yield* Effect.promise(() => post(node.url, "/api/jobs", { containers: ["slow"], data: {} }))).json()
        .id
      const status = () => Effect.promise(async () => (await get(node.url, `/api/jobs?id=${id}`)).json()[0].status)
      yield* TestClock.adjust(Duration.millis(499))
      assert.strictEqual(yield* status(), "running")
      yield* TestClock.adjust(Duration.millis(1))
      assert.strictEqual(yield* status(), "success")
    }).pipe(Effect.scoped)
  )

  const latencies = (seed: number) =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        seed,
        config: { containers: [{ id: "r", behavior: { type: "echo", latency_ms: [100, 900] } }] }
      })
      for (let i = 0; i < 5; i++) {
        yield* Effect.promise(() => post(node.url, "/api/jobs", { containers: ["r"], data: { i } }))
      }
      const started = new Map((yield* node.jobs()).map((job) => [job.id, job.updatedAt]))
      yield* TestClock.adjust(Duration.seconds(1))
      // The jobs finish on the test clock, then store their results through real I/O: wait for that in real time.
      const jobs = yield* Effect.promise(() =>
        eventually(
          () => Effect.runPromise(node.jobs()),
          (list) => list.every((job) => job.status === "success")
        )
      )
      assert.isTrue(jobs.every((job) => job.status === "success"))
      return jobs.map((job) => Math.round((job.updatedAt - started.get(job.id)!) * 1000) / 1000).sort((a, b) => a - b)
    }).pipe(Effect.scoped)

  it.effect("draws latency ranges from the seed: the same seed gives the same delays", () =>
    Effect.gen(function* () {
      const first = yield* latencies(7)
      assert.deepStrictEqual(yield* latencies(7), first)
      assert.notDeepEqual(yield* latencies(8), first)
      assert.isTrue(
        first.every((ms) => ms >= 100 && ms <= 900),
        String(first)
      )
    })
  )

  const outcomes = (seed: number) =>
    withNode(
      {
        seed,
        config: { containers: [{ id: "flaky", behavior: { type: "echo", failure_rate: 0.5, failure: "timeout" } }] }
      },
      async (node) => {
        const statuses: Array<string> = []
        for (let i = 0; i < 24; i++) statuses.push((await run(node.url, ["flaky"], { i })).status)
        return statuses.join(",")
      }
    )

  it("draws failures from the seed: the same seed fails the same calls", async () => {
    const first = await outcomes(1)
    assert.strictEqual(await outcomes(1), first)
    assert.notStrictEqual(await outcomes(2), first)
    assert.include(first, "success")
    assert.include(first, "failed")
  })
})

describe("GET /resources", () => {
  const config: MockConfig.Input = {
    containers: [
      {
        id: "llm",
        image: "ritualnetwork/css_inference_service:latest",
        behavior: { type: "completion", models: ["gpt-4o", "gpt-3.5-turbo-16k"] }
      },
      { id: "custom", behavior: { type: "echo", resources: { service_id: "custom", hardware_capabilities: [] } } },
      { id: "hello", behavior: { type: "hello-world" } },
      { id: "plain", behavior: { type: "echo" } },
      { id: "down", behavior: { type: "fail" } }
    ]
  }

  it("passes each container's /service-resources answer through (a ServiceResources object), leaving out containers without that route, as the node does", () =>
    withNode({ config }, async (node) => {
      const res = await get(node.url, "/resources")
      assert.strictEqual(res.status, 200)
      const resources = res.json()
      // hello-world, echo and failing containers have no /service-resources: the node leaves them out.
      assert.deepStrictEqual(Object.keys(resources), ["custom", "llm"])
      assert.deepStrictEqual(resources.custom, { service_id: "custom", hardware_capabilities: [] })
      const llm = Schema.decodeUnknownSync(NodeInfo.ServiceResources)(resources.llm)
      assert.strictEqual(llm.service_id, "css_inference_service")
      assert.deepStrictEqual(
        llm.hardware_capabilities.map((c) => c.capability_id),
        ["base"]
      )
      const ml = llm.compute_capability[0]!
      assert.strictEqual(ml.id, "ml")
      assert.deepStrictEqual(ml.models, ["gpt-4o", "gpt-3.5-turbo-16k"])
      assert.deepStrictEqual(ml.task, ["text-generation"])
      const cpu = llm.hardware_capabilities[0]!.cpu_info as { num_cores: number; cores: ReadonlyArray<unknown> }
      assert.strictEqual(cpu.cores.length, cpu.num_cores)
      // The same on every run.
      assert.strictEqual((await get(node.url, "/resources")).text, res.text)
    }))

  it("answers {supported} for ?model_id= from the containers with /service-resources only", () =>
    withNode({ config }, async (node) => {
      assert.deepStrictEqual((await get(node.url, "/resources?model_id=gpt-4o")).json(), {
        custom: { supported: false },
        llm: { supported: true }
      })
      assert.deepStrictEqual((await get(node.url, "/resources?model_id=llama")).json(), {
        custom: { supported: false },
        llm: { supported: false }
      })
    }))

  it("the default configuration lists the inference services, not hello-world", () =>
    withNode({}, async (node) => {
      const resources = (await get(node.url, "/resources")).json()
      assert.deepStrictEqual(Object.keys(resources).sort(), [
        "openai-inference",
        "openai-inference-0.0.1",
        "openai-inference-streaming-0.0.1"
      ])
    }))
})
