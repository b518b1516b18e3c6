/**
 * Infernet payment wallets (infernet-sdk 1.x `Wallet`): a contract, made by a `WalletFactory`, that holds ETH
 * (`token` = the zero address) and ERC20 tokens for its owner, lets consumer contracts (subscription owners) spend
 * up to an allowance, and escrows payments for the Coordinator. Here: `owner`, `allowance`, `balance`, and the
 * owner's writes `approve`, `withdraw` and `fund`, plus the payment check a paid generation-2 subscription needs.
 *
 * Every write simulates first (a revert fails before anything is sent), then sends, then waits for the receipt
 * (`timeoutMs`, default 60 s) and returns the hash and the decoded event. Reverts are typed `ChainError` reasons:
 * `NotOwner` (solady `Unauthorized()`), `InsufficientFunds`, `InsufficientAllowance`, `NotCoordinator`.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { type Address, zeroAddress } from "viem"
import { getBalance, readContract } from "viem/actions"
import * as Amount from "./Amount.js"
import * as ChainError from "./ChainError.js"
import * as Errors from "./internal/errors.js"
import * as Rpc from "./internal/rpc.js"
import * as Run from "./internal/run.js"
import * as Tx from "./internal/tx.js"
import type * as Types from "./internal/types.js"
import * as Validate from "./internal/validate.js"
import * as Registry from "./Registry.js"
import * as Token from "./Token.js"
import type * as Subscription from "./Subscription.js"
import * as WalletFactory from "./WalletFactory.js"

const noInputs = [] as const

const spenderTokenAmount = [
  { name: "spender", type: "address" },
  { name: "token", type: "address" },
  { name: "amount", type: "uint256" }
] as const

/**
 * The `Wallet` ABI (network.md): `owner`, `allowance`, `approve`, `withdraw`, solady `Ownable`'s
 * `transferOwnership`, the Coordinator-only `cLock` / `cUnlock` / `cTransfer`, their events, and the custom errors
 * `InsufficientFunds()`, `InsufficientAllowance()`, `Unauthorized()`, `NotCoordinator()`, `TransferFailed()`.
 *
 * @since 0.2.0
 * @category abi
 */
export const abi = [
  {
    type: "function",
    name: "owner",
    stateMutability: "view",
    inputs: noInputs,
    outputs: [{ name: "", type: "address" }]
  },
  {
    type: "function",
    name: "allowance",
    stateMutability: "view",
    inputs: [
      { name: "spender", type: "address" },
      { name: "token", type: "address" }
    ],
    outputs: [{ name: "", type: "uint256" }]
  },
  {
    type: "function",
    name: "approve",
    stateMutability: "nonpayable",
    inputs: spenderTokenAmount,
    outputs: []
  },
  {
    type: "function",
    name: "withdraw",
    stateMutability: "nonpayable",
    inputs: [
      { name: "token", type: "address" },
      { name: "amount", type: "uint256" }
    ],
    outputs: []
  },
  {
    type: "function",
    name: "transferOwnership",
    stateMutability: "payable",
    inputs: [{ name: "newOwner", type: "address" }],
    outputs: []
  },
  {
    type: "function",
    name: "cLock",
    stateMutability: "nonpayable",
    inputs: spenderTokenAmount,
    outputs: []
  },
  {
    type: "function",
    name: "cUnlock",
    stateMutability: "nonpayable",
    inputs: spenderTokenAmount,
    outputs: []
  },
  {
    type: "function",
    name: "cTransfer",
    stateMutability: "nonpayable",
    inputs: [
      { name: "spender", type: "address" },
      { name: "token", type: "address" },
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" }
    ],
    outputs: []
  },
  {
    type: "event",
    name: "Approval",
    inputs: [
      { name: "spender", type: "address", indexed: true },
      { name: "token", type: "address", indexed: false },
      { name: "amount", type: "uint256", indexed: false }
    ],
    anonymous: false
  },
  {
    type: "event",
    name: "Withdrawl",
    inputs: [
      { name: "token", type: "address", indexed: false },
      { name: "amount", type: "uint256", indexed: false }
    ],
    anonymous: false
  },
  {
    type: "event",
    name: "OwnershipTransferred",
    inputs: [
      { name: "oldOwner", type: "address", indexed: true },
      { name: "newOwner", type: "address", indexed: true }
    ],
    anonymous: false
  },
  { type: "error", name: "InsufficientFunds", inputs: noInputs },
  { type: "error", name: "InsufficientAllowance", inputs: noInputs },
  { type: "error", name: "Unauthorized", inputs: noInputs },
  { type: "error", name: "NotCoordinator", inputs: noInputs },
  { type: "error", name: "TransferFailed", inputs: noInputs }
] as const

