/**
 * A Coordinator `Subscription`, camelCase, for either generation:
 *
 * - `v0`: infernet-sdk 0.1 (the usage page's `Subscription`): gas limits, a comma-joined `containerId` string and
 *   `inputs` bytes;
 * - `v1`: infernet-sdk 1.x (current Coordinators): a `bytes32` `containerId`, laziness, a verifier and payment.
 *
 * The constructors validate every field (integer widths, addresses normalised to EIP-55, container ids) and throw a
 * {@link ChainError.ChainError} naming the field; {@link make} is the Effect version.
 *
 * @since 0.1.0
 */
import { DelegatedSubscription as Wire } from "@infernet/types"
import { Effect, Either, type ParseResult, Schema } from "effect"
import { type Address, type Hex, zeroAddress } from "viem"
import type * as ChainError from "./ChainError.js"
import * as ContainerId from "./ContainerId.js"
import * as Errors from "./internal/errors.js"
import * as Validate from "./internal/validate.js"

/**
 * An integer parameter: a `number` (a safe integer) or a `bigint`.
 *
 * @since 0.1.0
 * @category models
 */
export type Integer = number | bigint

/**
 * A generation 1 subscription (infernet-sdk 0.1): the model (camelCase, tagged `version: "v0"`) that
 * {@link v0} builds and signing, hashing and the Coordinator dry run take. Its REST (snake_case) shape, the
 * `subscription` of a request body, is {@link WireSubscriptionV0}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionV0 {
  readonly version: "v0"
  readonly owner: Address
  readonly activeAt: number
  readonly period: number
  readonly frequency: number
  readonly redundancy: number
  readonly maxGasPrice: number
  readonly maxGasLimit: number
  /** The comma-joined container ids. */
  readonly containerId: string
  readonly inputs: Hex
}

/**
 * A generation 2 subscription (infernet-sdk 1.x): the model (camelCase, tagged `version: "v1"`) that {@link v1}
 * builds and signing, hashing and the Coordinator dry run take. Its REST (snake_case) shape, the `subscription` of a
 * request body, is {@link WireSubscriptionV1}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionV1 {
  readonly version: "v1"
  readonly owner: Address
  readonly activeAt: number
  readonly period: number
  readonly frequency: number
  readonly redundancy: number
  /** `keccak256(abi.encode(string))` of the comma-joined container ids. */
  readonly containerId: Hex
  readonly lazy: boolean
  readonly verifier: Address
  readonly paymentAmount: bigint
  readonly paymentToken: Address
  readonly wallet: Address
}

/**
 * Either generation, told apart by `version`.
 *
 * @since 0.1.0
 * @category models
 */
export type Subscription = SubscriptionV0 | SubscriptionV1

/**
 * The generation of a subscription (and of the Coordinator it targets).
 *
 * @since 0.1.0
 * @category models
 */
export type Version = Subscription["version"]

interface CommonParameters {
  /** The subscribing contract (it must expose the delegated signer). Any case; normalised to EIP-55. */
  readonly owner: string
  /** uint32 timestamp from which the subscription is active. */
  readonly activeAt: Integer
  /** uint32 seconds between intervals (0 for a one-off). */
  readonly period: Integer
  /** uint32 number of intervals. */
  readonly frequency: Integer
  /** uint16 number of nodes to respond per interval. */
  readonly redundancy: Integer
}

/**
 * Parameters of {@link v0}. Give the container ids as `containers` (an array) or `containerId` (comma-joined).
 *
 * @since 0.1.0
 * @category models
 */
export type V0Parameters = CommonParameters & {
  /** uint48 max gas price (wei) the subscriber pays for a delivery. */
  readonly maxGasPrice: Integer
  /** uint32 max gas limit of a delivery. */
  readonly maxGasLimit: Integer
  /** Container inputs as hex or bytes; defaults to `"0x"` (the node's off-chain `data` is used instead). */
  readonly inputs?: Hex | Uint8Array | undefined
} & (
    | { readonly containers: ReadonlyArray<string>; readonly containerId?: undefined }
    | { readonly containerId: string; readonly containers?: undefined }
  )

/**
 * Parameters of {@link v1}. Give `containers` (ids, hashed for you) or `containerId` (an already computed 32-byte hash).
 *
 * @since 0.1.0
 * @category models
 */
export type V1Parameters = CommonParameters & {
  /** Whether the node may deliver lazily (output kept off-chain); defaults to `false`. */
  readonly lazy?: boolean | undefined
  /** Proof verifier contract; defaults to the zero address. */
  readonly verifier?: string | undefined
  /** uint256 payment per delivery; defaults to 0. */
  readonly paymentAmount?: Integer | undefined
  /** Payment token (zero address for ETH); defaults to the zero address. */
  readonly paymentToken?: string | undefined
  /** The subscriber's Infernet wallet; defaults to the zero address. */
  readonly wallet?: string | undefined
} & (
    | { readonly containers: ReadonlyArray<string>; readonly containerId?: undefined }
    | { readonly containerId: Hex; readonly containers?: undefined }
  )

