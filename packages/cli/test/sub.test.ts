// `sub` for real: the built binary signs against test Coordinators deployed on a local Anvil, node-mock verifies the
// signatures it receives, and one subscription is then created on-chain to exercise the nonce-reuse warning.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Coordinator, DelegatedSubscription } from "@infernet/chain"
import { type Anvil, deployTestCoordinator, startAnvil } from "@infernet/chain/devnet"
import { MockConfig, type RunningMockNode, startMockNode } from "@infernet/node-mock"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createWalletClient, http, type Hex } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { foundry } from "viem/chains"
import { runCli } from "./utils/cli.js"
import { closedPort, silentServer, usagePageParams } from "./utils/mock.js"

const dir = mkdtempSync(join(tmpdir(), "infernet-cli-sub-"))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

let anvil: Anvil
let v0: { coordinator: string; owner: string }
let v1: { coordinator: string; owner: string }
let node0: RunningMockNode
let node1: RunningMockNode
let signerKey: Hex
let otherKey: Hex

const mockFor = (coordinator: string, owner: string, signer: string) =>
  startMockNode({
    config: {
      ...MockConfig.defaultConfig,
      chain: { ...MockConfig.defaultConfig.chain, enabled: true, coordinator_address: coordinator },
      mock: { ...MockConfig.defaultConfig.mock, chain_id: anvil.chainId, delegate_signers: { [owner]: signer } }
    }
  })

const inAnHour = () => String(Math.floor(Date.now() / 1000) + 3600)

beforeAll(async () => {
  anvil = await startAnvil()
  const signer = anvil.accounts[1]!
  signerKey = signer.privateKey
  otherKey = anvil.accounts[2]!.privateKey
  v0 = await deployTestCoordinator({ rpcUrl: anvil.rpcUrl, generation: "v0", signer: signer.address })
  v1 = await deployTestCoordinator({ rpcUrl: anvil.rpcUrl, generation: "v1", signer: signer.address })
  node0 = await mockFor(v0.coordinator, v0.owner, signer.address)
  node1 = await mockFor(v1.coordinator, v1.owner, signer.address)
  file("key-file.txt", `${signerKey}\n`)
  file("other-key.txt", otherKey)
  file(
    "input.json",
    JSON.stringify({
      model: "gpt-3.5-turbo-16k",
      params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
    })
  )
  // The usage page's Subscription, owned by the test owner contract.
  file("params.json", JSON.stringify(usagePageParams(v0.owner)))
  file(
    "params-v1.json",
    JSON.stringify({
      owner: v1.owner,
      active_at: 0,
      period: 0,
      frequency: 1,
      redundancy: 1,
      containers: ["hello-world"]
    })
  )
}, 60_000)

afterAll(async () => {
  await node0?.close()
  await node1?.close()
  await anvil?.close()
})

const usagePageArgs = (expiry: string) => [
  "sub",
  "--expiry",
  expiry,
  "--address",
  v0.coordinator,
  "--rpc_url",
  anvil.rpcUrl,
  "--key",
  "key-file.txt",
  "--params",
  "params.json",
  "--input",
  "input.json"
]

