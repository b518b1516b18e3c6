import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"

/** A JSON-RPC error object as a node sends it. */
export interface RpcErrorObject {
  readonly code: number
  readonly message: string
  readonly data?: unknown
}

export interface RpcProxyOptions {
  /** Milliseconds to hold the answer to `method` (the request is forwarded at once: only the answer is late). */
  readonly delay?: (method: string) => number
  /** Rewrites an error answer of the upstream node (to play another client's error shape). */
  readonly rewriteError?: (method: string, error: RpcErrorObject) => RpcErrorObject
  /** Answers `method` with this error instead of forwarding it (`undefined`: forward). */
  readonly refuse?: (method: string) => RpcErrorObject | undefined
}

export interface RpcProxy {
  readonly url: string
  /** Every method received, in order. */
  readonly calls: Array<string>
  readonly close: () => Promise<void>
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => {
      body += chunk
    })
    request.on("end", () => resolve(body))
    request.on("error", reject)
  })

/**
 * A fake JSON-RPC node on a free loopback port that forwards every request to `upstream` (Anvil) and can hold an
 * answer past the client's timeout, or reshape an error answer the way another node (Ganache, Nethermind, Besu)
 * would. Single requests only (viem's http transport does not batch by default).
 */
export const startRpcProxy = async (upstream: string, options: RpcProxyOptions = {}): Promise<RpcProxy> => {
  const calls: Array<string> = []
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    const message = JSON.parse(body) as { id: unknown; method: string }
    calls.push(message.method)
    const refusal = options.refuse?.(message.method)
    if (refusal !== undefined) {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, error: refusal }))
      return
    }
    const answer = (await (
      await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body })
    ).json()) as { error?: RpcErrorObject }
    if (answer.error !== undefined && options.rewriteError !== undefined) {
      answer.error = options.rewriteError(message.method, answer.error)
    }
    const send = () => {
      if (response.destroyed) return
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(answer))
    }
    const ms = options.delay?.(message.method) ?? 0
    if (ms <= 0) return send()
    const timer = setTimeout(() => {
      timers.delete(timer)
      send()
    }, ms)
    timers.add(timer)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
