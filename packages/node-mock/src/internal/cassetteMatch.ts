// How a cassette's recorded requests are compared with incoming ones, and how signatures are kept out of a cassette.
import { Json } from "@infernet/types"
import type { Interaction, MatchRequest } from "../Cassette.js"
import { parseJson } from "./body.js"
import { sha256 } from "./random.js"

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** A job or delegated subscription reduced to the fields that decide its answer. */
const meaningfulItem = (value: unknown): unknown => {
  if (!isObject(value)) return value
  if ("subscription" in value || "signature" in value) {
    return { subscription: value.subscription ?? null, data: value.data ?? null }
  }
  if ("containers" in value && "data" in value && !("status" in value)) {
    return { containers: value.containers, data: value.data, requires_proof: value.requires_proof === true }
  }
  return value
}

const meaningfulBody = (body: string | null): unknown => {
  if (body === null || body === "") return null
  const parsed = parseJson(body)
  if (!parsed.ok) return { text: body }
  return Array.isArray(parsed.value) ? parsed.value.map(meaningfulItem) : meaningfulItem(parsed.value)
}

const sortedQuery = (query: string): string => {
  if (query === "") return ""
  const params = [...new URLSearchParams(query)]
  params.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
  return new URLSearchParams(params).toString()
}

export const normalizeRequest = (request: MatchRequest) => ({
  method: request.method.toUpperCase() === "HEAD" ? "GET" : request.method.toUpperCase(),
  path: request.path,
  query: sortedQuery(request.query),
  body: meaningfulBody(request.body)
})

/** The comparable text of a request (canonical JSON of its normalised form). */
export const keyOf = (request: MatchRequest): string => Json.canonical(normalizeRequest(request))

const keys = new WeakMap<object, string>()
const recordedKey = (interaction: Interaction): string => {
  let key = keys.get(interaction)
  if (key === undefined) {
    key = keyOf(interaction.request)
    keys.set(interaction, key)
  }
  return key
}

export const defaultMatch = (request: MatchRequest, recorded: Interaction): boolean =>
  recordedKey(recorded) === keyOf(request)

/** Levenshtein distance of two strings, cut at `cap` (enough to rank near misses). */
const distance = (a: string, b: string, cap = 400): number => {
  const x = a.slice(0, cap)
  const y = b.slice(0, cap)
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (x.charCodeAt(i - 1) === y.charCodeAt(j - 1) ? 0 : 1)
      )
    }
    previous = current
  }
  return previous[y.length]! + Math.abs(a.length - x.length - (b.length - y.length))
}

/** The recorded interaction closest to `request`: same method and path first, then the least edited query and body. */
export const nearest = (
  request: MatchRequest,
  interactions: ReadonlyArray<Interaction>
): { readonly index: number; readonly interaction: Interaction } | undefined => {
  const wanted = normalizeRequest(request)
  const wantedRest = Json.canonical({ query: wanted.query, body: wanted.body })
  let best: { index: number; interaction: Interaction; score: number } | undefined
  interactions.forEach((interaction, index) => {
    const got = normalizeRequest(interaction.request)
    const score =
      (got.method === wanted.method ? 0 : 100_000) +
      (got.path === wanted.path ? 0 : 10_000) +
      distance(wantedRest, Json.canonical({ query: got.query, body: got.body }))
    if (best === undefined || score < best.score) best = { index, interaction, score }
  })
  return best === undefined ? undefined : { index: best.index, interaction: best.interaction }
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

/** A signature (`{nonce, expiry, v, r, s}`) as a cassette keeps it: nonce, expiry and a SHA-256 of the whole. */
const hashSignature = (signature: Record<string, unknown>): Record<string, unknown> => ({
  nonce: signature.nonce ?? null,
  expiry: signature.expiry ?? null,
  sha256: Array.from(sha256(Json.canonical(signature)), (byte) => byte.toString(16).padStart(2, "0")).join("")
})

const isSignature = (u: unknown): u is Record<string, unknown> => isObject(u) && "r" in u && "s" in u

/** Replaces every delegated-subscription signature in `value` by its hash; `changed` says whether there was one. */
const scrub = (value: unknown): { readonly value: unknown; readonly changed: boolean } => {
  if (Array.isArray(value)) {
    let changed = false
    const items = value.map((item) => {
      const result = scrub(item)
      changed ||= result.changed
      return result.value
    })
    return { value: items, changed }
  }
  if (!isObject(value)) return { value, changed: false }
  let changed = false
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === "signature" && isSignature(item)) {
      out[key] = hashSignature(item)
      changed = true
    } else {
      const result = scrub(item)
      changed ||= result.changed
      out[key] = result.value
    }
  }
  return { value: out, changed }
}

/**
 * A JSON body with its signatures hashed, written back with `write` (the node's canonical form for answers); any
 * other text unchanged.
 */
export const scrubSignatures = (text: string, write: (value: unknown) => string = Json.canonical): string => {
  if (!text.includes("signature")) return text
  const parsed = parseJson(text)
  if (!parsed.ok) return text
  const result = scrub(parsed.value)
  if (!result.changed) return text
  const written = write(result.value)
  return text.endsWith("\n") && !written.endsWith("\n") ? `${written}\n` : written
}

/** Query parameters whose values are never written to a cassette. */
const SECRET_PARAM = /key|token|secret|auth|password|signature|session/i

export const scrubQuery = (query: string): string => {
  if (query === "" || !SECRET_PARAM.test(query)) return query
  const params = new URLSearchParams(query)
  let changed = false
  for (const [name] of params) {
    if (SECRET_PARAM.test(name)) {
      params.set(name, "REDACTED")
      changed = true
    }
  }
  return changed ? params.toString() : query
}
