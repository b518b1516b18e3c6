/**
 * The node's JSON error body, shared by the client (to decode) and node-mock (to answer).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { JsonObject } from "./Json.js"

/**
 * `{"error": string, "params"?: object}`, e.g. `{"error": "Container not supported", "params": {"container": "x"}}`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ErrorResponse } from "@infernet/types"
 * Schema.decodeUnknownSync(ErrorResponse.ErrorResponse)({ error: "No containers specified", params: {} })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ErrorResponse = Schema.Struct({
  error: Schema.String,
  params: Schema.optionalWith(JsonObject, { exact: true })
}).annotations({ identifier: "ErrorResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ErrorResponse extends Schema.Schema.Type<typeof ErrorResponse> {}

/**
 * Narrows an unknown value to an {@link ErrorResponse}.
 *
 * @example
 * ```ts
 * import { ErrorResponse } from "@infernet/types"
 * ErrorResponse.isErrorResponse({ error: "Container not supported" }) // true
 * ```
 * @since 0.1.0
 * @category guards
 */
export const isErrorResponse: (u: unknown) => u is ErrorResponse = Schema.is(ErrorResponse)
