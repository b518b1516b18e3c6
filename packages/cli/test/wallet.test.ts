// The payment commands for real: the built binary against the devnet's Registry, WalletFactory and a 6-decimals
// token on a local Anvil, with Python 1.4's flags and environment variables.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Wallet } from "@infernet/chain"
import { type Anvil, deployTestCoordinator, deployTestToken, startAnvil } from "@infernet/chain/devnet"
import { MockConfig, type RunningMockNode, startMockNode } from "@infernet/node-mock"
import { Json } from "@infernet/types"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createPublicClient, http, keccak256, parseEther } from "viem"
import { getTransactionCount } from "viem/actions"
import { expandShortFlags, sentHashes } from "../src/internal/wallet.js"
import { runCli } from "./utils/cli.js"
import { serve, silentServer } from "./utils/mock.js"
import { startRpcProxy } from "./utils/rpcProxy.js"

const dir = mkdtempSync(join(tmpdir(), "infernet-cli-wallet-"))

let anvil: Anvil
let factory: string
let consumer: string
let usdc: string
let ownerKey: string
let owner: string
let strangerKey: string
let stranger: string
let wallet: string
let registry: string
let coordinator: string
let node: RunningMockNode

beforeAll(async () => {
  anvil = await startAnvil()
  ;({ address: owner, privateKey: ownerKey } = anvil.accounts[2]!)
  ;({ address: stranger, privateKey: strangerKey } = anvil.accounts[3]!)
  const deployed = await deployTestCoordinator({ rpcUrl: anvil.rpcUrl, generation: "v1", signer: anvil.accounts[1]! })
  factory = deployed.walletFactory!
  registry = deployed.registry!
  coordinator = deployed.coordinator
  consumer = deployed.owner
  node = await startMockNode({
    config: {
      ...MockConfig.defaultConfig,
      chain: { ...MockConfig.defaultConfig.chain, enabled: true, coordinator_address: coordinator },
      mock: {
        ...MockConfig.defaultConfig.mock,
        chain_id: anvil.chainId,
        delegate_signers: { [consumer]: anvil.accounts[1]!.address }
      }
    }
  })
  writeFileSync(join(dir, "signer.txt"), anvil.accounts[1]!.privateKey)
  writeFileSync(join(dir, "input.json"), "{}")
  usdc = await deployTestToken({ rpcUrl: anvil.rpcUrl, symbol: "USDC", decimals: 6, mint: { [owner]: 10_000_000n } })
  writeFileSync(join(dir, "key.txt"), `${ownerKey.slice(2)}\n`)
}, 60_000)

afterAll(async () => {
  await node?.close()
  await anvil?.close()
})

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: { RPC_URL: anvil.rpcUrl, ...env } })

const hash = /transaction 0x[0-9a-f]{64}\)$/

