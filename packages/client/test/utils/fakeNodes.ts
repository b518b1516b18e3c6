/**
 * Small fake Infernet nodes and routers for the hostile-network suite: `node:http` servers on 127.0.0.1, port 0, that
 * speak just enough of the REST API (`/info`, `/health`, `POST /api/jobs`, `GET /api/jobs[?id=..]`) and let a test
 * take over any request to lie, rate limit, hang or stream without end. Every request is recorded; every socket is
 * tracked, so a test can see when the client closed one.
 */
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"

export interface Hit {
  readonly method: string
  readonly path: string
  /** The query, with its `?` (empty when none). */
  readonly search: string
  readonly ids: ReadonlyArray<string>
  /** Resolves when the request's connection closes (the answer sent, or the client gone). */
  readonly closed: Promise<void>
}

/** A job result as a node stores it. */
export interface StoredJob {
  readonly id: string
  readonly status: "running" | "success" | "failed"
  readonly result: { readonly container: string; readonly output: unknown } | null
}

/**
 * Takes over a request: answer it (return `true`) or let the node's default behaviour answer (`false`/nothing).
 */
export type Override = (request: IncomingMessage, response: ServerResponse, hit: Hit) => boolean | undefined

export interface FakeNode {
  readonly url: string
  readonly port: number
  readonly name: string
  readonly hits: Array<Hit>
  readonly jobs: Map<string, StoredJob>
  containers: ReadonlyArray<string>
  override: Override | undefined
  /** Requests being answered right now, most at once. */
  readonly inFlight: { now: number; max: number }
  readonly close: () => Promise<void>
}

export const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): true => {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers
  })
  response.end(text)
  return true
}

const info = (containers: ReadonlyArray<string>) => ({
  version: "1.4.0",
  containers: containers.map((id) => ({ id, image: "", description: "", external: true })),
  pending: { offchain: 0, onchain: 0 },
  chain: { enabled: false, address: "" }
})

const listen = async (
  handle: (request: IncomingMessage, response: ServerResponse, hit: Hit) => void
): Promise<{ port: number; hits: Array<Hit>; close: () => Promise<void> }> => {
  const hits: Array<Hit> = []
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x")
    let closed!: () => void
    const hit: Hit = {
      method: request.method ?? "",
      path: url.pathname,
      search: url.search,
      ids: url.searchParams.getAll("id"),
      closed: new Promise<void>((resolve) => {
        closed = resolve
      })
    }
    response.on("close", () => closed())
    hits.push(hit)
    handle(request, response, hit)
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("no port")
  return {
    port: address.port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** A fake node running `containers`: jobs succeed at once with `{ node: name }` as output. */
export const fakeNode = async (name: string, containers: ReadonlyArray<string> = ["a"]): Promise<FakeNode> => {
  const jobs = new Map<string, StoredJob>()
  const inFlight = { now: 0, max: 0 }
  let node!: FakeNode
  const served = await listen((request, response, hit) => {
    inFlight.now++
    inFlight.max = Math.max(inFlight.max, inFlight.now)
    response.on("close", () => inFlight.now--)
    let body = ""
    request.on("data", (data) => {
      body += data
    })
    request.on("end", () => {
      if (node.override?.(request, response, hit) === true) return
      if (hit.path === "/info") return sendJson(response, 200, info(node.containers))
      if (hit.path === "/health") return sendJson(response, 200, { status: "healthy" })
      if (hit.path === "/api/jobs" && hit.method === "POST") {
        const { containers: wanted } = JSON.parse(body) as { containers: Array<string> }
        const missing = wanted.find((c) => !node.containers.includes(c))
        if (missing !== undefined) {
          return sendJson(response, 405, { error: "Container not supported", params: { container: missing } })
        }
        const id = randomUUID()
        jobs.set(id, { id, status: "success", result: { container: wanted.at(-1)!, output: { node: name } } })
        return sendJson(response, 200, { id })
      }
      if (hit.path === "/api/jobs" && hit.method === "GET") {
        if (hit.ids.length === 0) return sendJson(response, 200, [...jobs.keys()])
        return sendJson(
          response,
          200,
          hit.ids.flatMap((id) => {
            const job = jobs.get(id)
            return job === undefined ? [] : [job]
          })
        )
      }
      return sendJson(response, 404, { error: "not found" })
    })
  })
  node = {
    url: `http://127.0.0.1:${served.port}`,
    port: served.port,
    name,
    hits: served.hits,
    jobs,
    containers,
    override: undefined,
    inFlight,
    close: served.close
  }
  return node
}

export interface FakeRouter {
  readonly url: string
  readonly hits: Array<Hit>
  /** What `/api/v1/ips` answers: addresses (200), or take the request over. */
  answer: ReadonlyArray<string> | ((request: IncomingMessage, response: ServerResponse, hit: Hit) => void)
  readonly close: () => Promise<void>
}

/** A fake Infernet Router answering `/api/v1/ips` with `answer`. */
export const fakeRouter = async (answer: FakeRouter["answer"]): Promise<FakeRouter> => {
  let router!: FakeRouter
  const served = await listen((request, response, hit) => {
    if (typeof router.answer === "function") return router.answer(request, response, hit)
    if (hit.path === "/api/v1/ips") return sendJson(response, 200, router.answer)
    return sendJson(response, 404, { error: "not found" })
  })
  router = { url: `http://127.0.0.1:${served.port}`, hits: served.hits, answer, close: served.close }
  return router
}

/** The `host:port` address of a node, as a router lists it. */
export const addressOf = (node: { readonly port: number }): string => `127.0.0.1:${node.port}`

/** A port nothing listens on (bound, then closed). */
export const deadPort = async (): Promise<number> => {
  const served = await listen(() => {})
  await served.close()
  return served.port
}

/** Closes everything given, ignoring failures. */
export const closeAll = (...servers: ReadonlyArray<{ readonly close: () => Promise<void> } | undefined>) =>
  Promise.all(servers.map((s) => s?.close().catch(() => {})))
