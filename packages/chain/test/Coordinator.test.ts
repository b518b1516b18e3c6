/**
 * The EVM proof: this package's signatures against Solidity contracts that implement the Coordinators'
 * delegated-subscription check (contracts/*.sol), on a real EVM (Anvil on a free port).
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type Address, type Hex, parseEventLogs, toHex, zeroAddress } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { anvilAccounts, artifacts, deployTestCoordinator, deployTestOwner } from "../src/devnet/index.js"
import { ChainError, Coordinator, DelegatedSubscription, Subscription } from "../src/index.js"
import * as Message from "../src/internal/message.js"
import { useAnvil, walletFor } from "./utils/devnet.js"
import * as V from "./utils/vectors.js"

const signer = privateKeyToAccount(V.signerKey)
const stranger = privateKeyToAccount(V.key3)

const reason = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => assert.fail("expected a ChainError"),
    (e: unknown) => e
  )
  assert.isTrue(ChainError.isChainError(error), String(error))
  return (error as ChainError.ChainError).reason
}

const revertName = async (promise: Promise<unknown>) => {
  const r = await reason(promise)
  assert.strictEqual(r._tag, "SimulationReverted", r.message)
  return (r as ChainError.SimulationReverted).errorName
}

for (const generation of ["v0", "v1"] as const) {
  const vector = generation === "v0" ? V.v0 : V.v1
  const abi = generation === "v0" ? Coordinator.abiV0 : Coordinator.abiV1

  describe(`generation ${generation} on a real EVM`, () => {
    const anvil = useAnvil()
    let coordinator: Address
    let owner: Address
    const rpc = () => ({ rpcUrl: anvil.current().rpcUrl })
    const future = () => Math.floor(Date.now() / 1000) + 3600

    /** Sends createSubscriptionDelegatee for real (as a node would) and returns the SubscriptionCreated ids. */
    const submit = async (subscription: Subscription.Subscription, signature: DelegatedSubscription.Signature) => {
      const wallet = walletFor(anvil.current(), V.key3)
      const r = toHex(signature.r, { size: 32 })
      const s = toHex(signature.s, { size: 32 })
      const hash =
        subscription.version === "v0"
          ? await wallet.writeContract({
              address: coordinator,
              abi: Coordinator.abiV0,
              functionName: "createSubscriptionDelegatee",
              args: [signature.nonce, signature.expiry, Message.toMessageV0(subscription), signature.v, r, s]
            })
          : await wallet.writeContract({
              address: coordinator,
              abi: Coordinator.abiV1,
              functionName: "createSubscriptionDelegatee",
              args: [signature.nonce, signature.expiry, Message.toMessageV1(subscription), signature.v, r, s]
            })
      const receipt = await anvil.publicClient().waitForTransactionReceipt({ hash, pollingInterval: 50 })
      assert.strictEqual(receipt.status, "success")
      return parseEventLogs({ abi, logs: receipt.logs, eventName: "SubscriptionCreated" }).map((log) => log.args.id)
    }

    const sign = (subscription: Subscription.Subscription, nonce: number, expiry = future(), account = signer) =>
      DelegatedSubscription.signDelegatedSubscription({
        account,
        chainId: anvil.current().chainId,
        coordinator,
        nonce,
        expiry,
        subscription
      })

    const fresh = (overrides: Partial<{ period: number; frequency: number }> = {}) =>
      generation === "v0"
        ? Subscription.v0({ ...V.v0.subscription, ...overrides, containerId: V.v0.subscription.containerId })
        : Subscription.v1({ ...V.v1.subscription, ...overrides, containerId: V.v1.subscription.containerId })

    it("deploys at chain.md's addresses, with the delegated signer of the test vectors", async () => {
      const { rpcUrl } = anvil.current()
      if (generation === "v1") {
        // chain.md's generation 2 Coordinator was the deployer's second contract: use up nonce 0 first.
        await deployTestOwner({ rpcUrl, generation, signer: zeroAddress })
      }
      const deployed = await deployTestCoordinator({ rpcUrl, generation, signer: V.signerAddress })
      coordinator = deployed.coordinator
      owner = deployed.owner
      assert.deepStrictEqual(deployed, {
        generation,
        chainId: V.chainId,
        coordinator: vector.coordinator,
        owner: vector.subscription.owner,
        // generation 2 also gets its Registry and WalletFactory, deployed after the Coordinator and owner
        ...(generation === "v1"
          ? {
              registry: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
              walletFactory: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"
            }
          : {})
      })
    })

    it("hashes exactly as the contract: typehash, domain separator, digest", async () => {
      const client = anvil.publicClient()
      const c = artifacts[generation].coordinator
      const read = (functionName: string, args: ReadonlyArray<unknown> = []) =>
        client.readContract({ address: coordinator, abi: c.abi, functionName, args } as never) as Promise<Hex>
      assert.strictEqual(await read("DELEGATE_SUBSCRIPTION_TYPEHASH"), vector.typeHash)
      assert.strictEqual(await read("DOMAIN_SEPARATOR"), vector.domainSeparator)
      const message =
        vector.subscription.version === "v0"
          ? Message.toMessageV0(vector.subscription)
          : Message.toMessageV1(vector.subscription)
      assert.strictEqual(await read("digest", [V.nonce, V.expiry, message]), vector.digest)
      // and for a subscription with other values than the vector's
      const other = fresh({ period: 1, frequency: 99 })
      const ours = DelegatedSubscription.hashDelegatedSubscription({
        chainId: V.chainId,
        coordinator,
        nonce: 77,
        expiry: 123,
        subscription: other
      })
      const theirs = await read("digest", [
        77,
        123,
        other.version === "v0" ? Message.toMessageV0(other) : Message.toMessageV1(other)
      ])
      assert.strictEqual(ours, theirs)
    })

    it("accepts chain.md's signature (dry run)", async () => {
      const signature = { nonce: V.nonce, expiry: V.expiry, v: vector.v, r: vector.r, s: vector.s } as const
      const result = await Coordinator.simulateCreateSubscriptionDelegatee({
        ...rpc(),
        coordinator,
        subscription: vector.subscription,
        signature
      })
      assert.deepStrictEqual(result, { subscriptionId: 1, existed: false })
    })

    it("rejects a signature by another key: SignerMismatch()", async () => {
      const signature = await sign(vector.subscription, 2, future(), stranger)
      const name = await revertName(
        Coordinator.simulateCreateSubscriptionDelegatee({
          ...rpc(),
          coordinator,
          subscription: vector.subscription,
          signature
        })
      )
      assert.strictEqual(name, "SignerMismatch")
    })

    it("rejects an expired signature: SignatureExpired()", async () => {
      const signature = await sign(vector.subscription, 2, 1_000_000_000)
      const r = await reason(
        Coordinator.simulateCreateSubscriptionDelegatee({
          ...rpc(),
          coordinator,
          subscription: vector.subscription,
          signature
        })
      )
      assert.strictEqual(r._tag, "SimulationReverted")
      assert.deepStrictEqual(
        [(r as ChainError.SimulationReverted).errorName, (r as ChainError.SimulationReverted).selector],
        ["SignatureExpired", "0x0819bdcd"]
      )
      expect(r.message).toBe(
        `createSubscriptionDelegatee would revert with SignatureExpired() on ${coordinator}: ` +
          "the expiry is not after the block timestamp, sign again with a later expiry"
      )
    })

    it("rejects a tampered field: SignerMismatch()", async () => {
      const signature = await sign(vector.subscription, 2)
      const tampered = { ...vector.subscription, frequency: vector.subscription.frequency + 1 }
      const name = await revertName(
        Coordinator.simulateCreateSubscriptionDelegatee({ ...rpc(), coordinator, subscription: tampered, signature })
      )
      assert.strictEqual(name, "SignerMismatch")
      const otherNonce = await revertName(
        Coordinator.simulateCreateSubscriptionDelegatee({
          ...rpc(),
          coordinator,
          subscription: vector.subscription,
          signature: { ...signature, nonce: 3 }
        })
      )
      assert.strictEqual(otherNonce, "SignerMismatch")
    })

    it("rejects v = 0/1 (viem's yParity) with InvalidSignature()", async () => {
      const signature = await sign(vector.subscription, 2)
      const r = await reason(
        Coordinator.simulateCreateSubscriptionDelegatee({
          ...rpc(),
          coordinator,
          subscription: vector.subscription,
          signature: { ...signature, v: (signature.v - 27) as 27 }
        })
      )
      assert.deepStrictEqual(
        [r._tag, (r as ChainError.SimulationReverted).errorName, (r as ChainError.SimulationReverted).selector],
        ["SimulationReverted", "InvalidSignature", "0x8baa579f"]
      )
    })

    it("creates the subscription on chain, then the replay guard returns it with existed = true", async () => {
      const signature = { nonce: V.nonce, expiry: V.expiry, v: vector.v, r: vector.r, s: vector.s } as const
      assert.deepStrictEqual(await submit(vector.subscription, signature), [1])
      const client = { publicClient: anvil.publicClient() }
      assert.strictEqual(await Coordinator.maxSubscriberNonce({ ...client, coordinator, owner }), 1)
      const id = await anvil.publicClient().readContract({
        address: coordinator,
        abi,
        functionName: "delegateCreatedIds",
        args: [Coordinator.delegateKey(owner, 1)]
      })
      assert.strictEqual(id, 1)
      // the same (owner, nonce) again, even with another subscription and another signer: the existing id
      const replay = await sign(fresh({ period: 5 }), 1, future(), stranger)
      const result = await Coordinator.simulateCreateSubscriptionDelegatee({
        ...rpc(),
        coordinator,
        subscription: fresh({ period: 5 }),
        signature: replay
      })
      assert.deepStrictEqual(result, { subscriptionId: 1, existed: true })
      assert.deepStrictEqual(await submit(fresh({ period: 5 }), replay), [])
    })

    it("defaults the nonce to maxSubscriberNonce + 1; nonces may be used in any order", async () => {
      const params = { ...rpc(), coordinator, owner }
      assert.strictEqual(await Coordinator.nextNonce(params), 2)
      assert.deepStrictEqual(await submit(vector.subscription, await sign(vector.subscription, 5)), [2])
      assert.strictEqual(await Coordinator.nextNonce(params), 6)
      assert.deepStrictEqual(await submit(vector.subscription, await sign(vector.subscription, 3)), [3])
      assert.strictEqual(await Coordinator.maxSubscriberNonce(params), 5)
      // prepareDelegatedSubscription picks the default nonce, and its body is accepted
      const body = await DelegatedSubscription.prepareDelegatedSubscription({
        account: signer,
        ...rpc(),
        coordinator,
        subscription: vector.subscription,
        expiry: future(),
        data: { input: "x" }
      })
      assert.strictEqual(body.signature.nonce, 6)
      const decoded = DelegatedSubscription.fromRequestBody(body)
      assert.deepStrictEqual(
        await Coordinator.simulateCreateSubscriptionDelegatee({ ...rpc(), coordinator, ...decoded }),
        { subscriptionId: 4, existed: false }
      )
    })

    it("the dry run takes the REST wire shape too (prepareDelegatedSubscription's body.subscription)", async () => {
      const body = await DelegatedSubscription.prepareDelegatedSubscription({
        account: signer,
        ...rpc(),
        coordinator,
        subscription: vector.subscription,
        expiry: future(),
        data: {}
      })
      const fromWire = await Coordinator.simulateCreateSubscriptionDelegatee({
        ...rpc(),
        coordinator,
        subscription: body.subscription,
        signature: body.signature
      })
      const fromModel = await Coordinator.simulateCreateSubscriptionDelegatee({
        ...rpc(),
        coordinator,
        subscription: vector.subscription,
        signature: body.signature
      })
      assert.deepStrictEqual(fromWire, fromModel)
      assert.isFalse(fromWire.existed)
    })

    it("reads and checks the EIP-712 domain", async () => {
      const domain = await Coordinator.readDomain({ ...rpc(), coordinator })
      assert.deepStrictEqual(
        domain,
        generation === "v0"
          ? { source: "constants", name: "InfernetCoordinator", version: "1" }
          : {
              source: "eip712Domain",
              name: "InfernetCoordinator",
              version: "1",
              chainId: V.chainId,
              verifyingContract: coordinator
            }
      )
      assert.deepStrictEqual(await Coordinator.checkDomain({ ...rpc(), coordinator }), domain)
      // a contract that exposes no domain: nothing to check
      assert.isUndefined(await Coordinator.checkDomain({ ...rpc(), coordinator: owner }))
      // another version
      const other = await deployTestCoordinator({ ...rpc(), generation, signer: signer.address, version: "2" })
      const r = await reason(Coordinator.checkDomain({ ...rpc(), coordinator: other.coordinator }))
      assert.deepStrictEqual(
        r,
        new ChainError.DomainMismatch({ coordinator: other.coordinator, field: "version", expected: "1", actual: "2" })
      )
      if (generation === "v1") {
        // eip712Domain() also reports the chain id: a signature for another chain is refused
        const chain = await reason(Coordinator.checkDomain({ ...rpc(), coordinator, chainId: 1 }))
        assert.strictEqual(chain._tag, "DomainMismatch")
        assert.strictEqual((chain as ChainError.DomainMismatch).field, "chainId")
      }
    })

    it("reports a revert without data when the owner is not a contract", async () => {
      const signature = await sign({ ...vector.subscription, owner: anvilAccounts[5]!.address }, 1)
      const r = await reason(
        Coordinator.simulateCreateSubscriptionDelegatee({
          ...rpc(),
          coordinator,
          subscription: { ...vector.subscription, owner: anvilAccounts[5]!.address },
          signature
        })
      )
      assert.strictEqual(r._tag, "SimulationReverted")
      assert.isUndefined((r as ChainError.SimulationReverted).errorName)
      expect(r.message).toBe(
        `createSubscriptionDelegatee would revert with no reason on ${coordinator} ` +
          "(is the owner a contract that exposes its delegated signer?)"
      )
    })

    it.effect("has Effect versions of the reads", () =>
      Effect.gen(function* () {
        const params = { ...rpc(), coordinator, owner }
        assert.strictEqual(yield* Coordinator.getChainIdEffect(params), V.chainId)
        assert.strictEqual(yield* Coordinator.maxSubscriberNonceEffect(params), 5)
        assert.strictEqual(yield* Coordinator.nextNonceEffect(params), 6)
        const domain = yield* Coordinator.checkDomainEffect(params)
        assert.strictEqual(domain?.name, "InfernetCoordinator")
      })
    )
  })
}

