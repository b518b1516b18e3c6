/**
 * The one error type of `@infernet/chain`: a `ChainError` whose tagged `reason` says what went wrong (an invalid
 * subscription field, an unusable key, an RPC failure, a Coordinator whose EIP-712 domain differs, a revert, ...).
 *
 * Messages never contain key material: keys are `Redacted` and only their shape is ever described.
 *
 * @since 0.1.0
 */
import { Effect, Predicate, Schema } from "effect"
import { dual } from "effect/Function"

/**
 * A subscription (or its nonce / expiry) failed validation. `field` is the camelCase parameter name.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSubscription extends Schema.TaggedClass<InvalidSubscription>("InvalidSubscription")(
  "InvalidSubscription",
  { field: Schema.String, detail: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Invalid subscription: ${this.field} ${this.detail}`
  }
}

/**
 * A signature could not be used: `v` not 27/28, `r`/`s` out of range, or recovery failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends Schema.TaggedClass<InvalidSignature>("InvalidSignature")("InvalidSignature", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Invalid signature: ${this.detail}`
  }
}

/**
 * A REST body (`{subscription, signature, data}`) did not match the wire schema of `@infernet/types`.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedClass<InvalidRequest>("InvalidRequest")("InvalidRequest", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Invalid delegated subscription request: ${this.detail}`
  }
}

/**
 * A private key or mnemonic could not be turned into an account. Only its shape is described, never its value.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidKey extends Schema.TaggedClass<InvalidKey>("InvalidKey")("InvalidKey", {
  kind: Schema.Literal("privateKey", "mnemonic"),
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Invalid ${this.kind === "privateKey" ? "private key" : "mnemonic"}: ${this.detail}`
  }
}

/**
 * An RPC request failed (unreachable node, HTTP error, unexpected answer).
 *
 * @since 0.1.0
 * @category errors
 */
export class RpcError extends Schema.TaggedClass<RpcError>("RpcError")("RpcError", {
  method: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `RPC call ${this.method} failed: ${this.detail}`
  }
}

/**
 * The Coordinator reports an EIP-712 domain other than the one this package signs for. Signing is refused because
 * the contract would reject (or misattribute) the signature.
 *
 * @since 0.1.0
 * @category errors
 */
export class DomainMismatch extends Schema.TaggedClass<DomainMismatch>("DomainMismatch")("DomainMismatch", {
  coordinator: Schema.String,
  field: Schema.Literal("name", "version", "chainId", "verifyingContract"),
  expected: Schema.String,
  actual: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return (
      `Refusing to sign: the Coordinator at ${this.coordinator} uses EIP-712 ${this.field} ` +
      `${JSON.stringify(this.actual)}, expected ${JSON.stringify(this.expected)}. ` +
      "Check the Coordinator address and chain, or pass checkDomain: false to sign anyway."
    )
  }
}

/**
 * The account (or wallet) failed to sign, or cannot sign typed data at all.
 *
 * @since 0.1.0
 * @category errors
 */
export class SigningError extends Schema.TaggedClass<SigningError>("SigningError")("SigningError", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Signing failed: ${this.detail}`
  }
}

/**
 * A dry run of `createSubscriptionDelegatee` reverted. `errorName` is the decoded custom error (`SignatureExpired`,
 * `SignerMismatch`, `InvalidSignature`, ...) when the revert data matches the ABI.
 *
 * @since 0.1.0
 * @category errors
 */
export class SimulationReverted extends Schema.TaggedClass<SimulationReverted>("SimulationReverted")(
  "SimulationReverted",
  {
    coordinator: Schema.String,
    errorName: Schema.optional(Schema.String),
    selector: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const what =
      this.errorName !== undefined
        ? `${this.errorName}()`
        : this.selector !== undefined
          ? `error ${this.selector}`
          : "no reason"
    const hint =
      this.errorName === "SignatureExpired"
        ? ": the expiry is not after the block timestamp, sign again with a later expiry"
        : this.errorName === "SignerMismatch"
          ? ": the recovered signer is not the owner contract's delegated signer (wrong key, owner or nonce, or a changed field)"
          : this.errorName === "InvalidSignature"
            ? ": v must be 27 or 28 and the signature must recover"
            : this.errorName === "InvalidWallet"
              ? ": the subscription pays from a wallet the Registry's WalletFactory did not make"
              : ""
    const detail = this.detail === "" ? "" : ` (${this.detail})`
    return `createSubscriptionDelegatee would revert with ${what} on ${this.coordinator}${hint}${detail}`
  }
}

/**
 * The devnet helpers (`@infernet/chain/devnet`) could not start Anvil or deploy the test contracts.
 *
 * @since 0.1.0
 * @category errors
 */
export class DevnetError extends Schema.TaggedClass<DevnetError>("DevnetError")("DevnetError", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Devnet: ${this.detail}`
  }
}

