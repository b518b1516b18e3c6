/**
 * What a client reads from the Infernet Coordinator before it signs a delegated subscription (chain id, the next
 * nonce, the EIP-712 domain), and a dry run (`eth_call`) of `createSubscriptionDelegatee` that decodes the
 * Coordinator's custom errors. Nothing is ever sent on chain.
 *
 * Every function takes a viem client (`publicClient`) or an `rpcUrl`. The Promise functions reject with a
 * `ChainError`; the `...Effect` functions fail with it.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  encodeAbiParameters,
  type Hex,
  keccak256
} from "viem"
import { getChainId as viemGetChainId, readContract, simulateContract } from "viem/actions"
import * as ChainError from "./ChainError.js"
import * as Errors from "./internal/errors.js"
import * as Message from "./internal/message.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Structs from "./internal/structs.js"
import * as Tx from "./internal/tx.js"
import type * as Types from "./internal/types.js"
import * as Validate from "./internal/validate.js"
import * as Subscription from "./Subscription.js"

const sharedAbi = [
  {
    type: "function",
    name: "maxSubscriberNonce",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint32" }]
  },
  {
    type: "function",
    name: "delegateCreatedIds",
    stateMutability: "view",
    inputs: [{ name: "key", type: "bytes32" }],
    outputs: [{ name: "", type: "uint32" }]
  },
  {
    type: "function",
    name: "EIP712_NAME",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }]
  },
  {
    type: "function",
    name: "EIP712_VERSION",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }]
  },
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" }
    ]
  },
  {
    type: "event",
    name: "SubscriptionCreated",
    inputs: [{ name: "id", type: "uint32", indexed: true }],
    anonymous: false
  },
  { type: "error", name: "SignatureExpired", inputs: [] },
  { type: "error", name: "SignerMismatch", inputs: [] },
  { type: "error", name: "InvalidSignature", inputs: [] }
] as const

const delegateeInputs = (subscription: ReadonlyArray<{ readonly name: string; readonly type: string }>) =>
  [
    { name: "nonce", type: "uint32" },
    { name: "expiry", type: "uint32" },
    { name: "sub", type: "tuple", components: subscription },
    { name: "v", type: "uint8" },
    { name: "r", type: "bytes32" },
    { name: "s", type: "bytes32" }
  ] as const

/**
 * The Coordinator ABI (generation 1, infernet-sdk 0.1) for what this package calls: `createSubscriptionDelegatee`
 * (with the v0 `Subscription` tuple), `maxSubscriberNonce`, `delegateCreatedIds`, `EIP712_NAME`, `EIP712_VERSION`,
 * `eip712Domain`, and the custom errors `SignatureExpired()`, `SignerMismatch()`, `InvalidSignature()`.
 *
 * @since 0.1.0
 * @category abi
 */
export const abiV0 = [
  {
    type: "function",
    name: "createSubscriptionDelegatee",
    stateMutability: "nonpayable",
    inputs: delegateeInputs(Structs.subscriptionFieldsV0),
    outputs: [
      { name: "subscriptionId", type: "uint32" },
      { name: "existed", type: "bool" }
    ]
  },
  ...sharedAbi
] as const

/**
 * The Coordinator ABI (generation 2, infernet-sdk 1.x): as {@link abiV0}, with the v1 `Subscription` tuple and the
 * `InvalidWallet()` error (a paid subscription whose wallet the WalletFactory did not make).
 *
 * @since 0.1.0
 * @category abi
 */
export const abiV1 = [
  {
    type: "function",
    name: "createSubscriptionDelegatee",
    stateMutability: "nonpayable",
    inputs: delegateeInputs(Structs.subscriptionFieldsV1),
    outputs: [
      { name: "subscriptionId", type: "uint32" },
      { name: "existed", type: "bool" }
    ]
  },
  ...sharedAbi,
  { type: "error", name: "InvalidWallet", inputs: [] }
] as const

/**
 * Where reads go: a viem client (`publicClient`), or an `rpcUrl` for which an HTTP public client is created.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientParameters = Rpc.ClientParameters

/**
 * Options of every Promise function: an `AbortSignal`.
 *
 * @since 0.1.0
 * @category models
 */
