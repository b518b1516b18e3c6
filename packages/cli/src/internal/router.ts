// The Infernet Router's resources route (`GET /api/v1/resources[?model_id=]`), for the router form of `resources` and
// `check-model` (Python infernet-client 1.4). A small call on the platform HttpClient that the CLI already provides,
// until @infernet/client has a RouterClient to swap in. Published routers do not serve this route (404): that is
// reported as one line that says what to do instead.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Json } from "@infernet/types"
import { Duration, Effect, Option } from "effect"
import * as CliError from "../CliError.js"

/** The router asked when neither `--url` nor `ROUTER_URL` names one (Python 1.4's default). @internal */
export const DEFAULT_ROUTER_URL = "http://infernet-router.ritual.net"

/** The route asked. @internal */
export const RESOURCES_PATH = "/api/v1/resources"

const unreachable = (url: string, detail: string, cause?: unknown) =>
  new CliError.CliError({
    reason: new CliError.NodeUnreachable({ service: "router", url, detail }),
    ...(cause === undefined ? {} : { cause })
  })

const rejected = (detail: string, status?: number) =>
  new CliError.CliError({
    reason: new CliError.NodeRejected(
      status === undefined ? { service: "router", detail } : { service: "router", status, detail }
    )
  })

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
    const client = yield* HttpClient.HttpClient
    const url = new URL(`${baseUrl.replace(/\/+$/, "")}${RESOURCES_PATH}`)
    if (Option.isSome(modelId)) url.searchParams.set("model_id", modelId.value)
    const exchange = Effect.gen(function* () {
      const response = yield* client
        .execute(HttpClientRequest.get(url.href))
        .pipe(
          Effect.mapError((error) =>
            unreachable(
              baseUrl,
              `${error.cause instanceof Error ? error.cause.message : error.description}. Set the router with --url ` +
                "or ROUTER_URL, or ask one node with --node NODE.",
              error
            )
          )
        )
      const text = yield* response.text.pipe(
        Effect.mapError((error) => unreachable(baseUrl, "the connection broke while reading the answer", error))
      )
      return { response, text }
    })
    const { response, text } = yield* exchange.pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          unreachable(baseUrl, `no answer within ${Duration.format(timeout)} (raise it with --timeout SECONDS)`)
      })
    )
    if (response.status === 404) {
      return yield* rejected(
        `${RESOURCES_PATH} is not served here (a router older than v1.1, or not a router); ask one node with --node NODE`,
        404
      )
    }
    if (response.status === 429)
      return yield* unreachable(baseUrl, "the router is rate limiting this client (HTTP 429)")
    let body: unknown
    try {
      body = Json.parse(text)
    } catch {
      body = undefined
    }
    if (response.status < 200 || response.status >= 300) {
      const message =
        typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string"
          ? (body as { error: string }).error
          : `an error status (body: ${JSON.stringify(text.trim().slice(0, 120))})`
      return yield* rejected(message, response.status)
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return yield* rejected(
        `unexpected answer from ${url.href}: expected a JSON object of nodes (body: ${JSON.stringify(text.trim().slice(0, 120))})`,
        response.status
      )
    }
    return body as Json.JsonObject
  })
