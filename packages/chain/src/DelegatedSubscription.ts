/**
 * EIP-712 delegated subscriptions: the typed data of both Coordinator generations, hashing, signing with any viem
 * account, recovery of the signer, the `{nonce, expiry, v, r, s}` signature split, and the REST body a node accepts
 * on `POST /api/jobs`. {@link prepareDelegatedSubscription} does it all in one call (RPC reads included).
 *
 * @since 0.1.0
 */
import { DelegatedSubscription as Wire, Json } from "@infernet/types"
import { Effect, Either, Schema } from "effect"
import {
  type Account,
  type Address,
  hashDomain,
  type Hex,
  hashTypedData,
  isAddressEqual,
  parseSignature,
  recoverTypedDataAddress,
  serializeSignature,
  type TypedDataDefinition,
  type WalletClient
} from "viem"
import type * as ChainError from "./ChainError.js"
import * as Coordinator from "./Coordinator.js"
import * as Errors from "./internal/errors.js"
import * as Message from "./internal/message.js"
import * as Run from "./internal/run.js"
import * as Structs from "./internal/structs.js"
import type * as Types from "./internal/types.js"
import * as Validate from "./internal/validate.js"
import * as Subscription from "./Subscription.js"
import * as Wallet from "./Wallet.js"

/**
 * The EIP-712 `types` of a delegated subscription, per generation, `as const` so viem type-checks the message.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * DelegatedSubscription.delegatedSubscriptionTypes.v1.Subscription.map((f) => f.name)
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const delegatedSubscriptionTypes = {
  v0: { DelegateSubscription: Structs.delegateSubscriptionFields, Subscription: Structs.subscriptionFieldsV0 },
  v1: { DelegateSubscription: Structs.delegateSubscriptionFields, Subscription: Structs.subscriptionFieldsV1 }
} as const

/**
 * The EIP-712 primary type.
 *
 * @since 0.1.0
 * @category typed data
 */
export const primaryType = "DelegateSubscription" as const

/**
 * The encoded type strings (`encodeType`) the Coordinators hash, per generation.
 *
 * @since 0.1.0
 * @category typed data
 */
export const encodedTypes = {
  v0: "DelegateSubscription(uint32 nonce,uint32 expiry,Subscription sub)Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,uint48 maxGasPrice,uint32 maxGasLimit,string containerId,bytes inputs)",
  v1: "DelegateSubscription(uint32 nonce,uint32 expiry,Subscription sub)Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,bytes32 containerId,bool lazy,address verifier,uint256 paymentAmount,address paymentToken,address wallet)"
} as const

/**
 * `keccak256` of {@link encodedTypes}: the `DelegateSubscription` typehash of each generation.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * DelegatedSubscription.typeHashes.v0 // "0x1950b0df..."
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const typeHashes = {
  v0: "0x1950b0dfc42b437b752641a63d09bd2a7d858914bdd31db6ef0dc3e5b2bf544e",
  v1: "0xba9ff1aef2b048b42767aade2b901745a3acf14f698a9ec13952098cfd03d0b6"
} as const

/**
 * The EIP-712 domain of a Coordinator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Domain {
  readonly name: typeof Coordinator.EIP712_NAME
  readonly version: typeof Coordinator.EIP712_VERSION
  readonly chainId: number
  readonly verifyingContract: Address
}

/**
 * Parameters of {@link domain}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DomainParameters {
  /** The chain id (`eth_chainId`) of the chain the Coordinator lives on. */
  readonly chainId: Subscription.Integer
  /** The Coordinator address (any case). */
  readonly coordinator: string
}

const chainIdOf = (value: unknown): number => {
  const n = Validate.uint("chainId", value, 48)
  if (n === 0) throw Errors.invalidSubscription("chainId", "must be a positive chain id, got 0")
  return n
}