export interface PromiseOptions extends Run.PromiseOptions {}

const readFailure = (method: string) => (cause: unknown) => Errors.rpcError(method, cause)

const coordinatorAddress = (coordinator: unknown): Effect.Effect<Address, ChainError.ChainError> =>
  Effect.try({ try: () => Validate.address("coordinator", coordinator), catch: Errors.asChainError })

/**
 * Reads the chain id (`eth_chainId`), part of the EIP-712 domain.
 *
 * @since 0.1.0
 * @category effects
 */
export const getChainIdEffect = (params: ClientParameters): Effect.Effect<number, ChainError.ChainError> =>
  Effect.flatMap(Rpc.resolveClient(params), (client) =>
    Effect.tryPromise({ try: () => viemGetChainId(client), catch: readFailure("eth_chainId") })
  )

/**
 * Reads the chain id (`eth_chainId`), part of the EIP-712 domain.
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * const chainId = await Coordinator.getChainId({ rpcUrl: "http://127.0.0.1:8545" })
 * ```
 * @since 0.1.0
 * @category reads
 */
export const getChainId = (params: ClientParameters & PromiseOptions): Promise<number> =>
  Run.runPromise(getChainIdEffect(params), params)

/**
 * Parameters of {@link maxSubscriberNonce} and {@link nextNonce}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MaxSubscriberNonceParameters extends ClientParameters {
  /** The Coordinator address. */
  readonly coordinator: string
  /** The subscribing contract (the subscription's `owner`). */
  readonly owner: string
}

/**
 * Reads `maxSubscriberNonce(owner)`: the highest delegated-subscription nonce the Coordinator has seen for `owner`.
 *
 * @since 0.1.0
 * @category effects
 */
export const maxSubscriberNonceEffect = (
  params: MaxSubscriberNonceParameters
): Effect.Effect<number, ChainError.ChainError> =>
  Effect.gen(function* () {
    const address = yield* coordinatorAddress(params.coordinator)
    const owner = yield* Effect.try({ try: () => Validate.address("owner", params.owner), catch: Errors.asChainError })
    const client = yield* Rpc.resolveClient(params)
    return yield* Effect.tryPromise({
      try: () => readContract(client, { address, abi: abiV1, functionName: "maxSubscriberNonce", args: [owner] }),
      catch: readFailure("maxSubscriberNonce")
    })
  })

/**
 * Reads `maxSubscriberNonce(owner)`: the highest delegated-subscription nonce the Coordinator has seen for `owner`.
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * const max = await Coordinator.maxSubscriberNonce({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
 * })
 * ```
 * @since 0.1.0
 * @category reads
 */
export const maxSubscriberNonce = (params: MaxSubscriberNonceParameters & PromiseOptions): Promise<number> =>
  Run.runPromise(maxSubscriberNonceEffect(params), params)

/**
 * The default nonce of a new signature: `maxSubscriberNonce(owner) + 1`.
 *
 * @since 0.1.0
 * @category effects
 */
export const nextNonceEffect = (params: MaxSubscriberNonceParameters): Effect.Effect<number, ChainError.ChainError> =>
  Effect.flatMap(maxSubscriberNonceEffect(params), (max) =>
    max >= 0xffffffff
      ? Effect.fail(Errors.invalidSubscription("nonce", "cannot default: maxSubscriberNonce is already 2^32 - 1"))
      : Effect.succeed(max + 1)
  )

/**
 * The default nonce of a new signature: `maxSubscriberNonce(owner) + 1` (nonces may be used in any order; this one
 * has not been used yet).
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * const nonce = await Coordinator.nextNonce({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
 * })
 * ```
 * @since 0.1.0
 * @category reads
 */
export const nextNonce = (params: MaxSubscriberNonceParameters & PromiseOptions): Promise<number> =>
  Run.runPromise(nextNonceEffect(params), params)

/**
 * The EIP-712 domain a Coordinator reports: from EIP-5267's `eip712Domain()` (all four fields) or, failing that,
 * from its `EIP712_NAME()` / `EIP712_VERSION()` constants (name and version only).
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractDomain {
  readonly source: "eip712Domain" | "constants"
  readonly name: string
  readonly version: string
  readonly chainId?: number | undefined
  readonly verifyingContract?: Address | undefined
}

/**
 * Parameters of {@link readDomain}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadDomainParameters extends ClientParameters {
  /** The Coordinator address. */
  readonly coordinator: string
}

