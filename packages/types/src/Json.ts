/**
 * JSON as the Infernet node writes it: integers above 2^53 kept exact as `bigint`, and the node's canonical form
 * (sorted keys, compact separators, non-ASCII escaped, trailing newline).
 *
 * @since 0.1.0
 */
import type { Schema } from "effect"
import * as Internal from "./internal/json.js"
import * as Values from "./internal/jsonValue.js"

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

/**
 * Schema of any JSON value, e.g. a container's `output`. Decoding checks the value in one pass without recursion
 * (any depth; a cycle is an error) and returns it as it is, without a copy; it costs a fraction of the
 * `JSON.parse` that produced the value. Values that do not match get the same errors as a recursive union of the
 * seven kinds of value would give.
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
export const JsonValue: Schema.Schema<JsonValue> = Values.JsonValue

/**
 * Schema of a JSON object (not an array, not `null`): the `data` of a job request. Decoded like {@link JsonValue}.
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
export const JsonObject: Schema.Schema<JsonObject> = Values.JsonObject

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
