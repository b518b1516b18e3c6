// Exact-integer JSON for the wire. Node 20's JSON.parse cannot see a number's source text (no reviver `source`), so:
// the text is parsed natively, and a walk of the result (no recursion, cheap: it only reads numbers) looks for a
// number beyond the safe integer range. Only an integer literal of 16+ digits, or a float written that large, parses
// to one; so ordinary bodies, long floats such as embeddings included, cost one native parse and that walk. When
// there is one, big integer literals are rewritten into marked strings, the text is parsed again, and a second walk
// turns the marks into exact bigints. Both walks keep their own stack, so values of any depth parse.

export const MARK = "\u0000bigint:"
// The same marker as it is written inside JSON text (a raw NUL is not allowed in a JSON string).
const MARK_IN_JSON = "\\u0000bigint:"

const isDigit = (c: number) => c >= 48 && c <= 57
// digits, ".", "e", "E", "+", "-"
const isNumberChar = (c: number) => isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45

export const markBigIntegers = (text: string): string => {
  let out = ""
  let last = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 92 /* \ */) i += 2
        else if (d === 34) break
        else i++
      }
      i++
      continue
    }
    if (c === 45 /* - */ || isDigit(c)) {
      const start = i
      i++
      while (i < n && isDigit(text.charCodeAt(i))) i++
      const next = text.charCodeAt(i)
      const isFraction = next === 46 || next === 101 || next === 69 // . e E
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

// Whether a parsed value holds a number no double represents exactly as the integer it may have been written as.
const hasUnsafeNumber = (root: unknown): boolean => {
  const stack: Array<unknown> = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === "number") {
      if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) return true
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === "number") {
          if (item > Number.MAX_SAFE_INTEGER || item < Number.MIN_SAFE_INTEGER) return true
        } else if (typeof item === "object" && item !== null) stack.push(item)
      }
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>
      for (const key in record) {
        const item = record[key]
        if (typeof item === "number") {
          if (item > Number.MAX_SAFE_INTEGER || item < Number.MIN_SAFE_INTEGER) return true
        } else if (typeof item === "object" && item !== null) stack.push(item)
      }
    }
  }
  return false
}

const revive = (value: unknown): unknown => {
  if (typeof value !== "string" || !value.startsWith(MARK)) return value
  const big = BigInt(value.slice(MARK.length))
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

// Replaces the marked strings of a parsed value by their integers, in place.
const reviveBigIntegers = (root: unknown): unknown => {
  const stack: Array<unknown> = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === "string") value[i] = revive(item)
        else if (typeof item === "object" && item !== null) stack.push(item)
      }
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const item = record[key]
        if (typeof item === "string") record[key] = revive(item)
        else if (typeof item === "object" && item !== null) stack.push(item)
      }
    }
  }
  return revive(root)
}

export const parse = (text: string): unknown => {
  const value: unknown = JSON.parse(text)
  if (!hasUnsafeNumber(value)) return value
  const marked = markBigIntegers(text)
  return marked === text ? value : reviveBigIntegers(JSON.parse(marked))
}

const BIGINT_OUT = /"\\u0000bigint:(-?\d+)"/g

export const stringify = (value: unknown, options?: { readonly space?: number | undefined }): string => {
  let sawBigInt = false
  let text: string | undefined
  try {
    text = JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === "bigint") {
          sawBigInt = true
          return `${MARK}${v.toString()}`
        }
        return v
      },
      options?.space
    )
  } catch (error) {
    // JSON.stringify recurses: a value nested a few thousand levels deep overflows the stack. Write it iteratively.
    if (!(error instanceof RangeError)) throw error
    text = writeIteratively(value, stringifyMode(options?.space))
    sawBigInt = false
  }
  if (text === undefined) throw new TypeError("Value cannot be written as JSON")
  return sawBigInt ? text.replace(BIGINT_OUT, "$1") : text
}

/** How {@link writeIteratively} writes: `prepare` sees every value first (toJSON, boxed primitives). */
interface WriteMode {
  readonly prepare: (value: unknown, key: string) => unknown
  /** The text of a value that is not an object, or `undefined` for one JSON has no place for. */
  readonly leaf: (value: unknown) => string | undefined
  readonly key: (key: string) => string
  readonly sortKeys: boolean
  readonly indent: string
}

export const stringifyMode = (space: number | undefined): WriteMode => ({
  prepare: (value, key) => {
    if (typeof value === "object" && value !== null) {
      const toJSON = (value as { toJSON?: unknown }).toJSON
      if (typeof toJSON === "function") value = toJSON.call(value, key)
      if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
        return value.valueOf()
      }
    }
    return value
  },
  leaf: (value) => {
    switch (typeof value) {
      case "bigint":
        return value.toString()
      case "number":
      case "boolean":
      case "string":
        return JSON.stringify(value)
      default:
        return value === null ? "null" : undefined
    }
  },
  key: (key) => JSON.stringify(key),
  sortKeys: false,
  indent: " ".repeat(Math.min(10, Math.max(0, Math.floor(space ?? 0))))
})

interface Frame {
  readonly value: object
  readonly keys: ReadonlyArray<string> | undefined
  readonly length: number
  next: number
  written: number
}

// The longest string V8 builds on 64-bit platforms (String::kMaxLength in Node 20-24).
export const MAX_TEXT_LENGTH = 2 ** 29 - 24

/**
 * The pieces of a text being written, joined every few thousand pieces so that no array grows with the value's size
 * (an array of more than ~134 million elements aborts the process, it does not throw). A text that would pass
 * {@link MAX_TEXT_LENGTH} throws a `RangeError` as soon as it does, as `JSON.stringify` does.
 */
