import { assert, describe, it } from "@effect/vitest"
import { Router } from "../src/index.js"
import { assertEncodeDecodeIdentity, assertWireRoundTrip, decodeError } from "./utils/roundtrip.js"

describe("Router", () => {
  it("decodes the router's containers list, with and without a description", () => {
    const containers = assertWireRoundTrip(
      Router.Containers,
      '[{"count":2,"description":"OPENAI Inference Service","id":"openai-inference-0.0.1"},{"count":1,"description":null,"id":"hello-world"}]'
    )
    assert.strictEqual(containers.length, 2)
    assert.strictEqual(containers[0]?.count, 2)
    assert.isNull(containers[1]?.description)
  })

  it("rejects a negative count and an empty container id", () => {
    assert.include(decodeError(Router.ContainerSummary, { id: "a", count: -1, description: null }), "count")
    assert.include(
      decodeError(Router.ContainerSummary, { id: "", count: 1, description: null }),
      "Expected a container id"
    )
  })

  it("decodes address arrays, empty included, and rejects an empty address", () => {
    assert.deepStrictEqual(assertWireRoundTrip(Router.Addresses, '["127.0.0.1:4000","[::1]:4001"]'), [
      "127.0.0.1:4000",
      "[::1]:4001"
    ])
    assert.deepStrictEqual(assertWireRoundTrip(Router.Addresses, "[]"), [])
    assert.include(decodeError(Router.Addresses, [""]), "Expected a node address")
  })

  it("decodes the resources map and the model-support map", () => {
    const resources = assertWireRoundTrip(
      Router.Resources,
      '{"127.0.0.1:4000":{"hello-world":{"hardware":{"cpu":{"cores":8}}}}}'
    )
    assert.deepStrictEqual(Object.keys(resources), ["127.0.0.1:4000"])
    const support = assertWireRoundTrip(
      Router.ModelSupport,
      '{"127.0.0.1:4000":{"openai-inference-0.0.1":{"supported":false,"error":"no such model"}}}'
    )
    assert.strictEqual(support["127.0.0.1:4000"]?.["openai-inference-0.0.1"]?.supported, false)
    assert.include(decodeError(Router.ModelSupport, { "a:1": { c: { supported: "yes" } } }), "supported")
  })

  it("round-trips any value of its schemas", () => {
    assertEncodeDecodeIdentity(Router.Containers, 50)
    assertEncodeDecodeIdentity(Router.Addresses, 50)
    assertEncodeDecodeIdentity(Router.ModelSupport, 50)
  })
})
