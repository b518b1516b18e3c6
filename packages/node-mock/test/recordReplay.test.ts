// Record and replay end to end, as a user runs them: a mock node as the "real" upstream, `infernet-node-mock record`
// in front of it, the usage page's requests sent with the built `infernet-client` (packages/cli/dist/bin.js), the
// recorder stopped with SIGTERM, then `infernet-node-mock --replay` and the same commands again: every output,
// stderr and exit code must be the same, byte for byte.
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { startMockNode } from "../src/index.js"
import type * as Cassette from "../src/Cassette.js"
import { bundleBin, type Running, runBin } from "./utils/bundle.js"

const CLI = fileURLToPath(new URL("../../cli/dist/bin.js", import.meta.url))
const cliMissing = existsSync(CLI)
  ? undefined
  : "the CLI is not built (run: pnpm exec nx run @infernet/cli:build); skipped"

const work = mkdtempSync(join(tmpdir(), "node-mock-record-"))
const cache = mkdtempSync(join(tmpdir(), "node-mock-record-cache-"))
let bin: string
const running: Array<Running> = []

beforeAll(async () => {
  bin = await bundleBin()
}, 60_000)
afterAll(async () => {
  for (const r of running) await r.stop()
})

interface Output {
  readonly command: string
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const cli = (url: string, args: ReadonlyArray<string>): Promise<Output> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: "1" }
    for (const key of ["RPC_URL", "ADDRESS", "PRIVATE_KEY", "ROUTER_URL", "FACTORY_ADDRESS", "REGISTRY_ADDRESS"]) {
      delete env[key]
    }
    env.SERVER_URL = url
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: env as NodeJS.ProcessEnv })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ command: `infernet-client ${args.join(" ")}`, code, stdout, stderr }))
  })

const completion = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
}
const embedding = {
  model: "text-embedding-3-small",
  params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
}
const streaming = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
}
writeFileSync(join(work, "input-data.json"), JSON.stringify(completion))
writeFileSync(join(work, "embedding.json"), JSON.stringify(embedding))
writeFileSync(join(work, "stream.json"), JSON.stringify(streaming))
writeFileSync(
  join(work, "requests.json"),
  JSON.stringify([
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["non-existent-container"], data: embedding }
  ])
)

const STATUS_ID = "d77215c8-dd25-4843-89c4-788eef9ed324"

/** The usage page, section by section, with the CLI (as scripts/demo.mjs walks it). */
const usagePage = async (url: string): Promise<Array<Output>> => {
  const outputs: Array<Output> = []
  const run = async (...args: Array<string>) => {
    const output = await cli(url, args)
    outputs.push(output)
    return output
  }
  await run("info")
  await run("job", "-c", "openai-inference-0.0.1", "-i", "input-data.json")
  const batch = await run("batch", "-i", "requests.json")
  const ids = (JSON.parse(batch.stdout) as Array<{ id?: string }>).flatMap((item) => (item.id ? [item.id] : []))
  await run("results", ...ids.flatMap((id) => ["--id", id]))
  await run("job", "-c", "openai-inference-0.0.1", "-i", "embedding.json", "--sync", "--retries", "20")
  await run("stream", "-c", "openai-inference-streaming-0.0.1", "-i", "stream.json")
  await run("ids")
  await run("ids", "--status", "completed")
  await run("ids", "--status", "pending")
  await run("status", "--id", STATUS_ID, "--status", "running", "-c", "openai-inference")
  await run("status", "--id", STATUS_ID, "--status", "success", "-c", "openai-inference")
  await run("results", "--id", STATUS_ID)
  return outputs
}

