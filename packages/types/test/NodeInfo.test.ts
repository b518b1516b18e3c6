import { assert, describe, it } from "@effect/vitest"
import { NodeInfo } from "../src/index.js"
import { assertEncodeDecodeIdentity, assertWireRoundTrip, decodeError } from "./utils/roundtrip.js"

const usagePageInfo = `{
  "version": "0.3.0",
  "containers": [
    {
      "id": "openai-inference-0.0.1",
      "image": "ritualnetwork/css_inference_service:latest",
      "description": "OPENAI Inference Service",
      "external": true
    }
  ],
  "pending": { "offchain": 5, "onchain": 3 },
  "chain": { "enabled": true, "address": "0x5FbDB2315678afecb367f032d93F642f64180aa3" }
}`

describe("NodeInfo", () => {
  it("decodes and re-encodes the usage page's /info", () => {
    const info = assertWireRoundTrip(NodeInfo.NodeInfo, usagePageInfo)
    assert.strictEqual(info.containers[0]?.id, "openai-inference-0.0.1")
    assert.strictEqual(info.pending.offchain, 5)
  })

  it("accepts a node with chain disabled", () => {
    assertWireRoundTrip(
      NodeInfo.NodeInfo,
      '{"chain":{"address":"","enabled":false},"containers":[],"pending":{"offchain":0,"onchain":0},"version":"1.4.0"}'
    )
  })

  it("rejects negative pending counts and missing fields", () => {
    assert.match(
      decodeError(NodeInfo.NodeInfo, { ...JSON.parse(usagePageInfo), pending: { offchain: -1, onchain: 0 } }),
      /offchain/
    )
    assert.match(decodeError(NodeInfo.NodeInfo, { version: "1.4.0" }), /containers/)
  })

  it("health, resources and model support", () => {
    assertWireRoundTrip(NodeInfo.HealthInfo, '{"status":"healthy"}')
    assertWireRoundTrip(NodeInfo.Resources, '{"hello-world":{"hardware":{"cpu":{"cores":8}},"models":[]}}')
    assertWireRoundTrip(
      NodeInfo.ModelSupportMap,
      '{"a":{"supported":true},"b":{"supported":false,"error":"model not found"}}'
    )
    assert.match(decodeError(NodeInfo.ModelSupportMap, { a: { supported: "yes" } }), /supported/)
  })

  it("ServiceResources: a Ritual service's /service-resources answer, capability keys kept as they are", () => {
    const wire =
      '{"compute_capability":[{"cached_models":[],"id":"ml","models":["gpt-4o"],"task":["text-generation"],"type":"css"}],' +
      '"hardware_capabilities":[{"capability_id":"base","cpu_info":{"num_cores":8}}],"service_id":"css_inference_service","version":"0.1.0"}'
    const decoded = assertWireRoundTrip(NodeInfo.ServiceResources, wire)
    assert.strictEqual(decoded.compute_capability[0]?.id, "ml")
    assert.deepStrictEqual(decoded.hardware_capabilities[0]?.cpu_info, { num_cores: 8 })
    assert.match(
      decodeError(NodeInfo.ServiceResources, { hardware_capabilities: [], compute_capability: [] }),
      /service_id/
    )
  })

  it("encode -> decode is the identity", () => {
    assertEncodeDecodeIdentity(NodeInfo.NodeInfo)
    assertEncodeDecodeIdentity(NodeInfo.HealthInfo)
    assertEncodeDecodeIdentity(NodeInfo.Resources, 50)
    assertEncodeDecodeIdentity(NodeInfo.ModelSupportMap)
  })
})
