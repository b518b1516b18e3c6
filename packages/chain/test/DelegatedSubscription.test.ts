import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, expect, it } from "@effect/vitest"
import { Json } from "@infernet/types"
import { Effect } from "effect"
import {
  createPublicClient,
  createWalletClient,
  custom,
  decodeFunctionData,
  encodeFunctionResult,
  type Hex,
  keccak256,
  type PublicClient,
  toHex,
  zeroAddress
} from "viem"
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts"
import { deployTestCoordinator } from "../src/devnet/index.js"
import {
  ChainError,
  Coordinator,
  DelegatedSubscription,
  Registry,
  Subscription,
  Wallet,
  WalletFactory
} from "../src/index.js"
import { useAnvil, walletFor } from "./utils/devnet.js"
import { exitReason } from "./utils/reason.js"
import * as V from "./utils/vectors.js"

const signer = privateKeyToAccount(V.signerKey)

const params = (vector: typeof V.v0 | typeof V.v1) => ({
  chainId: V.chainId,
  coordinator: vector.coordinator,
  nonce: V.nonce,
  expiry: V.expiry,
  subscription: vector.subscription
})

const reason = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => assert.fail("expected a ChainError"),
    (e: unknown) => e
  )
  assert.isTrue(ChainError.isChainError(error), String(error))
  return (error as ChainError.ChainError).reason
}

const thrown = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    assert.isTrue(ChainError.isChainError(error), String(error))
    return (error as ChainError.ChainError).reason
  }
  return assert.fail("expected a ChainError")
}

describe("typed data", () => {
  it("type strings hash to chain.md's typehashes", () => {
    assert.strictEqual(keccak256(toHex(DelegatedSubscription.encodedTypes.v0)), V.v0.typeHash)
    assert.strictEqual(keccak256(toHex(DelegatedSubscription.encodedTypes.v1)), V.v1.typeHash)
    assert.deepStrictEqual(DelegatedSubscription.typeHashes, { v0: V.v0.typeHash, v1: V.v1.typeHash })
  })

  it("the `types` encode to the same type strings", () => {
    for (const version of ["v0", "v1"] as const) {
      const types = DelegatedSubscription.delegatedSubscriptionTypes[version]
      const struct = (name: "DelegateSubscription" | "Subscription") =>
        `${name}(${types[name].map((f) => `${f.type} ${f.name}`).join(",")})`
      assert.strictEqual(
        `${struct("DelegateSubscription")}${struct("Subscription")}`,
        DelegatedSubscription.encodedTypes[version]
      )
    }
  })

  it("domain and domain separators match chain.md", () => {
    assert.deepStrictEqual(
      DelegatedSubscription.domain({ chainId: 31337n, coordinator: V.v0.coordinator.toLowerCase() }),
      {
        name: "InfernetCoordinator",
        version: "1",
        chainId: 31337,
        verifyingContract: V.v0.coordinator
      }
    )
    assert.strictEqual(DelegatedSubscription.domainSeparator(params(V.v0)), V.v0.domainSeparator)
    assert.strictEqual(DelegatedSubscription.domainSeparator(params(V.v1)), V.v1.domainSeparator)
  })

  it("digests match chain.md for both generations", () => {
    assert.strictEqual(DelegatedSubscription.hashDelegatedSubscription(params(V.v0)), V.v0.digest)
    assert.strictEqual(DelegatedSubscription.hashDelegatedSubscription(params(V.v1)), V.v1.digest)
  })

  it("a change to any signed field changes the digest", () => {
    const base = DelegatedSubscription.hashDelegatedSubscription(params(V.v1))
    const variants = [
      { ...params(V.v1), nonce: 2 },
      { ...params(V.v1), expiry: V.expiry + 1 },
      { ...params(V.v1), chainId: 1 },
      { ...params(V.v1), coordinator: V.v0.coordinator },
      { ...params(V.v1), subscription: { ...V.v1.subscription, lazy: true } },
      { ...params(V.v1), subscription: { ...V.v1.subscription, paymentAmount: 1n } }
    ]
    const digests = new Set(variants.map(DelegatedSubscription.hashDelegatedSubscription))
    assert.strictEqual(digests.size, variants.length)
    assert.isFalse(digests.has(base))
  })

  it("toTypedData validates nonce, expiry, chain id and coordinator", () => {
    const cases = [
      [{ ...params(V.v0), nonce: 2 ** 32 }, "nonce"],
      [{ ...params(V.v0), expiry: -1 }, "expiry"],
      [{ ...params(V.v0), chainId: 0 }, "chainId"],
      [{ ...params(V.v0), coordinator: "0x1234" }, "coordinator"]
    ] as const
    for (const [input, field] of cases) {
      const r = thrown(() => DelegatedSubscription.toTypedData(input))
      assert.strictEqual(r._tag, "InvalidSubscription")
      assert.strictEqual((r as ChainError.InvalidSubscription).field, field)
    }
    expect(thrown(() => DelegatedSubscription.toTypedData({ ...params(V.v0), nonce: 1.5 })).message).toBe(
      "Invalid subscription: nonce must be an unsigned integer (uint32), got 1.5"
    )
  })
})