describe("sub (Anvil + node-mock)", () => {
  it("the usage page's command creates a v0 subscription the node can verify", async () => {
    const result = await runCli(usagePageArgs(inAnHour()), { cwd: dir, env: { SERVER_URL: node0.url } })
    assert.strictEqual(result.code, 0, result.stderr)
    assert.strictEqual(result.stdout, "Success: Subscription created.\n")
    assert.strictEqual(result.stderr, "")
    const [recorded] = await node0.subscriptions()
    assert.strictEqual(recorded?.version, "v0")
    assert.strictEqual(recorded?.accepted, true)
    assert.strictEqual(recorded?.nonce, 1, "maxSubscriberNonce(owner) + 1")
    assert.deepStrictEqual(recorded?.containers, ["openai-inference"])
    assert.deepStrictEqual(recorded?.signature, { status: "verified", signer: anvil.accounts[1]!.address })
  })

  it("v1 from the environment (RPC_URL, ADDRESS, PRIVATE_KEY without 0x), --rpc-url spelling too", async () => {
    const env = {
      SERVER_URL: node1.url,
      RPC_URL: anvil.rpcUrl,
      ADDRESS: v1.coordinator,
      PRIVATE_KEY: signerKey.slice(2)
    }
    const result = await runCli(["sub", "--expiry", inAnHour(), "--params", "params-v1.json", "-i", "input.json"], {
      cwd: dir,
      env
    })
    assert.strictEqual(result.code, 0, result.stderr)
    assert.strictEqual(result.stdout, "Success: Subscription created.\n")
    const dashed = await runCli(
      ["sub", "--expiry", inAnHour(), "--params", "params-v1.json", "-i", "input.json", "--rpc-url", anvil.rpcUrl],
      { cwd: dir, env: { ...env, RPC_URL: "http://127.0.0.1:1" } }
    )
    assert.strictEqual(dashed.code, 0, dashed.stderr)
    const recorded = await node1.subscriptions()
    assert.strictEqual(recorded.length, 2)
    for (const r of recorded) {
      assert.strictEqual(r.version, "v1")
      assert.deepStrictEqual(r.containers, ["hello-world"])
      assert.strictEqual(r.signature.status, "verified")
    }
  })

  it("6: a signer the owner contract does not delegate to is caught before sending; keys never printed", async () => {
    const before = (await node0.subscriptions()).length
    const args = usagePageArgs(inAnHour()).map((a) => (a === "key-file.txt" ? "other-key.txt" : a))
    const result = await runCli(args, { cwd: dir, env: { SERVER_URL: node0.url } })
    assert.strictEqual(result.code, 6)
    assert.match(result.stderr, /^error: createSubscriptionDelegatee would revert [^\n]*SignerMismatch/)
    assert.isTrue(result.stderr.endsWith("; nothing was sent (--skip-simulation sends it anyway)\n"))
    assert.strictEqual(result.stderr.split("\n").length, 2)
    assert.strictEqual((await node0.subscriptions()).length, before)
    const verbose = await runCli([...args, "--verbose"], { cwd: dir, env: { SERVER_URL: node0.url } })
    for (const output of [result.stdout, result.stderr, verbose.stdout, verbose.stderr]) {
      assert.notInclude(output.toLowerCase(), otherKey.slice(2).toLowerCase())
      assert.notInclude(output.toLowerCase(), signerKey.slice(2).toLowerCase())
    }
  })

  it("6: an expired signature is caught by the dry run; with --skip-simulation the node refuses it (4)", async () => {
    const past = String(Math.floor(Date.now() / 1000) - 60)
    const simulated = await runCli(usagePageArgs(past), { cwd: dir, env: { SERVER_URL: node0.url } })
    assert.strictEqual(simulated.code, 6)
    assert.include(simulated.stderr, "SignatureExpired")
    const sent = await runCli([...usagePageArgs(past), "--skip-simulation"], {
      cwd: dir,
      env: { SERVER_URL: node0.url }
    })
    assert.strictEqual(sent.code, 4)
    assert.include(sent.stderr, "Signature expired")
  })

  it("6: an unusable key or an unreachable RPC", async () => {
    file("bad-key.txt", "this is not a key")
    const bad = await runCli(
      usagePageArgs(inAnHour()).map((a) => (a === "key-file.txt" ? "bad-key.txt" : a)),
      { cwd: dir, env: { SERVER_URL: node0.url } }
    )
    assert.strictEqual(bad.code, 6)
    assert.match(bad.stderr, /^error: Invalid private key/)
    assert.notInclude(bad.stderr, "this is not a key")
    const port = await closedPort()
    const rpc = await runCli(
      usagePageArgs(inAnHour()).map((a) => (a === anvil.rpcUrl ? `http://127.0.0.1:${port}` : a)),
      { cwd: dir, env: { SERVER_URL: node0.url } }
    )
    assert.strictEqual(rpc.code, 6)
    assert.match(rpc.stderr, /^error: RPC call \S+ failed/)
    assert.strictEqual(rpc.stderr.split("\n").length, 2)
  })

  it("2 and 5: missing flags and bad params files", async () => {
    const noAddress = await runCli(
      ["sub", "--expiry", inAnHour(), "--rpc_url", anvil.rpcUrl, "--key", "key-file.txt", "--params", "params.json"],
      { cwd: dir, env: { SERVER_URL: node0.url } }
    )
    assert.strictEqual(noAddress.code, 2)
    assert.strictEqual(noAddress.stderr, "error: missing Coordinator address: pass --address 0x... or set ADDRESS\n")
    const noKey = await runCli(
      usagePageArgs(inAnHour()).filter((a) => a !== "--key" && a !== "key-file.txt"),
      {
        cwd: dir,
        env: { SERVER_URL: node0.url }
      }
    )
    assert.strictEqual(noKey.code, 2)
    assert.include(noKey.stderr, "missing signing key")
    file(
      "negative.json",
      JSON.stringify({
        ...JSON.parse('{"owner":"0x0000000000000000000000000000000000000001"}'),
        active_at: -1,
        period: 3,
        frequency: 2,
        redundancy: 2,
        max_gas_price: 1,
        max_gas_limit: 1,
        container_id: "a"
      })
    )
    const negative = await runCli(
      usagePageArgs(inAnHour()).map((a) => (a === "params.json" ? "negative.json" : a)),
      { cwd: dir, env: { SERVER_URL: node0.url } }
    )
    assert.strictEqual(negative.code, 5)
    assert.match(negative.stderr, /^error: negative\.json: active_at /)
    file("typo.json", JSON.stringify({ owner: v0.owner, actve_at: 0 }))
    const typo = await runCli(
      usagePageArgs(inAnHour()).map((a) => (a === "params.json" ? "typo.json" : a)),
      {
        cwd: dir,
        env: { SERVER_URL: node0.url }
      }
    )
    assert.strictEqual(typo.code, 5)
    assert.strictEqual(
      typo.stderr,
      'error: typo.json: unknown field "actve_at" for a v0 subscription; did you mean "active_at"?\n'
    )
  })

  it("refuses a nonce the owner already used on-chain (the Coordinator would ignore it); the default moves past it", async () => {
    // Create the first recorded subscription on-chain, as a node would when delivering its first result.
    const [recorded] = await node0.subscriptions()
    const { subscription, signature } = DelegatedSubscription.fromRequestBody(recorded!.request)
    assert.strictEqual(subscription.version, "v0")
    const wallet = createWalletClient({
      account: privateKeyToAccount(anvil.accounts[0]!.privateKey),
      chain: { ...foundry, id: anvil.chainId },
      transport: http(anvil.rpcUrl)
    })
    const { version: _, ...sub } = subscription as DelegatedSubscription.FromRequestBodyReturnType["subscription"] & {
      version: "v0"
    }
    const toHex = (n: bigint): Hex => `0x${n.toString(16).padStart(64, "0")}`
    await wallet.writeContract({
      address: v0.coordinator as Hex,
      abi: Coordinator.abiV0,
      functionName: "createSubscriptionDelegatee",
      args: [signature.nonce, signature.expiry, sub as never, signature.v, toHex(signature.r), toHex(signature.s)]
    })
    const reused = await runCli([...usagePageArgs(inAnHour()), "--nonce", "1"], {
      cwd: dir,
      env: { SERVER_URL: node0.url }
    })
    assert.strictEqual(reused.code, 6)
    assert.match(
      reused.stderr,
      /^error: nonce 1 was already used by 0x[0-9a-fA-F]{40}: the Coordinator would return the existing subscription 1 and ignore this one/
    )
    const forced = await runCli([...usagePageArgs(inAnHour()), "--nonce", "1", "--skip-simulation"], {
      cwd: dir,
      env: { SERVER_URL: node0.url }
    })
    assert.strictEqual(forced.code, 0, forced.stderr)
    const next = await runCli(usagePageArgs(inAnHour()), { cwd: dir, env: { SERVER_URL: node0.url } })
    assert.strictEqual(next.code, 0, next.stderr)
    assert.strictEqual(next.stderr, "")
    assert.strictEqual((await node0.subscriptions()).at(-1)?.nonce, 2)
    const verbose = await runCli([...usagePageArgs(inAnHour()), "--verbose"], {
      cwd: dir,
      env: { SERVER_URL: node0.url }
    })
    assert.match(
      verbose.stderr,
      /^Sent a v0 subscription of 0x[0-9a-fA-F]{40} \(nonce 2, expiry \d+\) for the Coordinator at /
    )
  })
})

describe("sub and --timeout", () => {
  it("each RPC request is bounded by --timeout: a hanging RPC fails in about 2 s with --timeout 2", async () => {
    const hanging = await silentServer()
    try {
      const args = usagePageArgs(inAnHour()).map((arg) => (arg === anvil.rpcUrl ? hanging.url : arg))
      const started = Date.now()
      const result = await runCli([...args, "--timeout", "2"], { cwd: dir, env: { SERVER_URL: node0.url } })
      const elapsed = Date.now() - started
      assert.strictEqual(result.code, 6, result.stderr)
      assert.match(result.stderr, /^error: RPC call \S+ failed: .*took too long/i)
      assert.isAtLeast(elapsed, 1_900)
      assert.isBelow(elapsed, 5_000)
    } finally {
      await hanging.close()
    }
  })
})
