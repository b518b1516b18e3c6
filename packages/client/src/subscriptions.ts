/**
 * `@infernet/client/subscriptions`: delegated subscriptions signed with `@infernet/chain` (and so viem), for the
 * Effect API (`DelegatedSubscriptions.request`) and the Promise API (`requestDelegatedSubscription(client, ...)`).
 * Install `@infernet/chain` and `viem` to use it; nothing else in `@infernet/client` needs them.
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * import { createNodeClient } from "@infernet/client/promise"
 * import { requestDelegatedSubscription } from "@infernet/client/subscriptions"
 *
 * const client = createNodeClient({ baseUrl: "http://localhost:4000" })
 * await requestDelegatedSubscription(client, {
 *   account: process.env.PRIVATE_KEY ?? "",
 *   rpcUrl: "http://localhost:8545",
 *   coordinator: "0x1FbDB2315678afecb369f032d93F642f64140aa3",
 *   expiry: Math.floor(Date.now() / 1000) + 3600,
 *   subscription: Subscription.v0({
 *     owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *     activeAt: 0, period: 3, frequency: 2, redundancy: 2,
 *     maxGasPrice: 1000000000000, maxGasLimit: 3000000,
 *     containerId: "openai-inference", inputs: "0x"
 *   }),
 *   data: { prompt: "hi" }
 * })
 * await client.close()
 * ```
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Option, Redacted } from "effect"
import * as DelegatedSubscriptions from "./DelegatedSubscriptions.js"
import { fromEffect, NodeClientError } from "./internal/plainError.js"
import type { CallOptions, PromiseNodeClient } from "./promise.js"

/** @since 0.1.0 */
export * as DelegatedSubscriptions from "./DelegatedSubscriptions.js"

/**
 * Parameters of {@link requestDelegatedSubscription}: those of the Effect API, where `account` may also be the
 * private key as a plain hex string (it is wrapped in `Redacted` at once and never appears in errors).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestDelegatedSubscriptionParameters
  extends Omit<DelegatedSubscriptions.RequestParameters, "account"> {
  readonly account: DelegatedSubscriptions.RequestParameters["account"] | string
}

/**
 * What {@link requestDelegatedSubscription} resolves to: the signed request and, from a node before 1.0, the job id.
 *
 * @since 0.2.0
 * @category models
 */
export interface RequestDelegatedSubscriptionResult extends Omit<DelegatedSubscriptions.Result, "id"> {
  /** The job id a node before 1.0 answers; `undefined` from current nodes. */
  readonly id: string | undefined
}

/**
 * Signs a delegated subscription with `@infernet/chain` and sends it with a Promise client (`POST /api/jobs`).
 * Rejects with the Promise API's `NodeClientError` (`SubscriptionError` for signing and RPC failures), or the signal's reason when
 * aborted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const requestDelegatedSubscription = async (
  client: PromiseNodeClient,
  params: RequestDelegatedSubscriptionParameters,
  options?: CallOptions
): Promise<RequestDelegatedSubscriptionResult> => {
  const account = typeof params.account === "string" ? Redacted.make(params.account) : params.account
  const signal = options?.signal
  const aborted = () => signal?.reason ?? new DOMException("This operation was aborted", "AbortError")
  if (signal?.aborted) throw aborted()
  const exit = await Effect.runPromiseExit(
    DelegatedSubscriptions.prepare({ ...params, account }),
    signal === undefined ? undefined : { signal }
  )
  if (Exit.isFailure(exit)) {
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) throw fromEffect(failure.value)
    if (signal?.aborted) throw aborted()
    throw Cause.squash(exit.cause)
  }
  try {
    const id = await client.sendDelegatedSubscription(exit.value.request, options)
    return { ...exit.value, id }
  } catch (error) {
    if (!(error instanceof NodeClientError)) throw error
    throw new NodeClientError({ method: "requestDelegatedSubscription", reason: error.reason })
  }
}