describe("infernet-node-mock record, then --replay, with the CLI", () => {
  it.skipIf(cliMissing !== undefined)(
    `replays the usage page byte for byte${cliMissing === undefined ? "" : ` (${cliMissing})`}`,
    async () => {
      const upstream = await startMockNode()
      const out = join(work, "usage.cassette.json")
      let recorded: Array<Output>
      try {
        const recorder = runBin(bin, ["record", "--upstream", upstream.url, "--out", out, "--port", "0"], work)
        running.push(recorder)
        const [, recorderUrl] = await recorder.waitFor(/recording on (http:\/\/\S+)/)
        recorded = await usagePage(recorderUrl!)
        assert.strictEqual(await recorder.stop(), 0, recorder.stderr())
        assert.match(recorder.stdout(), /infernet-node-mock record: \d+ exchange\(s\) written to /)
      } finally {
        await upstream.close()
      }
      // The recorded session did what the usage page shows (the batch's third item is refused: exit code 4).
      assert.deepStrictEqual(
        recorded.map((o) => o.code),
        [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      )
      assert.match(recorded[5]!.stdout, /a branch of machine learning/)

      const cassette = JSON.parse(readFileSync(out, "utf8")) as Cassette.Cassette
      const stream = cassette.interactions.find((i) => i.request.path === "/api/jobs/stream")!
      assert.isAbove(stream.response.chunks!.length, 2)

      const replay = runBin(bin, ["--replay", out, "--port", "0"], work)
      running.push(replay)
      const [, replayUrl] = await replay.waitFor(/listening on (http:\/\/\S+)/)
      await replay.waitFor(/Press Ctrl-C/)
      assert.include(replay.stdout(), `Inspector:   ${replayUrl}/__mock/ui`)
      assert.include(replay.stdout(), `Replaying ${out} (strict)`)
      const replayed = await usagePage(replayUrl!)
      for (let i = 0; i < recorded.length; i++) {
        assert.deepStrictEqual(replayed[i], recorded[i], `${recorded[i]!.command} differs on replay`)
      }
      const summary = await (await fetch(`${replayUrl}/__mock/replay`)).json()
      assert.strictEqual(summary.misses, 0)
      assert.strictEqual(await replay.stop(), 0)
    },
    120_000
  )

  it("refuses bad record arguments with exit code 2", async () => {
    const missing = runBin(bin, ["record", "--out", join(work, "x.json")], work)
    assert.strictEqual(await missing.exit, 2)
    assert.include(missing.stderr(), "--upstream <url> is required")
    const badUrl = runBin(bin, ["record", "--upstream", "localhost:4000", "--out", join(work, "x.json")], work)
    assert.strictEqual(await badUrl.exit, 2)
    assert.include(badUrl.stderr(), '--upstream expects an http(s) URL, got "localhost:4000"')
    const badMode = runBin(bin, ["--replay", join(work, "x.json"), "--replay-mode", "loose"], work)
    assert.strictEqual(await badMode.exit, 2)
    assert.include(badMode.stderr(), '--replay-mode expects strict or fallback, got "loose"')
    const withNetwork = runBin(bin, ["--replay", join(work, "x.json"), "--nodes", "2"], work)
    assert.strictEqual(await withNetwork.exit, 2)
    assert.include(withNetwork.stderr(), "--replay starts one node; it cannot be combined with --nodes or --router")
  })

  it("writes the cassette and exits 0 on SIGINT too", async () => {
    const upstream = await startMockNode()
    const out = join(work, "sigint.cassette.json")
    try {
      const recorder = runBin(bin, ["record", "--upstream", upstream.url, "--out", out, "--port", "0"], work)
      running.push(recorder)
      const [, url] = await recorder.waitFor(/recording on (http:\/\/\S+)/)
      await fetch(`${url}/health`)
      recorder.child.kill("SIGINT")
      assert.strictEqual(await recorder.exit, 0)
      const cassette = JSON.parse(readFileSync(out, "utf8")) as Cassette.Cassette
      assert.deepStrictEqual(
        cassette.interactions.map((i) => [i.request.path, i.response.status, i.response.body]),
        [["/health", 200, '{"status":"healthy"}\n']]
      )
    } finally {
      await upstream.close()
    }
  })
})
