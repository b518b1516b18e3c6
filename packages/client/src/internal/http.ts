/**
 * The one place that turns HTTP into `NodeClientError`s: transport failures, timeouts, statuses, non-JSON bodies and
 * schema mismatches all become a tagged reason here, and the retry policy (safe requests, transient failures,
 * `Retry-After`) is applied here.
 */
import type { HttpClient, HttpClientResponse } from "@effect/platform"
import type { HttpClientError } from "@effect/platform"
import { Headers, HttpClientRequest } from "@effect/platform"
import { ErrorResponse, Json } from "@infernet/types"
import type { Scope } from "effect"
import {
  Cause,
  Chunk,
  Clock,
  Duration,
  Effect,
  Either,
  Option,
  ParseResult,
  Schedule,
  Schema,
  SchemaAST,
  Stream
} from "effect"
import * as Errors from "../NodeClientError.js"
import * as Fetch from "./fetch.js"
import * as Runtime from "./runtime.js"

/** The longest body excerpt kept in an `UnexpectedResponse`. */
export const SNIPPET_LENGTH = 256

/** The default cap on `Retry-After` waits. */
export const DEFAULT_MAX_RETRY_AFTER = Duration.seconds(30)
/** The default longest silence between two stream chunks. */
export const DEFAULT_STREAM_IDLE_TIMEOUT = Duration.seconds(60)
/** The default largest answer read (64 MiB): a real result fits with room to spare, an endless body does not. */
export const DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024

/** Retry policy of one call: `undefined` means "do not retry". */
export type RetryPolicy = Schedule.Schedule<unknown, Errors.NodeClientError> | undefined

/** Everything a call needs, resolved from the client's options and the call's options. */
export interface Settings {
  readonly client: HttpClient.HttpClient
  readonly baseUrl: string
  readonly headers: Headers.Headers
  readonly timeout: Duration.Duration
  /** The longest `Retry-After` a retry waits for (a call's own `timeout` caps it further); default 30 s. */
  readonly maxRetryAfter?: Duration.Duration | undefined
  /** The longest silence between two chunks of a stream, after its id line; default 60 s. */
  readonly streamIdleTimeout?: Duration.Duration | undefined
  /** The client's retry schedule for safe requests. */
  readonly retry: RetryPolicy
  /** The largest answer body read, in bytes; past it the call fails with `ResponseTooLarge`. Default 64 MiB. */
  readonly maxResponseSize?: number | undefined
  /** Requests with the base URL, path and headers already set, one per method and path (built on first use). */
  readonly routes: Map<string, HttpClientRequest.HttpClientRequest>
  /**
   * The Promise API's lean `fetch` transport for JSON calls, when it runs on `fetch`, with the final headers of
   * every request (the `RequestInit`'s merged under the client's); `undefined` means every call goes through `client`.
   */
  readonly direct?: DirectSettings | undefined
  /** Makes the `x-request-id` of each attempt; `undefined`: none is sent. */
  readonly requestId?: (() => string) | undefined
  /** Called as each attempt goes out (synchronously, before the request is sent). */
  readonly onRequest?: ((event: RequestEvent) => void) | undefined
  /** Called when each attempt ends: answered (any status), failed or timed out. */
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined
}

/** What `onRequest` sees of one attempt: plain values only. */
export interface RequestEvent {
  /** The `x-request-id` of the attempt (`undefined` when the client sends none). */
  readonly requestId: string | undefined
  /** The client method, e.g. `"requestJob"`. */
  readonly method: string
  /** `GET`, `POST` or `PUT`. */
  readonly httpMethod: string
  /** The URL of the request. */
  readonly url: string
}

/** What `onResponse` sees of one attempt. */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status, when an answer arrived. */
  readonly status: number | undefined
  /** Milliseconds from sending the request to the end of the attempt (the body read, or the failure). */
  readonly elapsedMs: number
  /** The `_tag` of the failure's reason when the attempt failed (`"Timeout"`, `"ApiError"`, ...). */
  readonly reason: string | undefined
}

/** The header carrying each attempt's id. */
export const REQUEST_ID_HEADER = "x-request-id"

// Ids are a random per-process prefix and a counter: unique enough to find one attempt in a node's or a proxy's
// logs, and far cheaper than a UUID per attempt. `crypto.getRandomValues` exists in Node 20+, Bun, Deno and every
// browser (also outside secure contexts, unlike `randomUUID`).
const requestIdPrefix = (() => {
  const bytes = new Uint8Array(6)
  globalThis.crypto.getRandomValues(bytes)
  let hex = ""
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0")
  return `${hex}-`
})()
let requestIdCounter = 0

/** The default request id maker: `<12 hex digits of this process>-<counter in base 36>`. */
export const makeRequestId = (): string => requestIdPrefix + (++requestIdCounter).toString(36)

/** The reason of an attempt's failure, carrying the attempt's `x-request-id`. Only failures pay for the copy. */
export const withRequestId = <R extends Errors.Reason>(reason: R, requestId: string | undefined): R => {
  if (requestId === undefined || (reason as { requestId?: unknown }).requestId === requestId) return reason
  return Object.assign(Object.create(Object.getPrototypeOf(reason)), reason, { requestId })
}

const hookNow: () => number =
  typeof performance === "object" && typeof performance.now === "function" ? () => performance.now() : Date.now

/** Calls a hook; a hook that throws must not break the request, so its error is dropped. */
const callHook = <A>(hook: (event: A) => void, event: A): void => {
  try {
    hook(event)
  } catch {}
}

/**
 * Starts the hooks of one attempt: calls `onRequest` now and returns the function that calls `onResponse` at its end
 * (`undefined` when the client has neither hook, so the common case costs nothing).
 */
