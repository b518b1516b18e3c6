import { expect, it } from "@effect/vitest"
import * as Client from "../src/index.js"
import * as PromiseApi from "../src/promise.js"

it("pins the public API of @infernet/client", () => {
  const api = Object.fromEntries(
    Object.entries(Client).map(([namespace, members]) => [namespace, Object.keys(members).sort()])
  )
  expect(api).toMatchInlineSnapshot(`
    {
      "NodeClient": [
        "NodeClient",
        "defaultConfig",
        "defaultPollSchedule",
        "defaultRetrySchedule",
        "layer",
        "layerConfig",
        "make",
        "normalizeBaseUrl",
        "pollSchedule",
        "userAgent",
      ],
      "NodeClientError": [
        "ApiError",
        "JobFailed",
        "JobNotFound",
        "NodeClientError",
        "RateLimited",
        "Reason",
        "StillRunning",
        "StreamIdle",
        "SubscriptionError",
        "Timeout",
        "TransportError",
        "UnexpectedResponse",
        "hasReason",
        "isNodeClientError",
        "isTransient",
        "transientStatuses",
      ],
    }
  `)
})

it("pins the public API of @infernet/client/promise", () => {
  expect(Object.keys(PromiseApi).sort()).toMatchInlineSnapshot(`
    [
      "NodeClientError",
      "createNodeClient",
      "isNodeClientError",
      "isTransient",
    ]
  `)
})
