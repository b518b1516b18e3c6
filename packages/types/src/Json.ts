/**
 * JSON as the Infernet node writes it: integers above 2^53 kept exact as `bigint`, and the node's canonical form
 * (sorted keys, compact separators, non-ASCII escaped, trailing newline).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RecordKey } from "./internal/recordKey.js"
import * as Internal from "./internal/json.js"

/**
 * Any JSON value. Numbers are finite; integers beyond `Number.MAX_SAFE_INTEGER` are `bigint` after {@link parse}.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonValue = null | boolean | number | bigint | string | ReadonlyArray<JsonValue> | JsonObject

/**
 * A JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonObject {
  readonly [key: string]: JsonValue
}

const JsonNumber = Schema.Number.pipe(Schema.finite()).annotations({
  // -0 is written as 0, and integer literals beyond 2^53 (written without an exponent) read back as bigint.
  arbitrary: () => (fc) =>
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((n) => !Object.is(n, -0) && !(Number.isInteger(n) && !Number.isSafeInteger(n) && !/e/.test(String(n))))
})

// Integers JSON text cannot hold in a JS number. Smaller bigints are accepted too, but they read back as numbers,
// so the generated values for property tests stay in the range where encode -> text -> decode is the identity.
const JsonBigInt = Schema.BigIntFromSelf.annotations({
  arbitrary: () => (fc) =>
    fc.oneof(
      fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 2n ** 256n }),
      fc.bigInt({ min: -(2n ** 256n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n })
    )
})

/**
 * Schema of any JSON value, e.g. a container's `output`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Json } from "@infernet/types"
 * Schema.decodeUnknownSync(Json.JsonValue)({ text: "hi", scores: [1, 2] })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JsonValue: Schema.Schema<JsonValue> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  JsonNumber,
  JsonBigInt,
  Schema.String,
  Schema.Array(Schema.suspend(() => JsonValue)),
  Schema.suspend(() => JsonObject)
).annotations({ identifier: "JsonValue" })

/**
 * Schema of a JSON object (not an array, not `null`): the `data` of a job request.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Json } from "@infernet/types"
 * Schema.decodeUnknownSync(Json.JsonObject)({ prompt: "hello" })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JsonObject: Schema.Schema<JsonObject> = Schema.Record({
  key: RecordKey,
  value: Schema.suspend(() => JsonValue)
})
  .pipe(Schema.filter((u) => !Array.isArray(u), { message: () => "Expected a JSON object, not an array" }))
  .annotations({ identifier: "JsonObject", title: "JSON object" })

/**
 * Parses JSON text. Integer literals outside the safe integer range become `bigint`, so values such as a signature's
 * `r` and `s` survive exactly. Throws a `SyntaxError` on invalid JSON.
 *
 * @example
 * ```ts
 * import { Json } from "@infernet/types"
 * Json.parse('{"r": 115792089237316195423570985008687907853269984665640564039457584007913129639935}')
 * // { r: 115792089237316195423570985008687907853269984665640564039457584007913129639935n }
 * ```
 * @since 0.1.0
 * @category codecs
 */
export const parse: (text: string) => unknown = Internal.parse

/**
 * Options of {@link stringify}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StringifyOptions {
  /** Indentation for human-readable output; compact when omitted. */
  readonly space?: number | undefined
}

/**
 * Writes JSON text; `bigint` values are written as exact integer literals.
 *
 * @example
 * ```ts
 * import { Json } from "@infernet/types"
 * Json.stringify({ r: 2n ** 255n }) // '{"r":57896044618658097711785492504343953926634992332820282019728792003956564819968}'
 * ```
 * @since 0.1.0
 * @category codecs
 */
export const stringify: (value: unknown, options?: StringifyOptions) => string = Internal.stringify

/**
 * Writes the node's canonical JSON: keys sorted at every depth, compact separators, non-ASCII characters escaped as
 * `\uXXXX`, floats as Python's `repr` writes them (`1e-05`, `1e+16`), and a trailing newline. `bigint` values are
 * written exactly.
 *
 * @example
 * ```ts
 * import { Json } from "@infernet/types"
 * Json.canonical({ b: 1, a: "é" }) // '{"a":"\\u00e9","b":1}\n'
 * Json.canonical([0.00001, 1e16]) // '[1e-05,1e+16]\n'
 * ```
 * @since 0.1.0
 * @category codecs
 */
export const canonical: (value: unknown) => string = Internal.canonical
