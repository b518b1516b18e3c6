import { expect, it } from "@effect/vitest"
import * as Types from "../src/index.js"

it("pins the public API of @infernet/types", () => {
  const api = Object.fromEntries(
    Object.entries(Types).map(([namespace, members]) => [namespace, Object.keys(members).sort()])
  )
  expect(api).toMatchInlineSnapshot(`
    {
      "DelegatedSubscription": [
        "DelegatedSubscriptionRequest",
        "Signature",
        "Subscription",
        "SubscriptionV0",
        "SubscriptionV1",
        "isV1",
      ],
      "ErrorResponse": [
        "ErrorResponse",
        "isErrorResponse",
      ],
      "Job": [
        "BatchResponseItem",
        "ContainerError",
        "ContainerOutput",
        "JobRequest",
        "JobResponse",
        "JobResult",
        "JobStatus",
        "JobSubmission",
        "StatusRequest",
        "SubscriptionAccepted",
        "isContainerError",
      ],
      "Json": [
        "JsonObject",
        "JsonValue",
        "canonical",
        "parse",
        "stringify",
      ],
      "NodeInfo": [
        "ChainInfo",
        "Container",
        "HealthInfo",
        "ModelSupport",
        "ModelSupportMap",
        "NodeInfo",
        "PendingCounts",
        "Resources",
        "ServiceResources",
      ],
      "Primitives": [
        "Address",
        "Bytes32",
        "ContainerId",
        "CreatedJobId",
        "Hex",
        "JobId",
        "Uint16",
        "Uint256",
        "Uint32",
        "Uint48",
      ],
      "Router": [
        "Addresses",
        "ContainerSummary",
        "Containers",
        "ModelSupport",
        "NodeAddress",
        "Resources",
      ],
    }
  `)
})
