// Request bodies: read with a size limit, and parsed as exact-integer JSON that tolerates trailing commas (the
// usage page's status example has them; a real node answers 500 to it).
import type { IncomingMessage } from "node:http"
import { Data, Effect } from "effect"
import { Json } from "@infernet/types"

export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

export const readBody = (incoming: IncomingMessage, limit: number): Effect.Effect<string, BodyTooLarge> =>
  Effect.async<string, BodyTooLarge>((resume) => {
    const declared = Number(incoming.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) {
      incoming.resume()
      return resume(Effect.fail(new BodyTooLarge({ limit })))
    }
    if (incoming.readableEnded) return resume(Effect.succeed(""))
    // Small requests usually arrive whole before the handler's fiber starts: take the buffered body at once.
    if (incoming.complete && incoming.readableLength <= limit) {
      const buffered: Array<Buffer> = []
      for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) {
        buffered.push(chunk)
      }
      return resume(Effect.succeed(Buffer.concat(buffered).toString("utf8")))
    }
    const parts: Array<Buffer> = []
    let size = 0
    let done = false
    const finish = (effect: Effect.Effect<string, BodyTooLarge>) => {
      if (done) return
      done = true
      cleanup()
      resume(effect)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        parts.length = 0
        finish(Effect.fail(new BodyTooLarge({ limit })))
        // Keep draining so the connection stays usable; the data is discarded.
        incoming.resume()
        return
      }
      parts.push(chunk)
    }
    const onEnd = () => finish(Effect.succeed(Buffer.concat(parts).toString("utf8")))
    const onError = () => finish(Effect.succeed(Buffer.concat(parts).toString("utf8")))
    const cleanup = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
    return Effect.sync(cleanup)
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