export const observeAttempt = (
  settings: Settings,
  call: Pick<Call, "method" | "httpMethod">,
  url: LazyUrl,
  requestId: string | undefined
): ((status: number | undefined, reason: Errors.Reason | undefined) => void) | undefined => {
  const { onRequest, onResponse } = settings
  if (onRequest === undefined && onResponse === undefined) return undefined
  const event: RequestEvent = { requestId, method: call.method, httpMethod: call.httpMethod, url: url() }
  if (onRequest !== undefined) callHook(onRequest, event)
  if (onResponse === undefined) return undefined
  const started = hookNow()
  return (status, reason) =>
    callHook(onResponse, {
      ...event,
      status: status ?? (reason === undefined ? undefined : statusOf(reason)),
      elapsedMs: hookNow() - started,
      reason: reason?._tag
    })
}

/** Runs `done` (from {@link observeAttempt}) when an attempt ends; `status` reads the status it saw, if any. */
const observed = <A, R>(
  attempt: Effect.Effect<A, Errors.Reason, R>,
  done: ((status: number | undefined, reason: Errors.Reason | undefined) => void) | undefined,
  status: () => number | undefined
): Effect.Effect<A, Errors.Reason, R> =>
  done === undefined
    ? attempt
    : Effect.onExit(attempt, (exit) =>
        Effect.sync(() => {
          const failure = exit._tag === "Failure" ? Cause.failureOption(exit.cause) : Option.none()
          done(status(), Option.getOrUndefined(failure))
        })
      )

/** The status a failure's reason carries, if any. */
const statusOf = (reason: Errors.Reason): number | undefined =>
  reason._tag === "RateLimited"
    ? 429
    : "status" in reason && typeof reason.status === "number"
      ? reason.status
      : undefined

/** The per-call options the transport understands. */
export interface TransportOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: Schedule.Schedule<unknown, Errors.NodeClientError> | number | false | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  readonly headers?: Headers.Input | undefined
  /** Streams only: the longest silence between two chunks after the id line. */
  readonly idleTimeout?: Duration.DurationInput | undefined
}

/** One HTTP call of a client method. */
export interface Call {
  /** The `NodeClient` method, for the error's `method`. */
  readonly method: string
  readonly httpMethod: "GET" | "POST" | "PUT"
  /** The path below the base URL, starting with `/`. */
  readonly path: string
  readonly urlParams?: ReadonlyArray<readonly [string, string]> | undefined
  /** A JSON body, written with `Json.stringify` (big integers exact). */
  readonly body?: unknown
  /** Safe (idempotent) requests use the client's retry schedule; others retry only when the call opts in. */
  readonly safe: boolean
  readonly options?: TransportOptions | undefined
}

/** The default schedule for retrying safe requests: 100 ms doubling, jittered, at most 4 retries. */
export const defaultRetrySchedule: Schedule.Schedule<unknown, Errors.NodeClientError> = Schedule.exponential(
  "100 millis",
  2
).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(4)))

/** Turns the `retry` option into a schedule (`number` = that many retries of the default backoff). */
export const retryOption = (
  retry: Schedule.Schedule<unknown, Errors.NodeClientError> | number | false | undefined
): RetryPolicy | "default" => {
  if (retry === undefined) return "default"
  if (retry === false) return undefined
  if (typeof retry === "number") {
    if (!Number.isFinite(retry) || retry <= 0) return undefined
    return Schedule.exponential("100 millis", 2).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(retry)))
  }
  return retry
}

// Never retry sooner than the node's Retry-After: intersect keeps the longer of the two delays. (A Retry-After longer
// than the call's cap never reaches the schedule: see `withPolicy`.)
const honourRetryAfter = Schedule.identity<Errors.NodeClientError>().pipe(
  Schedule.addDelay((error) =>
    error.reason._tag === "RateLimited" && error.reason.retryAfter !== undefined ? error.reason.retryAfter : 0
  )
)

const resolveRetry = (settings: Settings, call: Call): RetryPolicy => {
  const perCall = retryOption(call.options?.retry)
  if (perCall !== "default") return perCall
  return call.safe ? settings.retry : undefined
}

/** `url.full` of a call, as it goes on the wire. */
export const urlOf = (settings: Settings, call: Pick<Call, "path" | "urlParams">): string => {
  const url = new URL(settings.baseUrl + call.path)
  for (const [key, value] of call.urlParams ?? []) url.searchParams.append(key, value)
  return url.href
}

const snippet = (text: string): string =>
  text.length <= SNIPPET_LENGTH ? text : `${text.slice(0, SNIPPET_LENGTH - 1)}\u2026`

/**
 * A readable one-line description of a transport failure, following `cause` chains (undici's `fetch failed` hides the
 * useful `connect ECONNREFUSED 127.0.0.1:4000` one level down) and `AggregateError`s (happy eyeballs).
 */
export const describeCause = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (typeof current !== "object") {
      parts.push(String(current))
      break
    }
    const error = current as { message?: unknown; code?: unknown; cause?: unknown; errors?: unknown }
    const message = typeof error.message === "string" ? error.message : ""
    const code = typeof error.code === "string" ? error.code : undefined
    const text = code !== undefined && !message.includes(code) ? (message ? `${code} ${message}` : code) : message
    if (text && !parts.includes(text)) parts.push(text)
    if (error.cause !== undefined) current = error.cause
    else if (Array.isArray(error.errors) && error.errors.length > 0) current = error.errors[0]
    else break
  }
  return parts.length === 0 ? "unknown error" : parts.join(": ")
}

/** Where the client's README explains calling a node from a browser (CORS). */
export const BROWSER_HINT_URL = "https://github.com/infernet-ts/infernet-ts/tree/main/packages/client#in-a-browser"

