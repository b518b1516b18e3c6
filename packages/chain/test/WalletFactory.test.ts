import { assert, describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, TestClock } from "effect"
import { encodeAbiParameters, getContractAddress, zeroAddress } from "viem"
import { ChainError, Wallet, WalletFactory } from "../src/index.js"
import { fakeHash, fakeRpc } from "./utils/fakeRpc.js"
import { alice, bob, reason, usePayments } from "./utils/payments.js"

describe("WalletFactory (against Anvil)", () => {
  const { current } = usePayments()
  const rpc = () => ({ rpcUrl: current().rpcUrl })

  it("createWallet: the sender owns the new wallet by default; the address comes from WalletCreated", async () => {
    const factory = current().walletFactory
    // the factory's first CREATE (a contract's nonce starts at 1): what the simulation predicts
    const predicted = getContractAddress({ from: factory, nonce: 1n })
    const created = await WalletFactory.createWallet({ ...rpc(), account: alice, factory })
    assert.deepStrictEqual(
      { wallet: created.wallet, owner: created.owner, event: created.event },
      {
        wallet: predicted,
        owner: alice.address,
        event: { caller: alice.address, owner: alice.address, wallet: predicted }
      }
    )
    assert.match(created.hash, /^0x[0-9a-f]{64}$/)
    assert.isTrue(await WalletFactory.isValidWallet({ ...rpc(), factory, wallet: created.wallet }))
    assert.strictEqual(await Wallet.owner({ ...rpc(), wallet: created.wallet }), alice.address)
  })

  it("createWallet: an explicit owner, created (and paid for) by someone else", async () => {
    const factory = current().walletFactory
    const created = await WalletFactory.createWallet({
      ...rpc(),
      account: bob,
      factory,
      owner: alice.address.toLowerCase()
    })
    assert.deepStrictEqual(created.event, { caller: bob.address, owner: alice.address, wallet: created.wallet })
    assert.strictEqual(created.wallet, getContractAddress({ from: factory, nonce: 2n }))
    assert.strictEqual(await Wallet.owner({ ...rpc(), wallet: created.wallet }), alice.address)
  })

  it("isValidWallet is false for addresses the factory did not make", async () => {
    const factory = current().walletFactory
    assert.isFalse(await WalletFactory.isValidWallet({ ...rpc(), factory, wallet: alice.address }))
    assert.isFalse(await WalletFactory.isValidWallet({ ...rpc(), factory, wallet: zeroAddress }))
  })

  it("a contract that is not a WalletFactory fails before anything is sent", async () => {
    const r = await reason(WalletFactory.createWallet({ ...rpc(), account: alice, factory: current().usdc }))
    assert.deepStrictEqual(
      [r._tag, (r as ChainError.TransactionReverted).functionName, (r as ChainError.TransactionReverted).hash],
      ["TransactionReverted", "createWallet", undefined]
    )
    expect(r.message).toBe(
      `createWallet on ${current().usdc} would revert (no revert data: is the address the right contract?)`
    )
  })

  it("fails with RpcError when the RPC is unreachable, and InvalidArgument for a bad owner", async () => {
    const r = await reason(
      WalletFactory.createWallet({ rpcUrl: "http://127.0.0.1:1", account: alice, factory: current().walletFactory })
    )
    assert.deepStrictEqual([r._tag, (r as ChainError.RpcError).method], ["RpcError", "createWallet"])
    const owner = await reason(
      WalletFactory.createWallet({ ...rpc(), account: alice, factory: current().walletFactory, owner: "me" })
    )
    assert.strictEqual(owner.message, 'Invalid owner: must be an address (0x and 40 hex digits), got "me"')
  })
})

describe("WalletFactory: the receipt wait", () => {
  const factory = "0x0165878A594ca255338adfa4d48449f69242Eb8F"
  const sender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
  /** A node that accepts the transaction but never mines it. */
  const unmined = (onPoll: () => void) =>
    fakeRpc({
      eth_chainId: "0x7a69",
      eth_call: encodeAbiParameters([{ type: "address" }], [sender]),
      eth_sendTransaction: fakeHash,
      eth_getTransactionReceipt: () => {
        onPoll()
        return null
      }
    })

  it.effect("fails with ReceiptTimeout after timeoutMs, polling every pollingIntervalMs", () =>
    Effect.gen(function* () {
      const polling = yield* Deferred.make<void>()
      let polls = 0
      const { client, calls } = unmined(() => {
        polls++
        Effect.runSync(Deferred.succeed(polling, undefined))
      })
      const fiber = yield* Effect.fork(
        WalletFactory.createWalletEffect({
          publicClient: client,
          account: sender,
          factory,
          timeoutMs: 5_000,
          pollingIntervalMs: 1_000
        })
      )
      yield* Deferred.await(polling)
      yield* TestClock.adjust("4 seconds")
      assert.strictEqual(polls, 5)
      yield* TestClock.adjust("2 seconds")
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? (exit.cause as { error?: ChainError.ChainError }).error : undefined
      assert.deepStrictEqual(
        error?.reason,
        new ChainError.ReceiptTimeout({ hash: fakeHash, functionName: "createWallet", timeoutMs: 5_000 })
      )
      expect(error?.message).toBe(
        `No receipt for createWallet transaction ${fakeHash} after 5000 ms; it may still be mined, check it before sending again`
      )
      // simulated, sent once, then only polled
      assert.deepStrictEqual(calls.slice(0, 2), ["eth_call", "eth_sendTransaction"])
      assert.isTrue(calls.slice(2).every((m) => m === "eth_getTransactionReceipt" || m === "eth_chainId"))
    })
  )

  it("the Promise form stops waiting when its AbortSignal fires", async () => {
    const controller = new AbortController()
    let polls = 0
    const { client } = unmined(() => {
      polls++
      controller.abort(new Error("user cancelled"))
    })
    const error = await WalletFactory.createWallet({
      publicClient: client,
      account: sender,
      factory,
      pollingIntervalMs: 5,
      signal: controller.signal
    }).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e
    )
    assert.strictEqual((error as Error).message, "user cancelled")
    const after = polls
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.strictEqual(polls, after, "no polling after the abort")
  })
})
