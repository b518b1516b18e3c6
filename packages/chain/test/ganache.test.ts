/**
 * The devnet's payment contracts on Ganache 7 (npm `ganache@7`, in process, a free port), next to the Anvil runs of
 * Wallet.test.ts: Ganache shapes a revert as -32000 "VM Exception while processing transaction: revert", and the
 * wallet writes still fail with the contract's typed reasons.
 *
 * Ganache 7 knows hardforks up to Shanghai, and the committed artifacts are compiled for Cancun (MCOPY): the same
 * sources (contracts/TestPayments.sol) are compiled here for Shanghai, and the Registry and WalletFactory deployed
 * directly.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import ganache from "ganache"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { type Abi, type Address, createPublicClient, createWalletClient, type Hex, http, zeroAddress } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { anvilAccounts } from "../src/devnet/index.js"
import { type ChainError, Wallet, WalletFactory } from "../src/index.js"
import { alice, bob, reason } from "./utils/payments.js"

/** contracts/TestPayments.sol compiled for Shanghai: `{ [contract]: { abi, bytecode } }`. */
const compileForShanghai = (): Record<string, { abi: Abi; bytecode: Hex }> => {
  const solc = createRequire(import.meta.url)("solc")
  const content = readFileSync(new URL("../contracts/TestPayments.sol", import.meta.url), "utf8")
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "TestPayments.sol": { content } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "shanghai",
          outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } }
        }
      })
    )
  )
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error")
  if (errors.length > 0) throw new Error(JSON.stringify(errors))
  return Object.fromEntries(
    Object.entries(
      output.contracts["TestPayments.sol"] as Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>
    ).map(([name, c]) => [name, { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` as Hex }])
  )
}

const MNEMONIC = "test test test test test test test test test test test junk"

let server: ReturnType<typeof ganache.server>
let rpcUrl: string
let walletFactory: Address

beforeAll(async () => {
  server = ganache.server({
    logging: { quiet: true },
    chain: { chainId: 31337, hardfork: "shanghai" },
    wallet: { mnemonic: MNEMONIC, totalAccounts: 10 },
    miner: { instamine: "eager" }
    // ganache's typings take its flavor-specific options through a generic: the options are Ganache 7's documented ones
  } as never)
  await server.listen(0, "127.0.0.1")
  rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const contracts = compileForShanghai()
  const deployer = createWalletClient({
    account: privateKeyToAccount(anvilAccounts[0]!.privateKey),
    transport: http(rpcUrl)
  })
  const client = createPublicClient({ transport: http(rpcUrl) })
  const deploy = async (name: string, args: ReadonlyArray<unknown>): Promise<Address> => {
    const { abi, bytecode } = contracts[name]!
    const hash = await deployer.deployContract({ abi, bytecode, args, chain: null } as never)
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })
    return receipt.contractAddress!
  }
  // The Coordinator is someone (the wallets' escrow functions are not used here); the factory is not needed by the Registry.
  const registry = await deploy("TestRegistry", [
    anvilAccounts[9]!.address,
    zeroAddress,
    zeroAddress,
    zeroAddress,
    zeroAddress
  ])
  walletFactory = await deploy("TestWalletFactory", [registry])
}, 60_000)
afterAll(async () => {
  await server?.close()
})

describe("Wallet (against Ganache 7)", () => {
  let wallet: Address
  it("creates and funds a wallet", async () => {
    wallet = (await WalletFactory.createWallet({ rpcUrl, account: alice, factory: walletFactory })).wallet
    assert.strictEqual(await Wallet.owner({ rpcUrl, wallet }), alice.address)
    await Wallet.fund({ rpcUrl, account: alice, wallet, amount: "1 ether" })
    assert.strictEqual(await Wallet.balance({ rpcUrl, wallet }), 10n ** 18n)
  })

  it("withdraw beyond the balance: InsufficientFunds; a stranger's approve and withdraw: NotOwner", async () => {
    const funds = await reason(Wallet.withdraw({ rpcUrl, account: alice, wallet, amount: "5 ether" }))
    assert.strictEqual(funds._tag, "InsufficientFunds", funds.message)
    const approve = await reason(Wallet.approve({ rpcUrl, account: bob, wallet, spender: bob.address, amount: 1 }))
    assert.deepStrictEqual(
      [approve._tag, (approve as ChainError.NotOwner).owner],
      ["NotOwner", alice.address],
      approve.message
    )
    const withdraw = await reason(Wallet.withdraw({ rpcUrl, account: bob, wallet, amount: 1 }))
    assert.strictEqual(withdraw._tag, "NotOwner", withdraw.message)
    assert.strictEqual(await Wallet.balance({ rpcUrl, wallet }), 10n ** 18n)
  })
})
