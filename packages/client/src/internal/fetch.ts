/**
 * The Promise API's default transport: one `fetch` per attempt, with nothing around it but what the client needs.
 *
 * `FetchHttpClient` (through `HttpClient.make`) costs, per request, an `AbortController` registered in a
 * `FinalizationRegistry`, a `URL` parse, an `InterruptibleResponse` wrapper, two `tryPromise`s and a fiber memoising
 * the body text; `NodeClient` adds a forked fiber for the timeout. Here an attempt is one `Effect.async`: one
 * `AbortController` (aborted by the timeout's timer or by interruption), the URL as a string, the body read once as
 * text. It runs wherever `fetch` does (browsers, Deno, Bun, Node): no Node built-ins. The Promise API also runs a
 * call's first attempt through {@link sendPromise}, without a fiber at all.
 *
 * Only JSON calls take this path; streams keep the `HttpClient` (same `fetch`, same `RequestInit`).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { Context, Duration, Effect, Either, Layer } from "effect"
import * as Errors from "../NodeClientError.js"
import type { Answer } from "./http.js"

/** The `fetch` and `RequestInit` a Promise client was created with. */
export interface DirectFetch {
  readonly fetch: typeof globalThis.fetch | undefined
  readonly init: RequestInit | undefined
}

/** Provided by {@link layer} (`NodeClient.layerFetch`): `NodeClient` then sends JSON calls through {@link send}. */
export class Direct extends Context.Tag("@infernet/client/internal/Direct")<Direct, DirectFetch>() {}

/** `FetchHttpClient.layer` on the given `fetch` and `RequestInit` (the global `fetch` when none). */
export const httpClientLayer = (direct: DirectFetch): Layer.Layer<HttpClient.HttpClient> => {
  let http: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer
  if (direct.fetch !== undefined) http = Layer.provide(http, Layer.succeed(FetchHttpClient.Fetch, direct.fetch))
  if (direct.init !== undefined) http = Layer.provide(http, Layer.succeed(FetchHttpClient.RequestInit, direct.init))
  return http
}

/**
 * Everything a `NodeClient` on `fetch` needs: the lean transport for JSON calls and `FetchHttpClient` (same `fetch`,
 * same `RequestInit`) for streams and `transformClient`.
 */
export const layer = (direct: DirectFetch): Layer.Layer<HttpClient.HttpClient | Direct> =>
  Layer.merge(httpClientLayer(direct), Layer.succeed(Direct, direct))

/** What one attempt sends. `headers` are final (lower-case names, the `RequestInit`'s merged in). */
export interface Request {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  /** The `x-request-id` in `headers`, when there is one: failures and the answer carry it. */
  readonly requestId: string | undefined
}

const MAX_TIMER_MILLIS = 2 ** 31 - 1

/** What an aborted call rejects with: the signal's reason, or an `AbortError`. */
export const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException("This operation was aborted", "AbortError")

/**
 * Starts one request and reads its body, within `timeout`; `done` gets the answer, a `Timeout` when the timer fires
 * first, or a `TransportError` (described by `describe`) when `fetch` or the body read fails. Returns the function
 * that stops it (aborting the request); `done` is called at most once, and never after that.
 */