/** What a `TransportError` adds when `fetch` itself rejected in a browser-like runtime. */
export const BROWSER_HINT = `(in a browser this may be CORS: the node sends no CORS headers, so a browser blocks cross-origin calls to it; call it through a same-origin proxy or one that adds CORS headers, see ${BROWSER_HINT_URL})`

/**
 * Whether this runtime is a browser or a worker (where `fetch` enforces CORS): a `window` with a `document`, or a
 * `WorkerGlobalScope`, and no `process.versions.node` (jsdom and happy-dom under Node, Bun and Deno's Node layer have
 * one, and their `fetch` enforces no CORS). Read at each failure, without Node built-ins.
 */
export const isBrowserLike = (global: Record<string, unknown> = globalThis as Record<string, unknown>): boolean => {
  const process = global.process as { versions?: { node?: unknown } } | undefined
  if (typeof process?.versions?.node === "string") return false
  const window = global.window as { document?: unknown } | undefined
  return (
    (typeof window === "object" && window !== null && window.document !== undefined) ||
    typeof global.WorkerGlobalScope === "function"
  )
}

/**
 * The detail of a transport failure: {@link describeCause}, and when `fetch` itself rejected (no answer at all, not
 * a body cut while `reading`) in a browser-like runtime, the CORS hint: the browser hides why (a CORS refusal and a
 * refused connection both read "Failed to fetch"), so the hint says "may".
 */
export const describeTransport = (cause: unknown, reading = false): string => {
  const detail = describeCause(cause)
  return reading || !isBrowserLike() ? detail : `${detail} ${BROWSER_HINT}`
}

// The reason keeps the network error, not the HttpClientError: that one holds the whole request, headers included,
// and a caller's `Authorization` header must not end up in a logged error.
const networkCause = (error: HttpClientError.HttpClientError): { cause?: unknown } =>
  error.cause === undefined ? {} : { cause: error.cause }

const fromHttpClientError = (url: string, error: HttpClientError.HttpClientError): Errors.Reason => {
  if (error._tag === "RequestError") {
    return new Errors.TransportError({
      url,
      detail:
        error.reason === "Transport"
          ? describeTransport(error.cause ?? error.description)
          : describeCause(error.cause ?? error.description),
      ...networkCause(error)
    })
  }
  return new Errors.TransportError({
    url,
    detail: `the connection broke while reading the answer: ${describeCause(error.cause ?? error.description)}`,
    ...networkCause(error)
  })
}

/** An answer whose body has been read: all that error mapping and decoding need, whatever the transport. */
export interface Answer {
  /** The `x-request-id` the attempt was sent with, when there was one. */
  readonly requestId?: string | undefined
  readonly status: number
  /** A response header by lower-case name. */
  readonly header: (name: string) => string | undefined
  readonly text: string
}

const contentTypeOf = (answer: { readonly header: (name: string) => string | undefined }): { contentType?: string } => {
  const contentType = answer.header("content-type")
  return contentType === undefined ? {} : { contentType }
}

const headerOf = (response: HttpClientResponse.HttpClientResponse) => (name: string) => response.headers[name]

// The three HTTP-date forms of RFC 9110 5.6.7: IMF-fixdate, obsolete RFC 850 and asctime. `Date.parse` alone is far
// too lenient for a header ("1.5", "soon 5" and "-1" are dates to V8).
const HTTP_DATE =
  /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

/**
 * `Retry-After` as a duration: delta-seconds or an HTTP date (a date in the past is 0); `undefined` when absent or
 * unreadable (negative, fractional, or not a date), so that the retry schedule's own backoff applies.
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  // Any number of digits is a delay (a huge one is past every cap, so the call fails at once).
  if (/^\d+$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  if (!HTTP_DATE.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Duration.millis(Math.max(0, date - nowMillis))
}

/** A call's URL, built only when an error needs it (the success path never does). */
type LazyUrl = () => string

const readText = (
  url: LazyUrl,
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, Errors.Reason> => {
  const length = response.headers["content-length"]
  // A declared length within the limit is read at once (the transport holds the body to it).
  if (length !== undefined && /^\d+$/.test(length) && Number(length) <= limit) {
    return Effect.mapError(response.text, (error) => fromHttpClientError(url(), error))
  }
  // Otherwise the body is read chunk by chunk and cut off (the stream interrupted, closing the connection) as soon as
  // it passes the limit: a node streaming an endless body costs at most `limit` bytes.
  return Effect.suspend(() => {
    const decoder = new TextDecoder()
    const parts: Array<string> = []
    let size = 0
    const tooLarge = () => new Errors.ResponseTooLarge({ url: url(), status: response.status, limit })
    return response.stream.pipe(
      Stream.mapError((error) => fromHttpClientError(url(), error)),
      Stream.runForEachChunk((chunks) => {
        for (const bytes of chunks) {
          size += bytes.length
          if (size > limit) return Effect.fail(tooLarge())
          parts.push(decoder.decode(bytes, { stream: true }))
        }
        return Effect.void
      }),
      Effect.map(() => {
        parts.push(decoder.decode())
        return parts.join("")
      })
    )
  })
}

const limitOf = (settings: Pick<Settings, "maxResponseSize">): number =>
  settings.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE

/** Maps a non-2xx answer to its reason: `RateLimited`, `ApiError` (a JSON `{error, params}` body) or `UnexpectedResponse`. */
export const failureOf = (
  lazyUrl: LazyUrl,
  response: HttpClientResponse.HttpClientResponse,
  limit: number = DEFAULT_MAX_RESPONSE_SIZE
): Effect.Effect<never, Errors.Reason> =>
  // Read the body even when it is not needed, so the connection can be reused.
  Effect.flatMap(readText(lazyUrl, response, limit), (text) =>
    failureOfAnswer(lazyUrl, { status: response.status, header: headerOf(response), text })
  )

/** {@link failureOf} for an answer already read. */
export const failureOfAnswer = (lazyUrl: LazyUrl, answer: Answer): Effect.Effect<never, Errors.Reason> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(failureReason(lazyUrl, answer, now)))