/**
 * The EIP-712 domain: `{ name: "InfernetCoordinator", version: "1", chainId, verifyingContract: coordinator }`.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * DelegatedSubscription.domain({ chainId: 31337, coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const domain = (params: DomainParameters): Domain => ({
  name: Coordinator.EIP712_NAME,
  version: Coordinator.EIP712_VERSION,
  chainId: chainIdOf(params.chainId),
  verifyingContract: Validate.address("coordinator", params.coordinator)
})

/**
 * The domain separator (`hashStruct(EIP712Domain)`) of a Coordinator.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * DelegatedSubscription.domainSeparator({ chainId: 31337, coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
 * // "0x55c593093c8702a415567d254ddab7a6a05289bfec49d4ce66f6f42ae9640489"
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const domainSeparator = (params: DomainParameters): Hex =>
  hashDomain({
    domain: { ...domain(params), chainId: BigInt(chainIdOf(params.chainId)) },
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" }
      ]
    }
  })

/**
 * What is signed: a subscription, its nonce and expiry, for a Coordinator on a chain.
 *
 * @since 0.1.0
 * @category models
 */
export interface DelegatedSubscriptionParameters extends DomainParameters {
  /** uint32 nonce of `(owner, nonce)`; see `Coordinator.nextNonce`. */
  readonly nonce: Subscription.Integer
  /** uint32 unix time (seconds) after which the signature is void. */
  readonly expiry: Subscription.Integer
  /** The subscription; its `version` selects the typed data. */
  readonly subscription: Subscription.Subscription
}

/**
 * The viem typed data of a generation 1 delegated subscription.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedDataV0 = TypedDataDefinition<typeof delegatedSubscriptionTypes.v0, typeof primaryType> & {
  readonly domain: Domain
  readonly message: { readonly nonce: number; readonly expiry: number; readonly sub: Message.MessageV0 }
}

/**
 * The viem typed data of a generation 2 delegated subscription.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedDataV1 = TypedDataDefinition<typeof delegatedSubscriptionTypes.v1, typeof primaryType> & {
  readonly domain: Domain
  readonly message: { readonly nonce: number; readonly expiry: number; readonly sub: Message.MessageV1 }
}

/**
 * The typed data of {@link toTypedData}, for either generation.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedData = TypedDataV0 | TypedDataV1

/**
 * Builds the viem typed data (`domain`, `types`, `primaryType`, `message`) of a delegated subscription, validating
 * nonce, expiry, chain id and Coordinator address. Throws a `ChainError` (`InvalidSubscription`).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription, Subscription } from "@infernet/chain"
 * const typedData = DelegatedSubscription.toTypedData({
 *   chainId: 31337,
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   nonce: 1,
 *   expiry: 2_000_000_000,
 *   subscription: Subscription.v1({
 *     owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *     activeAt: 0, period: 0, frequency: 1, redundancy: 1, containers: ["hello-world"]
 *   })
 * })
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const toTypedData = (params: DelegatedSubscriptionParameters): TypedData => {
  const d = domain(params)
  const nonce = Validate.uint("nonce", params.nonce, 32)
  const expiry = Validate.uint("expiry", params.expiry, 32)
  const sub = params.subscription
  if (typeof sub !== "object" || sub === null || (sub.version !== "v0" && sub.version !== "v1")) {
    throw Errors.invalidSubscription("subscription", "must be built with Subscription.v0 or Subscription.v1")
  }
  return sub.version === "v0"
    ? {
        domain: d,
        types: delegatedSubscriptionTypes.v0,
        primaryType,
        message: { nonce, expiry, sub: Message.toMessageV0(sub) }
      }
    : {
        domain: d,
        types: delegatedSubscriptionTypes.v1,
        primaryType,
        message: { nonce, expiry, sub: Message.toMessageV1(sub) }
      }
}

/**
 * The EIP-712 digest a Coordinator recovers the signer from: `keccak256("\x19\x01" ‖ domainSeparator ‖
 * hashStruct(DelegateSubscription))`.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const params: DelegatedSubscription.DelegatedSubscriptionParameters
 * const digest = DelegatedSubscription.hashDelegatedSubscription(params)
 * ```
 * @since 0.1.0
 * @category typed data
 */
export const hashDelegatedSubscription = (params: DelegatedSubscriptionParameters): Hex =>
  hashTypedData(toTypedData(params) as TypedDataDefinition)

/**
 * A delegated-subscription signature as it goes on the wire and to the Coordinator: `v` is 27 or 28, `r` and `s`
 * are `bigint` (exact JSON integers on the wire). The same shape as `@infernet/types`' `DelegatedSubscription.Signature`.
 *
 * @since 0.1.0
 * @category models
 */