/**
 * An argument of a wallet, token or registry function is unusable: an address that is not one, or an amount
 * (`100`, `"1 ether"`, `"100 gwei"`, `"1.5"`) that cannot be read or does not fit the token's decimals.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedClass<InvalidArgument>("InvalidArgument")("InvalidArgument", {
  field: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    return `Invalid ${this.field}: ${this.detail}`
  }
}

/**
 * Not enough funds: a `Wallet.withdraw` (or escrow lock) asked for more than the wallet's unlocked balance
 * (`InsufficientFunds()`, `0x356680b7`), a token transfer for more than the sender holds, or the sender cannot pay
 * an ETH transfer and its gas. `available` is the balance read when known.
 *
 * @since 0.2.0
 * @category errors
 */
export class InsufficientFunds extends Schema.TaggedClass<InsufficientFunds>("InsufficientFunds")("InsufficientFunds", {
  contract: Schema.String,
  functionName: Schema.String,
  token: Schema.optional(Schema.String),
  required: Schema.optional(Schema.BigInt),
  available: Schema.optional(Schema.BigInt),
  detail: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const amounts =
      this.required !== undefined && this.available !== undefined
        ? `: asked for ${this.required}, ${this.available} available`
        : ""
    const detail = this.detail === "" ? "" : ` (${this.detail})`
    return `Insufficient funds for ${this.functionName} on ${this.contract}${amounts}${detail}`
  }
}

/**
 * A wallet has not approved a spender (the subscription owner, a consumer contract) for enough of a token: found by
 * the payment check before signing, or reverted by a wallet / token (`InsufficientAllowance()`, `0x13be252b`).
 *
 * @since 0.2.0
 * @category errors
 */
export class InsufficientAllowance extends Schema.TaggedClass<InsufficientAllowance>("InsufficientAllowance")(
  "InsufficientAllowance",
  {
    contract: Schema.String,
    spender: Schema.optional(Schema.String),
    token: Schema.optional(Schema.String),
    required: Schema.optional(Schema.BigInt),
    allowance: Schema.optional(Schema.BigInt),
    detail: Schema.String
  }
) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const who = this.spender === undefined ? "the spender" : `spender ${this.spender}`
    const what = this.token === undefined ? "" : ` of ${this.token === ZERO ? "ETH" : `token ${this.token}`}`
    const amounts =
      this.required !== undefined && this.allowance !== undefined
        ? `: allowance ${this.allowance}, needs ${this.required}`
        : ""
    const detail = this.detail === "" ? "" : ` (${this.detail})`
    return `Insufficient allowance: ${this.contract} has not approved ${who} for enough${what}${amounts}${detail}`
  }
}

/**
 * The sender is not the wallet's owner: solady `Ownable` reverted `Unauthorized()` (`0x82b42900`).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotOwner extends Schema.TaggedClass<NotOwner>("NotOwner")("NotOwner", {
  contract: Schema.String,
  functionName: Schema.String,
  sender: Schema.String,
  owner: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const owner = this.owner === undefined ? "its owner" : `its owner ${this.owner}`
    return `Only ${owner} can call ${this.functionName} on ${this.contract}; the sender is ${this.sender}`
  }
}

/**
 * A Coordinator-only wallet function (`cLock`, `cUnlock`, `cTransfer`) was called by another address
 * (`NotCoordinator()`, `0x9ec853e6`).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotCoordinator extends Schema.TaggedClass<NotCoordinator>("NotCoordinator")("NotCoordinator", {
  contract: Schema.String,
  functionName: Schema.String,
  sender: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    return `Only the Coordinator can call ${this.functionName} on ${this.contract}; the sender is ${this.sender}`
  }
}

/**
 * An address is not a wallet of the WalletFactory (the payment check before signing, or a Coordinator's
 * `InvalidWallet()`, `0x23455ba1`). Create one with `WalletFactory.createWallet`.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidWallet extends Schema.TaggedClass<InvalidWallet>("InvalidWallet")("InvalidWallet", {
  wallet: Schema.String,
  factory: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const factory = this.factory === undefined ? "the WalletFactory" : `the WalletFactory ${this.factory}`
    const detail = this.detail === "" ? "" : ` (${this.detail})`
    return `Invalid wallet: ${this.wallet} was not created by ${factory}${detail}`
  }
}

/**
 * A transaction would revert (its simulation failed) or did revert, with an error this package has no reason for.
 * `errorName` is the decoded custom error when the ABI knows it, else `selector` is its first four bytes.
 *
 * @since 0.2.0
 * @category errors
 */
