import { MockConfig, type MockNodeOptions, startMockNode } from "@infernet/node-mock"
import { createServer as createHttpServer } from "node:http"
import { createServer, type Server } from "node:net"

/** The usage page's containers, plus a few for the failure cases. */
export const testConfig: MockConfig.Input = {
  ...MockConfig.defaultConfig,
  containers: [
    ...MockConfig.defaultConfig.containers,
    { id: "fail", external: true, behavior: { type: "fail", failure: "non_json", message: "boom" } },
    // Long enough to be seen running; short because node-mock's close() waits for running jobs to finish.
    // Still running for the whole of any test that needs a running job, on a loaded machine too.
    { id: "slow", external: true, behavior: { type: "echo", latency_ms: 60_000 } },
    { id: "echo", external: true, behavior: { type: "echo" } },
    {
      id: "stream-fail",
      external: true,
      behavior: { type: "stream", text: "one two three four", chunk_delay_ms: 1, fail_after_chunks: 2 }
    },
    // A stream that takes seconds per chunk: long enough to be interrupted mid-stream.
    { id: "slow-stream", external: true, behavior: { type: "stream", text: "one two three", chunk_delay_ms: 2_000 } },
    { id: "internal", external: false, behavior: { type: "echo" } }
  ]
}

export const startTestNode = (options: MockNodeOptions = {}) => startMockNode({ config: testConfig, ...options })

/** A loopback port nothing listens on (bound, then released). */
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

/** Listens on a free loopback port; resolves to the server's URL and a close that runs `beforeClose` first. */
const listen = (
  server: Server | import("node:http").Server,
  beforeClose: () => void = () => {}
): Promise<{ readonly url: string; readonly close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            beforeClose()
            server.close(() => done())
          })
      })
    })
  })

/** A loopback server that accepts connections and never answers: for timeouts. */
export const silentServer = (): Promise<{ readonly url: string; readonly close: () => Promise<void> }> => {
  const sockets = new Set<import("node:net").Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return listen(server, () => {
    for (const socket of sockets) socket.destroy()
  })
}

/** A loopback HTTP server answering with `handler`: a hostile or partial node, or a router. */
export const serve = (
  handler: (request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => void
): Promise<{ readonly url: string; readonly close: () => Promise<void> }> => listen(createHttpServer(handler))

/** The usage page's v0 subscription (`params.json`), for `owner`. */
export const usagePageParams = (owner: string) => ({
  owner,
  active_at: 0,
  period: 3,
  frequency: 2,
  redundancy: 2,
  max_gas_price: 1000000000000,
  max_gas_limit: 3000000,
  container_id: "openai-inference",
  inputs: ""
})
