/**
 * Soak: a `NodePool` discovering four node-mock nodes through the mock router (both in a child process) while a chaos
 * loop takes nodes down, slows them, and makes them answer 429 or 503 for a while. Workers create jobs and wait for
 * each one's result for the whole run. At the end the books must balance:
 *
 * - every job created is completed, or failed with a typed `NodeClientError` reason (never a defect, never lost);
 * - no id is seen twice, and the nodes hold no more jobs than were created plus the creations that timed out (a
 *   timeout may leave a job on the node; the pool never retries a creation blindly);
 * - the client's RSS is reported at the start, every 20 s, and at the end (it stays flat).
 *
 * Run: `pnpm run bench:soak` (3 minutes), or `pnpm run bench:soak -- --seconds 20`. Exit code 1 when the books do
 * not balance.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { type MockNetwork, startMockNetwork } from "@infernet/node-mock"
import { fork } from "node:child_process"
import { availableParallelism } from "node:os"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { NodePool } from "../src/index.js"

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}
const SECONDS = argument("--seconds", 180)
const WORKERS = argument("--workers", 32)
const NODES = 4

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

// ---- the network and its chaos, in a child process ----------------------------------------------------------------
const serve = async () => {
  const nodeOptions: ReadonlyArray<MockNetwork.NodeOptions> = Array.from({ length: NODES }, () => ({
    config: {
      containers: [{ id: "soak", behavior: { type: "echo" as const, latency_ms: 20 } }],
      mock: { request_log_limit: 0 }
    }
  }))
  const network = await startMockNetwork({
    nodes: nodeOptions,
    router: { rateLimit: false, refreshInterval: "1 second", infoTimeout: "500 millis" }
  })
  const pick = () => network.nodes[Math.floor(Math.random() * network.nodes.length)]!
  let actions = 0
  const chaos = setInterval(() => {
    const node = pick()
    const roll = Math.random()
    actions++
    if (roll < 0.25) void node.down().then(() => setTimeout(() => void node.up(), 1_500))
    else if (roll < 0.45) void node.slow("300 millis").then(() => setTimeout(() => void node.heal(), 2_000))
    else if (roll < 0.65) void node.fail({ status: 429, for: "2 seconds" })
    else if (roll < 0.8) void node.fail({ status: 503, for: "1 second" })
    else void node.heal()
  }, 1_000)
  process.send?.({ router: network.router!.url, nodes: network.nodes.map((n) => n.url) })
  process.on("message", async (message) => {
    if ((message as { type?: string }).type !== "settle") return
    clearInterval(chaos)
    await Promise.all(network.nodes.map((n) => n.heal()))
    process.send?.({ type: "settled", actions })
  })
  process.on("disconnect", () => void network.close().then(() => process.exit(0)))
}

// ---- the client ---------------------------------------------------------------------------------------------------
const main = async () => {
  const child = fork(process.argv[1]!, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const { router, nodes } = await new Promise<{ router: string; nodes: Array<string> }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { router: string; nodes: Array<string> }))
    child.once("exit", (code) => reject(new Error(`the mock network exited (${code})`)))
  })
  console.log(
    `node ${process.version}, ${availableParallelism()} cores; ${NODES} nodes behind ${router} (child process), ` +
      `${WORKERS} workers for ${SECONDS} s`
  )
  const runtime = ManagedRuntime.make(
    Layer.merge(
      NodePool.layer({
        router: { url: router, containers: ["soak"], refreshInterval: "2 seconds", retry: false },
        client: { timeout: "3 seconds" },
        cooldown: "200 millis",
        maxCooldown: "2 seconds",
        probeInterval: "200 millis",
        infoInterval: "2 seconds",
        maxTrackedJobs: 5_000
      }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
      Layer.setTracerEnabled(false)
    )
  )
  const books = {
    attempts: 0,
    created: 0,
    completed: 0,
    creationFailures: new Map<string, number>(),
    ambiguousCreations: 0,
    waitFailures: new Map<string, number>(),
    defects: 0,
    duplicates: 0
  }
  const seen = new Set<string>()
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  const rss = (label: string) => {
    global.gc?.()
    const usage = process.memoryUsage()
    console.log(`${label}: RSS ${mib(usage.rss)}, heap ${mib(usage.heapUsed)}; ${books.created} jobs created so far`)
    return usage.rss
  }
  const startRss = rss("start")
  const deadline = Date.now() + SECONDS * 1_000

  const worker = Effect.gen(function* () {
    const pool = yield* NodePool.NodePool
    while (Date.now() < deadline) {
      books.attempts++
      const submitted = yield* Effect.either(pool.submitJob({ containers: ["soak"], data: { n: books.attempts } }))
      if (Either.isLeft(submitted)) {
        count(books.creationFailures, submitted.left.reason._tag)
        // The pool never fails over after these: a job may exist on the node (counted, never retried).
        if (submitted.left.reason._tag === "Timeout" || submitted.left.reason._tag === "NodeUnavailable") {
          books.ambiguousCreations++
        }
        yield* Effect.sleep("50 millis")
        continue
      }
      books.created++
      if (seen.has(submitted.right.id)) books.duplicates++
      seen.add(submitted.right.id)
      const result = yield* Effect.either(pool.getJobResultSync(submitted.right.id, { retry: 2, timeout: "3 seconds" }))
      if (Either.isRight(result)) books.completed++
      else count(books.waitFailures, result.left.reason._tag)
    }
  }).pipe(
    Effect.catchAllDefect((defect) =>
      Effect.sync(() => {
        books.defects++
        console.error("defect:", defect)
      })
    )
  )

  // The first sample (after 20 s of work: connections, JIT and the pool's job index warmed up) is the baseline that
  // the end is compared with.
  const samples: Array<number> = []
  const sampler = setInterval(
    () => samples.push(rss(`${Math.round((SECONDS * 1_000 - (deadline - Date.now())) / 1_000)} s`)),
    20_000
  )
  await runtime.runPromise(
    Effect.all(
      Array.from({ length: WORKERS }, () => worker),
      { concurrency: "unbounded", discard: true }
    )
  )
  clearInterval(sampler)
  // Stop the chaos, then count the jobs the nodes hold for this client.
  const actions = await new Promise<number>((resolve) => {
    child.on("message", (message) => {
      if ((message as { type?: string }).type === "settled") resolve((message as { actions: number }).actions)
    })
    child.send({ type: "settle" })
  })
  let onNodes = 0
  for (const url of nodes) {
    const ids = (await (await fetch(`${url}/api/jobs`)).json()) as Array<string>
    onNodes += ids.length
  }
  const endRss = rss("end")
  await runtime.dispose()
  child.disconnect()

  const waitFailed = [...books.waitFailures.values()].reduce((a, b) => a + b, 0)
  const creationFailed = [...books.creationFailures.values()].reduce((a, b) => a + b, 0)
  const balanced = books.created === books.completed + waitFailed
  const attemptsBalanced = books.attempts === books.created + creationFailed
  const noExtraJobs = onNodes >= books.created && onNodes - books.created <= books.ambiguousCreations
  console.log(
    [
      `chaos actions: ${actions}`,
      `creations tried ${books.attempts} = created ${books.created} + typed failures ${creationFailed} ${JSON.stringify(Object.fromEntries(books.creationFailures))}: ${attemptsBalanced ? "ok" : "MISMATCH"}`,
      `created ${books.created} = completed ${books.completed} + typed failures ${waitFailed} ${JSON.stringify(Object.fromEntries(books.waitFailures))}: ${balanced ? "ok" : "MISMATCH"}`,
      `duplicate ids: ${books.duplicates}; defects: ${books.defects}`,
      `jobs on the nodes: ${onNodes} (created ${books.created}, creations that may have left a job: ${books.ambiguousCreations}): ${noExtraJobs ? "ok" : "MISMATCH"}`,
      `RSS: start ${mib(startRss)}, end ${mib(endRss)}` +
        (samples.length === 0
          ? " (run longer than 20 s for a warmed-up baseline)"
          : `; after 20 s ${mib(samples[0]!)}, end - that: ${endRss >= samples[0]! ? "+" : ""}${mib(endRss - samples[0]!)}`)
    ].join("\n")
  )
  const ok = balanced && attemptsBalanced && noExtraJobs && books.duplicates === 0 && books.defects === 0
  process.exit(ok ? 0 : 1)
}

if (process.argv.includes("--serve")) await serve()
else await main()
