// A mock of Ritual's Infernet Router: polls its nodes' `GET /info`, answers `/api/v1/ips` (nodes running all the
// named containers, least total pending first, then `[offset : offset + n]`), `/api/v1/containers` and, when
// enabled, `/api/v1/resources`, with a per-client fixed-window rate limit. A mock-only control API under `/__mock/`
// drives the network's chaos. Plain `node:http`: the router is small and answers every request synchronously except
// `resources`, which asks the nodes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { Json, NodeInfo } from "@infernet/types"
import { Schema } from "effect"
import { type Chaos, MAX_CHAOS_MS, MAX_RETRY_AFTER_SECONDS } from "./chaos.js"
import { normalizeAddress } from "./ip.js"
import { inspectNetwork } from "./networkInspector.js"

export interface RouterNode {
  /** `host:port`, as the router hands it out. */
  readonly address: string
  readonly url: string
  readonly chaos: Chaos | undefined
}

export interface RouterSettings {
  readonly nodes: ReadonlyArray<RouterNode>
  /** How long a node's `/info` may take before it counts as unavailable (the real router: 3 s). */
  readonly infoTimeoutMs: number
  readonly rateLimit: { readonly limit: number; readonly periodMs: number } | undefined
  readonly resources: boolean
  readonly now: () => number
}

interface NodeView {
  available: boolean
  info: NodeInfo.NodeInfo | undefined
  lastError: string | undefined
}

const decodeInfo = Schema.decodeUnknownEither(NodeInfo.NodeInfo)

const NOT_FOUND =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
const METHOD_NOT_ALLOWED =
  "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"
const TOO_MANY_REQUESTS =
  "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n<p>The user has sent too many requests in a given amount of time.</p>\n"

const send = (
  response: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers?: Record<string, string>
) => {
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(text)),
    ...headers
  })
  response.end(text)
}
const json = (response: ServerResponse, status: number, body: unknown) =>
  send(response, status, `${Json.canonical(body)}`, "application/json")
const html = (response: ServerResponse, status: number, body: string, headers?: Record<string, string>) =>
  send(response, status, body, "text/html; charset=utf-8", headers)

const readBody = (request: IncomingMessage, limit = 64 * 1024): Promise<string> =>
  new Promise((resolve) => {
    const parts: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) parts.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    request.on("error", () => resolve(""))
  })

const isLoopback = (address: string) => address.startsWith("127.") || address === "::1"

/** A whole number query parameter, its default when absent; `undefined` when present and not one. */
const intParam = (query: URLSearchParams, name: string, fallback: number): number | undefined => {
  const text = query.get(name)
  if (text === null) return fallback
  return /^\d+$/.test(text) ? Number(text) : undefined
}

export interface Router {
  readonly server: Server
  /** Polls every node's `/info` once, now. */
  readonly refresh: () => Promise<void>
  /** The addresses of the nodes available at the last refresh, in configuration order. */
  readonly available: () => ReadonlyArray<string>
}

