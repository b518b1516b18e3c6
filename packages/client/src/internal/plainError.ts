/**
 * The error of the Promise API: the Effect API's `NodeClientError` in plain JavaScript values. Durations become
 * millisecond numbers (`retryAfter` -> `retryAfterMs`), `Option`s `undefined`, branded ids plain strings; the reason
 * keeps its `_tag` and gets its `message` as a field; `JSON.stringify(error)` shows the method, the message, the URL,
 * the HTTP status, the request id and the reason. One conversion, driven by the fields of the reason classes, so a
 * reason added to the union needs nothing here.
 */
import { type Brand, Duration, Option, Predicate } from "effect"
import * as Errors from "../NodeClientError.js"
import { isTransientReason } from "./transient.js"

/** A field of a reason, as a Promise user sees it. */
type PlainValue<V> = V extends Duration.Duration
  ? number
  : V extends Option.Option<infer A>
    ? A | undefined
    : V extends Brand.Brand<any>
      ? Brand.Brand.Unbranded<V>
      : V extends Errors.Reason
        ? PlainReason
        : V

/** A field name as a Promise user sees it: durations end in `Ms`. */
type PlainKey<K, V> = K extends string ? ([NonNullable<V>] extends [Duration.Duration] ? `${K}Ms` : K) : never

/** A reason in plain values: its fields (durations in milliseconds), `_tag` and `message`. */
export type Plain<R> = { readonly [K in keyof R as PlainKey<K, R[K]>]: PlainValue<R[K]> }

/** Every reason a Promise API error can carry, in plain values; narrow it on `_tag`. */
export type PlainReason = Errors.Reason extends infer R ? (R extends Errors.Reason ? Plain<R> : never) : never

const isReason = (u: unknown): u is Errors.Reason =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && !(u instanceof Error) && "message" in u

/** A reason in plain values: `_tag` and `message` first, then its fields. */
export const plainReason = (reason: Errors.Reason): PlainReason => {
  const plain: Record<string, unknown> = { _tag: reason._tag, message: reason.message }
  for (const key of Object.keys(reason)) {
    if (key === "_tag") continue
    const value: unknown = (reason as unknown as Record<string, unknown>)[key]
    if (Duration.isDuration(value)) plain[`${key}Ms`] = Duration.toMillis(value)
    else if (Option.isOption(value)) plain[key] = Option.getOrUndefined(value)
    else if (Errors.isNodeClientError(value)) plain[key] = plainReason(value.reason)
    else if (isReason(value)) plain[key] = plainReason(value)
    else plain[key] = value
  }
  return plain as PlainReason
}

const field = (reason: PlainReason, name: "url" | "status" | "requestId" | "node"): unknown =>
  (reason as Record<string, unknown>)[name]

/**
 * The error every Promise API method rejects with: which method failed (`method`) and why (`reason`, tagged), in
 * plain JavaScript values. `url`, `status` and `requestId` repeat the reason's (or, for a pool's `NodeUnavailable`,
 * those of the failure seen on the node) so that logs can show them without a switch.
 *
 * @since 0.2.0
 * @category errors
 */
export class NodeClientError extends Error {
  /** Always `"NodeClientError"`. */
  readonly _tag = "NodeClientError" as const
  /** The method that failed, e.g. `"requestJob"` or `"NodePool.getJobResultSync"`. */
  readonly method: string
  /** Why it failed: narrow it on `reason._tag`. */
  readonly reason: PlainReason
  /** The URL of the request that failed (for a pool's `NodeUnavailable`, the node's), when there is one. */
  readonly url: string | undefined
  /** The HTTP status of the answer, when one arrived (429 for `RateLimited`). */
  readonly status: number | undefined
  /** The `x-request-id` of the attempt that failed, when the client sent one. */
  readonly requestId: string | undefined

  constructor(options: { readonly method: string; readonly reason: PlainReason; readonly message?: string }) {
    super(
      options.message ??
        `${options.method.includes(".") ? "" : "NodeClient."}${options.method}: ${options.reason.message}`
    )
    this.name = "NodeClientError"
    this.method = options.method
    this.reason = options.reason
    const reason = options.reason
    const inner = Predicate.hasProperty(reason, "cause") && isPlainReason(reason.cause) ? reason.cause : undefined
    const pick = (name: "url" | "status" | "requestId") => {
      const own = field(reason, name)
      return own !== undefined ? own : inner === undefined ? undefined : field(inner, name)
    }
    const url = pick("url") ?? field(reason, "node")
    const statusOf = (r: PlainReason | undefined) => (r?._tag === "RateLimited" ? 429 : r && field(r, "status"))
    const status = statusOf(reason) ?? statusOf(inner)
    const requestId = pick("requestId")
    this.url = typeof url === "string" ? url : undefined
    this.status = typeof status === "number" ? status : undefined
    this.requestId = typeof requestId === "string" ? requestId : undefined
  }

  /** `{ _tag, method, message, url, status, requestId, reason }`, all plain values. */
  toJSON(): {
    readonly _tag: "NodeClientError"
    readonly method: string
    readonly message: string
    readonly url: string | undefined
    readonly status: number | undefined
    readonly requestId: string | undefined
    readonly reason: PlainReason
  } {
    return {
      _tag: this._tag,
      method: this.method,
      message: this.message,
      url: this.url,
      status: this.status,
      requestId: this.requestId,
      reason: this.reason
    }
  }
}

const isPlainReason = (u: unknown): u is PlainReason =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && Predicate.hasProperty(u, "message")

/** The Promise API's error for the Effect API's (the same method, message and reason, in plain values). */
export const fromEffect = (error: Errors.NodeClientError): NodeClientError => {
  const plain = new NodeClientError({ method: error.method, reason: plainReason(error.reason), message: error.message })
  // The stack of the place that failed, not of this conversion.
  if (typeof error.stack === "string") plain.stack = error.stack.replace(/^[^\n]*/, `NodeClientError: ${error.message}`)
  return plain
}

/** What a Promise method rejects with: an Effect `NodeClientError` in plain values, anything else as it is. */
export const toRejection = (error: unknown): unknown => (Errors.isNodeClientError(error) ? fromEffect(error) : error)

/** Whether a failure is transient (transport error, 429, 502/503/504, a pool's unavailable node). */
export const isTransient = (error: NodeClientError): boolean => isTransientReason(error.reason)
