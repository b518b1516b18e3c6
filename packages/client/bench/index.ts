/**
 * Benchmarks `@infernet/client` against a hand-written `fetch` loop, in the same run, against @infernet/node-mock on
 * 127.0.0.1 (in a child process, so client and node do not share one event loop).
 *
 * 1. Throughput of `requestJob` + `getJobResults([id])` pairs, sequential and with 64 in flight, for: raw `fetch`
 *    (baseline), the Promise API (`createNodeClient`) on fetch and on `NodeHttpClient.layerUndici`, the Effect API on
 *    `FetchHttpClient` and on `NodeHttpClient.layerUndici`; and, as floors, the same requests through each `HttpClient` alone (no
 *    NodeClient). Rounds alternate the order of the implementations; the median round counts.
 * 2. The latency `getJobResultSync` adds after a job completes: the time it returns minus the job's completion time
 *    as the node stored it, for the usage page's completion container (20-60 ms jobs) and for 100-1000 ms jobs.
 *
 * Run: `pnpm run bench` (bounded: about a minute and a half). `--quick` for a short smoke run.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { MockConfig, startMockNode } from "@infernet/node-mock"
import { Effect, Layer, ManagedRuntime } from "effect"
import { fork } from "node:child_process"
import { availableParallelism } from "node:os"
import { NodeClient } from "../src/index.js"
import { version } from "../src/internal/version.js"
import { createNodeClient } from "../src/promise.js"

const QUICK = process.argv.includes("--quick")
const ROUNDS = QUICK ? 2 : 5
const SEQUENTIAL_OPS = QUICK ? 100 : 300
const CONCURRENT_OPS = QUICK ? 256 : 1500
const IN_FLIGHT = 64
const SYNC_JOBS = QUICK ? 20 : 60

const benchContainers = [
  {
    id: "bench",
    image: "bench/static",
    description: "answers at once",
    external: true,
    behavior: { type: "static" as const, output: { ok: true } }
  },
  {
    id: "bench-slow",
    image: "bench/static",
    description: "answers after 100-1000 ms",
    external: true,
    behavior: { type: "static" as const, output: { ok: true }, latency_ms: [100, 1000] as [number, number] }
  }
]

type Op = () => Promise<void>
interface Impl {
  readonly name: string
  readonly sequential: (ops: number) => Promise<void>
  readonly concurrent: (ops: number) => Promise<void>
  readonly close: () => Promise<void>
}

const job = { containers: ["bench"], data: { prompt: "how do I make pizza?" } }

/** `ops` operations, at most `inFlight` at a time, as plain Promises. */
const pool = async (ops: number, inFlight: number, op: Op) => {
  let next = 0
  const worker = async () => {
    while (next < ops) {
      next++
      await op()
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, ops) }, worker))
}

