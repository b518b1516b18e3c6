// The HTTP application: a route table (the real node's routes plus the mock-only `/__mock/` control API), Werkzeug
// style 404/405 pages, rate limiting, body limits, and the handlers themselves.
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Effect, Either, type ParseResult, Schema, Stream } from "effect"
import { DelegatedSubscription, Job, Json } from "@infernet/types"
import * as MockConfig from "../MockConfig.js"
import { INVALID_UTF8, nestsDeeperThan, parseJson, type Received, TOO_LARGE, utf8Length } from "./body.js"
import { describeParseError } from "./configError.js"
import { makeContainerLookup } from "./containerLookup.js"
import * as Cors from "./cors.js"
import { unknownBehaviorKey, unknownRateLimitKey } from "./knownKeys.js"
import { checkJob, checkSubscription, type SubscriptionContainers, UNWRITABLE } from "./guardian.js"
import * as Html from "./html.js"
import { jobDetail, nodeSnapshot, noteInput } from "./inspector.js"
import { INSPECTOR_PAGE } from "./inspectorPage.js"
import { normalizeAddress } from "./ip.js"
import { replayAnswer, replayerOf, summary as replaySummary } from "./replay.js"
import { uuid4 } from "./random.js"
import * as Runner from "./runner.js"
import {
  lastOf,
  type NodeState,
  pushBounded,
  type RecordedRequest,
  type RecordedSubscription,
  hasServiceResources,
  resetState,
  resourcesOf
} from "./state.js"
import type { ContainerResult } from "./store.js"

type Response = HttpServerResponse.HttpServerResponse

interface Ctx {
  readonly state: NodeState
  readonly method: string
  readonly path: string
  readonly rawQuery: string
  readonly query: URLSearchParams
  readonly client: string
  /** The request's `Content-Type` header, if any. */
  readonly contentType: string | undefined
  /** Any other request header by its lower-case name (CORS reads `Origin` and the preflight's headers). */
  readonly header: (name: string) => string | undefined
  /** The request body, read before routing: its text, or `TOO_LARGE`. */
  readonly received: Received
  /** The body text once read, for the request log. */
  body: string | null
  tolerated: boolean
}

/**
 * A handler answers with a response, which is itself an effect, whenever it can answer synchronously; the node's
 * listener then writes it without running a fiber. Handlers that must wait return any other effect.
 */
type Handler = (ctx: Ctx) => Effect.Effect<Response>

interface Route {
  readonly method: "GET" | "POST" | "PUT"
  /** `"METHOD /path"`: the rate-limit key and `mock.rate_limit.routes` key. */
  readonly key: string
  readonly limited: boolean
  /**
   * Reads the body: a body over `mock.max_body_bytes` (413), beyond `mock.max_inflight_bytes` (503), not UTF-8 or
   * nested deeper than `mock.max_json_depth` (400) is answered before the handler runs.
   */
  readonly readsBody: boolean
  readonly handler: Handler
}

const LOG_BODY_LIMIT = 64 * 1024
const encoder = new TextDecoder()

// ---------------------------------------------------------------------------------------------------------------
// Responses

// Bodies go out as strings with an explicit length: Node then writes headers and body in one syscall.
const respond = (status: number, text: string, contentType: string, headers?: Record<string, string>): Response =>
  HttpServerResponse.raw(text, {
    status,
    headers: {
      "content-type": contentType,
      "content-length": String(utf8Length(text)),
      ...headers
    }
  })

const json = (status: number, body: unknown, headers?: Record<string, string>): Response => {
  let text: string
  try {
    text = Json.canonical(body)
  } catch (error) {
    // Only an answer longer than the longest string the runtime can build (e.g. `GET /__mock/jobs` after hundreds of
    // thousands of large jobs) gets here: say so, instead of failing the request with a stack trace.
    if (!(error instanceof RangeError)) throw error
    text = Json.canonical({
      error: "node-mock: the answer is too large to write as one JSON text",
      params: { hint: "POST /__mock/reset clears the stored jobs" }
    })
    return respond(500, text, "application/json")
  }
  return respond(status, text, "application/json", headers)
}

const html = (status: number, body: string, headers?: Record<string, string>): Response =>
  respond(status, body, "text/html; charset=utf-8", headers)

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const isJsonContentType = (contentType: string | undefined): boolean => {
  const mimetype = (contentType ?? "").split(";")[0]!.trim().toLowerCase()
  return mimetype === "application/json" || mimetype.endsWith("+json")
}

/** The body text of a route that reads it (`dispatch` answers bodies it cannot use first). */
const body = (ctx: Ctx): string => {
  const text = typeof ctx.received === "string" ? ctx.received : ""
  ctx.body = text
  return text
}

const parseBody = (ctx: Ctx, text: string) => {
  const parsed = parseJson(text)
  if (parsed.ok && parsed.tolerated) ctx.tolerated = true
  return parsed
}

// ---------------------------------------------------------------------------------------------------------------
// Submissions: jobs and delegated subscriptions

