import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Job, Primitives } from "../src/index.js"
import { assertEncodeDecodeIdentity, assertWireRoundTrip, decodeError } from "./utils/roundtrip.js"

// The usage page's examples, with its "..." elisions filled in by real numbers.
const completionRequest = `{
  "containers": ["openai-inference-0.0.1"],
  "data": {
    "model": "gpt-3.5-turbo-16k",
    "params": { "endpoint": "completion", "messages": [{ "role": "user", "content": "how do I make pizza?" }] }
  }
}`
const embeddingRequest = (container: string) => `{
  "containers": ["${container}"],
  "data": {
    "model": "text-embedding-3-small",
    "params": { "endpoint": "embeddings", "input": "This string is meant to be embedded." }
  }
}`
const batchResponse = `[
  { "id": "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8" },
  { "id": "4ac0b5a5-eedb-4688-bb96-75afca891a47" },
  { "error": "Container not supported", "params": { "container": "non-existent-container" } }
]`
const results = `[
  {
    "id": "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8",
    "result": { "container": "openai-inference-0.0.1", "output": [-0.00045939715, 0.035724517, 0.0002739553, 0.032772407, 0.014461349, 0.049188532] },
    "status": "success"
  },
  {
    "id": "4ac0b5a5-eedb-4688-bb96-75afca891a47",
    "result": { "container": "openai-inference-0.0.1", "output": [0.0024995692, -0.001929842, -0.007998622, 0.001959762, 0.023656772, 0.015548443] },
    "status": "success"
  }
]`
const statusRecord = (status: string) =>
  `{ "id": "d77215c8-dd25-4843-89c4-788eef9ed324", "status": "${status}", "containers": ["openai-inference"] }`

describe("usage page examples decode and re-encode to the same JSON", () => {
  it("job request", () => {
    const request = assertWireRoundTrip(Job.JobRequest, completionRequest)
    assert.deepStrictEqual(request.containers, ["openai-inference-0.0.1"] as ReadonlyArray<string>)
  })

  it("batch request with the unsupported container", () => {
    assertWireRoundTrip(
      Schema.Array(Job.JobRequest),
      `[${embeddingRequest("openai-inference-0.0.1")}, ${embeddingRequest("openai-inference-0.0.1")}, ${embeddingRequest("non-existent-container")}]`
    )
  })

  it("job response", () => {
    assert.strictEqual(
      assertWireRoundTrip(Job.JobResponse, '{"id": "29dd2f8b-05c3-4b1c-a103-370c04c6850f"}').id,
      "29dd2f8b-05c3-4b1c-a103-370c04c6850f"
    )
  })

  it("batch response: ids and a rejection, in order", () => {
    const items = assertWireRoundTrip(Schema.Array(Job.BatchResponseItem), batchResponse)
    assert.deepStrictEqual(items[2], {
      error: "Container not supported",
      params: { container: "non-existent-container" }
    })
  })

  it("results", () => {
    const decoded = assertWireRoundTrip(Schema.Array(Job.JobResult), results)
    assert.strictEqual(decoded[0]?.status, "success")
    assert.isFalse(Job.isContainerError(decoded[0]?.result ?? null))
  })

  it("job id list", () => {
    assertWireRoundTrip(
      Schema.Array(Primitives.JobId),
      '["09b9d8bb-d752-46aa-ab95-583304827030", "50f098a2-daf7-47a9-9eb8-caf9b7509101"]'
    )
  })

  it("status records", () => {
    assertWireRoundTrip(Job.StatusRequest, statusRecord("running"))
    assertWireRoundTrip(Job.StatusRequest, statusRecord("success"))
  })
})

