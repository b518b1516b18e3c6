// Chaos for a mock node of a network: take it down (the listener closes and every connection is destroyed, so
// clients get ECONNREFUSED, and requests in flight are cut), bring it back on the same port, delay every request,
// or answer 503 / 429 for a while. It wraps the node's own `node:http` server: the node's request listeners are
// moved behind one that applies the current chaos first.
import type { IncomingMessage, Server, ServerResponse } from "node:http"
import type { Socket } from "node:net"
import { Context } from "effect"

/**
 * Called by `MockNode.make` with the node's `node:http` server once its listeners are installed. A network sets it
 * to take control of its nodes; outside a network it is `undefined` and nothing happens.
 */
export class ServerHook extends Context.Reference<ServerHook>()("@infernet/node-mock/internal/ServerHook", {
  defaultValue: (): ((server: Server) => void) | undefined => undefined
}) {}

/** The longest delay `slow` applies (2^31 - 1 ms, about 24.8 days: Node's longest timer); longer ones are clamped. */
export const MAX_CHAOS_MS = 2 ** 31 - 1

/** The largest `Retry-After` a failing node sends (2^31 - 1 seconds); larger ones are clamped. */
export const MAX_RETRY_AFTER_SECONDS = 2 ** 31 - 1

const clamp = (value: number, max: number) => (Number.isNaN(value) ? 0 : Math.min(max, Math.max(0, value)))

/** A node's chaos as `GET /__mock/nodes` shows it. */
export interface ChaosSnapshot {
  readonly down: boolean
  readonly delay_ms: number
  /** The status answered instead of the real one, and until when (epoch ms; `null`: until healed). */
  readonly fail: {
    readonly status: 429 | 503
    readonly until: number | null
    readonly retry_after: number | null
  } | null
}

export interface FailOptions {
  readonly status: 429 | 503
  /** How long, in milliseconds; `undefined`: until `heal` (or another `fail`). */
  readonly forMs?: number | undefined
  /** The `Retry-After` header in whole seconds; `undefined`: none. */
  readonly retryAfterSeconds?: number | undefined
}

export interface Chaos {
  readonly down: () => Promise<void>
  readonly up: () => Promise<void>
  readonly slow: (delayMs: number) => void
  readonly fail: (options: FailOptions) => void
  /** Up, no delay, no failure. */
  readonly heal: () => Promise<void>
  readonly snapshot: () => ChaosSnapshot
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void

const page = (code: number, name: string, description: string) =>
  `<!doctype html>\n<html lang=en>\n<title>${code} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`
const PAGES = {
  429: page(429, "Too Many Requests", "The user has sent too many requests in a given amount of time."),
  503: page(
    503,
    "Service Unavailable",
    "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."
  )
} as const

/** Takes over `server`'s request listeners; `now` is the clock for `fail`'s duration. */
export const install = (server: Server, listen: { host: string; port: number }, now: () => number): Chaos => {
  const originals = server.listeners("request") as Array<Listener>
  server.removeAllListeners("request")
  const sockets = new Set<Socket>()
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })
  let down = false
  let delayMs = 0
  let failing: { status: 429 | 503; until: number | undefined; retryAfter: number | undefined } | undefined
  // Going down or up while the other is under way waits for it.
  let transition: Promise<void> = Promise.resolve()

  const pass: Listener = (request, response) => {
    for (const listener of originals) listener.call(server, request, response)
  }
  const answerFailure = (
    response: ServerResponse,
    request: IncomingMessage,
    status: 429 | 503,
    retryAfter?: number
  ) => {
    request.resume()
    const body = PAGES[status]
    response.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "content-length": String(Buffer.byteLength(body)),
      ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) })
    })
    response.end(request.method === "HEAD" ? undefined : body)
  }
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (failing !== undefined && failing.until !== undefined && now() >= failing.until) failing = undefined
    if (failing !== undefined) return answerFailure(response, request, failing.status, failing.retryAfter)
    if (delayMs <= 0) return pass(request, response)
    const timer = setTimeout(() => {
      if (!response.destroyed) pass(request, response)
    }, delayMs)
    response.once("close", () => clearTimeout(timer))
  })

  const takeDown = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
      server.closeAllConnections()
      for (const socket of sockets) socket.destroy()
      sockets.clear()
    })
  const bringUp = () =>
    new Promise<void>((resolve, reject) => {
      if (server.listening) return resolve()
      const onError = (error: Error) => reject(error)
      server.once("error", onError)
      server.listen(listen.port, listen.host, () => {
        server.off("error", onError)
        resolve()
      })
    })
  const queue = (step: () => Promise<void>) => {
    transition = transition.then(step, step)
    return transition
  }
  const chaos: Chaos = {
    down: () =>
      queue(async () => {
        down = true
        await takeDown()
      }),
    up: () =>
      queue(async () => {
        await bringUp()
        down = false
      }),
    slow: (ms) => {
      delayMs = clamp(Math.round(ms), MAX_CHAOS_MS)
    },
    fail: (options) => {
      failing = {
        status: options.status,
        until: options.forMs === undefined ? undefined : now() + options.forMs,
        retryAfter:
          options.retryAfterSeconds === undefined
            ? undefined
            : clamp(Math.ceil(options.retryAfterSeconds), MAX_RETRY_AFTER_SECONDS)
      }
    },
    heal: () => {
      delayMs = 0
      failing = undefined
      return chaos.up()
    },
    snapshot: () => {
      if (failing !== undefined && failing.until !== undefined && now() >= failing.until) failing = undefined
      return {
        down,
        delay_ms: delayMs,
        fail:
          failing === undefined
            ? null
            : { status: failing.status, until: failing.until ?? null, retry_after: failing.retryAfter ?? null }
      }
    }
  }
  return chaos
}