type Submission =
  | { readonly _tag: "Job"; readonly request: Job.JobRequest }
  | {
      readonly _tag: "Subscription"
      readonly request: DelegatedSubscription.DelegatedSubscriptionRequest
      readonly raw: Json.JsonObject
    }

// Decoded through @infernet/types' schemas (their Json schemas check `data`), stopping at the first issue; a body
// that fails is decoded again with every issue, so the refusal can name the most specific one.
const decodeJob = Schema.decodeUnknownEither(Job.JobRequest)
const decodeJobAll = Schema.decodeUnknownEither(Job.JobRequest, { errors: "all" })
const decodeSubscription = Schema.decodeUnknownEither(DelegatedSubscription.DelegatedSubscriptionRequest)
const decodeSubscriptionAll = Schema.decodeUnknownEither(DelegatedSubscription.DelegatedSubscriptionRequest, {
  errors: "all"
})

/** The one-line description of why `decodeAll` refuses `value`. */
const describeRefusal = (decodeAll: (u: unknown) => Either.Either<unknown, ParseResult.ParseError>, value: unknown) => {
  const all = decodeAll(value)
  return Either.isLeft(all) ? describeParseError(all.left) : "not accepted"
}

// Only to word a refusal: the union of both subscription generations reports the other generation's missing fields
// (a v0 body with bad `inputs` would read "subscription.containers: is missing"). The generation a body meant is the
// one whose key naming its containers it has.
const requestOf = (subscription: Schema.Schema<any, any>) =>
  Schema.decodeUnknownEither(
    Schema.Struct({ ...DelegatedSubscription.DelegatedSubscriptionRequest.fields, subscription }),
    { errors: "all" }
  )
const decodeSubscriptionV0 = requestOf(DelegatedSubscription.SubscriptionV0)
const decodeSubscriptionV1 = requestOf(DelegatedSubscription.SubscriptionV1)

const describeSubscriptionError = (value: Record<string, unknown>): string => {
  const sub = value.subscription
  if (isPlainObject(sub) && "container_id" in sub !== "containers" in sub) {
    const meant = ("container_id" in sub ? decodeSubscriptionV0 : decodeSubscriptionV1)(value)
    if (Either.isLeft(meant)) return describeParseError(meant.left)
  }
  return describeRefusal(decodeSubscriptionAll, value)
}

const SHAPES = `a job {"containers": [...], "data": {...}} or a delegated subscription {"subscription", "signature", "data"}`

const decodeSubmission = (value: unknown): Either.Either<Submission, string> => {
  if (!isPlainObject(value)) return Either.left(`expected a JSON object: ${SHAPES}`)
  if ("subscription" in value || "signature" in value) {
    return Either.match(decodeSubscription(value), {
      onLeft: () => Either.left(`not a valid delegated subscription: ${describeSubscriptionError(value)}`),
      onRight: (request) => Either.right({ _tag: "Subscription" as const, request, raw: value as Json.JsonObject })
    })
  }
  // Through @infernet/types' schema (its Json schemas check `data`); the depth of the body was checked before.
  return Either.match(decodeJob(value), {
    onLeft: () => Either.left(`not a valid job request: ${describeRefusal(decodeJobAll, value)}`),
    onRight: (request) => Either.right({ _tag: "Job" as const, request })
  })
}

// Loaded on first use: it brings viem and @infernet/chain, which the rest of the mock does not need.
const loadVerify = Effect.promise(() => import("./verify.js"))

const resolveContainers = (
  state: NodeState,
  request: DelegatedSubscription.DelegatedSubscriptionRequest
): Effect.Effect<SubscriptionContainers> => {
  const sub = request.subscription
  if (!DelegatedSubscription.isV1(sub)) {
    return Effect.succeed({ _tag: "Known", ids: sub.container_id.split(",") })
  }
  return Effect.map(loadVerify, ({ containersHash }): SubscriptionContainers => {
    state.lookup ??= makeContainerLookup([...state.containers.keys()], containersHash)
    const ids = state.lookup.find(sub.containers)
    if (ids !== undefined) return { _tag: "Known", ids }
    return state.lookup.complete ? { _tag: "NoMatch", hash: sub.containers } : { _tag: "Unknown" }
  })
}

const verifySignature = (state: NodeState, submission: Extract<Submission, { _tag: "Subscription" }>) =>
  Effect.flatMap(loadVerify, ({ verify }) =>
    verify({
      body: submission.raw,
      owner: submission.request.subscription.owner,
      chainId: state.config.mock.chain_id,
      coordinator: state.config.chain.coordinator_address,
      signers: state.signers
    })
  )

type SubmissionOutcome =
  | { readonly _tag: "Created"; readonly body: Json.JsonObject }
  | { readonly _tag: "Rejected"; readonly error: string; readonly params?: Json.JsonObject }
  /** A guardian rejection the real node fails to write (see `guardian.ts`): a 500 naming the rejection. */
  | { readonly _tag: "Unwritable"; readonly error: string }
  | { readonly _tag: "Crashed"; readonly detail: string }

