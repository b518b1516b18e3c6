/**
 * How every write sends (internal/tx.ts), against Anvil behind a fake JSON-RPC node (test/utils/rpcProxy.ts): the hash
 * is known before the send, a send whose answer never comes is `TransactionMaybeSent` with that hash (and the chain
 * holds the transaction exactly once), and reverts are decoded whatever shape the node gives its error.
 */
import { afterEach, assert, describe, it } from "@effect/vitest"
import { type Address, createPublicClient, http, parseEther } from "viem"
import { getBalance, getTransactionCount, getTransactionReceipt } from "viem/actions"
import { type ChainError, Wallet, WalletFactory } from "../src/index.js"
import { alice, reason, usePayments } from "./utils/payments.js"
import { type RpcProxy, startRpcProxy } from "./utils/rpcProxy.js"

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