describe("JobRequest", () => {
  it("rejects data that is not an object", () => {
    assert.match(decodeError(Job.JobRequest, { containers: ["a"], data: [] }), /data/)
    assert.match(decodeError(Job.JobRequest, { containers: ["a"], data: "text" }), /data/)
    assert.match(decodeError(Job.JobRequest, { containers: ["a"], data: null }), /data/)
  })

  it("rejects containers that are not strings", () => {
    assert.match(decodeError(Job.JobRequest, { containers: [1], data: {} }), /containers/)
    assert.match(decodeError(Job.JobRequest, { containers: "a,b", data: {} }), /containers/)
    assert.match(decodeError(Job.JobRequest, { containers: [""], data: {} }), /empty string/)
  })

  it("keeps requires_proof and ignores extra keys", () => {
    assert.deepStrictEqual(
      Schema.decodeUnknownSync(Job.JobRequest)({ containers: ["a"], data: {}, requires_proof: true, extra: 1 }),
      { containers: ["a"], data: {}, requires_proof: true } as unknown as Job.JobRequest
    )
  })

  it("JobSubmission tells a job from a delegated subscription", () => {
    assert.isTrue(Schema.is(Job.JobRequest)(Schema.decodeUnknownSync(Job.JobSubmission)({ containers: [], data: {} })))
    assert.match(decodeError(Job.JobSubmission, { hello: 1 }), /containers|subscription/)
  })

  it("encode -> decode is the identity", () => assertEncodeDecodeIdentity(Job.JobRequest))
})

describe("JobStatus and JobResult", () => {
  it("rejects an unknown status with the allowed values", () => {
    const message = decodeError(Job.JobStatus, "done")
    assert.include(message, '"running"')
    assert.include(message, '"failed"')
  })

  it("accepts the legacy spellings and emits the current ones", () => {
    const legacy = {
      id: "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8",
      status: "failure",
      result: { container: "b", error: "boom" },
      intermediate: [{ container: "a", output: { x: 1 } }]
    }
    const decoded = Schema.decodeUnknownSync(Job.JobResult)(legacy)
    assert.strictEqual(decoded.status, "failed")
    assert.isTrue(Job.isContainerError(decoded.result))
    assert.deepStrictEqual(Schema.encodeSync(Job.JobResult)(decoded), {
      id: legacy.id,
      status: "failed",
      result: { container: "b", error: "boom" },
      intermediate_results: [{ container: "a", output: { x: 1 } }]
    } as never)
  })

  it("a running job has a null result", () => {
    const decoded = Schema.decodeUnknownSync(Job.JobResult)({
      id: "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8",
      status: "running",
      result: null
    })
    assert.isNull(decoded.result)
    assert.notProperty(decoded, "intermediate_results")
  })

  it("accepts any string id: a status recorded with PUT /api/status under any id is listed by the node", () => {
    const recorded = Schema.decodeUnknownSync(Job.JobResult)({ id: "job-1", status: "running", result: null })
    assert.strictEqual(recorded.id, "job-1")
    assert.strictEqual(Schema.decodeUnknownSync(Job.JobResult)({ id: "", status: "success", result: null }).id, "")
    assert.match(decodeError(Job.JobResult, { id: 7, status: "running", result: null }), /job id/)
  })

  it("JobResponse (a job the node created) still requires a UUID", () => {
    assert.match(decodeError(Job.JobResponse, { id: "nope" }), /created by the node/)
  })

  it("encode -> decode is the identity", () => {
    assertEncodeDecodeIdentity(Job.JobStatus)
    assertEncodeDecodeIdentity(Job.JobResult)
    assertEncodeDecodeIdentity(Job.JobResponse)
    assertEncodeDecodeIdentity(Job.BatchResponseItem)
    assertEncodeDecodeIdentity(Job.StatusRequest)
    assertEncodeDecodeIdentity(Job.ContainerOutput)
    assertEncodeDecodeIdentity(Job.ContainerError)
  })
})

describe("StatusRequest", () => {
  it("rejects an unknown status", () => {
    assert.match(decodeError(Job.StatusRequest, JSON.parse(statusRecord("done"))), /status/)
  })
})
