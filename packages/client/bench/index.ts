/**
 * Benchmarks `@infernet/client` against a hand-written `fetch` loop, in the same run, against @infernet/node-mock on
 * 127.0.0.1 (in a child process, so client and node do not share one event loop).
 *
 * 1. Throughput of `requestJob` + `getJobResults([id])` pairs, sequential and with 64 in flight, for two zero-latency
 *    containers with fixed outputs: `small` (`{"ok": true}`) and `large` (the usage page's embedding: 1536 floats,
 *    about 20 KB of JSON). Implementations: two baselines, a raw `fetch` loop and the same loop with the client's
 *    timeout (`AbortSignal.timeout`), both parsing the same JSON; the Promise API (`createNodeClient`) on fetch and on
 *    `NodeHttpClient.layerUndici`; the Effect API on `FetchHttpClient`, on `NodeClient.layerFetch` and on
 *    `NodeHttpClient.layerUndici`; with `BENCH_FLOORS=1`, the same requests through each `HttpClient` alone (no
 *    NodeClient). Each implementation runs in a worker process of its own (as in an application, which uses one
 *    client), one at a time; many short rounds rotate and alternate their order; ratios are medians of per-round
 *    ratios against the baselines of the same round.
 * 2. The latency `getJobResultSync` adds after a job completes: the time it returns minus the job's completion time
 *    as the node stored it, for the usage page's completion container (20-60 ms jobs) and for 100-1000 ms jobs.
 *
 * Run: `pnpm run bench` (bounded: about two minutes). `--quick` for a short smoke run; `BENCH_ONLY=<substring>` keeps
 * the baselines and the matching implementations.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { MockConfig } from "@infernet/node-mock"
import { Effect, Layer, ManagedRuntime } from "effect"
import { fork } from "node:child_process"
import { NodeClient } from "../src/index.js"
import { version } from "../src/internal/version.js"
import { createNodeClient } from "../src/promise.js"
import { forkMockNode, isMockProcess, serveMockNode } from "./mockProcess.js"

const QUICK = process.argv.includes("--quick")
// Many short rounds: this machine's noise comes in bursts, and a median of many per-round ratios sees past them.
const ROUNDS = QUICK ? 3 : 15
const SEQUENTIAL_OPS = QUICK ? 60 : 100
const CONCURRENT_OPS = QUICK ? 200 : 500
const IN_FLIGHT = 64
const SYNC_JOBS = QUICK ? 20 : 60

/**
 * The usage page's embedding output: 1536 floats of a unit vector, written like OpenAI's (e.g. `-0.00045939715`), from
 * a fixed seed so that every run answers the same 20 KB.
 */
const embedding = (): Array<number> => {
  let seed = 20240601
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31 - 0.5
  }
  const raw = Array.from({ length: 1536 }, next)
  const norm = Math.hypot(...raw)
  return raw.map((x) => Number((x / norm).toPrecision(8)))
}