describe("payment commands (Anvil)", () => {
  it("create-wallet: --factory and -pk, owner defaults to the key's address; --json", async () => {
    const result = await run(["create-wallet", "--factory", factory, "-pk", ownerKey, "--json"])
    assert.strictEqual(result.code, 0, result.stderr)
    const out = Json.parse(result.stdout) as Record<string, unknown>
    assert.strictEqual(out.action, "create-wallet")
    assert.strictEqual(out.owner, owner)
    assert.strictEqual(out.factory, factory)
    assert.match(String(out.hash), /^0x[0-9a-f]{64}$/)
    wallet = String(out.wallet)
    assert.strictEqual(await Wallet.owner({ rpcUrl: anvil.rpcUrl, wallet }), owner)
  })

  it("create-wallet: FACTORY_ADDRESS and PRIVATE_KEY from the environment, --owner for someone else", async () => {
    const result = await run(["create-wallet", "--owner", owner], {
      FACTORY_ADDRESS: factory,
      PRIVATE_KEY: strangerKey
    })
    assert.strictEqual(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      new RegExp(`^Created wallet 0x[0-9a-fA-F]{40} owned by ${owner} \\(transaction 0x[0-9a-f]{64}\\)\\n$`)
    )
  })

  it("fund with ETH and with the token (its own decimals); approve; balance shows balance and allowance", async () => {
    const eth = await run(["fund", "-w", wallet, "-a", "1 ether", "--key", "key.txt"])
    assert.strictEqual(eth.code, 0, eth.stderr)
    assert.match(eth.stdout.trim(), new RegExp(`^Sent 1 ETH \\(1000000000000000000 wei\\) to wallet ${wallet} `))
    assert.match(eth.stdout.trim(), hash)
    const token = await run(["fund", "-w", wallet, "-a", "2.5", "-t", usdc, "--key", "key.txt"])
    assert.strictEqual(token.code, 0, token.stderr)
    assert.match(token.stdout, /^Sent 2\.5 USDC \(2500000\) to wallet /)
    const approve = await run([
      "approve",
      "-w",
      wallet,
      "-s",
      consumer,
      "-a",
      "100 gwei",
      "--private-key",
      ownerKey,
      "--rpc_url",
      anvil.rpcUrl
    ])
    assert.strictEqual(approve.code, 0, approve.stderr)
    assert.match(
      approve.stdout,
      new RegExp(`^Approved ${consumer} to spend 0\\.0000001 ETH \\(100000000000 wei\\) from wallet ${wallet} `)
    )
    const balance = await run(["balance", "-w", wallet, "-s", consumer])
    assert.strictEqual(balance.code, 0, balance.stderr)
    assert.strictEqual(
      balance.stdout,
      `Wallet ${wallet} (owner ${owner}) holds 1 ETH (1000000000000000000 wei)\n` +
        `${consumer} may spend 0.0000001 ETH (100000000000 wei) of it\n`
    )
    const json = await run(["balance", "-w", wallet, "-t", usdc, "--json"])
    assert.deepStrictEqual(Json.parse(json.stdout), {
      wallet,
      owner,
      token: usdc,
      balance: 2_500_000
    })
  })

  it("withdraw within the balance; beyond it fails with exit code 6 and sends nothing", async () => {
    const ok = await run(["withdraw", "-w", wallet, "-a", "0.25 ether", "--key", "key.txt"])
    assert.strictEqual(ok.code, 0, ok.stderr)
    assert.match(
      ok.stdout,
      new RegExp(`^Withdrew 0\\.25 ETH \\(250000000000000000 wei\\) from wallet ${wallet} to its owner ${owner} `)
    )
    const beyond = await run(["withdraw", "-w", wallet, "-a", "5 ether", "--key", "key.txt"])
    assert.strictEqual(beyond.code, 6)
    assert.strictEqual(
      beyond.stderr,
      `error: Insufficient funds for withdraw on ${wallet}: asked for 5000000000000000000, 750000000000000000 available ` +
        "(more than the unlocked balance; the available figure includes any amount in escrow)\n"
    )
    assert.strictEqual(await Wallet.balance({ rpcUrl: anvil.rpcUrl, wallet }), 750_000_000_000_000_000n)
  })

  it("a non-owner's approve and withdraw fail with NotOwner; keys are never printed", async () => {
    for (const args of [
      ["approve", "-w", wallet, "-s", stranger, "-a", "1"],
      ["withdraw", "-w", wallet, "-a", "1"]
    ]) {
      const result = await run([...args, "-pk", strangerKey, "--verbose"])
      assert.strictEqual(result.code, 6)
      assert.include(result.stderr, `can call ${args[0]} on ${wallet}; the sender is ${stranger}`)
      assert.include(result.stderr, `Only its owner ${owner}`)
      for (const output of [result.stdout, result.stderr]) {
        assert.notInclude(output.toLowerCase(), strangerKey.slice(2).toLowerCase())
      }
    }
  })

  it("sub with payment fields: checked against the Registry before signing, and says what is missing", async () => {
    const params = (paymentAmount: number) => {
      writeFileSync(
        join(dir, "paid.json"),
        JSON.stringify({
          owner: consumer,
          active_at: 0,
          period: 0,
          frequency: 1,
          redundancy: 1,
          containers: ["hello-world"],
          payment_amount: paymentAmount,
          wallet
        })
      )
      return "paid.json"
    }
    const expiry = () => String(Math.floor(Date.now() / 1000) + 3600)
    const sub = (file: string, extra: ReadonlyArray<string> = []) =>
      run(
        [
          "sub",
          "--expiry",
          expiry(),
          "--address",
          coordinator,
          "--key",
          "signer.txt",
          "--params",
          file,
          "-i",
          "input.json",
          ...extra
        ],
        { SERVER_URL: node.url }
      )
    // approved for 100 gwei of ETH above: more is missing, and nothing is sent
    const before = (await node.subscriptions()).length
    const missing = await sub(params(200_000_000_000), ["--registry", registry])
    assert.strictEqual(missing.code, 6)
    assert.strictEqual(
      missing.stderr,
      `error: Insufficient allowance: ${wallet} has not approved spender ${consumer} for enough of ETH: allowance ` +
        "100000000000, needs 200000000000 (the wallet's owner must approve at least 200000000000: Wallet.approve or infernet-client approve)\n"
    )
    const noRegistry = await sub(params(100_000_000_000))
    assert.strictEqual(noRegistry.code, 2)
    assert.include(noRegistry.stderr, "pass --registry ADDRESS (the Coordinator's Registry) or set REGISTRY_ADDRESS")
    assert.strictEqual((await node.subscriptions()).length, before)
    // within the allowance: signed and sent, the node verifies the signature
    const ok = await runCli(
      ["sub", "--expiry", expiry(), "--key", "signer.txt", "--params", params(100_000_000_000), "-i", "input.json"],
      {
        cwd: dir,
        env: { SERVER_URL: node.url, RPC_URL: anvil.rpcUrl, ADDRESS: coordinator, REGISTRY_ADDRESS: registry }
      }
    )
    assert.strictEqual(ok.code, 0, ok.stderr)
    assert.strictEqual(ok.stdout, "Success: Subscription created.\n")
    const recorded = await node.subscriptions()
    assert.strictEqual(recorded.length, before + 1)
    assert.strictEqual(recorded.at(-1)?.signature.status, "verified")
    // --skip-payment-check signs without the Registry
    const skipped = await sub(params(200_000_000_000), ["--skip-payment-check", "--skip-simulation"])
    assert.strictEqual(skipped.code, 0, skipped.stderr)
  })

  it("usage errors: missing key, factory or RPC URL, a bad amount; one line, exit code 2 or 6", async () => {
    const noKey = await run(["fund", "-w", wallet, "-a", "1"])
    assert.deepStrictEqual(
      [noKey.code, noKey.stderr.split("\n")[0]],
      [2, "error: missing private key: pass --key FILE (a file holding it), set PRIVATE_KEY, or pass --private-key"]
    )
    const noFactory = await run(["create-wallet", "--key", "key.txt"])
    assert.strictEqual(noFactory.code, 2)
    assert.include(noFactory.stderr, "missing WalletFactory address: pass --factory ADDRESS or set FACTORY_ADDRESS")
    const noRpc = await runCli(["balance", "-w", wallet], { cwd: dir })
    assert.strictEqual(noRpc.code, 2)
    assert.include(noRpc.stderr, "missing RPC URL: pass --rpc-url URL or set RPC_URL")
    const amount = await run(["fund", "-w", wallet, "-a", "1 bitcoin", "--key", "key.txt"])
    assert.strictEqual(amount.code, 6)
    assert.strictEqual(
      amount.stderr,
      'error: Invalid amount: "1 bitcoin" has an unknown unit "bitcoin": use wei, gwei, ether\n'
    )
    const badKey = await run(["fund", "-w", wallet, "-a", "1", "-pk", "0x1234"])
    assert.strictEqual(badKey.code, 6)
    assert.strictEqual(
      badKey.stderr,
      "error: Invalid private key: expected 32 bytes as 64 hex digits, optionally 0x-prefixed\n"
    )
  })
})