const makeOutput = (maxLength: number) => {
  const chunks: Array<string> = []
  let pieces: Array<string> = []
  let length = 0
  return {
    push: (piece: string) => {
      length += piece.length
      if (length > maxLength) throw new RangeError("Invalid string length: the JSON text is too long")
      pieces.push(piece)
      if (pieces.length === 8192) {
        chunks.push(pieces.join(""))
        pieces = []
      }
    },
    join: (): string => {
      chunks.push(pieces.join(""))
      return chunks.join("")
    }
  }
}

// JSON text of any depth, with its own stack. Throws a TypeError on a cycle, as JSON.stringify does, and a RangeError
// for a text longer than any string.
export const writeIteratively = (
  root: unknown,
  mode: WriteMode,
  maxLength: number = MAX_TEXT_LENGTH
): string | undefined => {
  const first = mode.prepare(root, "")
  if (typeof first !== "object" || first === null) return mode.leaf(first)
  const out = makeOutput(maxLength)
  const stack: Array<Frame> = []
  const onPath = new Set<object>()
  const open = (value: object) => {
    if (onPath.has(value)) throw new TypeError("Converting circular structure to JSON")
    onPath.add(value)
    const isArray = Array.isArray(value)
    const keys = isArray ? undefined : mode.sortKeys ? Object.keys(value).sort() : Object.keys(value)
    out.push(isArray ? "[" : "{")
    stack.push({
      value,
      keys,
      length: keys === undefined ? (value as Array<unknown>).length : keys.length,
      next: 0,
      written: 0
    })
  }
  open(first)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    if (frame.next === frame.length) {
      if (frame.written > 0 && mode.indent !== "") out.push(`\n${mode.indent.repeat(stack.length - 1)}`)
      out.push(frame.keys === undefined ? "]" : "}")
      onPath.delete(frame.value)
      stack.pop()
      continue
    }
    const i = frame.next++
    const key = frame.keys === undefined ? String(i) : frame.keys[i]!
    const value = mode.prepare((frame.value as Record<string, unknown>)[key], key)
    const isObject = typeof value === "object" && value !== null
    let text = isObject ? undefined : mode.leaf(value)
    if (!isObject && text === undefined) {
      if (frame.keys !== undefined) continue
      text = "null"
    }
    if (frame.written++ > 0) out.push(",")
    if (mode.indent !== "") out.push(`\n${mode.indent.repeat(stack.length)}`)
    if (frame.keys !== undefined) out.push(`${mode.key(key)}${mode.indent === "" ? ":" : ": "}`)
    if (text === undefined) open(value as object)
    else out.push(text)
  }
  return out.join()
}

const NON_ASCII = /[\u0080-\uffff]/g
const escapeNonAscii = (s: string) => s.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

// Python's repr of a float, which the node's json.dumps writes: the same shortest digits as JavaScript, but in
// exponent form from 1e16 up and below 1e-4, with a two-digit exponent (1e-05, 1.5e+16). Safe integers are written
// as integers (a parsed JSON number does not say whether it was 1 or 1.0); a larger integral number can only have
// been a float, since `parse` reads such integer literals as bigint, and is written as one (9007199254740993.0).
const pythonNumber = (n: number): string => {
  const magnitude = Math.abs(n)
  // The common case first: both languages write these alike (String(-0) is "0", as JSON.stringify writes it).
  if (magnitude >= 1e-4 && magnitude <= Number.MAX_SAFE_INTEGER) return String(n)
  if (magnitude > Number.MAX_SAFE_INTEGER && magnitude < 1e16) return `${n}.0`
  if (magnitude !== 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
    const written = n.toExponential()
    const e = written.indexOf("e")
    const exponent = written.slice(e + 2)
    return `${written.slice(0, e + 2)}${exponent.length === 1 ? `0${exponent}` : exponent}`
  }
  return "0"
}

const writeCanonical = (value: unknown): string | undefined => {
  if (value === null) return "null"
  switch (typeof value) {
    case "bigint":
      return value.toString()
    case "number":
      return Number.isFinite(value) ? pythonNumber(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "string":
      return escapeNonAscii(JSON.stringify(value))
    case "object": {
      const toJSON = (value as { toJSON?: unknown }).toJSON
      if (typeof toJSON === "function") return writeCanonical(toJSON.call(value))
      if (Array.isArray(value)) return `[${value.map((v) => writeCanonical(v) ?? "null").join(",")}]`
      const record = value as Record<string, unknown>
      const parts: Array<string> = []
      for (const key of Object.keys(record).sort()) {
        const written = writeCanonical(record[key])
        if (written !== undefined) parts.push(`${escapeNonAscii(JSON.stringify(key))}:${written}`)
      }
      return `{${parts.join(",")}}`
    }
    default:
      return undefined
  }
}

export const canonicalMode: WriteMode = {
  prepare: (value) => {
    if (typeof value !== "object" || value === null) return value
    const toJSON = (value as { toJSON?: unknown }).toJSON
    return typeof toJSON === "function" ? toJSON.call(value) : value
  },
  leaf: (value) => (typeof value === "object" ? "null" : writeCanonical(value)),
  key: (key) => escapeNonAscii(JSON.stringify(key)),
  sortKeys: true,
  indent: ""
}

export const canonical = (value: unknown): string => {
  let text: string | undefined
  try {
    text = writeCanonical(value)
  } catch (error) {
    // Deep values overflow the recursive writer (it is the faster one for everything else).
    if (!(error instanceof RangeError)) throw error
    text = writeIteratively(value, canonicalMode)
  }
  return `${text ?? "null"}\n`
}