/**
 * What every write accepts: where reads go (`publicClient` / `rpcUrl`), who sends (`account`, or a
 * `walletClient`), and how long to wait for the receipt (`timeoutMs`, `pollingIntervalMs`).
 *
 * @since 0.2.0
 * @category models
 */
export type WriteParameters = Tx.WriteParameters

/**
 * What a write returns: the transaction hash, the block it was mined in, and the decoded event.
 *
 * @since 0.2.0
 * @category models
 */
export type TransactionReturnType<E> = Types.TransactionReturnType<E>

/**
 * Parameters naming a wallet.
 *
 * @since 0.2.0
 * @category models
 */
export interface WalletParameters extends Rpc.ClientParameters {
  /** The wallet address. */
  readonly wallet: string
}

const arg = Validate.addressArgEffect
const tokenArg = Validate.tokenArgEffect

const readOwner = (client: Rpc.ClientParameters["publicClient"] & object, wallet: Address) =>
  Tx.read("owner", () => readContract(client, { address: wallet, abi, functionName: "owner" }))

/**
 * Reads `owner()`.
 *
 * @since 0.2.0
 * @category effects
 */
export const ownerEffect = (params: WalletParameters): Effect.Effect<Address, ChainError.ChainError> =>
  Effect.gen(function* () {
    const wallet = yield* arg("wallet", params.wallet)
    return yield* readOwner(yield* Rpc.resolveClient(params), wallet)
  })

/**
 * Reads `owner()`: who may approve spenders and withdraw.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * const owner = await Wallet.owner({ rpcUrl: "http://127.0.0.1:8545", wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be" })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const owner = (params: WalletParameters & Run.PromiseOptions): Promise<Address> =>
  Run.runPromise(ownerEffect(params), params)

/**
 * Parameters of {@link allowance}.
 *
 * @since 0.2.0
 * @category models
 */
export interface AllowanceParameters extends WalletParameters {
  /** The consumer contract allowed to spend (a subscription's `owner`). */
  readonly spender: string
  /** The ERC20 token; omitted or the zero address for ETH. */
  readonly token?: string | undefined
}

/**
 * Reads `allowance(spender, token)`.
 *
 * @since 0.2.0
 * @category effects
 */
export const allowanceEffect = (params: AllowanceParameters): Effect.Effect<bigint, ChainError.ChainError> =>
  Effect.gen(function* () {
    const wallet = yield* arg("wallet", params.wallet)
    const spender = yield* arg("spender", params.spender)
    const token = yield* tokenArg(params.token)
    const client = yield* Rpc.resolveClient(params)
    return yield* Tx.read("allowance", () =>
      readContract(client, { address: wallet, abi, functionName: "allowance", args: [spender, token] })
    )
  })

/**
 * Reads `allowance(spender, token)`: how much of `token` (ETH by default) the wallet lets `spender` spend, in
 * smallest units.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * const allowed = await Wallet.allowance({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
 *   spender: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const allowance = (params: AllowanceParameters & Run.PromiseOptions): Promise<bigint> =>
  Run.runPromise(allowanceEffect(params), params)

/**
 * Parameters of {@link balance}.
 *
 * @since 0.2.0
 * @category models
 */