/** The real node's 500 text for an {@link SubmissionOutcome} `Unwritable`, with the guardian's reason added. */
const unwritable = (error: string) => `${UNWRITABLE} (the guardian refused it: ${error})`

const errorBody = (outcome: { readonly error: string; readonly params?: Json.JsonObject }): Json.JsonObject =>
  outcome.params === undefined ? { error: outcome.error } : { error: outcome.error, params: outcome.params }

const startJob = (ctx: Ctx, request: Job.JobRequest): string => {
  const { state, client } = ctx
  const id = uuid4()
  noteInput(state, id, request.data)
  const containers = [...request.containers]
  state.store.setRunning(client, id, containers, state.now())
  const results: Array<ContainerResult> = []
  // A container that throws (a defect in the mock) fails its job with a message, logged, instead of leaving it
  // `running` until the pending TTL.
  const crashed = (defect: unknown) => {
    const container = containers[Math.min(results.length, containers.length - 1)]!
    const message = defect instanceof Error ? defect.message : String(defect)
    results.push({ container, error: `node-mock: the container crashed: ${message}` } as ContainerResult)
    state.store.setFinished(client, id, "failed", containers, results, state.now())
    state.runJob(Effect.logError(`node-mock: job ${id} failed: container ${container} crashed`, Cause.die(defect)))
  }
  let rest: Effect.Effect<void> | undefined
  try {
    rest = runChain(state, client, id, containers, request, 0, request.data, results)
  } catch (defect) {
    crashed(defect)
    return id
  }
  if (rest !== undefined) {
    state.runJob(
      Effect.catchAllDefect(
        Effect.suspend(() => rest),
        (defect) => Effect.sync(() => crashed(defect))
      )
    )
  }
  return id
}

/**
 * Runs a job's containers from `index`, in order: container i+1 receives container i's output as its data.
 * Containers that answer at once (no latency, not a proxy) run right here; from the first one that must wait, the
 * rest of the chain is returned as an effect to fork. `undefined` means the job is finished.
 */
const runChain = (
  state: NodeState,
  client: string,
  id: string,
  containers: ReadonlyArray<string>,
  request: Job.JobRequest,
  index: number,
  input: Json.JsonValue,
  results: Array<ContainerResult>
): Effect.Effect<void> | undefined => {
  let data = input
  for (let i = index; i < containers.length; i++) {
    const container = containers[i]!
    const runtime = state.containers.get(container)!
    const envelope: Runner.Envelope = {
      source: Runner.Location.OFFCHAIN,
      destination: Runner.Location.OFFCHAIN,
      data,
      requires_proof: request.requires_proof === true
    }
    const planned = Runner.plan(runtime)
    const now = Runner.runNow(runtime, planned, envelope)
    const settle = (outcome: Either.Either<Json.JsonValue, Runner.ContainerFailure>): Json.JsonValue | undefined => {
      if (Either.isLeft(outcome)) {
        results.push({ container, error: outcome.left.error } as ContainerResult)
        state.store.setFinished(client, id, "failed", containers, results, state.now())
        return undefined
      }
      results.push({ container, output: outcome.right } as ContainerResult)
      return outcome.right
    }
    if (now === undefined) {
      return Effect.flatMap(Effect.either(Runner.execute(runtime, planned, envelope)), (outcome) => {
        const output = settle(outcome)
        if (output === undefined) return Effect.void
        return runChain(state, client, id, containers, request, i + 1, output, results) ?? Effect.void
      })
    }
    const output = settle(now)
    if (output === undefined) return undefined
    data = output
  }
  state.store.setFinished(client, id, "success", containers, results, state.now())
  return undefined
}

const submitJob = (ctx: Ctx, request: Job.JobRequest): SubmissionOutcome => {
  const rejection = checkJob(ctx.state, request, ctx.client)
  if (rejection !== undefined) return { _tag: "Rejected", ...rejection }
  return { _tag: "Created", body: { id: startJob(ctx, request) } }
}

const submitSubscription = (
  ctx: Ctx,
  submission: Extract<Submission, { _tag: "Subscription" }>,
  route: string,
  streaming: boolean
): Effect.Effect<SubmissionOutcome> =>
  Effect.gen(function* () {
    const { state, client } = ctx
    const request = submission.request
    const at = state.now()
    const containers = yield* resolveContainers(state, request)
    const verdict = checkSubscription(state, request, containers, at / 1000)
    const signature = yield* verifySignature(state, submission)
    let outcome: SubmissionOutcome
    if (verdict._tag === "Rejected") outcome = { _tag: "Rejected", ...verdict.rejection }
    else if (verdict._tag === "Unwritable") outcome = { _tag: "Unwritable", error: verdict.error }
    else if (verdict._tag === "Crashed") outcome = { _tag: "Crashed", detail: verdict.detail }
    else if (streaming) {
      outcome = { _tag: "Rejected", error: "Streaming only supported for OffchainJob requests." }
    } else outcome = { _tag: "Created", body: {} }
    const sub = request.subscription
    const record: RecordedSubscription = {
      at: new Date(at).toISOString(),
      client,
      route,
      version: DelegatedSubscription.isV1(sub) ? "v1" : "v0",
      owner: sub.owner,
      nonce: request.signature.nonce,
      expiry: request.signature.expiry,
      containers: containers._tag === "Known" ? containers.ids : null,
      accepted: outcome._tag === "Created",
      ...(outcome._tag === "Rejected" || outcome._tag === "Unwritable" ? { error: outcome.error } : {}),
      ...(outcome._tag === "Crashed" ? { error: outcome.detail } : {}),
      signature,
      request: submission.raw
    }
    pushBounded(state.subscriptions, record, state.config.mock.request_log_limit)
    return outcome
  })

