/**
 * A typed client for Ritual's Infernet Router, as an Effect service: which containers the network runs
 * (`containers`), which nodes run a job's containers (`findNodes`, least busy first, as URLs), and the resources map
 * where a router serves it. Same conventions as `NodeClient`: one `NodeClientError` (method `"RouterClient.<name>"`),
 * safe requests retried on transient failures (`Retry-After` honoured), a timeout per attempt.
 *
 * The router does not run jobs: ask it for nodes, then talk to them with a `NodeClient`, or let a `NodePool` do both.
 *
 * @example
 * ```ts
 * import { RouterClient } from "@infernet/client"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const router = yield* RouterClient.RouterClient
 *   const containers = yield* router.containers()
 *   const nodes = yield* router.findNodes(["hello-world"], { n: 3 }) // ["http://10.0.0.7:4000", ...]
 *   return { containers, nodes }
 * })
 *
 * program.pipe(
 *   Effect.provide(RouterClient.layer({ url: "http://infernet-router.ritual.net" })),
 *   Effect.provide(NodeHttpClient.layerUndici),
 *   Effect.runPromise
 * )
 * ```
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import type { Headers } from "@effect/platform"
import { Router } from "@infernet/types"
import { Config, ConfigError, Context, Duration, Effect, Either, Layer } from "effect"
import * as Http from "./internal/http.js"
import * as Runtime from "./internal/runtime.js"
import { type CallOptions, normalizeBaseUrl, type Retry, userAgent } from "./NodeClient.js"
import { NodeClientError, NotSupported } from "./NodeClientError.js"

/**
 * The public router's URL, the Python client's default: `http://infernet-router.ritual.net`.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_URL = "http://infernet-router.ritual.net"

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The router's URL. Default {@link DEFAULT_URL}. */
  readonly url?: string | URL | undefined
  /** The scheme of the node URLs made from the router's `host:port` addresses. Default `"http"`. */
  readonly scheme?: "http" | "https" | undefined
  /** Timeout of one HTTP attempt. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** How the router's GETs are retried on transient failures; as `NodeClient`'s `retry`. */
  readonly retry?: Retry | undefined
  /** Wraps the `HttpClient` every request goes through. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** The `User-Agent` header. Default `infernet-ts-client/<version>`; `false` sends none. */
  readonly userAgent?: string | false | undefined
  /** Headers added to every request. */
  readonly headers?: Headers.Input | undefined
  /** The largest answer body read, in bytes (`ResponseTooLarge` past it). Default 64 MiB. */
  readonly maxResponseSize?: number | undefined
}

/**
 * Options of {@link Service.findNodes}.
 *
 * @since 0.1.0
 * @category models
 */
export interface FindNodesOptions extends CallOptions {
  /** How many nodes at most. Default 3 (the router's default). */
  readonly n?: number | undefined
  /** How many of the least busy nodes to skip. Default 0. */
  readonly offset?: number | undefined
}

/**
 * The router client's methods. Every method fails with a {@link NodeClientError} only.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The router's URL (normalised). */
  readonly url: string
  /** `GET /api/v1/containers`: every container seen on an available node, how many run it, its description. */
  readonly containers: (options?: CallOptions) => Effect.Effect<Router.Containers, NodeClientError>
  /**
   * `GET /api/v1/ips`: the URLs of nodes running **all** the containers, least total pending first, then
   * `[offset, offset + n)`. Empty when none. The router's view can be one refresh old: expect a listed node to be down.
   */
  readonly findNodes: (
    containers: ReadonlyArray<string>,
    options?: FindNodesOptions
  ) => Effect.Effect<ReadonlyArray<string>, NodeClientError>
  /** Like `findNodes`, with the router's raw `host:port` addresses. */
  readonly findAddresses: (
    containers: ReadonlyArray<string>,
    options?: FindNodesOptions
  ) => Effect.Effect<Router.Addresses, NodeClientError>
  /** `GET /api/v1/resources`: node address -> container id -> resources. `NotSupported` where the router has none. */
  readonly resources: (options?: CallOptions) => Effect.Effect<Router.Resources, NodeClientError>
  /** `GET /api/v1/resources?model_id=`: node address -> container id -> `{supported}`. `NotSupported` as above. */
  readonly checkModelSupport: (
    modelId: string,
    options?: CallOptions
  ) => Effect.Effect<Router.ModelSupport, NodeClientError>
}

/**
 * The `RouterClient` service.
 *
 * @since 0.1.0
 * @category services
 */
export class RouterClient extends Context.Tag("@infernet/client/RouterClient")<RouterClient, Service>() {}

const DEFAULT_TIMEOUT = Duration.seconds(10)

/**
 * Turns a router address (`host:port`) into a node URL: `http://host:port` (or another scheme). A value that already
 * has a scheme is kept as it is.
 *
 * @example
 * ```ts
 * import { RouterClient } from "@infernet/client"
 * RouterClient.addressToUrl("10.0.0.7:4000") // "http://10.0.0.7:4000"
 * RouterClient.addressToUrl("10.0.0.7:4000", "https") // "https://10.0.0.7:4000"
 * ```
 * @since 0.1.0
 * @category utils
 */
export const addressToUrl = (address: string, scheme: "http" | "https" = "http"): string =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address.replace(/\/+$/, "") : `${scheme}://${address}`

/**
 * Validates and normalises a router URL (as `NodeClient.normalizeBaseUrl`).
 *
 * @since 0.1.0
 * @category utils
 */
