/**
 * The one error type of `@infernet/client`: which client method failed, and a tagged `reason` saying why.
 *
 * Match on the reason with `Effect.catchTag("NodeClientError", ...)` and `error.reason._tag`, or narrow it with the
 * `is*` guards exported here.
 *
 * @since 0.1.0
 */
import { Job, Json } from "@infernet/types"
import { Duration, Effect, Predicate, Schema } from "effect"
import { dual } from "effect/Function"
import * as Transient from "./internal/transient.js"

const describeParams = (params: Json.JsonObject | undefined): string =>
  params === undefined || Object.keys(params).length === 0 ? "" : ` ${Json.stringify(params)}`

/**
 * The node could not be reached, or the connection broke while the request or its answer was in flight (connection
 * refused, DNS failure, reset). Safe requests are retried on it.
 *
 * @example
 * ```ts
 * import { NodeClientError } from "@infernet/client"
 * const reason = new NodeClientError.TransportError({ url: "http://127.0.0.1:4000/info", detail: "ECONNREFUSED" })
 * reason.message // "The connection to the node at http://127.0.0.1:4000/info failed: ECONNREFUSED"
 * ```
 * @since 0.1.0
 * @category reasons
 */
export class TransportError extends Schema.TaggedClass<TransportError>("@infernet/client/TransportError")(
  "TransportError",
  {
    /** The URL of the request. */
    url: Schema.String,
    /** A short description of the failure, e.g. `connect ECONNREFUSED 127.0.0.1:4000`. */
    detail: Schema.String,
    /** The underlying error, when there is one. */
    cause: Schema.optionalWith(Schema.Defect, { exact: true }),
    /** The id this client sent as `x-request-id` with the attempt that failed. */
    requestId: Schema.optionalWith(Schema.String, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `The connection to the node at ${this.url} failed: ${this.detail}`
  }
}

/**
 * No complete answer arrived within the call's `timeout` (one HTTP attempt; retries get a fresh timeout).
 *
 * @since 0.1.0
 * @category reasons
 */
export class Timeout extends Schema.TaggedClass<Timeout>("@infernet/client/Timeout")("Timeout", {
  /** The URL of the request. */
  url: Schema.String,
  /** The timeout that expired. */
  timeout: Schema.DurationFromSelf,
  /** The id this client sent as `x-request-id` with the attempt that failed. */
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `The node did not answer within ${Duration.format(this.timeout)} (${this.url})`
  }
}

/**
 * A stream (`requestStream`) sent nothing for `idleTimeout` after its job id line: the node or the container went
 * silent. The job may still finish: `stream.result()` fetches its stored result.
 *
 * @example
 * ```ts
 * import { NodeClientError } from "@infernet/client"
 * import { Duration } from "effect"
 * const reason = new NodeClientError.StreamIdle({ url: "http://127.0.0.1:4000/api/jobs/stream", idleTimeout: Duration.seconds(60) })
 * reason.message // "The node's stream sent nothing for 1m (http://127.0.0.1:4000/api/jobs/stream)"
 * ```
 * @since 0.1.0
 * @category reasons
 */
export class StreamIdle extends Schema.TaggedClass<StreamIdle>("@infernet/client/StreamIdle")("StreamIdle", {
  /** The URL of the request. */
  url: Schema.String,
  /** The idle timeout that expired. */
  idleTimeout: Schema.DurationFromSelf,
  /** The id this client sent as `x-request-id` with the attempt that failed. */
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `The node's stream sent nothing for ${Duration.format(this.idleTimeout)} (${this.url})`
  }
}

/**
 * The node's rate limiter answered `429 Too Many Requests`. `retryAfter` is its `Retry-After` header, when present.
 * Safe requests are retried on it, never sooner than `retryAfter`; a `retryAfter` longer than the client's
 * `maxRetryAfter` (default 30 s) or the call's `timeout` is not waited for: the call fails at once with this reason.
 *
 * @since 0.1.0
 * @category reasons
 */
export class RateLimited extends Schema.TaggedClass<RateLimited>("@infernet/client/RateLimited")("RateLimited", {
  /** The URL of the request. */
  url: Schema.String,
  /** How long the node asks the client to wait (`Retry-After`), when it says. */
  retryAfter: Schema.optionalWith(Schema.DurationFromSelf, { exact: true }),
  /** The id this client sent as `x-request-id` with the attempt that failed. */
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const wait = this.retryAfter === undefined ? "" : `; retry after ${Duration.format(this.retryAfter)}`
    return `The node is rate limiting this client (HTTP 429)${wait}`
  }
}

/**
 * The node answered a non-2xx status with its JSON error body `{error, params}`, e.g. `405 Container not supported`
 * with `params: {container: "x"}`.
 *
 * @since 0.1.0
 * @category reasons
 */
export class ApiError extends Schema.TaggedClass<ApiError>("@infernet/client/ApiError")("ApiError", {
  /** The URL of the request (always set by this client; optional for reasons built by hand). */
  url: Schema.optionalWith(Schema.String, { exact: true }),
  /** The HTTP status. */
  status: Schema.Number,
  /** The node's `error` message. */
  error: Schema.String,
  /** The node's `params`, when it sent some. */
  params: Schema.optionalWith(Json.JsonObject, { exact: true }),
  /** The id this client sent as `x-request-id` with the attempt that failed. */
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `The node rejected the request: ${this.error}${describeParams(this.params)} (HTTP ${this.status})`
  }
}

/**
 * The answer was not what the REST API promises: a non-JSON body (the node's HTML 404/405 pages, a proxy's error
 * page), JSON that does not match the expected schema, or a stream without a job id line. Keeps the status, the
 * content type and the start of the body.
 *
 * @since 0.1.0
 * @category reasons
 */
export class UnexpectedResponse extends Schema.TaggedClass<UnexpectedResponse>("@infernet/client/UnexpectedResponse")(
  "UnexpectedResponse",
  {
    /** The URL of the request. */
    url: Schema.String,
    /** The HTTP status. */
    status: Schema.Number,
    /** The `Content-Type` header, when present. */
    contentType: Schema.optionalWith(Schema.String, { exact: true }),
    /** The start of the body (at most 256 characters). */
    body: Schema.String,
    /** What was wrong with it. */
    detail: Schema.String,
    /** The id this client sent as `x-request-id` with the attempt that failed. */
    requestId: Schema.optionalWith(Schema.String, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const type = this.contentType === undefined ? "" : `, ${this.contentType}`
    const body = this.body.length === 0 ? "" : `\n  body: ${JSON.stringify(this.body)}`
    return `Unexpected answer from the node (HTTP ${this.status}${type}) at ${this.url}: ${this.detail}${body}`
  }
}

/**
 * The job finished with status `failed`; `result` is the stored job, whose `result` is usually a
 * `{container, error}`.
 *
 * @since 0.1.0
 * @category reasons
 */
export class JobFailed extends Schema.TaggedClass<JobFailed>("@infernet/client/JobFailed")("JobFailed", {
  /** The failed job as the node stores it. */
  result: Job.JobResult,
  /** The URL polled for the job, when known. */
  url: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const outcome = this.result.result
    const detail = Job.isContainerError(outcome) ? `: container ${outcome.container} failed: ${outcome.error}` : ""
    return `Job ${this.result.id} failed${detail}`
  }
}

/**
 * The node does not know the job id: it is unknown, belongs to another client (jobs are visible only to the address
 * that created them), or the node forgot it.
 *
 * @since 0.1.0
 * @category reasons
 */
export class JobNotFound extends Schema.TaggedClass<JobNotFound>("@infernet/client/JobNotFound")("JobNotFound", {
  /** The job id that was asked for. */
  id: Schema.String,
  /** A `NodePool`: the nodes that were asked and answered without it. */
  asked: Schema.optionalWith(Schema.Array(Schema.String), { exact: true }),
  /** A `NodePool`: the nodes that could not be asked (down, cooling down, or failing when asked). */
  unreachable: Schema.optionalWith(Schema.Array(Schema.String), { exact: true }),
  /** The URL polled for the job, when known. */
  url: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const base = `The node does not know job ${this.id} (unknown id, or created from another address)`
    if (this.asked === undefined) return base
    const asked = this.asked.length === 0 ? "no node could be asked" : `asked ${this.asked.join(", ")}`
    const unreachable =
      this.unreachable === undefined || this.unreachable.length === 0
        ? ""
        : `; could not ask ${this.unreachable.join(", ")}`
    return `No node of the pool knows job ${this.id} (${asked}${unreachable})`
  }
}

/**
 * The job was still `running` when the polling schedule ended.
 *
 * @since 0.1.0
 * @category reasons
 */
export class StillRunning extends Schema.TaggedClass<StillRunning>("@infernet/client/StillRunning")("StillRunning", {
  /** The job id. */
  id: Schema.String,
  /** How many times the job was polled. */
  attempts: Schema.Number,
  /** How long it was polled for, when known. */
  elapsed: Schema.optionalWith(Schema.DurationFromSelf, { exact: true }),
  /** The URL polled for the job, when known. */
  url: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Job ${this.id} is still running after ${this.attempts} polls; wait longer (a longer schedule or more retries)`
  }
}

/**
 * A delegated subscription could not be prepared: signing failed, the RPC could not be reached, or the dry run of
 * `createSubscriptionDelegatee` reverted.
 *
 * @since 0.1.0
 * @category reasons
 */
export class SubscriptionError extends Schema.TaggedClass<SubscriptionError>("@infernet/client/SubscriptionError")(
  "SubscriptionError",
  {
    /** What went wrong. */
    detail: Schema.String,
    /** The underlying error, when there is one. */
    cause: Schema.optionalWith(Schema.Defect, { exact: true }),
    /** The URL the subscription was for, when known. */
    url: Schema.optionalWith(Schema.String, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Could not prepare the delegated subscription: ${this.detail}`
  }
}

/**
 * The router does not serve this route (`404`): the published Infernet Router has no `/api/v1/resources`.
 *
 * @since 0.1.0
 * @category reasons
 */
export class NotSupported extends Schema.TaggedClass<NotSupported>("@infernet/client/NotSupported")("NotSupported", {
  /** The URL of the request. */
  url: Schema.String,
  /** What is not supported, e.g. `"GET /api/v1/resources"`. */
  feature: Schema.String,
  /** The id this client sent as `x-request-id` with the attempt that failed. */
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `Not supported by this router: ${this.feature} answered 404 (${this.url})`
  }
}

/**
 * A `NodePool` could not use a node: it refused the connection, cut it, timed out, answered 429/503, or is cooled
 * down or dropped after such failures. `node` is its URL; `cause` is the failure seen on it, when there was one. A
 * job created on that node is not lost: ask again once the node is back.
 *
 * @since 0.1.0
 * @category reasons
 */
export class NodeUnavailable extends Schema.TaggedClass<NodeUnavailable>("@infernet/client/NodeUnavailable")(
  "NodeUnavailable",
  {
    /** The node's URL. */
    node: Schema.String,
    /** What happened, in a few words. */
    detail: Schema.String,
    /** The failure seen on the node (a `TransportError`, `Timeout`, `RateLimited`, ...), when there was one. */
    cause: Schema.optionalWith(Schema.Defect, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const cause = (this.cause as { message?: unknown } | undefined)?.message
    return `The node ${this.node} is unavailable: ${this.detail}${typeof cause === "string" ? ` (${cause})` : ""}`
  }
}

/**
 * A `NodePool` has no healthy node running all of a job's containers (none known, or all down or busy refusing).
 *
 * @since 0.1.0
 * @category reasons
 */
export class NoNodeAvailable extends Schema.TaggedClass<NoNodeAvailable>("@infernet/client/NoNodeAvailable")(
  "NoNodeAvailable",
  {
    /** The job's containers. */
    containers: Schema.Array(Schema.String),
    /** Why, e.g. which nodes were tried. */
    detail: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `No healthy node runs ${this.containers.join(", ")}: ${this.detail}`
  }
}

/**
 * An answer grew past the client's `maxResponseSize` (default 64 MiB): the node sent more than any real answer holds
 * (a broken or hostile node streaming without end). The connection is closed as soon as the limit is passed.
 *
 * @since 0.1.0
 * @category reasons
 */
export class ResponseTooLarge extends Schema.TaggedClass<ResponseTooLarge>("@infernet/client/ResponseTooLarge")(
  "ResponseTooLarge",
  {
    /** The URL of the request. */
    url: Schema.String,
    /** The HTTP status of the answer. */
    status: Schema.Number,
    /** The limit, in bytes. */
    limit: Schema.Number,
    /** The `x-request-id` of the attempt, when the client sent one. */
    requestId: Schema.optionalWith(Schema.String, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `The answer of ${this.url} (HTTP ${this.status}) is larger than ${formatBytes(this.limit)} (maxResponseSize); it was cut off`
  }
}

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`

/**
 * A `NodePool` discovering nodes through a router could not ask it (refused, timed out, rate limited, an error
 * status), and knows no node that could take the call. `router` is the router's URL; `status` and `retryAfter` are
 * the router's answer, when it sent one; `cause` is the router client's error.
 *
 * @since 0.1.0
 * @category reasons
 */
export class RouterUnavailable extends Schema.TaggedClass<RouterUnavailable>("@infernet/client/RouterUnavailable")(
  "RouterUnavailable",
  {
    /** The router's URL. */
    router: Schema.String,
    /** What went wrong, in a few words. */
    detail: Schema.String,
    /** The router's HTTP status, when it answered. */
    status: Schema.optionalWith(Schema.Number, { exact: true }),
    /** The router's `Retry-After`, when it sent one. */
    retryAfter: Schema.optionalWith(Schema.DurationFromSelf, { exact: true }),
    /** The router client's error. */
    cause: Schema.optionalWith(Schema.Defect, { exact: true })
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const status = this.status === undefined ? "" : ` (HTTP ${this.status})`
    const wait = this.retryAfter === undefined ? "" : `; retry after ${Duration.format(this.retryAfter)}`
    return `The router at ${this.router} could not be asked for nodes: ${this.detail}${status}${wait}`
  }
}

/**
 * One problem an output schema found: its message and, when it is about a part of the output, the path to it.
 *
 * @since 0.2.0
 * @category reasons
 */
export const OutputIssue = Schema.Struct({
  /** What is wrong. */
  message: Schema.String,
  /** Where in the output (keys and indices), when the schema says. */
  path: Schema.optionalWith(Schema.Array(Schema.Union(Schema.String, Schema.Number)), { exact: true })
})

/**
 * @since 0.2.0
 * @category reasons
 */
export interface OutputIssue extends Schema.Schema.Type<typeof OutputIssue> {}

/**
 * The job succeeded, but its output does not match the schema given as `output` (`getJobResultSync(id, { output })`,
 * a stream's `result({ output })`). `issues` are the schema's, `output` the value the node stored. The job itself is
 * done: asking again gives the same output.
 *
 * @example
 * ```ts
 * import { NodeClientError } from "@infernet/client"
 * const reason = new NodeClientError.OutputMismatch({
 *   id: "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8", output: { n: "1" }, issues: [{ message: "Expected number", path: ["n"] }]
 * })
 * reason.message // "The output of job b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8 does not match its schema: n: Expected number"
 * ```
 * @since 0.2.0
 * @category reasons
 */
export class OutputMismatch extends Schema.TaggedClass<OutputMismatch>("@infernet/client/OutputMismatch")(
  "OutputMismatch",
  {
    /** The job id. */
    id: Schema.String,
    /** What the schema found wrong. */
    issues: Schema.Array(OutputIssue),
    /** The output as the node stored it. */
    output: Schema.Unknown,
    /** The URL polled for the job, when known. */
    url: Schema.optionalWith(Schema.String, { exact: true })
  }
) {
  /**
   * @since 0.2.0
   */
  get message(): string {
    const issues = this.issues
      .slice(0, 3)
      .map(
        (issue) =>
          (issue.path === undefined || issue.path.length === 0 ? "" : `${issue.path.join(".")}: `) + issue.message
      )
    const more = this.issues.length > 3 ? ` (and ${this.issues.length - 3} more)` : ""
    return `The output of job ${this.id} does not match its schema: ${issues.join("; ")}${more}`
  }
}

/**
 * Every reason a {@link NodeClientError} can carry.
 *
 * @since 0.1.0
 * @category reasons
 */
export const Reason = Schema.Union(
  TransportError,
  Timeout,
  StreamIdle,
  RateLimited,
  ApiError,
  UnexpectedResponse,
  JobFailed,
  JobNotFound,
  StillRunning,
  SubscriptionError,
  NotSupported,
  NodeUnavailable,
  NoNodeAvailable,
  ResponseTooLarge,
  RouterUnavailable,
  OutputMismatch
)

/**
 * @since 0.1.0
 * @category reasons
 */
export type Reason = typeof Reason.Type

/**
 * The error of every `NodeClient` method. `method` names the method (`"requestJob"`), `reason` says why.
 *
 * @example
 * ```ts
 * import { NodeClient } from "@infernet/client"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* NodeClient.NodeClient
 *   return yield* client.requestJob({ containers: ["missing"], data: {} })
 * }).pipe(
 *   Effect.catchTag("NodeClientError", (error) =>
 *     error.reason._tag === "ApiError" ? Effect.succeed(`rejected: ${error.reason.error}`) : Effect.fail(error)
 *   )
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class NodeClientError extends Schema.TaggedError<NodeClientError>("@infernet/client/NodeClientError")(
  "NodeClientError",
  {
    /**
     * The `NodeClient` method that failed, e.g. `"requestJob"`; for a `RouterClient` or `NodePool` the service is
     * named too: `"RouterClient.findNodes"`, `"NodePool.requestJob"`.
     */
    method: Schema.String,
    /** Why it failed. */
    reason: Reason
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.method.includes(".") ? "" : "NodeClient."}${this.method}: ${this.reason.message}`
  }
}

/**
 * Narrows an unknown value (e.g. a caught Promise rejection) to a {@link NodeClientError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isNodeClientError = (u: unknown): u is NodeClientError => u instanceof NodeClientError

/**
 * The statuses a safe request is retried on: bad gateway, service unavailable, gateway timeout.
 *
 * @since 0.1.0
 * @category predicates
 */
export const transientStatuses: ReadonlySet<number> = Transient.transientStatuses

/**
 * Whether a failure is transient, so that a safe (idempotent) request may be sent again: transport errors, 429,
 * 502/503/504 answers, and a pool's `NodeUnavailable`. Timeouts are not: a slow node is not helped by more load.
 *
 * @example
 * ```ts
 * import { NodeClientError } from "@infernet/client"
 * NodeClientError.isTransient(new NodeClientError.NodeClientError({
 *   method: "info", reason: new NodeClientError.RateLimited({ url: "http://127.0.0.1:4000/info" })
 * })) // true
 * ```
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (error: NodeClientError): boolean => Transient.isTransientReason(error.reason)

/**
 * Whether a value is a reason with the given tag; handy in `Effect.catchIf`.
 *
 * @example
 * ```ts
 * import { NodeClientError } from "@infernet/client"
 * declare const error: NodeClientError.NodeClientError
 * if (NodeClientError.hasReason(error, "JobFailed")) console.log(error.reason.result.result)
 * ```
 * @since 0.1.0
 * @category predicates
 */
export const hasReason = <Tag extends Reason["_tag"]>(
  error: NodeClientError,
  tag: Tag
): error is NodeClientError & { readonly reason: Extract<Reason, { readonly _tag: Tag }> } =>
  Predicate.isTagged(error.reason, tag)

type ReasonOf<Tag extends Reason["_tag"]> = Extract<Reason, { readonly _tag: Tag }>

/**
 * Handles the failures of an effect whose `NodeClientError` has the given reason: `f` receives the narrowed reason
 * (and the error); every other failure passes through unchanged. `Effect.catchTag` for the nested reason.
 *
 * @example
 * ```ts
 * import { NodeClient, NodeClientError } from "@infernet/client"
 * import { Effect } from "effect"
 *
 * const id = Effect.flatMap(NodeClient.NodeClient, (client) =>
 *   client.requestJob({ containers: ["missing"], data: {} })
 * ).pipe(
 *   NodeClientError.catchReason("ApiError", (reason) => Effect.succeed(`rejected: ${reason.error} (${reason.status})`))
 * )
 * ```
 * @since 0.2.0
 * @category error handling
 */
export const catchReason: {
  <Tag extends Reason["_tag"], A2, E2, R2>(
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: NodeClientError) => Effect.Effect<A2, E2, R2>
  ): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A | A2, E | E2, R | R2>
  <A, E, R, Tag extends Reason["_tag"], A2, E2, R2>(
    self: Effect.Effect<A, E, R>,
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: NodeClientError) => Effect.Effect<A2, E2, R2>
  ): Effect.Effect<A | A2, E | E2, R | R2>
} = dual(
  3,
  <A, E, R, Tag extends Reason["_tag"], A2, E2, R2>(
    self: Effect.Effect<A, E, R>,
    tag: Tag,
    f: (reason: ReasonOf<Tag>, error: NodeClientError) => Effect.Effect<A2, E2, R2>
  ): Effect.Effect<A | A2, E | E2, R | R2> =>
    Effect.catchIf(
      self,
      (error): error is E & NodeClientError => isNodeClientError(error) && error.reason._tag === tag,
      (error) => f(error.reason as ReasonOf<Tag>, error)
    )
)

/**
 * The handlers of {@link catchReasons}: at most one per reason tag.
 *
 * @since 0.2.0
 * @category error handling
 */
export type ReasonHandlers = {
  readonly [Tag in Reason["_tag"]]?: (reason: ReasonOf<Tag>, error: NodeClientError) => Effect.Effect<any, any, any>
}

type HandlersOf<Cases> = Cases[keyof Cases]
type HandledA<Cases> =
  HandlersOf<Cases> extends infer F
    ? F extends (...args: Array<any>) => Effect.Effect<infer A, any, any>
      ? A
      : never
    : never
type HandledE<Cases> =
  HandlersOf<Cases> extends infer F
    ? F extends (...args: Array<any>) => Effect.Effect<any, infer E, any>
      ? E
      : never
    : never
type HandledR<Cases> =
  HandlersOf<Cases> extends infer F
    ? F extends (...args: Array<any>) => Effect.Effect<any, any, infer R>
      ? R
      : never
    : never

/**
 * Handles several reasons at once, one function per reason tag (like `Effect.catchTags`); each receives its narrowed
 * reason. Failures with other reasons, and other errors, pass through unchanged.
 *
 * @example
 * ```ts
 * import { NodeClient, NodeClientError } from "@infernet/client"
 * import { Effect } from "effect"
 *
 * const outcome = Effect.flatMap(NodeClient.NodeClient, (client) => client.getJobResultSync("b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8")).pipe(
 *   Effect.map((result) => result.result.output),
 *   NodeClientError.catchReasons({
 *     JobFailed: (reason) => Effect.succeed(`failed: ${JSON.stringify(reason.result.result)}`),
 *     StillRunning: (reason) => Effect.succeed(`still running after ${reason.attempts} polls`)
 *   })
 * )
 * ```
 * @since 0.2.0
 * @category error handling
 */
export const catchReasons: {
  <Cases extends ReasonHandlers & { readonly [K in Exclude<keyof Cases, Reason["_tag"]>]: never }>(
    cases: Cases
  ): <A, E, R>(
    self: Effect.Effect<A, E, R>
  ) => Effect.Effect<A | HandledA<Cases>, E | HandledE<Cases>, R | HandledR<Cases>>
  <A, E, R, Cases extends ReasonHandlers & { readonly [K in Exclude<keyof Cases, Reason["_tag"]>]: never }>(
    self: Effect.Effect<A, E, R>,
    cases: Cases
  ): Effect.Effect<A | HandledA<Cases>, E | HandledE<Cases>, R | HandledR<Cases>>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, cases: ReasonHandlers): Effect.Effect<any, any, any> =>
    Effect.catchIf(
      self,
      (error): error is E & NodeClientError =>
        isNodeClientError(error) && Object.hasOwn(cases, error.reason._tag) && cases[error.reason._tag] !== undefined,
      (error) =>
        (cases[error.reason._tag] as (reason: Reason, error: NodeClientError) => Effect.Effect<any, any, any>)(
          error.reason,
          error
        )
    )
)
