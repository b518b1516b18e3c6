// Cost of reading a node's JSON answer with @infernet/types, against `JSON.parse` of the same text in the same run.
//
// Bodies: a job result holding the usage page's 1536-float embedding (about 20 KB), a job result holding `{ok: true}`,
// and a 1 MB list of job results with object-heavy outputs. For each body: `JSON.parse` (the baseline), `Json.parse`
// (exact big integers), `Json.parse` + decoding `Json.JsonValue`, `Json.parse` + decoding `Job.JobResult` (or the list
// of them), and, for comparison, the recursive union `JsonValue` was before (kept internally to build its errors).
// Each cycle times a short batch of every implementation, alternating their order; a line shows the median time per
// call and the median of the per-cycle ratios to JSON.parse.
//
// Run: `pnpm run bench` (builds first; under a minute). `--quick` for a short smoke run.
import { Schema } from "effect"
import { Job, Json } from "../dist/index.js"
import { Reference } from "../dist/internal/jsonValue.js"

const QUICK = process.argv.includes("--quick")
const CYCLES = QUICK ? 20 : 120
const BATCH_MS = 2

// Deterministic data, so runs compare.
let seed = 42
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

const jobId = (i) => `b7a7f9a7-8f80-4905-96a9-${String(i).padStart(12, "0")}`
const embedding = () => {
  // Eight significant digits, as node-mock's (and OpenAI's) embeddings carry.
  const v = Array.from({ length: 1536 }, () => random() - 0.5)
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0))
  return v.map((x) => Number((x / norm).toPrecision(8)))
}
const result = (i, output) => ({ id: jobId(i), status: "success", result: { container: "bench", output } })
const words = "the quick brown fox jumps over the lazy dog while the node answers every job".split(" ")
const richOutput = (i) => ({
  text: Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(" "),
  tokens: Array.from({ length: 16 }, () => Math.floor(random() * 50000)),
  usage: { prompt_tokens: 12, completion_tokens: 16, latency_ms: Number((random() * 100).toFixed(3)) },
  choices: [{ index: 0, finish_reason: "stop", logprob: -random() }],
  tx: { hash: `0x${i.toString(16).padStart(64, "0")}`, block: 19000000 + i, ok: true, note: null }
})
const largeList = []
for (let i = 0, size = 2; size < 1_000_000; i++) {
  const item = result(i, richOutput(i))
  largeList.push(item)
  size += JSON.stringify(item).length + 1
}

const JobResults = Schema.Array(Job.JobResult)
const bodies = [
  {
    name: "20 KB: job result, 1536-float embedding",
    text: JSON.stringify(result(1, { embedding: embedding() })),
    schema: Job.JobResult
  },
  { name: "small: job result, {ok: true}", text: JSON.stringify(result(2, { ok: true })), schema: Job.JobResult },
  { name: "1 MB: list of job results, object outputs", text: JSON.stringify(largeList), schema: JobResults }
]

const decodeValue = Schema.decodeUnknownSync(Json.JsonValue)
const decodeReference = Schema.decodeUnknownSync(Reference)

const implementations = (body) => {
  const decodeBody = Schema.decodeUnknownSync(body.schema)
  const { text } = body
  return [
    { name: "JSON.parse (baseline)", run: () => JSON.parse(text) },
    { name: "Json.parse", run: () => Json.parse(text) },
    { name: "Json.parse + decode Json.JsonValue", run: () => decodeValue(Json.parse(text)) },
    {
      name: `Json.parse + decode ${body.schema === JobResults ? "Array(Job.JobResult)" : "Job.JobResult"}`,
      run: () => decodeBody(Json.parse(text))
    },
    { name: "Json.parse + decode the former recursive union", run: () => decodeReference(Json.parse(text)) }
  ]
}

/** Microseconds per call, from a batch of `calls` calls. */
const time = (run, calls) => {
  const start = performance.now()
  for (let i = 0; i < calls; i++) run()
  return ((performance.now() - start) * 1000) / calls
}

/** How many calls take about `ms` milliseconds (at least one). */
const calibrate = (run, ms) => {
  for (let i = 0; i < 20; i++) run()
  const us = time(run, 20)
  return Math.max(1, Math.round((ms * 1000) / us))
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

console.log(
  `node ${process.version}, ${CYCLES} cycles of interleaved ~${BATCH_MS} ms batches; medians of per-cycle ratios to JSON.parse\n`
)
for (const body of bodies) {
  const impls = implementations(body)
  const calls = impls.map((impl) => calibrate(impl.run, BATCH_MS))
  const times = impls.map(() => [])
  // Short batches, the implementations interleaved: a burst of load from other processes hits neighbours alike.
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const order = impls.map((_, i) => i)
    if (cycle % 2 === 1) order.reverse()
    for (const i of order) times[i].push(time(impls[i].run, calls[i]))
  }
  console.log(`${body.name} (${(body.text.length / 1024).toFixed(1)} KiB)`)
  for (let i = 0; i < impls.length; i++) {
    const ratios = times[i].map((t, cycle) => t / times[0][cycle])
    const us = median(times[i])
    const shown = us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} us`
    console.log(`  ${impls[i].name.padEnd(52)} ${shown.padStart(10)}  ${median(ratios).toFixed(2)}x`)
  }
  console.log("")
}