/** A read that reverted or returned nothing: the contract does not expose that function. */
const isMissingFunction = (cause: unknown): boolean =>
  cause instanceof BaseError &&
  cause.walk(
    (e) =>
      e instanceof ContractFunctionRevertedError ||
      e instanceof ContractFunctionZeroDataError ||
      (e instanceof BaseError && /^(AbiDecoding|PositionOutOfBounds)/.test(e.name))
  ) !== null

const tolerant = <A>(method: string, read: () => Promise<A>): Effect.Effect<A | undefined, ChainError.ChainError> =>
  Effect.tryPromise({ try: read, catch: (cause) => cause }).pipe(
    Effect.catchAll((cause) =>
      isMissingFunction(cause) ? Effect.succeed(undefined) : Effect.fail(Errors.rpcError(method, cause))
    )
  )

/**
 * Reads the EIP-712 domain the Coordinator signs with; `undefined` when it exposes neither `eip712Domain()` nor
 * `EIP712_NAME()` / `EIP712_VERSION()`.
 *
 * @since 0.1.0
 * @category effects
 */
export const readDomainEffect = (
  params: ReadDomainParameters
): Effect.Effect<ContractDomain | undefined, ChainError.ChainError> =>
  Effect.gen(function* () {
    const address = yield* coordinatorAddress(params.coordinator)
    const client = yield* Rpc.resolveClient(params)
    const eip5267 = yield* tolerant("eip712Domain", () =>
      readContract(client, { address, abi: abiV1, functionName: "eip712Domain" })
    )
    if (eip5267 !== undefined) {
      const [fields, name, version, chainId, verifyingContract] = eip5267
      const bits = Number.parseInt(fields, 16)
      return {
        source: "eip712Domain",
        name,
        version,
        ...(bits & 4 ? { chainId: Number(chainId) } : {}),
        ...(bits & 8 ? { verifyingContract } : {})
      } satisfies ContractDomain
    }
    const name = yield* tolerant("EIP712_NAME", () =>
      readContract(client, { address, abi: abiV1, functionName: "EIP712_NAME" })
    )
    const version = yield* tolerant("EIP712_VERSION", () =>
      readContract(client, { address, abi: abiV1, functionName: "EIP712_VERSION" })
    )
    if (name === undefined || version === undefined) return undefined
    return { source: "constants", name, version } satisfies ContractDomain
  })

/**
 * Reads the EIP-712 domain the Coordinator signs with; `undefined` when it exposes neither `eip712Domain()` nor
 * `EIP712_NAME()` / `EIP712_VERSION()`.
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * const domain = await Coordinator.readDomain({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
 * })
 * // { source: "constants", name: "InfernetCoordinator", version: "1" }
 * ```
 * @since 0.1.0
 * @category reads
 */
export const readDomain = (params: ReadDomainParameters & PromiseOptions): Promise<ContractDomain | undefined> =>
  Run.runPromise(readDomainEffect(params), params)

/**
 * Parameters of {@link checkDomain}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckDomainParameters extends ReadDomainParameters {
  /** The chain id the signature will use; read from the RPC when omitted. */
  readonly chainId?: number | undefined
}

/**
 * Fails with a `DomainMismatch` when the Coordinator reports an EIP-712 domain other than `InfernetCoordinator` /
 * `1` (or, via `eip712Domain()`, another chain id or verifying contract). Succeeds with the domain read, or
 * `undefined` when the contract does not expose it (nothing to check).
 *
 * @since 0.1.0
 * @category effects
 */
