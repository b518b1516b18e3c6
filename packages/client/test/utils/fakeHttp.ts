/**
 * A recording fake `HttpClient`: every request is recorded (method, URL, headers, body) and answered by a handler
 * returning a web `Response`, optionally after an `Effect.sleep` (so `TestClock` drives timeouts and backoff).
 */
import type { HttpClientRequest } from "@effect/platform"
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { Primitives } from "@infernet/types"
import { Effect, Layer } from "effect"

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly raw: HttpClientRequest.HttpClientRequest
}

export type Handler = (
  request: Recorded,
  index: number
) => Response | Effect.Effect<Response, HttpClientError.HttpClientError>

export interface Fake {
  readonly requests: Array<Recorded>
  readonly client: HttpClient.HttpClient
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

export const makeFake = (handler: Handler): Fake => {
  const requests: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined
      const recorded: Recorded = { method: request.method, url, headers: request.headers, body, raw: request }
      requests.push(recorded)
      const answer = handler(recorded, requests.length - 1)
      const response = Effect.isEffect(answer) ? yield* answer : answer
      return HttpClientResponse.fromWeb(request, response)
    })
  )
  return { requests, client, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/** A JSON answer as the node writes it. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/** An HTML answer, like the node's framework errors. */
export const html = (
  status: number,
  text = `<!doctype html><title>${status}</title><h1>Error ${status}</h1>`,
  headers: Record<string, string> = {}
): Response => new Response(text, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } })

/** A streamed answer whose body arrives in exactly these chunks. */
export const chunked = (chunks: ReadonlyArray<string | Uint8Array>, status = 200): Response => {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk)
      controller.close()
    }
  })
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } })
}

/** A transport failure such as a refused connection. */
export const refused = (request: Recorded) =>
  Effect.fail(
    new HttpClientError.RequestError({
      request: request.raw,
      reason: "Transport",
      cause: new TypeError("fetch failed", {
        cause: Object.assign(new Error(`connect ECONNREFUSED ${request.url.host}`), { code: "ECONNREFUSED" })
      })
    })
  )

export const ids = {
  a: Primitives.JobId.make("b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8"),
  b: Primitives.JobId.make("4ac0b5a5-eedb-4688-bb96-75afca891a47"),
  c: Primitives.JobId.make("29dd2f8b-05c3-4b1c-a103-370c04c6850f")
}
