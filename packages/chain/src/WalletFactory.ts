/**
 * The Infernet `WalletFactory` (infernet-sdk 1.x): creates payment wallets and tells whether an address is one of
 * its wallets (a paid subscription's `wallet` must be).
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { type Address, isAddressEqual } from "viem"
import { readContract } from "viem/actions"
import * as ChainError from "./ChainError.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Tx from "./internal/tx.js"
import type * as Types from "./internal/types.js"
import * as Validate from "./internal/validate.js"

/**
 * The `WalletFactory` ABI: `createWallet(address initialOwner) returns (address)`, `isValidWallet(address)` and the
 * `WalletCreated(address indexed caller, address indexed owner, address wallet)` event.
 *
 * @since 0.2.0
 * @category abi
 */
export const abi = [
  {
    type: "function",
    name: "createWallet",
    stateMutability: "nonpayable",
    inputs: [{ name: "initialOwner", type: "address" }],
    outputs: [{ name: "", type: "address" }]
  },
  {
    type: "function",
    name: "isValidWallet",
    stateMutability: "view",
    inputs: [{ name: "wallet", type: "address" }],
    outputs: [{ name: "", type: "bool" }]
  },
  {
    type: "event",
    name: "WalletCreated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "owner", type: "address", indexed: true },
      { name: "wallet", type: "address", indexed: false }
    ],
    anonymous: false
  }
] as const

const arg = Validate.addressArgEffect

/**
 * Parameters of {@link createWallet}.
 *
 * @since 0.2.0
 * @category models
 */
export interface CreateWalletParameters extends Tx.WriteParameters {
  /** The WalletFactory address (e.g. `Registry.read(...).walletFactory`). */
  readonly factory: string
  /** The new wallet's owner; defaults to the sender. */
  readonly owner?: string | undefined
}

/**
 * The `WalletCreated` event.
 *
 * @since 0.2.0
 * @category models
 */
export interface WalletCreatedEvent {
  readonly caller: Address
  readonly owner: Address
  readonly wallet: Address
}

/**
 * What {@link createWallet} returns: the new wallet and its owner, the hash, the block and the event.
 *
 * @since 0.2.0
 * @category models
 */
export interface CreateWalletReturnType extends Types.TransactionReturnType<WalletCreatedEvent> {
  readonly wallet: Address
  readonly owner: Address
}

/**
 * Creates a wallet (the Effect version of {@link createWallet}).
 *
 * @since 0.2.0
 * @category effects
 */
export const createWalletEffect = (
  params: CreateWalletParameters
): Effect.Effect<CreateWalletReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const factory = yield* arg("factory", params.factory)
    const resolved = yield* Tx.resolve(params)
    const owner = params.owner === undefined ? resolved.sender : yield* arg("owner", params.owner)
    const written = yield* Tx.write<Address>(resolved, params, {
      address: factory,
      abi,
      functionName: "createWallet",
      args: [owner]
    })
    const event = Tx.eventOf(abi, written.receipt, factory, "WalletCreated") as WalletCreatedEvent | undefined
    const mismatch = (detail: string) =>
      new ChainError.ChainError({
        reason: new ChainError.TransactionReverted({
          contract: factory,
          functionName: "createWallet",
          hash: written.hash,
          detail
        })
      })
    if (event === undefined)
      return yield* Effect.fail(mismatch("no WalletCreated event in the receipt: is this a WalletFactory?"))
    if (!isAddressEqual(event.owner, owner)) {
      return yield* Effect.fail(mismatch(`the WalletCreated event names the owner ${event.owner}, not ${owner}`))
    }
    // Cross-check with the simulation, which predicted the address (CREATE from the factory's nonce). Another wallet
    // created first in the same block moves it; then the factory itself must vouch for the event's address.
    if (!isAddressEqual(event.wallet, written.result)) {
      const valid = yield* isValidWalletEffect({ publicClient: resolved.read, factory, wallet: event.wallet })
      if (!valid) {
        return yield* Effect.fail(
          mismatch(
            `the WalletCreated event names ${event.wallet}, which the factory does not know (the simulation ` +
              `predicted ${written.result})`
          )
        )
      }
    }
    return {
      hash: written.hash,
      blockNumber: written.receipt.blockNumber,
      event,
      wallet: event.wallet,
      owner: event.owner
    }
  })

/**
 * Creates a payment wallet owned by `owner` (the sender by default): simulates `createWallet` (which predicts the
 * address), sends it, and reads the address from the `WalletCreated` event in the receipt.
 *
 * @example
 * ```ts
 * import { WalletFactory } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const { wallet, owner, hash } = await WalletFactory.createWallet({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   factory: "0x0165878A594ca255338adfa4d48449f69242Eb8F"
 * })
 * ```
 * @since 0.2.0
 * @category writes
 */
export const createWallet = (params: CreateWalletParameters & Run.PromiseOptions): Promise<CreateWalletReturnType> =>
  Run.runPromise(createWalletEffect(params), params)

/**
 * Parameters of {@link isValidWallet}.
 *
 * @since 0.2.0
 * @category models
 */
export interface IsValidWalletParameters extends Rpc.ClientParameters {
  /** The WalletFactory address. */
  readonly factory: string
  /** The address to check. */
  readonly wallet: string
}

/**
 * Tells whether the factory made `wallet` (the Effect version of {@link isValidWallet}).
 *
 * @since 0.2.0
 * @category effects
 */
export const isValidWalletEffect = (params: IsValidWalletParameters): Effect.Effect<boolean, ChainError.ChainError> =>
  Effect.gen(function* () {
    const factory = yield* arg("factory", params.factory)
    const wallet = yield* arg("wallet", params.wallet)
    const client = yield* Rpc.resolveClient(params)
    return yield* Tx.read("isValidWallet", () =>
      readContract(client, { address: factory, abi, functionName: "isValidWallet", args: [wallet] })
    )
  })

/**
 * Tells whether the factory made `wallet` (`isValidWallet`): a paid subscription's wallet must be one.
 *
 * @example
 * ```ts
 * import { WalletFactory } from "@infernet/chain"
 * const ok = await WalletFactory.isValidWallet({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   factory: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
 *   wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be"
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const isValidWallet = (params: IsValidWalletParameters & Run.PromiseOptions): Promise<boolean> =>
  Run.runPromise(isValidWalletEffect(params), params)
