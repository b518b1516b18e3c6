// The mock's in-process fetch against loopback HTTP, as a test uses the mock: one client in the mock's own process
// creating jobs one after another (POST /api/jobs, then GET /api/jobs?id= on that id), through the node's `fetch`
// (no socket) or through the global fetch (undici, keep-alive) to the same node's port. Rounds alternate the order;
// the ratio is taken within each round, and the median reported.
//
//   pnpm run bench:inprocess             (builds, then 5 rounds of 2000 jobs per transport)
//   ROUNDS=3 JOBS=5000 node bench/inprocess.mjs
import { startMockNode } from "../dist/index.js"

const ROUNDS = Number(process.env.ROUNDS ?? 5)
const JOBS = Number(process.env.JOBS ?? 2000)

const node = await startMockNode({
  config: { containers: [{ id: "echo", behavior: { type: "echo" } }], mock: { request_log_limit: 0 } }
})
const body = JSON.stringify({ containers: ["echo"], data: { prompt: "hello" } })

const run = async (fetch, jobs) => {
  const started = process.hrtime.bigint()
  for (let i = 0; i < jobs; i++) {
    const created = await fetch(`${node.url}/api/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body
    })
    const { id } = await created.json()
    const [job] = await (await fetch(`${node.url}/api/jobs?id=${id}`)).json()
    if (job?.status !== "success") throw new Error(`job ${id}: ${JSON.stringify(job)}`)
  }
  return Number(process.hrtime.bigint() - started) / 1000 / jobs
}

const transports = { "in-process": node.fetch, loopback: globalThis.fetch }
// Warm both paths up (JIT, the keep-alive connection).
for (const fetch of Object.values(transports)) await run(fetch, 300)

const rows = { "in-process": [], loopback: [] }
const ratios = []
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ["in-process", "loopback"] : ["loopback", "in-process"]
  const times = {}
  for (const name of order) {
    times[name] = await run(transports[name], JOBS)
    rows[name].push(times[name])
  }
  ratios.push(times.loopback / times["in-process"])
  await fetch(`${node.url}/__mock/reset`, { method: "POST" })
}
await node.close()

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(
  `${ROUNDS} rounds of ${JOBS} jobs (POST /api/jobs + GET /api/jobs?id=), one client, Node ${process.version}`
)
console.log("| transport  | µs per job (median) | jobs/s |")
console.log("| ---------- | ------------------- | ------ |")
for (const [name, times] of Object.entries(rows)) {
  const us = median(times)
  console.log(
    `| ${name.padEnd(10)} | ${us.toFixed(0).padStart(19)} | ${Math.round(1e6 / us)
      .toLocaleString("en-US")
      .padStart(6)} |`
  )
}
console.log(`in-process is ${median(ratios).toFixed(1)}x faster per job (median of per-round ratios)`)
