import type * as Subscription from "../Subscription.js"

/** The struct a v0 `Subscription` is hashed / ABI-encoded as: its fields without the `version` tag. @internal */
export type MessageV0 = Omit<Subscription.SubscriptionV0, "version">

/** The struct a v1 `Subscription` is hashed / ABI-encoded as: its fields without the `version` tag. @internal */
export type MessageV1 = Omit<Subscription.SubscriptionV1, "version">

/** @internal */
export const toMessageV0 = (s: Subscription.SubscriptionV0): MessageV0 => ({
  owner: s.owner,
  activeAt: s.activeAt,
  period: s.period,
  frequency: s.frequency,
  redundancy: s.redundancy,
  maxGasPrice: s.maxGasPrice,
  maxGasLimit: s.maxGasLimit,
  containerId: s.containerId,
  inputs: s.inputs
})

/** @internal */
export const toMessageV1 = (s: Subscription.SubscriptionV1): MessageV1 => ({
  owner: s.owner,
  activeAt: s.activeAt,
  period: s.period,
  frequency: s.frequency,
  redundancy: s.redundancy,
  containerId: s.containerId,
  lazy: s.lazy,
  verifier: s.verifier,
  paymentAmount: s.paymentAmount,
  paymentToken: s.paymentToken,
  wallet: s.wallet
})
