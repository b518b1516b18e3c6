import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ChainError } from "../src/index.js"
import { deployTestToken } from "../src/devnet/index.js"
import { Token } from "../src/index.js"
import { alice, bob, reason, usePayments } from "./utils/payments.js"

describe("Token (against Anvil)", () => {
  const { current } = usePayments()
  const token = () => ({ rpcUrl: current().rpcUrl, token: current().usdc })

  it("reads decimals, symbol and balances", async () => {
    assert.strictEqual(await Token.decimals(token()), 6)
    assert.strictEqual(await Token.symbol(token()), "USDC")
    assert.strictEqual(await Token.balanceOf({ ...token(), account: alice.address }), 1_000_000_000n)
  })

  it.effect("the Effect forms read the same", () =>
    Effect.gen(function* () {
      const decimals = yield* Token.decimalsEffect(token())
      const balance = yield* Token.balanceOfEffect({ ...token(), account: bob.address })
      assert.deepStrictEqual([decimals, balance], [6, 1_000_000_000n])
    })
  )

  it("transfer: amounts in the token's decimals, the Transfer event, balances moved", async () => {
    // A token of its own: the other tests read the shared one's balances as minted, in any order.
    const own = {
      rpcUrl: current().rpcUrl,
      token: await deployTestToken({
        rpcUrl: current().rpcUrl,
        name: "USD Coin",
        symbol: "USDC",
        decimals: 6,
        mint: { [alice.address]: 1_000_000_000n, [bob.address]: 1_000_000_000n }
      })
    }
    const sent = await Token.transfer({ ...own, account: alice, to: bob.address, amount: "2.5" })
    assert.deepStrictEqual(sent.event, { from: alice.address, to: bob.address, amount: 2_500_000n })
    assert.strictEqual(await Token.balanceOf({ ...own, account: alice.address }), 997_500_000n)
    assert.strictEqual(await Token.balanceOf({ ...own, account: bob.address }), 1_002_500_000n)
    const raw = await Token.transfer({ ...own, account: alice, to: bob.address, amount: 1n })
    assert.strictEqual(raw.event.amount, 1n)
    assert.strictEqual(await Token.balanceOf({ ...own, account: bob.address }), 1_002_500_001n)
  })

  it("transfer beyond the balance fails with InsufficientFunds (solady InsufficientBalance())", async () => {
    const r = await reason(Token.transfer({ ...token(), account: alice, to: bob.address, amount: "1000000 USDC" }))
    assert.strictEqual(r._tag, "InsufficientFunds")
    assert.strictEqual((r as ChainError.InsufficientFunds).required, 1_000_000_000_000n)
    expect(r.message).toBe(
      `Insufficient funds for transfer on ${current().usdc} (more than the sender's token balance)`
    )
  })

  it("a token address that is not a contract fails with RpcError naming the read", async () => {
    const r = await reason(Token.decimals({ rpcUrl: current().rpcUrl, token: alice.address }))
    assert.deepStrictEqual([r._tag, (r as ChainError.RpcError).method], ["RpcError", "decimals"])
    const bad = await reason(Token.symbol({ rpcUrl: current().rpcUrl, token: "USDC" }))
    assert.strictEqual(bad.message, 'Invalid token: must be an address (0x and 40 hex digits), got "USDC"')
  })
})