export class TransactionReverted extends Schema.TaggedClass<TransactionReverted>("TransactionReverted")(
  "TransactionReverted",
  {
    contract: Schema.String,
    functionName: Schema.String,
    errorName: Schema.optional(Schema.String),
    selector: Schema.optional(Schema.String),
    hash: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const what =
      this.errorName !== undefined
        ? ` with ${this.errorName}()`
        : this.selector !== undefined
          ? ` with error ${this.selector}`
          : ""
    const tense = this.hash === undefined ? "would revert" : `reverted in ${this.hash}`
    const detail = this.detail === "" ? "" : ` (${this.detail})`
    return `${this.functionName} on ${this.contract} ${tense}${what}${detail}`
  }
}

/**
 * A transaction was sent but no receipt arrived within the timeout. It may still be mined: look `hash` up before
 * sending it again.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReceiptTimeout extends Schema.TaggedClass<ReceiptTimeout>("ReceiptTimeout")("ReceiptTimeout", {
  hash: Schema.String,
  functionName: Schema.String,
  timeoutMs: Schema.Number
}) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    return (
      `No receipt for ${this.functionName} transaction ${this.hash} after ${this.timeoutMs} ms; ` +
      "it may still be mined, check it before sending again"
    )
  }
}

/**
 * A transaction left for the RPC, and then the send failed in a way that does not prove it was refused (a timeout, a
 * dropped connection, an HTTP error): it may be on chain, or may still be mined. `hash` is the transaction's hash
 * (known before sending when a local account signs; absent when the node signed with `eth_sendTransaction`). Look it
 * up (`eth_getTransactionReceipt`, a block explorer, `infernet-client tx --hash HASH`) before sending again: sending
 * again pays twice.
 *
 * @since 0.3.0
 * @category errors
 */
export class TransactionMaybeSent extends Schema.TaggedClass<TransactionMaybeSent>("TransactionMaybeSent")(
  "TransactionMaybeSent",
  {
    contract: Schema.String,
    functionName: Schema.String,
    sender: Schema.String,
    hash: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  /**
   * @since 0.3.0
   */
  get message(): string {
    const which =
      this.hash === undefined
        ? `${this.functionName} transaction from ${this.sender} (hash unknown: the node signed it)`
        : `${this.functionName} transaction ${this.hash}`
    const check =
      this.hash === undefined
        ? `look at ${this.sender}'s latest transactions`
        : `look up ${this.hash} (eth_getTransactionReceipt, a block explorer)`
    return (
      `The ${which} may be on chain: the RPC failed after it was sent (${this.detail}); ${check} before sending ` +
      "again, which would pay twice"
    )
  }
}

const ZERO = "0x0000000000000000000000000000000000000000"

/**
 * Every reason a {@link ChainError} can carry.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChainErrorReason = Schema.Union(
  InvalidSubscription,
  InvalidSignature,
  InvalidRequest,
  InvalidKey,
  RpcError,
  DomainMismatch,
  SigningError,
  SimulationReverted,
  DevnetError,
  InvalidArgument,
  InsufficientFunds,
  InsufficientAllowance,
  NotOwner,
  NotCoordinator,
  InvalidWallet,
  TransactionReverted,
  ReceiptTimeout,
  TransactionMaybeSent
)

/**
 * @since 0.1.0
 * @category models
 */
export type ChainErrorReason = typeof ChainErrorReason.Type

/**
 * The error of every fallible function in `@infernet/chain` (thrown by the Promise functions, in the error channel of
 * the Effect ones). Switch on `error.reason._tag`.
 *
 * @example
 * ```ts
 * import { ChainError, Subscription } from "@infernet/chain"
 * try {
 *   Subscription.v1({ owner: "0x1", activeAt: 0, period: 0, frequency: 1, redundancy: 1, containers: ["hello-world"] })
 * } catch (error) {
 *   if (ChainError.isChainError(error) && error.reason._tag === "InvalidSubscription") console.log(error.reason.field)
 * }
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ChainError extends Schema.TaggedError<ChainError>("@infernet/chain/ChainError")("ChainError", {
  reason: ChainErrorReason
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason.message
  }
}

/**
 * Tells whether a value is a {@link ChainError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isChainError = (u: unknown): u is ChainError => Predicate.isTagged(u, "ChainError")

type ReasonOf<Tag extends ChainErrorReason["_tag"]> = Extract<ChainErrorReason, { readonly _tag: Tag }>

/**
 * Handles the failures of an effect whose `ChainError` has the given reason: `f` receives the narrowed reason (and
 * the error); every other failure passes through unchanged. `Effect.catchTag` for the nested reason.
 *
 * @example
 * ```ts
 * import { ChainError } from "@infernet/chain"
 * import { Effect } from "effect"
 *
 * declare const send: Effect.Effect<string, ChainError.ChainError>
 * const sent = send.pipe(
 *   ChainError.catchReason("SimulationReverted", (reason) => Effect.succeed(`would revert: ${reason.errorName}`))
 * )
 * ```
 * @since 0.2.0
 * @category error handling
 */
export const catchReason: {
  <Tag extends ChainErrorReason["_tag"], A2, E2, R2>(
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: ChainError) => Effect.Effect<A2, E2, R2>
  ): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A | A2, E | E2, R | R2>
  <A, E, R, Tag extends ChainErrorReason["_tag"], A2, E2, R2>(
    self: Effect.Effect<A, E, R>,
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: ChainError) => Effect.Effect<A2, E2, R2>
  ): Effect.Effect<A | A2, E | E2, R | R2>
} = dual(
  3,
  <A, E, R, Tag extends ChainErrorReason["_tag"], A2, E2, R2>(
    self: Effect.Effect<A, E, R>,
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: ChainError) => Effect.Effect<A2, E2, R2>
  ): Effect.Effect<A | A2, E | E2, R | R2> =>
    Effect.catchIf(
      self,
      (error): error is E & ChainError => isChainError(error) && error.reason._tag === tag,
      (error) => f(error.reason as ReasonOf<Tag>, error)
    )
)

