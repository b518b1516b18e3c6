/**
 * ERC20 tokens, as Infernet payments use them: `balanceOf`, `decimals`, `symbol`, and `transfer` (how a wallet is
 * funded with a token). The transfer is simulated first, then sent; its receipt's `Transfer` event is returned.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import type { Address } from "viem"
import { readContract } from "viem/actions"
import * as Amount from "./Amount.js"
import type * as ChainError from "./ChainError.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Tx from "./internal/tx.js"
import type * as Types from "./internal/types.js"
import * as Validate from "./internal/validate.js"

/**
 * The ERC20 ABI this package calls: `name`, `symbol`, `decimals`, `balanceOf`, `transfer`, the `Transfer` event,
 * and solady's / OpenZeppelin 5's balance and allowance errors.
 *
 * @since 0.2.0
 * @category abi
 */
export const abi = [
  { type: "function", name: "name", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
  { type: "function", name: "symbol", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
  { type: "function", name: "decimals", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "uint8" }] },
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }]
  },
  {
    type: "function",
    name: "transfer",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" }
    ],
    outputs: [{ name: "", type: "bool" }]
  },
  {
    type: "event",
    name: "Transfer",
    inputs: [
      { name: "from", type: "address", indexed: true },
      { name: "to", type: "address", indexed: true },
      { name: "amount", type: "uint256", indexed: false }
    ],
    anonymous: false
  },
  { type: "error", name: "InsufficientBalance", inputs: [] },
  { type: "error", name: "InsufficientAllowance", inputs: [] },
  {
    type: "error",
    name: "ERC20InsufficientBalance",
    inputs: [
      { name: "sender", type: "address" },
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" }
    ]
  }
] as const

/**
 * Parameters of the token reads.
 *
 * @since 0.2.0
 * @category models
 */
export interface TokenParameters extends Rpc.ClientParameters {
  /** The ERC20 token address. */
  readonly token: string
}

const tokenAddress = (params: TokenParameters): Effect.Effect<Address, ChainError.ChainError> =>
  Validate.addressArgEffect("token", params.token)

const readToken = <const F extends "name" | "symbol" | "decimals">(params: TokenParameters, functionName: F) =>
  Effect.gen(function* () {
    const address = yield* tokenAddress(params)
    const client = yield* Rpc.resolveClient(params)
    return yield* Tx.read(functionName, () => readContract(client, { address, abi, functionName }))
  })

/**
 * Parameters of {@link balanceOf}.
 *
 * @since 0.2.0
 * @category models
 */
export interface BalanceOfParameters extends TokenParameters {
  /** Whose balance (an account or a wallet). */
  readonly account: string
}

/**
 * Reads `balanceOf(account)` in the token's smallest units.
 *
 * @since 0.2.0
 * @category effects
 */
export const balanceOfEffect = (params: BalanceOfParameters): Effect.Effect<bigint, ChainError.ChainError> =>
  Effect.gen(function* () {
    const address = yield* tokenAddress(params)
    const account = yield* Validate.addressArgEffect("account", params.account)
    const client = yield* Rpc.resolveClient(params)
    return yield* Tx.read("balanceOf", () =>
      readContract(client, { address, abi, functionName: "balanceOf", args: [account] })
    )
  })

/**
 * Reads `balanceOf(account)` in the token's smallest units.
 *
 * @example
 * ```ts
 * import { Token } from "@infernet/chain"
 * const balance = await Token.balanceOf({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const balanceOf = (params: BalanceOfParameters & Run.PromiseOptions): Promise<bigint> =>
  Run.runPromise(balanceOfEffect(params), params)

/**
 * Reads `decimals()`.
 *
 * @since 0.2.0
 * @category effects
 */
export const decimalsEffect = (params: TokenParameters): Effect.Effect<number, ChainError.ChainError> =>
  readToken(params, "decimals")

/**
 * Reads `decimals()`: how many decimal places a whole token has (6 for USDC, 18 for most).
 *
 * @example
 * ```ts
 * import { Token } from "@infernet/chain"
 * const decimals = await Token.decimals({ rpcUrl: "http://127.0.0.1:8545", token: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const decimals = (params: TokenParameters & Run.PromiseOptions): Promise<number> =>
  Run.runPromise(decimalsEffect(params), params)

/**
 * Reads `symbol()`.
 *
 * @since 0.2.0
 * @category effects
 */
export const symbolEffect = (params: TokenParameters): Effect.Effect<string, ChainError.ChainError> =>
  readToken(params, "symbol")

/**
 * Reads `symbol()`.
 *
 * @example
 * ```ts
 * import { Token } from "@infernet/chain"
 * const symbol = await Token.symbol({ rpcUrl: "http://127.0.0.1:8545", token: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const symbol = (params: TokenParameters & Run.PromiseOptions): Promise<string> =>
  Run.runPromise(symbolEffect(params), params)

/**
 * Parameters of {@link transfer}.
 *
 * @since 0.2.0
 * @category models
 */
export interface TransferParameters extends TokenParameters, Tx.WriteParameters {
  /** The recipient (e.g. an Infernet wallet, to fund it). */
  readonly to: string
  /** The amount: smallest units, or with a unit / decimal point in the token's own decimals (see `Amount`). */
  readonly amount: Amount.Input
}

/**
 * The `Transfer` event of a token transfer.
 *
 * @since 0.2.0
 * @category models
 */
export interface TransferEvent {
  readonly from: Address
  readonly to: Address
  readonly amount: bigint
}

/**
 * What {@link transfer} returns: the transaction hash, its block, and the decoded `Transfer` event.
 *
 * @since 0.2.0
 * @category models
 */
export type TransferReturnType = Types.TransactionReturnType<TransferEvent>

/**
 * Transfers tokens (the Effect version of {@link transfer}).
 *
 * @since 0.2.0
 * @category effects
 */
export const transferEffect = (params: TransferParameters): Effect.Effect<TransferReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const token = yield* tokenAddress(params)
    const to = yield* Validate.addressArgEffect("to", params.to)
    const resolved = yield* Tx.resolve(params)
    const amount = yield* Amount.resolveEffect({ publicClient: resolved.read, token, amount: params.amount })
    const written = yield* Tx.write(resolved, params, {
      address: token,
      abi,
      functionName: "transfer",
      args: [to, amount],
      context: { token, amount }
    })
    const event = Tx.eventOf(abi, written.receipt, token, "Transfer") as TransferEvent | undefined
    return {
      hash: written.hash,
      blockNumber: written.receipt.blockNumber,
      event: event ?? { from: resolved.sender, to, amount }
    }
  })

/**
 * Transfers `amount` of the token to `to` (`transfer(to, amount)`): simulated first, then sent; resolves once mined
 * with the hash and the `Transfer` event. Fails with `InsufficientFunds` when the sender holds less.
 *
 * @example
 * ```ts
 * import { Token } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const { hash, event } = await Token.transfer({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   to: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
 *   amount: "1.5"
 * })
 * ```
 * @since 0.2.0
 * @category writes
 */
export const transfer = (params: TransferParameters & Run.PromiseOptions): Promise<TransferReturnType> =>
  Run.runPromise(transferEffect(params), params)
