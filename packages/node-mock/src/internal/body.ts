// Request bodies: read with a size limit, and parsed as exact-integer JSON that tolerates trailing commas (the
// usage page's status example has them; a real node answers 500 to it).
import type { IncomingMessage } from "node:http"
import { Effect } from "effect"
import { Json } from "@infernet/types"

/** A body that went past `mock.max_body_bytes`. */
export const TOO_LARGE: unique symbol = Symbol.for("@infernet/node-mock/TooLarge")

/** A request body as the handlers get it: its text, or {@link TOO_LARGE}. */
export type Received = string | typeof TOO_LARGE

/** Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body: nothing to wait for. */
export const hasNoBody = (incoming: IncomingMessage): boolean =>
  incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined

/**
 * Collects a request body of at most `limit` bytes and calls `done` once with its text, or with `undefined` when it
 * is larger (the rest is then drained and discarded, so the connection stays usable). `done` runs at once when the
 * body is already buffered. Returns a function that detaches the listeners.
 */
export const collectBody = (
  incoming: IncomingMessage,
  limit: number,
  done: (text: string | undefined) => void
): (() => void) => {
  const declared = Number(incoming.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) {
    incoming.resume()
    done(undefined)
    return noop
  }
  if (incoming.readableEnded) {
    done("")
    return noop
  }
  // Small requests usually arrive whole before the handler runs: take the buffered body at once.
  if (incoming.complete && incoming.readableLength <= limit) {
    const buffered: Array<Buffer> = []
    for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) {
      buffered.push(chunk)
    }
    done(buffered.length === 1 ? buffered[0]!.toString("utf8") : Buffer.concat(buffered).toString("utf8"))
    return noop
  }
  const parts: Array<Buffer> = []
  let size = 0
  let finished = false
  const finish = (text: string | undefined) => {
    if (finished) return
    finished = true
    cleanup()
    done(text)
  }
  const text = () => (parts.length === 1 ? parts[0]!.toString("utf8") : Buffer.concat(parts).toString("utf8"))
  const onData = (chunk: Buffer) => {
    size += chunk.length
    if (size > limit) {
      parts.length = 0
      finish(undefined)
      incoming.resume()
      return
    }
    parts.push(chunk)
  }
  const onEnd = () => finish(text())
  const cleanup = () => {
    incoming.off("data", onData)
    incoming.off("end", onEnd)
    incoming.off("error", onEnd)
  }
  incoming.on("data", onData)
  incoming.on("end", onEnd)
  incoming.on("error", onEnd)
  return cleanup
}

const noop = () => {}

/** {@link collectBody} as an effect. */
export const receiveBody = (incoming: IncomingMessage, limit: number): Effect.Effect<Received> =>
  hasNoBody(incoming)
    ? Effect.succeed("")
    : Effect.async<Received>((resume) => {
        const cancel = collectBody(incoming, limit, (text) => resume(Effect.succeed(text ?? TOO_LARGE)))
        return Effect.sync(cancel)
      })

/** Removes commas that directly precede `}` or `]` (outside strings). Returns the text unchanged when there are none. */
export const stripTrailingCommas = (text: string): string => {
  let out = ""
  let last = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
      continue
    }
    if (c === 34) {
      inString = true
      continue
    }
    if (c === 44 /* , */) {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j]!)) j++
      const next = text.charCodeAt(j)
      if (next === 125 /* } */ || next === 93 /* ] */) {
        out += text.slice(last, i)
        last = i + 1
      }
    }
  }
  return last === 0 ? text : out + text.slice(last)
}

export type ParsedJson =
  | { readonly ok: true; readonly value: unknown; readonly tolerated: boolean }
  | { readonly ok: false; readonly message: string }

export const parseJson = (text: string): ParsedJson => {
  try {
    return { ok: true, value: Json.parse(text), tolerated: false }
  } catch (cause) {
    const stripped = stripTrailingCommas(text)
    if (stripped !== text) {
      try {
        return { ok: true, value: Json.parse(stripped), tolerated: true }
      } catch {
        // fall through to the original error
      }
    }
    const message = text.trim() === "" ? "the body is empty" : (cause as Error).message
    return { ok: false, message }
  }
}