describe("a transaction that may have been sent (fake RPC in front of Anvil)", () => {
  const direct = () => createPublicClient({ transport: http(anvil.rpcUrl) })

  it("fund: the hash is printed when sent; an answer later than --timeout exits 8 naming it; the chain holds it once", async () => {
    const slow = await startRpcProxy(anvil.rpcUrl, {
      delay: (method) => (method === "eth_sendRawTransaction" ? 4_000 : 0)
    })
    try {
      const nonce = await getTransactionCount(direct(), { address: owner as `0x${string}` })
      const before = await Wallet.balance({ rpcUrl: anvil.rpcUrl, wallet })
      const started = Date.now()
      const result = await run(["fund", "-w", wallet, "-a", "1 ether", "--key", "key.txt", "--timeout", "1"], {
        RPC_URL: slow.url
      })
      assert.isBelow(Date.now() - started, 3_900, "the answer to the send is not waited for")
      assert.strictEqual(result.code, 8, result.stderr)
      assert.strictEqual(result.stdout, "")
      const [sentLine, errorLine, ...rest] = result.stderr.split("\n")
      const hash = /^Sent transaction (0x[0-9a-f]{64})$/.exec(sentLine!)?.[1]
      assert.isDefined(hash, result.stderr)
      assert.deepStrictEqual(rest, [""])
      assert.match(
        errorLine!,
        new RegExp(
          `^error: the fund transaction ${hash} may be on chain \\(the RPC failed after it was sent: .+\\); check it with \`infernet-client tx --hash ${hash}\` before running the command again, which would pay twice$`
        )
      )
      // exactly one transaction, the one announced
      assert.strictEqual(slow.calls.filter((m) => m === "eth_sendRawTransaction").length, 1)
      assert.strictEqual(await getTransactionCount(direct(), { address: owner as `0x${string}` }), nonce + 1)
      assert.strictEqual(await Wallet.balance({ rpcUrl: anvil.rpcUrl, wallet }), before + parseEther("1"))
      // and the way to check it says it is mined
      const checked = await run(["tx", "--hash", hash!])
      assert.strictEqual(checked.code, 0, checked.stderr)
      assert.match(checked.stdout, new RegExp(`^Transaction ${hash} succeeded in block \\d+\\n$`))
      const json = await run(["tx", "--hash", hash!, "--json"])
      assert.strictEqual((Json.parse(json.stdout) as { status: string }).status, "success")
    } finally {
      await slow.close()
    }
  })

  it("every write prints its hash on stderr before its result", async () => {
    const result = await run(["approve", "-w", wallet, "-s", consumer, "-a", "100 gwei", "--key", "key.txt"])
    assert.strictEqual(result.code, 0, result.stderr)
    const hash = /^Sent transaction (0x[0-9a-f]{64})\n$/.exec(result.stderr)?.[1]
    assert.isDefined(hash, result.stderr)
    assert.include(result.stdout, `(transaction ${hash})`)
  })

  it("tx: an unknown hash exits 8 (check again later); a malformed one is a usage error", async () => {
    const unknown = await run(["tx", "--hash", `0x${"12".repeat(32)}`])
    assert.strictEqual(unknown.code, 8)
    assert.include(unknown.stderr, "unknown to this RPC: not received, or dropped")
    const bad = await run(["tx", "--hash", "0x1234"])
    assert.strictEqual(bad.code, 2)
  })

  it("balance --timeout 2 against a hanging RPC returns in about 2 s with a timeout error", async () => {
    const hanging = await silentServer()
    try {
      const started = Date.now()
      const result = await run(["balance", "-w", wallet, "--timeout", "2"], { RPC_URL: hanging.url })
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

describe("RPC errors with a huge body", () => {
  it("are cut to one short line; --verbose prints them whole, never the RPC URL's path", async () => {
    const huge = "x".repeat(1_000_000)
    const rpc = await serve((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => {
        body += chunk
      })
      request.on("end", () => {
        const { id } = JSON.parse(body) as { id: number }
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32099, message: `overloaded ${huge}` } }))
      })
    })
    try {
      const url = `${rpc.url}/v3/secret-api-key-1234`
      const plain = await run(["balance", "-w", owner, "--rpc-url", url])
      assert.strictEqual(plain.code, 6)
      assert.match(
        plain.stderr,
        /^error: RPC call \S+ failed: the RPC answered error -32099: overloaded x+… \(\d+ more characters\)\n$/
      )
      assert.isBelow(plain.stderr.length, 400)
      const verbose = await run(["balance", "-w", owner, "--rpc-url", url, "--verbose"])
      assert.strictEqual(verbose.code, 6)
      assert.strictEqual(verbose.stderr.split("\n")[0], plain.stderr.trimEnd())
      assert.include(verbose.stderr, `overloaded ${huge}`)
      assert.notInclude(verbose.stderr, "secret-api-key-1234")
    } finally {
      await rpc.close()
    }
  })
})

describe("sentHashes", () => {
  it("hashes the signed transaction of an eth_sendRawTransaction body (single or batch), nothing else", () => {
    const raw = "0x02f8" as const
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [raw] })
    assert.deepStrictEqual(sentHashes(body, keccak256), [keccak256(raw)])
    assert.deepStrictEqual(sentHashes(`[${body},${body}]`, keccak256), [keccak256(raw), keccak256(raw)])
    assert.deepStrictEqual(sentHashes(JSON.stringify({ method: "eth_call", params: [raw] }), keccak256), [])
    assert.deepStrictEqual(sentHashes("not json eth_sendRawTransaction", keccak256), [])
  })
})

describe("expandShortFlags", () => {
  it("spells Python's -pk as --private-key, before a -- only", () => {
    assert.deepStrictEqual(expandShortFlags(["fund", "-pk", "K", "-p", "x", "--", "-pk"]), [
      "fund",
      "--private-key",
      "K",
      "-p",
      "x",
      "--",
      "-pk"
    ])
    assert.deepStrictEqual(expandShortFlags(["-pk=K"]), ["--private-key=K"])
  })
})
