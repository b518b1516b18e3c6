// Json.parse as it was before the native-first rewrite (a regex pre-scan, then JSON.parse with a reviver): the
// oracle that property tests compare the current parser with.

const BIG_DIGITS = /(?<![\d.eE+])\d{16}/
const MARK = "\u0000bigint:"
const MARK_IN_JSON = "\\u0000bigint:"

const isDigit = (c: number) => c >= 48 && c <= 57
const isNumberChar = (c: number) => isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45

const markBigIntegers = (text: string): string => {
  let out = ""
  let last = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 92) i += 2
        else if (d === 34) break
        else i++
      }
      i++
      continue
    }
    if (c === 45 || isDigit(c)) {
      const start = i
      i++
      while (i < n && isDigit(text.charCodeAt(i))) i++
      const next = text.charCodeAt(i)
      const isFraction = next === 46 || next === 101 || next === 69
      if (!isFraction && i - start >= 16) {
        out += `${text.slice(last, start)}"${MARK_IN_JSON}${text.slice(start, i)}"`
        last = i
      } else if (isFraction) {
        while (i < n && isNumberChar(text.charCodeAt(i))) i++
      }
      continue
    }
    i++
  }
  return last === 0 ? text : out + text.slice(last)
}

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
