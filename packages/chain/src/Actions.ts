/**
 * viem-style client decorators: extend a viem `PublicClient` with the Infernet reads and a `WalletClient` with the
 * Infernet writes and signing, as viem's own `publicActions` / `walletActions` do. Each action delegates to the
 * module function of the same purpose (`Coordinator.nextNonce`, `Wallet.fund`, ...) with the client filled in, so
 * parameters, results and errors (`ChainError`) are the same.
 *
 * @example
 * ```ts
 * import { Actions } from "@infernet/chain"
 * import { createPublicClient, createWalletClient, http } from "viem"
 * import { privateKeyToAccount } from "viem/accounts"
 * import { foundry } from "viem/chains"
 *
 * const publicClient = createPublicClient({ chain: foundry, transport: http() }).extend(Actions.infernetActions())
 * const walletClient = createWalletClient({
 *   account: privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
 *   chain: foundry,
 *   transport: http()
 * }).extend(Actions.infernetWalletActions())
 *
 * const nonce = await publicClient.nextNonce({
 *   coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
 * })
 * const { wallet } = await walletClient.createWallet({ factory: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707" })
 * await walletClient.fund({ wallet, amount: "0.01 ether" })
 * console.log(nonce, await publicClient.getWalletBalance({ wallet }))
 * ```
 *
 * @since 0.3.0
 */
import type { Account, Address, Chain, Client, Transport, WalletClient } from "viem"
import { walletActions } from "viem"
import * as Coordinator from "./Coordinator.js"
import * as DelegatedSubscription from "./DelegatedSubscription.js"
import type * as Run from "./internal/run.js"
import type * as Tx from "./internal/tx.js"
import * as Registry from "./Registry.js"
import type * as Subscription from "./Subscription.js"
import * as Wallet from "./Wallet.js"
import * as WalletFactory from "./WalletFactory.js"

/** The parameters of a read action: the module function's, without where reads go (the client is that). */
type Read<P> = Omit<P, "publicClient" | "rpcUrl"> & Run.PromiseOptions

/**
 * The parameters of a write action: the module function's, without the clients. `account` defaults to the wallet
 * client's account; `publicClient` may still name another client for the simulation and the receipt (by default the
 * wallet client's own transport serves them).
 */
type Write<P> = Omit<P, keyof Tx.WriteParameters> &
  Pick<Tx.WriteParameters, "account" | "publicClient" | "timeoutMs" | "pollingIntervalMs"> &
  Run.PromiseOptions

// Types, not interfaces: viem's `extend` wants record types (an index signature), which interfaces do not give.
/**
 * The reads `infernetActions()` adds to a viem client.
 *
 * @since 0.3.0
 * @category models
 */
export type InfernetActions = {
  /** The highest nonce `owner` has used on `coordinator` (`Coordinator.maxSubscriberNonce`). */
  readonly maxSubscriberNonce: (params: Read<Coordinator.MaxSubscriberNonceParameters>) => Promise<number>
  /** `maxSubscriberNonce + 1`: the nonce to sign next (`Coordinator.nextNonce`). */
  readonly nextNonce: (params: Read<Coordinator.MaxSubscriberNonceParameters>) => Promise<number>
  /** The Coordinator's EIP-712 domain, `undefined` when it exposes none (`Coordinator.readDomain`). */
  readonly readDomain: (
    params: Read<Coordinator.ReadDomainParameters>
  ) => Promise<Coordinator.ContractDomain | undefined>
  /** Fails with `DomainMismatch` when the Coordinator reports another domain (`Coordinator.checkDomain`). */
  readonly checkDomain: (
    params: Read<Coordinator.CheckDomainParameters>
  ) => Promise<Coordinator.ContractDomain | undefined>
  /** Dry-runs `createSubscriptionDelegatee` (`eth_call`) (`Coordinator.simulateCreateSubscriptionDelegatee`). */
  readonly simulateCreateSubscriptionDelegatee: (
    params: Read<Coordinator.SimulateCreateSubscriptionDelegateeParameters>
  ) => Promise<Coordinator.SimulateCreateSubscriptionDelegateeReturnType>
  /** The contracts a Registry names (`Registry.read`). */
  readonly readRegistry: (params: Read<Registry.ReadParameters>) => Promise<Registry.Contracts>
  /** An Infernet wallet's balance of ETH, or of `token` (`Wallet.balance`). */
  readonly getWalletBalance: (params: Read<Wallet.BalanceParameters>) => Promise<bigint>
  /** What `spender` may spend from an Infernet wallet (`Wallet.allowance`). */
  readonly getWalletAllowance: (params: Read<Wallet.AllowanceParameters>) => Promise<bigint>
  /** An Infernet wallet's owner (`Wallet.owner`). */
  readonly getWalletOwner: (params: Read<Wallet.WalletParameters>) => Promise<Address>
  /** Whether `factory` made `wallet` (`WalletFactory.isValidWallet`). */
  readonly isValidWallet: (params: Read<WalletFactory.IsValidWalletParameters>) => Promise<boolean>
  /** The payment check of a paid subscription (`Wallet.checkPayment`). */
  readonly checkPayment: (params: Read<Wallet.CheckPaymentParameters>) => Promise<Wallet.CheckPaymentReturnType>
}

/**
 * The writes and signing `infernetWalletActions()` adds to a viem wallet client.
 *
 * @since 0.3.0
 * @category models
 */
