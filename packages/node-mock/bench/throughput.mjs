// Throughput of the mock's hot path, POST /api/jobs then GET /api/jobs?id=<that id>, measured with autocannon and
// compared with a bare node:http server that answers a fixed JSON body, in the same run, rounds alternating. For
// reference, two more servers: the mock with `mock.fast_path: false` (every request through @effect/platform's
// pipeline), and a fixed answer through @effect/platform's NodeHttpServer, the floor of any server on that pipeline.
// Each server runs in its own child process; autocannon runs here. Loopback only, bounded rounds.
//
//   pnpm run bench                       (builds, then runs 3 rounds of 5 s per server)
//   ROUNDS=5 SECONDS=10 CONNECTIONS=32 node bench/throughput.mjs
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import autocannon from "autocannon"

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 5)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16)
const WARMUP_SECONDS = 2

const self = fileURLToPath(import.meta.url)

// ---- child process: one server ----------------------------------------------------------------------------------
if (process.argv[2] === "serve") {
  // Registered first: the Effect server below never returns from its `await`.
  process.on("message", (message) => {
    if (message === "stop") process.exit(0)
  })
  const kind = process.argv[3]
  if (kind === "mock" || kind === "platform") {
    const { startMockNode } = await import("../dist/index.js")
    const node = await startMockNode({
      config: {
        containers: [{ id: "echo", image: "bench", behavior: { type: "echo" } }],
        mock: { fast_path: kind === "mock" }
      }
    })
    process.send({ url: node.url })
  } else if (kind === "effect") {
    // The floor of any @effect/platform server: NodeHttpServer answering a fixed body, no routing, no body read.
    const { createServer } = await import("node:http")
    const NodeHttpServer = await import("@effect/platform-node/NodeHttpServer")
    const HttpServerResponse = await import("@effect/platform/HttpServerResponse")
    const HttpMiddleware = await import("@effect/platform/HttpMiddleware")
    const { Effect } = await import("effect")
    const body = '{"id":"29dd2f8b-05c3-4b1c-a103-370c04c6850f"}\n'
    const app = Effect.sync(() =>
      HttpServerResponse.raw(body, {
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
      })
    )
    await Effect.runPromise(
      Effect.gen(function* () {
        const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
        yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
        process.send({ url: `http://127.0.0.1:${server.address.port}` })
        yield* Effect.never
      }).pipe(Effect.scoped)
    )
  } else {
    const { createServer } = await import("node:http")
    const body = '{"id":"29dd2f8b-05c3-4b1c-a103-370c04c6850f"}\n'
    const server = createServer((req, res) => {
      // Read the request body like the mock does, then answer a fixed JSON body.
      req.on("data", () => {})
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        res.end(body)
      })
    })
    server.listen(0, "127.0.0.1", () => process.send({ url: `http://127.0.0.1:${server.address().port}` }))
  }
} else {
  // ---- parent: load generator -----------------------------------------------------------------------------------
  const start = (kind) =>
    new Promise((resolve, reject) => {
      const child = fork(self, ["serve", kind], { stdio: "inherit" })
      child.once("message", ({ url }) => resolve({ child, url }))
      child.once("error", reject)
      child.once("exit", (code) => reject(new Error(`the ${kind} server exited (${code}) before it was listening`)))
    })

  const jobBody = JSON.stringify({ containers: ["echo"], data: { prompt: "hello", n: 1 } })

  const load = (url, seconds) =>
    new Promise((resolve, reject) => {
      autocannon(
        {
          url,
          connections: CONNECTIONS,
          duration: seconds,
          requests: [
            {
              method: "POST",
              path: "/api/jobs",
              headers: { "content-type": "application/json" },
              body: jobBody,
              onResponse: (status, body, context) => {
                if (status === 200) context.id = JSON.parse(body).id
              }
            },
            {
              method: "GET",
              setupRequest: (request, context) => ({ ...request, path: `/api/jobs?id=${context.id}` })
            }
          ]
        },
        (error, result) => (error ? reject(error) : resolve(result))
      )
    })

  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }

  const servers = { mock: await start("mock"), bare: await start("bare") }
  servers.platform = await start("platform")
  servers.effect = await start("effect")
  const kinds = Object.keys(servers)
  const rates = Object.fromEntries(kinds.map((kind) => [kind, []]))
  const errors = Object.fromEntries(kinds.map((kind) => [kind, 0]))
  try {
    for (const kind of kinds) await load(servers[kind].url, WARMUP_SECONDS)
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order every round so no server always runs first or last.
      for (const kind of round % 2 === 1 ? kinds : [...kinds].reverse()) {
        const server = servers[kind]
        const result = await load(server.url, SECONDS)
        const non2xx = result.non2xx + result.errors + result.timeouts
        errors[kind] += non2xx
        rates[kind].push(result.requests.average)
        console.log(
          `round ${round} ${kind.padEnd(8)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx/errors ${non2xx}`
        )
      }
      // Keep the mocks' job stores from growing across rounds.
      await fetch(`${servers.mock.url}/__mock/reset`, { method: "POST" })
      await fetch(`${servers.platform.url}/__mock/reset`, { method: "POST" })
    }
  } finally {
    for (const server of Object.values(servers)) server.child.kill()
  }
  // Ratios are taken within each round (the servers ran back to back) and then the median is reported, so a
  // machine whose load changes during the run skews them less than a ratio of medians would.
  const paired = (a, b) => median(rates[a].map((rate, i) => rate / rates[b][i]))
  const m = median(rates.mock)
  const b = median(rates.bare)
  const p = median(rates.platform)
  const e = median(rates.effect)
  console.log("")
  console.log(
    `POST /api/jobs + GET /api/jobs?id=, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s per server, Node ${process.version}`
  )
  console.log(`mock (median)  ${m.toFixed(0)} req/s`)
  console.log(`bare node:http ${b.toFixed(0)} req/s`)
  console.log(`ratio          ${paired("mock", "bare").toFixed(2)} (median of per-round ratios; target >= 0.50)`)
  console.log("")
  console.log("for reference:")
  console.log(
    `mock, fast_path: false  ${p.toFixed(0)} req/s (${paired("platform", "bare").toFixed(2)} of bare): every request through @effect/platform`
  )
  console.log(
    `effect floor            ${e.toFixed(0)} req/s (${paired("effect", "bare").toFixed(2)} of bare): a fixed answer through NodeHttpServer, no routing, no body read`
  )
  const failed = kinds.filter((kind) => errors[kind] > 0)
  if (failed.length > 0) {
    console.error(
      `unexpected non-2xx responses or errors: ${failed.map((kind) => `${kind} ${errors[kind]}`).join(", ")}`
    )
    process.exitCode = 1
  }
}