export interface BalanceParameters extends WalletParameters {
  /** The ERC20 token; omitted or the zero address for ETH. */
  readonly token?: string | undefined
}

/**
 * Reads the wallet's balance (the Effect version of {@link balance}).
 *
 * @since 0.2.0
 * @category effects
 */
export const balanceEffect = (params: BalanceParameters): Effect.Effect<bigint, ChainError.ChainError> =>
  Effect.gen(function* () {
    const wallet = yield* arg("wallet", params.wallet)
    const token = yield* tokenArg(params.token)
    const client = yield* Rpc.resolveClient(params)
    if (token === zeroAddress) return yield* Tx.read("eth_getBalance", () => getBalance(client, { address: wallet }))
    return yield* Token.balanceOfEffect({ publicClient: client, token, account: wallet })
  })

/**
 * Reads the wallet's balance in smallest units: ETH (`eth_getBalance`) or an ERC20's `balanceOf(wallet)`. This is
 * the whole balance; the part the Coordinator holds in escrow is not readable, so a withdrawal may still fail with
 * `InsufficientFunds`.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * const wei = await Wallet.balance({ rpcUrl: "http://127.0.0.1:8545", wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be" })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const balance = (params: BalanceParameters & Run.PromiseOptions): Promise<bigint> =>
  Run.runPromise(balanceEffect(params), params)

/** Adds the wallet's owner to a NotOwner failure (best effort: the read may fail too). */
const withOwner = <A>(
  effect: Effect.Effect<A, ChainError.ChainError>,
  resolved: Tx.Resolved,
  wallet: Address
): Effect.Effect<A, ChainError.ChainError> =>
  Effect.catchIf(
    effect,
    (error) => error.reason._tag === "NotOwner",
    (error) =>
      readOwner(resolved.read, wallet).pipe(
        Effect.map(
          (owner) =>
            new ChainError.ChainError({
              reason: new ChainError.NotOwner({ ...(error.reason as ChainError.NotOwner), owner })
            })
        ),
        Effect.orElseSucceed(() => error),
        Effect.flatMap(Effect.fail)
      )
  )

/**
 * An owner-only write (`approve`, `withdraw`): the wallet, token and amount read, then simulated and sent as the
 * sender; a `NotOwner` failure names the owner.
 */
const ownerWrite = (
  params: WalletParameters & WriteParameters & { readonly token?: string | undefined; readonly amount: Amount.Input },
  functionName: "approve" | "withdraw",
  args: (token: Address, amount: bigint) => ReadonlyArray<unknown>
) =>
  Effect.gen(function* () {
    const wallet = yield* arg("wallet", params.wallet)
    const token = yield* tokenArg(params.token)
    const resolved = yield* Tx.resolve(params)
    const amount = yield* Amount.resolveEffect({ publicClient: resolved.read, token, amount: params.amount })
    const call = args(token, amount)
    const spender = functionName === "approve" ? { spender: call[0] as Address } : {}
    const written = yield* withOwner(
      Tx.write(resolved, params, {
        address: wallet,
        abi,
        functionName,
        args: call,
        context: { token, amount, ...spender }
      }),
      resolved,
      wallet
    )
    return { written, wallet, token, amount }
  })

/**
 * Parameters of {@link approve}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ApproveParameters extends WalletParameters, WriteParameters {
  /** The consumer contract to allow (the `owner` of the subscriptions this wallet pays for). */
  readonly spender: string
  /** The ERC20 token; omitted or the zero address for ETH. */
  readonly token?: string | undefined
  /** The new allowance (it replaces the old one): smallest units, or with a unit in the token's decimals. */
  readonly amount: Amount.Input
}

/**
 * The wallet's `Approval` event.
 *
 * @since 0.2.0
 * @category models
 */
