// Locates the first syntax error in JSON text, for messages such as `input.json:3:7: expected ',' or '}' after a
// property value`. V8's JSON.parse messages only sometimes carry a position (and never a line), so after a failed
// parse the text is scanned again by this small validator. It follows RFC 8259 exactly; it only runs on failure.

/** @internal */
export interface JsonSyntaxError {
  /** 0-based offset in the text (UTF-16 code units). */
  readonly offset: number
  /** 1-based line. */
  readonly line: number
  /** 1-based column, counted in characters (code points). */
  readonly column: number
  readonly message: string
}

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string
  ) {}
}

const describeChar = (text: string, offset: number): string => {
  const cp = text.codePointAt(offset)
  if (cp === undefined) return "end of input"
  const char = String.fromCodePoint(cp)
  if (cp < 0x20) return `control character ${JSON.stringify(char)}`
  return `'${char}'`
}

const isDigit = (c: number) => c >= 48 && c <= 57
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)

/** @internal */
export const position = (text: string, offset: number): { readonly line: number; readonly column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  // Columns count code points, as editors do, not UTF-16 units.
  const column = Array.from(text.slice(lineStart, Math.min(offset, text.length))).length + 1
  return { line, column }
}

/**
 * The first syntax error of `text`, or `undefined` when it is valid JSON.
 *
 * @internal
 */
export const locate = (text: string): JsonSyntaxError | undefined => {
  let i = 0
  const n = text.length

  const fail = (message: string, at = i): never => {
    throw new Failure(at, message)
  }
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
  }
  const expectLiteral = (word: string) => {
    for (let k = 0; k < word.length; k++) {
      if (text.charCodeAt(i + k) !== word.charCodeAt(k)) {
        fail(`invalid literal: expected '${word}'`, i)
      }
    }
    i += word.length
  }
  const string = () => {
    const start = i
    i++ // opening quote
    while (true) {
      if (i >= n) fail("unterminated string", start)
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return
      }
      if (c === 92) {
        const e = text.charCodeAt(i + 1)
        if (e === 117 /* u */) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(i + k))) fail("invalid \\u escape: expected 4 hex digits", i)
          }
          i += 6
        } else if ([34, 92, 47, 98, 102, 110, 114, 116].includes(e)) {
          i += 2
        } else {
          fail(`invalid escape sequence '\\${text[i + 1] ?? ""}'`, i)
        }
        continue
      }
      if (c < 0x20) fail(`unescaped ${describeChar(text, i)} in a string (write it as an escape such as \\n)`)
      i++
    }
  }
  const number = () => {
    const start = i
    if (text.charCodeAt(i) === 45) i++
    if (text.charCodeAt(i) === 48) {
      i++
      if (isDigit(text.charCodeAt(i))) fail("invalid number: leading zeros are not allowed", start)
    } else if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(i))) i++
    } else {
      fail("invalid number", start)
    }
    if (text.charCodeAt(i) === 46) {
      i++
      if (!isDigit(text.charCodeAt(i))) fail("invalid number: expected a digit after '.'")
      while (isDigit(text.charCodeAt(i))) i++
    }
    const e = text.charCodeAt(i)
    if (e === 101 || e === 69) {
      i++
      const sign = text.charCodeAt(i)
      if (sign === 43 || sign === 45) i++
      if (!isDigit(text.charCodeAt(i))) fail("invalid number: expected a digit in the exponent")
      while (isDigit(text.charCodeAt(i))) i++
    }
  }
  const value = (): void => {
    ws()
    if (i >= n) fail("unexpected end of input: expected a value")
    const c = text.charCodeAt(i)
    if (c === 123) object()
    else if (c === 91) array()
    else if (c === 34) string()
    else if (c === 45 || isDigit(c)) number()
    else if (c === 116) expectLiteral("true")
    else if (c === 102) expectLiteral("false")
    else if (c === 110) expectLiteral("null")
    else if (c === 39) fail("strings must use double quotes")
    else fail(`unexpected ${describeChar(text, i)}: expected a value`)
  }
  const object = () => {
    i++
    ws()
    if (text.charCodeAt(i) === 125) {
      i++
      return
    }
    let first = true
    while (true) {
      ws()
      if (i >= n) fail("unexpected end of input: expected a property name or '}'")
      if (text.charCodeAt(i) !== 34) {
        if (!first && text.charCodeAt(i) === 125) fail("trailing comma before '}'")
        fail(`expected a property name in double quotes, got ${describeChar(text, i)}`)
      }
      first = false
      string()
      ws()
      if (text.charCodeAt(i) !== 58) fail(`expected ':' after a property name, got ${describeChar(text, i)}`)
      i++
      value()
      ws()
      const c = text.charCodeAt(i)
      if (c === 44) {
        i++
        continue
      }
      if (c === 125) {
        i++
        return
      }
      fail(`expected ',' or '}' after a property value, got ${describeChar(text, i)}`)
    }
  }
  const array = () => {
    i++
    ws()
    if (text.charCodeAt(i) === 93) {
      i++
      return
    }
    while (true) {
      ws()
      if (text.charCodeAt(i) === 93) fail("trailing comma before ']'")
      value()
      ws()
      const c = text.charCodeAt(i)
      if (c === 44) {
        i++
        continue
      }
      if (c === 93) {
        i++
        return
      }
      fail(`expected ',' or ']' after an array element, got ${describeChar(text, i)}`)
    }
  }

  try {
    value()
    ws()
    if (i < n) fail(`unexpected ${describeChar(text, i)} after the JSON value`)
    return undefined
  } catch (e) {
    if (!(e instanceof Failure)) throw e
    return { offset: e.offset, ...position(text, e.offset), message: e.message }
  }
}