describe("signDelegatedSubscription", () => {
  it("reproduces chain.md's generation 1 signature and recovers the signer", async () => {
    const signature = await DelegatedSubscription.signDelegatedSubscription({ ...params(V.v0), account: signer })
    assert.deepStrictEqual(signature, { nonce: 1, expiry: V.expiry, v: V.v0.v, r: V.v0.r, s: V.v0.s })
    const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({ ...params(V.v0), signature })
    assert.strictEqual(recovered, V.signerAddress)
  })

  it("reproduces chain.md's generation 2 signature and recovers the signer", async () => {
    const signature = await DelegatedSubscription.signDelegatedSubscription({ ...params(V.v1), account: signer })
    assert.deepStrictEqual(signature, { nonce: 1, expiry: V.expiry, v: V.v1.v, r: V.v1.r, s: V.v1.s })
    const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({ ...params(V.v1), signature })
    assert.strictEqual(recovered, V.signerAddress)
  })

  it("a mnemonic account and a private key account give the same signature", async () => {
    const fromMnemonic = mnemonicToAccount(V.mnemonic, { addressIndex: 1 })
    assert.strictEqual(fromMnemonic.address, V.signerAddress)
    for (const vector of [V.v0, V.v1]) {
      const a = await DelegatedSubscription.signDelegatedSubscription({ ...params(vector), account: fromMnemonic })
      const b = await DelegatedSubscription.signDelegatedSubscription({ ...params(vector), account: signer })
      assert.deepStrictEqual(a, b)
    }
  })

  it("pins anvil account #2's signatures (cross-checked by recovery)", async () => {
    const account = privateKeyToAccount(V.key2)
    const v0Params = { ...params(V.v0), nonce: 7 }
    const v1Params = {
      ...params(V.v1),
      nonce: 4_294_967_295,
      expiry: 1_800_000_000,
      subscription: Subscription.v1({
        owner: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
        activeAt: 0,
        period: 0,
        frequency: 1,
        redundancy: 1,
        containers: ["hello-world"],
        lazy: true,
        paymentAmount: 10n ** 18n,
        wallet: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720"
      })
    }
    const v0 = await DelegatedSubscription.signDelegatedSubscription({ ...v0Params, account })
    const v1 = await DelegatedSubscription.signDelegatedSubscription({ ...v1Params, account })
    expect({ v0, v1 }).toMatchInlineSnapshot(`
      {
        "v0": {
          "expiry": 2000000000,
          "nonce": 7,
          "r": 98803612838734513278158856639047074034480927095530364063780795669055202333172n,
          "s": 13589321533415230354908760473481495600940366508638569521216775690225369047345n,
          "v": 28,
        },
        "v1": {
          "expiry": 1800000000,
          "nonce": 4294967295,
          "r": 73493421502547334626083257436063005300907041488894135122644791216525449175615n,
          "s": 13284178818986286847456318044967099773778594527358256916098231550534796926724n,
          "v": 27,
        },
      }
    `)
    for (const [p, signature] of [
      [v0Params, v0],
      [v1Params, v1]
    ] as const) {
      const { nonce: _, expiry: __, ...domain } = p
      const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({ ...domain, signature })
      assert.strictEqual(recovered, V.address2)
    }
  })

  it("signs through a wallet client for a JSON-RPC account (eth_signTypedData_v4)", async () => {
    const calls: Array<string> = []
    const walletClient = createWalletClient({
      transport: custom({
        request: async ({ method, params: rpcParams }: { method: string; params: unknown }) => {
          calls.push(method)
          if (method !== "eth_signTypedData_v4") throw new Error(`unexpected ${method}`)
          const [address, json] = rpcParams as [string, string]
          assert.strictEqual(address.toLowerCase(), V.signerAddress.toLowerCase())
          const typedData = JSON.parse(json)
          assert.strictEqual(typedData.primaryType, "DelegateSubscription")
          assert.deepStrictEqual(typedData.domain, {
            name: "InfernetCoordinator",
            version: "1",
            chainId: 31337,
            verifyingContract: V.v1.coordinator.toLowerCase()
          })
          assert.strictEqual(typedData.message.sub.containerId, V.v1.containerId)
          return signer.signTypedData(
            DelegatedSubscription.toTypedData(params(V.v1)) as Parameters<typeof signer.signTypedData>[0]
          )
        }
      })
    })
    const signature = await DelegatedSubscription.signDelegatedSubscription({
      ...params(V.v1),
      account: V.signerAddress,
      walletClient
    })
    assert.deepStrictEqual(calls, ["eth_signTypedData_v4"])
    assert.deepStrictEqual([signature.v, signature.r, signature.s], [V.v1.v, V.v1.r, V.v1.s])
  })

  it("fails with SigningError when a JSON-RPC account has no wallet client", async () => {
    const r = await reason(
      DelegatedSubscription.signDelegatedSubscription({
        ...params(V.v1),
        account: { address: V.signerAddress, type: "json-rpc" }
      })
    )
    assert.strictEqual(r._tag, "SigningError")
    expect(r.message).toContain("cannot sign typed data by itself")
  })

  it("fails with SigningError when the wallet signs for another address", async () => {
    const other = privateKeyToAccount(V.key3)
    const walletClient = createWalletClient({
      transport: custom({
        request: async () =>
          other.signTypedData(
            DelegatedSubscription.toTypedData(params(V.v1)) as Parameters<typeof other.signTypedData>[0]
          )
      })
    })
    const r = await reason(
      DelegatedSubscription.signDelegatedSubscription({ ...params(V.v1), account: V.signerAddress, walletClient })
    )
    assert.strictEqual(r._tag, "SigningError")
    expect(r.message).toContain(`not to the account ${V.signerAddress}`)
  })

  it("wraps a failing account as SigningError", async () => {
    const r = await reason(
      DelegatedSubscription.signDelegatedSubscription({
        ...params(V.v1),
        account: { ...signer, signTypedData: () => Promise.reject(new Error("user rejected")) }
      })
    )
    assert.deepStrictEqual([r._tag, r.message], ["SigningError", "Signing failed: user rejected"])
  })

  it.effect("has an Effect version", () =>
    Effect.gen(function* () {
      const signature = yield* DelegatedSubscription.signDelegatedSubscriptionEffect({
        ...params(V.v0),
        account: signer
      })
      assert.strictEqual(signature.r, V.v0.r)
      const exit = yield* Effect.exit(
        DelegatedSubscription.signDelegatedSubscriptionEffect({ ...params(V.v0), nonce: -1, account: signer })
      )
      const reason = exitReason(exit)
      assert.strictEqual(reason._tag, "InvalidSubscription")
      if (reason._tag === "InvalidSubscription") assert.strictEqual(reason.field, "nonce")
    })
  )
})

