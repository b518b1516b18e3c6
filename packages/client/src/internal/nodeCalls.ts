/**
 * The JSON calls of `NodeClient`'s methods, as data (`Http.Spec`): the request each method sends, the schema of its
 * answer and what the method makes of it. `NodeClient` runs them as Effects; the Promise API runs the same specs
 * through `Http.runPromise`: as plain Promises on `fetch` (no fiber per call), as Effects on any other `HttpClient`.
 */
import { Job, NodeInfo, Primitives } from "@infernet/types"
import { Either, Schema } from "effect"
import type {
  CallOptions,
  GetJobResultsOptions,
  GetJobsOptions,
  JobRequestInput,
  PairedBatch,
  RecordableStatus,
  Service
} from "../NodeClient.js"
import { NodeClientError, UnexpectedResponse } from "../NodeClientError.js"
import { chunkIds } from "./chunkIds.js"
import * as Http from "./http.js"

const encodeJobRequest = (request: JobRequestInput) =>
  request.requires_proof === undefined
    ? { containers: request.containers, data: request.data }
    : { containers: request.containers, data: request.data, requires_proof: request.requires_proof }

/** The body of `POST /api/jobs` and `POST /api/jobs/stream` for a request. */
export { encodeJobRequest }

const JobIds = Schema.Array(Primitives.JobId)
const JobResults = Schema.Array(Job.JobResult)
const BatchResponse = Schema.Array(Job.BatchResponseItem)

/** The calls of one client, built on its settings. */
export interface Calls {
  readonly health: (options: CallOptions | undefined) => Http.Spec<boolean, NodeInfo.HealthInfo>
  readonly info: (options: CallOptions | undefined) => Http.Spec<NodeInfo.NodeInfo, NodeInfo.NodeInfo>
  readonly resources: (options: CallOptions | undefined) => Http.Spec<NodeInfo.Resources, NodeInfo.Resources>
  readonly checkModelSupport: (
    modelId: string,
    options: CallOptions | undefined
  ) => Http.Spec<NodeInfo.ModelSupportMap, NodeInfo.ModelSupportMap>
  readonly requestJob: (
    request: JobRequestInput,
    options: CallOptions | undefined
  ) => Http.Spec<Primitives.JobId, Job.JobResponse>
  readonly requestJobs: (
    requests: ReadonlyArray<JobRequestInput>,
    options: CallOptions | undefined
  ) => Http.Spec<ReadonlyArray<Job.BatchResponseItem>, ReadonlyArray<Job.BatchResponseItem>>
  readonly requestJobsPaired: <Request extends JobRequestInput>(
    requests: ReadonlyArray<Request>,
    options: CallOptions | undefined
  ) => Http.Spec<PairedBatch<Request>, ReadonlyArray<Job.BatchResponseItem>>
  /** `GET /api/jobs?id=..` for `ids` (at least one): one call per group of ids that fits in a URL. */
  readonly getJobResults: (
    method: string,
    ids: ReadonlyArray<string>,
    options: GetJobResultsOptions | undefined
  ) => ReadonlyArray<Http.Spec<ReadonlyArray<Job.JobResult>, ReadonlyArray<Job.JobResult>>>
  readonly getJobs: (
    options: GetJobsOptions | undefined
  ) => Http.Spec<ReadonlyArray<Primitives.JobId>, ReadonlyArray<Primitives.JobId>>
  readonly recordStatus: (
    id: string,
    status: RecordableStatus,
    request: JobRequestInput,
    options: CallOptions | undefined
  ) => Http.Spec<void, unknown>
}