const benchContainers = [
  {
    id: "bench-small",
    image: "bench/static",
    description: "answers {ok: true} at once",
    external: true,
    behavior: { type: "static" as const, output: { ok: true } }
  },
  {
    id: "bench-large",
    image: "bench/static",
    description: "answers the usage page's 1536-float embedding at once",
    external: true,
    behavior: { type: "static" as const, output: embedding() }
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
  readonly sequential: (ops: number) => Promise<void>
  readonly concurrent: (ops: number) => Promise<void>
  readonly close: () => Promise<void>
}

type Size = "small" | "large"
const jobOf = (size: Size) => ({ containers: [`bench-${size}`], data: { prompt: "how do I make pizza?" } })
const TIMEOUT_MILLIS = 30_000

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
// With `timeout`, each request carries `AbortSignal.timeout`, as the client's 30 s timeout: the baseline a client with
// a timeout is measured against.
const rawFetch = (url: string, size: Size, timeout: boolean): Impl => {
  const userAgent = `infernet-ts-client/${version}`
  const job = jobOf(size)
  const op: Op = async () => {
    const created = await fetch(`${url}/api/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": userAgent },
      body: JSON.stringify(job),
      ...(timeout ? { signal: AbortSignal.timeout(TIMEOUT_MILLIS) } : {})
    })
    if (!created.ok) throw new Error(`POST /api/jobs: ${created.status}`)
    const { id } = (await created.json()) as { id: string }
    const results = await fetch(`${url}/api/jobs?id=${encodeURIComponent(id)}`, {
      headers: { accept: "application/json", "user-agent": userAgent },
      ...(timeout ? { signal: AbortSignal.timeout(TIMEOUT_MILLIS) } : {})
    })
    if (!results.ok) throw new Error(`GET /api/jobs: ${results.status}`)
    const [result] = (await results.json()) as Array<{ id: string; result?: { output?: unknown } }>
    if (result?.id !== id) throw new Error("result missing")
    checkOutput(size, result.result?.output)
  }
  return {
    sequential: (ops) => pool(ops, 1, op),
    concurrent: (ops) => pool(ops, IN_FLIGHT, op),
    close: async () => {}
  }
}

/** Every implementation checks it got the whole output (a job still running has none). */
const checkOutput = (size: Size, output: unknown) => {
  if (size === "small" ? (output as { ok?: unknown })?.ok !== true : (output as Array<number>)?.length !== 1536) {
    throw new Error(`unexpected ${size} output`)
  }
}
const outputOf = (result: { readonly status: string; readonly result?: unknown } | undefined) =>
  (result?.result as { output?: unknown } | undefined)?.output

const promiseApi = (url: string, size: Size, httpClient?: Layer.Layer<HttpClient.HttpClient>): Impl => {
  const client = createNodeClient(httpClient === undefined ? { baseUrl: url } : { baseUrl: url, httpClient })
  const job = jobOf(size)
  const op: Op = async () => {
    const id = await client.requestJob(job)
    const [result] = await client.getJobResults([id])
    if (result?.id !== id) throw new Error("result missing")
    checkOutput(size, outputOf(result))
  }
  return {
    sequential: (ops) => pool(ops, 1, op),
    concurrent: (ops) => pool(ops, IN_FLIGHT, op),
    close: () => client.close()
  }
}

// Without `http`, the client runs on `NodeClient.layerFetch` (the lean fetch transport, no HttpClient layer).
const effectApi = (url: string, size: Size, http?: Layer.Layer<HttpClient.HttpClient>): Impl => {
  const runtime = ManagedRuntime.make(
    http === undefined
      ? NodeClient.layerFetch({ baseUrl: url })
      : NodeClient.layer({ baseUrl: url }).pipe(Layer.provide(http))
  )
  const job = jobOf(size)
  const op = Effect.gen(function* () {
    const client = yield* NodeClient.NodeClient
    const id = yield* client.requestJob(job)
    const [result] = yield* client.getJobResults([id])
    if (result?.id !== id) return yield* Effect.dieMessage("result missing")
    checkOutput(size, outputOf(result))
  })
  const many = (ops: number, concurrency: number) =>
    runtime.runPromise(Effect.forEach(Array.from({ length: ops }), () => op, { concurrency, discard: true }))
  return {
    sequential: (ops) => many(ops, 1),
    concurrent: (ops) => many(ops, IN_FLIGHT),
    close: () => runtime.dispose()
  }
}

// The floor of the Effect implementations: the same requests and parsing through @effect/platform's HttpClient
// alone, without this package. No NodeClient can be faster than its HttpClient.
const platformOnly = (url: string, size: Size, http: Layer.Layer<HttpClient.HttpClient>): Impl => {
  const runtime = ManagedRuntime.make(http)
  const job = jobOf(size)
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
    const [result] = JSON.parse(yield* results.text) as Array<{ id: string; result?: { output?: unknown } }>
    if (result?.id !== id) return yield* Effect.dieMessage("result missing")
    checkOutput(size, result.result?.output)
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

/** Wall time (ms) and this process's CPU time (µs, user + system: the node runs in another process) of a run. */
const time = async (f: () => Promise<void>) => {
  const start = performance.now()
  const cpu = process.cpuUsage()
  await f()
  const used = process.cpuUsage(cpu)
  return { wall: performance.now() - start, cpu: used.user + used.system }
}

/** Every implementation compared, by name, built only in the worker process that runs it. */
const implementations = (url: string, size: Size): Array<{ readonly name: string; readonly make: () => Impl }> => {
  const floors = process.env.BENCH_FLOORS === "1"
  return [
    { name: "raw fetch (baseline)", make: () => rawFetch(url, size, false) },
    { name: "raw fetch + AbortSignal.timeout (baseline)", make: () => rawFetch(url, size, true) },
    { name: "Promise API (fetch, default)", make: () => promiseApi(url, size) },
    // The same fetch through FetchHttpClient: what the default path cost before its lean transport.
    { name: "Promise API (FetchHttpClient.layer)", make: () => promiseApi(url, size, FetchHttpClient.layer) },
    {
      name: "Promise API (NodeHttpClient.layerUndici)",
      make: () => promiseApi(url, size, NodeHttpClient.layerUndici)
    },
    { name: "Effect API (FetchHttpClient)", make: () => effectApi(url, size, FetchHttpClient.layer) },
    { name: "Effect API (NodeClient.layerFetch)", make: () => effectApi(url, size) },
    { name: "Effect API (NodeHttpClient.layerUndici)", make: () => effectApi(url, size, NodeHttpClient.layerUndici) },
    ...(floors
      ? [
          {
            name: "floor: HttpClient alone (FetchHttpClient)",
            make: () => platformOnly(url, size, FetchHttpClient.layer)
          },
          {
            name: "floor: HttpClient alone (NodeHttpClient.layerUndici)",
            make: () => platformOnly(url, size, NodeHttpClient.layerUndici)
          }
        ]
      : [])
  ]
}

/** What the parent asks a worker, and what the worker answers. */
type Command = { readonly mode: "sequential" | "concurrent"; readonly ops: number } | { readonly mode: "close" }
interface Timing {
  readonly wall: number
  readonly cpu: number
}

/**
 * An implementation running in a process of its own (as in an application, which uses one client): the parent sends
 * it one run at a time and gets back the run's wall time and the worker's CPU time. No two implementations share a
 * JIT, inline caches or a heap, so none is measured with the others' code warmed into its shared functions.
 */
const startWorker = async (url: string, size: Size, index: number) => {
  const child = fork(process.argv[1]!, ["--worker", url, size, String(index)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`a bench worker exited (${code})`)))
  )
  const next = () =>
    Promise.race([new Promise<unknown>((resolve) => child.once("message", (message) => resolve(message))), exited])
  await next()
  const ask = async (command: Command) => {
    child.send(command)
    return (await next()) as Timing
  }
  return {
    run: (mode: "sequential" | "concurrent", ops: number) => ask({ mode, ops }),
    close: async () => {
      child.send({ mode: "close" })
      await exited.catch(() => {})
    }
  }
}

/** The worker side of {@link startWorker}. */
const serveWorker = async (url: string, size: Size, index: number) => {
  const impl = implementations(url, size)[index]!.make()
  process.on("message", (command: Command) => {
    void (async () => {
      if (command.mode === "close") {
        await impl.close()
        process.exit(0)
      }
      const timing = await time(() => impl[command.mode](command.ops))
      process.send?.(timing)
    })().catch((error) => {
      console.error(error)
      process.exit(1)
    })
  })
  process.send?.({ ready: true })
}

async function throughput(url: string, size: Size) {
  // BENCH_ONLY=<substring> keeps the baselines and the matching implementations (for profiling one of them).
  const only = process.env.BENCH_ONLY
  const all = implementations(url, size)
  const chosen = all.filter(
    (impl) => impl.name.includes("(baseline)") || only === undefined || impl.name.includes(only)
  )
  const baselines = chosen.filter((impl) => impl.name.includes("(baseline)"))
  const workers = new Map(
    await Promise.all(chosen.map(async (impl) => [impl.name, await startWorker(url, size, all.indexOf(impl))] as const))
  )
  const impls = chosen.map((impl) => ({ name: impl.name, worker: workers.get(impl.name)! }))
  // Pairs per second, and client CPU µs per pair (robust when other processes share the cores).
  type Rounds = { sequential: Array<number>; concurrent: Array<number>; cpuSeq: Array<number>; cpuConc: Array<number> }
  const results = new Map<string, Rounds>(
    impls.map((impl) => [impl.name, { sequential: [], concurrent: [], cpuSeq: [], cpuConc: [] }])
  )
  // Warm-up round (JIT, connection pools), not counted.
  for (const impl of impls) {
    await impl.worker.run("sequential", Math.ceil(SEQUENTIAL_OPS / 4))
    await impl.worker.run("concurrent", Math.ceil(CONCURRENT_OPS / 4))
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate and alternate the order every round so no implementation always runs first, last or next to another.
    const rotated = [...impls.slice(round % impls.length), ...impls.slice(0, round % impls.length)]
    const order = round % 2 === 0 ? rotated : rotated.reverse()
    for (const impl of order) {
      const r = results.get(impl.name)!
      const seq = await impl.worker.run("sequential", SEQUENTIAL_OPS)
      r.sequential.push(SEQUENTIAL_OPS / (seq.wall / 1000))
      r.cpuSeq.push(seq.cpu / SEQUENTIAL_OPS)
      const conc = await impl.worker.run("concurrent", CONCURRENT_OPS)
      r.concurrent.push(CONCURRENT_OPS / (conc.wall / 1000))
      r.cpuConc.push(conc.cpu / CONCURRENT_OPS)
    }
  }
  await Promise.all(impls.map((impl) => impl.worker.close()))
  const [plain, timed] = baselines.map((b) => results.get(b.name)!) as [Rounds, Rounds]
  // The median of the per-round ratios: each ratio compares runs of the same round, under the same load.
  const ratio = (r: Rounds, base: Rounds, mode: "sequential" | "concurrent") =>
    median(r[mode].map((x, i) => x / base[mode][i]!))
  // CPU ratios are baseline CPU / implementation CPU, so that higher is better, like the throughput ratios.
  const cpuRatio = (r: Rounds, base: Rounds, mode: "cpuSeq" | "cpuConc") =>
    median(r[mode].map((x, i) => base[mode][i]! / x))
  console.log(
    `\nThroughput, ${size} output (${size === "small" ? '{"ok": true}' : "1536-float embedding, ~20 KB"}): ` +
      `requestJob + getJobResults pairs per second (median of ${ROUNDS} rounds in rotating order; ` +
      `${SEQUENTIAL_OPS} sequential, ${CONCURRENT_OPS} with ${IN_FLIGHT} in flight); ratios are medians of ` +
      "per-round ratios to raw fetch / to raw fetch + AbortSignal.timeout\n"
  )
  // One table: a value per mode and its ratios to both baselines.
  const table = (
    columns: string,
    value: (r: Rounds, mode: "sequential" | "concurrent") => number,
    ratioOf: (r: Rounds, base: Rounds, mode: "sequential" | "concurrent") => number
  ) => {
    console.log(`| implementation | ${columns} |`)
    console.log("|---|---:|---:|---:|---:|---:|---:|")
    for (const [name, r] of results) {
      const cells = (["sequential", "concurrent"] as const).flatMap((mode) => [
        value(r, mode).toFixed(0),
        `${ratioOf(r, plain, mode).toFixed(2)}x`,
        `${ratioOf(r, timed, mode).toFixed(2)}x`
      ])
      console.log(`| ${name} | ${cells.join(" | ")} |`)
    }
  }
  table(
    "sequential pairs/s | vs fetch | vs fetch+timeout | 64 in flight pairs/s | vs fetch | vs fetch+timeout",
    (r, mode) => median(r[mode]),
    ratio
  )
  console.log(
    "\nClient CPU per pair (µs; the node runs in another process), and baseline CPU / implementation CPU " +
      "(medians of per-round ratios; higher is better)\n"
  )
  const cpuOf = { sequential: "cpuSeq", concurrent: "cpuConc" } as const
  table(
    "sequential µs/pair | fetch / it | fetch+timeout / it | 64 in flight µs/pair | fetch / it | fetch+timeout / it",
    (r, mode) => median(r[cpuOf[mode]]),
    (r, base, mode) => cpuRatio(r, base, cpuOf[mode])
  )
  const promise = results.get("Promise API (fetch, default)")
  if (promise !== undefined) {
    console.log(
      `\npairs per second, ${size} output, Promise API default: ${median(promise.sequential).toFixed(0)} sequential, ` +
        `${median(promise.concurrent).toFixed(0)} with ${IN_FLIGHT} in flight (raw fetch: ` +
        `${median(plain.sequential).toFixed(0)} / ${median(plain.concurrent).toFixed(0)})`
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
  const { url, stop } = await forkMockNode()
  try {
    const sizes = (process.env.BENCH_SIZES?.split(",") ?? ["small", "large"]) as Array<Size>
    for (const size of sizes) {
      await throughput(url, size)
      // Forget the jobs of this size (tens of thousands, 20 KB each with large outputs): the mock keeps every job,
      // and the latency phase lists the stored ones.
      await fetch(`${url}/__mock/reset`, { method: "POST" })
    }
    if (process.env.BENCH_SYNC !== "0") await syncLatency(url)
  } finally {
    stop()
  }
}

// ---- the node, in a child process ------------------------------------------------------------------------------
const workerAt = process.argv.indexOf("--worker")
if (workerAt !== -1) {
  const [url, size, index] = process.argv.slice(workerAt + 1) as [string, Size, string]
  await serveWorker(url, size, Number(index))
} else if (isMockProcess()) {
  await serveMockNode({
    ...MockConfig.defaultConfig,
    containers: [...MockConfig.defaultConfig.containers, ...benchContainers],
    mock: { ...MockConfig.defaultConfig.mock, request_log_limit: 0 }
  })
} else {
  await main()
}