describe("signature split", () => {
  const vector = { nonce: 1, expiry: V.expiry, v: 27, r: V.v0.r, s: V.v0.s } as const

  it("joins to r ‖ s ‖ v and splits back", () => {
    const hex = DelegatedSubscription.joinSignature(vector)
    assert.strictEqual(
      hex,
      "0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fb7e8a9497dfbef1531dede2129ca62c0086a90ff6390bc8e53978760d386aad281b"
    )
    assert.deepStrictEqual(DelegatedSubscription.splitSignature({ signature: hex, nonce: 1, expiry: V.expiry }), vector)
  })

  it("converts a 0/1 recovery id to 27/28", () => {
    const hex = DelegatedSubscription.joinSignature({ ...vector, v: 28 })
    const withParity = `0x${hex.slice(2, -2)}01` as const
    assert.strictEqual(DelegatedSubscription.splitSignature({ signature: withParity, nonce: 1, expiry: 1 }).v, 28)
    const withZero = `0x${hex.slice(2, -2)}00` as const
    assert.strictEqual(DelegatedSubscription.splitSignature({ signature: withZero, nonce: 1, expiry: 1 }).v, 27)
  })

  it("rejects a v other than 27/28 and out-of-range r/s", () => {
    const bad = [
      { ...vector, v: 1 as 27 },
      { ...vector, r: 0n },
      { ...vector, s: 2n ** 256n - 1n }
    ]
    expect(bad.map((s) => thrown(() => DelegatedSubscription.joinSignature(s)).message)).toMatchInlineSnapshot(`
      [
        "Invalid signature: v must be 27 or 28, got 1",
        "Invalid signature: r must be a bigint in [1, secp256k1 order), got 0",
        "Invalid signature: s must be a bigint in [1, secp256k1 order), got 115792089237316195423570985008687907853269984665640564039457584007913129639935",
      ]
    `)
    assert.strictEqual(
      thrown(() => DelegatedSubscription.splitSignature({ signature: "0x1234", nonce: 1, expiry: 1 }))._tag,
      "InvalidSignature"
    )
  })
})

