import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { DelegatedSubscription, Job, Json } from "../src/index.js"
import { assertEncodeDecodeIdentity, assertWireRoundTrip, decodeError } from "./utils/roundtrip.js"

// chain.md's generation-1 test vector as a REST body: r and s are exact JSON integers.
const r = BigInt("0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fb")
const s = BigInt("0x7e8a9497dfbef1531dede2129ca62c0086a90ff6390bc8e53978760d386aad28")
const v0Body = `{
  "subscription": {
    "owner": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", "active_at": 1700000000, "period": 60, "frequency": 10,
    "redundancy": 2, "max_gas_price": 1000000000000, "max_gas_limit": 3000000,
    "container_id": "hello-world,another", "inputs": "0x1234"
  },
  "signature": { "nonce": 1, "expiry": 2000000000, "v": 27, "r": ${r}, "s": ${s} },
  "data": { "prompt": "hi" }
}`
const zero = "0x0000000000000000000000000000000000000000"
const v1Subscription = {
  owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  active_at: 1700000000,
  period: 60,
  frequency: 10,
  redundancy: 2,
  containers: "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
  lazy: false,
  verifier: zero,
  payment_amount: 0,
  payment_token: zero,
  wallet: zero
}

describe("DelegatedSubscriptionRequest", () => {
  it("round-trips a generation-1 body with r and s exact", () => {
    const body = assertWireRoundTrip(DelegatedSubscription.DelegatedSubscriptionRequest, v0Body)
    assert.strictEqual(body.signature.r, r)
    assert.strictEqual(body.signature.s, s)
    assert.isFalse(DelegatedSubscription.isV1(body.subscription))
    const text = Json.stringify(Schema.encodeSync(DelegatedSubscription.DelegatedSubscriptionRequest)(body))
    assert.include(text, `"r":${r},"s":${s}`)
  })

  it("round-trips a generation-2 body, payment_amount as an exact integer", () => {
    const amount = 2n ** 200n
    const text = Json.stringify({
      subscription: { ...v1Subscription, payment_amount: amount },
      signature: { nonce: 1, expiry: 2000000000, v: 28, r, s },
      data: {}
    })
    const body = assertWireRoundTrip(DelegatedSubscription.DelegatedSubscriptionRequest, text)
    assert.isTrue(DelegatedSubscription.isV1(body.subscription))
    if (DelegatedSubscription.isV1(body.subscription)) assert.strictEqual(body.subscription.payment_amount, amount)
  })

  it("is what POST /api/jobs accepts besides a job", () => {
    const decoded = Schema.decodeUnknownSync(Job.JobSubmission)(Json.parse(v0Body))
    assert.property(decoded, "signature")
  })

  it("rejects out-of-range and malformed fields with the field named", () => {
    const body = Json.parse(v0Body) as { subscription: Record<string, unknown>; signature: Record<string, unknown> }
    assert.match(
      decodeError(DelegatedSubscription.DelegatedSubscriptionRequest, {
        ...body,
        signature: { ...body.signature, v: 1 }
      }),
      /\["v"\]/
    )
    assert.match(
      decodeError(DelegatedSubscription.SubscriptionV0, { ...body.subscription, redundancy: 70000 }),
      /uint16: 0 to 65535, got 70000/
    )
    assert.match(
      decodeError(DelegatedSubscription.SubscriptionV0, { ...body.subscription, inputs: "0x123" }),
      /even number of hex digits/
    )
    assert.match(decodeError(DelegatedSubscription.SubscriptionV0, { ...body.subscription, owner: "0x12" }), /address/)
    assert.match(decodeError(DelegatedSubscription.Signature, { ...body.signature, r: -1 }), /uint256/)
    assert.match(
      decodeError(DelegatedSubscription.SubscriptionV1, { ...v1Subscription, containers: "0x1234" }),
      /32 bytes/
    )
  })

  it("encode -> decode is the identity", () => {
    assertEncodeDecodeIdentity(DelegatedSubscription.SubscriptionV0)
    assertEncodeDecodeIdentity(DelegatedSubscription.SubscriptionV1)
    assertEncodeDecodeIdentity(DelegatedSubscription.Signature)
    assertEncodeDecodeIdentity(DelegatedSubscription.DelegatedSubscriptionRequest, 100)
  })
})
