/**
 * How every write sends (internal/tx.ts), against Anvil behind a fake JSON-RPC node (test/utils/rpcProxy.ts): the hash
 * is known before the send, a send whose answer never comes is `TransactionMaybeSent` with that hash (and the chain
 * holds the transaction exactly once), and reverts are decoded whatever shape the node gives its error.
 */
import { afterEach, assert, describe, it } from "@effect/vitest"
import { type Address, createPublicClient, http, parseEther } from "viem"
import { getBalance, getTransactionCount, getTransactionReceipt } from "viem/actions"
import {
  type ChainError,
  Coordinator,
  DelegatedSubscription,
  Subscription,
  Wallet,
  WalletFactory
} from "../src/index.js"
import { alice, bob, reason, signer, usePayments } from "./utils/payments.js"
import { type RpcErrorObject, type RpcProxy, startRpcProxy } from "./utils/rpcProxy.js"

const { current } = usePayments()
const proxies: Array<RpcProxy> = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
})

const proxy = async (options: Parameters<typeof startRpcProxy>[1]) => {
  const started = await startRpcProxy(current().rpcUrl, options)
  proxies.push(started)
  return started
}

/** A client whose requests time out after `timeoutMs`, with no retry (as the CLI makes them). */
const clientOf = (url: string, timeoutMs: number) =>
  createPublicClient({ transport: http(url, { timeout: timeoutMs, retryCount: 0 }) })

describe("a send whose answer never comes", () => {
  let wallet: Address
  const direct = () => createPublicClient({ transport: http(current().rpcUrl) })

  it("fund: TransactionMaybeSent with the hash; the chain holds the transaction once", async () => {
    wallet = (
      await WalletFactory.createWallet({ rpcUrl: current().rpcUrl, account: alice, factory: current().walletFactory })
    ).wallet
    const slow = await proxy({ delay: (method) => (method === "eth_sendRawTransaction" ? 1_500 : 0) })
    const nonce = await getTransactionCount(direct(), { address: alice.address })
    const r = await reason(
      Wallet.fund({ publicClient: clientOf(slow.url, 500), account: alice, wallet, amount: "1 ether" })
    )
    assert.strictEqual(r._tag, "TransactionMaybeSent")
    const sent = r as ChainError.TransactionMaybeSent
    assert.match(String(sent.hash), /^0x[0-9a-f]{64}$/)
    assert.deepStrictEqual([sent.functionName, sent.contract, sent.sender], ["fund", wallet, alice.address])
    assert.include(r.message, `The fund transaction ${sent.hash} may be on chain: the RPC failed after it was sent (`)
    assert.include(r.message, "before sending again, which would pay twice")
    // sent once: the hash computed before the send is the one mined, and it is the only new transaction
    assert.strictEqual(slow.calls.filter((m) => m === "eth_sendRawTransaction").length, 1)
    const receipt = await getTransactionReceipt(direct(), { hash: sent.hash as `0x${string}` })
    assert.strictEqual(receipt.status, "success")
    assert.strictEqual(await getTransactionCount(direct(), { address: alice.address }), nonce + 1)
    assert.strictEqual(await getBalance(direct(), { address: wallet }), parseEther("1"))
  })

  it("a contract write (approve) says the same; a refused send (a JSON-RPC error answer) does not", async () => {
    const slow = await proxy({ delay: (method) => (method === "eth_sendRawTransaction" ? 1_500 : 0) })
    const r = await reason(
      Wallet.approve({
        publicClient: clientOf(slow.url, 500),
        account: alice,
        wallet,
        spender: current().owner,
        amount: 5
      })
    )
    assert.strictEqual(r._tag, "TransactionMaybeSent")
    const hash = (r as ChainError.TransactionMaybeSent).hash as `0x${string}`
    assert.strictEqual((await getTransactionReceipt(direct(), { hash })).status, "success")
    assert.strictEqual(await Wallet.allowance({ rpcUrl: current().rpcUrl, wallet, spender: current().owner }), 5n)
    // the node answers an error to the send: it refused the transaction, so it is a plain RpcError
    const refusing = await proxy({
      refuse: (method) => (method === "eth_sendRawTransaction" ? { code: -32000, message: "nonce too low" } : undefined)
    })
    const nonce = await getTransactionCount(direct(), { address: alice.address })
    const refused = await reason(
      Wallet.fund({ publicClient: clientOf(refusing.url, 5_000), account: alice, wallet, amount: 1 })
    )
    assert.deepStrictEqual([refused._tag, (refused as ChainError.RpcError).method], ["RpcError", "fund"])
    assert.include(refused.message, "nonce too low")
    assert.strictEqual(await getTransactionCount(direct(), { address: alice.address }), nonce)
    // "already known": the node has it, so it may be on chain
    const known = await proxy({
      refuse: (method) => (method === "eth_sendRawTransaction" ? { code: -32000, message: "already known" } : undefined)
    })
    const again = await reason(
      Wallet.fund({ publicClient: clientOf(known.url, 5_000), account: alice, wallet, amount: 1 })
    )
    assert.strictEqual(again._tag, "TransactionMaybeSent")
  })
})

