// Load bench (issue 14): CLIENTS concurrent clients, each creating JOBS jobs one after another (POST /api/jobs, then
// GET /api/jobs?id= on that id), against the mock in its own process over loopback. Reports throughput, p50/p99
// latency per request, the mock's RSS, and lost or duplicated jobs, which must be zero: every POST answers an id,
// every id is unique, every GET returns that job finished with the output of its own input, and the mock's job list
// holds exactly the ids handed out. Exits 1 when any job is lost or duplicated.
//
// Then the ratio to a baseline: a bare node:http server that does the least a correct node must (parse the body, keep
// the job in a Map, answer it by id), run the same way in ROUNDS short rounds (CLIENTS x ROUND_JOBS jobs per server)
// whose order alternates; the medians of the per-round ratios say what the mock's routing, checks and wire format
// cost on this machine, whatever else it is doing.
//
//   pnpm run bench:load                   (builds, then 64 clients x 1000 jobs, then 3 rounds against the baseline)
//   CLIENTS=16 JOBS=200 ROUNDS=0 node bench/load.mjs
import { fork } from "node:child_process"
import { Agent, request } from "node:http"
import { fileURLToPath } from "node:url"

const CLIENTS = Number(process.env.CLIENTS ?? 64)
const JOBS = Number(process.env.JOBS ?? 1000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const ROUND_JOBS = Number(process.env.ROUND_JOBS ?? 150)

const self = fileURLToPath(import.meta.url)

if (process.argv[2] === "serve") {
  // ---- child process: the mock, with its default limits and timeouts ----------------------------------------------
  process.on("message", (message) => {
    if (message === "stop") process.exit(0)
    if (message === "rss") process.send({ rss: process.memoryUsage().rss })
    if (message === "cpu") {
      const { user, system } = process.cpuUsage()
      process.send({ cpu: user + system })
    }
  })
  if (process.argv[3] === "bare") {
    const { createServer } = await import("node:http")
    const { randomUUID } = await import("node:crypto")
    const jobs = new Map()
    const answer = (res, body) => {
      const text = `${JSON.stringify(body)}\n`
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
      res.end(text)
    }
    const server = createServer((req, res) => {
      const chunks = []
      req.on("data", (chunk) => chunks.push(chunk))
      req.on("end", () => {
        const url = new URL(req.url, "http://x")
        if (req.method === "POST") {
          const { containers, data } = JSON.parse(Buffer.concat(chunks).toString("utf8"))
          const id = randomUUID()
          jobs.set(id, { id, status: "success", result: { container: containers[0], output: data } })
          answer(res, { id })
        } else if (url.pathname === "/api/jobs") {
          answer(
            res,
            url.searchParams.getAll("id").flatMap((id) => (jobs.has(id) ? [jobs.get(id)] : []))
          )
        } else answer(res, [...jobs.values()])
      })
    })
    server.listen(0, "127.0.0.1", () =>
      process.send({ url: `http://127.0.0.1:${server.address().port}`, rss: process.memoryUsage().rss })
    )
  } else {
    const { startMockNode } = await import("../dist/index.js")
    const node = await startMockNode({
      config: { containers: [{ id: "echo", image: "bench", behavior: { type: "echo" } }] }
    })
    process.send({ url: node.url, rss: process.memoryUsage().rss })
  }
} else {
  // ---- parent: the clients ----------------------------------------------------------------------------------------
  let failures = (await run("mock", JOBS, true)).failures
  const throughput = []
  const cpu = []
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? ["bare", "mock"] : ["mock", "bare"]
    const result = {}
    for (const kind of order) {
      result[kind] = await run(kind, ROUND_JOBS, false)
      failures += result[kind].failures
    }
    throughput.push(result.mock.jobsPerSecond / result.bare.jobsPerSecond)
    cpu.push(result.mock.cpuPerJob / result.bare.cpuPerJob)
    console.log(
      `round ${round} (${CLIENTS} x ${ROUND_JOBS} jobs each): mock ${result.mock.jobsPerSecond} jobs/s, ${Math.round(result.mock.cpuPerJob)} µs CPU per job; baseline ${result.bare.jobsPerSecond} jobs/s, ${Math.round(result.bare.cpuPerJob)} µs`
    )
  }
  if (ROUNDS > 0) {
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    console.log(
      `mock / baseline (medians of per-round ratios): ${median(throughput).toFixed(2)} of the throughput, ${median(cpu).toFixed(2)}x the server CPU per job`
    )
  }
  process.exitCode = failures > 0 ? 1 : 0
}

