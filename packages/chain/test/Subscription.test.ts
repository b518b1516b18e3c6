import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { zeroAddress } from "viem"
import { ChainError, Subscription } from "../src/index.js"

const failure = (f: () => unknown): ChainError.InvalidSubscription | ChainError.ChainErrorReason => {
  try {
    f()
  } catch (error) {
    assert.isTrue(ChainError.isChainError(error), String(error))
    return (error as ChainError.ChainError).reason
  }
  return assert.fail("expected a ChainError")
}

const v0Params = {
  owner: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  activeAt: 0,
  period: 3,
  frequency: 2,
  redundancy: 2,
  maxGasPrice: 1000000000000,
  maxGasLimit: 3000000,
  containerId: "openai-inference"
} as const

const v1Params = {
  owner: "0x9FE46736679D2D9A65F0992F2272DE9F3C7FA6E0",
  activeAt: 1_700_000_000,
  period: 60,
  frequency: 10,
  redundancy: 2,
  containers: ["hello-world", "another"]
} as const

describe("Subscription.v0", () => {
  it("builds the usage page's subscription with defaults and a checksummed owner", () => {
    assert.deepStrictEqual(Subscription.v0(v0Params), {
      version: "v0",
      owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      activeAt: 0,
      period: 3,
      frequency: 2,
      redundancy: 2,
      maxGasPrice: 1000000000000,
      maxGasLimit: 3000000,
      containerId: "openai-inference",
      inputs: "0x"
    })
  })

  it("joins containers, accepts bigint integers and byte inputs", () => {
    const s = Subscription.v0({
      ...v0Params,
      containerId: undefined,
      containers: ["a", "b"],
      maxGasPrice: 2n ** 48n - 1n,
      inputs: new Uint8Array([0xab, 0xcd])
    })
    assert.deepStrictEqual([s.containerId, s.maxGasPrice, s.inputs], ["a,b", 2 ** 48 - 1, "0xabcd"])
    assert.strictEqual(Subscription.v0({ ...v0Params, inputs: "0xABCD" }).inputs, "0xabcd")
  })

  it("names the invalid field", () => {
    const cases: Array<[string, () => unknown]> = [
      ["owner", () => Subscription.v0({ ...v0Params, owner: "0x123" })],
      ["activeAt", () => Subscription.v0({ ...v0Params, activeAt: 2 ** 32 })],
      ["period", () => Subscription.v0({ ...v0Params, period: -1 })],
      ["frequency", () => Subscription.v0({ ...v0Params, frequency: 1.5 })],
      ["redundancy", () => Subscription.v0({ ...v0Params, redundancy: 65_536 })],
      ["maxGasPrice", () => Subscription.v0({ ...v0Params, maxGasPrice: 2n ** 48n })],
      ["maxGasLimit", () => Subscription.v0({ ...v0Params, maxGasLimit: Number.NaN })],
      ["containerId", () => Subscription.v0({ ...v0Params, containerId: "" })],
      ["inputs", () => Subscription.v0({ ...v0Params, inputs: "0x123" as `0x${string}` })],
      ["containers", () => Subscription.v0({ ...v0Params, containers: ["x"] } as never)]
    ]
    for (const [field, f] of cases) {
      const reason = failure(f)
      assert.strictEqual(reason._tag, "InvalidSubscription")
      assert.strictEqual((reason as ChainError.InvalidSubscription).field, field)
    }
    expect(cases.map(([, f]) => failure(f).message)).toMatchInlineSnapshot(`
      [
        "Invalid subscription: owner must be an address (0x and 40 hex digits), got "0x123"",
        "Invalid subscription: activeAt must fit uint32 (0 to 4294967295), got 4294967296",
        "Invalid subscription: period must fit uint32 (0 to 4294967295), got -1",
        "Invalid subscription: frequency must be an unsigned integer (uint32), got 1.5",
        "Invalid subscription: redundancy must fit uint16 (0 to 65535), got 65536",
        "Invalid subscription: maxGasPrice must fit uint48 (0 to 281474976710655), got 281474976710656",
        "Invalid subscription: maxGasLimit must be an unsigned integer (uint32), got NaN",
        "Invalid subscription: containerId has an empty container id at position 0",
        "Invalid subscription: inputs must be hex bytes (0x and an even number of hex digits), got "0x123"",
        "Invalid subscription: containers and containerId are exclusive: pass one of them",
      ]
    `)
  })
})

