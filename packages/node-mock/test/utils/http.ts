// A raw node:http client for tests: no connection reuse, optional source address (to act as another client),
// and the body as received, chunk by chunk.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http"
import { Json } from "@infernet/types"

export interface RawResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly text: string
  /** The body as the client's socket delivered it. */
  readonly chunks: ReadonlyArray<Buffer>
  /** `Json.parse` of the body (throws when it is not JSON). */
  json<A = any>(): A
}

export interface RequestOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  /** A string or bytes are sent as is; anything else as JSON (with `Content-Type: application/json` unless given). */
  readonly body?: unknown
  /** Source address of the client socket, e.g. `127.0.0.2` to be another client. */
  readonly localAddress?: string
  readonly onChunk?: (chunk: Buffer) => void
}

export const request = (base: string, path: string, options: RequestOptions = {}): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, base)
    const headers: Record<string, string> = { ...options.headers }
    let payload: string | Uint8Array | undefined
    if (options.body !== undefined) {
      if (typeof options.body === "string" || options.body instanceof Uint8Array) payload = options.body
      else {
        payload = Json.stringify(options.body)
        headers["content-type"] ??= "application/json"
      }
    }
    const req = httpRequest(
      {
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? (payload === undefined ? "GET" : "POST"),
        headers,
        agent: false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress })
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk)
          options.onChunk?.(chunk)
        })
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            chunks,
            json: () => Json.parse(text) as any
          })
        })
        res.on("error", reject)
      }
    )
    req.on("error", reject)
    if (payload !== undefined) req.write(payload)
    req.end()
  })

export const get = (base: string, path: string, options: Omit<RequestOptions, "method" | "body"> = {}) =>
  request(base, path, { ...options, method: "GET" })

export const post = (
  base: string,
  path: string,
  body: unknown,
  options: Omit<RequestOptions, "method" | "body"> = {}
) => request(base, path, { ...options, method: "POST", body })

export const put = (base: string, path: string, body: unknown, options: Omit<RequestOptions, "method" | "body"> = {}) =>
  request(base, path, { ...options, method: "PUT", body })

/** Polls `GET /api/jobs?id=` until the job is no longer running (real time, bounded). */
export const waitForJob = async (
  base: string,
  id: string,
  options: { readonly localAddress?: string; readonly intermediate?: boolean; readonly timeoutMs?: number } = {}
): Promise<any> => {
  const deadline = Date.now() + (options.timeoutMs ?? 5000)
  for (;;) {
    const query = `/api/jobs?id=${id}${options.intermediate === true ? "&intermediate=true" : ""}`
    const res = await get(base, query, options.localAddress === undefined ? {} : { localAddress: options.localAddress })
    const [job] = res.json<Array<any>>()
    if (job !== undefined && job.status !== "running") return job
    if (Date.now() > deadline) throw new Error(`job ${id} still running: ${res.text}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Reads `read` until `holds` is true of what it gives, in real time (every 5 ms, up to `timeoutMs`), and returns the
 * last value read: the test then asserts on it, so a state that never comes fails with what was seen. For work that
 * runs real I/O after a `TestClock.adjust`, instead of sleeping a fixed time.
 */
export const eventually = async <A>(read: () => Promise<A>, holds: (a: A) => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (holds(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The same helpers over a `fetch` (e.g. a mock node's in-process `fetch`), with a `RawResponse` of one chunk. */
export const transportOf = (fetch: (input: string, init?: RequestInit) => Promise<Response>) => {
  const viaFetch = async (base: string, path: string, options: RequestOptions = {}): Promise<RawResponse> => {
    const headers: Record<string, string> = { ...options.headers }
    let payload: string | Uint8Array | undefined
    if (options.body !== undefined) {
      // Bytes, so that fetch adds no Content-Type of its own (it would for a string), as the raw client sends none.
      if (typeof options.body === "string") payload = new TextEncoder().encode(options.body)
      else if (options.body instanceof Uint8Array) payload = options.body
      else {
        payload = Json.stringify(options.body)
        headers["content-type"] ??= "application/json"
      }
    }
    const response = await fetch(new URL(path, base).href, {
      method: options.method ?? (payload === undefined ? "GET" : "POST"),
      headers,
      ...(payload === undefined ? {} : { body: payload as BodyInit })
    })
    const bytes = Buffer.from(await response.arrayBuffer())
    const text = bytes.toString("utf8")
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text,
      chunks: [bytes],
      json: () => Json.parse(text) as any
    }
  }
  return {
    request: viaFetch,
    get: (base: string, path: string, options: Omit<RequestOptions, "method" | "body"> = {}) =>
      viaFetch(base, path, { ...options, method: "GET" }),
    post: (base: string, path: string, body: unknown, options: Omit<RequestOptions, "method" | "body"> = {}) =>
      viaFetch(base, path, { ...options, method: "POST", body }),
    put: (base: string, path: string, body: unknown, options: Omit<RequestOptions, "method" | "body"> = {}) =>
      viaFetch(base, path, { ...options, method: "PUT", body })
  }
}

/** The raw `node:http` helpers as a transport. */
export const httpTransport = { request, get, post, put }

export type Transport = ReturnType<typeof transportOf>