export type Signature = Types.Signature

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

const checkSignature = (signature: Signature): Signature => {
  if (typeof signature !== "object" || signature === null) throw Errors.invalidSignature("must be an object")
  const nonce = Validate.uint("nonce", signature.nonce, 32)
  const expiry = Validate.uint("expiry", signature.expiry, 32)
  if (signature.v !== 27 && signature.v !== 28) {
    throw Errors.invalidSignature(`v must be 27 or 28, got ${String(signature.v)}`)
  }
  for (const key of ["r", "s"] as const) {
    const value = signature[key]
    if (typeof value !== "bigint" || value <= 0n || value >= SECP256K1_N) {
      throw Errors.invalidSignature(`${key} must be a bigint in [1, secp256k1 order), got ${String(value)}`)
    }
  }
  return { nonce, expiry, v: signature.v, r: signature.r, s: signature.s }
}

/**
 * Parameters of {@link splitSignature}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SplitSignatureParameters {
  /** A 65-byte (`r ‖ s ‖ v`, v as 27/28 or 0/1) or 64-byte (EIP-2098) signature. */
  readonly signature: Hex
  readonly nonce: Subscription.Integer
  readonly expiry: Subscription.Integer
}

/**
 * Splits a hex signature into the wire fields `{nonce, expiry, v, r, s}`; `v` is always 27 or 28 (a `yParity` of
 * 0/1 is converted).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const hex: `0x${string}`
 * const { v, r, s } = DelegatedSubscription.splitSignature({ signature: hex, nonce: 1, expiry: 2_000_000_000 })
 * ```
 * @since 0.1.0
 * @category signatures
 */
export const splitSignature = (params: SplitSignatureParameters): Signature => {
  let parsed: ReturnType<typeof parseSignature>
  try {
    parsed = parseSignature(params.signature)
  } catch (cause) {
    throw Errors.invalidSignature(`cannot parse the signature: ${Errors.describe(cause)}`)
  }
  const yParity = parsed.yParity ?? (parsed.v === 28n || parsed.v === 1n ? 1 : 0)
  return checkSignature({
    nonce: Validate.uint("nonce", params.nonce, 32),
    expiry: Validate.uint("expiry", params.expiry, 32),
    v: yParity === 1 ? 28 : 27,
    r: BigInt(parsed.r),
    s: BigInt(parsed.s)
  })
}

/**
 * Joins the wire fields back into a 65-byte hex signature (`r ‖ s ‖ v`, v as 27/28).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const signature: DelegatedSubscription.Signature
 * const hex = DelegatedSubscription.joinSignature(signature)
 * ```
 * @since 0.1.0
 * @category signatures
 */
export const joinSignature = (signature: Signature): Hex => {
  const checked = checkSignature(signature)
  return serializeSignature({
    r: `0x${checked.r.toString(16).padStart(64, "0")}`,
    s: `0x${checked.s.toString(16).padStart(64, "0")}`,
    v: BigInt(checked.v)
  })
}

/**
 * Parameters of {@link signDelegatedSubscription}: what to sign, and who signs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignDelegatedSubscriptionParameters extends DelegatedSubscriptionParameters {
  /**
   * The signer: a local account (`privateKeyToAccount`, `mnemonicToAccount`, `toAccount`, ...) signs itself; a
   * JSON-RPC account (or a bare address) needs `walletClient`. Defaults to `walletClient.account`.
   */
  readonly account?: Account | Address | undefined
  /** A wallet client, used when the account cannot sign typed data by itself. */
  readonly walletClient?: WalletClient | undefined
}

/**
 * The signature fields `{nonce, expiry, v, r, s}`.
 *
 * @since 0.1.0
 * @category models
 */
export type SignDelegatedSubscriptionReturnType = Signature

const accountAddress = (account: Account | Address | undefined): Address | undefined =>
  account === undefined ? undefined : typeof account === "string" ? account : account.address

/**
 * Signs a delegated subscription (the Effect version of {@link signDelegatedSubscription}).
 *
 * @since 0.1.0
 * @category effects
 */
