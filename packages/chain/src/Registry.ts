/**
 * The Infernet `Registry` (infernet-sdk 1.x): the one address Ritual publishes per chain, from which the
 * Coordinator, Inbox, Reader, Fee and WalletFactory addresses are read (immutable getters).
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import type { Address } from "viem"
import { readContract } from "viem/actions"
import type * as ChainError from "./ChainError.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Tx from "./internal/tx.js"
import * as Validate from "./internal/validate.js"

const getter = <const N extends string>(name: N) =>
  ({
    type: "function",
    name,
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }]
  }) as const

/**
 * The `Registry` ABI: `COORDINATOR()`, `INBOX()`, `READER()`, `FEE()`, `WALLET_FACTORY()`.
 *
 * @since 0.2.0
 * @category abi
 */
export const abi = [
  getter("COORDINATOR"),
  getter("INBOX"),
  getter("READER"),
  getter("FEE"),
  getter("WALLET_FACTORY")
] as const

/**
 * Parameters of {@link read}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReadParameters extends Rpc.ClientParameters {
  /** The Registry address. */
  readonly registry: string
}

/**
 * The addresses a Registry holds.
 *
 * @since 0.2.0
 * @category models
 */
export interface Contracts {
  readonly coordinator: Address
  readonly inbox: Address
  readonly reader: Address
  readonly fee: Address
  readonly walletFactory: Address
}

/**
 * Reads the Registry's addresses (the Effect version of {@link read}).
 *
 * @since 0.2.0
 * @category effects
 */
export const readEffect = (params: ReadParameters): Effect.Effect<Contracts, ChainError.ChainError> =>
  Effect.gen(function* () {
    const address = yield* Validate.addressArgEffect("registry", params.registry)
    const client = yield* Rpc.resolveClient(params)
    const get = (functionName: (typeof abi)[number]["name"]) =>
      Tx.read(functionName, () => readContract(client, { address, abi, functionName }))
    return yield* Effect.all(
      {
        coordinator: get("COORDINATOR"),
        inbox: get("INBOX"),
        reader: get("READER"),
        fee: get("FEE"),
        walletFactory: get("WALLET_FACTORY")
      },
      { concurrency: "unbounded" }
    )
  })

/**
 * Reads the Coordinator, Inbox, Reader, Fee and WalletFactory addresses from a Registry, so one published address
 * is enough to start from.
 *
 * @example
 * ```ts
 * import { Registry } from "@infernet/chain"
 * const { coordinator, walletFactory } = await Registry.read({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   registry: "0x9A676e781A523b5d0C0e43731313A708CB607508"
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const read = (params: ReadParameters & Run.PromiseOptions): Promise<Contracts> =>
  Run.runPromise(readEffect(params), params)