export const checkDomainEffect = (
  params: CheckDomainParameters
): Effect.Effect<ContractDomain | undefined, ChainError.ChainError> =>
  Effect.gen(function* () {
    const coordinator = yield* coordinatorAddress(params.coordinator)
    const domain = yield* readDomainEffect(params)
    if (domain === undefined) return undefined
    const mismatch = (field: ChainError.DomainMismatch["field"], expected: string, actual: string) =>
      new ChainError.ChainError({ reason: new ChainError.DomainMismatch({ coordinator, field, expected, actual }) })
    if (domain.name !== EIP712_NAME) return yield* mismatch("name", EIP712_NAME, domain.name)
    if (domain.version !== EIP712_VERSION) return yield* mismatch("version", EIP712_VERSION, domain.version)
    if (
      domain.verifyingContract !== undefined &&
      domain.verifyingContract.toLowerCase() !== coordinator.toLowerCase()
    ) {
      return yield* mismatch("verifyingContract", coordinator, domain.verifyingContract)
    }
    if (domain.chainId !== undefined) {
      const chainId = params.chainId ?? (yield* getChainIdEffect(params))
      if (domain.chainId !== chainId) return yield* mismatch("chainId", String(chainId), String(domain.chainId))
    }
    return domain
  })

/**
 * Rejects with a `DomainMismatch` when the Coordinator reports an EIP-712 domain other than `InfernetCoordinator` /
 * `1` (or, via `eip712Domain()`, another chain id or verifying contract). Resolves to the domain read, or
 * `undefined` when the contract does not expose it (nothing to check).
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * await Coordinator.checkDomain({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
 * })
 * ```
 * @since 0.1.0
 * @category reads
 */
export const checkDomain = (params: CheckDomainParameters & PromiseOptions): Promise<ContractDomain | undefined> =>
  Run.runPromise(checkDomainEffect(params), params)

/**
 * The EIP-712 domain name of every Infernet Coordinator.
 *
 * @since 0.1.0
 * @category constants
 */
export const EIP712_NAME = "InfernetCoordinator"

/**
 * The EIP-712 domain version of every Infernet Coordinator.
 *
 * @since 0.1.0
 * @category constants
 */
export const EIP712_VERSION = "1"

/**
 * The Coordinator's replay-guard key of `(owner, nonce)`: `keccak256(abi.encode(owner, nonce))`, the key of
 * `delegateCreatedIds`.
 *
 * @example
 * ```ts
 * import { Coordinator } from "@infernet/chain"
 * Coordinator.delegateKey("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", 1)
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const delegateKey = (owner: Address, nonce: number): Hex =>
  keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint32" }], [owner, nonce]))

/**
 * Parameters of {@link simulateCreateSubscriptionDelegatee}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulateCreateSubscriptionDelegateeParameters extends ClientParameters {
  /** The Coordinator address. */
  readonly coordinator: string
  /**
   * The signed subscription: the model (`Subscription.v0` / `v1`, camelCase; its `version` picks the ABI), or its
   * REST wire shape (`prepareDelegatedSubscription(...).subscription`, snake_case), converted with
   * `Subscription.fromWire`.
   */
  readonly subscription: Subscription.Subscription | Subscription.WireSubscription
  /** The signature and its nonce / expiry, as `signDelegatedSubscription` returns it. */
  readonly signature: Types.Signature
  /** The caller of the dry run (`from`); defaults to none. */
  readonly from?: Address | undefined
}

/**
 * The outcome of a successful dry run: the id the Coordinator would return, and whether `(owner, nonce)` was used
 * before (the Coordinator then returns the existing id and ignores the new subscription).
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulateCreateSubscriptionDelegateeReturnType {
  readonly subscriptionId: number
  readonly existed: boolean
}

const toBytes32 = (n: bigint): Hex => `0x${n.toString(16).padStart(64, "0")}`

const SHAPES =
  "a Subscription: the model from Subscription.v0(...) / Subscription.v1(...) (camelCase, with version), or the " +
  "REST wire shape of prepareDelegatedSubscription(...).subscription (snake_case; Subscription.fromWire converts it)"

/** The model of a subscription given as the model or its wire shape; anything else is `InvalidArgument`. */
const subscriptionArg = (value: unknown): Effect.Effect<Subscription.Subscription, ChainError.ChainError> =>
  Effect.suspend(() => {
    if (typeof value === "object" && value !== null) {
      const version = (value as { readonly version?: unknown }).version
      if (version === "v0" || version === "v1") return Effect.succeed(value as Subscription.Subscription)
      if ("active_at" in value) {
        return Effect.try({
          try: () => Subscription.fromWire(value),
          catch: (error) =>
            Errors.invalidArgument(
              "subscription",
              `is snake_case like the REST wire shape but does not fit it (${ChainError.isChainError(error) ? error.reason.message : String(error)}); expected ${SHAPES}`
            )
        })
      }
      if ("activeAt" in value) {
        return Effect.fail(
          Errors.invalidArgument(
            "subscription",
            `has no version ("v0" or "v1"): build it with Subscription.v0 / v1; expected ${SHAPES}`
          )
        )
      }
    }
    return Effect.fail(Errors.invalidArgument("subscription", `expected ${SHAPES}`))
  })

