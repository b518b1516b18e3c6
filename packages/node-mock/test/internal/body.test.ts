import { assert, describe, it } from "@effect/vitest"
import { InflightBudget, nestsDeeperThan, parseJson, stripTrailingCommas } from "../../src/internal/body.js"

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

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    assert.isFalse(nestsDeeperThan('{"a":[1,{"b":2}]}', 3))
    assert.isTrue(nestsDeeperThan('{"a":[1,{"b":[2]}]}', 3))
    assert.isFalse(nestsDeeperThan(`{"text":"${"[".repeat(50)}","q":"\\"[[[["}`, 1))
    assert.isTrue(nestsDeeperThan(`${"[".repeat(11)}${"]".repeat(11)}`, 10))
    assert.isFalse(nestsDeeperThan(`${"[".repeat(10)}${"]".repeat(10)}`, 10))
    // Siblings do not add up: depth goes back down on every close.
    assert.isFalse(nestsDeeperThan(`[${"[[]],".repeat(100)}[]]`, 3))
  })
})

describe("InflightBudget", () => {
  it("reserves up to its limit and releases", () => {
    const budget = new InflightBudget(100)
    assert.isTrue(budget.reserve(60))
    assert.isFalse(budget.reserve(41))
    assert.isTrue(budget.reserve(40))
    budget.release(60)
    assert.strictEqual(budget.held, 40)
    assert.isTrue(budget.reserve(60))
  })
})
