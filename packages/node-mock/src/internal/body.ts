// Request bodies: read with a size limit, and parsed as exact-integer JSON that tolerates trailing commas (the
// usage page's status example has them; a real node answers 500 to it).
import type { IncomingMessage } from "node:http"
import { Effect } from "effect"
import { Json } from "@infernet/types"

const encoder = new TextEncoder()

/** The UTF-8 length of a string: `Buffer.byteLength` in Node, a `TextEncoder` elsewhere (the in-process transport). */
export const utf8Length: (text: string) => number =
  typeof Buffer === "undefined" ? (text) => encoder.encode(text).length : (text) => Buffer.byteLength(text)

/**
 * Decodes a body's bytes as strict UTF-8: its text, or {@link INVALID_UTF8}.
 */
export const decodeUtf8 = (bytes: Uint8Array): string | typeof INVALID_UTF8 => {
  try {
    return utf8.decode(bytes)
  } catch {
    return INVALID_UTF8
  }
}

/** A body that went past `mock.max_body_bytes`. */
export const TOO_LARGE: unique symbol = Symbol.for("@infernet/node-mock/TooLarge")

/** A body that would take the bytes held in flight past `mock.max_inflight_bytes`. */
export const BUSY: unique symbol = Symbol.for("@infernet/node-mock/Busy")

/** A body whose bytes are not UTF-8. */
export const INVALID_UTF8: unique symbol = Symbol.for("@infernet/node-mock/InvalidUtf8")

/** A request whose client hung up before the whole body arrived: nothing of it may be processed. */
export const ABORTED: unique symbol = Symbol.for("@infernet/node-mock/Aborted")

/** A request body as the handlers get it: its text, or why there is none. */
export type Received = string | typeof TOO_LARGE | typeof BUSY | typeof INVALID_UTF8

/** What reading a body can end with: a {@link Received}, or {@link ABORTED}. */
export type Collected = Received | typeof ABORTED

/**
 * The request-body bytes the node holds at once, across all requests: each body reserves its bytes as they arrive
 * (its whole declared `Content-Length` up front) and releases them once its request is answered.
 */
export class InflightBudget {
  held = 0
  constructor(readonly limit: number) {}

  reserve(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false
    this.held += bytes
    return true
  }

  release(bytes: number): void {
    this.held -= bytes
  }
}

// Strict, as a JSON parser reading bytes: invalid UTF-8 is an error, not U+FFFD. A BOM is kept (JSON.parse then
// refuses it, as the real node's json.loads does).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const decode = (parts: ReadonlyArray<Buffer>): string | typeof INVALID_UTF8 => {
  try {
    return utf8.decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts))
  } catch {
    return INVALID_UTF8
  }
}

/** Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body: nothing to wait for. */
export const hasNoBody = (incoming: IncomingMessage): boolean =>
  incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined

/**
 * Collects a request body of at most `limit` bytes, its bytes counted against `budget`, and calls `done` once with
 * its text or why there is none, and the bytes it holds in `budget` (the caller releases them once the request is
 * answered). A body over a limit is drained and discarded, so the connection stays usable; a body whose client hung
 * up before its end is {@link ABORTED}. `done` runs at once when the body is already buffered. Returns a function
 * that detaches the listeners and releases what the body held, unless `done` has run.
 */
export const collectBody = (
  incoming: IncomingMessage,
  limit: number,
  budget: InflightBudget,
  done: (collected: Collected, reserved: number) => void
): (() => void) => {
  const declared = Number(incoming.headers["content-length"])
  const hasDeclared = incoming.headers["content-length"] !== undefined && Number.isFinite(declared)
  if (hasDeclared && declared > limit) {
    incoming.resume()
    done(TOO_LARGE, 0)
    return noop
  }
  if (incoming.readableEnded) {
    done(incoming.complete ? "" : ABORTED, 0)
    return noop
  }
  // Small requests usually arrive whole before the handler runs: take the buffered body at once.
  if (incoming.complete && incoming.readableLength <= limit) {
    const size = incoming.readableLength
    if (!budget.reserve(size)) {
      incoming.resume()
      done(BUSY, 0)
      return noop
    }
    const buffered: Array<Buffer> = []
    for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) {
      buffered.push(chunk)
    }
    done(buffered.length === 0 ? "" : decode(buffered), size)
    return noop
  }
  // A declared length is reserved whole, so a client cannot hold bytes it has not sent yet past the budget.
  let reserved = hasDeclared ? declared : 0
  if (hasDeclared && !budget.reserve(declared)) {
    incoming.resume()
    done(BUSY, 0)
    return noop
  }
  const parts: Array<Buffer> = []
  let size = 0
  let finished = false
  const finish = (collected: Collected) => {
    if (finished) return
    finished = true
    cleanup()
    if (typeof collected !== "string") {
      // Nothing is held: the parts are dropped, and the rest of the body (if any) is drained.
      parts.length = 0
      budget.release(reserved)
      reserved = 0
      if (collected !== ABORTED) incoming.resume()
    }
    done(collected, reserved)
  }
  const onData = (chunk: Buffer) => {
    size += chunk.length
    if (size > limit) return finish(TOO_LARGE)
    if (!hasDeclared) {
      if (!budget.reserve(chunk.length)) return finish(BUSY)
      reserved += chunk.length
    }
    parts.push(chunk)
  }
  const onEnd = () => {
    if (!incoming.complete) return finish(ABORTED)
    const text = parts.length === 0 ? "" : decode(parts)
    finish(text)
  }
  const onAbort = () => finish(ABORTED)
  const cleanup = () => {
    incoming.off("data", onData)
    incoming.off("end", onEnd)
    incoming.off("error", onAbort)
    incoming.off("close", onAbort)
  }
  incoming.on("data", onData)
  incoming.on("end", onEnd)
  incoming.on("error", onAbort)
  incoming.on("close", onAbort)
  // Detached before the end (the request's fiber interrupted): nothing is held any more.
  return () => {
    if (finished) return
    finished = true
    cleanup()
    budget.release(reserved)
    reserved = 0
  }
}

const noop = () => {}

/**
 * {@link collectBody} as an effect; the bytes it holds are released when the scope of `use` ends. `use` does not run
 * for an aborted request.
 */
export const withBody = <A>(
  incoming: IncomingMessage,
  limit: number,
  budget: InflightBudget,
  use: (received: Received) => Effect.Effect<A>,
  aborted: Effect.Effect<A>
): Effect.Effect<A> =>
  hasNoBody(incoming)
    ? use("")
    : Effect.flatMap(
        Effect.async<readonly [Collected, number]>((resume) => {
          const cancel = collectBody(incoming, limit, budget, (collected, reserved) =>
            resume(Effect.succeed([collected, reserved] as const))
          )
          return Effect.sync(cancel)
        }),
        ([collected, reserved]) =>
          collected === ABORTED
            ? aborted
            : Effect.ensuring(
                use(collected),
                Effect.sync(() => budget.release(reserved))
              )
      )

/**
 * Whether JSON text nests arrays and objects deeper than `max` levels (brackets inside strings do not count). A
 * text of at most `max` characters cannot.
 */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  if (text.length <= max) return false
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 92 /* \ */) i++
        else if (d === 34) break
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--
  }
  return false
}

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
