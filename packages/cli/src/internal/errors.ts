// The one place where the failures of @infernet/client and @infernet/chain become CliErrors (and so exit codes).
import type { ChainError } from "@infernet/chain"
import type { NodeClientError } from "@infernet/client"
import { Job, Json } from "@infernet/types"
import { Duration } from "effect"
import * as CliError from "../CliError.js"

const make = (reason: CliError.CliErrorReason, cause?: unknown) =>
  new CliError.CliError(cause === undefined ? { reason } : { reason, cause })

/** `Container not supported (container: x)`: the node's message and its params. @internal */
export const describeApiError = (error: string, params: Json.JsonObject | undefined): string => {
  if (params === undefined) return error
  const entries = Object.entries(params)
  if (entries.length === 0) return error
  const shown = entries.map(([k, v]) => `${k}: ${typeof v === "string" ? v : Json.stringify(v)}`).join(", ")
  return `${error} (${shown})`
}

/** `container x failed: boom` for a failed job's stored result. @internal */
export const describeFailedResult = (result: Job.JobResult): string => {
  const outcome = result.result
  if (Job.isContainerError(outcome)) return `container ${outcome.container}: ${outcome.error}`
  return "the node reports the job as failed"
}

/** What happened to a node of a pool, with the failure seen on it. */
const nodeUnavailableDetail = (reason: { readonly detail: string; readonly cause?: unknown }): string => {
  const cause = (reason.cause as { readonly message?: unknown } | undefined)?.message
  return typeof cause === "string" && cause !== "" ? `${reason.detail} (${cause})` : reason.detail
}

/**
 * A `NodeClientError` as a `CliError`. `url` is the node URL from `--url`/`SERVER_URL`, shown when it is unreachable.
 *
 * @internal
 */
export const fromNodeClientError = (error: NodeClientError.NodeClientError, url: string): CliError.CliError => {
  const reason = error.reason
  switch (reason._tag) {
    case "TransportError":
      return make(
        new CliError.NodeUnreachable({
          url,
          detail: `${reason.detail}. Is the node running? Set its URL with --url or SERVER_URL.`
        }),
        error
      )
    case "Timeout":
      return make(
        new CliError.NodeUnreachable({
          url,
          detail: `no answer within ${Duration.format(reason.timeout)} (raise it with --timeout SECONDS)`
        }),
        error
      )
    case "StreamIdle":
      return make(
        new CliError.NodeUnreachable({
          url,
          detail: `the stream sent nothing for ${Duration.format(reason.idleTimeout)}; the job may still finish (see \`results --id\`)`
        }),
        error
      )
    case "RateLimited":
      return make(
        new CliError.NodeUnreachable({
          url,
          detail: `the node is rate limiting this client (HTTP 429)${
            reason.retryAfter === undefined ? "" : `; retry after ${Duration.format(reason.retryAfter)}`
          }`
        }),
        error
      )
    case "ApiError":
      return make(
        new CliError.NodeRejected({ status: reason.status, detail: describeApiError(reason.error, reason.params) }),
        error
      )
    case "UnexpectedResponse": {
      const snippet = reason.body.trim().replace(/\s+/g, " ").slice(0, 120)
      return make(
        new CliError.NodeRejected({
          status: reason.status,
          detail: `unexpected answer from ${reason.url}: ${reason.detail}${snippet === "" ? "" : ` (body: ${JSON.stringify(snippet)})`}. Is ${url} an Infernet node?`
        }),
        error
      )
    }
    case "JobFailed":
      return make(new CliError.JobFailed({ id: reason.result.id, detail: describeFailedResult(reason.result) }), error)
    case "JobNotFound":
      return make(
        new CliError.NodeRejected({
          detail: `the node does not know job ${reason.id} (unknown id, or created from another address)`
        }),
        error
      )
    case "StillRunning":
      return make(new CliError.StillRunning({ id: reason.id, attempts: reason.attempts }), error)
    case "SubscriptionError":
      return make(new CliError.ChainFailure({ detail: reason.detail }), error)
    case "NotSupported":
      return make(
        new CliError.NodeRejected({
          service: "router",
          status: 404,
          detail: `${reason.feature} is not served by the router at ${reason.url}`
        }),
        error
      )
    case "NodeUnavailable":
      return make(new CliError.NodeUnreachable({ url: reason.node, detail: nodeUnavailableDetail(reason) }), error)
    case "NoNodeAvailable":
      return make(
        new CliError.NodeUnreachable({
          service: "router",
          url,
          detail: `no healthy node runs ${reason.containers.join(", ")}: ${reason.detail}`
        }),
        error
      )
    case "ResponseTooLarge":
      return make(
        new CliError.NodeRejected({
          status: reason.status,
          detail: `the answer of ${reason.url} is larger than ${reason.limit} bytes (the client's maxResponseSize); it was cut off`
        }),
        error
      )
    case "RouterUnavailable":
      // `-n auto` could not ask the router: name it, its status and Retry-After (exit code 3, as any unreachable service).
      return make(
        new CliError.NodeUnreachable({
          service: "router",
          url: reason.router,
          detail: `${reason.detail}${reason.status === undefined ? "" : ` (HTTP ${reason.status})`}${
            reason.retryAfter === undefined ? "" : `; retry after ${Duration.format(reason.retryAfter)}`
          }. Set the router with ROUTER_URL, or ask one node with -n host:port.`
        }),
        error
      )
    case "OutputMismatch":
      return make(new CliError.NodeRejected({ detail: reason.message }), error)
  }
}

/**
 * A `ChainError` as a `CliError` (exit code 6). Its messages never contain key material.
 *
 * @internal
 */
export const fromChainError = (error: ChainError.ChainError): CliError.CliError => {
  const reason = error.reason
  // Sent, then failed: the transaction may be on chain (exit code 8, the hash and how to check it).
  if (reason._tag === "TransactionMaybeSent" || reason._tag === "ReceiptTimeout") {
    const detail =
      reason._tag === "ReceiptTimeout"
        ? `no receipt within ${reason.timeoutMs / 1000} s`
        : `the RPC failed after it was sent: ${reason.detail}`
    return make(
      new CliError.TransactionMaybeSent({
        functionName: reason.functionName,
        ...(reason.hash === undefined ? {} : { hash: reason.hash }),
        detail
      }),
      error
    )
  }
  return make(new CliError.ChainFailure({ detail: error.message }), error)
}

/** @internal */
export const usage = (detail: string): CliError.CliError => make(new CliError.UsageError({ detail }))

/** @internal */
export const fileError = (path: string, detail: string): CliError.CliError =>
  make(new CliError.FileError({ path, detail }))
