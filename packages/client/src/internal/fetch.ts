/**
 * The Promise API's default transport: one `fetch` per attempt, with nothing around it but what the client needs.
 *
 * `FetchHttpClient` (through `HttpClient.make`) costs, per request, an `AbortController` registered in a
 * `FinalizationRegistry`, a `URL` parse, an `InterruptibleResponse` wrapper, two `tryPromise`s and a fiber memoising
 * the body text; `NodeClient` adds a forked fiber for the timeout. Here an attempt is one `Effect.async`: one
 * `AbortController` (aborted by the timeout's timer or by interruption), the URL as a string, the body read once as
 * text. It runs wherever `fetch` does (browsers, Deno, Bun, Node): no Node built-ins.
 *
 * Only JSON calls take this path; streams keep the `HttpClient` (same `fetch`, same `RequestInit`).
 */
import { Context, Duration, Effect } from "effect"
import * as Errors from "../NodeClientError.js"
import type { Answer } from "./http.js"

/** The `fetch` and `RequestInit` a Promise client was created with. */
export interface DirectFetch {
  readonly fetch: typeof globalThis.fetch | undefined
  readonly init: RequestInit | undefined
}

/** Provided by `createNodeClient` when it runs on `fetch`: `NodeClient` then sends JSON calls through {@link send}. */
export class Direct extends Context.Tag("@infernet/client/internal/Direct")<Direct, DirectFetch>() {}

/** What one attempt sends. `headers` are final (lower-case names, the `RequestInit`'s merged in). */
export interface Request {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * Sends one request and reads its body, within `timeout`. Fails with `Timeout` when the timer fires first, and with a
 * `TransportError` (described by `describe`) when `fetch` or the body read fails; interruption aborts the request.
 */
export const send = (
  direct: DirectFetch,
  request: Request,
  timeout: Duration.Duration,
  describe: (cause: unknown) => string
): Effect.Effect<Answer, Errors.Reason> =>
  Effect.async<Answer, Errors.Reason>((resume) => {
    const controller = new AbortController()
    const millis = Duration.toMillis(timeout)
    let settled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    if (millis <= MAX_TIMER_MILLIS) {
      timer = setTimeout(() => {
        if (settled) return
        settled = true
        controller.abort()
        resume(Effect.fail(new Errors.Timeout({ url: request.url, timeout })))
      }, millis)
    }
    const fail = (cause: unknown, reading: boolean) => {
      if (settled) return
      settled = true
      if (timer !== undefined) clearTimeout(timer)
      const detail = describe(cause)
      resume(
        Effect.fail(
          new Errors.TransportError({
            url: request.url,
            detail: reading ? `the connection broke while reading the answer: ${detail}` : detail,
            cause
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
    ;(direct.fetch ?? globalThis.fetch)(request.url, init).then(
      (response) =>
        response.text().then(
          (text) => {
            if (settled) return
            settled = true
            if (timer !== undefined) clearTimeout(timer)
            const headers = response.headers
            resume(Effect.succeed({ status: response.status, header: (name) => headers.get(name) ?? undefined, text }))
          },
          (cause) => fail(cause, true)
        ),
      (cause) => fail(cause, false)
    )
    return Effect.sync(() => {
      settled = true
      if (timer !== undefined) clearTimeout(timer)
      controller.abort()
    })
  })
