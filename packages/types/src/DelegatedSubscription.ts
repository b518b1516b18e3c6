/**
 * Wire shapes of a delegated subscription sent to `POST /api/jobs`: both generations of the Coordinator's
 * `Subscription` (snake_case), the signature and the request body. Signing lives in `@infernet/chain`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { JsonObject } from "./Json.js"
import { Address, Bytes32, Hex, Uint16, Uint32, Uint48, Uint256 } from "./Primitives.js"

/**
 * Generation 1 (infernet-sdk 0.1, the usage page): `container_id` is the comma-joined container ids, `inputs` hex.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { DelegatedSubscription } from "@infernet/types"
 * Schema.decodeUnknownSync(DelegatedSubscription.SubscriptionV0)({
 *   owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3", active_at: 0, period: 3, frequency: 2, redundancy: 2,
 *   max_gas_price: 1000000000000, max_gas_limit: 3000000, container_id: "openai-inference", inputs: "0x"
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const SubscriptionV0 = Schema.Struct({
  owner: Address,
  active_at: Uint32,
  period: Uint32,
  frequency: Uint32,
  redundancy: Uint16,
  max_gas_price: Uint48,
  max_gas_limit: Uint32,
  container_id: Schema.String,
  inputs: Hex
}).annotations({ identifier: "SubscriptionV0" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionV0 extends Schema.Schema.Type<typeof SubscriptionV0> {}

/**
 * Generation 2 (infernet-sdk 1.x, current): `containers` is `keccak256(abi.encode(ids))`, plus laziness, verifier and
 * payment fields. `payment_amount` is a `bigint` (an exact JSON integer on the wire).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { DelegatedSubscription } from "@infernet/types"
 * const zero = "0x0000000000000000000000000000000000000000"
 * Schema.decodeUnknownSync(DelegatedSubscription.SubscriptionV1)({
 *   owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", active_at: 0, period: 60, frequency: 1, redundancy: 1,
 *   containers: `0x${"ab".repeat(32)}`, lazy: false, verifier: zero, payment_amount: 0, payment_token: zero, wallet: zero
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const SubscriptionV1 = Schema.Struct({
  owner: Address,
  active_at: Uint32,
  period: Uint32,
  frequency: Uint32,
  redundancy: Uint16,
  containers: Bytes32,
  lazy: Schema.Boolean,
  verifier: Address,
  payment_amount: Uint256,
  payment_token: Address,
  wallet: Address
}).annotations({ identifier: "SubscriptionV1" })

/**
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionV1 extends Schema.Schema.Type<typeof SubscriptionV1> {}

/**
 * Either generation; told apart by `container_id` (v0) or `containers` (v1).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subscription = Schema.Union(SubscriptionV0, SubscriptionV1).annotations({ identifier: "Subscription" })

/**
 * @since 0.1.0
 * @category models
 */
export type Subscription = SubscriptionV0 | SubscriptionV1

/**
 * The signature fields: `{nonce, expiry, v, r, s}`. `r` and `s` are `bigint` in TypeScript and exact JSON integers
 * on the wire (write them with `Json.stringify`, read them with `Json.parse`).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { DelegatedSubscription, Json } from "@infernet/types"
 * const sig = Schema.decodeUnknownSync(DelegatedSubscription.Signature)({ nonce: 1, expiry: 2000000000, v: 27, r: 1n, s: 2n })
 * Json.stringify(Schema.encodeSync(DelegatedSubscription.Signature)(sig))
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Signature = Schema.Struct({
  nonce: Uint32,
  expiry: Uint32,
  v: Schema.Literal(27, 28),
  r: Uint256,
  s: Uint256
}).annotations({ identifier: "Signature" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Signature extends Schema.Schema.Type<typeof Signature> {}

/**
 * The body of `POST /api/jobs` for a delegated subscription: `{subscription, signature, data}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DelegatedSubscriptionRequest = Schema.Struct({
  subscription: Subscription,
  signature: Signature,
  data: JsonObject
}).annotations({ identifier: "DelegatedSubscriptionRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface DelegatedSubscriptionRequest extends Schema.Schema.Type<typeof DelegatedSubscriptionRequest> {}

/**
 * Tells the generation of a decoded subscription.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/types"
 * declare const sub: DelegatedSubscription.Subscription
 * if (DelegatedSubscription.isV1(sub)) console.log(sub.containers)
 * ```
 * @since 0.1.0
 * @category guards
 */
export const isV1 = (subscription: Subscription): subscription is SubscriptionV1 => "containers" in subscription
