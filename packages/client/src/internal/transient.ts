// Which failures are transient, for both error shapes: the Effect API's reasons and the Promise API's plain ones
// carry the same `_tag` and `status`.

/** Bad gateway, service unavailable, gateway timeout. */
export const transientStatuses: ReadonlySet<number> = new Set([502, 503, 504])

/** Whether a reason is transient: transport errors, 429, 502/503/504 answers, and a pool's `NodeUnavailable`. */
export const isTransientReason = (reason: { readonly _tag: string; readonly status?: number | undefined }): boolean => {
  switch (reason._tag) {
    case "TransportError":
    case "RateLimited":
    case "NodeUnavailable":
      return true
    case "ApiError":
    case "UnexpectedResponse":
      return reason.status !== undefined && transientStatuses.has(reason.status)
    default:
      return false
  }
}
