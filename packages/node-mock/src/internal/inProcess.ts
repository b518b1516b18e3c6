// The in-process transport: a WHATWG `fetch` answered by the node's own handler (`handle`, the one the HTTP listener
// calls), with no socket. Nothing here needs Node: it runs in a browser bundle or a worker too. The client address is
// loopback, so the control API and `PUT /api/status` answer, as they do for a local test over HTTP.
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Effect, Exit, FiberId, Runtime } from "effect"
import { handle, makeContext } from "./app.js"
import { BUSY, decodeUtf8, type Received, TOO_LARGE } from "./body.js"
import * as Html from "./html.js"
import type { NodeState } from "./state.js"

/** The address in-process requests come from. */
export const IN_PROCESS_CLIENT = "127.0.0.1"

/** The origin of an in-process node's `url` when it does not listen (`listen: false`). */
export const IN_PROCESS_ORIGIN = "http://node-mock.invalid"

const internalError = () =>
  new Response(Html.INTERNAL_SERVER_ERROR, { status: 500, headers: { "content-type": "text/html; charset=utf-8" } })

const readBody = async (request: Request, state: NodeState): Promise<readonly [Received, number]> => {
  if (request.body === null) return ["", 0]
  const limit = state.config.mock.max_body_bytes
  const declared = Number(request.headers.get("content-length") ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) return [TOO_LARGE, 0]
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.length > limit) return [TOO_LARGE, 0]
  if (!state.budget.reserve(bytes.length)) return [BUSY, 0]
  return [bytes.length === 0 ? "" : decodeUtf8(bytes), bytes.length]
}

/** A `fetch` served by `state`'s handler on `runtime` (the node's, so its clock and fibers are the node's). */
export const makeFetch = (state: NodeState, runtime: Runtime.Runtime<never>, isClosed: () => boolean) => {
  const runFork = Runtime.runFork(runtime)
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    if (isClosed()) throw new TypeError("fetch failed: the mock node is closed")
    const url = new URL(request.url)
    const [received, held] = await readBody(request, state)
    const method = request.method.toUpperCase()
    const answer = handle(
      makeContext(
        state,
        method,
        `${url.pathname}${url.search}`,
        request.headers.get("content-type") ?? undefined,
        IN_PROCESS_CLIENT,
        received,
        (name) => request.headers.get(name) ?? undefined
      )
    )
    const toWeb = (response: HttpServerResponse.HttpServerResponse) =>
      HttpServerResponse.toWeb(response, { withoutBody: method === "HEAD", runtime })
    if (HttpServerResponse.isServerResponse(answer)) {
      state.budget.release(held)
      return toWeb(answer)
    }
    const fiber = runFork(answer)
    const onAbort = () => fiber.unsafeInterruptAsFork(FiberId.none)
    request.signal.addEventListener("abort", onAbort, { once: true })
    const exit = await Effect.runPromise(fiber.await)
    request.signal.removeEventListener("abort", onAbort)
    state.budget.release(held)
    if (Exit.isSuccess(exit)) return toWeb(exit.value)
    if (Cause.isInterruptedOnly(exit.cause)) {
      throw request.signal.reason ?? new DOMException("The operation was aborted.", "AbortError")
    }
    return internalError()
  }
}