export const signDelegatedSubscriptionEffect = (
  params: SignDelegatedSubscriptionParameters
): Effect.Effect<SignDelegatedSubscriptionReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const typedData = yield* Effect.try({ try: () => toTypedData(params), catch: Errors.asChainError })
    const account = params.account ?? params.walletClient?.account
    const expected = accountAddress(account)
    const sign = (): Promise<Hex> => {
      if (typeof account === "object" && typeof account.signTypedData === "function") {
        return account.signTypedData(typedData as TypedDataDefinition)
      }
      if (params.walletClient !== undefined && account !== undefined) {
        return params.walletClient.signTypedData({ ...(typedData as TypedDataDefinition), account })
      }
      return Promise.reject(
        Errors.signingError(
          account === undefined
            ? "no account: pass account (e.g. privateKeyToAccount(...)) or a walletClient with an account"
            : `account ${expected} cannot sign typed data by itself (a JSON-RPC account): pass a walletClient`
        )
      )
    }
    const hex = yield* Effect.tryPromise({ try: sign, catch: Errors.asChainError })
    const signature = yield* Effect.try({
      try: () => splitSignature({ signature: hex, nonce: typedData.message.nonce, expiry: typedData.message.expiry }),
      catch: Errors.asChainError
    })
    // Cross-check: a wallet that signed something else (another domain, a smart-account wrapper) is caught here
    // rather than by the Coordinator's SignerMismatch.
    const recovered = yield* recoverEffect(typedData, signature)
    if (expected !== undefined && !isAddressEqual(recovered, expected)) {
      return yield* Effect.fail(
        Errors.signingError(
          `the signature recovers to ${recovered}, not to the account ${expected}; the wallet signed other data ` +
            "(only plain ECDSA accounts can sign delegated subscriptions)"
        )
      )
    }
    return signature
  })

/**
 * Signs a delegated subscription with a viem account and returns the wire fields `{nonce, expiry, v, r, s}`.
 * Accounts that sign locally (`privateKeyToAccount`, `mnemonicToAccount`, `hdKeyToAccount`, `toAccount`) sign
 * directly; a JSON-RPC account signs through `walletClient` (`eth_signTypedData_v4`). The result is checked by
 * recovery against the account's address.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription, Subscription } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const signature = await DelegatedSubscription.signDelegatedSubscription({
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   chainId: 31337,
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   nonce: 1,
 *   expiry: 2_000_000_000,
 *   subscription: Subscription.v1({
 *     owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *     activeAt: 0, period: 0, frequency: 1, redundancy: 1, containers: ["hello-world"]
 *   })
 * })
 * // { nonce: 1, expiry: 2000000000, v: 27 | 28, r: 0x…n, s: 0x…n }
 * ```
 * @since 0.1.0
 * @category signatures
 */
export const signDelegatedSubscription = (
  params: SignDelegatedSubscriptionParameters & Coordinator.PromiseOptions
): Promise<SignDelegatedSubscriptionReturnType> => Run.runPromise(signDelegatedSubscriptionEffect(params), params)

const recoverEffect = (typedData: TypedData, signature: Signature): Effect.Effect<Address, ChainError.ChainError> =>
  Effect.tryPromise({
    try: () =>
      recoverTypedDataAddress({ ...(typedData as TypedDataDefinition), signature: joinSignatureUnchecked(signature) }),
    catch: (cause) => Errors.invalidSignature(`cannot recover the signer: ${Errors.describe(cause)}`)
  })

const joinSignatureUnchecked = (signature: Signature): Hex =>
  serializeSignature({
    r: `0x${signature.r.toString(16).padStart(64, "0")}`,
    s: `0x${signature.s.toString(16).padStart(64, "0")}`,
    v: BigInt(signature.v)
  })

/**
 * Parameters of {@link recoverDelegatedSubscriptionSigner}: the domain (`chainId`, `coordinator`) and either the
 * decoded `subscription` + `signature`, or a REST `request` body (`{subscription, signature, data}`, as received by
 * a node, e.g. from `Json.parse`).
 *
 * @since 0.1.0
 * @category models
 */
export type RecoverDelegatedSubscriptionSignerParameters = DomainParameters &
  (
    | {
        readonly subscription: Subscription.Subscription
        readonly signature: Signature
        readonly request?: undefined
      }
    | { readonly request: unknown; readonly subscription?: undefined; readonly signature?: undefined }
  )

