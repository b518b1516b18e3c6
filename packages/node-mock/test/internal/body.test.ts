import { assert, describe, it } from "@effect/vitest"
import { parseJson, stripTrailingCommas } from "../../src/internal/body.js"

describe("stripTrailingCommas", () => {
  it("removes commas before } and ], outside strings only", () => {
    assert.strictEqual(stripTrailingCommas('{"a": [1, 2,], "b": {"c": 1,},\n}'), '{"a": [1, 2], "b": {"c": 1}\n}')
    const inString = '{"text": "a,}b,]", "q": "\\",}"}'
    assert.strictEqual(stripTrailingCommas(inString), inString)
    assert.strictEqual(stripTrailingCommas("[1,2]"), "[1,2]")
  })
})

describe("parseJson", () => {
  it("keeps big integers exact and says when trailing commas were tolerated", () => {
    assert.deepStrictEqual(
      parseJson('{"r": 115792089237316195423570985008687907853269984665640564039457584007913129639935}'),
      {
        ok: true,
        value: { r: 115792089237316195423570985008687907853269984665640564039457584007913129639935n },
        tolerated: false
      }
    )
    assert.deepStrictEqual(parseJson('{"a": 1,}'), { ok: true, value: { a: 1 }, tolerated: true })
  })

  it("reports the original error when stripping does not help", () => {
    const parsed = parseJson('{"a": 1,, }')
    assert.isFalse(parsed.ok)
    assert.deepStrictEqual(parseJson("  "), { ok: false, message: "the body is empty" })
  })
})