describe("Subscription.v1", () => {
  it("hashes the container ids and fills the defaults", () => {
    assert.deepStrictEqual(Subscription.v1(v1Params), {
      version: "v1",
      owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      activeAt: 1_700_000_000,
      period: 60,
      frequency: 10,
      redundancy: 2,
      containerId: "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
      lazy: false,
      verifier: zeroAddress,
      paymentAmount: 0n,
      paymentToken: zeroAddress,
      wallet: zeroAddress
    })
  })

  it("takes a precomputed containerId, payment and addresses", () => {
    const s = Subscription.v1({
      ...v1Params,
      containers: undefined,
      containerId: "0x62B6DA134CA24D08070BBE76F9F581154B129FDD1460D9A5B0EE7B264ADC0825",
      lazy: true,
      verifier: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720",
      paymentAmount: 2n ** 255n,
      paymentToken: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      wallet: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
    })
    assert.deepStrictEqual(
      [s.containerId, s.lazy, s.verifier, s.paymentAmount, s.paymentToken, s.wallet],
      [
        "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
        true,
        "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
        2n ** 255n,
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
      ]
    )
  })

  it("names the invalid field", () => {
    const cases: Array<[string, () => unknown]> = [
      ["containerId", () => Subscription.v1({ ...v1Params, containers: undefined, containerId: "0x12" })],
      ["containers", () => Subscription.v1({ ...v1Params, containers: ["a,b"] })],
      ["paymentAmount", () => Subscription.v1({ ...v1Params, paymentAmount: -1n })],
      ["paymentAmount", () => Subscription.v1({ ...v1Params, paymentAmount: 2 ** 60 })],
      ["verifier", () => Subscription.v1({ ...v1Params, verifier: "vitalik.eth" })],
      ["lazy", () => Subscription.v1({ ...v1Params, lazy: "yes" as never })],
      ["wallet", () => Subscription.v1({ ...v1Params, wallet: "0x9FE46736679D2D9A65F0992F2272DE9F3C7FA6E" })]
    ]
    for (const [field, f] of cases) {
      assert.strictEqual((failure(f) as ChainError.InvalidSubscription).field, field)
    }
    expect(cases.map(([, f]) => failure(f).message)).toMatchInlineSnapshot(`
      [
        "Invalid subscription: containerId must be 32 bytes as hex (0x and 64 hex digits), got "0x12" (generation 2 hashes the ids: pass containers: [...ids] to have it computed)",
        "Invalid subscription: containers has an id with a comma ("a,b"): ids are comma-joined on chain, pass them as separate items",
        "Invalid subscription: paymentAmount must fit uint256 (0 to 115792089237316195423570985008687907853269984665640564039457584007913129639935), got -1",
        "Invalid subscription: paymentAmount is 1152921504606846976, above Number.MAX_SAFE_INTEGER, where a number may not hold the digits written: pass a bigint",
        "Invalid subscription: verifier must be an address (0x and 40 hex digits), got "vitalik.eth"",
        "Invalid subscription: lazy must be a boolean, got "yes"",
        "Invalid subscription: wallet must be an address (0x and 40 hex digits), got "0x9FE46736679D2D9A65F0992F2272DE9F3C7FA6E"",
      ]
    `)
  })
})

describe("Subscription.make", () => {
  it.effect("fails in the error channel instead of throwing", () =>
    Effect.gen(function* () {
      const ok = yield* Subscription.make({ version: "v1", ...v1Params })
      assert.isTrue(Subscription.isV1(ok))
      assert.isFalse(Subscription.isV0(ok))
      const exit = yield* Effect.exit(Subscription.make({ version: "v0", ...v0Params, period: -1 }))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Subscription.make({ version: "v0", ...v0Params, period: -1 }))
      assert.strictEqual(error.reason._tag, "InvalidSubscription")
    })
  )
})

describe("wire shape", () => {
  it("round-trips both generations through the REST shape", () => {
    for (const s of [Subscription.v0(v0Params), Subscription.v1({ ...v1Params, paymentAmount: 10n ** 30n })]) {
      const wire = Subscription.toWire(s)
      assert.deepStrictEqual(Subscription.fromWire(wire), s)
      assert.deepStrictEqual(
        Subscription.fromWire(JSON.parse(JSON.stringify(wire, (_, v) => (typeof v === "bigint" ? v.toString() : v)))),
        s
      )
    }
    expect(Subscription.toWire(Subscription.v1(v1Params))).toMatchInlineSnapshot(`
      {
        "active_at": 1700000000,
        "containers": "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
        "frequency": 10,
        "lazy": false,
        "owner": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "payment_amount": 0n,
        "payment_token": "0x0000000000000000000000000000000000000000",
        "period": 60,
        "redundancy": 2,
        "verifier": "0x0000000000000000000000000000000000000000",
        "wallet": "0x0000000000000000000000000000000000000000",
      }
    `)
  })

  it("normalises a lower-case owner from the wire", () => {
    const s = Subscription.fromWire({ ...Subscription.toWire(Subscription.v0(v0Params)), owner: v0Params.owner })
    assert.strictEqual(s.owner, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
  })

  it("refuses to write a hand-made subscription that does not fit the wire", () => {
    const reason = failure(() => Subscription.toWire({ ...Subscription.v0(v0Params), inputs: "0x1" }))
    assert.strictEqual(reason._tag, "InvalidRequest")
    expect(reason.message).toMatch(/^Invalid delegated subscription request: subscription inputs: /)
  })

  it("rejects a wire subscription of neither generation", () => {
    const reason = failure(() => Subscription.fromWire({ owner: zeroAddress }))
    assert.strictEqual(reason._tag, "InvalidRequest")
  })
})