/** The calls of a client on `settings`; `maxUrlLength` bounds `GET /api/jobs?id=..` URLs. */
export const make = (settings: Http.Settings, maxUrlLength: number): Calls => {
  const unexpected = (method: string, path: string, detail: string, body: unknown) =>
    new NodeClientError({
      method,
      reason: new UnexpectedResponse({
        url: Http.urlOf(settings, { path }),
        status: 200,
        body: JSON.stringify(body)?.slice(0, Http.SNIPPET_LENGTH) ?? "",
        detail
      })
    })

  const batch = <A>(
    method: string,
    requests: ReadonlyArray<JobRequestInput>,
    options: CallOptions | undefined,
    finish: (items: ReadonlyArray<Job.BatchResponseItem>) => Either.Either<A, NodeClientError>
  ) =>
    Http.spec(
      {
        method,
        httpMethod: "POST",
        path: "/api/jobs/batch",
        body: requests.map(encodeJobRequest),
        safe: false,
        options
      },
      BatchResponse,
      (items) =>
        items.length === requests.length
          ? finish(items)
          : Either.left(
              unexpected(
                method,
                "/api/jobs/batch",
                `the node answered ${items.length} items for ${requests.length} requests`,
                items
              )
            )
    )

  // `GET /api/jobs` URLs up to the ids, with and without `intermediate=true`, for the URL length limit.
  const resultsPrefixLength = {
    plain: Http.urlOf(settings, { path: "/api/jobs" }).length + 1,
    intermediate: Http.urlOf(settings, { path: "/api/jobs", urlParams: [["intermediate", "true"]] }).length + 1
  }

  return {
    health: (options: CallOptions | undefined) =>
      Http.spec(
        { method: "health", httpMethod: "GET", path: "/health", safe: true, options },
        NodeInfo.HealthInfo,
        (info) => Either.right(info.status === "healthy")
      ),

    info: (options: CallOptions | undefined) =>
      Http.spec({ method: "info", httpMethod: "GET", path: "/info", safe: true, options }, NodeInfo.NodeInfo),

    resources: (options: CallOptions | undefined) =>
      Http.spec(
        { method: "resources", httpMethod: "GET", path: "/resources", safe: true, options },
        NodeInfo.Resources
      ),

    checkModelSupport: (modelId: string, options: CallOptions | undefined) =>
      Http.spec(
        {
          method: "checkModelSupport",
          httpMethod: "GET",
          path: "/resources",
          urlParams: [["model_id", modelId]],
          safe: true,
          options
        },
        NodeInfo.ModelSupportMap
      ),

    requestJob: (request: JobRequestInput, options: CallOptions | undefined) =>
      Http.spec(
        {
          method: "requestJob",
          httpMethod: "POST",
          path: "/api/jobs",
          body: encodeJobRequest(request),
          safe: false,
          options
        },
        Job.JobResponse,
        (response) => Either.right(response.id)
      ),

    requestJobs: (requests: ReadonlyArray<JobRequestInput>, options: CallOptions | undefined) =>
      batch("requestJobs", requests, options, Either.right),

    requestJobsPaired: <Request extends JobRequestInput>(
      requests: ReadonlyArray<Request>,
      options: CallOptions | undefined
    ) =>
      batch("requestJobsPaired", requests, options, (items): Either.Either<PairedBatch<Request>, NodeClientError> => {
        const paired: PairedBatch<Request> = { accepted: [], rejected: [] }
        for (let index = 0; index < items.length; index++) {
          const item = items[index]!
          const request = requests[index]!
          if ("error" in item) paired.rejected.push({ index, request, error: item })
          else if ("id" in item) paired.accepted.push({ index, request, id: item.id })
          else {
            return Either.left(
              unexpected("requestJobsPaired", "/api/jobs/batch", `item ${index} has neither an id nor an error`, item)
            )
          }
        }
        return Either.right(paired)
      }),

    getJobResults: (method: string, ids: ReadonlyArray<string>, options: GetJobResultsOptions | undefined) => {
      const intermediate = options?.intermediate === true
      const flags: ReadonlyArray<readonly [string, string]> = intermediate ? [["intermediate", "true"]] : []
      // The URL so far ends in "?intermediate=true" or has no "?" yet; ids follow after "&" or "?".
      const groups = chunkIds(
        intermediate ? resultsPrefixLength.intermediate : resultsPrefixLength.plain,
        ids,
        maxUrlLength
      )
      return groups.map((group) =>
        Http.spec(
          {
            method,
            httpMethod: "GET",
            path: "/api/jobs",
            urlParams:
              group.length === 1
                ? [...flags, ["id", group[0]!]]
                : [...flags, ...group.map((id) => ["id", id] as const)],
            safe: true,
            options
          },
          JobResults
        )
      )
    },

    getJobs: (options: GetJobsOptions | undefined) =>
      Http.spec(
        {
          method: "getJobs",
          httpMethod: "GET",
          path: "/api/jobs",
          urlParams: options?.pending === undefined ? [] : [["pending", String(options.pending)]],
          safe: true,
          options
        },
        JobIds
      ),

    recordStatus: (id: string, status: RecordableStatus, request: JobRequestInput, options: CallOptions | undefined) =>
      Http.spec(
        {
          method: "recordStatus",
          httpMethod: "PUT",
          path: "/api/status",
          body: { id, status, containers: request.containers },
          safe: false,
          options
        },
        Schema.Unknown,
        () => Either.right(undefined as void)
      )
  }
}

/** What a `NodeClient` service was built with: its settings and its calls. */
export interface Internals {
  readonly settings: Http.Settings
  readonly calls: Calls
}

const internals = new WeakMap<Service, Internals>()

/** Records what a service was built with (`NodeClient.make` does), for the Promise API to run its calls directly. */
export const register = (service: Service, built: Internals): void => {
  internals.set(service, built)
}

/** What a service was built with; `undefined` for a service `NodeClient.make` did not build (e.g. a test double). */
export const internalsOf = (service: Service): Internals | undefined => internals.get(service)
