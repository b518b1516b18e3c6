/**
 * The one error type of `@infernet/chain`: a `ChainError` whose tagged `reason` says what went wrong (an invalid
 * subscription field, an unusable key, an RPC failure, a Coordinator whose EIP-712 domain differs, a revert, ...).
 *
 * Messages never contain key material: keys are `Redacted` and only their shape is ever described.
 *
 * @since 0.1.0
 */
import { Predicate, Schema } from "effect"

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
  DevnetError
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
 *   Subscription.v1({ owner: "0x1", containers: ["hello-world"] })
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
