/**
 * Type-level tests of the Promise API: plain values in errors (milliseconds, no Duration or Option), plain string
 * ids, and outputs typed by an `output` schema.
 */
import { Schema } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import {
  createNodeClient,
  type JobStream,
  type NodeClientError,
  type NodeClientErrorReason,
  type PromiseNodePool,
  type ReasonOf
} from "../src/promise.js"

const client = createNodeClient({ baseUrl: "http://localhost:4000" })
declare const stream: JobStream
declare const pool: PromiseNodePool
declare const error: NodeClientError

describe("plain errors", () => {
  it("the reason union has the Effect API's tags", () => {
    expectTypeOf<NodeClientErrorReason["_tag"]>().toEqualTypeOf<import("../src/NodeClientError.js").Reason["_tag"]>()
  })

  it("durations are millisecond numbers, under names ending in Ms", () => {
    expectTypeOf<ReasonOf<"RateLimited">>().toEqualTypeOf<{
      readonly _tag: "RateLimited"
      readonly message: string
      readonly url: string
      readonly retryAfterMs?: number
      readonly requestId?: string
    }>()
    expectTypeOf<ReasonOf<"Timeout">["timeoutMs"]>().toEqualTypeOf<number>()
    expectTypeOf<ReasonOf<"StreamIdle">["idleTimeoutMs"]>().toEqualTypeOf<number>()
    expectTypeOf<ReasonOf<"StillRunning">["elapsedMs"]>().toEqualTypeOf<number | undefined>()
    expectTypeOf<ReasonOf<"ApiError">["url"]>().toEqualTypeOf<string | undefined>()
  })

  it("narrows on reason._tag", () => {
    if (error.reason._tag === "RateLimited") expectTypeOf(error.reason.retryAfterMs).toEqualTypeOf<number | undefined>()
    if (error.reason._tag === "NodeUnavailable") expectTypeOf(error.reason.node).toEqualTypeOf<string>()
    expectTypeOf(error.url).toEqualTypeOf<string | undefined>()
    expectTypeOf(error.status).toEqualTypeOf<number | undefined>()
    expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>()
    expectTypeOf(error).toExtend<Error>()
  })
})

describe("results", () => {
  it("ids are plain strings", () => {
    expectTypeOf(client.requestJob({ containers: ["c"], data: {} })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(client.getJobs()).toEqualTypeOf<Promise<ReadonlyArray<string>>>()
    expectTypeOf(stream.id).toEqualTypeOf<string>()
  })

  it("a sync wait's output type-checks without casts, typed by an output schema", async () => {
    const plain = await client.getJobResultSync("id")
    expectTypeOf(plain.result.output).toEqualTypeOf<import("@infernet/types").Json.JsonValue>()
    // Still a JobResult, for code that stores or passes results on.
    expectTypeOf(plain).toExtend<import("@infernet/types").Job.JobResult>()
    const typed = await client.getJobResultSync("id", {
      output: Schema.standardSchemaV1(Schema.Struct({ text: Schema.String })),
      signal: AbortSignal.timeout(1000)
    })
    expectTypeOf(typed.result.output).toEqualTypeOf<{ readonly text: string }>()
    const stored = await stream.result({ output: Schema.standardSchemaV1(Schema.Array(Schema.Number)) })
    expectTypeOf(stored.result.output).toEqualTypeOf<ReadonlyArray<number>>()
    const pooled = await pool.getJobResultSync("id", { output: Schema.standardSchemaV1(Schema.Boolean) })
    expectTypeOf(pooled.result.output).toEqualTypeOf<boolean>()
  })
})
