// Cold-start benchmark of the built `infernet-client` (pnpm run bench, after pnpm build).
//
// Each round runs, in turn: `node -e 0` (the baseline: Node's own start-up), `infernet-client --version`,
// `infernet-client info` against a mock node on loopback, `--version` again with the code cache disabled
// (INFERNET_CLI_NO_CACHE=1: what a first run costs). Rounds rotate the order so drift on a busy
// machine hits every command alike; the first rounds are a warm-up and are not counted. Reports medians and their
// ratio to the baseline's median, measured in the same run.
//
//   node bench/startup.mjs [--runs N]     (default 30 rounds, 3 warm-up)
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { cpus, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const BIN = join(here, "..", "dist", "bin.js")
const runsArg = process.argv.indexOf("--runs")
const ROUNDS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30
const WARMUP = 3

if (!existsSync(BIN)) {
  console.error("bench: dist/bin.js is missing; run pnpm build first")
  process.exit(1)
}
const require = createRequire(import.meta.url)
const mockPackage = require.resolve("@infernet/node-mock/package.json")
const mockBin = join(dirname(mockPackage), JSON.parse(readFileSync(mockPackage, "utf8")).bin["infernet-node-mock"])

const time = (args, env) =>
  new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (code !== 0) reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr}`))
      else resolve(ms)
    })
  })

const startMock = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mockBin, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve({ url: match[1], close: () => child.kill("SIGTERM") })
    })
    child.once("exit", (code) => reject(new Error(`infernet-node-mock exited with ${code}: ${output}`)))
  })

const cache = mkdtempSync(join(tmpdir(), "infernet-bench-cache-"))
const node = await startMock()
const env = { ...process.env, XDG_CACHE_HOME: cache, SERVER_URL: node.url }
delete env.INFERNET_CLI_NO_CACHE

const cases = [
  { name: "node -e 0 (baseline)", args: ["-e", "0"], env },
  { name: "infernet-client --version", args: [BIN, "--version"], env },
  { name: "infernet-client info (mock node on loopback)", args: [BIN, "info"], env },
  {
    name: "infernet-client --version, no code cache (first run)",
    args: [BIN, "--version"],
    env: { ...env, INFERNET_CLI_NO_CACHE: "1" }
  }
]
const samples = cases.map(() => [])
try {
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    // Rotate the order each round so no command always runs right after the same one.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length
      const ms = await time(cases[i].args, cases[i].env)
      if (round >= WARMUP) samples[i].push(ms)
    }
  }
} finally {
  node.close()
  rmSync(cache, { recursive: true, force: true })
}

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
const baseline = quantile(samples[0], 0.5)
const rows = cases.map((c, i) => ({
  command: c.name,
  medianMs: Math.round(quantile(samples[i], 0.5)),
  p90Ms: Math.round(quantile(samples[i], 0.9)),
  ratio: Number((quantile(samples[i], 0.5) / baseline).toFixed(2))
}))

console.log(
  `infernet-client start-up: ${ROUNDS} rounds (+${WARMUP} warm-up), Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"})\n`
)
console.log("| command | median | p90 | vs `node -e 0` |")
console.log("|---|---:|---:|---:|")
for (const row of rows)
  console.log(`| ${row.command} | ${row.medianMs} ms | ${row.p90Ms} ms | ${row.ratio.toFixed(2)}x |`)

const out = join(here, "results")
mkdirSync(out, { recursive: true })
writeFileSync(
  join(out, "startup.json"),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, rows }, null, 2)}\n`
)