export const start = (
  direct: DirectFetch,
  request: Request,
  timeout: Duration.Duration,
  describe: (cause: unknown, reading: boolean) => string,
  done: (result: Either.Either<Answer, Errors.Reason>) => void,
  limit: number = Number.POSITIVE_INFINITY
): (() => void) => {
  const controller = new AbortController()
  const millis = Duration.toMillis(timeout)
  let settled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  if (millis <= MAX_TIMER_MILLIS) {
    timer = setTimeout(() => {
      if (settled) return
      settled = true
      controller.abort()
      const requestId = request.requestId
      done(
        Either.left(
          new Errors.Timeout(
            requestId === undefined ? { url: request.url, timeout } : { url: request.url, timeout, requestId }
          )
        )
      )
    }, millis)
  }
  const fail = (cause: unknown, reading: boolean) => {
    if (settled) return
    settled = true
    if (timer !== undefined) clearTimeout(timer)
    const detail = describe(cause, reading)
    done(
      Either.left(
        new Errors.TransportError({
          url: request.url,
          detail: reading ? `the connection broke while reading the answer: ${detail}` : detail,
          cause,
          ...(request.requestId === undefined ? {} : { requestId: request.requestId })
        })
      )
    )
  }
  const init: RequestInit =
    direct.init === undefined
      ? { method: request.method, headers: request.headers, body: request.body ?? null, signal: controller.signal }
      : {
          ...direct.init,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
          signal: controller.signal
        }
  const tooLarge = (response: Response) => {
    if (settled) return
    settled = true
    if (timer !== undefined) clearTimeout(timer)
    controller.abort()
    done(Either.left(new Errors.ResponseTooLarge({ url: request.url, status: response.status, limit })))
  }
  ;(direct.fetch ?? globalThis.fetch)(request.url, init).then(
    (response) =>
      readBounded(response, limit).then(
        (text) => {
          if (text === undefined) return tooLarge(response)
          if (settled) return
          settled = true
          if (timer !== undefined) clearTimeout(timer)
          const headers = response.headers
          done(
            Either.right({
              requestId: request.requestId,
              status: response.status,
              header: (name) => headers.get(name) ?? undefined,
              text
            })
          )
        },
        (cause) => fail(cause, true)
      ),
    (cause) => fail(cause, false)
  )
  return () => {
    if (settled) return
    settled = true
    if (timer !== undefined) clearTimeout(timer)
    controller.abort()
  }
}

/**
 * The body as text, or `undefined` once it passes `limit` bytes. A declared `Content-Length` within the limit is read
 * at once (`Response.text`, the fast path); any other body is read chunk by chunk and dropped past the limit.
 */
const readBounded = async (response: Response, limit: number): Promise<string | undefined> => {
  const length = response.headers.get("content-length")
  if (limit === Number.POSITIVE_INFINITY || (length !== null && /^\d+$/.test(length) && Number(length) <= limit)) {
    return response.text()
  }
  if (length !== null && /^\d+$/.test(length)) return undefined
  const body = response.body
  if (body === null) return ""
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const parts: Array<string> = []
  let size = 0
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      reader.cancel().catch(() => {})
      return undefined
    }
    parts.push(decoder.decode(value, { stream: true }))
  }
  parts.push(decoder.decode())
  return parts.join("")
}

/** {@link start} as an Effect: interruption aborts the request. */
export const send = (
  direct: DirectFetch,
  request: Request,
  timeout: Duration.Duration,
  describe: (cause: unknown, reading: boolean) => string,
  limit?: number
): Effect.Effect<Answer, Errors.Reason> =>
  Effect.async<Answer, Errors.Reason>((resume) => {
    const stop = start(direct, request, timeout, describe, resume, limit)
    return Effect.sync(stop)
  })

/**
 * {@link start} as a Promise, for the Promise API: it resolves to the answer or the failure's reason, and rejects with
 * the signal's reason (aborting the request) when `signal` aborts first.
 */
export const sendPromise = (
  direct: DirectFetch,
  request: Request,
  timeout: Duration.Duration,
  describe: (cause: unknown, reading: boolean) => string,
  signal: AbortSignal | undefined,
  limit?: number
): Promise<Either.Either<Answer, Errors.Reason>> =>
  new Promise((resolve, reject) => {
    if (signal === undefined) {
      start(direct, request, timeout, describe, resolve, limit)
      return
    }
    const onAbort = () => {
      stop()
      reject(abortReason(signal))
    }
    const stop = start(
      direct,
      request,
      timeout,
      describe,
      (result) => {
        signal.removeEventListener("abort", onAbort)
        resolve(result)
      },
      limit
    )
    signal.addEventListener("abort", onAbort, { once: true })
  })