export interface ApprovalEvent {
  readonly spender: Address
  readonly token: Address
  readonly amount: bigint
}

/**
 * Sets an allowance (the Effect version of {@link approve}).
 *
 * @since 0.2.0
 * @category effects
 */
export const approveEffect = (
  params: ApproveParameters
): Effect.Effect<TransactionReturnType<ApprovalEvent>, ChainError.ChainError> =>
  Effect.gen(function* () {
    const spender = yield* arg("spender", params.spender)
    const { written, wallet, token, amount } = yield* ownerWrite(params, "approve", (token, amount) => [
      spender,
      token,
      amount
    ])
    const event = Tx.eventOf(abi, written.receipt, wallet, "Approval") as ApprovalEvent | undefined
    return { hash: written.hash, blockNumber: written.receipt.blockNumber, event: event ?? { spender, token, amount } }
  })

/**
 * Lets `spender` (a consumer contract: the `owner` of your subscriptions) spend up to `amount` of `token` (ETH by
 * default) from the wallet. Sets, does not add. Only the wallet's owner may call it: anyone else fails with
 * `NotOwner`.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const { hash, event } = await Wallet.approve({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
 *   spender: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *   amount: "0.1 ether"
 * })
 * ```
 * @since 0.2.0
 * @category writes
 */
export const approve = (
  params: ApproveParameters & Run.PromiseOptions
): Promise<TransactionReturnType<ApprovalEvent>> => Run.runPromise(approveEffect(params), params)

/**
 * Parameters of {@link withdraw}.
 *
 * @since 0.2.0
 * @category models
 */
export interface WithdrawParameters extends WalletParameters, WriteParameters {
  /** The ERC20 token; omitted or the zero address for ETH. */
  readonly token?: string | undefined
  /** How much to send to the owner: smallest units, or with a unit in the token's decimals. */
  readonly amount: Amount.Input
}

/**
 * The wallet's withdrawal event (spelled `Withdrawl` in the contract).
 *
 * @since 0.2.0
 * @category models
 */
export interface WithdrawalEvent {
  readonly token: Address
  readonly amount: bigint
}

/**
 * Withdraws to the owner (the Effect version of {@link withdraw}).
 *
 * @since 0.2.0
 * @category effects
 */
export const withdrawEffect = (
  params: WithdrawParameters
): Effect.Effect<TransactionReturnType<WithdrawalEvent>, ChainError.ChainError> =>
  Effect.gen(function* () {
    const { written, wallet, token, amount } = yield* ownerWrite(params, "withdraw", (token, amount) => [
      token,
      amount
    ]).pipe(
      // Say how much could leave: the balance, which includes any escrow (the locked part is not readable).
      Effect.catchIf(
        (error) => error.reason._tag === "InsufficientFunds",
        (error) =>
          balanceEffect({ ...params, wallet: params.wallet, token: params.token }).pipe(
            Effect.map(
              (available) =>
                new ChainError.ChainError({
                  reason: new ChainError.InsufficientFunds({
                    ...(error.reason as ChainError.InsufficientFunds),
                    available,
                    detail: "more than the unlocked balance; the available figure includes any amount in escrow"
                  })
                })
            ),
            Effect.orElseSucceed(() => error),
            Effect.flatMap(Effect.fail)
          )
      )
    )
    const event = Tx.eventOf(abi, written.receipt, wallet, "Withdrawl") as WithdrawalEvent | undefined
    return { hash: written.hash, blockNumber: written.receipt.blockNumber, event: event ?? { token, amount } }
  })

/**
 * Sends `amount` of `token` (ETH by default) from the wallet to its owner. Only what is not escrowed can leave:
 * more fails with `InsufficientFunds` (nothing is sent); a caller other than the owner fails with `NotOwner`.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const { hash } = await Wallet.withdraw({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
 *   amount: "0.5 ether"
 * })
 * ```
 * @since 0.2.0
 * @category writes
 */