/**
 * Recovers the signer (the Effect version of {@link recoverDelegatedSubscriptionSigner}).
 *
 * @since 0.1.0
 * @category effects
 */
export const recoverDelegatedSubscriptionSignerEffect = (
  params: RecoverDelegatedSubscriptionSignerParameters
): Effect.Effect<Address, ChainError.ChainError> =>
  Effect.gen(function* () {
    const { subscription, signature } = yield* Effect.try({
      try: () =>
        params.subscription !== undefined
          ? { subscription: params.subscription, signature: checkSignature(params.signature) }
          : fromRequestBody(params.request),
      catch: Errors.asChainError
    })
    const typedData = yield* Effect.try({
      try: () =>
        toTypedData({
          chainId: params.chainId,
          coordinator: params.coordinator,
          nonce: signature.nonce,
          expiry: signature.expiry,
          subscription
        }),
      catch: Errors.asChainError
    })
    return yield* recoverEffect(typedData, signature)
  })

/**
 * Recovers the address that signed a delegated subscription, as the Coordinator's `ecrecover` would. Pass the
 * decoded `subscription` and `signature`, or a REST `request` body as a node receives it.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * import { Json } from "@infernet/types"
 * declare const text: string // the body of POST /api/jobs
 * const signer = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({
 *   chainId: 31337,
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   request: Json.parse(text)
 * })
 * ```
 * @since 0.1.0
 * @category signatures
 */
export const recoverDelegatedSubscriptionSigner = (
  params: RecoverDelegatedSubscriptionSignerParameters & Coordinator.PromiseOptions
): Promise<Address> => Run.runPromise(recoverDelegatedSubscriptionSignerEffect(params), params)

/**
 * Parameters of {@link verifyDelegatedSubscription}.
 *
 * @since 0.1.0
 * @category models
 */
export type VerifyDelegatedSubscriptionParameters = RecoverDelegatedSubscriptionSignerParameters & {
  /** The expected signer (e.g. the owner contract's `getSigner()`). */
  readonly address: string
}

/**
 * Tells whether a delegated subscription was signed by `address` (the Effect version of
 * {@link verifyDelegatedSubscription}).
 *
 * @since 0.1.0
 * @category effects
 */
export const verifyDelegatedSubscriptionEffect = (
  params: VerifyDelegatedSubscriptionParameters
): Effect.Effect<boolean, ChainError.ChainError> =>
  Effect.gen(function* () {
    const expected = yield* Effect.try({
      try: () => Validate.address("address", params.address),
      catch: Errors.asChainError
    })
    const recovered = yield* recoverDelegatedSubscriptionSignerEffect(params)
    return isAddressEqual(recovered, expected)
  })

/**
 * Tells whether a delegated subscription was signed by `address`.
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const request: unknown
 * const ok = await DelegatedSubscription.verifyDelegatedSubscription({
 *   chainId: 31337,
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   request,
 *   address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
 * })
 * ```
 * @since 0.1.0
 * @category signatures
 */
export const verifyDelegatedSubscription = (
  params: VerifyDelegatedSubscriptionParameters & Coordinator.PromiseOptions
): Promise<boolean> => Run.runPromise(verifyDelegatedSubscriptionEffect(params), params)

/**
 * The REST body of a delegated subscription (`POST /api/jobs`), as `@infernet/types` models it: snake_case
 * `subscription`, `signature` with `bigint` `r` / `s`, and the container input `data`. Write it with
 * {@link stringifyRequestBody} (or `Json.stringify` of `@infernet/types`), never `JSON.stringify`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestBody extends Omit<Wire.DelegatedSubscriptionRequest, "subscription"> {
  /** The subscription in its REST (snake_case) wire shape; `Subscription.fromWire` gives the model back. */
  readonly subscription: Subscription.WireSubscription
}

/**
 * A JSON object: the container input `data` of a request.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonObject = Json.JsonObject

/**
 * Parameters of {@link toRequestBody}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ToRequestBodyParameters {
  readonly subscription: Subscription.Subscription
  readonly signature: Signature
  /** The container input, a JSON object. */
  readonly data: JsonObject
}