// ---------------------------------------------------------------------------------------------------------------
// Handlers of the real node's routes

const health: Handler = () => json(200, { status: "healthy" })

const info: Handler = (ctx) => {
  const { state } = ctx
  const at = state.now()
  return json(200, {
    version: state.config.mock.version,
    containers: state.config.containers.map((c) => ({
      id: c.id,
      image: c.image,
      description: c.description,
      external: c.external
    })),
    pending: { offchain: state.store.pendingCount(at), onchain: 0 },
    chain: { enabled: state.config.chain.enabled, address: state.nodeAddress }
  })
}

const resources: Handler = (ctx) =>
  Effect.gen(function* () {
    const modelId = ctx.query.get("model_id") ?? undefined
    const entries = yield* Effect.forEach(
      [...ctx.state.containers.values()],
      (container) => {
        const behavior = container.behavior
        if (behavior.type === "proxy") {
          return Effect.map(Runner.proxyResources(container, behavior, modelId), (answer) =>
            answer === undefined ? undefined : ([container.config.id, answer] as const)
          )
        }
        // The real node passes each container's `/service-resources` answer through; containers without that
        // route (hello-world) fail and are left out, with or without `model_id`.
        const answer =
          modelId === undefined
            ? resourcesOf(container)
            : hasServiceResources(container)
              ? { supported: (behavior.models ?? []).includes(modelId) }
              : undefined
        return Effect.succeed(answer === undefined ? undefined : ([container.config.id, answer] as const))
      },
      { concurrency: "unbounded" }
    )
    return json(200, Object.fromEntries(entries.filter((entry) => entry !== undefined)))
  })

/**
 * Reads the body of `POST /api/jobs` and `/api/jobs/stream`: an off-chain job or a delegated subscription, or the
 * 500 answer the real node gives for a wrong content type, invalid JSON or a body that is neither.
 */
const readSubmission = (ctx: Ctx): Either.Either<Submission, Response> => {
  // The real node reads this body with Quart's get_json() (no force): other content types fail.
  if (!isJsonContentType(ctx.contentType)) {
    const got = ctx.contentType
    body(ctx)
    return Either.left(
      json(500, {
        error: `Internal server error: expected Content-Type: application/json, got ${got === undefined ? "none" : JSON.stringify(got)}`
      })
    )
  }
  const parsed = parseBody(ctx, body(ctx))
  if (!parsed.ok) return Either.left(json(500, { error: `Internal server error: invalid JSON: ${parsed.message}` }))
  return Either.mapLeft(decodeSubmission(parsed.value), (detail) =>
    json(500, { error: `Internal server error: ${detail}` })
  )
}

const createdOrRejected = (outcome: SubmissionOutcome): Response => {
  switch (outcome._tag) {
    case "Created":
      return json(200, outcome.body)
    case "Rejected":
      return json(405, errorBody(outcome))
    case "Unwritable":
      return json(500, { error: `Internal server error: ${unwritable(outcome.error)}` })
    case "Crashed":
      return json(500, { error: `Internal server error: ${outcome.detail}` })
  }
}

const createJob: Handler = (ctx) => {
  const submission = readSubmission(ctx)
  if (Either.isLeft(submission)) return submission.left
  if (submission.right._tag === "Job") return createdOrRejected(submitJob(ctx, submission.right.request))
  return Effect.map(submitSubscription(ctx, submission.right, "POST /api/jobs", false), createdOrRejected)
}