/** The reason of a non-2xx answer already read; `nowMillis` dates an HTTP-date `Retry-After`. */
export const failureReason = (lazyUrl: LazyUrl, answer: Answer, nowMillis: number): Errors.Reason =>
  withRequestId(failureWithoutId(lazyUrl(), answer, nowMillis), answer.requestId)

const failureWithoutId = (url: string, answer: Answer, nowMillis: number): Errors.Reason => {
  const { status, text } = answer
  if (status === 429) {
    const retryAfter = parseRetryAfter(answer.header("retry-after"), nowMillis)
    return new Errors.RateLimited(retryAfter === undefined ? { url } : { url, retryAfter })
  }
  const body = parseJson(text)
  if (Either.isRight(body) && ErrorResponse.isErrorResponse(body.right)) {
    const { error, params } = body.right
    return new Errors.ApiError(params === undefined ? { url, status, error } : { url, status, error, params })
  }
  return new Errors.UnexpectedResponse({
    url,
    status,
    ...contentTypeOf(answer),
    body: snippet(text),
    detail: Either.isRight(body)
      ? "an error status without the node's {error, params} body"
      : "an error status with a body that is not JSON"
  })
}

const parseJson = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(Json.parse(text))
  } catch (error) {
    return Either.left(error instanceof Error ? error.message : String(error))
  }
}

// Decoders are built once per schema: the schemas here are synchronous, so the `Either` decoder avoids the
// effectful parser's overhead on every response.
const decoders = new WeakMap<object, (u: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const decoderOf = <A, I>(schema: Schema.Schema<A, I>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, I>)
    decoders.set(schema, decode)
  }
  return decode as (u: unknown) => Either.Either<A, ParseResult.ParseError>
}

/** Reads a 2xx JSON answer and decodes it with `schema`. */
const decodeBody = <A, I>(
  url: LazyUrl,
  response: HttpClientResponse.HttpClientResponse,
  schema: Schema.Schema<A, I>,
  limit: number
): Effect.Effect<A, Errors.Reason> =>
  Effect.flatMap(readText(url, response, limit), (text) =>
    decodeAnswer(url, { status: response.status, header: headerOf(response), text }, schema)
  )

/** Decodes an answer already read: a 2xx with `schema`, anything else to its reason. */
export const decodeAnswer = <A, I>(
  url: LazyUrl,
  answer: Answer,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, Errors.Reason> =>
  answer.status < 200 || answer.status >= 300 ? failureOfAnswer(url, answer) : decodeSuccess(url, answer, schema)

/** Decodes a 2xx answer already read with `schema`: its value, or an `UnexpectedResponse` saying what is wrong. */
export const decodeSuccess = <A, I>(
  url: LazyUrl,
  answer: Answer,
  schema: Schema.Schema<A, I>
): Either.Either<A, Errors.Reason> => {
  const json = parseJson(answer.text)
  if (Either.isLeft(json)) return Either.left(unexpectedBody(url, answer, `the body is not JSON (${json.left})`))
  const decoded = decoderOf(schema)(json.right)
  // A success is handed on as it is (no new Either): only its failure side's type differs.
  if (Either.isRight(decoded)) return decoded as unknown as Either.Either<A, Errors.Reason>
  return Either.left(
    unexpectedBody(
      url,
      answer,
      `the body does not match ${schemaName(schema)}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`
    )
  )
}

const unexpectedBody = (url: LazyUrl, answer: Answer, detail: string): Errors.UnexpectedResponse =>
  new Errors.UnexpectedResponse({
    url: url(),
    status: answer.status,
    ...contentTypeOf(answer),
    body: snippet(answer.text),
    detail,
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId })
  })

const schemaName = (schema: Schema.Schema.Any): string =>
  Option.getOrElse(SchemaAST.getIdentifierAnnotation(schema.ast), () => "the expected shape")

const routeOf = (settings: Settings, call: Call): HttpClientRequest.HttpClientRequest => {
  const key = `${call.httpMethod} ${call.path}`
  let route = settings.routes.get(key)
  if (route === undefined) {
    route = HttpClientRequest.make(call.httpMethod)(settings.baseUrl + call.path, { headers: settings.headers })
    settings.routes.set(key, route)
  }
  return route
}

const buildRequest = (settings: Settings, call: Call): HttpClientRequest.HttpClientRequest => {
  let request = routeOf(settings, call)
  if (call.urlParams !== undefined && call.urlParams.length > 0) {
    request = HttpClientRequest.setUrlParams(request, call.urlParams)
  }
  if (call.options?.headers !== undefined) request = HttpClientRequest.setHeaders(request, call.options.headers)
  if (call.body !== undefined) request = HttpClientRequest.bodyText(request, encodeBody(call), "application/json")
  return request
}

const encodeBody = (call: Call): string => {
  try {
    // Plain JSON.stringify first: it is several times faster than a replacer, and it throws on the `bigint` values
    // that need `Json.stringify` (which writes them exactly), so nothing else changes.
    try {
      const text = JSON.stringify(call.body)
      if (text !== undefined) return text
    } catch {}
    return Json.stringify(call.body)
  } catch (error) {
    // A cyclic or otherwise unserialisable body is a programming error, reported as a defect with a clear message.
    throw new TypeError(
      `NodeClient.${call.method}: the request body cannot be written as JSON (${error instanceof Error ? error.message : String(error)})`,
      { cause: error }
    )
  }
}

const timeoutOf = (settings: Settings, call: Call): Duration.Duration =>
  call.options?.timeout === undefined ? settings.timeout : Duration.decode(call.options.timeout)

