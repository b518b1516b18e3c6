import { Effect } from "effect"
import { type Address, bytesToHex, getAddress, type Hex, isAddress, zeroAddress } from "viem"
import type * as ChainError from "../ChainError.js"
import * as Errors from "./errors.js"

const show = (value: unknown): string => {
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "number") return String(value)
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  if (value === undefined) return "undefined"
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const uintBig = (field: string, value: unknown, bits: number): bigint => {
  let n: bigint
  if (typeof value === "bigint") n = value
  else if (typeof value === "number" && Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) {
      throw Errors.invalidSubscription(
        field,
        `is ${BigInt(value)}, above Number.MAX_SAFE_INTEGER, where a number may not hold the digits written: pass a bigint`
      )
    }
    n = BigInt(value)
  } else throw Errors.invalidSubscription(field, `must be an unsigned integer (uint${bits}), got ${show(value)}`)
  const max = (1n << BigInt(bits)) - 1n
  if (n < 0n || n > max) throw Errors.invalidSubscription(field, `must fit uint${bits} (0 to ${max}), got ${n}`)
  return n
}

/** A uint of at most 48 bits, as a number. @internal */
export const uint = (field: string, value: unknown, bits: 8 | 16 | 32 | 48): number =>
  Number(uintBig(field, value, bits))

/** A uint256, as a bigint. @internal */
export const uint256 = (field: string, value: unknown): bigint => uintBig(field, value, 256)

/** An address in any case, normalised to its EIP-55 checksum. @internal */
export const address = (field: string, value: unknown): Address => {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw Errors.invalidSubscription(field, `must be an address (0x and 40 hex digits), got ${show(value)}`)
  }
  return getAddress(value)
}

/** An address argument of a wallet / token / registry function (fails with `InvalidArgument`). @internal */
export const addressArg = (field: string, value: unknown): Address => {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw Errors.invalidArgument(field, `must be an address (0x and 40 hex digits), got ${show(value)}`)
  }
  return getAddress(value)
}

/** {@link addressArg} as an Effect. @internal */
export const addressArgEffect = (field: string, value: unknown): Effect.Effect<Address, ChainError.ChainError> =>
  Effect.try({ try: () => addressArg(field, value), catch: Errors.asChainError })

/** A token argument: omitted means ETH (the zero address). @internal */
export const tokenArgEffect = (token: string | undefined): Effect.Effect<Address, ChainError.ChainError> =>
  token === undefined ? Effect.succeed(zeroAddress) : addressArgEffect("token", token)

/** Hex bytes (or a Uint8Array), lower-cased. @internal */
export const bytes = (field: string, value: unknown): Hex => {
  if (value instanceof Uint8Array) return bytesToHex(value)
  if (typeof value !== "string" || !/^0x(?:[0-9a-fA-F]{2})*$/.test(value)) {
    throw Errors.invalidSubscription(
      field,
      `must be hex bytes (0x and an even number of hex digits), got ${show(value)}`
    )
  }
  return value.toLowerCase() as Hex
}

/** Exactly 32 hex bytes, lower-cased. @internal */
export const bytes32 = (field: string, value: unknown, hint = ""): Hex => {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw Errors.invalidSubscription(field, `must be 32 bytes as hex (0x and 64 hex digits), got ${show(value)}${hint}`)
  }
  return value.toLowerCase() as Hex
}

/** A boolean. @internal */
export const boolean = (field: string, value: unknown): boolean => {
  if (typeof value !== "boolean") throw Errors.invalidSubscription(field, `must be a boolean, got ${show(value)}`)
  return value
}
