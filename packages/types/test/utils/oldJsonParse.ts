// Json.parse as it was before the native-first rewrite: a regex pre-scan, then JSON.parse of the marked text with a
// reviver (the marking itself is unchanged). The oracle that property tests compare the current parser with.
import { MARK, markBigIntegers } from "../../src/internal/json.js"

const BIG_DIGITS = /(?<![\d.eE+])\d{16}/

const reviveBigIntegers = (_key: string, value: unknown): unknown => {
  if (typeof value === "string" && value.startsWith(MARK)) {
    const big = BigInt(value.slice(MARK.length))
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
  }
  return value
}

export const oldJsonParse = (text: string): unknown => {
  if (!BIG_DIGITS.test(text)) return JSON.parse(text)
  return JSON.parse(markBigIntegers(text), reviveBigIntegers)
}