describe("Coordinator errors", () => {
  it("a subscription in neither shape fails up front with InvalidArgument naming both, before any RPC", async () => {
    let requests = 0
    const server = createServer((_request, response) => {
      requests++
      response.writeHead(500).end()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const signature = { nonce: 1, expiry: 2_000_000_000, v: 27, r: 1n, s: 1n } as const
    try {
      for (const subscription of [
        {},
        { owner: zeroAddress, activeAt: 0, period: 0, frequency: 1, redundancy: 1 },
        { owner: zeroAddress, active_at: 0 }
      ]) {
        const r = await reason(
          Coordinator.simulateCreateSubscriptionDelegatee({
            rpcUrl,
            coordinator: V.v1.coordinator,
            subscription: subscription as never,
            signature
          })
        )
        assert.deepStrictEqual([r._tag, (r as ChainError.InvalidArgument).field], ["InvalidArgument", "subscription"])
        assert.include(r.message, "Subscription.v0(...) / Subscription.v1(...) (camelCase, with version)")
        assert.include(r.message, "prepareDelegatedSubscription(...).subscription (snake_case; Subscription.fromWire")
      }
      assert.strictEqual(requests, 0)
    } finally {
      server.close()
    }
  })

  it("fails with RpcError when the RPC is unreachable", async () => {
    const r = await reason(
      Coordinator.maxSubscriberNonce({
        rpcUrl: "http://127.0.0.1:1/v3/secret-api-key?token=also-secret",
        coordinator: V.v1.coordinator,
        owner: zeroAddress
      })
    )
    assert.strictEqual(r._tag, "RpcError")
    // The endpoint is named by its origin only: paths and queries of RPC URLs often carry API keys.
    expect(r.message).toMatch(/^RPC call maxSubscriberNonce failed: HTTP request failed at http:\/\/127\.0\.0\.1:1: \S/)
    assert.notInclude(r.message, "secret")
  })

  it("names the HTTP status of an RPC endpoint that answers with an error page", async () => {
    const server = createServer((_request, response) => response.writeHead(503).end("busy"))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    try {
      const r = await reason(
        Coordinator.maxSubscriberNonce({
          rpcUrl: `http://127.0.0.1:${port}/key`,
          coordinator: V.v1.coordinator,
          owner: zeroAddress
        })
      )
      expect(r.message).toMatch(
        new RegExp(
          `^RPC call maxSubscriberNonce failed: HTTP request failed \\(HTTP 503\\) at http://127\\.0\\.0\\.1:${port}`
        )
      )
    } finally {
      server.close()
    }
  })

  it("validates addresses and the RPC source before any call", async () => {
    const bad = await reason(Coordinator.maxSubscriberNonce({ rpcUrl: "x", coordinator: "0x12", owner: zeroAddress }))
    assert.deepStrictEqual(
      [bad._tag, (bad as ChainError.InvalidSubscription).field],
      ["InvalidSubscription", "coordinator"]
    )
    const none = await reason(Coordinator.getChainId({}))
    assert.strictEqual(none.message, "RPC call connect failed: pass publicClient or rpcUrl")
    const url = await reason(Coordinator.getChainId({ rpcUrl: "localhost:8545" }))
    assert.strictEqual(url.message, 'RPC call connect failed: rpcUrl must be an http(s) URL, got "localhost:8545"')
  })

  it("aborts a pending read with an AbortSignal", async () => {
    const server = createServer(() => {
      // never answers
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const controller = new AbortController()
      const pending = Coordinator.getChainId({ rpcUrl, signal: controller.signal })
      setTimeout(() => controller.abort(), 50)
      const error = await pending.then(
        () => assert.fail("expected an abort"),
        (e: unknown) => e
      )
      assert.strictEqual((error as Error).name, "AbortError")
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("builds the replay-guard key as keccak256(abi.encode(owner, nonce))", () => {
    expect(Coordinator.delegateKey(V.v1.subscription.owner, 1)).toMatchInlineSnapshot(
      `"0x9546e0d6d5c728d341f38237274a30c085aaeb7e09acc441b32519422640321d"`
    )
  })
})
