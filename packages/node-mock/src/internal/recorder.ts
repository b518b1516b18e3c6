// `infernet-node-mock record`: a plain `node:http` server that forwards every request to an upstream node with
// `fetch`, passes the answer back as it comes (streams chunk by chunk), and writes each exchange to a cassette.
// The cassette is rewritten after every exchange (to a temporary file, then renamed over it), so stopping the
// recorder at any moment leaves a complete, valid file.
import { renameSync, writeFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"
import { Json } from "@infernet/types"
import type { Cassette, Chunk, Interaction, Recorder, RecordOptions } from "../Cassette.js"
import { scrubQuery, scrubSignatures } from "./cassetteMatch.js"

/** Request headers never forwarded (hop-by-hop, or recomputed by `fetch`). */
const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
  "expect",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer"
])
/** Answer headers not passed back: hop-by-hop, and those `fetch` invalidates by decoding the body. */
const ANSWER_DROPPED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"])
const KEPT_REQUEST_HEADERS = new Set(["content-type"])
const KEPT_ANSWER_HEADERS = /^(content-type|allow|retry-after|ratelimit-.*)$/

const MAX_BODY = 16 * 1024 * 1024 + 1
const STREAM_PATH = "/api/jobs/stream"

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) parts.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(parts)))
    request.on("error", reject)
  })

const decoder = new TextDecoder("utf-8", { fatal: true })
const chunkOf = (bytes: Uint8Array, delayMs: number): Chunk => {
  try {
    return { delay_ms: delayMs, text: decoder.decode(bytes) }
  } catch {
    return { delay_ms: delayMs, base64: Buffer.from(bytes).toString("base64") }
  }
}

const withoutCredentials = (url: string): string => {
  const parsed = new URL(url)
  parsed.username = ""
  parsed.password = ""
  return parsed.toString().replace(/\/$/, "")
}

const round = (ms: number) => Math.round(ms * 10) / 10

export const startRecorder = (options: RecordOptions): Promise<Recorder> => {
  const upstream = withoutCredentials(options.upstream)
  const keep = options.keepSignatures === true
  const interactions: Array<Interaction> = []
  const cassette = (): Cassette => ({
    format: "infernet-node-mock-cassette",
    version: 1,
    upstream,
    signatures: keep ? "kept" : "hashed",
    interactions
  })
  const flush = () => {
    const temporary = `${options.out}.${process.pid}.tmp`
    writeFileSync(temporary, `${JSON.stringify(cassette(), null, 2)}\n`)
    renameSync(temporary, options.out)
  }
  flush()
  const scrubBody = (text: string, write?: (value: unknown) => string) => (keep ? text : scrubSignatures(text, write))

  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? "GET"
    const target = request.url ?? "/"
    const q = target.indexOf("?")
    const path = q === -1 ? target : target.slice(0, q)
    const query = q === -1 ? "" : target.slice(q + 1)
    const body = await readBody(request)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(", ") : value
    }
    const startedAt = new Date()
    const started = performance.now()
    let answer: Response
    try {
      answer = await fetch(`${upstream}${target}`, {
        method,
        headers,
        redirect: "manual",
        ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) })
      })
    } catch (cause) {
      const text = JSON.stringify({
        error: `node-mock recorder: the upstream node ${upstream} did not answer: ${(cause as Error).cause ?? (cause as Error).message}`
      })
      response.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
      response.end(text)
      return
    }
    const answerHeaders: Record<string, string> = {}
    const keptAnswerHeaders: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      if (!ANSWER_DROPPED.has(name)) answerHeaders[name] = value
      if (KEPT_ANSWER_HEADERS.test(name)) keptAnswerHeaders[name] = value
    })
    const requestHeaders: Record<string, string> = {}
    for (const name of KEPT_REQUEST_HEADERS) if (headers[name] !== undefined) requestHeaders[name] = headers[name]
    const recordedRequest = {
      method,
      path,
      query: scrubQuery(query),
      headers: requestHeaders,
      body: body.length === 0 ? null : scrubBody(body.toString("utf8"), (value) => Json.stringify(value))
    }
    const streamed = path === STREAM_PATH && answer.status === 200 && answer.body !== null
    let recordedResponse: Interaction["response"]
    if (streamed) {
      response.writeHead(answer.status, answerHeaders)
      response.flushHeaders()
      const chunks: Array<Chunk> = []
      let last = performance.now()
      const reader = answer.body!.getReader()
      for (;;) {
        const next = await reader.read()
        if (next.done) break
        const now = performance.now()
        chunks.push(chunkOf(next.value, round(now - last)))
        last = now
        response.write(next.value)
      }
      response.end()
      recordedResponse = { status: answer.status, headers: keptAnswerHeaders, chunks }
    } else {
      const bytes = Buffer.from(await answer.arrayBuffer())
      response.writeHead(answer.status, { ...answerHeaders, "content-length": String(bytes.length) })
      response.end(method === "HEAD" ? undefined : bytes)
      recordedResponse = { status: answer.status, headers: keptAnswerHeaders, body: scrubBody(bytes.toString("utf8")) }
    }
    // The mock's control API is not part of a node's behaviour: forwarded, never recorded.
    if (path.startsWith("/__mock/")) return
    interactions.push({
      request: recordedRequest,
      response: recordedResponse,
      started_at: startedAt.toISOString(),
      duration_ms: round(performance.now() - started)
    })
    flush()
  }

  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    forward(request, response).catch((cause) => {
      if (!response.headersSent) {
        const text = JSON.stringify({ error: `node-mock recorder: ${(cause as Error).message}` })
        response.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
        response.end(text)
      } else response.destroy()
    })
  })
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0)
      const host = options.host ?? "127.0.0.1"
      const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host
      let closing: Promise<void> | undefined
      resolve({
        url: `http://${urlHost}:${port}`,
        port,
        interactions: () => interactions,
        close: () => {
          closing ??= new Promise<void>((done) => {
            flush()
            server.close(() => done())
            server.closeIdleConnections()
            for (const socket of sockets) socket.destroy()
          })
          return closing
        }
      })
    })
  })
}
