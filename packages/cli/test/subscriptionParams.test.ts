import { assert, describe, it } from "@effect/vitest"
import { Subscription } from "@infernet/chain"
import { fileField, ParamsError, toMakeParameters } from "../src/internal/subscriptionParams.js"
import { usagePageParams } from "./utils/mock.js"

const usagePage = usagePageParams("0x5FbDB2315678afecb367f032d93F642f64180aa3")

const error = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    assert.instanceOf(e, ParamsError)
    return (e as ParamsError).detail
  }
  assert.fail("expected a ParamsError")
}

describe("subscriptionParams", () => {
  it("reads the usage page's Subscription as a v0 subscription", () => {
    const params = toMakeParameters(usagePage, undefined)
    assert.deepStrictEqual(params, {
      version: "v0",
      owner: usagePage.owner,
      activeAt: 0,
      period: 3,
      frequency: 2,
      redundancy: 2,
      maxGasPrice: 1000000000000,
      maxGasLimit: 3000000,
      containers: ["openai-inference"],
      inputs: "0x"
    })
    const sub = Subscription.v0(params as Subscription.V0Parameters)
    assert.strictEqual(sub.containerId, "openai-inference")
  })

  it("accepts camelCase keys, container lists, hex inputs and decimal strings", () => {
    const params = toMakeParameters(
      { ...usagePage, container_id: undefined, containerId: ["a", "b"], inputs: "0x1234", maxGasPrice: "1000" },
      undefined
    )
    assert.include(params, { version: "v0", inputs: "0x1234", maxGasPrice: 1000 })
    assert.deepStrictEqual((params as { containers: unknown }).containers, ["a", "b"])
  })

  it("selects v1 from a v1-only field, or from --generation", () => {
    const v1 = toMakeParameters(
      {
        owner: usagePage.owner,
        active_at: 0,
        period: 0,
        frequency: 1,
        redundancy: 1,
        containers: "hello-world,x",
        payment_amount: 10n ** 30n
      },
      undefined
    )
    assert.include(v1, { version: "v1", paymentAmount: 10n ** 30n })
    assert.deepStrictEqual((v1 as { containers: unknown }).containers, ["hello-world", "x"])
    const hash = `0x${"ab".repeat(32)}` as const
    const byHash = toMakeParameters(
      { owner: usagePage.owner, active_at: 0, period: 0, frequency: 1, redundancy: 1, container_id: hash },
      "v1"
    )
    assert.include(byHash, { version: "v1", containerId: hash })
  })

  it("names unknown, missing and mistyped fields", () => {
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage, actve_at: 1 }, undefined)),
      'unknown field "actve_at" for a v0 subscription; did you mean "active_at"?'
    )
    assert.strictEqual(
      error(() =>
        toMakeParameters(
          {
            owner: usagePage.owner,
            active_at: 0,
            period: 0,
            frequency: 1,
            redundancy: 1,
            containers: ["a"],
            walet: "0x"
          },
          undefined
        )
      ),
      'unknown field "walet" for a v1 subscription; did you mean "wallet"?'
    )
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage, zzz: 1 }, undefined)),
      'unknown field "zzz" for a v0 subscription'
    )
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage, lazy: true }, "v0")),
      'unknown field "lazy" for a v0 subscription (it belongs to a v1 subscription: drop --generation v0)'
    )
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage }, "v1")),
      'unknown field "max_gas_price" for a v1 subscription (it belongs to a v0 subscription)'
    )
    const { period: _, ...noPeriod } = usagePage
    assert.strictEqual(
      error(() => toMakeParameters(noPeriod, undefined)),
      'missing field "period"'
    )
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage, period: "3s" }, undefined)),
      'period: expected a non-negative integer, got "3s"'
    )
    assert.strictEqual(
      error(() => toMakeParameters({ ...usagePage, inputs: "1234" }, undefined)),
      'inputs: expected hex bytes starting with 0x (or ""), got "1234"'
    )
    assert.strictEqual(
      error(() => toMakeParameters([], undefined)),
      "expected a JSON object with the subscription fields, got an array"
    )
  })

  it("maps the chain's field names back to the file's", () => {
    assert.strictEqual(fileField("activeAt", "v0"), "active_at")
    assert.strictEqual(fileField("containers", "v0"), "container_id")
    assert.strictEqual(fileField("containers", "v1"), "containers")
    assert.strictEqual(fileField("paymentAmount", "v1"), "payment_amount")
  })
})