export type InfernetWalletActions = {
  /** Creates an Infernet wallet, owned by `owner` or the sender (`WalletFactory.createWallet`). */
  readonly createWallet: (
    params: Write<WalletFactory.CreateWalletParameters>
  ) => Promise<WalletFactory.CreateWalletReturnType>
  /** Sends ETH or `token` to an Infernet wallet (`Wallet.fund`). */
  readonly fund: (params: Write<Wallet.FundParameters>) => Promise<Wallet.FundReturnType>
  /** Sets what `spender` may spend from the wallet (`Wallet.approve`; the owner only). */
  readonly approve: (
    params: Write<Wallet.ApproveParameters>
  ) => Promise<Wallet.TransactionReturnType<Wallet.ApprovalEvent>>
  /** Takes unlocked funds back to the owner (`Wallet.withdraw`; the owner only). */
  readonly withdraw: (
    params: Write<Wallet.WithdrawParameters>
  ) => Promise<Wallet.TransactionReturnType<Wallet.WithdrawalEvent>>
  /**
   * Signs a delegated subscription with the client's account (`DelegatedSubscription.signDelegatedSubscription`);
   * `chainId` defaults to the client's chain.
   */
  readonly signDelegatedSubscription: (
    params: Omit<DelegatedSubscription.SignDelegatedSubscriptionParameters, "walletClient" | "chainId"> & {
      readonly chainId?: Subscription.Integer | undefined
    } & Run.PromiseOptions
  ) => Promise<DelegatedSubscription.SignDelegatedSubscriptionReturnType>
  /**
   * Reads the nonce, checks the domain and the payment, signs with the client's account and returns the REST body
   * (`DelegatedSubscription.prepareDelegatedSubscription`); `chainId` defaults to the client's chain.
   */
  readonly prepareDelegatedSubscription: (
    params: Omit<DelegatedSubscription.PrepareDelegatedSubscriptionParameters, "walletClient" | "rpcUrl"> &
      Run.PromiseOptions
  ) => Promise<DelegatedSubscription.PrepareDelegatedSubscriptionReturnType>
}

/**
 * A decorator for `client.extend(...)`: the Infernet reads on any viem client with a transport (a `PublicClient`,
 * or a `WalletClient`, whose transport answers `eth_call` too).
 *
 * @example
 * ```ts
 * import { Actions } from "@infernet/chain"
 * import { createPublicClient, http } from "viem"
 * import { foundry } from "viem/chains"
 *
 * const client = createPublicClient({ chain: foundry, transport: http() }).extend(Actions.infernetActions())
 * const domain = await client.readDomain({ coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" })
 * ```
 * @since 0.3.0
 * @category constructors
 */
export const infernetActions =
  () =>
  <transport extends Transport, chain extends Chain | undefined, account extends Account | undefined>(
    client: Client<transport, chain, account>
  ): InfernetActions => {
    const on = <P>(params: P) => ({ ...params, publicClient: client as Client })
    return {
      maxSubscriberNonce: (params) => Coordinator.maxSubscriberNonce(on(params)),
      nextNonce: (params) => Coordinator.nextNonce(on(params)),
      readDomain: (params) => Coordinator.readDomain(on(params)),
      checkDomain: (params) => Coordinator.checkDomain(on(params)),
      simulateCreateSubscriptionDelegatee: (params) => Coordinator.simulateCreateSubscriptionDelegatee(on(params)),
      readRegistry: (params) => Registry.read(on(params)),
      getWalletBalance: (params) => Wallet.balance(on(params)),
      getWalletAllowance: (params) => Wallet.allowance(on(params)),
      getWalletOwner: (params) => Wallet.owner(on(params)),
      isValidWallet: (params) => WalletFactory.isValidWallet(on(params)),
      checkPayment: (params) => Wallet.checkPayment(on(params))
    }
  }

/**
 * A decorator for `walletClient.extend(...)`: the Infernet writes and signing, sent and signed by the client's
 * account (or the `account` a call names). Simulations and receipts go through the wallet client's transport unless
 * a call names a `publicClient`.
 *
 * @example
 * ```ts
 * import { Actions } from "@infernet/chain"
 * import { createWalletClient, http } from "viem"
 * import { privateKeyToAccount } from "viem/accounts"
 * import { foundry } from "viem/chains"
 *
 * const client = createWalletClient({
 *   account: privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
 *   chain: foundry,
 *   transport: http()
 * }).extend(Actions.infernetWalletActions())
 * const approved = await client.approve({
 *   wallet: "0x75537828f2ce51be7289709686A69CbFDbB714F1",
 *   spender: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
 *   amount: "0.01 ether"
 * })
 * ```
 * @since 0.3.0
 * @category constructors
 */
export const infernetWalletActions =
  () =>
  <transport extends Transport, chain extends Chain | undefined, account extends Account | undefined>(
    client: Client<transport, chain, account>
  ): InfernetWalletActions => {
    // The module functions sign through `walletClient.signTypedData` for JSON-RPC accounts: give a bare client
    // viem's wallet actions when it lacks them.
    const walletClient = (typeof (client as { readonly signTypedData?: unknown }).signTypedData === "function"
      ? client
      : client.extend(walletActions)) as unknown as WalletClient
    const write = <P>(params: P) => ({ ...params, walletClient })
    const chainId = (given: Subscription.Integer | undefined): Subscription.Integer | undefined =>
      given ?? client.chain?.id
    return {
      createWallet: (params) => WalletFactory.createWallet(write(params)),
      fund: (params) => Wallet.fund(write(params)),
      approve: (params) => Wallet.approve(write(params)),
      withdraw: (params) => Wallet.withdraw(write(params)),
      signDelegatedSubscription: (params) =>
        DelegatedSubscription.signDelegatedSubscription({
          ...params,
          walletClient,
          chainId: chainId(params.chainId) as Subscription.Integer
        }),
      prepareDelegatedSubscription: (params) =>
        DelegatedSubscription.prepareDelegatedSubscription({
          ...params,
          walletClient,
          publicClient: params.publicClient ?? walletClient,
          chainId: chainId(params.chainId)
        })
    }
  }
