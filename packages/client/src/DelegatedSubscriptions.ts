/**
 * Delegated subscriptions signed with `@infernet/chain` and sent to a node: the one part of the client that needs
 * viem. It lives at `@infernet/client/subscriptions`, so code that never signs a subscription loads (and installs)
 * neither viem nor `@infernet/chain`; both are optional peer dependencies of `@infernet/client`.
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * import { NodeClient } from "@infernet/client"
 * import { DelegatedSubscriptions } from "@infernet/client/subscriptions"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 *
 * const subscription = Subscription.v0({
 *   owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   activeAt: 0, period: 3, frequency: 2, redundancy: 2,
 *   maxGasPrice: 1000000000000, maxGasLimit: 3000000,
 *   containerId: "openai-inference", inputs: "0x"
 * })
 *
 * const program = DelegatedSubscriptions.request({
 *   account: Redacted.make(process.env.PRIVATE_KEY ?? ""),
 *   rpcUrl: "http://localhost:8545",
 *   coordinator: "0x1FbDB2315678afecb369f032d93F642f64140aa3",
 *   expiry: Math.floor(Date.now() / 1000) + 3600,
 *   subscription,
 *   data: { prompt: "hi" }
 * })
 *
 * program.pipe(
 *   Effect.provide(NodeClient.layer({ baseUrl: "http://localhost:4000" })),
 *   Effect.provide(FetchHttpClient.layer),
 *   Effect.runPromise
 * )
 * ```
 * @since 0.1.0
 */
import * as Chain from "@infernet/chain"
import type { DelegatedSubscription, Json, Primitives } from "@infernet/types"
import { Effect, Redacted } from "effect"
import type { Account, Client } from "viem"
import * as Runtime from "./internal/runtime.js"
import * as NodeClient from "./NodeClient.js"
import { NodeClientError, SubscriptionError } from "./NodeClientError.js"

/**
 * Parameters of {@link request} and {@link prepare}: what `@infernet/chain`'s `prepareDelegatedSubscription` needs,
 * the signer, and an optional dry run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestParameters {
  /**
   * The signer: a viem `Account` (e.g. `privateKeyToAccount(...)`), or a private key as `Redacted` (64 hex digits,
   * `0x` optional). The key never appears in errors or logs.
   */
  readonly account: Account | Redacted.Redacted<string>
  /** A JSON-RPC URL, for the chain id, the default nonce, the domain check and the dry run. */
  readonly rpcUrl?: string | undefined
  /** A viem `PublicClient` (any `Client`), used instead of `rpcUrl`. */
  readonly publicClient?: Client | undefined
  /** The Coordinator's address (the EIP-712 `verifyingContract`). */
  readonly coordinator: string
  /** The subscription: `Subscription.v0({...})` (the usage page's) or `Subscription.v1({...})` from `@infernet/chain`. */
  readonly subscription: Chain.Subscription.Subscription
  /** Unix time (seconds) after which the signature is void. */
  readonly expiry: number | bigint
  /** The nonce; default `maxSubscriberNonce(owner) + 1` read from the Coordinator. Reusing a nonce is silently ignored on-chain. */
  readonly nonce?: number | bigint | undefined
  /** The chain id; read with `eth_chainId` when omitted. */
  readonly chainId?: number | bigint | undefined
  /** The container input sent with the subscription. */
  readonly data: Json.JsonObject
  /** Refuse to sign when the Coordinator reports another EIP-712 domain (default `true`; needs the RPC). */
  readonly checkDomain?: boolean | undefined
  /**
   * Dry-run `createSubscriptionDelegatee` (`eth_call`) before sending, and fail with a `SubscriptionError` when it
   * would revert (expired signature, signer mismatch) or when `(owner, nonce)` was used before. The node itself
   * answers `200 {}` even for a subscription the chain will reject. Default `false`.
   */
  readonly simulate?: boolean | undefined
}

/**
 * What {@link prepare} built: the signed request and, with `simulate`, the dry run's outcome.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prepared {
  /** The signed request (nonce, expiry and signature included). */
  readonly request: DelegatedSubscription.DelegatedSubscriptionRequest
  /** The dry run's outcome, when `simulate` was set. */
  readonly simulation: { readonly subscriptionId: number; readonly existed: boolean } | undefined
}

/**
 * What {@link request} sent and learned.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result extends Prepared {
  /** The job id a node before 1.0 answers; `undefined` from current nodes (they answer `{}`). */
  readonly id: Primitives.JobId | undefined
}

const METHOD = "requestDelegatedSubscription"

const subscriptionError = (detail: string, cause?: unknown) =>
  new NodeClientError({
    method: METHOD,
    reason: new SubscriptionError(cause === undefined ? { detail } : { detail, cause })
  })

const fromChain = <A>(effect: Effect.Effect<A, { readonly message: string }>) =>
  Effect.mapError(effect, (error) => subscriptionError(error.message, error))

/**
 * Signs a delegated subscription (chain id, default nonce and domain read over the RPC unless given) and, with
 * `simulate`, dry-runs it on the Coordinator. Sends nothing: {@link request} does both, or pass the request to
 * `NodeClient`'s `sendDelegatedSubscription`. Signing and RPC failures are `SubscriptionError`s.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare = Runtime.fn("DelegatedSubscriptions.prepare")(function* (params: RequestParameters) {
  const { account, simulate, ...rest } = params
  const signer = Redacted.isRedacted(account)
    ? yield* fromChain(Chain.Signer.fromPrivateKey(account))
    : Chain.Signer.make(account)
  const request = yield* fromChain(signer.prepareDelegatedSubscription(rest))
  if (simulate !== true) return { request, simulation: undefined } satisfies Prepared
  const signed = yield* fromChain(
    Effect.try({
      try: () => Chain.DelegatedSubscription.fromRequestBody(request),
      catch: (e) => e as { readonly message: string }
    })
  )
  const simulation = yield* fromChain(
    Chain.Coordinator.simulateCreateSubscriptionDelegateeEffect({
      rpcUrl: params.rpcUrl,
      publicClient: params.publicClient,
      coordinator: params.coordinator,
      subscription: signed.subscription,
      signature: signed.signature
    })
  )
  if (simulation.existed) {
    return yield* Effect.fail(
      subscriptionError(
        `nonce ${request.signature.nonce} was already used by ${request.subscription.owner}: the Coordinator ` +
          `would return the existing subscription ${simulation.subscriptionId} and ignore this one; use another nonce`
      )
    )
  }
  return { request, simulation } satisfies Prepared
})

/**
 * Signs a delegated subscription with `@infernet/chain` (see {@link prepare}), then sends it with the `NodeClient`
 * in context (`POST /api/jobs`). Never retried unless the call opts in. Errors name the method
 * `requestDelegatedSubscription`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const request = Runtime.fn("DelegatedSubscriptions.request")(function* (
  params: RequestParameters,
  options?: NodeClient.CallOptions
) {
  const node = yield* NodeClient.NodeClient
  const prepared = yield* prepare(params)
  const id = yield* node
    .sendDelegatedSubscription(prepared.request, options)
    .pipe(Effect.mapError((error) => new NodeClientError({ method: METHOD, reason: error.reason })))
  return { ...prepared, id } satisfies Result
})
