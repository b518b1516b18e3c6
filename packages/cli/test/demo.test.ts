// The Quick start's main job (scripts/demo.mjs) as users run it: Anvil, node-mock's own executable (one node, then a
// network of three behind the mock router) and the built binary. It runs on the built packages, so it needs `pnpm build` first (Nx's test target depends on it).
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { CACHE_HOME } from "./utils/cli.js"

const require = createRequire(import.meta.url)
const demo = fileURLToPath(new URL("../scripts/demo.mjs", import.meta.url))
const built = [
  join(dirname(require.resolve("@infernet/node-mock/package.json")), "dist", "bin.js"),
  join(dirname(require.resolve("@infernet/chain/package.json")), "dist", "devnet", "index.js")
].every(existsSync)

describe("scripts/demo.mjs", () => {
  it("walks the usage page and exits 0", async ({ skip }) => {
    skip(!built, "node-mock and chain are not built: run `pnpm build` (Nx's test target builds them first)")
    const child = spawn(process.execPath, [demo], {
      env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    assert.strictEqual(code, 0, output)
    for (const line of [
      "$ infernet-client info",
      "$ infernet-client job -c openai-inference-0.0.1 -i input-data.json",
      "$ infernet-client batch -i requests.json",
      "(exit code 4, as expected)",
      "$ infernet-client job -c openai-inference-0.0.1 -i input-data.json --sync --retries 20",
      "$ infernet-client stream -c openai-inference-streaming-0.0.1 -i input-data.json",
      "$ infernet-client ids --status completed",
      "Success: Job status recorded.",
      "Success: Subscription created.",
      "node-mock recovered the EIP-712 signer: verified",
      "(exit code 6, as expected)",
      "error: Insufficient allowance: ",
      "allowance 1000000000000, needs 2000000000000"
    ]) {
      assert.include(output, line)
    }
    // Discovery: containers and find through the router, a job routed with -n auto, its node stopped, the next
    // job routed around it (the demo itself fails when it is not).
    for (const line of [
      "$ infernet-client containers",
      "$ infernet-client find -c openai-inference-streaming-0.0.1",
      "$ infernet-client job -c hello-world -i hello.json -n auto",
      '{"id":"openai-inference-streaming-0.0.1","count":2,'
    ]) {
      assert.include(output, line)
    }
    const routed = [...output.matchAll(/^Node: (http:\/\/127\.0\.0\.1:\d+)$/gm)].map((m) => m[1])
    assert.strictEqual(routed.length, 2, output)
    assert.notStrictEqual(routed[0], routed[1])
    assert.match(
      output,
      /\$ curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/__mock\/nodes\/\d\/down\n\{"delay_ms":0,"down":true/
    )
    assert.match(output, /\{"available":\["127\.0\.0\.1:\d+","127\.0\.0\.1:\d+"\]\}/)
    assert.match(output, /Created wallet|"action":"create-wallet"/)
    assert.match(
      output,
      /Sent 0\.01 ETH \(10000000000000000 wei\) to wallet 0x[0-9a-fA-F]{40} \(transaction 0x[0-9a-f]{64}\)/
    )
    assert.match(output, /holds 0\.01 ETH/)
    assert.match(output, /Withdrew 0\.005 ETH/)
    assert.strictEqual(output.match(/Success: Subscription created\./g)?.length, 2)
    assert.match(
      output,
      /\$ infernet-client sub --expiry \d+ --address 0x[0-9a-fA-F]{40} --rpc_url http:\/\/127\.0\.0\.1:\d+ --key key-file\.txt --params params\.json --input input\.json/
    )
  }, 120_000)
})