/**
 * The longest `Retry-After` a call waits for before retrying: `maxRetryAfter`, and never longer than the call's own
 * timeout (a node asking for a day's pause must not turn a 2 s call into a day's sleep).
 */
export const retryAfterCap = (settings: Settings, call: Call, timeout: Duration.Duration): Duration.Duration =>
  Duration.min(
    call.options?.maxRetryAfter === undefined
      ? (settings.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER)
      : Duration.decode(call.options.maxRetryAfter),
    timeout
  )

/** A 429 whose `Retry-After` is past the cap: failed at once, with the node's `retryAfter`, instead of waited for. */
const waitsTooLong = (error: Errors.NodeClientError, cap: Duration.Duration): boolean =>
  error.reason._tag === "RateLimited" &&
  error.reason.retryAfter !== undefined &&
  Duration.greaterThan(error.reason.retryAfter, cap)

/** Bounds one attempt by the call's timeout (failing with `Timeout`). */
const timed = <A, R>(
  settings: Settings,
  call: Call,
  url: LazyUrl,
  attempt: Effect.Effect<A, Errors.Reason, R>
): Effect.Effect<A, Errors.Reason, R> => {
  const timeout = timeoutOf(settings, call)
  return Runtime.attempt(attempt, timeout, () => new Errors.Timeout({ url: url(), timeout }))
}

/** Whether a failure is retried: transient, and not a 429 asking for a longer pause than the call's cap. */
const retryableFor =
  (settings: Settings, call: Call) =>
  (error: Errors.NodeClientError): boolean =>
    Errors.isTransient(error) && !waitsTooLong(error, retryAfterCap(settings, call, timeoutOf(settings, call)))

/** Maps the failure of one (timed) attempt to the method's error and applies the retry policy. */
const withPolicy = <A, R>(
  settings: Settings,
  call: Call,
  timedAttempt: Effect.Effect<A, Errors.Reason, R>
): Effect.Effect<A, Errors.NodeClientError, R> => {
  const once = failingAs(call, timedAttempt)
  const schedule = resolveRetry(settings, call)
  if (schedule === undefined) return once
  // The retry machinery (the cap, a schedule driver) is only built once a first attempt has failed transiently, so
  // the common case, a first attempt that succeeds, costs nothing extra.
  return Effect.catchIf(once, retryableFor(settings, call), (first) => retrying(settings, call, schedule, once, first))
}

const failingAs = <A, R>(
  call: Call,
  attempt: Effect.Effect<A, Errors.Reason, R>
): Effect.Effect<A, Errors.NodeClientError, R> =>
  Effect.mapError(attempt, (reason) => new Errors.NodeClientError({ method: call.method, reason }))

/** The retries after a first attempt failed with `first` (retryable): `once` again, as the schedule allows. */
const retrying = <A, R>(
  settings: Settings,
  call: Call,
  schedule: Schedule.Schedule<unknown, Errors.NodeClientError>,
  once: Effect.Effect<A, Errors.NodeClientError, R>,
  first: Errors.NodeClientError
): Effect.Effect<A, Errors.NodeClientError, R> =>
  Effect.gen(function* () {
    const retryable = retryableFor(settings, call)
    const driver = yield* Schedule.driver(Schedule.intersect(schedule, honourRetryAfter))
    let error = first
    while (true) {
      const step = yield* Effect.either(driver.next(error))
      if (Either.isLeft(step)) return yield* Effect.fail(error)
      const next = yield* Effect.either(once)
      if (Either.isRight(next)) return next.right
      if (!retryable(next.left)) return yield* Effect.fail(next.left)
      error = next.left
    }
  })

/** {@link stamp} for an `HttpClientRequest`. */
const stampRequest = (
  settings: Settings,
  base: HttpClientRequest.HttpClientRequest
): { readonly requestId: string | undefined; readonly request: HttpClientRequest.HttpClientRequest } => {
  const own = base.headers[REQUEST_ID_HEADER]
  if (own !== undefined) return { requestId: own, request: base }
  const requestId = settings.requestId?.()
  return {
    requestId,
    request: requestId === undefined ? base : HttpClientRequest.setHeader(base, REQUEST_ID_HEADER, requestId)
  }
}

