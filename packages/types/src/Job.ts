/**
 * Off-chain jobs: requests, responses, statuses and results.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DelegatedSubscriptionRequest } from "./DelegatedSubscription.js"
import { ErrorResponse } from "./ErrorResponse.js"
import { JsonObject, JsonValue } from "./Json.js"
import { ContainerId, CreatedJobId, JobId } from "./Primitives.js"

/**
 * `{"containers": string[], "data": object, "requires_proof"?: boolean}`: the containers run in order, the first
 * receives `data`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * const request = Schema.decodeUnknownSync(Job.JobRequest)({ containers: ["hello-world"], data: { name: "Ritual" } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JobRequest = Schema.Struct({
  containers: Schema.Array(ContainerId),
  data: JsonObject,
  requires_proof: Schema.optionalWith(Schema.Boolean, { exact: true })
}).annotations({ identifier: "JobRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface JobRequest extends Schema.Schema.Type<typeof JobRequest> {}

/**
 * Anything `POST /api/jobs` accepts: an off-chain job or a delegated subscription.
 *
 * @since 0.1.0
 * @category schemas
 */
export const JobSubmission = Schema.Union(JobRequest, DelegatedSubscriptionRequest).annotations({
  identifier: "JobSubmission"
})

/**
 * @since 0.1.0
 * @category models
 */
export type JobSubmission = typeof JobSubmission.Type

/**
 * `{"id": "<uuid>"}`: the answer to a created job.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * Schema.decodeUnknownSync(Job.JobResponse)({ id: "29dd2f8b-05c3-4b1c-a103-370c04c6850f" }).id
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JobResponse = Schema.Struct({ id: CreatedJobId }).annotations({ identifier: "JobResponse" })

/**
 * @since 0.1.0
 * @category models
 */
export interface JobResponse extends Schema.Schema.Type<typeof JobResponse> {}

/**
 * `{}`: a node's answer to an accepted delegated subscription (nodes before 1.0 answered a {@link JobResponse}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubscriptionAccepted = Schema.Struct({}).annotations({ identifier: "SubscriptionAccepted" })

/**
 * One element of a `POST /api/jobs/batch` answer, in input order: a created job, an accepted subscription, or the
 * rejection of that item.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * Schema.decodeUnknownSync(Schema.Array(Job.BatchResponseItem))([
 *   { id: "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8" },
 *   { error: "Container not supported", params: { container: "non-existent-container" } }
 * ])
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const BatchResponseItem = Schema.Union(ErrorResponse, JobResponse, SubscriptionAccepted).annotations({
  identifier: "BatchResponseItem"
})

/**
 * @since 0.1.0
 * @category models
 */
export type BatchResponseItem = typeof BatchResponseItem.Type

/**
 * A job's status: `running`, `success` or `failed`. Decoding also accepts the older spelling `failure`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * Schema.decodeUnknownSync(Job.JobStatus)("failure") // "failed"
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JobStatus = Schema.transform(
  Schema.Literal("running", "success", "failed", "failure"),
  Schema.Literal("running", "success", "failed"),
  { strict: true, decode: (s) => (s === "failure" ? "failed" : s), encode: (s) => s }
).annotations({ identifier: "JobStatus" })

/**
 * @since 0.1.0
 * @category models
 */
export type JobStatus = typeof JobStatus.Type

/**
 * A container's output: `{"container": id, "output": <any JSON>}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContainerOutput = Schema.Struct({ container: ContainerId, output: JsonValue }).annotations({
  identifier: "ContainerOutput"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ContainerOutput extends Schema.Schema.Type<typeof ContainerOutput> {}

/**
 * A container's failure: `{"container": id, "error": string}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContainerError = Schema.Struct({ container: ContainerId, error: Schema.String }).annotations({
  identifier: "ContainerError"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ContainerError extends Schema.Schema.Type<typeof ContainerError> {}

/**
 * Narrows a result to a {@link ContainerError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isContainerError = (result: ContainerOutput | ContainerError | null): result is ContainerError =>
  result !== null && "error" in result

const resultFields = {
  id: JobId,
  status: Schema.typeSchema(JobStatus),
  result: Schema.NullOr(Schema.Union(ContainerOutput, ContainerError)),
  intermediate_results: Schema.optionalWith(Schema.Array(ContainerOutput), { exact: true })
}

const JobResultWire = Schema.Struct({
  ...resultFields,
  status: JobStatus,
  intermediate: Schema.optionalWith(Schema.Array(ContainerOutput), { exact: true })
})

/**
 * A job's state: `{"id", "status", "result", "intermediate_results"?}`. `result` is the last container's output or
 * error (`null` while nothing has finished). Decoding also accepts the older `intermediate` key and `failure` status;
 * encoding writes the current names.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * const result = Schema.decodeUnknownSync(Job.JobResult)({
 *   id: "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8", status: "success",
 *   result: { container: "hello-world", output: { output: "hello, world!" } }
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JobResult = Schema.transform(JobResultWire, Schema.Struct(resultFields).pipe(Schema.typeSchema), {
  strict: true,
  decode: ({ intermediate, intermediate_results, ...rest }) => {
    const steps = intermediate_results ?? intermediate
    return steps === undefined ? rest : { ...rest, intermediate_results: steps }
  },
  encode: (result) => result
}).annotations({ identifier: "JobResult" })

/**
 * @since 0.1.0
 * @category models
 */
export type JobResult = typeof JobResult.Type

/**
 * The body of `PUT /api/status`: records a job's status by hand.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Job } from "@infernet/types"
 * Schema.decodeUnknownSync(Job.StatusRequest)({
 *   id: "d77215c8-dd25-4843-89c4-788eef9ed324", status: "running", containers: ["openai-inference"]
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const StatusRequest = Schema.Struct({
  id: JobId,
  status: Schema.Literal("running", "success", "failed"),
  containers: Schema.Array(ContainerId)
}).annotations({ identifier: "StatusRequest" })

/**
 * @since 0.1.0
 * @category models
 */
export interface StatusRequest extends Schema.Schema.Type<typeof StatusRequest> {}