/**
 * Parameters of {@link make}: those of {@link v0} or {@link v1}, with the generation.
 *
 * @since 0.1.0
 * @category models
 */
export type MakeParameters = ({ readonly version: "v0" } & V0Parameters) | ({ readonly version: "v1" } & V1Parameters)

const common = (params: CommonParameters) => ({
  owner: Validate.address("owner", params.owner),
  activeAt: Validate.uint("activeAt", params.activeAt, 32),
  period: Validate.uint("period", params.period, 32),
  frequency: Validate.uint("frequency", params.frequency, 32),
  redundancy: Validate.uint("redundancy", params.redundancy, 16)
})

const requireObject = (params: unknown): void => {
  if (typeof params !== "object" || params === null) {
    throw Errors.invalidSubscription("parameters", "must be an object")
  }
}

/**
 * Builds a generation 1 subscription (infernet-sdk 0.1). Throws a `ChainError` (`InvalidSubscription`) naming the
 * first invalid field.
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * const subscription = Subscription.v0({
 *   owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   activeAt: 0, period: 3, frequency: 2, redundancy: 2,
 *   maxGasPrice: 1_000_000_000_000, maxGasLimit: 3_000_000,
 *   containers: ["openai-inference"]
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const v0 = (params: V0Parameters): SubscriptionV0 => {
  requireObject(params)
  const base = common(params)
  const maxGasPrice = Validate.uint("maxGasPrice", params.maxGasPrice, 48)
  const maxGasLimit = Validate.uint("maxGasLimit", params.maxGasLimit, 32)
  if (params.containers !== undefined && params.containerId !== undefined) {
    throw Errors.invalidSubscription("containers", "and containerId are exclusive: pass one of them")
  }
  const containerId =
    params.containers !== undefined
      ? ContainerId.v0(params.containers)
      : typeof params.containerId === "string"
        ? ContainerId.split(params.containerId, "containerId").join(",")
        : Errors.invalidSubscriptionThrow("containers", "is required (or containerId, the comma-joined ids)")
  const inputs = params.inputs === undefined ? "0x" : Validate.bytes("inputs", params.inputs)
  return { version: "v0", ...base, maxGasPrice, maxGasLimit, containerId, inputs }
}

/**
 * Builds a generation 2 subscription (infernet-sdk 1.x). Omitted fields default to `lazy: false`, zero addresses and
 * a zero payment. Throws a `ChainError` (`InvalidSubscription`) naming the first invalid field.
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * const subscription = Subscription.v1({
 *   owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *   activeAt: 0, period: 0, frequency: 1, redundancy: 1,
 *   containers: ["hello-world"]
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const v1 = (params: V1Parameters): SubscriptionV1 => {
  requireObject(params)
  const base = common(params)
  if (params.containers !== undefined && params.containerId !== undefined) {
    throw Errors.invalidSubscription("containers", "and containerId are exclusive: pass one of them")
  }
  const containerId =
    params.containers !== undefined
      ? ContainerId.v1(params.containers)
      : params.containerId !== undefined
        ? Validate.bytes32(
            "containerId",
            params.containerId,
            " (generation 2 hashes the ids: pass containers: [...ids] to have it computed)"
          )
        : Errors.invalidSubscriptionThrow("containers", "is required (or containerId, the 32-byte hash)")
  return {
    version: "v1",
    ...base,
    containerId,
    lazy: params.lazy === undefined ? false : Validate.boolean("lazy", params.lazy),
    verifier: params.verifier === undefined ? zeroAddress : Validate.address("verifier", params.verifier),
    paymentAmount: params.paymentAmount === undefined ? 0n : Validate.uint256("paymentAmount", params.paymentAmount),
    paymentToken:
      params.paymentToken === undefined ? zeroAddress : Validate.address("paymentToken", params.paymentToken),
    wallet: params.wallet === undefined ? zeroAddress : Validate.address("wallet", params.wallet)
  }
}

/**
 * The Effect version of {@link v0} / {@link v1}: fails with a `ChainError` instead of throwing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Subscription } from "@infernet/chain"
 * const program = Subscription.make({
 *   version: "v1", owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *   activeAt: 0, period: 0, frequency: 1, redundancy: 1, containers: ["hello-world"]
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (params: MakeParameters): Effect.Effect<Subscription, ChainError.ChainError> =>
  Effect.try({
    try: () => (params.version === "v0" ? v0(params) : v1(params)),
    catch: Errors.asChainError
  })

/**
 * Tells a generation 1 subscription.
 *
 * @since 0.1.0
 * @category guards
 */
export const isV0 = (subscription: Subscription): subscription is SubscriptionV0 => subscription.version === "v0"

/**
 * Tells a generation 2 subscription.
 *
 * @since 0.1.0
 * @category guards
 */