export const withdraw = (
  params: WithdrawParameters & Run.PromiseOptions
): Promise<TransactionReturnType<WithdrawalEvent>> => Run.runPromise(withdrawEffect(params), params)

/**
 * Parameters of {@link fund}.
 *
 * @since 0.2.0
 * @category models
 */
export interface FundParameters extends WalletParameters, WriteParameters {
  /** The ERC20 token; omitted or the zero address for ETH. */
  readonly token?: string | undefined
  /** How much to send: smallest units, or with a unit in the token's decimals. */
  readonly amount: Amount.Input
}

/**
 * What {@link fund} returns: the hash, the block, the token and amount sent, and for an ERC20 the token's
 * `Transfer` event (a plain ETH transfer emits none).
 *
 * @since 0.2.0
 * @category models
 */
export interface FundReturnType extends TransactionReturnType<Token.TransferEvent | undefined> {
  readonly token: Address
  readonly amount: bigint
}

/**
 * Funds a wallet (the Effect version of {@link fund}).
 *
 * @since 0.2.0
 * @category effects
 */
export const fundEffect = (params: FundParameters): Effect.Effect<FundReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const wallet = yield* arg("wallet", params.wallet)
    const token = yield* tokenArg(params.token)
    if (token !== zeroAddress) {
      const sent = yield* Token.transferEffect({ ...params, token, to: wallet })
      return { ...sent, token, amount: sent.event.amount }
    }
    const resolved = yield* Tx.resolve(params)
    const amount = yield* Amount.resolveEffect({ publicClient: resolved.read, amount: params.amount })
    const written = yield* Tx.sendValue(resolved, params, wallet, amount)
    return { hash: written.hash, blockNumber: written.receipt.blockNumber, event: undefined, token, amount }
  })

/**
 * Sends `amount` to the wallet from the sender: ETH by a plain transfer (the wallet's `receive()`), an ERC20 by the
 * token's `transfer(wallet, amount)`. Anyone may fund any wallet.
 *
 * @example
 * ```ts
 * import { Wallet } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const { hash } = await Wallet.fund({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
 *   wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
 *   amount: "1 ether"
 * })
 * ```
 * @since 0.2.0
 * @category writes
 */
export const fund = (params: FundParameters & Run.PromiseOptions): Promise<FundReturnType> =>
  Run.runPromise(fundEffect(params), params)

/**
 * Parameters of {@link checkPayment}: the payment fields of a generation-2 subscription (or the subscription
 * itself), and where the WalletFactory is: `walletFactory`, or the `registry` it is read from.
 *
 * @since 0.2.0
 * @category models
 */
export interface CheckPaymentParameters extends Rpc.ClientParameters {
  /** The subscription whose `wallet`, `owner`, `paymentToken` and `paymentAmount` are checked. */
  readonly subscription: Subscription.SubscriptionV1
  /** The Registry (Ritual publishes one address per chain); its `WALLET_FACTORY()` is used. */
  readonly registry?: string | undefined
  /** The WalletFactory, when known (skips the Registry read). */
  readonly walletFactory?: string | undefined
  /** When set, the Registry must name this Coordinator (`COORDINATOR()`), else the check fails. */
  readonly coordinator?: string | undefined
}

/**
 * What a passed payment check found.
 *
 * @since 0.2.0
 * @category models
 */
export interface CheckPaymentReturnType {
  readonly wallet: Address
  readonly walletFactory: Address
  readonly spender: Address
  readonly token: Address
  readonly required: bigint
  readonly allowance: bigint
}

/**
 * Checks a paid subscription's wallet (the Effect version of {@link checkPayment}).
 *
 * @since 0.2.0
 * @category effects
 */
