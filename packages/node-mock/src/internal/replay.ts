// Replaying a cassette: a recorded request is answered with its recorded answer (streams chunk by chunk, with their
// pacing unless `speed: "max"`). Interactions that match the same request are served in recorded order, the last one
// again once all were used (a job polled until done gets `running`, `running`, then `success` on every later call).
// A recorded job keeps its recorded id, so the id a client gets and the result it then asks for belong together.
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Stream } from "effect"
import type * as Cassette from "../Cassette.js"
import { defaultMatch, nearest, normalizeRequest } from "./cassetteMatch.js"
import type { NodeState } from "./state.js"

type Response = HttpServerResponse.HttpServerResponse

export interface Replayer {
  readonly cassette: Cassette.Cassette
  readonly mode: "strict" | "fallback"
  readonly speed: "recorded" | "max"
  readonly match: Cassette.Matcher
  /** How many times each interaction was served. */
  readonly served: Array<number>
  /** Requests answered from the cassette, and those that were not. */
  hits: number
  misses: number
}

const replayers = new WeakMap<NodeState, Replayer>()

export const attachReplay = (state: NodeState, cassette: Cassette.Cassette, options: Cassette.ReplayOptions) => {
  const replayer: Replayer = {
    cassette,
    mode: options.mode ?? "strict",
    speed: options.speed ?? "recorded",
    match: options.match ?? defaultMatch,
    served: cassette.interactions.map(() => 0),
    hits: 0,
    misses: 0
  }
  replayers.set(state, replayer)
  return replayer
}

export const replayerOf = (state: NodeState): Replayer | undefined => replayers.get(state)

/** A recorded request as the control API and `unusedRecordings` list it. */
export const describeInteraction = (interaction: Cassette.Interaction, index: number) => ({
  index,
  method: interaction.request.method,
  path: interaction.request.path,
  query: interaction.request.query,
  body: interaction.request.body,
  status: interaction.response.status
})

export const unused = (replayer: Replayer): ReadonlyArray<Cassette.Interaction> =>
  replayer.cassette.interactions.filter((_, i) => replayer.served[i] === 0)

export const summary = (replayer: Replayer) => ({
  mode: replayer.mode,
  speed: replayer.speed,
  upstream: replayer.cassette.upstream,
  recordings: replayer.cassette.interactions.length,
  hits: replayer.hits,
  misses: replayer.misses,
  unused: replayer.cassette.interactions
    .map((interaction, i) => (replayer.served[i] === 0 ? describeInteraction(interaction, i) : undefined))
    .filter((x) => x !== undefined)
})

const SKIPPED_HEADERS = new Set(["content-length", "transfer-encoding", "connection"])

const headersOf = (recorded: Cassette.Interaction["response"]): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (!SKIPPED_HEADERS.has(name)) headers[name] = value
  }
  return headers
}

const bytesOf = (chunk: Cassette.Chunk): Uint8Array =>
  chunk.base64 !== undefined ? Buffer.from(chunk.base64, "base64") : Buffer.from(chunk.text ?? "", "utf8")

const answerWith = (replayer: Replayer, recorded: Cassette.Interaction["response"]): Response => {
  const headers = headersOf(recorded)
  const contentType = headers["content-type"]
  delete headers["content-type"]
  if (recorded.chunks !== undefined) {
    const chunks = Stream.fromIterable(recorded.chunks).pipe(
      Stream.mapEffect((chunk) => {
        const bytes = bytesOf(chunk)
        return replayer.speed === "max" || chunk.delay_ms <= 0
          ? Effect.succeed(bytes)
          : Effect.as(Effect.sleep(chunk.delay_ms), bytes)
      })
    )
    return HttpServerResponse.stream(chunks, {
      status: recorded.status,
      headers,
      ...(contentType === undefined ? {} : { contentType })
    })
  }
  const text = recorded.body ?? ""
  return HttpServerResponse.raw(text, {
    status: recorded.status,
    headers: {
      ...(contentType === undefined ? {} : { "content-type": contentType }),
      "content-length": String(Buffer.byteLength(text)),
      ...headers
    }
  })
}

const notRecorded = (replayer: Replayer, request: Cassette.MatchRequest): Response => {
  const near = nearest(request, replayer.cassette.interactions)
  const wanted = normalizeRequest(request)
  const text = JSON.stringify({
    error: `node-mock: no recorded answer for ${wanted.method} ${wanted.path}${wanted.query === "" ? "" : `?${wanted.query}`} in the cassette (replay mode strict)`,
    params: {
      request: { method: request.method, path: request.path, query: request.query, body: request.body },
      nearest: near === undefined ? null : describeInteraction(near.interaction, near.index),
      hint: "record this request, use replay mode fallback, or pass a custom match function"
    }
  })
  return HttpServerResponse.raw(text, {
    status: 501,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }
  })
}

/**
 * The answer to `request` from the cassette, a 501 in strict mode when it holds none, or `undefined` to let the
 * simulated node answer (fallback mode).
 */
export const replayAnswer = (replayer: Replayer, request: Cassette.MatchRequest): Response | undefined => {
  const interactions = replayer.cassette.interactions
  let chosen = -1
  let lastMatch = -1
  for (let i = 0; i < interactions.length; i++) {
    if (!replayer.match(request, interactions[i]!)) continue
    lastMatch = i
    if (replayer.served[i] === 0) {
      chosen = i
      break
    }
  }
  if (chosen === -1) chosen = lastMatch
  if (chosen === -1) {
    replayer.misses++
    return replayer.mode === "strict" ? notRecorded(replayer, request) : undefined
  }
  replayer.hits++
  replayer.served[chosen]!++
  return answerWith(replayer, interactions[chosen]!.response)
}