async function run(kind, JOBS, report) {
  const child = fork(self, ["serve", kind], { stdio: "inherit" })
  const { url, rss: startRss } = await new Promise((resolve, reject) => {
    child.once("message", resolve)
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the mock exited (${code}) before it was listening`)))
  })
  const { hostname, port } = new URL(url)
  const ask = (what) =>
    new Promise((resolve) => {
      const onMessage = (message) => {
        if (message[what] !== undefined) {
          child.off("message", onMessage)
          resolve(message[what])
        }
      }
      child.on("message", onMessage)
      child.send(what)
    })
  const askRss = () => ask("rss")

  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS })
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const started = performance.now()
      const req = request(
        {
          host: hostname,
          port,
          method,
          path,
          agent,
          headers:
            body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
        },
        (res) => {
          const chunks = []
          res.on("data", (chunk) => chunks.push(chunk))
          res.on("end", () =>
            resolve({
              status: res.statusCode,
              text: Buffer.concat(chunks).toString("utf8"),
              ms: performance.now() - started
            })
          )
          res.on("error", reject)
        }
      )
      req.on("error", reject)
      req.end(body)
    })

  const postMs = []
  const getMs = []
  const ids = []
  const problems = { postFailed: 0, getMissing: 0, wrongOutput: 0, notFinished: 0, errors: 0 }

  const client = async (c) => {
    for (let j = 0; j < JOBS; j++) {
      const data = { client: c, seq: j }
      try {
        const created = await send("POST", "/api/jobs", JSON.stringify({ containers: ["echo"], data }))
        postMs.push(created.ms)
        if (created.status !== 200) {
          problems.postFailed++
          continue
        }
        const { id } = JSON.parse(created.text)
        ids.push(id)
        const fetched = await send("GET", `/api/jobs?id=${id}`)
        getMs.push(fetched.ms)
        const [job] = JSON.parse(fetched.text)
        if (job === undefined || job.id !== id) problems.getMissing++
        else if (job.status !== "success") problems.notFinished++
        else if (job.result.output.client !== c || job.result.output.seq !== j) problems.wrongOutput++
      } catch {
        problems.errors++
      }
    }
  }

  let peakRss = startRss
  const sampler = setInterval(async () => {
    peakRss = Math.max(peakRss, await askRss())
  }, 250)
  const cpuBefore = await ask("cpu")
  const started = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const cpuPerJob = ((await ask("cpu")) - cpuBefore) / (CLIENTS * JOBS)
  const endRss = await askRss()
  peakRss = Math.max(peakRss, endRss)

  // Every id handed out is in the mock's job list exactly once, and the list holds nothing else.
  const listed = JSON.parse((await send("GET", "/__mock/jobs")).text).map((job) => job.id)
  const handedOut = new Set(ids)
  const inList = new Set(listed)
  const duplicated = ids.length - handedOut.size + (listed.length - inList.size)
  const lost = [...handedOut].filter((id) => !inList.has(id)).length
  const extra = [...inList].filter((id) => !handedOut.has(id)).length

  const percentile = (values, p) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
  }
  const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`
  const ms = (value) => `${value.toFixed(2)} ms`
  const jobs = CLIENTS * JOBS
  const failures =
    lost +
    duplicated +
    extra +
    problems.postFailed +
    problems.getMissing +
    problems.errors +
    problems.wrongOutput +
    problems.notFinished
  agent.destroy()
  child.send("stop")
  const result = { failures, jobsPerSecond: Math.round(jobs / seconds), cpuPerJob }
  // Rounds against the baseline print one line; the full run, or any run that lost a job, prints everything.
  if (!report && failures === 0) return result
  const name = kind === "mock" ? "node-mock" : "baseline"
  console.log(
    `${name} load: ${CLIENTS} clients x ${JOBS} jobs (POST /api/jobs, then GET /api/jobs?id=), Node ${process.version}`
  )
  console.log(
    `  jobs            ${jobs} in ${seconds.toFixed(1)} s: ${Math.round(jobs / seconds)} jobs/s, ${Math.round((postMs.length + getMs.length) / seconds)} requests/s`
  )
  console.log(`  POST /api/jobs  p50 ${ms(percentile(postMs, 50))}, p99 ${ms(percentile(postMs, 99))}`)
  console.log(`  GET ?id=        p50 ${ms(percentile(getMs, 50))}, p99 ${ms(percentile(getMs, 99))}`)
  console.log(`  server CPU      ${Math.round(cpuPerJob)} µs per job (user + system, both requests)`)
  console.log(`  server RSS      ${mb(startRss)} at start, ${mb(peakRss)} peak, ${mb(endRss)} at the end`)
  console.log(
    `  lost ${lost + problems.postFailed + problems.getMissing + problems.errors}, duplicated ${duplicated + extra}, wrong output ${problems.wrongOutput}, unfinished ${problems.notFinished}`
  )
  if (failures > 0) console.log(`  FAILED: ${JSON.stringify({ lost, duplicated, extra, ...problems })}`)
  return result
}
