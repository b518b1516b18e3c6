import type { Address, Hex } from "viem"
import type * as Subscription from "../Subscription.js"

/** The struct a v0 `Subscription` is hashed / ABI-encoded as. @internal */
export type MessageV0 = {
  readonly owner: Address
  readonly activeAt: number
  readonly period: number
  readonly frequency: number
  readonly redundancy: number
  readonly maxGasPrice: number
  readonly maxGasLimit: number
  readonly containerId: string
  readonly inputs: Hex
}

/** The struct a v1 `Subscription` is hashed / ABI-encoded as. @internal */
export type MessageV1 = {
  readonly owner: Address
  readonly activeAt: number
  readonly period: number
  readonly frequency: number
  readonly redundancy: number
  readonly containerId: Hex
  readonly lazy: boolean
  readonly verifier: Address
  readonly paymentAmount: bigint
  readonly paymentToken: Address
  readonly wallet: Address
}

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