const createBatch: Handler = (ctx) =>
  Effect.gen(function* () {
    const parsed = parseBody(ctx, body(ctx))
    if (!parsed.ok) return json(500, { error: `Could not enqueue job: invalid JSON: ${parsed.message}` })
    if (!Array.isArray(parsed.value)) return json(400, { error: "Expected a list" })
    // Like the real node, every item is parsed before any is processed: one bad item fails the whole batch.
    const submissions: Array<Submission> = []
    for (let i = 0; i < parsed.value.length; i++) {
      const submission = decodeSubmission(parsed.value[i])
      if (Either.isLeft(submission)) return json(500, { error: `Could not enqueue job: item ${i}: ${submission.left}` })
      submissions.push(submission.right)
    }
    const answers: Array<Json.JsonObject> = []
    let unwritableAt: { readonly index: number; readonly error: string } | undefined
    for (let i = 0; i < submissions.length; i++) {
      const submission = submissions[i]!
      const outcome =
        submission._tag === "Job"
          ? submitJob(ctx, submission.request)
          : yield* submitSubscription(ctx, submission, "POST /api/jobs/batch", false)
      if (outcome._tag === "Crashed") return json(500, { error: `Could not enqueue job: ${outcome.detail}` })
      if (outcome._tag === "Unwritable") {
        // The real node goes on with the other items (their jobs start) and fails only when it writes the answer.
        unwritableAt ??= { index: i, error: outcome.error }
        continue
      }
      answers.push(outcome._tag === "Created" ? outcome.body : errorBody(outcome))
    }
    if (unwritableAt !== undefined) {
      // Two spaces after the colon, as the real node's batch route writes it.
      return json(500, {
        error: `Could not enqueue job:  ${unwritable(`item ${unwritableAt.index}: ${unwritableAt.error}`)}`
      })
    }
    return json(200, answers)
  })

const textEncoder = new TextEncoder()

const split = (bytes: Uint8Array): ReadonlyArray<Uint8Array> =>
  bytes.length < 2 ? [bytes] : [bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)]

// A short real-time pause, so the halves of a split write reach the client as separate reads.
const pause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 2)))

const createStream: Handler = (ctx) =>
  Effect.gen(function* () {
    const { state, client } = ctx
    const submission = readSubmission(ctx)
    if (Either.isLeft(submission)) return submission.left
    if (submission.right._tag === "Subscription") {
      const outcome = yield* submitSubscription(ctx, submission.right, "POST /api/jobs/stream", true)
      if (outcome._tag === "Crashed") return json(500, { error: `Internal server error: ${outcome.detail}` })
      if (outcome._tag === "Rejected") return json(405, errorBody(outcome))
      if (outcome._tag === "Unwritable") {
        return json(500, { error: `Internal server error: ${unwritable(outcome.error)}` })
      }
      // Not reached: a subscription that passes the guardian is refused with "Streaming only supported ...".
      return json(500, { error: "Internal server error: unexpected subscription outcome" })
    }
    const request = submission.right.request
    const rejection = checkJob(state, request, client)
    if (rejection !== undefined) return json(405, rejection)
    // Only the first container runs when streaming.
    const container = request.containers[0]!
    const id = uuid4()
    noteInput(state, id, request.data)
    state.store.setRunning(client, id, request.containers, state.now())
    const parts: Array<Uint8Array> = []
    const finish = (status: "success" | "failed", result: ContainerResult) =>
      Stream.execute(
        Effect.sync(() => state.store.setFinished(client, id, status, request.containers, [result], state.now()))
      )
    const content = Runner.stream(state.containers.get(container)!, {
      source: Runner.Location.OFFCHAIN,
      destination: Runner.Location.STREAM,
      data: request.data
    }).pipe(
      Stream.tap((chunk) => Effect.sync(() => parts.push(chunk))),
      Stream.concat(
        Stream.suspend(() => finish("success", { container, output: { output: decodeAll(parts) } } as ContainerResult))
      ),
      // Errors are not sent in-band: the stream just ends, and the stored job is failed.
      Stream.catchAll((failure) => finish("failed", { container, error: failure.error } as ContainerResult))
    )
    let output: Stream.Stream<Uint8Array> = Stream.concat(Stream.succeed(textEncoder.encode(`${id}\n`)), content)
    if (state.config.mock.stream_chunking === "split") {
      output = output.pipe(
        Stream.flatMap((bytes) => Stream.fromIterable(split(bytes))),
        Stream.tap(() => pause)
      )
    }
    return HttpServerResponse.stream(output, { status: 200, contentType: "text/html; charset=utf-8" })
  })

const decodeAll = (parts: ReadonlyArray<Uint8Array>): string => {
  let size = 0
  for (const part of parts) size += part.length
  const all = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return encoder.decode(all)
}

const listJobs: Handler = (ctx) => {
  const { state, client, query } = ctx
  const at = state.now()
  const ids = query.getAll("id")
  if (ids.length === 0) {
    const pending = query.get("pending")
    const status = query.get("status")
    // `pending` is what the real node reads; `status=pending|completed` is the usage page's form.
    const filter =
      pending === "true"
        ? "pending"
        : pending === "false"
          ? "completed"
          : status === "pending" || status === "running"
            ? "pending"
            : status === "completed" || status === "finished"
              ? "completed"
              : "all"
    return json(200, state.store.ids(client, filter, at))
  }
  return json(200, state.store.get(client, ids, query.get("intermediate") === "true", at))
}

