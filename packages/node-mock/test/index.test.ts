import { expect, it } from "@effect/vitest"
import * as NodeMock from "../src/index.js"
import * as Vitest from "../src/vitest.js"

const names = (module: object) =>
  Object.fromEntries(
    Object.entries(module).map(([name, member]) => [
      name,
      typeof member === "object" && member !== null ? Object.keys(member).sort() : typeof member
    ])
  )

it("pins the public API of @infernet/node-mock", () => {
  expect(names(NodeMock)).toMatchInlineSnapshot(`
    {
      "Cassette": [
        "Cassette",
        "Chunk",
        "Headers",
        "Interaction",
        "RecordedRequest",
        "RecordedResponse",
        "decode",
        "defaultMatch",
        "load",
        "normalize",
        "record",
      ],
      "MockConfig": [
        "Behavior",
        "Chain",
        "CompletionBehavior",
        "Container",
        "EchoBehavior",
        "EmbeddingsBehavior",
        "FailBehavior",
        "FailureMode",
        "HelloWorldBehavior",
        "Latency",
        "MockConfig",
        "MockSection",
        "ProxyBehavior",
        "RateLimit",
        "StaticBehavior",
        "StreamBehavior",
        "behaviorTypes",
        "decode",
        "defaultConfig",
        "limitedRoutes",
        "load",
      ],
      "MockNetwork": [
        "MockNetwork",
        "connectPromise",
        "defaultNodeConfig",
        "layer",
        "make",
        "start",
      ],
      "MockNode": [
        "MockNode",
        "connect",
        "connectPromise",
        "layer",
        "make",
        "start",
      ],
      "MockNodeError": [
        "ControlFailed",
        "InvalidConfig",
        "MockNodeError",
        "MockNodeErrorReason",
        "ServeFailed",
        "UnknownContainer",
        "WaitTimedOut",
        "isMockNodeError",
      ],
      "connectMockNetwork": "function",
      "connectMockNode": "function",
      "startMockNetwork": "function",
      "startMockNode": "function",
    }
  `)
})

it("pins the public API of @infernet/node-mock/vitest", () => {
  expect(Object.keys(Vitest).sort()).toMatchInlineSnapshot(`
    [
      "default",
      "globalSetup",
      "mockNodeTest",
      "optionsFromEnv",
      "providedKey",
    ]
  `)
})
