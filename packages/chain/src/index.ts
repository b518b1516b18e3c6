/**
 * Delegated Infernet subscriptions with viem: EIP-712 typed data for both Coordinator generations, signing with any
 * viem account, recovery, Coordinator reads and dry runs, and the REST body of `POST /api/jobs`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ChainError from "./ChainError.js"
/** @since 0.1.0 */
export * as ContainerId from "./ContainerId.js"
/** @since 0.1.0 */
export * as Coordinator from "./Coordinator.js"
/** @since 0.1.0 */
export * as DelegatedSubscription from "./DelegatedSubscription.js"
/** @since 0.1.0 */
export * as Signer from "./Signer.js"
/** @since 0.1.0 */
export * as Subscription from "./Subscription.js"
