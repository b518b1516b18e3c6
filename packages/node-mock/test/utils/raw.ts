// Raw TCP clients for fault tests: bytes written as given, then the answer (or the server's hang-up) as seen on the
// socket, with how long the server took to close it.
import { connect, type Socket } from "node:net"

export interface RawExchange {
  /** Everything the server sent, as latin1 text (status line, headers, body). */
  readonly text: string
  /** The status of the first answer, `0` when none came. */
  readonly status: number
  /** Milliseconds from connecting until the server closed the connection (or the client gave up). */
  readonly elapsedMs: number
  /** Whether the server closed the connection (rather than the client giving up at `waitMs`). */
  readonly closedByServer: boolean
}

export interface RawOptions {
  /** Chunks to write, in order, `delayMs` apart. */
  readonly chunks?: ReadonlyArray<string | Uint8Array>
  readonly delayMs?: number
  /** Hang up this long after the last chunk (default: wait for the server). */
  readonly hangUpAfterMs?: number
  /** Give up waiting for the server after this long (default 5000). */
  readonly waitMs?: number
  /** Resolve as soon as a whole answer head has arrived, without waiting for the close. */
  readonly untilAnswer?: boolean
}

const statusOf = (text: string): number => {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text)
  return match === null ? 0 : Number(match[1])
}

/** Opens a connection, writes `chunks`, and reports what came back. */
export const exchange = (port: number, options: RawOptions = {}): Promise<RawExchange> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const received: Array<Buffer> = []
    let settled = false
    let socket: Socket | undefined
    const finish = (closedByServer: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(giveUp)
      socket?.destroy()
      const text = Buffer.concat(received).toString("latin1")
      resolve({ text, status: statusOf(text), elapsedMs: Date.now() - started, closedByServer })
    }
    const giveUp = setTimeout(() => finish(false), options.waitMs ?? 5000)
    socket = connect(port, "127.0.0.1", async () => {
      for (const [i, chunk] of (options.chunks ?? []).entries()) {
        if (i > 0 && options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs))
        if (socket!.destroyed) return
        socket!.write(chunk)
      }
      if (options.hangUpAfterMs !== undefined) {
        setTimeout(() => finish(false), options.hangUpAfterMs)
      }
    })
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk)
      if (options.untilAnswer === true && Buffer.concat(received).includes("\r\n\r\n")) finish(false)
    })
    socket.on("close", () => finish(true))
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.code === "EPIPE") finish(true)
      else if (!settled) reject(error)
    })
  })

/** The head of a request with a JSON body, without the body. */
export const head = (method: string, path: string, headers: Record<string, string | number> = {}): string =>
  `${method} ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`