const recordStatus: Handler = (ctx) => {
  const { state, client } = ctx
  if (!state.local.contains(client)) return json(403, { error: "Unauthorized" })
  const parsed = parseBody(ctx, body(ctx))
  const failed = json(500, { error: "Could not store job status" })
  if (!parsed.ok || !isPlainObject(parsed.value)) return failed
  const { id, status, containers } = parsed.value
  if (typeof id !== "string" || !Array.isArray(containers) || !containers.every((c) => typeof c === "string")) {
    return failed
  }
  if (!("status" in parsed.value)) return failed
  const at = state.now()
  switch (status) {
    case "running":
      state.store.setRunning(client, id, containers, at)
      break
    case "success":
    case "failed":
      state.store.setFinished(client, id, status, containers, [], at)
      break
    default:
      return json(400, { error: "Status is invalid" })
  }
  return json(200, null)
}

// ---------------------------------------------------------------------------------------------------------------
// The mock-only control API

const controlRequests: Handler = (ctx) => json(200, lastOf(ctx.state.requests, ctx.state.config.mock.request_log_limit))
const controlSubscriptions: Handler = (ctx) =>
  json(200, lastOf(ctx.state.subscriptions, ctx.state.config.mock.request_log_limit))
const controlJobs: Handler = (ctx) => json(200, ctx.state.store.snapshot(ctx.state.now()))
const controlContainers: Handler = (ctx) =>
  json(
    200,
    [...ctx.state.containers.values()].map((c) => ({ id: c.config.id, behavior: encodeBehavior(c.behavior) }))
  )
const controlReset: Handler = (ctx) => {
  resetState(ctx.state)
  return json(200, {})
}

const decodeBehavior = Schema.decodeUnknownEither(MockConfig.Behavior, { errors: "all" })
const encodeBehavior = Schema.encodeSync(MockConfig.Behavior)

/** Replaces a container's behaviour; the error is one line. */
export const setBehavior = (
  state: NodeState,
  id: string,
  input: unknown
): Either.Either<MockConfig.Behavior, string> => {
  const container = state.containers.get(id)
  if (container === undefined) return Either.left(`Unknown container "${id}"`)
  const unknown = unknownBehaviorKey(input)
  if (unknown !== undefined) return Either.left(`${unknown.field}: ${unknown.detail}`)
  return Either.match(decodeBehavior(input), {
    onLeft: (error) => Either.left(describeParseError(error)),
    onRight: (behavior) => {
      container.behavior = behavior
      return Either.right(behavior)
    }
  })
}

const controlSetContainer =
  (id: string): Handler =>
  (ctx) => {
    if (!ctx.state.containers.has(id)) return json(404, { error: "Unknown container", params: { container: id } })
    const parsed = parseBody(ctx, body(ctx))
    if (!parsed.ok) return json(400, { error: `invalid JSON: ${parsed.message}` })
    const input = typeof parsed.value === "string" ? { type: parsed.value } : parsed.value
    const result = setBehavior(ctx.state, id, input)
    if (Either.isLeft(result)) return json(400, { error: `behavior: ${result.left}` })
    return json(200, { id, behavior: encodeBehavior(result.right) })
  }

// The live inspector page and what it polls; the replay's state (`unusedRecordings`).
const controlUi: Handler = () => html(200, INSPECTOR_PAGE, { "cache-control": "no-store" })
const controlUiState: Handler = (ctx) => json(200, nodeSnapshot(ctx.state), { "cache-control": "no-store" })
const controlUiJob: Handler = (ctx) => {
  const job = jobDetail(ctx.state, ctx.query.get("id") ?? "")
  return job === undefined ? json(404, { error: "Unknown job" }) : json(200, job)
}
const controlReplay: Handler = (ctx) => {
  const replayer = replayerOf(ctx.state)
  return replayer === undefined
    ? json(404, { error: "node-mock: this node is not replaying a cassette" })
    : json(200, replaySummary(replayer))
}

const decodeRateLimit = Schema.decodeUnknownEither(Schema.NullOr(MockConfig.RateLimit), { errors: "all" })
const encodeRateLimit = Schema.encodeSync(Schema.NullOr(MockConfig.RateLimit))

/** Replaces the rate limit in force (`null`: off) and forgets what the limiter counted; the error is one line. */
export const setRateLimit = (state: NodeState, input: unknown): Either.Either<MockConfig.RateLimit | null, string> => {
  const unknown = unknownRateLimitKey(input)
  if (unknown !== undefined) return Either.left(`${unknown.field}: ${unknown.detail}`)
  return Either.match(decodeRateLimit(input), {
    onLeft: (error) => Either.left(describeParseError(error)),
    onRight: (rateLimit) => {
      state.rateLimit = rateLimit ?? undefined
      state.limiter.clear()
      return Either.right(rateLimit)
    }
  })
}

const controlRateLimit: Handler = (ctx) => json(200, { rate_limit: encodeRateLimit(ctx.state.rateLimit ?? null) })

const controlSetRateLimit: Handler = (ctx) => {
  const parsed = parseBody(ctx, body(ctx))
  if (!parsed.ok) return json(400, { error: `invalid JSON: ${parsed.message}` })
  const result = setRateLimit(ctx.state, parsed.value)
  if (Either.isLeft(result)) return json(400, { error: `rate_limit: ${result.left}` })
  return json(200, { rate_limit: encodeRateLimit(result.right) })
}