// The baseline sends the same requests as the client (same headers, the body written per call) and parses the same
// answers, on the same global dispatcher: only the client's own work is measured against it.
const rawFetch = (url: string): Impl => {
  const userAgent = `infernet-ts-client/${version}`
  const op: Op = async () => {
    const created = await fetch(`${url}/api/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": userAgent },
      body: JSON.stringify(job)
    })
    if (!created.ok) throw new Error(`POST /api/jobs: ${created.status}`)
    const { id } = (await created.json()) as { id: string }
    const results = await fetch(`${url}/api/jobs?id=${encodeURIComponent(id)}`, {
      headers: { accept: "application/json", "user-agent": userAgent }
    })
    if (!results.ok) throw new Error(`GET /api/jobs: ${results.status}`)
    const [result] = (await results.json()) as Array<{ id: string }>
    if (result?.id !== id) throw new Error("result missing")
  }
  return {
    name: "raw fetch (baseline)",
    sequential: (ops) => pool(ops, 1, op),
    concurrent: (ops) => pool(ops, IN_FLIGHT, op),
    close: async () => {}
  }
}

const promiseApi = (name: string, url: string, httpClient?: Layer.Layer<HttpClient.HttpClient>): Impl => {
  const client = createNodeClient(httpClient === undefined ? { baseUrl: url } : { baseUrl: url, httpClient })
  const op: Op = async () => {
    const id = await client.requestJob(job)
    const [result] = await client.getJobResults([id])
    if (result?.id !== id) throw new Error("result missing")
  }
  return {
    name,
    sequential: (ops) => pool(ops, 1, op),
    concurrent: (ops) => pool(ops, IN_FLIGHT, op),
    close: () => client.close()
  }
}

const effectApi = (
  name: string,
  url: string,
  http: Layer.Layer<import("@effect/platform").HttpClient.HttpClient>
): Impl => {
  const runtime = ManagedRuntime.make(NodeClient.layer({ baseUrl: url }).pipe(Layer.provide(http)))
  const op = Effect.gen(function* () {
    const client = yield* NodeClient.NodeClient
    const id = yield* client.requestJob(job)
    const [result] = yield* client.getJobResults([id])
    if (result?.id !== id) return yield* Effect.dieMessage("result missing")
  })
  const many = (ops: number, concurrency: number) =>
    runtime.runPromise(Effect.forEach(Array.from({ length: ops }), () => op, { concurrency, discard: true }))
  return {
    name,
    sequential: (ops) => many(ops, 1),
    concurrent: (ops) => many(ops, IN_FLIGHT),
    close: () => runtime.dispose()
  }
}

// The floor of the Effect implementations: the same requests and parsing through @effect/platform's HttpClient
// alone, without this package. No NodeClient can be faster than its HttpClient.
const platformOnly = (
  name: string,
  url: string,
  http: Layer.Layer<import("@effect/platform").HttpClient.HttpClient>
): Impl => {
  const runtime = ManagedRuntime.make(http)
  const headers = { accept: "application/json", "user-agent": `infernet-ts-client/${version}` }
  const op = Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const created = yield* client.execute(
      HttpClientRequest.post(`${url}/api/jobs`, { headers }).pipe(
        HttpClientRequest.bodyText(JSON.stringify(job), "application/json")
      )
    )
    if (created.status !== 200) return yield* Effect.dieMessage(`POST /api/jobs: ${created.status}`)
    const { id } = JSON.parse(yield* created.text) as { id: string }
    const results = yield* client.execute(HttpClientRequest.get(`${url}/api/jobs`, { headers, urlParams: { id } }))
    if (results.status !== 200) return yield* Effect.dieMessage(`GET /api/jobs: ${results.status}`)
    const [result] = JSON.parse(yield* results.text) as Array<{ id: string }>
    if (result?.id !== id) return yield* Effect.dieMessage("result missing")
  }).pipe(Effect.orDie)
  // Like NodeClient without an installed tracer: no spans.
  const many = (ops: number, concurrency: number) =>
    runtime.runPromise(
      Effect.withTracerEnabled(
        Effect.forEach(Array.from({ length: ops }), () => op, { concurrency, discard: true }),
        false
      )
    )
  return {
    name,
    sequential: (ops) => many(ops, 1),
    concurrent: (ops) => many(ops, IN_FLIGHT),
    close: () => runtime.dispose()
  }
}

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const time = async (f: () => Promise<void>) => {
  const start = performance.now()
  await f()
  return performance.now() - start
}

async function throughput(url: string) {
  // BENCH_ONLY=<substring> keeps the baseline and the matching implementations (for profiling one of them).
  const only = process.env.BENCH_ONLY
  const impls = [
    rawFetch(url),
    promiseApi("Promise API (fetch)", url),
    promiseApi("Promise API (NodeHttpClient.layerUndici)", url, NodeHttpClient.layerUndici),
    effectApi("Effect API (FetchHttpClient)", url, FetchHttpClient.layer),
    effectApi("Effect API (NodeHttpClient.layerUndici)", url, NodeHttpClient.layerUndici),
    platformOnly("floor: HttpClient alone (FetchHttpClient)", url, FetchHttpClient.layer),
    platformOnly("floor: HttpClient alone (NodeHttpClient.layerUndici)", url, NodeHttpClient.layerUndici)
  ].filter((impl, i) => i === 0 || only === undefined || impl.name.includes(only))
  const results = new Map<string, { sequential: Array<number>; concurrent: Array<number> }>(
    impls.map((impl) => [impl.name, { sequential: [], concurrent: [] }])
  )
  // Warm-up round (JIT, connection pools), not counted.
  for (const impl of impls) {
    await impl.sequential(Math.ceil(SEQUENTIAL_OPS / 4))
    await impl.concurrent(Math.ceil(CONCURRENT_OPS / 4))
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order every round so no implementation always runs first or last.
    const order = round % 2 === 0 ? impls : [...impls].reverse()
    for (const impl of order) {
      const r = results.get(impl.name)!
      r.sequential.push(SEQUENTIAL_OPS / ((await time(() => impl.sequential(SEQUENTIAL_OPS))) / 1000))
      r.concurrent.push(CONCURRENT_OPS / ((await time(() => impl.concurrent(CONCURRENT_OPS))) / 1000))
    }
  }
  await Promise.all(impls.map((impl) => impl.close()))
  const baseline = results.get(impls[0]!.name)!
  const base = { sequential: median(baseline.sequential), concurrent: median(baseline.concurrent) }
  console.log(
    `\nThroughput: requestJob + getJobResults pairs per second (median of ${ROUNDS} alternating rounds; ` +
      `${SEQUENTIAL_OPS} sequential, ${CONCURRENT_OPS} with ${IN_FLIGHT} in flight)\n`
  )
  console.log("| implementation | sequential pairs/s | ratio | 64 in flight pairs/s | ratio |")
  console.log("|---|---:|---:|---:|---:|")
  for (const [name, r] of results) {
    const s = median(r.sequential)
    const c = median(r.concurrent)
    console.log(
      `| ${name} | ${s.toFixed(0)} | ${(s / base.sequential).toFixed(2)}x | ${c.toFixed(0)} | ${(c / base.concurrent).toFixed(2)}x |`
    )
  }
}

async function syncLatency(url: string) {
  const client = createNodeClient({ baseUrl: url })
  const stored = new Map<string, number>()
  const measure = async (request: { containers: Array<string>; data: object }, jobs: number) => {
    const added: Array<number> = []
    for (let i = 0; i < jobs; i++) {
      const id = await client.requestJob({ ...request, data: { ...request.data, i } })
      const result = await client.getJobResultSync(id, { intermediate: false })
      const returnedAt = Date.now()
      stored.set(result.id, returnedAt)
      added.push(returnedAt)
    }
    return added
  }
  // The node's completion times come from its job store (`updatedAt`), read through the control API.
  const completion = async () => {
    const response = await fetch(`${url}/__mock/jobs`)
    const jobs = (await response.json()) as Array<{ id: string; updatedAt?: number; updated_at?: number }>
    return new Map(jobs.map((j) => [j.id, j.updatedAt ?? j.updated_at ?? Number.NaN]))
  }
  const report = async (label: string, request: { containers: Array<string>; data: object }, jobs: number) => {
    stored.clear()
    await measure(request, jobs)
    const completed = await completion()
    const added = [...stored].map(([id, returnedAt]) => returnedAt - completed.get(id)!)
    if (added.some((x) => Number.isNaN(x))) throw new Error("the node did not report completion times")
    console.log(
      `| ${label} | ${jobs} | ${median(added).toFixed(0)} ms | ${percentile(added, 90).toFixed(0)} ms | ${Math.max(...added).toFixed(0)} ms |`
    )
  }
  console.log("\nLatency getJobResultSync adds after the job completes (return time - the node's completion time)\n")
  console.log("| jobs | count | median | p90 | max |")
  console.log("|---|---:|---:|---:|---:|")
  await report(
    "usage page completion (20-60 ms)",
    {
      containers: ["openai-inference-0.0.1"],
      data: { model: "gpt-4o", params: { endpoint: "completion", prompt: "hi" } }
    },
    SYNC_JOBS
  )
  await report("100-1000 ms jobs", { containers: ["bench-slow"], data: {} }, Math.ceil(SYNC_JOBS / 2))
  await client.close()
}

async function main() {
  const child = fork(process.argv[1]!, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url))
    child.once("exit", (code) => reject(new Error(`the mock node exited (${code})`)))
  })
  console.log(`node ${process.version}, ${availableParallelism()} cores; node-mock at ${url} (child process)`)
  try {
    await throughput(url)
    await syncLatency(url)
  } finally {
    child.disconnect()
  }
}

// ---- the node, in a child process ------------------------------------------------------------------------------
if (process.argv.includes("--serve")) {
  const node = await startMockNode({
    config: {
      ...MockConfig.defaultConfig,
      containers: [...MockConfig.defaultConfig.containers, ...benchContainers],
      mock: { ...MockConfig.defaultConfig.mock, request_log_limit: 0 }
    }
  })
  process.send?.({ url: node.url })
  process.on("disconnect", () => void node.close().then(() => process.exit(0)))
} else {
  await main()
}