describe("request body", () => {
  const signatureV0 = { nonce: 1, expiry: V.expiry, v: 27, r: V.v0.r, s: V.v0.s } as const
  const signatureV1 = { nonce: 1, expiry: V.expiry, v: 28, r: V.v1.r, s: V.v1.s } as const
  const data = { model: "gpt-3.5-turbo-16k", params: { endpoint: "completion", messages: [{ role: "user" }] } }

  it("writes the generation 1 body with r and s as exact JSON integers", () => {
    const body = DelegatedSubscription.toRequestBody({ subscription: V.v0.subscription, signature: signatureV0, data })
    const text = DelegatedSubscription.stringifyRequestBody(body)
    expect(text).toMatchInlineSnapshot(
      `"{"subscription":{"owner":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512","active_at":1700000000,"period":60,"frequency":10,"redundancy":2,"max_gas_price":1000000000000,"max_gas_limit":3000000,"container_id":"hello-world,another","inputs":"0x1234"},"signature":{"nonce":1,"expiry":2000000000,"v":27,"r":112479355696152046690274455104450595967050524872814422343636735344146784896251,"s":57236269369405444018071471557042903377050709317263628067919209973123532893480},"data":{"model":"gpt-3.5-turbo-16k","params":{"endpoint":"completion","messages":[{"role":"user"}]}}}"`
    )
    assert.include(text, `"r":${V.v0.r.toString()}`)
    assert.include(text, `"s":${V.v0.s.toString()}`)
  })

  it("writes the generation 2 body", () => {
    const body = DelegatedSubscription.toRequestBody({ subscription: V.v1.subscription, signature: signatureV1, data })
    expect(JSON.parse(DelegatedSubscription.stringifyRequestBody(body)).subscription).toMatchInlineSnapshot(`
      {
        "active_at": 1700000000,
        "containers": "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
        "frequency": 10,
        "lazy": false,
        "owner": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "payment_amount": 0,
        "payment_token": "0x0000000000000000000000000000000000000000",
        "period": 60,
        "redundancy": 2,
        "verifier": "0x0000000000000000000000000000000000000000",
        "wallet": "0x0000000000000000000000000000000000000000",
      }
    `)
    assert.strictEqual(body.signature.r, V.v1.r)
  })

  it("reads a body back (object or text) into the same subscription and signature", () => {
    for (const [subscription, signature] of [
      [V.v0.subscription, signatureV0],
      [V.v1.subscription, signatureV1]
    ] as const) {
      const body = DelegatedSubscription.toRequestBody({ subscription, signature, data })
      const text = DelegatedSubscription.stringifyRequestBody(body)
      for (const input of [text, Json.parse(text)]) {
        const decoded = DelegatedSubscription.fromRequestBody(input)
        assert.deepStrictEqual(decoded.subscription, subscription)
        assert.deepStrictEqual(decoded.signature, signature)
        assert.deepStrictEqual(decoded.data, data)
      }
    }
  })

  it("recovers the signer from a wire body, as a node would", async () => {
    for (const [vector, signature] of [
      [V.v0, signatureV0],
      [V.v1, signatureV1]
    ] as const) {
      const text = DelegatedSubscription.stringifyRequestBody(
        DelegatedSubscription.toRequestBody({ subscription: vector.subscription, signature, data })
      )
      const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({
        chainId: V.chainId,
        coordinator: vector.coordinator,
        request: Json.parse(text)
      })
      assert.strictEqual(recovered, V.signerAddress)
      const verified = await DelegatedSubscription.verifyDelegatedSubscription({
        chainId: V.chainId,
        coordinator: vector.coordinator,
        request: text,
        address: V.signerAddress.toLowerCase()
      })
      assert.isTrue(verified)
      // the same body for another Coordinator recovers someone else
      const elsewhere = await DelegatedSubscription.verifyDelegatedSubscription({
        chainId: V.chainId,
        coordinator: zeroAddress,
        request: text,
        address: V.signerAddress
      })
      assert.isFalse(elsewhere)
    }
  })

  it("accepts the usage page's generation 1 example", () => {
    const subscription = Subscription.v0({
      owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      activeAt: 0,
      period: 3,
      frequency: 2,
      redundancy: 2,
      maxGasPrice: 1000000000000,
      maxGasLimit: 3000000,
      containerId: "openai-inference",
      inputs: new Uint8Array()
    })
    const body = DelegatedSubscription.toRequestBody({ subscription, signature: signatureV0, data })
    assert.deepStrictEqual<unknown>(body.subscription, {
      owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      active_at: 0,
      period: 3,
      frequency: 2,
      redundancy: 2,
      max_gas_price: 1000000000000,
      max_gas_limit: 3000000,
      container_id: "openai-inference",
      inputs: "0x"
    })
  })

  it("rejects malformed bodies with the failing path", () => {
    const text = DelegatedSubscription.stringifyRequestBody(
      DelegatedSubscription.toRequestBody({ subscription: V.v0.subscription, signature: signatureV0, data })
    )
    const body = Json.parse(text) as { signature: Record<string, unknown>; data: unknown }
    const messages = [
      "{not json",
      { ...body, signature: { ...body.signature, v: 1 } },
      { ...body, data: [1, 2] },
      { ...body, signature: undefined }
    ].map((input) => thrown(() => DelegatedSubscription.fromRequestBody(input)))
    assert.deepStrictEqual(
      messages.map((r) => r._tag),
      ["InvalidRequest", "InvalidRequest", "InvalidRequest", "InvalidRequest"]
    )
    expect(messages.slice(1).map((r) => r.message)).toMatchInlineSnapshot(`
      [
        "Invalid delegated subscription request: signature.v: Expected 27, actual 1 | Expected 28, actual 1",
        "Invalid delegated subscription request: data: Expected { readonly [x: string]: JsonValue }, actual [1,2]",
        "Invalid delegated subscription request: signature: Expected Signature, actual undefined",
      ]
    `)
  })
})

