/**
 * Amounts of ETH or of an ERC20 token, as users write them: `100` (smallest units: wei), `"1 ether"`, `"100 gwei"`,
 * `"1.5"` (whole tokens), `"2.5 USDC"` (the token's symbol). Units scale by the token's own `decimals()`.
 *
 * **Differs from Ritual's Python client**, which converts every amount with ETH's 18 decimals whatever the token
 * (`"1 ether"` of a 6-decimals token is 10^18 units there, 10^6 here). ETH amounts read the same in both.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { type Address, formatUnits, zeroAddress } from "viem"
import { readContract } from "viem/actions"
import type * as ChainError from "./ChainError.js"
import * as Errors from "./internal/errors.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Tx from "./internal/tx.js"
import * as Validate from "./internal/validate.js"

/**
 * An amount: a `bigint` or integer `number` of smallest units (wei), or a string `"<number> [unit]"`.
 *
 * @since 0.2.0
 * @category models
 */
export type Input = bigint | number | string

/**
 * Options of {@link parse}: the token's decimals (18, ETH's, by default) and its symbol (accepted as a unit).
 *
 * @since 0.2.0
 * @category models
 */
export interface ParseOptions {
  readonly decimals?: number | undefined
  readonly symbol?: string | undefined
}

const MAX_UINT256 = (1n << 256n) - 1n

/**
 * The units {@link parse} knows, as a power of ten of a whole token (`ether` is one token, `gwei` a billionth);
 * `wei` is always the smallest unit, whatever the decimals.
 *
 * @since 0.2.0
 * @category constants
 */
export const units: Readonly<Record<string, number>> = { ether: 0, eth: 0, gwei: -9 }

const AMOUNT = /^(\d+(?:\.\d*)?|\.\d+)(?:\s*([A-Za-z][A-Za-z0-9._-]*))?$/

/** Whether an input needs the token's decimals to be read (a unit other than wei, or a decimal point). */
const needsDecimals = (input: Input): boolean => {
  if (typeof input === "bigint") return false
  if (typeof input === "number") return !Number.isInteger(input)
  const match = AMOUNT.exec(input.trim())
  if (match === null) return false
  const unit = match[2]?.toLowerCase()
  return unit === undefined ? match[1]!.includes(".") : unit !== "wei"
}

/** Whether the unit of an input is not a known one (so it may be the token's symbol). */
const needsSymbol = (input: Input): boolean => {
  if (typeof input !== "string") return false
  const unit = AMOUNT.exec(input.trim())?.[2]?.toLowerCase()
  return unit !== undefined && unit !== "wei" && units[unit] === undefined
}