export const normalizeUrl = (url: string | URL): Either.Either<string, string> =>
  Either.mapLeft(normalizeBaseUrl(url), (message) =>
    message.replace("node URL", "router URL").replace("http://localhost:4000", DEFAULT_URL)
  )

/**
 * Builds the router client on the `HttpClient` in context. An invalid `url` is a defect (use {@link layerConfig} to
 * turn configuration mistakes into a `ConfigError`).
 *
 * @example
 * ```ts
 * import { RouterClient } from "@infernet/client"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const nodes = Effect.gen(function* () {
 *   const router = yield* RouterClient.make({ url: "http://localhost:4100" })
 *   return yield* router.findNodes(["hello-world"], { n: 5 })
 * }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const url = normalizeUrl(options.url ?? DEFAULT_URL)
    if (Either.isLeft(url)) return yield* Effect.dieMessage(`RouterClient.make: ${url.left}`)
    const httpClient = yield* HttpClient.HttpClient
    const settings = Http.makeSettings(httpClient, url.right, options, { userAgent, timeout: DEFAULT_TIMEOUT })
    const scheme = options.scheme ?? "http"

    const containers = Runtime.fn("RouterClient.containers")(function* (callOptions?: CallOptions) {
      return yield* Http.json(
        settings,
        {
          method: "RouterClient.containers",
          httpMethod: "GET",
          path: "/api/v1/containers",
          safe: true,
          options: callOptions
        },
        Router.Containers
      )
    })

    const addresses = (method: string, ids: ReadonlyArray<string>, callOptions: FindNodesOptions | undefined) => {
      const { n, offset, ...rest } = callOptions ?? {}
      const urlParams: Array<readonly [string, string]> = ids.map((id) => ["container", id] as const)
      if (n !== undefined) urlParams.push(["n", String(Math.max(0, Math.floor(n)))])
      if (offset !== undefined) urlParams.push(["offset", String(Math.max(0, Math.floor(offset)))])
      return Http.json(
        settings,
        { method, httpMethod: "GET", path: "/api/v1/ips", urlParams, safe: true, options: rest },
        Router.Addresses
      )
    }

    const findAddresses = Runtime.fn("RouterClient.findAddresses")(function* (
      ids: ReadonlyArray<string>,
      callOptions?: FindNodesOptions
    ) {
      return yield* addresses("RouterClient.findAddresses", ids, callOptions)
    })

    const findNodes = Runtime.fn("RouterClient.findNodes")(function* (
      ids: ReadonlyArray<string>,
      callOptions?: FindNodesOptions
    ) {
      const found = yield* addresses("RouterClient.findNodes", ids, callOptions)
      return found.map((address) => addressToUrl(address, scheme))
    })

    // A router without the route answers its framework's 404 page: that is "not supported", not a broken answer.
    const notSupported = (method: string, feature: string) =>
      Effect.mapError((error: NodeClientError) => {
        const reason = error.reason
        const status = reason._tag === "UnexpectedResponse" || reason._tag === "ApiError" ? reason.status : undefined
        if (status !== 404) return error
        return new NodeClientError({
          method,
          reason: new NotSupported({ url: Http.urlOf(settings, { path: "/api/v1/resources" }), feature })
        })
      })

    const resources = Runtime.fn("RouterClient.resources")(function* (callOptions?: CallOptions) {
      return yield* Http.json(
        settings,
        {
          method: "RouterClient.resources",
          httpMethod: "GET",
          path: "/api/v1/resources",
          safe: true,
          options: callOptions
        },
        Router.Resources
      ).pipe(notSupported("RouterClient.resources", "GET /api/v1/resources"))
    })

    const checkModelSupport = Runtime.fn("RouterClient.checkModelSupport")(function* (
      modelId: string,
      callOptions?: CallOptions
    ) {
      return yield* Http.json(
        settings,
        {
          method: "RouterClient.checkModelSupport",
          httpMethod: "GET",
          path: "/api/v1/resources",
          urlParams: [["model_id", modelId]],
          safe: true,
          options: callOptions
        },
        Router.ModelSupport
      ).pipe(notSupported("RouterClient.checkModelSupport", "GET /api/v1/resources?model_id="))
    })

    return RouterClient.of({ url: url.right, containers, findNodes, findAddresses, resources, checkModelSupport })
  })

/**
 * A layer of the {@link RouterClient} service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<RouterClient, never, HttpClient.HttpClient> =>
  Layer.effect(RouterClient, make(options))

/**
 * The configuration {@link layerConfig} reads when given none: `ROUTER_URL` (default {@link DEFAULT_URL}).
 *
 * @since 0.1.0
 * @category layers
 */
export const defaultConfig: Config.Config<Options> = Config.all({
  url: Config.string("ROUTER_URL").pipe(Config.withDefault(DEFAULT_URL))
})

/**
 * A layer of the {@link RouterClient} service whose options come from `Config` (by default `ROUTER_URL`, falling
 * back to {@link DEFAULT_URL}). An invalid URL fails the layer with a `ConfigError`.
 *
 * @example
 * ```ts
 * import { RouterClient } from "@infernet/client"
 * const fromEnv = RouterClient.layerConfig()
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: Config.Config.Wrap<Options>
): Layer.Layer<RouterClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    RouterClient,
    Effect.flatMap(
      (options === undefined ? defaultConfig : Config.unwrap(options)).pipe(
        Config.mapOrFail((resolved) =>
          Either.mapBoth(normalizeUrl(resolved.url ?? DEFAULT_URL), {
            onLeft: (message) => ConfigError.InvalidData([], message),
            onRight: () => resolved
          })
        )
      ),
      make
    )
  )
