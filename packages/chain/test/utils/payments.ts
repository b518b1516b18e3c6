import { beforeAll } from "@effect/vitest"
import { type Address, type Hex, parseEventLogs, toHex } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { anvilAccounts, artifacts, deployTestCoordinator, deployTestToken } from "../../src/devnet/index.js"
import { Coordinator, DelegatedSubscription, type Subscription } from "../../src/index.js"
import * as Message from "../../src/internal/message.js"
import { useAnvil, walletFor } from "./devnet.js"

/** The delegated signer of the owner contract (chain.md's account #1). */
export const signer = privateKeyToAccount(anvilAccounts[1]!.privateKey)
/** A wallet owner. */
export const alice = privateKeyToAccount(anvilAccounts[2]!.privateKey)
/** Someone else. */
export const bob = privateKeyToAccount(anvilAccounts[3]!.privateKey)

export interface Deployed {
  readonly rpcUrl: string
  readonly chainId: number
  readonly coordinator: Address
  readonly owner: Address
  readonly registry: Address
  readonly walletFactory: Address
  /** A 6-decimals ERC20 (symbol USDC); alice and bob hold 1000 each. */
  readonly usdc: Address
}

/**
 * One Anvil per test file with the generation 2 test Coordinator, its Registry and WalletFactory, and a 6-decimals
 * test token.
 */
export const usePayments = () => {
  const anvil = useAnvil()
  let deployed: Deployed | undefined
  beforeAll(async () => {
    const { rpcUrl, chainId } = anvil.current()
    const contracts = await deployTestCoordinator({
      rpcUrl,
      generation: "v1",
      signer,
      inbox: anvilAccounts[7]!.address,
      reader: anvilAccounts[8]!.address,
      fee: anvilAccounts[9]!.address
    })
    const usdc = await deployTestToken({
      rpcUrl,
      name: "USD Coin",
      symbol: "USDC",
      decimals: 6,
      mint: { [alice.address]: 1_000_000_000n, [bob.address]: 1_000_000_000n }
    })
    deployed = {
      rpcUrl,
      chainId,
      coordinator: contracts.coordinator,
      owner: contracts.owner,
      registry: contracts.registry!,
      walletFactory: contracts.walletFactory!,
      usdc
    }
  })
  const current = () => deployed!
  /** Submits a signed subscription for real (as a node would) and returns its id. */
  const submit = async (subscription: Subscription.SubscriptionV1, nonce: number): Promise<number> => {
    const { chainId, coordinator } = current()
    const signature = await DelegatedSubscription.signDelegatedSubscription({
      account: signer,
      chainId,
      coordinator,
      nonce,
      expiry: Math.floor(Date.now() / 1000) + 3600,
      subscription
    })
    const node = walletFor(anvil.current(), anvilAccounts[4]!.privateKey)
    const hash = await node.writeContract({
      address: coordinator,
      abi: Coordinator.abiV1,
      functionName: "createSubscriptionDelegatee",
      args: [
        signature.nonce,
        signature.expiry,
        Message.toMessageV1(subscription),
        signature.v,
        toHex(signature.r, { size: 32 }),
        toHex(signature.s, { size: 32 })
      ]
    })
    const receipt = await anvil.publicClient().waitForTransactionReceipt({ hash, pollingInterval: 50 })
    const [created] = parseEventLogs({ abi: Coordinator.abiV1, logs: receipt.logs, eventName: "SubscriptionCreated" })
    return created!.args.id
  }
  /** Calls one of the test Coordinator's escrow functions (lockPayment, unlockPayment, payNode). */
  const escrow = async (functionName: "lockPayment" | "unlockPayment" | "payNode", args: ReadonlyArray<unknown>) => {
    const node = walletFor(anvil.current(), anvilAccounts[4]!.privateKey)
    const hash: Hex = await node.writeContract({
      address: current().coordinator,
      abi: artifacts.v1.coordinator.abi,
      functionName,
      args
    } as never)
    return anvil.publicClient().waitForTransactionReceipt({ hash, pollingInterval: 50 })
  }
  return { anvil, current, submit, escrow }
}

/** The reason of the ChainError a promise rejects with. */
export { reason } from "./reason.js"
