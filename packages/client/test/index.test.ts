import { expect, it } from "@effect/vitest"
import * as Client from "../src/index.js"
import * as PromiseApi from "../src/promise.js"
import * as Subscriptions from "../src/subscriptions.js"

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
        "layerFetch",
        "make",
        "normalizeBaseUrl",
        "pollSchedule",
        "userAgent",
      ],
      "NodeClientError": [
        "ApiError",
        "JobFailed",
        "JobNotFound",
        "NoNodeAvailable",
        "NodeClientError",
        "NodeUnavailable",
        "NotSupported",
        "OutputIssue",
        "OutputMismatch",
        "RateLimited",
        "Reason",
        "ResponseTooLarge",
        "RouterUnavailable",
        "StillRunning",
        "StreamIdle",
        "SubscriptionError",
        "Timeout",
        "TransportError",
        "UnexpectedResponse",
        "catchReason",
        "catchReasons",
        "hasReason",
        "isNodeClientError",
        "isTransient",
        "transientStatuses",
      ],
      "NodePool": [
        "NodePool",
        "layer",
        "make",
      ],
      "RouterClient": [
        "DEFAULT_URL",
        "RouterClient",
        "addressToUrl",
        "defaultConfig",
        "layer",
        "layerConfig",
        "make",
        "normalizeUrl",
      ],
    }
  `)
})

it("pins the public API of @infernet/client/promise", () => {
  expect(Object.keys(PromiseApi).sort()).toMatchInlineSnapshot(`
    [
      "NodeClientError",
      "createNodeClient",
      "createNodePool",
      "createRouterClient",
      "fromEffectError",
      "isNodeClientError",
      "isTransient",
    ]
  `)
})

it("pins the public API of @infernet/client/subscriptions", () => {
  expect(Object.keys(Subscriptions).sort()).toEqual(["DelegatedSubscriptions", "requestDelegatedSubscription"])
  expect(Object.keys(Subscriptions.DelegatedSubscriptions).sort()).toEqual(["prepare", "request"])
})

it("only the subscriptions entry imports @infernet/chain or viem", async () => {
  const { readdirSync, readFileSync } = await import("node:fs")
  const { fileURLToPath } = await import("node:url")
  const src = fileURLToPath(new URL("../src/", import.meta.url))
  const importers = readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .filter((file) => {
      const code = readFileSync(`${src}${file}`, "utf8").replace(/\/\*[\s\S]*?\*\//g, "")
      return /(from |import\()"(@infernet\/chain|viem)["/]/.test(code)
    })
    .sort()
  expect(importers).toEqual(["DelegatedSubscriptions.ts"])
})
