import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, JSONSchema, Pretty, Schema } from "effect"
import { Json } from "../src/index.js"
import { canonicalMode, stringifyMode, writeIteratively } from "../src/internal/json.js"
import { REFERENCE_DEPTH, Reference, ReferenceObject } from "../src/internal/jsonValue.js"
import { oldJsonParse } from "./utils/oldJsonParse.js"
import { assertEncodeDecodeIdentity, decodeError } from "./utils/roundtrip.js"

const R = 112419937383409519617478062618467302434349838004577946946744542925425108878587n
const S = 57253096734004389612396082766016347584434108547577788062298290937008498305320n

describe("writing very large values", () => {
  it("the iterative writer joins its pieces as it goes and agrees with JSON.stringify", () => {
    // More pieces than one join batch, nested, with strings that need escaping.
    const value = Array.from({ length: 3000 }, (_, i) => ({ i, s: `a"b\\${i}`, list: [i, i / 7, null, true] }))
    assert.strictEqual(writeIteratively(value, stringifyMode(undefined)), JSON.stringify(value))
    assert.strictEqual(writeIteratively(value, stringifyMode(2)), JSON.stringify(value, null, 2))
  })

  it("a text longer than the limit is a RangeError (never an abort of the process), thrown as soon as it passes", () => {
    const value = Array.from({ length: 10_000 }, () => "0123456789")
    const text = JSON.stringify(value)
    assert.strictEqual(writeIteratively(value, stringifyMode(undefined), text.length), text)
    assert.throws(() => writeIteratively(value, stringifyMode(undefined), text.length - 1), RangeError)
    assert.throws(() => writeIteratively(value, canonicalMode, 1000), RangeError)
  })
})

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

  it("keeps floats beyond 2^53 as numbers, beside big integers too", () => {
    assert.deepStrictEqual(Json.parse("[1e20, -1.5e300, 9007199254740993.0]"), [1e20, -1.5e300, 9007199254740992])
    assert.deepStrictEqual(Json.parse("[1e20, 12345678901234567890]"), [1e20, 12345678901234567890n])
    assert.deepStrictEqual(Json.parse("12345678901234567890"), 12345678901234567890n)
    assert.deepStrictEqual(Json.parse('"12345678901234567890"'), "12345678901234567890")
  })

  it("parses deep JSON holding a big integer, without recursion", () => {
    const depth = 100_000
    let value = Json.parse(`${"[".repeat(depth)}12345678901234567890,{"n":-98765432109876543210}${"]".repeat(depth)}`)
    for (let i = 0; i < depth - 1; i++) value = (value as Array<unknown>)[0]
    assert.deepStrictEqual(value, [12345678901234567890n, { n: -98765432109876543210n }])
  })

  it("agrees with the regex-and-reviver parser it replaced", () => {
    const jsonText = FastCheck.oneof(
      Arbitrary.make(Json.JsonValue).map((value) => Json.stringify(value)),
      FastCheck.jsonValue().map((value) => JSON.stringify(value)),
      FastCheck.array(FastCheck.oneof(FastCheck.bigInt(), FastCheck.double({ noNaN: true }), FastCheck.integer())).map(
        (values) => Json.stringify(values.map((v) => (typeof v === "number" && !Number.isFinite(v) ? 0 : v)))
      )
    )
    FastCheck.assert(
      FastCheck.property(jsonText, (text) => {
        assert.deepStrictEqual(Json.parse(text), oldJsonParse(text))
      }),
      { numRuns: 500 }
    )
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

describe("deep values", () => {
  const depth = 100_000
  const deepText = (leaf: string) => `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`

  it("Json.stringify and Json.canonical write values of any depth", () => {
    const value = Json.parse(deepText('12345678901234567890,{"b":"é","a":-0.00001}'))
    assert.strictEqual(Json.stringify(value), deepText('12345678901234567890,{"b":"é","a":-0.00001}'))
    assert.strictEqual(Json.canonical(value), `${deepText('12345678901234567890,{"a":-1e-05,"b":"\\u00e9"}')}\n`)
    // Indented: 5000 levels overflow JSON.stringify with a replacer, and keep the text small enough.
    const levels = 5000
    const lines: Array<string> = []
    for (let k = 0; k < levels; k++) lines.push(`${" ".repeat(k)}[`)
    lines.push(`${" ".repeat(levels)}2`)
    for (let k = levels - 1; k >= 0; k--) lines.push(`${" ".repeat(k)}]`)
    let nested: unknown = 2n
    for (let k = 0; k < levels; k++) nested = [nested]
    assert.strictEqual(Json.stringify(nested, { space: 1 }), lines.join("\n"))
  })

  it("still refuses cycles with a TypeError", () => {
    const cyclic: Array<unknown> = []
    cyclic.push(cyclic)
    assert.throws(() => Json.stringify(cyclic), TypeError)
    assert.throws(() => Json.canonical(cyclic), TypeError)
  })

  it("the iterative writer writes what the native and recursive writers write", () => {
    class Box {
      toJSON(key: string) {
        return { key, at: new Date(0) }
      }
    }
    const extra = FastCheck.oneof(
      FastCheck.constant(undefined),
      FastCheck.constant(() => 1),
      FastCheck.constant(new Box()),
      FastCheck.constant(Object(5)),
      FastCheck.constant(Number.NaN),
      FastCheck.constant(Number.NEGATIVE_INFINITY)
    )
    const value = FastCheck.letrec((tie) => ({
      node: FastCheck.oneof(
        { depthSize: "small" },
        Arbitrary.make(Json.JsonValue),
        extra,
        FastCheck.array(tie("node")),
        FastCheck.dictionary(FastCheck.string(), tie("node"))
      )
    })).node
    FastCheck.assert(
      FastCheck.property(value, FastCheck.integer({ min: 0, max: 12 }), (v, space) => {
        const native = (() => {
          try {
            return Json.stringify(v, { space })
          } catch {
            return undefined
          }
        })()
        assert.strictEqual(writeIteratively(v, stringifyMode(space)), native)
        const canonical = Json.canonical(v)
        assert.strictEqual(`${writeIteratively(v, canonicalMode) ?? "null"}\n`, canonical)
      }),
      { numRuns: 300 }
    )
  })
})

describe("JsonValue / JsonObject", () => {
  const decodeValue = Schema.decodeUnknownEither(Json.JsonValue)

  it("encode -> decode is the identity", () => {
    assertEncodeDecodeIdentity(Json.JsonValue, 100)
    assertEncodeDecodeIdentity(Json.JsonObject, 100)
  })

  it("returns a valid value as it is, and checks encoding too", () => {
    const value = Json.parse('{"embedding":[0.1,-0.2,3e-7],"r":12345678901234567890,"t":[true,null,"x"]}')
    assert.strictEqual(Schema.decodeUnknownSync(Json.JsonValue)(value), value)
    assert.strictEqual(Schema.decodeUnknownSync(Json.JsonObject)(value), value)
    assert.strictEqual(Schema.encodeSync(Json.JsonValue)(value as Json.JsonValue), value)
    assert.throws(() => Schema.encodeUnknownSync(Json.JsonValue)({ a: Number.NaN }))
  })

  it("decode(parse(text)) agrees with the recursive union it replaced", () => {
    const decodeReference = Schema.decodeUnknownEither(Reference)
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(
          FastCheck.jsonValue().map((value) => JSON.stringify(value)),
          Arbitrary.make(Json.JsonValue).map((value) => Json.stringify(value))
        ).filter((text) => !text.includes('"__proto__"')),
        (text) => {
          assert.deepStrictEqual(decodeValue(Json.parse(text)), decodeReference(oldJsonParse(text)))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("gives bodies that do not match the errors the recursive union gave", () => {
    const bad: ReadonlyArray<unknown> = [
      undefined,
      Number.NaN,
      { a: [1, undefined] },
      { a: { b: Number.POSITIVE_INFINITY } },
      [1, 2, Symbol.for("s")],
      { f: () => 1 },
      [[[[{ deep: [undefined] }]]]]
    ]
    for (const input of bad) {
      assert.strictEqual(decodeError(Json.JsonValue, input), decodeError(Reference, input))
      assert.strictEqual(decodeError(Json.JsonObject, { input }), decodeError(ReferenceObject, { input }))
    }
    for (const input of [[1, 2], 5, null, "x"]) {
      assert.strictEqual(decodeError(Json.JsonObject, input), decodeError(ReferenceObject, input))
    }
    assert.strictEqual(
      decodeError(Json.JsonObject, [1, 2]),
      "JsonObject\n└─ From side refinement failure\n   └─ Expected { readonly [x: string]: JsonValue }, actual [1,2]"
    )
    assert.strictEqual(
      decodeError(Json.JsonObject, { n: Number.NaN }).split("\n").slice(0, 4).join("\n"),
      'JsonObject\n└─ From side refinement failure\n   └─ { readonly [x: string]: JsonValue }\n      └─ ["n"]'
    )
    // with every error collected, too
    const all = { errors: "all" } as const
    const input = { a: [undefined, Number.NaN], b: "ok", c: { d: undefined } }
    const message = (schema: Schema.Schema<Json.JsonValue>) =>
      Either.match(Schema.decodeUnknownEither(schema)(input, all), { onLeft: (e) => e.message, onRight: () => "" })
    assert.strictEqual(message(Json.JsonValue), message(Reference))
  })

  it("decodes objects that are not plain as the union did: as records of their own keys", () => {
    assert.deepStrictEqual(Schema.decodeUnknownSync(Json.JsonValue)({ at: new Date(0) }), { at: {} })
  })

  it("decodes values of any depth, and points at a bad node deep inside", () => {
    const depth = 100_000
    const deep = Json.parse(`${"[".repeat(depth)}1${"]".repeat(depth)}`)
    assert.strictEqual(Schema.decodeUnknownSync(Json.JsonValue)(deep), deep)
    let inner = deep as Array<unknown>
    for (let i = 0; i < depth - 1; i++) inner = inner[0] as Array<unknown>
    inner[0] = undefined
    assert.strictEqual(decodeError(Json.JsonObject, deep), "Expected a JSON object, actual an array")
    const message = decodeError(Json.JsonValue, deep)
    assert.isTrue(message.startsWith("[0][0][0]"))
    assert.isTrue(message.endsWith("[0]\n└─ Expected a JSON value, actual undefined"))
    assert.strictEqual(message.split("[0]").length - 1, depth)
  })

  it("uses the union's errors up to REFERENCE_DEPTH levels, then a direct error", () => {
    const nested = (levels: number) => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`).concat(undefined)
    const shallow = nested(REFERENCE_DEPTH)
    assert.strictEqual(decodeError(Json.JsonValue, shallow), decodeError(Reference, shallow))
    assert.strictEqual(
      decodeError(Json.JsonValue, nested(REFERENCE_DEPTH + 2)),
      "[1]\n└─ Expected a JSON value, actual undefined"
    )
  })

  it("reports a cycle where it closes, at any depth", () => {
    const cyclic: { a: Array<unknown> } = { a: [1] }
    cyclic.a.push(cyclic)
    assert.strictEqual(
      decodeError(Json.JsonValue, cyclic),
      '["a"][1]\n└─ Expected a JSON value, actual a circular reference'
    )
    const list: Array<unknown> = []
    let tail = list
    for (let i = 0; i < 5000; i++) {
      const next: Array<unknown> = []
      tail.push(next)
      tail = next
    }
    tail.push(list)
    const message = decodeError(Json.JsonObject, { list })
    assert.strictEqual(message.split("[0]").length - 1, 5001)
    assert.isTrue(message.endsWith("\n└─ Expected a JSON value, actual a circular reference"))
  })

  it("keeps its annotations: identifier, arbitrary, pretty, equivalence, JSON Schema", () => {
    assert.strictEqual(String(Json.JsonValue), "JsonValue")
    assert.strictEqual(String(Json.JsonObject), "JsonObject")
    const values = FastCheck.sample(Arbitrary.make(Json.JsonValue), 50)
    assert.isTrue(values.some((v) => typeof v === "object" && v !== null))
    for (const v of values) assert.isTrue(Either.isRight(decodeValue(v)))
    for (const o of FastCheck.sample(Arbitrary.make(Json.JsonObject), 20)) {
      assert.isTrue(typeof o === "object" && o !== null && !Array.isArray(o))
    }
    assert.strictEqual(Pretty.make(Json.JsonValue)({ a: [1, "x", 2n, null] }), '{ "a": [1, "x", 2n, null] }')
    const equivalent = Schema.equivalence(Json.JsonValue)
    assert.isTrue(equivalent({ a: [1] }, { a: [1] }))
    assert.isFalse(equivalent({ a: [1] }, { a: [2] }))
    const jsonSchema: unknown = JSONSchema.make(Schema.Struct({ output: Json.JsonValue, data: Json.JsonObject }))
    assert.deepStrictEqual(jsonSchema, {
      $schema: "http://json-schema.org/draft-07/schema#",
      $defs: {
        JsonValue: { type: ["null", "boolean", "number", "string", "array", "object"], description: "Any JSON value" },
        JsonObject: { type: "object", description: "A JSON object", title: "JSON object" }
      },
      type: "object",
      required: ["output", "data"],
      properties: { output: { $ref: "#/$defs/JsonValue" }, data: { $ref: "#/$defs/JsonObject" } },
      additionalProperties: false
    })
  })
})
