/**
 * Effect Schemas for every wire shape of the Infernet node REST API.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as DelegatedSubscription from "./DelegatedSubscription.js"
/** @since 0.1.0 */
export * as ErrorResponse from "./ErrorResponse.js"
/** @since 0.1.0 */
export * as Job from "./Job.js"
/** @since 0.1.0 */
export * as Json from "./Json.js"
/** @since 0.1.0 */
export * as NodeInfo from "./NodeInfo.js"
/** @since 0.1.0 */
export * as Primitives from "./Primitives.js"
/** @since 0.1.0 */
export * as Router from "./Router.js"