/**
 * Builds the REST body `{subscription, signature, data}` of `POST /api/jobs`, validated against the wire schema of
 * `@infernet/types`. Throws a `ChainError` (`InvalidRequest`, `InvalidSignature`).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const subscription: import("@infernet/chain").Subscription.Subscription
 * declare const signature: DelegatedSubscription.Signature
 * const body = DelegatedSubscription.toRequestBody({ subscription, signature, data: { prompt: "hello" } })
 * await fetch("http://localhost:4000/api/jobs", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: DelegatedSubscription.stringifyRequestBody(body)
 * })
 * ```
 * @since 0.1.0
 * @category request body
 */
export const toRequestBody = (params: ToRequestBodyParameters): RequestBody => {
  const signature = checkSignature(params.signature)
  const decoded = Schema.decodeUnknownEither(Wire.DelegatedSubscriptionRequest)({
    subscription: Subscription.toWire(params.subscription),
    signature,
    data: params.data
  })
  if (Either.isLeft(decoded)) throw Errors.invalidRequest(Errors.describeParseError(decoded.left))
  return decoded.right
}

/**
 * Writes a request body as JSON text with `r` and `s` as exact integers (never through a JS `number`).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const body: DelegatedSubscription.RequestBody
 * const text = DelegatedSubscription.stringifyRequestBody(body) // '{"subscription":{...},"signature":{...,"r":1234...}}'
 * ```
 * @since 0.1.0
 * @category request body
 */
export const stringifyRequestBody = (body: RequestBody): string =>
  Json.stringify(Schema.encodeSync(Wire.DelegatedSubscriptionRequest)(body))

/**
 * A request body, decoded: the camelCase subscription, the signature and the `data`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FromRequestBodyReturnType {
  readonly subscription: Subscription.Subscription
  readonly signature: Signature
  readonly data: JsonObject
}

/**
 * Decodes a REST body (an object, e.g. from `Json.parse`, or JSON text) back into a subscription, signature and
 * data. Throws a `ChainError` (`InvalidRequest`, `InvalidSubscription`, `InvalidSignature`).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription } from "@infernet/chain"
 * declare const text: string
 * const { subscription, signature, data } = DelegatedSubscription.fromRequestBody(text)
 * ```
 * @since 0.1.0
 * @category request body
 */
export const fromRequestBody = (body: unknown): FromRequestBodyReturnType => {
  let input = body
  if (typeof body === "string") {
    try {
      input = Json.parse(body)
    } catch (cause) {
      throw Errors.invalidRequest(`not JSON: ${Errors.describe(cause)}`)
    }
  }
  const decoded = Schema.decodeUnknownEither(Wire.DelegatedSubscriptionRequest)(input, { onExcessProperty: "ignore" })
  if (Either.isLeft(decoded)) throw Errors.invalidRequest(Errors.describeParseError(decoded.left))
  return {
    subscription: Subscription.fromWire(decoded.right.subscription),
    signature: checkSignature(decoded.right.signature),
    data: decoded.right.data
  }
}

/**
 * Parameters of {@link prepareDelegatedSubscription}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PrepareDelegatedSubscriptionParameters extends Coordinator.ClientParameters {
  /** The signer (see {@link SignDelegatedSubscriptionParameters.account}). */
  readonly account?: Account | Address | undefined
  /** A wallet client, for JSON-RPC accounts. */
  readonly walletClient?: WalletClient | undefined
  /** The Coordinator address. */
  readonly coordinator: string
  /** The subscription to sign (`Subscription.v0(...)` or `Subscription.v1(...)`). */
  readonly subscription: Subscription.Subscription
  /** uint32 unix time (seconds) after which the signature is void (nodes reject an expiry already past). */
  readonly expiry: Subscription.Integer
  /** uint32 nonce; defaults to `maxSubscriberNonce(owner) + 1` read from the Coordinator. */
  readonly nonce?: Subscription.Integer | undefined
  /** The chain id; read with `eth_chainId` when omitted. */
  readonly chainId?: Subscription.Integer | undefined
  /** The container input sent with the subscription. */
  readonly data: JsonObject
  /** Refuse to sign when the Coordinator reports another EIP-712 domain (default `true`). */
  readonly checkDomain?: boolean | undefined
  /**
   * The Registry of the Coordinator (the address Ritual publishes per chain). A paid generation-2 subscription
   * (`paymentAmount > 0`) is checked against its WalletFactory before signing; the Registry must name `coordinator`.
   */
  readonly registry?: string | undefined
  /** The WalletFactory to check a paid subscription's wallet against, instead of reading it from `registry`. */
  readonly walletFactory?: string | undefined
  /**
   * Before signing a paid generation-2 subscription, check that its `wallet` is a wallet of the WalletFactory and
   * that it lets the `owner` spend at least `paymentAmount` of `paymentToken` (default `true`; needs `registry` or
   * `walletFactory`). See `Wallet.checkPayment`.
   */
  readonly checkPayment?: boolean | undefined
}

