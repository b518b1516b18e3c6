import { assert, describe, expect, it } from "@effect/vitest"
import { type Abi, type AbiFunction, toFunctionSelector, toFunctionSignature } from "viem"
import { anvilAccounts, artifacts, deployTestCoordinator, resolveAnvilBinary, startAnvil } from "../src/devnet/index.js"
import { ChainError, Coordinator } from "../src/index.js"
import { compile } from "../scripts/compile-contracts.mjs"

const reason = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => assert.fail("expected a ChainError"),
    (e: unknown) => e
  )
  assert.isTrue(ChainError.isChainError(error), String(error))
  return (error as ChainError.ChainError).reason
}

const answers = async (rpcUrl: string) => {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] })
  })
  return ((await response.json()) as { result: string }).result
}

describe("artifacts", () => {
  it("the committed bytecode and ABI are what solc compiles from contracts/*.sol", () => {
    const { version, contracts } = compile()
    assert.match(version, /^0\.8\.30\+/)
    const committed = {
      TestCoordinatorV0: artifacts.v0.coordinator,
      TestOwnerV0: artifacts.v0.owner,
      TestCoordinatorV1: artifacts.v1.coordinator,
      TestOwnerV1: artifacts.v1.owner
    }
    for (const [name, artifact] of Object.entries(committed)) {
      const file = name.endsWith("V0") ? "TestCoordinatorV0.sol" : "TestCoordinatorV1.sol"
      const fresh = contracts[file]?.[name]
      assert.isDefined(fresh, name)
      assert.strictEqual(artifact.bytecode, fresh!.bytecode, `${name}: run node scripts/compile-contracts.mjs`)
      assert.deepStrictEqual(artifact.abi, fresh!.abi as never, name)
    }
  }, 60_000)

  it("the package's Coordinator ABIs match the test contracts function by function", () => {
    for (const version of ["v0", "v1"] as const) {
      const ours = (version === "v0" ? Coordinator.abiV0 : Coordinator.abiV1) as Abi
      const contract = artifacts[version].coordinator.abi as Abi
      const signatures = (abi: Abi) =>
        abi.filter((item): item is AbiFunction => item.type === "function").map((f) => toFunctionSignature(f))
      const theirs = new Set(signatures(contract))
      for (const signature of signatures(ours)) {
        // eip712Domain is EIP-5267, which only the v1 test contract implements
        if (version === "v0" && signature === "eip712Domain()") continue
        assert.isTrue(theirs.has(signature), `${version}: ${signature}`)
      }
    }
    expect(
      [Coordinator.abiV0, Coordinator.abiV1].map((abi) =>
        toFunctionSelector(
          toFunctionSignature(abi.find((f) => f.type === "function" && f.name === "createSubscriptionDelegatee")!)
        )
      )
    ).toMatchInlineSnapshot(`
      [
        "0x41770e9a",
        "0x9c092514",
      ]
    `)
  })

  it("declares the custom errors with chain.md's selectors", () => {
    const selectors = Object.fromEntries(
      Coordinator.abiV1.filter((item) => item.type === "error").map((e) => [e.name, toFunctionSelector(`${e.name}()`)])
    )
    assert.deepStrictEqual(selectors, {
      SignatureExpired: "0x0819bdcd",
      SignerMismatch: "0x10c74b03",
      InvalidSignature: "0x8baa579f"
    })
  })
})

describe("startAnvil", () => {
  it("starts on a free port, answers eth_chainId, and stops on close", async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil({ chainId: 1337 })])
    try {
      assert.notStrictEqual(a.port, b.port)
      assert.isAbove(a.port, 0)
      assert.strictEqual(a.rpcUrl, `http://127.0.0.1:${a.port}`)
      assert.deepStrictEqual([a.chainId, b.chainId], [31337, 1337])
      assert.strictEqual(await answers(b.rpcUrl), "0x539")
      assert.strictEqual(a.accounts, anvilAccounts)
      assert.strictEqual(a.accounts[1]!.address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    } finally {
      await Promise.all([a.close(), b.close()])
    }
    assert.throws(() => process.kill(a.pid, 0))
    await expect(answers(a.rpcUrl)).rejects.toThrow()
    await a.close() // idempotent
  })

  it("resolves the binary from @foundry-rs/anvil, or ANVIL_BIN", () => {
    const binary = resolveAnvilBinary()
    assert.match(binary, /anvil(\.exe)?$/)
    const previous = process.env.ANVIL_BIN
    try {
      process.env.ANVIL_BIN = binary
      assert.strictEqual(resolveAnvilBinary(), binary)
      process.env.ANVIL_BIN = "/nonexistent/anvil"
      assert.throws(resolveAnvilBinary, "ANVIL_BIN points to /nonexistent/anvil, which does not exist")
    } finally {
      if (previous === undefined) delete process.env.ANVIL_BIN
      else process.env.ANVIL_BIN = previous
    }
  })

  it("fails with DevnetError when the binary cannot run", async () => {
    const r = await reason(startAnvil({ binary: "/nonexistent/anvil" }))
    assert.strictEqual(r._tag, "DevnetError")
    expect(r.message).toMatch(/^Devnet: cannot run \/nonexistent\/anvil: /)
  })
})

describe("deployTestCoordinator", () => {
  it("fails with DevnetError when the RPC is unreachable or the input is wrong", async () => {
    const unreachable = await reason(
      deployTestCoordinator({ rpcUrl: "http://127.0.0.1:1", generation: "v1", signer: anvilAccounts[1]! })
    )
    assert.strictEqual(unreachable._tag, "DevnetError")
    expect(unreachable.message).toMatch(/^Devnet: cannot reach http:\/\/127\.0\.0\.1:1: /)
    const generation = await reason(
      deployTestCoordinator({ rpcUrl: "http://127.0.0.1:1", generation: "v2" as never, signer: anvilAccounts[1]! })
    )
    assert.strictEqual(generation.message, 'Devnet: generation must be "v0" or "v1", got "v2"')
    const signer = await reason(deployTestCoordinator({ rpcUrl: "http://127.0.0.1:1", generation: "v0", signer: "me" }))
    assert.strictEqual(signer.message, "Devnet: signer must be an address or an account")
  })
})
