/**
 * Delegated Infernet subscriptions with viem: EIP-712 typed data for both Coordinator generations, signing with any
 * viem account, recovery, Coordinator reads and dry runs, and the REST body of `POST /api/jobs`; and payments:
 * Infernet wallets, their factory, ERC20 tokens, amounts and the Registry.
 *
 * @since 0.1.0
 */

/** @since 0.3.0 */
export * as Actions from "./Actions.js"
/** @since 0.2.0 */
export * as Amount from "./Amount.js"
/** @since 0.1.0 */
export * as ChainError from "./ChainError.js"
/** @since 0.1.0 */
export * as ContainerId from "./ContainerId.js"
/** @since 0.1.0 */
export * as Coordinator from "./Coordinator.js"
/** @since 0.1.0 */
export * as DelegatedSubscription from "./DelegatedSubscription.js"
/** @since 0.2.0 */
export * as Registry from "./Registry.js"
/** @since 0.1.0 */
export * as Signer from "./Signer.js"
/** @since 0.1.0 */
export * as Subscription from "./Subscription.js"
/** @since 0.2.0 */
export * as Token from "./Token.js"
/** @since 0.2.0 */
export * as Wallet from "./Wallet.js"
/** @since 0.2.0 */
export * as WalletFactory from "./WalletFactory.js"