/**
 * Reads an amount in smallest units (wei). Plain integers (`100`, `"100"`, `100n`) are smallest units, as in the
 * Python client; a number with a decimal point (`"1.5"`) is whole tokens; `"1 ether"` (or `eth`, or the token's
 * `symbol`) is whole tokens, `"100 gwei"` billionths of a token, `"7 wei"` smallest units. Throws a `ChainError`
 * (`InvalidArgument`, field `amount`) for anything else, for more digits than the token has decimals, and for
 * values outside uint256.
 *
 * @example
 * ```ts
 * import { Amount } from "@infernet/chain"
 * Amount.parse("1 ether") // 1000000000000000000n
 * Amount.parse("100 gwei") // 100000000000n
 * Amount.parse(100) // 100n (wei)
 * Amount.parse("1.5", { decimals: 6 }) // 1500000n
 * Amount.parse("2 USDC", { decimals: 6, symbol: "USDC" }) // 2000000n
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const parse = (input: Input, options?: ParseOptions): bigint => {
  const decimals = options?.decimals ?? 18
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77) {
    throw Errors.invalidArgument("decimals", `must be an integer from 0 to 77, got ${decimals}`)
  }
  const fail = (detail: string): never => {
    throw Errors.invalidArgument("amount", `${JSON.stringify(String(input))} ${detail}`)
  }
  let value: bigint
  if (typeof input === "bigint") value = input
  else if (typeof input === "number" && Number.isInteger(input)) {
    // Beyond 2^53 a number may not hold the digits written (1152921504606847000 is 2^60 = ...976): show its
    // exact value and ask for a bigint or a string.
    if (!Number.isSafeInteger(input)) {
      throw Errors.invalidArgument(
        "amount",
        `${BigInt(input)} is above Number.MAX_SAFE_INTEGER, where a number may not hold the digits written: pass a bigint or a string`
      )
    }
    value = BigInt(input)
  } else if (typeof input === "number" || typeof input === "string") {
    const text = typeof input === "number" ? String(input) : input.trim()
    const match = AMOUNT.exec(text)
    // A minus sign reads as it does on a number or a bigint; exponent notation is named as such (not a unit "e18").
    if (match === null && text.startsWith("-") && AMOUNT.test(text.slice(1).trim())) return fail("is negative")
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)e[+-]?\d+$/i.test(text)) {
      return fail("is in exponent notation: write the digits, or a number and a unit (1 ether, 100 gwei)")
    }
    if (match === null) {
      return fail(
        "is not an amount: write an integer of smallest units (100), a decimal of whole tokens (1.5), " +
          "or a number and a unit (1 ether, 100 gwei)"
      )
    }
    const number = match[1]!
    const unit = match[2]?.toLowerCase()
    let exponent: number
    if (unit === undefined) exponent = number.includes(".") ? decimals : 0
    else if (unit === "wei") exponent = 0
    else if (units[unit] !== undefined) exponent = decimals + units[unit]!
    else if (options?.symbol !== undefined && unit === options.symbol.toLowerCase()) exponent = decimals
    else {
      const symbol = options?.symbol === undefined ? "" : `, ${options.symbol}`
      return fail(`has an unknown unit ${JSON.stringify(match[2])}: use wei, gwei, ether${symbol}`)
    }
    const [whole = "", fraction = ""] = number.split(".")
    const digits = fraction.replace(/0+$/, "")
    const mantissa = BigInt(`${whole === "" ? "0" : whole}${digits}`)
    const scale = exponent - digits.length
    const divisor = scale < 0 ? 10n ** BigInt(-scale) : 1n
    if (mantissa % divisor !== 0n) {
      return fail(
        exponent === decimals || unit === undefined
          ? `has more decimal places than the token's ${decimals} decimals`
          : `is not a whole number of the token's smallest unit (the token has ${decimals} decimals)`
      )
    }
    value = scale < 0 ? mantissa / divisor : mantissa * 10n ** BigInt(scale)
  } else {
    return fail("is not an amount")
  }
  if (value < 0n) fail("is negative")
  if (value > MAX_UINT256) fail("does not fit uint256")
  return value
}

/**
 * Writes an amount of smallest units as a decimal number of whole tokens (viem's `formatUnits`).
 *
 * @example
 * ```ts
 * import { Amount } from "@infernet/chain"
 * Amount.format(1500000n, 6) // "1.5"
 * Amount.format(10n ** 18n) // "1"
 * ```
 * @since 0.2.0
 * @category formatting
 */
export const format = (value: bigint, decimals = 18): string => formatUnits(value, decimals)

/**
 * Parameters of {@link resolve}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ResolveParameters extends Rpc.ClientParameters {
  readonly amount: Input
  /** The ERC20 token; the zero address or omitted for ETH (18 decimals, nothing read). */
  readonly token?: string | undefined
}

/**
 * Reads an amount of a token in smallest units, reading the token's `decimals()` (and `symbol()`, for a unit that
 * may be it) only when the amount needs them (the Effect version of {@link resolve}).
 *
 * @since 0.2.0
 * @category effects
 */
export const resolveEffect = (params: ResolveParameters): Effect.Effect<bigint, ChainError.ChainError> =>
  Effect.gen(function* () {
    const token = yield* Validate.tokenArgEffect(params.token)
    const { amount } = params
    if (token === zeroAddress || !needsDecimals(amount)) {
      return yield* Effect.try({ try: () => parse(amount), catch: Errors.asChainError })
    }
    const client = yield* Rpc.resolveClient(params)
    const decimals = yield* Tx.read("decimals", () =>
      readContract(client, { address: token, abi: erc20Metadata, functionName: "decimals" })
    )
    const symbol = needsSymbol(amount)
      ? yield* Tx.read("symbol", () =>
          readContract(client, { address: token as Address, abi: erc20Metadata, functionName: "symbol" })
        )
      : undefined
    return yield* Effect.try({ try: () => parse(amount, { decimals, symbol }), catch: Errors.asChainError })
  })

/**
 * Reads an amount of a token in smallest units: as {@link parse}, with the token's own `decimals()` (read from the
 * chain only when the amount has a unit or a decimal point) and its `symbol()` as a unit.
 *
 * @example
 * ```ts
 * import { Amount } from "@infernet/chain"
 * const units = await Amount.resolve({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   amount: "1.5"
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const resolve = (params: ResolveParameters & Run.PromiseOptions): Promise<bigint> =>
  Run.runPromise(resolveEffect(params), params)

const erc20Metadata = [
  {
    type: "function",
    name: "decimals",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint8" }]
  },
  {
    type: "function",
    name: "symbol",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }]
  }
] as const
