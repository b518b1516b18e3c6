import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { Json } from "../src/index.js"
import { assertEncodeDecodeIdentity } from "./utils/roundtrip.js"

const R = 112419937383409519617478062618467302434349838004577946946744542925425108878587n
const S = 57253096734004389612396082766016347584434108547577788062298290937008498305320n

describe("Json.parse", () => {
  it("keeps integers above 2^53 exact as bigint", () => {
    const text = `{"v":27,"r":${R},"s":${S},"nested":[{"x":-${R}}]}`
    assert.deepStrictEqual(Json.parse(text), { v: 27, r: R, s: S, nested: [{ x: -R }] })
  })

  it("keeps long safe integers and floats as numbers", () => {
    assert.deepStrictEqual(
      Json.parse("[9007199254740991, 1000000000000000, 1234567890123456.5, 1.2345678901234567e30]"),
      [9007199254740991, 1000000000000000, 1234567890123456.5, 1.2345678901234567e30]
    )
    assert.deepStrictEqual(Json.parse("[9007199254740992]"), [9007199254740992n])
  })

  it("finds big integers beside long fractions and exponents", () => {
    assert.deepStrictEqual(
      Json.parse("[0.12345678901234567890,12345678901234567890,-12345678901234567890,1e+1234567890123456]"),
      [0.12345678901234568, 12345678901234567890n, -12345678901234567890n, Number.POSITIVE_INFINITY]
    )
  })

  it("leaves digits inside strings alone, escaped quotes included", () => {
    const text = `{"id":"12345678901234567890","q":"say \\"1234567890123456789\\"","n":12345678901234567890}`
    assert.deepStrictEqual(Json.parse(text), {
      id: "12345678901234567890",
      q: 'say "1234567890123456789"',
      n: 12345678901234567890n
    })
  })

  it("rejects invalid JSON with a SyntaxError", () => {
    assert.throws(() => Json.parse("{"), SyntaxError)
    assert.throws(() => Json.parse("[12345678901234567890,]"), SyntaxError)
  })
})

describe("Json.stringify", () => {
  it("writes bigint exactly and round-trips through parse", () => {
    const value = { r: R, s: S, small: 1n, list: [2n ** 255n] }
    const text = Json.stringify(value)
    assert.strictEqual(text, `{"r":${R},"s":${S},"small":1,"list":[${2n ** 255n}]}`)
    assert.deepStrictEqual(Json.parse(text), { r: R, s: S, small: 1, list: [2n ** 255n] })
  })

  it("indents on request", () => {
    assert.strictEqual(Json.stringify({ a: [1n] }, { space: 2 }), '{\n  "a": [\n    1\n  ]\n}')
  })

  it("fails clearly for values JSON cannot hold", () => {
    assert.throws(() => Json.stringify(undefined), /cannot be written as JSON/)
  })

  it("bigint arrays survive any value", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(FastCheck.bigInt()), (values) => {
        const back = Json.parse(Json.stringify(values)) as Array<number | bigint>
        assert.deepStrictEqual(back.map(BigInt), values)
      })
    )
  })
})

describe("Json.canonical", () => {
  it("sorts keys at every depth, is compact, escapes non-ASCII and ends with a newline", () => {
    assert.strictEqual(
      Json.canonical({ b: 1, a: "é☃", c: [{ z: 1, y: null }], d: R }),
      `{"a":"\\u00e9\\u2603","b":1,"c":[{"y":null,"z":1}],"d":${R}}\n`
    )
  })

  it("sorts integer-like keys as strings, like the node", () => {
    assert.strictEqual(Json.canonical({ b: 1, 10: 2, 2: 3 }), '{"10":2,"2":3,"b":1}\n')
  })

  it("writes floats as Python's json.dumps does", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0.5, "0.5"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [-0.000012345, "-1.2345e-05"],
      [1.5e-7, "1.5e-07"],
      [5e-324, "5e-324"],
      [123456789012345.67, "123456789012345.67"],
      [1e16, "1e+16"],
      [-1.2345678901234568e17, "-1.2345678901234568e+17"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [9007199254740991, "9007199254740991"],
      [9100000000000000, "9100000000000000.0"],
      [0, "0"]
    ]
    for (const [value, written] of cases) assert.strictEqual(Json.canonical(value), `${written}\n`, String(value))
    assert.strictEqual(Json.canonical({ embedding: [0.012, -0.00004] }), '{"embedding":[0.012,-4e-05]}\n')
  })

  it("writes every finite double so that it parses back to the same number", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        assert.strictEqual(Json.parse(Json.canonical(n)), n === 0 ? 0 : n)
      }),
      { numRuns: 2000 }
    )
  })

  it("drops undefined members like JSON.stringify", () => {
    assert.strictEqual(Json.canonical({ a: undefined, b: [undefined] }), '{"b":[null]}\n')
  })

  it("parses back to the same value", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.jsonValue(), (value) => {
        assert.deepStrictEqual(Json.parse(Json.canonical(value)), JSON.parse(JSON.stringify(value)))
      })
    )
  })
})

describe("JsonValue / JsonObject", () => {
  it("encode -> decode is the identity", () => {
    assertEncodeDecodeIdentity(Json.JsonValue, 100)
    assertEncodeDecodeIdentity(Json.JsonObject, 100)
  })
})
