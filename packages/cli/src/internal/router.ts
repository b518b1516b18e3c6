// The Infernet Router through @infernet/client's `RouterClient`: the router form of `resources` and `check-model`,
// `containers` and `find` (Python infernet-client 1.4), and `--node auto`. Published routers do not serve
// /api/v1/resources (404): that is reported as one line that says what to do instead.
import type { HttpClient } from "@effect/platform"
import { type NodeClientError, RouterClient } from "@infernet/client"
import type { Json } from "@infernet/types"
import { Duration, Effect, Option } from "effect"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import { NAME } from "./root.js"
import { VERSION } from "./version.js"

/** The router asked when neither `--url` nor `ROUTER_URL` names one (Python 1.4's default). @internal */
export const DEFAULT_ROUTER_URL = RouterClient.DEFAULT_URL

/** The resources route. @internal */
export const RESOURCES_PATH = "/api/v1/resources"

/**
 * The router's URL: `url` when given (`--url` of `containers` and `find`), else `ROUTER_URL`, else the public router.
 *
 * @internal
 */
export const routerUrl = (url: Option.Option<string>): Effect.Effect<string, CliError.CliError> =>
  Effect.gen(function* () {
    const fromEnv = yield* Flags.env("ROUTER_URL")
    const chosen = Option.orElse(url, () => fromEnv).pipe(Option.getOrElse(() => DEFAULT_ROUTER_URL))
    yield* Flags.validateUrl(chosen, Option.isSome(url) ? "--url" : "ROUTER_URL")
    return chosen.replace(/\/+$/, "")
  })

/** A `RouterClient` for the router at `url` (validated), one attempt per call, each within `timeout`. @internal */
export const client = (
  url: string,
  timeout: Duration.Duration
): Effect.Effect<RouterClient.Service, never, HttpClient.HttpClient> =>
  // One attempt per call: the published router allows 10 requests per 30 s per client, and a one-shot command that
  // cannot reach it should say so at once.
  RouterClient.make({ url, timeout, retry: false, userAgent: `${NAME}/${VERSION}` })

const unreachable = (url: string, detail: string, cause: unknown) =>
  new CliError.CliError({ reason: new CliError.NodeUnreachable({ service: "router", url, detail }), cause })

const rejected = (detail: string, cause: unknown, status?: number) =>
  new CliError.CliError({
    reason: new CliError.NodeRejected(
      status === undefined ? { service: "router", detail } : { service: "router", status, detail }
    ),
    cause
  })

/**
 * A router failure as a `CliError`: one line naming the router and what to do.
 *
 * @internal
 */
export const fromRouterError = (
  error: NodeClientError.NodeClientError,
  url: string,
  hint = "Set the router with --url or ROUTER_URL."
): CliError.CliError => {
  const reason = error.reason
  switch (reason._tag) {
    case "TransportError":
      return unreachable(url, `${reason.detail}. ${hint}`, error)
    case "Timeout":
      return unreachable(
        url,
        `no answer within ${Duration.format(reason.timeout)} (raise it with --timeout SECONDS)`,
        error
      )
    case "RateLimited":
      return unreachable(
        url,
        `the router is rate limiting this client (HTTP 429)${
          reason.retryAfter === undefined ? "" : `; retry after ${Duration.format(reason.retryAfter)}`
        }`,
        error
      )
    case "NotSupported":
      return rejected(
        `${RESOURCES_PATH} is not served here (a router older than v1.1, or not a router); ask one node with ` +
          "--node NODE",
        error,
        404
      )
    case "ApiError":
      return rejected(Errors.describeApiError(reason.error, reason.params), error, reason.status)
    case "UnexpectedResponse": {
      const snippet = reason.body.trim().replace(/\s+/g, " ").slice(0, 120)
      return rejected(
        `unexpected answer from ${reason.url}: ${reason.detail}${snippet === "" ? "" : ` (body: ${JSON.stringify(snippet)})`}`,
        error,
        reason.status
      )
    }
    default:
      return Errors.fromNodeClientError(error, url)
  }
}

/**
 * Asks the router at `baseUrl` for every node's container resources, or with `modelId` whether each container of
 * each node supports that model: `{"host:port": {"container": ...}}`.
 *
 * @internal
 */
export const resources = (
  baseUrl: string,
  modelId: Option.Option<string>,
  timeout: Duration.Duration
): Effect.Effect<Json.JsonObject, CliError.CliError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const router = yield* client(baseUrl, timeout)
    const answer = yield* Option.match(modelId, {
      onNone: () => router.resources(),
      onSome: (model) => router.checkModelSupport(model)
    }).pipe(
      Effect.mapError((error) =>
        fromRouterError(error, baseUrl, "Set the router with --url or ROUTER_URL, or ask one node with --node NODE.")
      )
    )
    return answer as Json.JsonObject
  })
