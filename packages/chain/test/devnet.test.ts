import { assert, describe, expect, it } from "@effect/vitest"
import {
  type Abi,
  type AbiEvent,
  type AbiFunction,
  toEventSignature,
  toFunctionSelector,
  toFunctionSignature
} from "viem"
import {
  anvilAccounts,
  artifacts,
  deployTestCoordinator,
  deployTestToken,
  resolveAnvilBinary,
  startAnvil
} from "../src/devnet/index.js"
import { ChainError, Coordinator, Registry, Token, Wallet, WalletFactory } from "../src/index.js"
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
      TestOwnerV1: artifacts.v1.owner,
      TestRegistry: artifacts.payments.registry,
      TestWalletFactory: artifacts.payments.walletFactory,
      TestWallet: artifacts.payments.wallet,
      TestToken: artifacts.payments.token
    }
    for (const [name, artifact] of Object.entries(committed)) {
      const file = name.endsWith("V0")
        ? "TestCoordinatorV0.sol"
        : name.endsWith("V1")
          ? "TestCoordinatorV1.sol"
          : "TestPayments.sol"
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
          toFunctionSignature(
            (abi as Abi).find(
              (f): f is AbiFunction => f.type === "function" && f.name === "createSubscriptionDelegatee"
            )!
          )
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
      InvalidSignature: "0x8baa579f",
      InvalidWallet: "0x23455ba1"
    })
  })

  it("the package's payment ABIs match the devnet contracts item by item (functions, events, errors)", () => {
    const items = (abi: Abi) =>
      abi
        .filter((item): item is AbiFunction | AbiEvent | Extract<Abi[number], { type: "error" }> =>
          ["function", "event", "error"].includes(item.type)
        )
        .map((item) => {
          const params = (ps: ReadonlyArray<{ readonly type: string }>) =>
            ps.map((p) => `${p.type}${(p as { indexed?: boolean }).indexed ? " indexed" : ""}`).join(",")
          const tail = item.type === "function" ? ` ${item.stateMutability} returns (${params(item.outputs)})` : ""
          return `${item.type} ${item.name}(${params(item.inputs)})${tail}`
        })
    const pairs = [
      [Registry.abi, artifacts.payments.registry.abi],
      [WalletFactory.abi, artifacts.payments.walletFactory.abi],
      [Wallet.abi, artifacts.payments.wallet.abi],
      // the package's Token ABI also names OpenZeppelin 5's ERC20InsufficientBalance
      [Token.abi.filter((item) => item.name !== "ERC20InsufficientBalance"), artifacts.payments.token.abi]
    ] as const
    for (const [ours, contract] of pairs) {
      const theirs = new Set(items(contract as Abi))
      for (const item of items(ours as Abi)) assert.isTrue(theirs.has(item), item)
    }
    // network.md: the events and revert selectors
    expect(
      [WalletFactory.abi, Wallet.abi].flatMap((abi) =>
        (abi as Abi).filter((item): item is AbiEvent => item.type === "event").map((e) => toEventSignature(e))
      )
    ).toMatchInlineSnapshot(`
      [
        "WalletCreated(address,address,address)",
        "Approval(address,address,uint256)",
        "Withdrawl(address,uint256)",
        "OwnershipTransferred(address,address)",
      ]
    `)
    const selectors = Object.fromEntries(
      (Wallet.abi as Abi)
        .filter((item) => item.type === "error")
        .map((e) => [(e as { name: string }).name, toFunctionSelector(`${(e as { name: string }).name}()`)])
    )
    assert.deepStrictEqual(selectors, {
      InsufficientFunds: "0x356680b7",
      InsufficientAllowance: "0x13be252b",
      Unauthorized: "0x82b42900",
      NotCoordinator: "0x9ec853e6",
      TransferFailed: "0x90b8ec18"
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
    const inbox = await reason(
      deployTestCoordinator({ rpcUrl: "http://127.0.0.1:1", generation: "v1", signer: anvilAccounts[1]!, inbox: "x" })
    )
    assert.strictEqual(inbox.message, "Devnet: inbox must be an address")
  })
})

describe("deployTestToken", () => {
  it("fails with DevnetError when the RPC is unreachable or the decimals are wrong", async () => {
    const unreachable = await reason(deployTestToken({ rpcUrl: "http://127.0.0.1:1" }))
    expect(unreachable.message).toMatch(/^Devnet: cannot reach http:\/\/127\.0\.0\.1:1: /)
    const decimals = await reason(deployTestToken({ rpcUrl: "http://127.0.0.1:1", decimals: 256 }))
    assert.strictEqual(decimals.message, "Devnet: decimals must be an integer from 0 to 255, got 256")
  })
})