/** Error shapes of other nodes, made from Anvil's (code 3, the revert bytes in `data`). */
const shapes: ReadonlyArray<readonly [string, (data: string) => RpcErrorObject]> = [
  [
    "Ganache 7 (-32000, data.result)",
    (data) => ({
      code: -32000,
      message: "VM Exception while processing transaction: revert",
      data: { hash: null, programCounter: 1234, result: data, reason: null, message: "revert" }
    })
  ],
  [
    "Ganache 7 eth_call (-32000, hex data)",
    (data) => ({ code: -32000, message: "VM Exception while processing transaction: revert", data })
  ],
  [
    "Nethermind (-32015, data: Reverted 0x...)",
    (data) => ({ code: -32015, message: "VM execution error.", data: `Reverted ${data}` })
  ],
  ["Besu (-32000, Execution reverted)", (data) => ({ code: -32000, message: "Execution reverted", data })],
  [
    "Hardhat (-32603, data.data)",
    (data) => ({ code: -32603, message: "Error: VM Exception", data: { message: "revert", data } })
  ]
]

describe("reverts are typed whatever shape the node gives its error", () => {
  let wallet: Address
  const reshaped = (shape: (data: string) => RpcErrorObject) =>
    proxy({
      rewriteError: (_, error) =>
        typeof error.data === "string" && error.data.startsWith("0x") ? shape(error.data) : error
    })

  for (const [name, shape] of shapes) {
    it(`${name}: InsufficientFunds and NotOwner`, async () => {
      wallet ??= (
        await WalletFactory.createWallet({ rpcUrl: current().rpcUrl, account: alice, factory: current().walletFactory })
      ).wallet
      const node = await reshaped(shape)
      const publicClient = clientOf(node.url, 5_000)
      const funds = await reason(Wallet.withdraw({ publicClient, account: alice, wallet, amount: "5 ether" }))
      assert.strictEqual(funds._tag, "InsufficientFunds", funds.message)
      const owner = await reason(
        Wallet.approve({ publicClient, account: bob, wallet, spender: bob.address, amount: 1 })
      )
      assert.strictEqual(owner._tag, "NotOwner", owner.message)
      assert.strictEqual((owner as ChainError.NotOwner).owner, alice.address)
      // no transaction was sent
      assert.notInclude(node.calls, "eth_sendRawTransaction")
    })
  }

  for (const [name, shape] of shapes) {
    it(`${name}: the Coordinator dry run names SignatureExpired()`, async () => {
      const { chainId, coordinator, owner } = current()
      const subscription = Subscription.v1({
        owner,
        activeAt: 0,
        period: 0,
        frequency: 1,
        redundancy: 1,
        containers: ["a"]
      })
      const signature = await DelegatedSubscription.signDelegatedSubscription({
        account: signer,
        chainId,
        coordinator,
        nonce: 1,
        expiry: 1,
        subscription
      })
      const node = await reshaped(shape)
      const r = await reason(
        Coordinator.simulateCreateSubscriptionDelegatee({
          publicClient: clientOf(node.url, 5_000),
          coordinator,
          subscription,
          signature
        })
      )
      assert.deepStrictEqual(
        [r._tag, (r as ChainError.SimulationReverted).errorName],
        ["SimulationReverted", "SignatureExpired"],
        r.message
      )
    })
  }

  it("Besu without data: a revert with no data, not an RPC failure", async () => {
    const node = await proxy({
      rewriteError: (_, error) =>
        typeof error.data === "string" ? { code: -32000, message: "Execution reverted" } : error
    })
    const r = await reason(
      Wallet.withdraw({ publicClient: clientOf(node.url, 5_000), account: alice, wallet, amount: "5 ether" })
    )
    assert.strictEqual(r._tag, "TransactionReverted", r.message)
  })

  it("an RPC error with a huge message is cut in the ChainError's message, whole in its cause", async () => {
    const huge = "x".repeat(1_000_000)
    const node = await proxy({
      refuse: (method) => (method === "eth_call" ? { code: -32099, message: `overloaded ${huge}` } : undefined)
    })
    const error = await Wallet.withdraw({
      publicClient: clientOf(node.url, 5_000),
      account: alice,
      wallet,
      amount: 1
    }).then(
      () => assert.fail("expected a ChainError"),
      (e: unknown) => e as ChainError.ChainError
    )
    assert.strictEqual(error.reason._tag, "RpcError")
    assert.isBelow(error.message.length, 400)
    assert.match(
      error.message,
      /^RPC call withdraw failed: the RPC answered error -32099: overloaded x+… \(\d+ more characters\)$/
    )
    assert.include(String((error as { cause?: { details?: string } }).cause?.details), huge)
  })
})