/**
 * Dry-runs (`eth_call`) `createSubscriptionDelegatee` with the signed subscription. Reverts fail with a
 * `SimulationReverted` reason whose `errorName` is the decoded custom error: `SignatureExpired`, `SignerMismatch` or
 * `InvalidSignature`.
 *
 * @since 0.1.0
 * @category effects
 */
export const simulateCreateSubscriptionDelegateeEffect = (
  params: SimulateCreateSubscriptionDelegateeParameters
): Effect.Effect<SimulateCreateSubscriptionDelegateeReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const address = yield* coordinatorAddress(params.coordinator)
    const sub = yield* subscriptionArg(params.subscription)
    const client = yield* Rpc.resolveClient(params)
    const sig = params.signature
    const r = toBytes32(sig.r)
    const s = toBytes32(sig.s)
    const account = params.from === undefined ? {} : { account: params.from }
    const run = (): Promise<readonly [number, boolean]> =>
      sub.version === "v0"
        ? simulateContract(client, {
            address,
            abi: abiV0,
            functionName: "createSubscriptionDelegatee",
            args: [sig.nonce, sig.expiry, Message.toMessageV0(sub), sig.v, r, s],
            ...account
          }).then((res) => res.result)
        : simulateContract(client, {
            address,
            abi: abiV1,
            functionName: "createSubscriptionDelegatee",
            args: [sig.nonce, sig.expiry, Message.toMessageV1(sub), sig.v, r, s],
            ...account
          }).then((res) => res.result)
    const [subscriptionId, existed] = yield* Effect.tryPromise({
      try: run,
      catch: (cause) => {
        // Any node's error shape (Geth / Anvil code 3, Ganache -32000, Nethermind -32015, Besu "Execution reverted").
        const revert = Tx.decodeRevert(cause, sub.version === "v0" ? abiV0 : abiV1)
        if (revert === undefined) return Errors.rpcError("createSubscriptionDelegatee", cause)
        const { errorName, selector, reason } = revert
        return Errors.withCause(
          new ChainError.ChainError({
            reason: new ChainError.SimulationReverted({
              coordinator: address,
              ...(errorName === undefined ? {} : { errorName }),
              ...(selector === undefined ? {} : { selector }),
              detail:
                errorName !== undefined
                  ? ""
                  : reason !== undefined
                    ? reason
                    : selector !== undefined
                      ? `error ${selector} is not one of the Coordinator's`
                      : "is the owner a contract that exposes its delegated signer?"
            })
          }),
          cause
        )
      }
    })
    return { subscriptionId, existed }
  })

/**
 * Dry-runs (`eth_call`) `createSubscriptionDelegatee` with the signed subscription, as a node would submit it.
 * Rejects with a `ChainError` whose `SimulationReverted` reason names the custom error (`SignatureExpired`,
 * `SignerMismatch`, `InvalidSignature`).
 *
 * @example
 * ```ts
 * import { Coordinator, DelegatedSubscription } from "@infernet/chain"
 * declare const subscription: import("@infernet/chain").Subscription.Subscription
 * declare const signature: DelegatedSubscription.Signature
 * const { subscriptionId, existed } = await Coordinator.simulateCreateSubscriptionDelegatee({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   subscription,
 *   signature
 * })
 * ```
 * @since 0.1.0
 * @category reads
 */
export const simulateCreateSubscriptionDelegatee = (
  params: SimulateCreateSubscriptionDelegateeParameters & PromiseOptions
): Promise<SimulateCreateSubscriptionDelegateeReturnType> =>
  Run.runPromise(simulateCreateSubscriptionDelegateeEffect(params), params)
