// CORS for frontend work (`--cors ORIGIN`, `mock.cors`, `startMockNode({ cors })`): what a CORS-adding reverse proxy
// in front of a real node does, so a page on another origin (a dev server on :5173) can call the mock directly. The
// real node sends no CORS headers, and neither does the mock unless asked. Off: one length check per request.
//
// For an allowed origin: a preflight (OPTIONS with Access-Control-Request-Method) is answered 204 with the allowed
// methods, the requested headers and a max age, before routing (a proxy answers it; it is still recorded in the
// request log); every other answer (errors, 404/405/413/429 pages and streams too) gets Access-Control-Allow-Origin
// and exposes the headers the client reads (Retry-After, RateLimit-*). The control API `/__mock/` never gets CORS
// headers: a page on another origin cannot read it (and the loopback rule is unchanged).
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"

type Response = HttpServerResponse.HttpServerResponse

/** Every origin. */
export const ANY = "*"

/** How long a browser may cache a preflight answer (Chromium caps it at 2 hours). */
export const MAX_AGE_SECONDS = 600

/** The node's methods. */
export const ALLOW_METHODS = "GET, HEAD, POST, PUT"

/** Response headers a client reads besides the CORS-safelisted ones. */
export const EXPOSE_HEADERS = "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"

const CONTROL_PREFIX = "/__mock/"

/**
 * Why `text` is not an entry of `cors`, or `undefined` when it is one: `*`, or an origin as a browser sends it in its
 * `Origin` header (scheme, host and port; no path, no trailing slash).
 */
export const originProblem = (text: string): string | undefined => {
  if (text === ANY) return undefined
  let origin: string
  try {
    origin = new URL(text).origin
  } catch {
    origin = "null"
  }
  if (origin === text) return undefined
  return origin === "null"
    ? `expected "*" or an origin such as "http://localhost:5173", got ${JSON.stringify(text)}`
    : `expected "*" or an origin (scheme, host and port only, as a browser sends it), got ${JSON.stringify(text)}; did you mean "${origin}"?`
}

/** What the CORS handling needs of a request. */
export interface CorsRequest {
  readonly method: string
  readonly path: string
  /** A request header by its lower-case name. */
  readonly header: (name: string) => string | undefined
  readonly state: { readonly config: { readonly mock: { readonly cors: ReadonlyArray<string> } } }
}

/** The `Access-Control-*` headers of an answer to `origin`, or `undefined` when it gets none. */
const allowOrigin = (origins: ReadonlyArray<string>, origin: string | undefined): string | undefined => {
  if (origin === undefined) return undefined
  if (origins.includes(ANY)) return ANY
  return origins.includes(origin) ? origin : undefined
}

const withHeaders = (answer: Effect.Effect<Response>, headers: Record<string, string>): Effect.Effect<Response> =>
  HttpServerResponse.isServerResponse(answer)
    ? HttpServerResponse.setHeaders(answer, headers)
    : Effect.map(answer, (response) => HttpServerResponse.setHeaders(response, headers))

/**
 * Answers `request` with `next`, as a CORS-adding proxy in front of it would: preflights of allowed origins are
 * answered here, other answers get the CORS headers. Without `mock.cors` (the default), `next` alone.
 */
export const around = <C extends CorsRequest>(
  request: C,
  next: (request: C) => Effect.Effect<Response>
): Effect.Effect<Response> => {
  const origins = request.state.config.mock.cors
  if (origins.length === 0 || request.path.startsWith(CONTROL_PREFIX)) return next(request)
  const allowed = allowOrigin(origins, request.header("origin"))
  // The answer depends on the request's Origin unless every origin gets `*`.
  const vary: Record<string, string> = allowed === ANY ? {} : { vary: "Origin" }
  if (allowed === undefined) return withHeaders(next(request), vary)
  const requestMethod = request.header("access-control-request-method")
  if (request.method === "OPTIONS" && requestMethod !== undefined) {
    const requestHeaders = request.header("access-control-request-headers")
    return HttpServerResponse.empty({
      status: 204,
      headers: {
        "access-control-allow-origin": allowed,
        "access-control-allow-methods": ALLOW_METHODS,
        ...(requestHeaders === undefined ? {} : { "access-control-allow-headers": requestHeaders }),
        "access-control-max-age": String(MAX_AGE_SECONDS),
        ...(allowed === ANY ? {} : { vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" })
      }
    })
  }
  return withHeaders(next(request), {
    "access-control-allow-origin": allowed,
    "access-control-expose-headers": EXPOSE_HEADERS,
    ...vary
  })
}
