/**
 * Small hostile HTTP servers for the fault suite: a raw `node:net` server on 127.0.0.1, port 0, that reads each
 * request (head and `Content-Length` body), counts it, and hands the socket to a behaviour that may answer well,
 * badly, slowly, partly, or never. Every answer closes its connection, so one request is one connection.
 */
import { createServer, type Socket } from "node:net"

/** What the server saw of one request. */
export interface Hit {
  readonly method: string
  readonly path: string
}

/** One request to answer: its socket, what was asked, its index among the server's requests (from 0). */
export interface Exchange {
  readonly socket: Socket
  readonly hit: Hit
  readonly index: number
  /** Writes `text` one byte every `everyMillis`, until done or the socket closes (stopped when the server closes). */
  readonly trickle: (text: string, everyMillis: number) => void
}

/** Answers one request, well, badly, slowly, partly, or never. */
export type Behaviour = (exchange: Exchange) => void

export interface Hostile {
  readonly url: string
  readonly hits: Array<Hit>
  /** Stops the server, its timers and every connection still open. */
  readonly close: () => Promise<void>
}

const HEAD_END = "\r\n\r\n"

export const serve = async (behaviour: Behaviour): Promise<Hostile> => {
  const hits: Array<Hit> = []
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setInterval>>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
    socket.on("error", () => {})
    let buffered = ""
    let answered = false
    socket.on("data", (data) => {
      if (answered) return
      buffered += data.toString("latin1")
      const end = buffered.indexOf(HEAD_END)
      if (end === -1) return
      const head = buffered.slice(0, end)
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
      if (buffered.length - end - HEAD_END.length < length) return
      answered = true
      const [method = "", path = ""] = head.split(" ", 2)
      const hit = { method, path }
      hits.push(hit)
      const trickle = (text: string, everyMillis: number) => {
        let i = 0
        const timer = setInterval(() => {
          if (socket.destroyed || i >= text.length) clearInterval(timer)
          else socket.write(text[i++]!)
        }, everyMillis)
        timers.add(timer)
      }
      behaviour({ socket, hit, index: hits.length - 1, trickle })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("the hostile server has no port")
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer)
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** A status line and headers (with `connection: close`), ending in the blank line. */
export const head = (status: number, headers: Record<string, string>): string =>
  `HTTP/1.1 ${status} ${status === 200 ? "OK" : "Status"}\r\n${Object.entries({ ...headers, connection: "close" })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`

/** A complete answer with a `Content-Length`, then the connection closed. */
export const answer = (
  socket: Socket,
  status: number,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" }
): void => {
  socket.end(head(status, { ...headers, "content-length": String(Buffer.byteLength(body)) }) + body)
}

/** One chunk of a chunked body. */
export const chunk = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
