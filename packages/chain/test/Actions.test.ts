/**
 * The viem-style decorators against Anvil with the devnet's generation 2 Coordinator and payment contracts: reads on
 * an extended PublicClient, writes and signing on an extended WalletClient (a local account, a JSON-RPC account the
 * node holds, and a bare `createClient` without viem's wallet actions), each giving what the module function gives.
 */
import { assert, describe, it } from "@effect/vitest"
import { expectTypeOf } from "vitest"
import { createClient, createPublicClient, createWalletClient, getAddress, http, parseEther, zeroAddress } from "viem"
import { Actions, Coordinator, DelegatedSubscription, Subscription, Wallet } from "../src/index.js"
import { devChain, walletFor } from "./utils/devnet.js"
import { alice, bob, reason, signer, usePayments } from "./utils/payments.js"

const once = { activeAt: 0, period: 0, frequency: 1, redundancy: 1 } as const

describe("Actions (against Anvil)", () => {
  const { anvil, current, submit } = usePayments()
  const chain = () => devChain(current().rpcUrl, current().chainId)
  const publicClient = () =>
    createPublicClient({ chain: chain(), transport: http(current().rpcUrl) }).extend(Actions.infernetActions())
  const walletClient = (account: typeof alice) =>
    walletFor(anvil.current(), account).extend(Actions.infernetWalletActions())
  let wallet: `0x${string}`

  it("types: the extended clients keep viem's actions and type the Infernet ones (checked by typecheck)", () => {
    const client = publicClient()
    const wallet = walletClient(alice)
    expectTypeOf(client.getBlockNumber).returns.toEqualTypeOf<Promise<bigint>>()
    expectTypeOf(client.nextNonce).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(client.getWalletBalance).parameter(0).toHaveProperty("wallet")
    expectTypeOf(client.getWalletBalance).parameter(0).not.toHaveProperty("rpcUrl")
    expectTypeOf(wallet.sendTransaction).toBeFunction()
    expectTypeOf(wallet.fund).returns.resolves.toEqualTypeOf<Wallet.FundReturnType>()
    expectTypeOf(wallet.createWallet).parameter(0).not.toHaveProperty("walletClient")
    assert.strictEqual(typeof client.getBlockNumber, "function")
    assert.strictEqual(typeof wallet.signDelegatedSubscription, "function")
  })

  it("extends a PublicClient with the reads and keeps viem's own actions", async () => {
    const client = publicClient()
    assert.strictEqual(await client.getChainId(), current().chainId)
    const contracts = await client.readRegistry({ registry: current().registry })
    assert.deepStrictEqual(
      [contracts.coordinator, contracts.walletFactory],
      [current().coordinator, current().walletFactory]
    )
    const domain = await client.readDomain({ coordinator: current().coordinator })
    assert.deepStrictEqual(
      domain,
      await Coordinator.readDomain({ rpcUrl: current().rpcUrl, coordinator: current().coordinator })
    )
    assert.strictEqual(domain?.name, "InfernetCoordinator")
    assert.deepStrictEqual(await client.checkDomain({ coordinator: current().coordinator }), domain)
  })

  it("createWallet, fund, approve and withdraw on an extended WalletClient; the reads see them", async () => {
    const client = publicClient()
    const me = walletClient(alice)
    const created = await me.createWallet({ factory: current().walletFactory })
    wallet = created.wallet
    assert.deepStrictEqual([created.owner, created.event.owner], [alice.address, alice.address])
    assert.isTrue(await client.isValidWallet({ factory: current().walletFactory, wallet }))
    assert.isFalse(await client.isValidWallet({ factory: current().walletFactory, wallet: bob.address }))
    assert.strictEqual(await client.getWalletOwner({ wallet }), alice.address)

    const funded = await me.fund({ wallet, amount: "1 ether" })
    assert.deepStrictEqual([funded.token, funded.amount], [zeroAddress, parseEther("1")])
    await me.fund({ wallet, token: current().usdc, amount: "2.5" })
    assert.strictEqual(await client.getWalletBalance({ wallet }), parseEther("1"))
    assert.strictEqual(await client.getWalletBalance({ wallet, token: current().usdc }), 2_500_000n)

    const approved = await me.approve({ wallet, spender: current().owner, token: current().usdc, amount: "1 USDC" })
    assert.deepStrictEqual(approved.event, { spender: current().owner, token: current().usdc, amount: 1_000_000n })
    assert.strictEqual(
      await client.getWalletAllowance({ wallet, spender: current().owner, token: current().usdc }),
      1_000_000n
    )

    const withdrawn = await me.withdraw({ wallet, amount: "0.25 ether" })
    assert.strictEqual(withdrawn.event.amount, parseEther("0.25"))
    assert.strictEqual(await client.getWalletBalance({ wallet }), parseEther("0.75"))
    // the same numbers as the module functions
    assert.strictEqual(await Wallet.balance({ rpcUrl: current().rpcUrl, wallet }), parseEther("0.75"))
  })

  it("a write by someone else than the owner fails with the module's typed reason", async () => {
    const r = await reason(walletClient(bob).withdraw({ wallet, amount: 1 }))
    assert.strictEqual(r._tag, "NotOwner")
    // a call may still name another sender than the client's account
    const other = await reason(walletClient(alice).approve({ account: bob, wallet, spender: bob.address, amount: 1 }))
    assert.strictEqual(other._tag, "NotOwner")
  })

  it("signDelegatedSubscription takes the chain id from the client; the dry run and the nonce agree", async () => {
    const { coordinator, owner, chainId } = current()
    const client = publicClient()
    const subscription = Subscription.v1({ owner, ...once, containers: ["actions"] })
    const nonce = await client.nextNonce({ coordinator, owner })
    const expiry = 2_000_000_000
    const signature = await walletClient(signer).signDelegatedSubscription({ coordinator, nonce, expiry, subscription })
    // deterministic ECDSA: the same signature as the module function with the chain id spelled out
    assert.deepStrictEqual(
      signature,
      await DelegatedSubscription.signDelegatedSubscription({
        account: signer,
        chainId,
        coordinator,
        nonce,
        expiry,
        subscription
      })
    )
    const simulated = await client.simulateCreateSubscriptionDelegatee({ coordinator, subscription, signature })
    assert.strictEqual(simulated.existed, false)
    const before = await client.maxSubscriberNonce({ coordinator, owner })
    const id = await submit(subscription, nonce)
    assert.strictEqual(id, simulated.subscriptionId)
    assert.strictEqual(await client.maxSubscriberNonce({ coordinator, owner }), before + 1)
    assert.strictEqual(await client.nextNonce({ coordinator, owner }), nonce + 1)
  })

  it("signs through the node for a JSON-RPC account, and on a bare client without viem's wallet actions", async () => {
    const { coordinator, owner, chainId, rpcUrl } = current()
    const subscription = Subscription.v1({ owner, ...once, containers: ["json-rpc"] })
    const params = { coordinator, nonce: 9, expiry: 2_000_000_000, subscription }
    const expected = await DelegatedSubscription.signDelegatedSubscription({ ...params, account: signer, chainId })
    // Anvil holds its default keys: an address-only account signs with eth_signTypedData_v4
    const jsonRpc = createWalletClient({ account: signer.address, chain: chain(), transport: http(rpcUrl) }).extend(
      Actions.infernetWalletActions()
    )
    assert.deepStrictEqual(await jsonRpc.signDelegatedSubscription(params), expected)
    const bare = createClient({ account: signer.address, chain: chain(), transport: http(rpcUrl) }).extend(
      Actions.infernetWalletActions()
    )
    assert.deepStrictEqual(await bare.signDelegatedSubscription(params), expected)
  })

  it("prepareDelegatedSubscription checks the payment and signs a paid subscription with the client's account", async () => {
    const { coordinator, owner, registry, usdc } = current()
    const paid = (paymentAmount: bigint) =>
      Subscription.v1({ owner, ...once, containers: ["paid"], paymentToken: usdc, paymentAmount, wallet })
    const body = await walletClient(signer).prepareDelegatedSubscription({
      coordinator,
      registry,
      subscription: paid(1_000_000n),
      expiry: 2_000_000_000,
      data: { prompt: "hi" }
    })
    assert.strictEqual("wallet" in body.subscription && getAddress(body.subscription.wallet), wallet)
    const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({
      chainId: current().chainId,
      coordinator,
      request: body
    })
    assert.strictEqual(recovered, signer.address)
    // more than the allowance: refused before signing, as the module function does
    const r = await reason(
      walletClient(signer).prepareDelegatedSubscription({
        coordinator,
        registry,
        subscription: paid(2_000_000n),
        expiry: 2_000_000_000,
        data: {}
      })
    )
    assert.strictEqual(r._tag, "InsufficientAllowance")
  })
})