export const makeRouter = (settings: RouterSettings): Router => {
  const views = new Map<string, NodeView>(
    settings.nodes.map((node) => [node.address, { available: false, info: undefined, lastError: "not polled yet" }])
  )
  const windows = new Map<string, { start: number; count: number }>()

  const poll = async (node: RouterNode): Promise<void> => {
    const view = views.get(node.address)!
    try {
      const response = await fetch(`${node.url}/info`, { signal: AbortSignal.timeout(settings.infoTimeoutMs) })
      const text = await response.text()
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`)
      const decoded = decodeInfo(JSON.parse(text))
      if (decoded._tag === "Left") throw new Error(`not a node's /info: ${decoded.left.message}`)
      view.available = true
      view.info = decoded.right
      view.lastError = undefined
    } catch (error) {
      view.available = false
      view.lastError = error instanceof Error ? error.message : String(error)
    }
  }
  const refresh = async () => {
    await Promise.all(settings.nodes.map(poll))
  }
  const availableNodes = () =>
    settings.nodes.flatMap((node) => {
      const view = views.get(node.address)!
      return view.available && view.info !== undefined ? [{ node, info: view.info }] : []
    })

  const limited = (client: string, response: ServerResponse): boolean => {
    const rule = settings.rateLimit
    if (rule === undefined) return false
    const now = settings.now()
    let window = windows.get(client)
    if (window === undefined || now - window.start >= rule.periodMs) {
      window = { start: now, count: 0 }
      windows.set(client, window)
    }
    if (window.count >= rule.limit) {
      const wait = Math.max(0, Math.ceil((window.start + rule.periodMs - now) / 1000))
      html(response, 429, TOO_MANY_REQUESTS, { "retry-after": String(wait) })
      return true
    }
    window.count++
    return false
  }

  const ips = (query: URLSearchParams, response: ServerResponse) => {
    const containers = query.getAll("container")
    if (containers.length === 0) return json(response, 400, { error: "No containers specified" })
    const n = intParam(query, "n", 3)
    const offset = intParam(query, "offset", 0)
    if (n === undefined || offset === undefined) {
      return json(response, 400, { error: "n and offset must be non-negative integers" })
    }
    const matching = availableNodes()
      .filter(({ info }) => containers.every((id) => info.containers.some((c) => c.id === id)))
      .map(({ node, info }) => ({ address: node.address, pending: info.pending.offchain + info.pending.onchain }))
    // Array.prototype.sort is stable: equally busy nodes keep their configuration order.
    matching.sort((a, b) => a.pending - b.pending)
    return json(
      response,
      200,
      matching.slice(offset, offset + n).map((m) => m.address)
    )
  }

  const containers = (response: ServerResponse) => {
    const seen = new Map<string, { id: string; count: number; description: string | null }>()
    for (const { info } of availableNodes()) {
      for (const container of info.containers) {
        const entry = seen.get(container.id) ?? { id: container.id, count: 0, description: null }
        entry.count++
        if (entry.description === null && container.description !== "") entry.description = container.description
        seen.set(container.id, entry)
      }
    }
    return json(response, 200, [...seen.values()])
  }

  const resources = async (query: URLSearchParams, response: ServerResponse) => {
    const modelId = query.get("model_id")
    const suffix = modelId === null ? "" : `?model_id=${encodeURIComponent(modelId)}`
    const answers = await Promise.all(
      availableNodes().map(async ({ node }) => {
        try {
          const answer = await fetch(`${node.url}/resources${suffix}`, {
            signal: AbortSignal.timeout(settings.infoTimeoutMs)
          })
          if (answer.status !== 200) return undefined
          return [node.address, await answer.json()] as const
        } catch {
          return undefined
        }
      })
    )
    return json(response, 200, Object.fromEntries(answers.filter((a) => a !== undefined)))
  }

  const chaosOf = (index: string) => {
    const node = /^\d+$/.test(index) ? settings.nodes[Number(index)] : undefined
    return node?.chaos
  }
  const control = async (method: string, path: string, request: IncomingMessage, response: ServerResponse) => {
    if (method === "GET" && path.startsWith("/__mock/ui")) {
      const network = {
        nodes: settings.nodes,
        view: (address: string) => views.get(address)!,
        available: () => availableNodes().map(({ node }) => node.address)
      }
      if (await inspectNetwork(network, path, request, response)) return
    }
    if (method === "GET" && path === "/__mock/nodes") {
      return json(
        response,
        200,
        settings.nodes.map((node, index) => {
          const view = views.get(node.address)!
          return {
            index,
            address: node.address,
            url: node.url,
            available: view.available,
            last_error: view.lastError ?? null,
            chaos: node.chaos?.snapshot() ?? null
          }
        })
      )
    }
    if (method === "POST" && path === "/__mock/refresh") {
      await refresh()
      return json(response, 200, { available: availableNodes().map(({ node }) => node.address) })
    }
    const match = /^\/__mock\/nodes\/([^/]+)\/(down|up|slow|fail|heal)$/.exec(path)
    if (match === null) return html(response, 404, NOT_FOUND)
    if (method !== "POST") return html(response, 405, METHOD_NOT_ALLOWED, { allow: "OPTIONS, POST" })
    const chaos = chaosOf(match[1]!)
    if (chaos === undefined) return json(response, 404, { error: "Unknown node", params: { node: match[1]! } })
    let body: Record<string, unknown> = {}
    const text = await readBody(request)
    if (text.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(text)
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object")
        body = parsed as Record<string, unknown>
      } catch {
        return json(response, 400, { error: "Expected a JSON object" })
      }
    }
    // At most MAX_CHAOS_MS (2^31 - 1, the longest timer Node keeps; longer ones fire after 1 ms) or
    // MAX_RETRY_AFTER_SECONDS, so what the snapshot shows is what happens.
    const wholeNumber = (key: string, max: number): number | undefined | "bad" => {
      const value = body[key]
      if (value === undefined || value === null) return undefined
      return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max ? value : "bad"
    }
    switch (match[2]) {
      case "down":
        await chaos.down()
        break
      case "up":
        await chaos.up()
        break
      case "heal":
        await chaos.heal()
        break
      case "slow": {
        const ms = wholeNumber("ms", MAX_CHAOS_MS)
        if (ms === undefined || ms === "bad") {
          return json(response, 400, {
            error: `Expected {"ms": <integer from 0 to ${MAX_CHAOS_MS}>}, got ${JSON.stringify(body.ms ?? null)}`
          })
        }
        chaos.slow(ms)
        break
      }
      case "fail": {
        const status = body.status ?? 503
        const forMs = wholeNumber("for_ms", Number.MAX_SAFE_INTEGER)
        const retryAfter = wholeNumber("retry_after", MAX_RETRY_AFTER_SECONDS)
        if ((status !== 503 && status !== 429) || forMs === "bad" || retryAfter === "bad") {
          return json(response, 400, {
            error: `Expected {"status": 503 | 429, "for_ms"?: <integer >= 0>, "retry_after"?: <integer seconds from 0 to ${MAX_RETRY_AFTER_SECONDS}>}`
          })
        }
        chaos.fail({ status, forMs, retryAfterSeconds: retryAfter })
        break
      }
    }
    return json(response, 200, chaos.snapshot())
  }

  const server = createServer((request, response) => {
    const url = request.url ?? "/"
    const q = url.indexOf("?")
    const path = q === -1 ? url : url.slice(0, q)
    const query = new URLSearchParams(q === -1 ? "" : url.slice(q + 1))
    const method = request.method ?? "GET"
    const client = normalizeAddress(request.socket.remoteAddress ?? "")
    const fail = (error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: `Internal server error: ${String(error)}` })
      else response.destroy()
    }
    if (path.startsWith("/__mock/")) {
      if (!isLoopback(client)) return json(response, 403, { error: "Unauthorized" })
      control(method, path, request, response).catch(fail)
      return
    }
    request.resume()
    const route =
      path === "/api/v1/ips" || path === "/api/v1/containers" || (settings.resources && path === "/api/v1/resources")
    if (!route) return html(response, 404, NOT_FOUND)
    if (method !== "GET" && method !== "HEAD")
      return html(response, 405, METHOD_NOT_ALLOWED, { allow: "GET, HEAD, OPTIONS" })
    if (limited(client, response)) return
    if (path === "/api/v1/ips") return ips(query, response)
    if (path === "/api/v1/containers") return containers(response)
    resources(query, response).catch(fail)
  })

  return {
    server,
    refresh,
    available: () => availableNodes().map(({ node }) => node.address)
  }
}