/**
 * The handlers of {@link catchReasons}: at most one per reason tag.
 *
 * @since 0.2.0
 * @category error handling
 */
export type ReasonHandlers = {
  readonly [Tag in ChainErrorReason["_tag"]]?: (
    reason: ReasonOf<Tag>,
    error: ChainError
  ) => Effect.Effect<any, any, any>
}

type Handled<Cases, Part extends "A" | "E" | "R"> = Cases[keyof Cases] extends infer F
  ? F extends (...args: Array<any>) => Effect.Effect<infer A, infer E, infer R>
    ? { A: A; E: E; R: R }[Part]
    : never
  : never

/**
 * Handles several reasons at once, one function per reason tag (like `Effect.catchTags`); each receives its narrowed
 * reason. Failures with other reasons, and other errors, pass through unchanged.
 *
 * @example
 * ```ts
 * import { ChainError } from "@infernet/chain"
 * import { Effect } from "effect"
 *
 * declare const send: Effect.Effect<string, ChainError.ChainError>
 * const sent = send.pipe(
 *   ChainError.catchReasons({
 *     InsufficientFunds: (reason) => Effect.succeed(`needs ${reason.required}`),
 *     RpcError: (reason) => Effect.succeed(`rpc: ${reason.detail}`)
 *   })
 * )
 * ```
 * @since 0.2.0
 * @category error handling
 */
export const catchReasons: {
  <Cases extends ReasonHandlers & { readonly [K in Exclude<keyof Cases, ChainErrorReason["_tag"]>]: never }>(
    cases: Cases
  ): <A, E, R>(
    self: Effect.Effect<A, E, R>
  ) => Effect.Effect<A | Handled<Cases, "A">, E | Handled<Cases, "E">, R | Handled<Cases, "R">>
  <A, E, R, Cases extends ReasonHandlers & { readonly [K in Exclude<keyof Cases, ChainErrorReason["_tag"]>]: never }>(
    self: Effect.Effect<A, E, R>,
    cases: Cases
  ): Effect.Effect<A | Handled<Cases, "A">, E | Handled<Cases, "E">, R | Handled<Cases, "R">>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, cases: ReasonHandlers): Effect.Effect<any, any, any> =>
    Effect.catchIf(
      self,
      (error): error is E & ChainError =>
        isChainError(error) && Object.hasOwn(cases, error.reason._tag) && cases[error.reason._tag] !== undefined,
      (error) =>
        (cases[error.reason._tag] as (reason: ChainErrorReason, error: ChainError) => Effect.Effect<any, any, any>)(
          error.reason,
          error
        )
    )
)
