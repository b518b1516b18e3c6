/**
 * Helpers for integration tests against `@infernet/node-mock` over loopback (port 0).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { MockConfig, type RunningMockNode, startMockNode } from "@infernet/node-mock"
import { Effect, Layer } from "effect"
import { createServer } from "node:net"
import { NodeClient } from "../../src/index.js"

/** The default configuration plus a container that always fails and a slow one. */
export const testConfig = (mock: Partial<NonNullable<MockConfig.Input["mock"]>> = {}): MockConfig.Input => ({
  ...MockConfig.defaultConfig,
  containers: [
    ...MockConfig.defaultConfig.containers,
    {
      id: "always-fails",
      image: "test/fails",
      description: "fails every call",
      external: true,
      behavior: { type: "fail", failure: "non_json", message: "model crashed" }
    },
    {
      id: "slow",
      image: "test/slow",
      description: "answers after 1.5 s",
      external: true,
      behavior: { type: "static", output: { done: true }, latency_ms: 1500 }
    }
  ],
  mock: { ...MockConfig.defaultConfig.mock, ...mock }
})

export const start = (mock: Partial<NonNullable<MockConfig.Input["mock"]>> = {}): Promise<RunningMockNode> =>
  startMockNode({ config: testConfig(mock) })

/** A `NodeClient` layer for `url` on undici (one connection pool for the layer's lifetime). */
export const clientLayer = (url: string, options: Partial<NodeClient.Options> = {}) =>
  NodeClient.layer({ baseUrl: url, ...options }).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Runs `f` with a `NodeClient` for `url`. */
export const withClient = <A, E, R>(
  url: string,
  f: (client: NodeClient.Service) => Effect.Effect<A, E, R>,
  options: Partial<NodeClient.Options> = {}
) => Effect.flatMap(NodeClient.NodeClient, f).pipe(Effect.provide(clientLayer(url, options)))

/** A loopback port with nothing listening (bound, then released). */
export const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** The usage page's requests. */
export const usage = {
  completion: {
    containers: ["openai-inference-0.0.1"],
    data: {
      model: "gpt-3.5-turbo-16k",
      params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
    }
  },
  embedding: (container = "openai-inference-0.0.1") => ({
    containers: [container],
    data: {
      model: "text-embedding-3-small",
      params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
    }
  }),
  stream: {
    containers: ["openai-inference-streaming-0.0.1"],
    data: {
      model: "gpt-3.5-turbo-16k",
      params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
    }
  },
  status: { id: "d77215c8-dd25-4843-89c4-788eef9ed324", request: { containers: ["openai-inference"], data: {} } }
}
