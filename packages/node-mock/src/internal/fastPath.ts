// The node's request listener. Every request except a stream is answered on a short path in front of
// `@effect/platform`'s NodeHttpServer: the body is collected with plain `node:http` events, then the same `handle`
// the platform app calls answers. A handler that can answer at once (all of the hot ones) returns the response
// itself, which is written straight to the socket: no fiber, no request wrapper, no response scope. Any other answer
// runs on a fiber of the node's runtime. Streams, whose bodies are `Stream`s written with backpressure, go through
// the platform handler, as every request does with `mock.fast_path: false`.
import type { IncomingMessage, ServerResponse } from "node:http"
import { Cause, Effect, Exit, FiberId, Runtime } from "effect"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { handle, makeContext, pathOf, STREAM_PATH } from "./app.js"
import { ABORTED, collectBody, hasNoBody, type Received, withBody } from "./body.js"
import * as Html from "./html.js"
import type { NodeState } from "./state.js"

type Listener = (request: IncomingMessage, response: ServerResponse) => void

const INTERNAL_ERROR_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-length": String(Buffer.byteLength(Html.INTERNAL_SERVER_ERROR))
}

const write = (
  response: ServerResponse,
  method: string,
  exit: Exit.Exit<HttpServerResponse.HttpServerResponse>,
  logError: (cause: Cause.Cause<unknown>) => void
): void => {
  // The client may have gone (an aborted upload, a closed connection): nothing to write to.
  if (response.writableEnded || response.destroyed) return
  if (Exit.isFailure(exit)) {
    // `handle` turns every defect into a 500 page; what is left is an interruption (the node is closing).
    if (!Cause.isInterruptedOnly(exit.cause)) logError(exit.cause)
    if (!response.headersSent) response.writeHead(500, INTERNAL_ERROR_HEADERS)
    response.end(method === "HEAD" ? undefined : Html.INTERNAL_SERVER_ERROR)
    return
  }
  const answer = exit.value
  const body = answer.body
  response.writeHead(answer.status, answer.headers)
  if (method === "HEAD" || body._tag === "Empty") response.end()
  else if (body._tag === "Raw" && (typeof body.body === "string" || body.body instanceof Uint8Array)) {
    response.end(body.body)
  } else if (body._tag === "Uint8Array") response.end(body.body)
  else {
    // Only the stream route answers with other bodies, and it never comes here.
    logError(Cause.die(new Error(`node-mock: the fast path cannot write a ${body._tag} body`)))
    response.end()
  }
}

/**
 * The `request` listener of the node's `http.Server`: streams to `platform` (the `@effect/platform` handler), every
 * other request through {@link handle} on `runtime`.
 */
export const makeListener = (state: NodeState, runtime: Runtime.Runtime<never>, platform: Listener): Listener => {
  const runFork = Runtime.runFork(runtime)
  const limit = state.config.mock.max_body_bytes
  const logError = (cause: Cause.Cause<unknown>) => {
    runFork(Effect.logError("node-mock: unexpected failure", cause))
  }
  const budget = state.budget
  const run = (request: IncomingMessage, response: ServerResponse, url: string, received: Received, held: number) => {
    const method = request.method ?? "GET"
    const answer = handle(
      makeContext(
        state,
        method,
        url,
        request.headers["content-type"],
        request.socket.remoteAddress ?? "",
        received,
        nodeHeader(request.headers)
      )
    )
    // A handler that answers at once is done with the body; one that waits holds it until its fiber ends.
    if (HttpServerResponse.isServerResponse(answer)) {
      budget.release(held)
      return write(response, method, Exit.succeed(answer), logError)
    }
    const fiber = runFork(answer)
    const exit = fiber.unsafePoll()
    if (exit !== null) {
      budget.release(held)
      return write(response, method, exit, logError)
    }
    fiber.addObserver((exit) => {
      budget.release(held)
      write(response, method, exit, logError)
    })
    response.on("close", () => {
      if (!response.writableEnded) fiber.unsafeInterruptAsFork(FiberId.none)
    })
  }
  return (request, response) => {
    const url = request.url ?? "/"
    if (pathOf(url) === STREAM_PATH) return platform(request, response)
    if (hasNoBody(request)) return run(request, response, url, "", 0)
    // A request whose client hung up mid-body is not processed: no job, no record, no answer.
    collectBody(request, limit, budget, (collected, held) => {
      if (collected !== ABORTED) run(request, response, url, collected, held)
    })
  }
}

/** The whole mock node as one `@effect/platform` HTTP application over `state` (streams, and `fast_path: false`). */
export const makeApp = (
  state: NodeState
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const incoming = NodeHttpServerRequest.toIncomingMessage(request)
    // A request whose client hung up mid-body is not processed; there is no one to answer.
    return withBody(
      incoming,
      state.config.mock.max_body_bytes,
      state.budget,
      (received) =>
        handle(
          makeContext(
            state,
            request.method,
            request.url,
            incoming.headers["content-type"],
            incoming.socket.remoteAddress ?? "",
            received,
            nodeHeader(incoming.headers)
          )
        ),
      Effect.succeed(HttpServerResponse.empty({ status: 400 }))
    )
  })

/** A header of a `node:http` request by its lower-case name; repeated ones joined as one value. */
const nodeHeader =
  (headers: IncomingMessage["headers"]) =>
  (name: string): string | undefined => {
    const value = headers[name]
    return Array.isArray(value) ? value.join(", ") : value
  }