const badContainerPath: Handler = () =>
  json(400, { error: "Bad request: the container id in the path is not valid percent-encoding" })

// ---------------------------------------------------------------------------------------------------------------
// Routing

const route = (
  method: Route["method"],
  path: string,
  limited: boolean,
  handler: Handler,
  readsBody = method !== "GET"
): Route => ({
  method,
  key: `${method} ${path}`,
  limited,
  readsBody,
  handler
})

/** The path every streaming answer comes from; its bodies are `Stream`s, written by `@effect/platform`. */
export const STREAM_PATH = "/api/jobs/stream"

const CONTROL_PREFIX = "/__mock/"
const CONTAINER_PREFIX = "/__mock/containers/"

const routes = new Map<string, ReadonlyArray<Route>>()
for (const r of [
  route("GET", "/health", true, health),
  route("GET", "/info", true, info),
  route("GET", "/resources", true, resources),
  route("POST", "/api/jobs", true, createJob),
  route("GET", "/api/jobs", true, listJobs),
  route("POST", "/api/jobs/batch", true, createBatch),
  route("POST", STREAM_PATH, true, createStream),
  route("PUT", "/api/status", false, recordStatus),
  route("GET", "/__mock/requests", false, controlRequests),
  route("GET", "/__mock/subscriptions", false, controlSubscriptions),
  route("GET", "/__mock/jobs", false, controlJobs),
  route("GET", "/__mock/containers", false, controlContainers),
  route("POST", "/__mock/reset", false, controlReset, false),
  route("GET", "/__mock/replay", false, controlReplay),
  route("GET", "/__mock/ui", false, controlUi),
  route("GET", "/__mock/ui/state", false, controlUiState),
  route("GET", "/__mock/ui/job", false, controlUiJob),
  route("GET", "/__mock/rate-limit", false, controlRateLimit),
  route("PUT", "/__mock/rate-limit", false, controlSetRateLimit)
]) {
  const path = r.key.slice(r.method.length + 1)
  routes.set(path, [...(routes.get(path) ?? []), r])
}

const routesFor = (path: string): ReadonlyArray<Route> | undefined => {
  const found = routes.get(path)
  if (found !== undefined) return found
  if (path.startsWith(CONTAINER_PREFIX) && path.length > CONTAINER_PREFIX.length) {
    let id: string
    try {
      id = decodeURIComponent(path.slice(CONTAINER_PREFIX.length))
    } catch {
      return [route("PUT", "/__mock/containers/:id", false, badContainerPath)]
    }
    return [route("PUT", "/__mock/containers/:id", false, controlSetContainer(id))]
  }
  return undefined
}

const allowHeader = (candidates: ReadonlyArray<Route>): string => {
  const methods = new Set<string>(["OPTIONS"])
  for (const r of candidates) {
    methods.add(r.method)
    if (r.method === "GET") methods.add("HEAD")
  }
  return [...methods].sort().join(", ")
}

const rateLimitRule = (state: NodeState, key: string) => {
  const config = state.rateLimit
  if (config === undefined) return undefined
  const rule = config.routes?.[key] ?? config
  return { limit: rule.limit, periodMs: rule.period_seconds * 1000 }
}

/** The answer to a body the handlers cannot use, before any handler runs; `undefined` when it is fine. */
const refuseBody = (ctx: Ctx): Response | undefined => {
  const received = ctx.received
  if (typeof received === "string") {
    const max = ctx.state.config.mock.max_json_depth
    if (!nestsDeeperThan(received, max)) return undefined
    // Recorded (its first 64 KiB) in the request log, as what was refused.
    ctx.body = received
    return json(400, { error: `Bad request: JSON nested deeper than ${max} levels` })
  }
  if (received === TOO_LARGE) return html(413, Html.REQUEST_TOO_LARGE, { connection: "close" })
  if (received === INVALID_UTF8) return json(400, { error: "Bad request: the body is not valid UTF-8" })
  // BUSY
  return json(
    503,
    {
      error: `Server busy: request bodies in flight exceed mock.max_inflight_bytes (${ctx.state.config.mock.max_inflight_bytes} bytes); retry later`
    },
    { "retry-after": "1", connection: "close" }
  )
}

const FORBIDDEN_CONTROL = {
  error:
    "Unauthorized: the control API answers loopback clients only (start the mock with --control-open, or set mock.control_open, to open it)"
}

