import { ParseResult } from "effect"
import { BaseError, HttpRequestError, RpcRequestError } from "viem"
import * as ChainError from "../ChainError.js"

/** @internal */
export const invalidSubscription = (field: string, detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.InvalidSubscription({ field, detail }) })

/** @internal */
export const invalidSignature = (detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.InvalidSignature({ detail }) })

/** @internal */
export const invalidRequest = (detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.InvalidRequest({ detail }) })

/** @internal */
export const invalidKey = (kind: "privateKey" | "mnemonic", detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.InvalidKey({ kind, detail }) })

/** @internal */
export const rpcError = (method: string, cause: unknown): ChainError.ChainError =>
  withCause(new ChainError.ChainError({ reason: new ChainError.RpcError({ method, detail: describe(cause) }) }), cause)

/**
 * Keeps the underlying failure as the error's (non-enumerable) `cause`: messages are cut to one short line, the cause
 * keeps the whole text for whoever prints it (the CLI's `--verbose`).
 *
 * @internal
 */
export const withCause = (error: ChainError.ChainError, cause: unknown): ChainError.ChainError => {
  if (cause !== undefined && cause !== error) {
    Object.defineProperty(error, "cause", { value: cause, enumerable: false, configurable: true, writable: true })
  }
  return error
}

/** How much of an RPC's own text a message shows; the rest is cut (a node may answer megabytes). @internal */
export const MAX_DETAIL = 240

/** `text` cut to {@link MAX_DETAIL} characters on one line, saying how much was left out. @internal */
export const cut = (text: string): string => {
  const line = text.replace(/\s+/g, " ").trim()
  return line.length <= MAX_DETAIL
    ? line
    : `${line.slice(0, MAX_DETAIL)}… (${line.length - MAX_DETAIL} more characters)`
}

/** @internal */
export const signingError = (detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.SigningError({ detail }) })

/** @internal */
export const invalidArgument = (field: string, detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.InvalidArgument({ field, detail }) })

/** @internal */
export const devnetError = (detail: string): ChainError.ChainError =>
  new ChainError.ChainError({ reason: new ChainError.DevnetError({ detail }) })

/**
 * A one-line description of an unknown failure: viem's `shortMessage` when there is one (its long `message` embeds
 * request bodies and doc links), else the error message.
 *
 * @internal
 */
export const describe = (cause: unknown): string => {
  if (cause instanceof BaseError) {
    // Name the endpoint (its origin only: RPC paths and queries often carry API keys) and the underlying error.
    const http = cause.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null
    if (http !== null) {
      const status = http.status === undefined ? "" : ` (HTTP ${http.status})`
      const details = http.details === "" || http.details === undefined ? "" : `: ${cut(http.details)}`
      return `${http.shortMessage.replace(/\.$/, "")}${status} at ${originOf(http.url)}${details}`
    }
    // The node's own error (code and message): viem's short message for it ("Missing or invalid parameters.") reads
    // like a transport problem.
    const answered = cause.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null
    if (answered !== null) {
      return `the RPC answered error ${answered.code}: ${cut(answered.details === "" ? answered.shortMessage : answered.details)}`
    }
    return cut(cause.shortMessage)
  }
  if (cause instanceof Error) return cut(cause.message)
  return cut(String(cause))
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin
  } catch {
    return "the RPC URL"
  }
}

/** Throws {@link invalidSubscription} (usable in expression position). @internal */
export const invalidSubscriptionThrow = (field: string, detail: string): never => {
  throw invalidSubscription(field, detail)
}

/** Keeps a `ChainError`, wraps anything else as a signing error. @internal */
export const asChainError = (cause: unknown): ChainError.ChainError =>
  ChainError.isChainError(cause) ? cause : signingError(describe(cause))

/** The first issue of a schema failure, with its path: `signature.v: Expected 27 or 28, got 1`. @internal */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return error.message
  const path = first.path.map(String).join(".")
  // A union reports one issue per member at the same path: show them together.
  const here = issues.filter((issue) => issue.path.map(String).join(".") === path).map((issue) => issue.message)
  const more = issues.length > here.length ? ` (and ${issues.length - here.length} more)` : ""
  return `${path === "" ? "" : `${path}: `}${here.join(" | ")}${more}`
}
