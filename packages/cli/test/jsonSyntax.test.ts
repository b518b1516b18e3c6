import { assert, describe, it } from "@effect/vitest"
import { locate, position } from "../src/internal/jsonSyntax.js"

const where = (text: string) => {
  const error = locate(text)
  return error === undefined ? undefined : `${error.line}:${error.column} ${error.message}`
}

describe("jsonSyntax.locate", () => {
  it("accepts everything JSON.parse accepts", () => {
    const valid = [
      "{}",
      "[]",
      " 0 ",
      "-0.5e+10",
      '"\\u00e9\\n\\"x\\""',
      '{"a": [1, 2, {"b": null}], "c": true, "d": false}',
      "123456789012345678901234567890",
      '\n\t{ "k" : "v" }\r\n'
    ]
    for (const text of valid) {
      JSON.parse(text)
      assert.strictEqual(locate(text), undefined, text)
    }
  })

  it("points at the first error with line and column", () => {
    assert.strictEqual(where('{\n  "a": 1\n  "b": 2\n}'), "3:3 expected ',' or '}' after a property value, got '\"'")
    assert.strictEqual(where('{"a": }'), "1:7 unexpected '}': expected a value")
    assert.strictEqual(where('{"a": 1,}'), "1:9 trailing comma before '}'")
    assert.strictEqual(where("[1, 2,]"), "1:7 trailing comma before ']'")
    assert.strictEqual(where('{"a" 1}'), "1:6 expected ':' after a property name, got '1'")
    assert.strictEqual(where("{'a': 1}"), "1:2 expected a property name in double quotes, got '''")
    assert.strictEqual(where('{"a": 1'), "1:8 expected ',' or '}' after a property value, got end of input")
    assert.strictEqual(where('{"a": 1}x'), "1:9 unexpected 'x' after the JSON value")
    assert.strictEqual(where('{"a": tru}'), "1:7 invalid literal: expected 'true'")
    assert.strictEqual(
      where('{"a": "x\ny"}'),
      '1:9 unescaped control character "\\n" in a string (write it as an escape such as \\n)'
    )
    assert.strictEqual(where('"abc'), "1:1 unterminated string")
    assert.strictEqual(where('"\\x"'), "1:2 invalid escape sequence '\\x'")
    assert.strictEqual(where("01"), "1:1 invalid number: leading zeros are not allowed")
    assert.strictEqual(where("1."), "1:3 invalid number: expected a digit after '.'")
    assert.strictEqual(where("[1 2]"), "1:4 expected ',' or ']' after an array element, got '2'")
    assert.strictEqual(where(""), "1:1 unexpected end of input: expected a value")
    assert.strictEqual(where("{'a'"), "1:2 expected a property name in double quotes, got '''")
  })

  it("counts columns in characters, not UTF-16 units", () => {
    // "😀" is two UTF-16 units but one column.
    assert.strictEqual(where('{"😀": x}'), "1:7 unexpected 'x': expected a value")
    assert.deepStrictEqual(position("a\nbc", 3), { line: 2, column: 2 })
  })
})
