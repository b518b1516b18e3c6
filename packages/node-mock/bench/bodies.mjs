// Large job bodies (issues 13 and 14): how long one POST /api/jobs of MB megabytes (default 9) blocks the mock's event
// loop, and what N of them at once cost in memory and answers (some get 503 once the bytes held in flight pass
// mock.max_inflight_bytes). The mock runs in this process, so the event-loop lag is the mock's; run it after a build.
//
//   node bench/bodies.mjs                 (1, then 40 concurrent bodies)
//   CONCURRENT=10 node --expose-gc bench/bodies.mjs
//   MB=15 CONCURRENT=1 node bench/bodies.mjs   (the 15 MB body of issue 13)
import { startMockNode } from "../dist/index.js"

const CONCURRENT = Number(process.env.CONCURRENT ?? 40)

const item = { text: "lorem ipsum dolor sit amet ".repeat(4), n: 12345.678, list: [1, 2, 3] }
const ITEMS = Math.round((Number(process.env.MB ?? 9) * 1e6) / 150)
const body = JSON.stringify({ containers: ["echo"], data: { items: Array.from({ length: ITEMS }, () => item) } })

const measure = async (count) => {
  const node = await startMockNode({ config: { containers: [{ id: "echo" }] } })
  globalThis.gc?.()
  const rssBefore = process.memoryUsage().rss
  let maxLag = 0
  let last = performance.now()
  const ticker = setInterval(() => {
    const now = performance.now()
    maxLag = Math.max(maxLag, now - last - 5)
    last = now
  }, 5)
  const started = performance.now()
  const statuses = await Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${node.url}/api/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
        async (response) => {
          await response.arrayBuffer()
          return response.status
        }
      )
    )
  )
  const ms = performance.now() - started
  clearInterval(ticker)
  globalThis.gc?.()
  const counts = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  console.log(
    `${count} x ${(body.length / 1e6).toFixed(1)} MB: ${Math.round(ms)} ms, longest event-loop stall ${Math.round(maxLag)} ms, RSS +${Math.round((process.memoryUsage().rss - rssBefore) / 1024 / 1024)} MB, answers ${JSON.stringify(counts)}`
  )
  await node.close()
}

await measure(1)
await measure(CONCURRENT)