describe("prepareDelegatedSubscription (against Anvil)", () => {
  const anvil = useAnvil()
  const account = privateKeyToAccount(V.signerKey)
  const expiry = () => Math.floor(Date.now() / 1000) + 3600

  it("reads chain id and the default nonce, signs, and the Coordinator accepts the body", async () => {
    const { rpcUrl } = anvil.current()
    const { coordinator, owner } = await deployTestCoordinator({ rpcUrl, generation: "v1", signer: account })
    const subscription = Subscription.v1({
      owner,
      activeAt: 0,
      period: 0,
      frequency: 1,
      redundancy: 1,
      containers: ["hello-world"]
    })
    const body = await DelegatedSubscription.prepareDelegatedSubscription({
      account,
      rpcUrl,
      coordinator,
      subscription,
      expiry: expiry(),
      data: { prompt: "hello" }
    })
    assert.strictEqual(body.signature.nonce, 1)
    assert.deepStrictEqual(body.data, { prompt: "hello" })
    const { signature } = DelegatedSubscription.fromRequestBody(DelegatedSubscription.stringifyRequestBody(body))
    // submit it for real, then the default nonce moves past it
    const wallet = walletFor(anvil.current(), V.key3)
    const hash = await wallet.writeContract({
      address: coordinator,
      abi: Coordinator.abiV1,
      functionName: "createSubscriptionDelegatee",
      args: [
        signature.nonce,
        signature.expiry,
        {
          owner: subscription.owner,
          activeAt: 0,
          period: 0,
          frequency: 1,
          redundancy: 1,
          containerId: subscription.containerId,
          lazy: false,
          verifier: zeroAddress,
          paymentAmount: 0n,
          paymentToken: zeroAddress,
          wallet: zeroAddress
        },
        signature.v,
        toHex(signature.r, { size: 32 }),
        toHex(signature.s, { size: 32 })
      ]
    })
    const receipt = await anvil.publicClient().waitForTransactionReceipt({ hash, pollingInterval: 50 })
    assert.strictEqual(receipt.status, "success")
    const next = await DelegatedSubscription.prepareDelegatedSubscription({
      account,
      publicClient: anvil.publicClient() as PublicClient,
      coordinator,
      subscription,
      expiry: expiry(),
      data: {}
    })
    assert.strictEqual(next.signature.nonce, 2)
    const overridden = await DelegatedSubscription.prepareDelegatedSubscription({
      account,
      rpcUrl,
      coordinator,
      subscription,
      expiry: expiry(),
      nonce: 42,
      data: {}
    })
    assert.strictEqual(overridden.signature.nonce, 42)
    const recovered = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({
      chainId: anvil.current().chainId,
      coordinator,
      request: overridden
    })
    assert.strictEqual(recovered, account.address)
  })

  it("refuses to sign for a Coordinator with another EIP-712 domain, unless checkDomain is false", async () => {
    const { rpcUrl } = anvil.current()
    const { coordinator, owner } = await deployTestCoordinator({
      rpcUrl,
      generation: "v0",
      signer: account,
      name: "SomethingElse"
    })
    const subscription = Subscription.v0({
      owner,
      activeAt: 0,
      period: 0,
      frequency: 1,
      redundancy: 1,
      maxGasPrice: 1,
      maxGasLimit: 1,
      containers: ["a"]
    })
    const input = { account, rpcUrl, coordinator, subscription, expiry: expiry(), data: {} }
    const r = await reason(DelegatedSubscription.prepareDelegatedSubscription(input))
    assert.strictEqual(r._tag, "DomainMismatch")
    assert.strictEqual(
      r.message,
      `Refusing to sign: the Coordinator at ${coordinator} uses EIP-712 name "SomethingElse", expected ` +
        `"InfernetCoordinator". Check the Coordinator address and chain, or pass checkDomain: false to sign anyway.`
    )
    const body = await DelegatedSubscription.prepareDelegatedSubscription({ ...input, checkDomain: false })
    assert.strictEqual(body.signature.nonce, 1)
  })

  it("checks a paid generation 2 subscription before signing: wallet, allowance, and says what is missing", async () => {
    const { rpcUrl } = anvil.current()
    const { coordinator, owner, registry } = await deployTestCoordinator({ rpcUrl, generation: "v1", signer: account })
    const walletOwner = privateKeyToAccount(V.key3)
    const factory = (await Registry.read({ rpcUrl, registry: registry! })).walletFactory
    const { wallet } = await WalletFactory.createWallet({ rpcUrl, account: walletOwner, factory })
    await Wallet.fund({ rpcUrl, account: walletOwner, wallet, amount: "0.1 ether" })
    const subscription = Subscription.v1({
      owner,
      activeAt: 0,
      period: 0,
      frequency: 1,
      redundancy: 1,
      containers: ["hello-world"],
      paymentAmount: 10n ** 15n,
      wallet
    })
    const input = { account, rpcUrl, coordinator, registry, subscription, expiry: expiry(), data: {} }
    // not approved yet: the allowance found and the amount needed
    const missing = await reason(DelegatedSubscription.prepareDelegatedSubscription(input))
    assert.strictEqual(missing._tag, "InsufficientAllowance")
    assert.strictEqual(
      missing.message,
      `Insufficient allowance: ${wallet} has not approved spender ${owner} for enough of ETH: allowance 0, ` +
        "needs 1000000000000000 (the wallet's owner must approve at least 1000000000000000: Wallet.approve or infernet-client approve)"
    )
    // approved: signed, and the Coordinator accepts the paid subscription
    await Wallet.approve({ rpcUrl, account: walletOwner, wallet, spender: owner, amount: "0.001 ether" })
    const body = await DelegatedSubscription.prepareDelegatedSubscription(input)
    const signed = DelegatedSubscription.fromRequestBody(body)
    assert.strictEqual(signed.subscription.version === "v1" && signed.subscription.wallet, wallet)
    assert.deepStrictEqual(await Coordinator.simulateCreateSubscriptionDelegatee({ rpcUrl, coordinator, ...signed }), {
      subscriptionId: 1,
      existed: false
    })
    // a wallet the factory did not make: named before signing, and the Coordinator would revert InvalidWallet()
    const stray: Subscription.SubscriptionV1 = { ...subscription, wallet: V.address2 }
    const invalid = await reason(DelegatedSubscription.prepareDelegatedSubscription({ ...input, subscription: stray }))
    assert.strictEqual(invalid._tag, "InvalidWallet")
    assert.strictEqual((invalid as ChainError.InvalidWallet).factory, factory)
    const unchecked = await DelegatedSubscription.prepareDelegatedSubscription({
      ...input,
      subscription: stray,
      checkPayment: false
    })
    const r = await reason(
      Coordinator.simulateCreateSubscriptionDelegatee({
        rpcUrl,
        coordinator,
        ...DelegatedSubscription.fromRequestBody(unchecked)
      })
    )
    assert.deepStrictEqual(
      [r._tag, (r as ChainError.SimulationReverted).errorName, (r as ChainError.SimulationReverted).selector],
      ["SimulationReverted", "InvalidWallet", "0x23455ba1"]
    )
    // no Registry: the check cannot run, and says how to proceed
    const noRegistry = await reason(
      DelegatedSubscription.prepareDelegatedSubscription({ ...input, registry: undefined })
    )
    assert.deepStrictEqual(
      [noRegistry._tag, (noRegistry as ChainError.InvalidArgument).field],
      ["InvalidArgument", "registry"]
    )
    assert.include(noRegistry.message, "pass registry (the Registry address Ritual publishes), or walletFactory")
    // the factory instead of the Registry
    const viaFactory = await DelegatedSubscription.prepareDelegatedSubscription({
      ...input,
      registry: undefined,
      walletFactory: factory
    })
    assert.strictEqual(
      "payment_amount" in viaFactory.subscription && viaFactory.subscription.payment_amount,
      10n ** 15n
    )
  })

  it("fails with RpcError when the RPC is unreachable", async () => {
    const r = await reason(
      DelegatedSubscription.prepareDelegatedSubscription({
        account,
        rpcUrl: "http://127.0.0.1:1",
        coordinator: V.v1.coordinator,
        subscription: V.v1.subscription,
        expiry: expiry(),
        data: {}
      })
    )
    assert.strictEqual(r._tag, "RpcError")
    assert.strictEqual((r as ChainError.RpcError).method, "eth_chainId")
  })

  it.effect("the Effect version makes no RPC call when chain id, nonce and checkDomain: false are given", () =>
    Effect.gen(function* () {
      const body = yield* DelegatedSubscription.prepareDelegatedSubscriptionEffect({
        account,
        rpcUrl: "http://127.0.0.1:1",
        chainId: V.chainId,
        nonce: V.nonce,
        checkDomain: false,
        coordinator: V.v1.coordinator,
        subscription: V.v1.subscription,
        expiry: 10,
        data: {}
      })
      assert.deepStrictEqual(body.signature, {
        nonce: 1,
        expiry: 10,
        v: body.signature.v,
        r: body.signature.r,
        s: body.signature.s
      })
      const recovered = yield* DelegatedSubscription.recoverDelegatedSubscriptionSignerEffect({
        chainId: V.chainId,
        coordinator: V.v1.coordinator,
        request: body
      })
      assert.strictEqual(recovered, V.signerAddress)
    })
  )
})