/**
 * The signed REST body, ready for `POST /api/jobs`.
 *
 * @since 0.1.0
 * @category models
 */
export type PrepareDelegatedSubscriptionReturnType = RequestBody

/**
 * Reads the chain id and default nonce, checks the Coordinator's EIP-712 domain, signs, and builds the REST body
 * (the Effect version of {@link prepareDelegatedSubscription}).
 *
 * @since 0.1.0
 * @category effects
 */
export const prepareDelegatedSubscriptionEffect = (
  params: PrepareDelegatedSubscriptionParameters
): Effect.Effect<PrepareDelegatedSubscriptionReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const expiry = yield* Effect.try({
      try: () => Validate.uint("expiry", params.expiry, 32),
      catch: Errors.asChainError
    })
    const client = params.publicClient !== undefined ? { publicClient: params.publicClient } : { rpcUrl: params.rpcUrl }
    const chainId =
      params.chainId !== undefined
        ? yield* Effect.try({ try: () => chainIdOf(params.chainId), catch: Errors.asChainError })
        : yield* Coordinator.getChainIdEffect(client)
    if (params.checkDomain !== false) {
      yield* Coordinator.checkDomainEffect({ ...client, coordinator: params.coordinator, chainId })
    }
    const sub = params.subscription
    if (params.checkPayment !== false && sub.version === "v1" && sub.paymentAmount > 0n) {
      yield* Wallet.checkPaymentEffect({
        ...client,
        subscription: sub,
        registry: params.registry,
        walletFactory: params.walletFactory,
        coordinator: params.coordinator
      })
    }
    const nonce =
      params.nonce !== undefined
        ? params.nonce
        : yield* Coordinator.nextNonceEffect({
            ...client,
            coordinator: params.coordinator,
            owner: params.subscription.owner
          })
    const signature = yield* signDelegatedSubscriptionEffect({
      account: params.account,
      walletClient: params.walletClient,
      chainId,
      coordinator: params.coordinator,
      nonce,
      expiry,
      subscription: params.subscription
    })
    return yield* Effect.try({
      try: () => toRequestBody({ subscription: params.subscription, signature, data: params.data }),
      catch: Errors.asChainError
    })
  })

/**
 * One call from a subscription to the signed REST body: reads the chain id (`eth_chainId`) and the default nonce
 * (`maxSubscriberNonce(owner) + 1`, unless `nonce` is given), refuses to sign if the Coordinator's EIP-712 domain is
 * not `InfernetCoordinator` / `1`, refuses to sign a paid generation-2 subscription whose wallet is not an Infernet
 * wallet or has not approved the owner for `paymentAmount` (`InvalidWallet`, `InsufficientAllowance`; pass
 * `registry`, or `checkPayment: false`), signs with `account`, and returns `{subscription, signature, data}`. POST it to a
 * node's `/api/jobs` as {@link stringifyRequestBody} writes it (`@infernet/client` does this for you).
 *
 * @example
 * ```ts
 * import { DelegatedSubscription, Subscription } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const body = await DelegatedSubscription.prepareDelegatedSubscription({
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   subscription: Subscription.v1({
 *     owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *     activeAt: 0, period: 0, frequency: 1, redundancy: 1, containers: ["hello-world"]
 *   }),
 *   expiry: Math.floor(Date.now() / 1000) + 3600,
 *   data: { prompt: "hello" }
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const prepareDelegatedSubscription = (
  params: PrepareDelegatedSubscriptionParameters & Coordinator.PromiseOptions
): Promise<PrepareDelegatedSubscriptionReturnType> => Run.runPromise(prepareDelegatedSubscriptionEffect(params), params)