export const isV1 = (subscription: Subscription): subscription is SubscriptionV1 => subscription.version === "v1"

/**
 * A generation 1 subscription in its REST wire shape (snake_case: `active_at`, `max_gas_price`, `container_id`, ...),
 * as `prepareDelegatedSubscription(...).subscription` holds it. Not the model ({@link SubscriptionV0}): convert with
 * {@link fromWire}.
 *
 * @since 0.3.0
 * @category models
 */
export interface WireSubscriptionV0 extends Wire.SubscriptionV0 {}

/**
 * A generation 2 subscription in its REST wire shape (snake_case: `active_at`, `containers`, `payment_amount`, ...),
 * as `prepareDelegatedSubscription(...).subscription` holds it. Not the model ({@link SubscriptionV1}): convert with
 * {@link fromWire}.
 *
 * @since 0.3.0
 * @category models
 */
export interface WireSubscriptionV1 extends Wire.SubscriptionV1 {}

/**
 * The REST (snake_case) shape of a subscription, as `@infernet/types` decodes it: `WireSubscriptionV0 |
 * WireSubscriptionV1`, told from the model ({@link Subscription}, camelCase with a `version`) by its names.
 *
 * @since 0.1.0
 * @category models
 */
export type WireSubscription = WireSubscriptionV0 | WireSubscriptionV1

/**
 * Converts a subscription to its REST (snake_case) shape, the `subscription` of a `POST /api/jobs` body. Throws a
 * `ChainError` (`InvalidRequest`) for an object not built by {@link v0} / {@link v1} that does not fit the wire schema.
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * declare const subscription: Subscription.Subscription
 * Subscription.toWire(subscription) // { owner, active_at, period, ... }
 * ```
 * @since 0.1.0
 * @category conversions
 */
export const toWire = (subscription: Subscription): WireSubscription => {
  const decoded: Either.Either<WireSubscription, ParseResult.ParseError> =
    subscription.version === "v0"
      ? Schema.decodeUnknownEither(Wire.SubscriptionV0)({
          owner: subscription.owner,
          active_at: subscription.activeAt,
          period: subscription.period,
          frequency: subscription.frequency,
          redundancy: subscription.redundancy,
          max_gas_price: subscription.maxGasPrice,
          max_gas_limit: subscription.maxGasLimit,
          container_id: subscription.containerId,
          inputs: subscription.inputs
        })
      : Schema.decodeUnknownEither(Wire.SubscriptionV1)({
          owner: subscription.owner,
          active_at: subscription.activeAt,
          period: subscription.period,
          frequency: subscription.frequency,
          redundancy: subscription.redundancy,
          containers: subscription.containerId,
          lazy: subscription.lazy,
          verifier: subscription.verifier,
          payment_amount: subscription.paymentAmount,
          payment_token: subscription.paymentToken,
          wallet: subscription.wallet
        })
  if (Either.isLeft(decoded)) throw Errors.invalidRequest(`subscription ${Errors.describeParseError(decoded.left)}`)
  return decoded.right
}

/**
 * Converts a REST (snake_case) subscription back, validating it; the generation is told by `container_id` (v0) or
 * `containers` (v1). Accepts a decoded `@infernet/types` value or any unknown input (e.g. from `Json.parse`).
 * Throws a `ChainError` (`InvalidRequest` for a shape mismatch, `InvalidSubscription` for a bad field).
 *
 * @example
 * ```ts
 * import { Subscription } from "@infernet/chain"
 * const subscription = Subscription.fromWire({
 *   owner: "0x5fbdb2315678afecb367f032d93f642f64180aa3", active_at: 0, period: 3, frequency: 2, redundancy: 2,
 *   max_gas_price: 1000000000000, max_gas_limit: 3000000, container_id: "openai-inference", inputs: "0x"
 * })
 * subscription.version // "v0"
 * ```
 * @since 0.1.0
 * @category conversions
 */
export const fromWire = (wire: unknown): Subscription => {
  const decoded = Schema.decodeUnknownEither(Wire.Subscription)(wire, { onExcessProperty: "ignore" })
  if (Either.isLeft(decoded)) throw Errors.invalidRequest(Errors.describeParseError(decoded.left))
  const w = decoded.right
  return Wire.isV1(w)
    ? v1({
        owner: w.owner,
        activeAt: w.active_at,
        period: w.period,
        frequency: w.frequency,
        redundancy: w.redundancy,
        containerId: w.containers as Hex,
        lazy: w.lazy,
        verifier: w.verifier,
        paymentAmount: w.payment_amount,
        paymentToken: w.payment_token,
        wallet: w.wallet
      })
    : v0({
        owner: w.owner,
        activeAt: w.active_at,
        period: w.period,
        frequency: w.frequency,
        redundancy: w.redundancy,
        maxGasPrice: w.max_gas_price,
        maxGasLimit: w.max_gas_limit,
        containerId: w.container_id,
        inputs: w.inputs as Hex
      })
}