export const checkPaymentEffect = (
  params: CheckPaymentParameters
): Effect.Effect<CheckPaymentReturnType, ChainError.ChainError> =>
  Effect.gen(function* () {
    const sub = params.subscription
    const client = yield* Rpc.resolveClient(params)
    let walletFactory: Address
    if (params.walletFactory !== undefined) walletFactory = yield* arg("walletFactory", params.walletFactory)
    else if (params.registry !== undefined) {
      const registry = yield* Registry.readEffect({ publicClient: client, registry: params.registry })
      if (params.coordinator !== undefined) {
        const coordinator = yield* arg("coordinator", params.coordinator)
        if (registry.coordinator !== coordinator) {
          return yield* Effect.fail(
            Errors.invalidArgument(
              "registry",
              `${params.registry} is the Registry of the Coordinator ${registry.coordinator}, not of ${coordinator}`
            )
          )
        }
      }
      walletFactory = registry.walletFactory
    } else {
      return yield* Effect.fail(
        Errors.invalidArgument(
          "registry",
          "is needed to check the payment of a paid subscription (that its wallet is an Infernet wallet and has " +
            "approved the owner): pass registry (the Registry address Ritual publishes), or walletFactory, or " +
            "checkPayment: false to sign without the check"
        )
      )
    }
    const valid = yield* WalletFactory.isValidWalletEffect({
      publicClient: client,
      factory: walletFactory,
      wallet: sub.wallet
    })
    if (!valid) {
      return yield* Effect.fail(
        new ChainError.ChainError({
          reason: new ChainError.InvalidWallet({
            wallet: sub.wallet,
            factory: walletFactory,
            detail:
              sub.wallet === zeroAddress
                ? "the subscription asks for a payment but names no wallet"
                : "the Coordinator accepts only its WalletFactory's wallets; create one with WalletFactory.createWallet"
          })
        })
      )
    }
    const allowed = yield* allowanceEffect({
      publicClient: client,
      wallet: sub.wallet,
      spender: sub.owner,
      token: sub.paymentToken
    })
    if (allowed < sub.paymentAmount) {
      return yield* Effect.fail(
        new ChainError.ChainError({
          reason: new ChainError.InsufficientAllowance({
            contract: sub.wallet,
            spender: sub.owner,
            token: sub.paymentToken,
            required: sub.paymentAmount,
            allowance: allowed,
            detail: `the wallet's owner must approve at least ${sub.paymentAmount}: Wallet.approve or infernet-client approve`
          })
        })
      )
    }
    return {
      wallet: sub.wallet,
      walletFactory,
      spender: sub.owner,
      token: sub.paymentToken,
      required: sub.paymentAmount,
      allowance: allowed
    }
  })

/**
 * Checks what a paid generation-2 subscription needs before it is signed: its `wallet` was made by the Registry's
 * WalletFactory (else `InvalidWallet`), and that wallet lets the subscription `owner` spend at least
 * `paymentAmount` of `paymentToken` (else `InsufficientAllowance` with the allowance found and the amount needed).
 * Each delivery spends `paymentAmount`: approve more for recurring or redundant subscriptions.
 * `DelegatedSubscription.prepareDelegatedSubscription` runs it for you.
 *
 * @example
 * ```ts
 * import { Subscription, Wallet } from "@infernet/chain"
 * await Wallet.checkPayment({
 *   rpcUrl: "http://127.0.0.1:8545",
 *   registry: "0x9A676e781A523b5d0C0e43731313A708CB607508",
 *   subscription: Subscription.v1({
 *     owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *     activeAt: 0, period: 0, frequency: 1, redundancy: 1,
 *     containers: ["hello-world"],
 *     paymentAmount: 10n ** 15n,
 *     wallet: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be"
 *   })
 * })
 * ```
 * @since 0.2.0
 * @category reads
 */
export const checkPayment = (params: CheckPaymentParameters & Run.PromiseOptions): Promise<CheckPaymentReturnType> =>
  Run.runPromise(checkPaymentEffect(params), params)
