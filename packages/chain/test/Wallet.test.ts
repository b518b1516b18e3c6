/**
 * Infernet wallets against the devnet's payment contracts (contracts/TestPayments.sol) on Anvil: balances, funding
 * with ETH and a 6-decimals token, approvals, withdrawals within and beyond the unlocked balance (with a payment in
 * the Coordinator's escrow), the owner-only rules, and the payment check of a paid subscription.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { type Address, getAddress, parseEther, zeroAddress } from "viem"
import { getBalance } from "viem/actions"
import { type ChainError, Subscription, Wallet, WalletFactory } from "../src/index.js"
import * as Run from "../src/internal/run.js"
import * as Tx from "../src/internal/tx.js"
import { alice, bob, reason, usePayments } from "./utils/payments.js"

const once = { activeAt: 0, period: 0, frequency: 1, redundancy: 1 } as const

describe("Wallet (against Anvil)", () => {
  const { anvil, current, submit, escrow } = usePayments()
  let wallet: Address
  const rpc = () => ({ rpcUrl: current().rpcUrl })

  it("a new wallet is empty, owned by its creator, and allows nobody", async () => {
    const created = await WalletFactory.createWallet({ ...rpc(), account: alice, factory: current().walletFactory })
    wallet = created.wallet
    assert.strictEqual(await Wallet.owner({ ...rpc(), wallet }), alice.address)
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet }), 0n)
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet, token: current().usdc }), 0n)
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender: current().owner }), 0n)
  })

  it("fund: ETH by a plain transfer, the token by transfer(wallet, amount) in its own decimals", async () => {
    const eth = await Wallet.fund({ ...rpc(), account: alice, wallet, amount: "1 ether" })
    assert.match(eth.hash, /^0x[0-9a-f]{64}$/)
    assert.deepStrictEqual([eth.token, eth.amount, eth.event], [zeroAddress, parseEther("1"), undefined])
    const usdc = await Wallet.fund({ ...rpc(), account: alice, wallet, token: current().usdc, amount: "1.5" })
    assert.deepStrictEqual(usdc.event, { from: alice.address, to: wallet, amount: 1_500_000n })
    assert.strictEqual(usdc.amount, 1_500_000n)
    // anyone may fund
    await Wallet.fund({ ...rpc(), account: bob, wallet, token: current().usdc, amount: "0.5 USDC" })
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet }), parseEther("1"))
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet, token: current().usdc }), 2_000_000n)
  })

  it("fund: more tokens than the sender holds fails with InsufficientFunds before sending", async () => {
    const r = await reason(Wallet.fund({ ...rpc(), account: bob, wallet, token: current().usdc, amount: "5000 USDC" }))
    assert.strictEqual(r._tag, "InsufficientFunds")
    expect(r.message).toBe(
      `Insufficient funds for transfer on ${current().usdc} (more than the sender's token balance)`
    )
    assert.strictEqual((r as ChainError.InsufficientFunds).required, 5_000_000_000n)
  })

  it("approve sets (not adds) the spender's allowance and returns the Approval event", async () => {
    const spender = current().owner
    const first = await Wallet.approve({ ...rpc(), account: alice, wallet, spender, amount: "0.25 ether" })
    assert.deepStrictEqual(first.event, { spender, token: zeroAddress, amount: parseEther("0.25") })
    const second = await Wallet.approve({ ...rpc(), account: alice, wallet, spender, amount: "100 gwei" })
    assert.strictEqual(second.event.amount, 100_000_000_000n)
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender }), 100_000_000_000n)
    const token = await Wallet.approve({ ...rpc(), account: alice, wallet, spender, token: current().usdc, amount: 7 })
    assert.deepStrictEqual(token.event, { spender, token: current().usdc, amount: 7n })
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender, token: current().usdc }), 7n)
    assert.isAbove(Number(token.blockNumber), Number(first.blockNumber))
  })

  it("approve and withdraw by someone else than the owner fail with NotOwner (solady Unauthorized)", async () => {
    const approve = await reason(Wallet.approve({ ...rpc(), account: bob, wallet, spender: bob.address, amount: 1 }))
    assert.strictEqual(approve._tag, "NotOwner")
    expect(approve.message).toBe(
      `Only its owner ${alice.address} can call approve on ${wallet}; the sender is ${bob.address}`
    )
    const withdraw = await reason(Wallet.withdraw({ ...rpc(), account: bob, wallet, amount: 1 }))
    assert.deepStrictEqual(
      [withdraw._tag, (withdraw as ChainError.NotOwner).functionName, (withdraw as ChainError.NotOwner).owner],
      ["NotOwner", "withdraw", alice.address]
    )
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender: bob.address }), 0n)
  })

  it("the Coordinator-only escrow functions fail with NotCoordinator from anyone else", async () => {
    const resolved = await Run.runPromise(Tx.resolve({ ...rpc(), account: alice }))
    const r = await reason(
      Run.runPromise(
        Tx.write(
          resolved,
          {},
          {
            address: wallet,
            abi: Wallet.abi,
            functionName: "cLock",
            args: [current().owner, zeroAddress, 1n]
          }
        )
      )
    )
    assert.strictEqual(r._tag, "NotCoordinator")
    expect(r.message).toBe(`Only the Coordinator can call cLock on ${wallet}; the sender is ${alice.address}`)
  })

  it("withdraw: within the unlocked balance it pays the owner; beyond it (escrow) fails with InsufficientFunds", async () => {
    const spender = current().owner
    // a paid subscription, and the Coordinator escrows one payment of 0.4 ETH
    await Wallet.approve({ ...rpc(), account: alice, wallet, spender, amount: "0.4 ether" })
    const id = await submit(
      Subscription.v1({
        owner: spender,
        ...once,
        containers: ["hello-world"],
        paymentAmount: parseEther("0.4"),
        wallet
      }),
      1
    )
    await escrow("lockPayment", [id])
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender }), 0n)
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet }), parseEther("1"))

    const before = await getBalance(anvil.publicClient(), { address: alice.address })
    const beyond = await reason(Wallet.withdraw({ ...rpc(), account: alice, wallet, amount: "0.7 ether" }))
    assert.strictEqual(beyond._tag, "InsufficientFunds")
    assert.deepStrictEqual(
      [(beyond as ChainError.InsufficientFunds).required, (beyond as ChainError.InsufficientFunds).available],
      [parseEther("0.7"), parseEther("1")]
    )
    expect(beyond.message).toBe(
      `Insufficient funds for withdraw on ${wallet}: asked for 700000000000000000, 1000000000000000000 available ` +
        "(more than the unlocked balance; the available figure includes any amount in escrow)"
    )
    // nothing was sent: the simulation failed first
    assert.strictEqual(await getBalance(anvil.publicClient(), { address: alice.address }), before)

    const within = await Wallet.withdraw({ ...rpc(), account: alice, wallet, amount: "0.6 ether" })
    assert.deepStrictEqual(within.event, { token: zeroAddress, amount: parseEther("0.6") })
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet }), parseEther("0.4"))
    const after = await getBalance(anvil.publicClient(), { address: alice.address })
    assert.isTrue(after > before + parseEther("0.59"), "the owner received the withdrawal (minus gas)")

    // unlocked again, the rest can leave; paid to a node instead, it would be gone
    await escrow("unlockPayment", [id])
    assert.strictEqual(await Wallet.allowance({ ...rpc(), wallet, spender }), parseEther("0.4"))
    await Wallet.withdraw({ ...rpc(), account: alice, wallet, amount: "0.4 ether" })
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet }), 0n)
  })

  it("withdraw the token in its own decimals, with its symbol as the unit", async () => {
    const done = await Wallet.withdraw({ ...rpc(), account: alice, wallet, token: current().usdc, amount: "0.5 USDC" })
    assert.deepStrictEqual(done.event, { token: current().usdc, amount: 500_000n })
    assert.strictEqual(await Wallet.balance({ ...rpc(), wallet, token: current().usdc }), 1_500_000n)
  })

  it("bad arguments fail with InvalidArgument before any RPC call", async () => {
    const r = await reason(
      Wallet.approve({ rpcUrl: "http://127.0.0.1:1", account: alice, wallet: "0x12", spender: bob.address, amount: 1 })
    )
    assert.strictEqual(r.message, 'Invalid wallet: must be an address (0x and 40 hex digits), got "0x12"')
    const amount = await reason(
      Wallet.withdraw({ rpcUrl: "http://127.0.0.1:1", account: alice, wallet: bob.address, amount: "1 bitcoin" })
    )
    assert.strictEqual(
      amount.message,
      'Invalid amount: "1 bitcoin" has an unknown unit "bitcoin": use wei, gwei, ether'
    )
    const sender = await reason(Wallet.withdraw({ ...rpc(), wallet: bob.address, amount: 1 }))
    assert.strictEqual(sender._tag, "SigningError")
  })

  describe("checkPayment", () => {
    const spender = () => current().owner
    const paid = (overrides: { paymentAmount?: bigint; paymentToken?: string; wallet?: string } = {}) =>
      Subscription.v1({
        owner: spender(),
        ...once,
        containers: ["hello-world"],
        paymentAmount: 1_000_000n,
        paymentToken: current().usdc,
        wallet,
        ...overrides
      })

    it("passes when the wallet is the factory's and approved the owner for the amount", async () => {
      await Wallet.approve({
        ...rpc(),
        account: alice,
        wallet,
        spender: spender(),
        token: current().usdc,
        amount: "1 USDC"
      })
      const ok = await Wallet.checkPayment({ ...rpc(), registry: current().registry, subscription: paid() })
      assert.deepStrictEqual(ok, {
        wallet,
        walletFactory: current().walletFactory,
        spender: spender(),
        token: current().usdc,
        required: 1_000_000n,
        allowance: 1_000_000n
      })
    })

    it("names a missing allowance: what is approved and what is needed", async () => {
      const r = await reason(
        Wallet.checkPayment({
          ...rpc(),
          registry: current().registry,
          subscription: paid({ paymentAmount: 2_500_000n })
        })
      )
      assert.strictEqual(r._tag, "InsufficientAllowance")
      expect(r.message).toBe(
        `Insufficient allowance: ${wallet} has not approved spender ${spender()} for enough of token ` +
          `${current().usdc}: allowance 1000000, needs 2500000 (the wallet's owner must approve at least 2500000: Wallet.approve or infernet-client approve)`
      )
      const eth = await reason(
        Wallet.checkPayment({
          ...rpc(),
          registry: current().registry,
          subscription: paid({ paymentToken: zeroAddress, paymentAmount: parseEther("1") })
        })
      )
      expect(eth.message).toContain("for enough of ETH: allowance 400000000000000000, needs 1000000000000000000")
    })

    it("names a wallet the factory did not make, or no wallet at all", async () => {
      const r = await reason(
        Wallet.checkPayment({
          ...rpc(),
          walletFactory: current().walletFactory,
          subscription: paid({ wallet: bob.address })
        })
      )
      assert.strictEqual(r._tag, "InvalidWallet")
      expect(r.message).toBe(
        `Invalid wallet: ${bob.address} was not created by the WalletFactory ${current().walletFactory} ` +
          "(the Coordinator accepts only its WalletFactory's wallets; create one with WalletFactory.createWallet)"
      )
      const none = await reason(
        Wallet.checkPayment({ ...rpc(), registry: current().registry, subscription: paid({ wallet: zeroAddress }) })
      )
      expect(none.message).toContain("the subscription asks for a payment but names no wallet")
    })

    it("needs the Registry (or the factory), and a Registry of the Coordinator signed for", async () => {
      const missing = await reason(Wallet.checkPayment({ ...rpc(), subscription: paid() }))
      assert.deepStrictEqual(
        [missing._tag, (missing as ChainError.InvalidArgument).field],
        ["InvalidArgument", "registry"]
      )
      const other = getAddress("0x00000000000000000000000000000000000000c0")
      const mismatch = await reason(
        Wallet.checkPayment({ ...rpc(), registry: current().registry, coordinator: other, subscription: paid() })
      )
      expect(mismatch.message).toBe(
        `Invalid registry: ${current().registry} is the Registry of the Coordinator ${current().coordinator}, not of ${other}`
      )
    })
  })
})