const dispatch = (ctx: Ctx): Effect.Effect<Response> => {
  if (
    ctx.path.startsWith(CONTROL_PREFIX) &&
    !ctx.state.config.mock.control_open &&
    !ctx.state.loopback.contains(ctx.client)
  ) {
    return json(403, FORBIDDEN_CONTROL)
  }
  // Replaying a cassette: recorded requests get their recorded answers (see replay.ts).
  const replayer = ctx.path.startsWith(CONTROL_PREFIX) ? undefined : replayerOf(ctx.state)
  if (replayer !== undefined && typeof ctx.received === "string") {
    const text = ctx.received === "" ? null : ctx.received
    const replayed = replayAnswer(replayer, { method: ctx.method, path: ctx.path, query: ctx.rawQuery, body: text })
    if (replayed !== undefined) {
      ctx.body = text
      return replayed
    }
  }
  const candidates = routesFor(ctx.path)
  if (candidates === undefined) return html(404, Html.NOT_FOUND)
  const method = ctx.method === "HEAD" ? "GET" : ctx.method
  const matched = candidates.find((r) => r.method === method)
  if (matched === undefined) {
    const allow = allowHeader(candidates)
    if (ctx.method === "OPTIONS") return HttpServerResponse.empty({ status: 200, headers: { allow } })
    return html(405, Html.METHOD_NOT_ALLOWED, { allow })
  }
  const rule = matched.limited ? rateLimitRule(ctx.state, matched.key) : undefined
  let limitHeaders: Readonly<Record<string, string>> | undefined
  if (rule !== undefined) {
    const decision = ctx.state.limiter.check(`${matched.key}|${ctx.client}`, rule, ctx.state.now())
    if (!decision.allowed) return html(429, Html.TOO_MANY_REQUESTS, { ...decision.headers })
    limitHeaders = decision.headers
  }
  const response = (matched.readsBody ? refuseBody(ctx) : undefined) ?? matched.handler(ctx)
  if (limitHeaders === undefined) return response
  return HttpServerResponse.isServerResponse(response)
    ? HttpServerResponse.setHeaders(response, limitHeaders)
    : Effect.map(response, (r) => HttpServerResponse.setHeaders(r, limitHeaders))
}

/**
 * The first `length` characters of `text` as a string of their own: V8's `slice` would keep a reference to the whole
 * body (up to `mock.max_body_bytes`) alive for as long as the request log keeps the entry.
 */
const detachedPrefix = (text: string, length: number): string =>
  typeof Buffer === "undefined"
    ? // Outside Node (the in-process transport in a browser): a flat copy, built from its characters.
      text.slice(0, length).split("").join("")
    : Buffer.from(text.slice(0, length), "utf16le").toString("utf16le")

const record = (ctx: Ctx, status: number): void => {
  const { state } = ctx
  const text = ctx.body
  const entry: RecordedRequest = {
    at: new Date(state.now()).toISOString(),
    method: ctx.method,
    path: ctx.path,
    query: ctx.rawQuery,
    client: ctx.client,
    status,
    content_type: ctx.contentType ?? null,
    body: text === null ? null : text.length > LOG_BODY_LIMIT ? detachedPrefix(text, LOG_BODY_LIMIT) : text,
    ...(ctx.tolerated ? { tolerated: "trailing_commas" as const } : {})
  }
  pushBounded(state.requests, entry, state.config.mock.request_log_limit)
}

const EMPTY_QUERY = new URLSearchParams()

/** The path part of a request target (no query string). */
export const pathOf = (url: string): string => {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

/** What a handler sees of one request, whose body (`received`) has been read. */
export const makeContext = (
  state: NodeState,
  method: string,
  url: string,
  contentType: string | undefined,
  client: string,
  received: Received,
  header: (name: string) => string | undefined
): Ctx => {
  const q = url.indexOf("?")
  const rawQuery = q === -1 ? "" : url.slice(q + 1)
  return {
    state,
    method,
    path: q === -1 ? url : url.slice(0, q),
    rawQuery,
    query: rawQuery === "" ? EMPTY_QUERY : new URLSearchParams(rawQuery),
    client: normalizeAddress(client),
    contentType,
    header,
    received,
    body: null,
    tolerated: false
  }
}

const unexpected = (cause: Cause.Cause<unknown>): Effect.Effect<Response> =>
  Effect.as(Effect.logError("node-mock: unexpected failure", cause), html(500, Html.INTERNAL_SERVER_ERROR))

/**
 * Answers one request: routing, rate limiting, the handler, a 500 page for defects, and the request log. A handler
 * that answers synchronously is answered here, and the result is the response itself.
 */
export const handle = (ctx: Ctx): Effect.Effect<Response> => {
  let answer: Effect.Effect<Response>
  try {
    // With `mock.cors`, as a CORS-adding proxy in front of the node: preflights answered, CORS headers added.
    answer = Cors.around(ctx, dispatch)
  } catch (defect) {
    answer = unexpected(Cause.die(defect))
  }
  const logged = !ctx.path.startsWith(CONTROL_PREFIX)
  if (HttpServerResponse.isServerResponse(answer)) {
    if (logged) record(ctx, answer.status)
    return answer
  }
  return answer.pipe(
    Effect.catchAllCause((cause) => (Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : unexpected(cause))),
    Effect.tap((response) => {
      if (logged) record(ctx, response.status)
    })
  )
}