describe("the usage page's example, in TypeScript", () => {
  /** An RPC that answers what a Coordinator without eip712Domain() would: chain id 1, constants, nonce 0. */
  const fakeRpc = (calls: Array<string>) =>
    createPublicClient({
      transport: custom({
        request: async ({ method, params: rpcParams }: { method: string; params: unknown }) => {
          if (method === "eth_chainId") return "0x1"
          if (method !== "eth_call") throw new Error(`unexpected ${method}`)
          const [{ data, to }] = rpcParams as [{ data: Hex; to: string }]
          assert.strictEqual(to.toLowerCase(), "0x1fbdb2315678afecb369f032d93f642f64140aa3")
          const { functionName } = decodeFunctionData({ abi: Coordinator.abiV0, data })
          calls.push(functionName)
          if (functionName === "eip712Domain") return "0x"
          const abi = Coordinator.abiV0
          if (functionName === "EIP712_NAME")
            return encodeFunctionResult({ abi, functionName, result: "InfernetCoordinator" })
          if (functionName === "EIP712_VERSION") return encodeFunctionResult({ abi, functionName, result: "1" })
          if (functionName === "maxSubscriberNonce") return encodeFunctionResult({ abi, functionName, result: 0 })
          throw new Error(`unexpected ${functionName}`)
        }
      })
    })

  it("signs with the same values and POSTs a body a node can verify", async () => {
    const received: Array<{ method?: string | undefined; url?: string | undefined; text: string }> = []
    const server = createServer((req, res) => {
      let text = ""
      req.on("data", (chunk) => {
        text += chunk
      })
      req.on("end", () => {
        received.push({ method: req.method, url: req.url, text })
        res.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const calls: Array<string> = []
    try {
      // README, "Generation 1": only the RPC (a fake) and the node URL (a local server) differ
      const body = await DelegatedSubscription.prepareDelegatedSubscription({
        account: privateKeyToAccount("0xb25c7db31feed9122727bf0939dc769a96564b2ae4c4726d035b36ecf1e5b364"),
        publicClient: fakeRpc(calls),
        coordinator: "0x1FbDB2315678afecb369f032d93F642f64140aa3",
        subscription: Subscription.v0({
          owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
          activeAt: 0,
          period: 3,
          frequency: 2,
          redundancy: 2,
          maxGasPrice: 1_000_000_000_000,
          maxGasLimit: 3_000_000,
          containerId: "openai-inference",
          inputs: new Uint8Array()
        }),
        expiry: 1713376164,
        data: {
          model: "gpt-3.5-turbo-16k",
          params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
        }
      })
      const response = await fetch(`${node}/api/jobs`, {
        method: "POST",
        body: DelegatedSubscription.stringifyRequestBody(body)
      })
      assert.strictEqual(response.status, 200)
      assert.deepStrictEqual(calls, ["eip712Domain", "EIP712_NAME", "EIP712_VERSION", "maxSubscriberNonce"])
      assert.strictEqual(received.length, 1)
      const { method, url, text: sent } = received[0]!
      assert.deepStrictEqual([method, url], ["POST", "/api/jobs"])
      const decoded = DelegatedSubscription.fromRequestBody(sent)
      assert.deepStrictEqual([decoded.signature.nonce, decoded.signature.expiry], [1, 1713376164])
      assert.include(sent, `"r":${decoded.signature.r}`)
      assert.include(sent, '"container_id":"openai-inference","inputs":"0x"')
      expect(decoded.signature).toMatchInlineSnapshot(`
        {
          "expiry": 1713376164,
          "nonce": 1,
          "r": 97969579822852722686879953627491860852715525221411461442385913950133593043765n,
          "s": 10524319206368864323892931411908077739736959175848367553679819129212773204056n,
          "v": 27,
        }
      `)
      const signer = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({
        chainId: 1,
        coordinator: "0x1fbdb2315678afecb369f032d93f642f64140aa3",
        request: Json.parse(sent)
      })
      assert.strictEqual(
        signer,
        privateKeyToAccount("0xb25c7db31feed9122727bf0939dc769a96564b2ae4c4726d035b36ecf1e5b364").address
      )
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
