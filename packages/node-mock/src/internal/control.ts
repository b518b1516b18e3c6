// The control surface over the `/__mock/` API: one implementation for a node started here (through its in-process
// fetch) and for a node started elsewhere (`connectMockNode(url)`, over HTTP). Every call resolves to plain data or
// rejects with a MockNodeError.
import { Json } from "@infernet/types"
import type * as MockConfig from "../MockConfig.js"
import * as MockNodeError from "../MockNodeError.js"
import type { RecordedRequest, RecordedSubscription } from "./state.js"
import type { JobSnapshot } from "./store.js"

type Fetch = (input: string, init?: RequestInit) => Promise<Response>

/** What `waitForJob` waits for: a status, or `"finished"` (success or failed). */
export type WaitStatus = "running" | "success" | "failed" | "finished"

export interface WaitOptions {
  /** Give up after this many milliseconds (real time). Default 5000. */
  readonly timeoutMs?: number | undefined
  /** How often to look, in milliseconds. Default 10. */
  readonly intervalMs?: number | undefined
}

export interface ContainerSnapshot {
  readonly id: string
  readonly behavior: MockConfig.BehaviorInput
}

/** A request of the log, with its body parsed: `json` is set when the body is JSON. */
export interface ControlRequest extends RecordedRequest {
  readonly json?: Json.JsonValue
}

export interface Control {
  readonly url: string
  readonly containers: () => Promise<ReadonlyArray<ContainerSnapshot>>
  readonly setBehavior: (container: string, behavior: MockConfig.BehaviorInput) => Promise<void>
  readonly rateLimit: () => Promise<MockConfig.RateLimitInput | null>
  readonly setRateLimit: (rateLimit: MockConfig.RateLimitInput | null) => Promise<void>
  readonly jobs: () => Promise<ReadonlyArray<JobSnapshot>>
  readonly requests: () => Promise<ReadonlyArray<ControlRequest>>
  readonly subscriptions: () => Promise<ReadonlyArray<RecordedSubscription>>
  readonly reset: () => Promise<void>
  readonly waitForJob: (id: string, status?: WaitStatus, options?: WaitOptions) => Promise<JobSnapshot>
  readonly waitForRequests: (
    count: number,
    options?: WaitOptions & { readonly filter?: ((request: ControlRequest) => boolean) | undefined }
  ) => Promise<ReadonlyArray<ControlRequest>>
}

const failed = (url: string, detail: string, status?: number) =>
  new MockNodeError.MockNodeError({
    reason: new MockNodeError.ControlFailed(status === undefined ? { url, detail } : { url, status, detail })
  })

const withJson = (request: RecordedRequest): ControlRequest => {
  if (request.body === null || request.body === "") return request
  try {
    return { ...request, json: Json.parse(request.body) as Json.JsonValue }
  } catch {
    return request
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const matches = (job: JobSnapshot, status: WaitStatus) =>
  status === "finished" ? job.status !== "running" : job.status === status

/** A JSON call to `base`'s control API: its answer, or a MockNodeError (`ControlFailed`). */
export const makeCaller = (base: string, fetch: Fetch) => {
  const origin = base.replace(/\/+$/, "")
  return async <A>(method: string, path: string, body?: unknown): Promise<A> => {
    const url = `${origin}${path}`
    let response: Response
    try {
      response = await fetch(url, {
        method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: Json.stringify(body) })
      })
    } catch (cause) {
      throw failed(url, `the node cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`)
    }
    const text = await response.text()
    let value: unknown
    try {
      value = Json.parse(text)
    } catch {
      throw failed(url, `the answer is not JSON: ${text.slice(0, 120)}`, response.status)
    }
    if (response.status === 200) return value as A
    const error = (value as { error?: unknown } | null)?.error
    throw failed(url, typeof error === "string" ? error : text.slice(0, 120), response.status)
  }
}

export const makeControl = (base: string, fetch: Fetch): Control => {
  const origin = base.replace(/\/+$/, "")
  const call = makeCaller(origin, fetch)
  const containerPath = (id: string) => `/__mock/containers/${encodeURIComponent(id)}`
  const control: Control = {
    url: origin,
    containers: () => call("GET", "/__mock/containers"),
    setBehavior: async (container, behavior) => {
      try {
        await call("PUT", containerPath(container), behavior)
      } catch (error) {
        const reason = MockNodeError.isMockNodeError(error) ? error.reason : undefined
        if (reason?._tag === "ControlFailed" && reason.status === 404) {
          throw new MockNodeError.MockNodeError({ reason: new MockNodeError.UnknownContainer({ container }) })
        }
        if (reason?._tag === "ControlFailed" && reason.status === 400) {
          throw new MockNodeError.MockNodeError({
            reason: new MockNodeError.InvalidConfig({
              source: "setBehavior",
              field: "behavior",
              detail: reason.detail.replace(/^behavior: /, "")
            })
          })
        }
        throw error
      }
    },
    rateLimit: async () =>
      (await call<{ rate_limit: MockConfig.RateLimitInput | null }>("GET", "/__mock/rate-limit")).rate_limit,
    setRateLimit: async (rateLimit) => {
      try {
        await call("PUT", "/__mock/rate-limit", rateLimit)
      } catch (error) {
        const reason = MockNodeError.isMockNodeError(error) ? error.reason : undefined
        if (reason?._tag === "ControlFailed" && reason.status === 400) {
          throw new MockNodeError.MockNodeError({
            reason: new MockNodeError.InvalidConfig({
              source: "setRateLimit",
              field: "rate_limit",
              detail: reason.detail.replace(/^rate_limit: /, "")
            })
          })
        }
        throw error
      }
    },
    jobs: () => call("GET", "/__mock/jobs"),
    requests: async () => (await call<ReadonlyArray<RecordedRequest>>("GET", "/__mock/requests")).map(withJson),
    subscriptions: () => call("GET", "/__mock/subscriptions"),
    reset: async () => {
      await call("POST", "/__mock/reset")
    },
    waitForJob: async (id, status = "finished", options = {}) => {
      const timeoutMs = options.timeoutMs ?? 5000
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const job = (await control.jobs()).find((j) => j.id === id)
        if (job !== undefined && matches(job, status)) return job
        if (Date.now() >= deadline) {
          throw new MockNodeError.MockNodeError({
            reason: new MockNodeError.WaitTimedOut({
              waitingFor: `job ${id} to be ${status}`,
              timeoutMs,
              last: job === undefined ? "no such job" : job.status
            })
          })
        }
        await sleep(options.intervalMs ?? 10)
      }
    },
    waitForRequests: async (count, options = {}) => {
      const timeoutMs = options.timeoutMs ?? 5000
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const all = await control.requests()
        const seen = options.filter === undefined ? all : all.filter(options.filter)
        if (seen.length >= count) return seen
        if (Date.now() >= deadline) {
          throw new MockNodeError.MockNodeError({
            reason: new MockNodeError.WaitTimedOut({
              waitingFor: `${count} request(s)`,
              timeoutMs,
              last: `${seen.length} request(s)`
            })
          })
        }
        await sleep(options.intervalMs ?? 10)
      }
    }
  }
  return control
}
