/**
 * Benchmarks a `NodePool` over one node against a plain `NodeClient`, in the same run, against @infernet/node-mock
 * on 127.0.0.1 (in a child process). Both run on `NodeHttpClient.layerUndici`, in one runtime each; an operation is a
 * `requestJob` + `getJobResults([id])` pair, sequential and with 64 in flight. Rounds alternate the order; the
 * median of the per-round ratios (pool / client throughput) is reported. Target: at least 0.9x.
 *
 * Run: `pnpm run bench:pool` (under a minute; many short alternating rounds, so that load drifting on a shared machine hits both sides alike). `--quick` for a short smoke run.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime } from "effect"
import { NodeClient, NodePool } from "../src/index.js"
import { forkMockNode, isMockProcess, serveMockNode } from "./mockProcess.js"

const QUICK = process.argv.includes("--quick")
const ROUNDS = QUICK ? 2 : 15
const SEQUENTIAL_OPS = QUICK ? 100 : 150
const CONCURRENT_OPS = QUICK ? 256 : 600
const IN_FLIGHT = 64

const job = { containers: ["bench"], data: { prompt: "how do I make pizza?" } }

interface Jobs {
  readonly requestJob: (request: typeof job) => Effect.Effect<string, unknown>
  readonly getJobResults: (ids: Iterable<string>) => Effect.Effect<ReadonlyArray<unknown>, unknown>
}

interface Impl {
  readonly name: string
  readonly run: (ops: number, inFlight: number) => Promise<void>
  readonly close: () => Promise<void>
}

const implOf = <R>(name: string, layer: Layer.Layer<R>, get: Effect.Effect<Jobs, never, R>): Impl => {
  const runtime = ManagedRuntime.make(Layer.merge(layer, Layer.setTracerEnabled(false)))
  return {
    name,
    run: (ops, inFlight) =>
      runtime.runPromise(
        Effect.flatMap(get, (jobs) =>
          Effect.forEach(
            Array.from({ length: ops }),
            () =>
              Effect.flatMap(jobs.requestJob(job), (id) =>
                Effect.flatMap(jobs.getJobResults([id]), (results) =>
                  results.length === 1 ? Effect.void : Effect.dieMessage("job not found")
                )
              ),
            { concurrency: inFlight, discard: true }
          )
        )
      ),
    close: () => runtime.dispose()
  }
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const measure = async (impl: Impl, ops: number, inFlight: number) => {
  const start = performance.now()
  await impl.run(ops, inFlight)
  return ops / ((performance.now() - start) / 1000)
}

async function main() {
  const { url, stop } = await forkMockNode()
  const client = implOf(
    "NodeClient",
    NodeClient.layer({ baseUrl: url }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    NodeClient.NodeClient
  )
  const pool = implOf(
    "NodePool (1 node)",
    NodePool.layer({ nodes: [url] }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    NodePool.NodePool
  )
  try {
    for (const [label, ops, inFlight] of [
      ["sequential", SEQUENTIAL_OPS, 1],
      [`${IN_FLIGHT} in flight`, CONCURRENT_OPS, IN_FLIGHT]
    ] as const) {
      // Warm-up: connections, JIT.
      await client.run(Math.ceil(ops / 4), inFlight)
      await pool.run(Math.ceil(ops / 4), inFlight)
      const ratios: Array<number> = []
      const rates: Record<string, Array<number>> = { [client.name]: [], [pool.name]: [] }
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? [client, pool] : [pool, client]
        const seen = new Map<Impl, number>()
        for (const impl of order) seen.set(impl, await measure(impl, ops, inFlight))
        rates[client.name]!.push(seen.get(client)!)
        rates[pool.name]!.push(seen.get(pool)!)
        ratios.push(seen.get(pool)! / seen.get(client)!)
      }
      console.log(
        `${label}: NodeClient median ${median(rates[client.name]!).toFixed(0)} ops/s, NodePool median ${median(rates[pool.name]!).toFixed(0)} ops/s; ` +
          `pool/client per round ${ratios.map((r) => r.toFixed(2)).join(" ")}; median ratio ${median(ratios).toFixed(2)}x (target >= 0.90x)`
      )
    }
  } finally {
    await client.close()
    await pool.close()
    stop()
  }
}

// ---- the node, in a child process ------------------------------------------------------------------------------
if (isMockProcess()) {
  await serveMockNode({
    containers: [{ id: "bench", description: "answers at once", behavior: { type: "static", output: { ok: true } } }],
    mock: { request_log_limit: 0 }
  })
} else {
  await main()
}
