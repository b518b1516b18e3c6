import { assert } from "@effect/vitest"
import { Arbitrary, FastCheck, Schema } from "effect"
import { Json } from "../../src/index.js"

/** Decodes wire JSON text, re-encodes it and asserts the same JSON comes back (compared as parsed values). */
export const assertWireRoundTrip = <A, I>(schema: Schema.Schema<A, I>, text: string): A => {
  const decoded = Schema.decodeUnknownSync(schema)(Json.parse(text))
  const reencoded = Json.stringify(Schema.encodeSync(schema)(decoded))
  assert.deepStrictEqual(Json.parse(reencoded), Json.parse(text))
  return decoded
}

/** Property: for any value of the schema's type, encode -> JSON text -> parse -> decode gives the value back. */
export const assertEncodeDecodeIdentity = <A, I>(schema: Schema.Schema<A, I>, numRuns = 200): void => {
  const arbitrary = Arbitrary.make(schema)
  const encode = Schema.encodeSync(schema)
  const decode = Schema.decodeUnknownSync(schema)
  FastCheck.assert(
    FastCheck.property(arbitrary, (value) => {
      assert.deepStrictEqual(decode(encode(value)), value)
      assert.deepStrictEqual(decode(Json.parse(Json.stringify(encode(value)))), value)
    }),
    { numRuns }
  )
}

/** Decodes and returns the formatted error message, failing the test when decoding succeeds. */
export const decodeError = <A, I>(schema: Schema.Schema<A, I>, input: unknown): string => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (result._tag === "Right") assert.fail(`expected ${JSON.stringify(input)} to be rejected`)
  return result.left.message
}
