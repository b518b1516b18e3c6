import { assert, describe, expect, it } from "@effect/vitest"
import { Amount, ChainError } from "../src/index.js"
import { usePayments } from "./utils/payments.js"
import { reason } from "./utils/reason.js"

const message = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    assert.isTrue(ChainError.isChainError(error), String(error))
    return (error as ChainError.ChainError).message
  }
  return assert.fail("expected a ChainError")
}

describe("Amount.parse", () => {
  it("reads integers as smallest units and units / decimals in the token's decimals", () => {
    const cases: ReadonlyArray<readonly [Amount.Input, Amount.ParseOptions | undefined, bigint]> = [
      [100, undefined, 100n],
      ["100", undefined, 100n],
      [100n, undefined, 100n],
      ["1 ether", undefined, 10n ** 18n],
      ["1ether", undefined, 10n ** 18n],
      ["  2 ETH ", undefined, 2n * 10n ** 18n],
      ["100 gwei", undefined, 100n * 10n ** 9n],
      ["1.5 gwei", undefined, 1_500_000_000n],
      ["7 wei", undefined, 7n],
      ["1.5", undefined, 15n * 10n ** 17n],
      [".5", undefined, 5n * 10n ** 17n],
      ["1.", undefined, 10n ** 18n],
      [1.25, undefined, 125n * 10n ** 16n],
      // a 6-decimals token: units scale by its decimals (the Python client would use 18)
      ["1 ether", { decimals: 6 }, 1_000_000n],
      ["1.5", { decimals: 6 }, 1_500_000n],
      ["2.25 usdc", { decimals: 6, symbol: "USDC" }, 2_250_000n],
      ["100", { decimals: 6 }, 100n],
      ["1000 gwei", { decimals: 6 }, 1n],
      ["3", { decimals: 0 }, 3n],
      [`${(1n << 256n) - 1n}`, undefined, (1n << 256n) - 1n]
    ]
    for (const [input, options, expected] of cases) {
      assert.strictEqual(Amount.parse(input, options), expected, `${String(input)} ${JSON.stringify(options)}`)
    }
  })

  it("says what is wrong with an amount it cannot read", () => {
    expect([
      message(() => Amount.parse("lots")),
      message(() => Amount.parse("1 bitcoin", { decimals: 6, symbol: "USDC" })),
      message(() => Amount.parse("-1")),
      message(() => Amount.parse(-1)),
      message(() => Amount.parse(-1n)),
      message(() => Amount.parse("1.0000001", { decimals: 6 })),
      message(() => Amount.parse("1 gwei", { decimals: 6 })),
      message(() => Amount.parse("1.5 wei")),
      message(() => Amount.parse(2 ** 60)),
      message(() => Amount.parse(`${1n << 256n}`)),
      message(() => Amount.parse("1e18")),
      message(() => Amount.parse(1, { decimals: 1.5 }))
    ]).toMatchInlineSnapshot(`
      [
        "Invalid amount: "lots" is not an amount: write an integer of smallest units (100), a decimal of whole tokens (1.5), or a number and a unit (1 ether, 100 gwei)",
        "Invalid amount: "1 bitcoin" has an unknown unit "bitcoin": use wei, gwei, ether, USDC",
        "Invalid amount: "-1" is negative",
        "Invalid amount: "-1" is negative",
        "Invalid amount: "-1" is negative",
        "Invalid amount: "1.0000001" has more decimal places than the token's 6 decimals",
        "Invalid amount: "1 gwei" is not a whole number of the token's smallest unit (the token has 6 decimals)",
        "Invalid amount: "1.5 wei" is not a whole number of the token's smallest unit (the token has 18 decimals)",
        "Invalid amount: 1152921504606846976 is above Number.MAX_SAFE_INTEGER, where a number may not hold the digits written: pass a bigint or a string",
        "Invalid amount: "115792089237316195423570985008687907853269984665640564039457584007913129639936" does not fit uint256",
        "Invalid amount: "1e18" is in exponent notation: write the digits, or a number and a unit (1 ether, 100 gwei)",
        "Invalid decimals: must be an integer from 0 to 77, got 1.5",
      ]
    `)
  })

  it("formats smallest units as whole tokens", () => {
    assert.deepStrictEqual(
      [Amount.format(1_500_000n, 6), Amount.format(10n ** 18n), Amount.format(1n), Amount.format(0n, 6)],
      ["1.5", "1", "0.000000000000000001", "0"]
    )
  })
})

describe("Amount.resolve (against Anvil)", () => {
  const { current } = usePayments()

  it("reads the token's decimals and symbol only when the amount needs them", async () => {
    const rpcUrl = current().rpcUrl
    assert.strictEqual(await Amount.resolve({ rpcUrl, token: current().usdc, amount: "1.5" }), 1_500_000n)
    assert.strictEqual(await Amount.resolve({ rpcUrl, token: current().usdc, amount: "2 USDC" }), 2_000_000n)
    assert.strictEqual(await Amount.resolve({ rpcUrl, token: current().usdc, amount: "1 ether" }), 1_000_000n)
    assert.strictEqual(await Amount.resolve({ rpcUrl, amount: "1 ether" }), 10n ** 18n)
    // no unit, no decimal point: nothing to read (the RPC is not even asked)
    assert.strictEqual(await Amount.resolve({ rpcUrl: "http://127.0.0.1:1", token: current().usdc, amount: "42" }), 42n)
    const unreachable = await reason(
      Amount.resolve({ rpcUrl: "http://127.0.0.1:1", token: current().usdc, amount: "1.5" })
    )
    assert.deepStrictEqual([unreachable._tag, (unreachable as ChainError.RpcError).method], ["RpcError", "decimals"])
  })
})