/** Sends a call and decodes its 2xx JSON answer with `schema`. */
export const json = <A, I>(
  settings: Settings,
  call: Call,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, Errors.NodeClientError> =>
  Effect.suspend(() => {
    if (settings.direct !== undefined) return direct(settings, settings.direct, call, schema)
    const base = buildRequest(settings, call)
    let full: string | undefined
    const url = () => (full ??= base.urlParams.length === 0 ? base.url : urlOf(settings, call))
    // One id per attempt: the suspended attempt runs again for every retry.
    const attempt = Effect.suspend(() => {
      const { requestId, request } = stampRequest(settings, base)
      const done = observeAttempt(settings, call, url, requestId)
      let status: number | undefined
      const sent = Effect.flatMap(
        Effect.mapError(settings.client.execute(request), (error) => fromHttpClientError(url(), error)),
        (response) => {
          status = response.status
          return response.status >= 200 && response.status < 300
            ? decodeBody(url, response, schema, limitOf(settings))
            : failureOf(url, response, limitOf(settings))
        }
      )
      const once = timed(settings, call, url, sent)
      const tagged =
        requestId === undefined ? once : Effect.mapError(once, (reason) => withRequestId(reason, requestId))
      return observed(tagged, done, () => status)
    })
    return withPolicy(settings, call, attempt)
  })

// Characters `URLSearchParams` writes as they are; anything else takes its serializer (spaces as `+`, `!'()~` escaped).
const PLAIN_QUERY_VALUE = /^[A-Za-z0-9*._-]*$/
const queryOf = (params: ReadonlyArray<readonly [string, string]>): string => {
  let query = ""
  for (const [key, value] of params) {
    const pair =
      PLAIN_QUERY_VALUE.test(key) && PLAIN_QUERY_VALUE.test(value)
        ? `${key}=${value}`
        : new URLSearchParams([[key, value]]).toString()
    query = query === "" ? pair : `${query}&${pair}`
  }
  return query
}

/** What one attempt of a call sends on the lean `fetch` transport. */
const directRequest = (settings: Settings, transport: DirectSettings, call: Call): Fetch.Request => {
  const query = call.urlParams === undefined || call.urlParams.length === 0 ? "" : `?${queryOf(call.urlParams)}`
  const url = settings.baseUrl + call.path + query
  const body = call.body === undefined ? undefined : encodeBody(call)
  let headers = body === undefined ? transport.headers : transport.jsonHeaders
  if (call.options?.headers !== undefined) {
    headers = { ...Headers.merge(Headers.fromInput(headers), Headers.fromInput(call.options.headers)) }
  }
  return { method: call.httpMethod, url, headers, body, requestId: undefined }
}

/**
 * One attempt's request: the call's, with a fresh `x-request-id` when the client sends them. An `x-request-id` the
 * caller set in `headers` (e.g. one propagated from upstream) is kept, and reported.
 */
const stamp = (settings: Settings, request: Fetch.Request): Fetch.Request => {
  const own = request.headers[REQUEST_ID_HEADER]
  if (own !== undefined) return { ...request, requestId: own }
  const requestId = settings.requestId?.()
  return requestId === undefined
    ? request
    : { ...request, requestId, headers: { ...request.headers, [REQUEST_ID_HEADER]: requestId } }
}

const directAttempt = <A, I>(
  settings: Settings,
  transport: DirectSettings,
  call: Call,
  base: Fetch.Request,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, Errors.Reason> =>
  Effect.suspend(() => {
    const request = stamp(settings, base)
    const url = () => request.url
    const done = observeAttempt(settings, call, url, request.requestId)
    let status: number | undefined
    const attempt = Effect.flatMap(
      Fetch.send(transport, request, timeoutOf(settings, call), describeTransport, limitOf(settings)),
      (answer) => {
        status = answer.status
        return decodeAnswer(url, answer, schema)
      }
    )
    return observed(attempt, done, () => status)
  })

/** {@link json} on the lean `fetch` transport: the same URL, headers, body, timeout, errors and retries. */
const direct = <A, I>(
  settings: Settings,
  transport: DirectSettings,
  call: Call,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, Errors.NodeClientError> =>
  withPolicy(settings, call, directAttempt(settings, transport, call, directRequest(settings, transport, call), schema))

/**
 * Runs an Effect for a Promise client, with the call's `AbortSignal`, rejecting as its calls do (a failure as the
 * Promise API's plain error).
 */
export type EffectRunner = <A>(
  effect: Effect.Effect<A, Errors.NodeClientError>,
  signal: AbortSignal | undefined
) => Promise<A>

/**
 * {@link json} for the Promise API on the lean `fetch` transport, without a fiber: the first attempt is a plain
 * Promise (the same request, timeout, decoding and errors); only when it fails and the call's policy retries does the
 * rest run as an Effect, through `run`. The signal aborts the request and rejects with its reason.
 */
export const jsonPromise = async <A, I, B = A>(
  settings: Settings,
  transport: DirectSettings,
  call: Call,
  schema: Schema.Schema<A, I>,
  signal: AbortSignal | undefined,
  run: EffectRunner,
  finish: ((decoded: A) => Either.Either<B, Errors.NodeClientError>) | undefined,
  reject: (error: Errors.NodeClientError) => unknown
): Promise<B> => {
  const base = directRequest(settings, transport, call)
  const request = stamp(settings, base)
  const lazyUrl = () => request.url
  // Synchronous: nothing is awaited before the request goes out.
  const done = observeAttempt(settings, call, lazyUrl, request.requestId)
  const answer = await Fetch.sendPromise(
    transport,
    request,
    timeoutOf(settings, call),
    describeTransport,
    signal,
    limitOf(settings)
  )
  let reason: Errors.Reason
  if (Either.isLeft(answer)) reason = answer.left
  else if (answer.right.status < 200 || answer.right.status >= 300) {
    reason = failureReason(lazyUrl, answer.right, Date.now())
  } else {
    const decoded = decodeSuccess(lazyUrl, answer.right, schema)
    if (Either.isRight(decoded)) {
      done?.(answer.right.status, undefined)
      return finished(decoded.right, finish, reject)
    }
    reason = decoded.left
  }
  done?.(Either.isRight(answer) ? answer.right.status : undefined, reason)
  const first = new Errors.NodeClientError({ method: call.method, reason })
  const schedule = resolveRetry(settings, call)
  if (schedule === undefined || !retryableFor(settings, call)(first)) throw reject(first)
  const once = failingAs(call, directAttempt(settings, transport, call, base, schema))
  return finished(await run(retrying(settings, call, schedule, once, first), signal), finish, reject)
}

const finished = <A, B>(
  decoded: A,
  finish: ((decoded: A) => Either.Either<B, Errors.NodeClientError>) | undefined,
  reject: (error: Errors.NodeClientError) => unknown
): B => {
  if (finish === undefined) return decoded as unknown as B
  const result = finish(decoded)
  if (Either.isLeft(result)) throw reject(result.left)
  return result.right
}

/**
 * One JSON call of a client method: the request, the schema of its 2xx answer, and what the method makes of the
 * decoded value (a check that can fail). The Effect API runs it with {@link run}, the Promise API with
 * {@link runPromise}: both send the same request and decode it the same way.
 */
export interface Spec<A, D = unknown> {
  readonly call: Call
  readonly schema: Schema.Schema<D, any>
  /** What the method makes of the decoded value; none: the value itself (then `A` is `D`). */
  readonly finish: ((decoded: D) => Either.Either<A, Errors.NodeClientError>) | undefined
}

/** A {@link Spec}; without `finish`, the method answers the decoded value. */
export const spec: {
  <D>(call: Call, schema: Schema.Schema<D, any>): Spec<D, D>
  <A, D>(
    call: Call,
    schema: Schema.Schema<D, any>,
    finish: (decoded: D) => Either.Either<A, Errors.NodeClientError>
  ): Spec<A, D>
} = <A, D>(
  call: Call,
  schema: Schema.Schema<D, any>,
  finish?: (decoded: D) => Either.Either<A, Errors.NodeClientError>
): Spec<A, D> => ({ call, schema, finish })

/** Runs a {@link Spec} as an Effect. */
export const run = <A, D>(settings: Settings, spec: Spec<A, D>): Effect.Effect<A, Errors.NodeClientError> =>
  spec.finish === undefined
    ? (json(settings, spec.call, spec.schema) as unknown as Effect.Effect<A, Errors.NodeClientError>)
    : Effect.flatMap(json(settings, spec.call, spec.schema), spec.finish)

/**
 * Runs a {@link Spec} for the Promise API: on the lean `fetch` transport as a plain Promise (see
 * {@link jsonPromise}), on any other `HttpClient` as the Effect {@link run}, through `runner`.
 */
export const runPromise = <A, D>(
  settings: Settings,
  spec: Spec<A, D>,
  signal: AbortSignal | undefined,
  runner: EffectRunner,
  reject: (error: Errors.NodeClientError) => unknown
): Promise<A> =>
  settings.direct === undefined
    ? runner(run(settings, spec), signal)
    : jsonPromise(settings, settings.direct, spec.call, spec.schema, signal, runner, spec.finish, reject)

/** The node's streamed answer: the job id line, then the rest of the body. */
export interface OpenedStream {
  readonly id: string
  readonly rest: Stream.Stream<Uint8Array, Errors.NodeClientError>
}

const NEWLINE = 10
/** A job id is a UUID: a first line longer than this is not one (e.g. an HTML page). */
const MAX_ID_LINE = 1024

const concatBytes = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Reads `pull` until the first `\n`, whatever the chunk boundaries: the bytes before it are the id line, the bytes
 * after it (in the same pull) are the first output bytes. `ended` holds what arrived when the body ended first, or
 * when the first line grew longer than any id.
 */
export const readIdLine = <E>(
  pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<E>>
): Effect.Effect<{ readonly line: Uint8Array; readonly rest: Uint8Array } | { readonly ended: Uint8Array }, E> =>
  Effect.gen(function* () {
    const seen: Array<Uint8Array> = []
    let length = 0
    while (true) {
      const next = yield* Effect.either(pull)
      if (Either.isLeft(next)) {
        if (Option.isNone(next.left)) return { ended: concatBytes(seen, length) }
        return yield* Effect.fail(next.left.value)
      }
      const chunks = Chunk.toReadonlyArray(next.right)
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i]!
        const newline = chunk.indexOf(NEWLINE)
        if (newline === -1) {
          seen.push(chunk)
          length += chunk.length
          if (length > MAX_ID_LINE) return { ended: concatBytes(seen, length) }
          continue
        }
        seen.push(chunk.subarray(0, newline))
        length += newline
        const rest = [chunk.subarray(newline + 1), ...chunks.slice(i + 1)]
        return { line: concatBytes(seen, length), rest: concatBytes(rest, sumLengths(rest)) }
      }
    }
  })

const sumLengths = (chunks: ReadonlyArray<Uint8Array>): number => chunks.reduce((n, chunk) => n + chunk.length, 0)

/**
 * Sends a streaming call (`POST /api/jobs/stream`): checks the status, reads the job id line, and hands back the
 * remaining body. The connection lives as long as the scope. `timeout` covers the answer's headers and the id line;
 * after it, every wait for the next chunk is bounded by the idle timeout.
 */
export const stream = (
  settings: Settings,
  call: Call
): Effect.Effect<OpenedStream, Errors.NodeClientError, Scope.Scope> =>
  Effect.suspend(() => {
    const url = urlOf(settings, call)
    const lazyUrl = () => url
    const base = buildRequest(settings, call)
    const attempt = Effect.suspend(() => {
      const { requestId, request } = stampRequest(settings, base)
      const done = observeAttempt(settings, call, lazyUrl, requestId)
      let status: number | undefined
      const opened = streamAttempt(settings, call, url, request, requestId, (seen) => {
        status = seen
      })
      const once = timed(settings, call, lazyUrl, opened)
      const tagged =
        requestId === undefined ? once : Effect.mapError(once, (reason) => withRequestId(reason, requestId))
      return observed(tagged, done, () => status)
    })
    return withPolicy(settings, call, attempt)
  })

const streamAttempt = (
  settings: Settings,
  call: Call,
  url: string,
  request: HttpClientRequest.HttpClientRequest,
  requestId: string | undefined,
  onStatus: (status: number) => void
): Effect.Effect<OpenedStream, Errors.Reason, Scope.Scope> => {
  const lazyUrl = () => url
  const tag = requestId === undefined ? {} : { requestId }
  const transportFailure = (error: HttpClientError.ResponseError) =>
    new Errors.NodeClientError({
      method: call.method,
      reason: new Errors.TransportError({
        url,
        detail: `the connection broke while streaming: ${describeCause(error.cause ?? error.description)}`,
        ...networkCause(error),
        ...tag
      })
    })
  return Effect.gen(function* () {
    const response = yield* Effect.mapError(settings.client.execute(request), (error) =>
      fromHttpClientError(url, error)
    )
    onStatus(response.status)
    if (response.status < 200 || response.status >= 300) return yield* failureOf(lazyUrl, response, limitOf(settings))
    const pull = yield* Stream.toPull(response.stream)
    const first = yield* Effect.mapError(readIdLine(pull), (error) => fromHttpClientError(url, error))
    const decoder = new TextDecoder()
    if ("ended" in first) {
      return yield* Effect.fail(
        new Errors.UnexpectedResponse({
          url,
          status: response.status,
          ...contentTypeOf({ header: headerOf(response) }),
          body: snippet(decoder.decode(first.ended)),
          detail:
            first.ended.length > MAX_ID_LINE
              ? "the stream does not start with a job id line"
              : "the stream ended before the job id line"
        })
      )
    }
    const line = decoder.decode(first.line).trim()
    if (!Schema.is(Schema.UUID)(line)) {
      return yield* Effect.fail(
        new Errors.UnexpectedResponse({
          url,
          status: response.status,
          ...contentTypeOf({ header: headerOf(response) }),
          body: snippet(line),
          detail: "the stream's first line is not a job id"
        })
      )
    }
    const idleTimeout =
      call.options?.idleTimeout === undefined
        ? (settings.streamIdleTimeout ?? DEFAULT_STREAM_IDLE_TIMEOUT)
        : Duration.decode(call.options.idleTimeout)
    const idle = () =>
      Option.some(
        new Errors.NodeClientError({
          method: call.method,
          reason: new Errors.StreamIdle({ url, idleTimeout, ...tag })
        })
      )
    // Each pull (the wait for the next chunk) gets `idleTimeout`: a node gone silent fails the stream, typed.
    const timedPull = Runtime.attempt(Effect.mapError(pull, Option.map(transportFailure)), idleTimeout, idle)
    const remaining = Stream.repeatEffectChunkOption(timedPull)
    const rest = first.rest.length === 0 ? remaining : Stream.concat(Stream.succeed(first.rest), remaining)
    return { id: line, rest } satisfies OpenedStream
  })
}

/** The lean transport's `fetch` and `RequestInit`, and the final headers of requests without and with a JSON body. */
export interface DirectSettings extends Fetch.DirectFetch {
  readonly headers: Record<string, string>
  readonly jsonHeaders: Record<string, string>
}

/** The lean transport's settings; the `RequestInit`'s headers are merged under the client's, as `FetchHttpClient` does. */
export const directSettings = (direct: Fetch.DirectFetch, headers: Headers.Headers): DirectSettings => {
  const merged =
    direct.init?.headers === undefined ? headers : Headers.merge(Headers.fromInput(direct.init.headers), headers)
  return {
    fetch: direct.fetch,
    init: direct.init,
    headers: { ...merged },
    jsonHeaders: { ...merged, "content-type": "application/json" }
  }
}

/** `Headers` for every request: `Accept`, the `User-Agent` and the caller's extra headers. */
export const defaultHeaders = (userAgent: string | undefined, extra: Headers.Input | undefined): Headers.Headers => {
  const base = Headers.fromInput(
    userAgent === undefined ? { accept: "application/json" } : { accept: "application/json", "user-agent": userAgent }
  )
  return extra === undefined ? base : Headers.merge(base, Headers.fromInput(extra))
}

/** The options `NodeClient` and `RouterClient` share, as their users give them. */
export interface ClientOptions {
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  readonly userAgent?: string | false | undefined
  readonly headers?: Headers.Input | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  readonly streamIdleTimeout?: Duration.DurationInput | undefined
  readonly retry?: Schedule.Schedule<unknown, Errors.NodeClientError> | number | false | undefined
  readonly maxResponseSize?: number | undefined
  readonly requestId?: boolean | (() => string) | undefined
  readonly onRequest?: ((event: RequestEvent) => void) | undefined
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined
}

/**
 * A client's `Settings` from its options: the HttpClient (transformed), headers with the user agent, timeouts and the
 * retry schedule, each with its default. `direct` builds the lean transport from the final headers, where there is one.
 */
export const makeSettings = (
  httpClient: HttpClient.HttpClient,
  baseUrl: string,
  options: ClientOptions,
  defaults: { readonly userAgent: string; readonly timeout: Duration.Duration },
  direct?: (headers: Headers.Headers) => DirectSettings | undefined
): Settings => {
  const retry = retryOption(options.retry)
  const headers = defaultHeaders(
    options.userAgent === false ? undefined : (options.userAgent ?? defaults.userAgent),
    options.headers
  )
  const duration = (input: Duration.DurationInput | undefined, fallback: Duration.Duration) =>
    input === undefined ? fallback : Duration.decode(input)
  return {
    client: options.transformClient === undefined ? httpClient : options.transformClient(httpClient),
    baseUrl,
    headers,
    direct: direct?.(headers),
    timeout: duration(options.timeout, defaults.timeout),
    maxRetryAfter: duration(options.maxRetryAfter, DEFAULT_MAX_RETRY_AFTER),
    streamIdleTimeout: duration(options.streamIdleTimeout, DEFAULT_STREAM_IDLE_TIMEOUT),
    retry: retry === "default" ? defaultRetrySchedule : retry,
    maxResponseSize: maxResponseSizeOf(options.maxResponseSize),
    routes: new Map(),
    requestId:
      options.requestId === false
        ? undefined
        : typeof options.requestId === "function"
          ? options.requestId
          : makeRequestId,
    onRequest: options.onRequest,
    onResponse: options.onResponse
  }
}

/** The `maxResponseSize` option as a limit in bytes: a positive number, else the default (64 MiB). */
const maxResponseSizeOf = (size: number | undefined): number =>
  size !== undefined && Number.isFinite(size) && size > 0 ? Math.floor(size) : DEFAULT_MAX_RESPONSE_SIZE
