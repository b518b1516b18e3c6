// Serving a node over node:http: the server with its connection limits, the fast-path listener in front of
// @effect/platform's NodeHttpServer, and clean shutdown. `MockNode.make` loads it through the package's "#listen"
// import, which a browser bundle maps to listen.browser.ts instead.
import { createServer } from "node:http"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, type Scope } from "effect"
import type * as MockConfig from "../MockConfig.js"
import * as MockNodeError from "../MockNodeError.js"
import { ServerHook } from "./chaos.js"
import { makeApp, makeListener } from "./fastPath.js"
import type { NodeState } from "./state.js"

/**
 * A `node:http` server with production-style connection limits: time to send headers (also how long a new connection
 * may stay silent) and a whole request, idle keep-alive time, and a cap on open connections. Node checks the first
 * two on an interval, kept short enough that a timeout fires within a quarter of its length past due (at most 1 s).
 */
const makeServer = (mock: MockConfig.MockSection) => {
  const server = createServer({
    headersTimeout: mock.headers_timeout_ms,
    requestTimeout: mock.request_timeout_ms,
    connectionsCheckingInterval: Math.max(
      10,
      Math.min(1000, Math.floor(Math.min(mock.headers_timeout_ms, mock.request_timeout_ms) / 4))
    )
  })
  server.keepAliveTimeout = mock.keep_alive_timeout_ms
  server.maxConnections = mock.max_connections
  return server
}

const formatHost = (host: string) => (host.includes(":") ? `[${host}]` : host)

const describeListenError = (cause: unknown, port: number): string => {
  const code = (cause as { code?: string } | undefined)?.code
  if (code === "EADDRINUSE") return `port ${port} is already in use (try another port, or 0 for a free one)`
  if (code === "EACCES") return `permission denied for port ${port}`
  if (code === "EADDRNOTAVAIL") return "the address is not available on this machine"
  return (cause as Error | undefined)?.message ?? String(cause)
}

/** Listens on `host:requestedPort` until the scope closes; the port and URL it got. */
export const listen = (
  state: NodeState,
  host: string,
  requestedPort: number
): Effect.Effect<{ readonly port: number; readonly url: string }, MockNodeError.MockNodeError, Scope.Scope> =>
  Effect.gen(function* () {
    const config = state.config
    const nodeServer = makeServer(config.mock)
    const server = yield* NodeHttpServer.make(() => nodeServer, { host, port: requestedPort }).pipe(
      Effect.mapError(
        (error) =>
          new MockNodeError.MockNodeError({
            reason: new MockNodeError.ServeFailed({
              host,
              port: requestedPort,
              detail: describeListenError(error.cause, requestedPort)
            })
          })
      )
    )
    const app = makeApp(state)
    if (config.mock.fast_path) {
      const platform = yield* NodeHttpServer.makeHandler(app).pipe(
        HttpMiddleware.withTracerDisabledWhenEffect(() => true)
      )
      const listener = makeListener(state, yield* Effect.runtime<never>(), platform)
      nodeServer.on("request", listener)
      yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.off("request", listener)))
    } else {
      yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
    }
    // Close open connections (keep-alive clients, running streams) instead of waiting for them to end.
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        if (!nodeServer.listening) return resume(Effect.void)
        nodeServer.close(() => resume(Effect.void))
        nodeServer.closeAllConnections()
      })
    )
    // A mock network takes control of its nodes' servers here (chaos: down, slow, 503/429).
    ;(yield* ServerHook)?.(nodeServer)
    const port = server.address._tag === "TcpAddress" ? server.address.port : requestedPort
    const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host
    return { port, url: `http://${formatHost(urlHost)}:${port}` }
  })
