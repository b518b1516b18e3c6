/**
 * A typed client for Infernet nodes: every REST endpoint as an Effect service (`NodeClient`) with one tagged error
 * (`NodeClientError`), retries where safe, and streaming. A Promise API lives at `@infernet/client/promise`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as NodeClient from "./NodeClient.js"
/** @since 0.1.0 */
export * as NodeClientError from "./NodeClientError.js"
/** @since 0.1.0 */
export * as NodePool from "./NodePool.js"
/** @since 0.1.0 */
export * as RouterClient from "./RouterClient.js"
