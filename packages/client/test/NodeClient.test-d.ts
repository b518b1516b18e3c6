/**
 * Type-level tests of `NodeClient`'s results: a sync wait's success is narrowed, and an `output` schema types the
 * output (Effect Schema through `Schema.standardSchemaV1`, or any Standard Schema v1).
 */
import type { Json } from "@infernet/types"
import { Schema } from "effect"
import type { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import type { NodeClient, NodeClientError } from "../src/index.js"

declare const client: NodeClient.Service
declare const stream: NodeClient.JobStream

const Output = Schema.Struct({ text: Schema.String, tokens: Schema.Number })
const handWritten: NodeClient.StandardSchemaV1<unknown, { readonly n: number }> = {
  "~standard": { version: 1, vendor: "test", validate: (value) => ({ value: value as { n: number } }) }
}

describe("getJobResultSync", () => {
  it("without a schema: a success whose output is a JsonValue, no cast needed", () => {
    const result = client.getJobResultSync("id")
    expectTypeOf(result).toEqualTypeOf<Effect.Effect<NodeClient.JobSuccess, NodeClientError.NodeClientError>>()
    type Success = Effect.Effect.Success<typeof result>
    expectTypeOf<Success["status"]>().toEqualTypeOf<"success">()
    expectTypeOf<Success["result"]["output"]>().toEqualTypeOf<Json.JsonValue>()
  })

  it("with an Effect Schema: the output is the schema's type", () => {
    const result = client.getJobResultSync("id", { output: Schema.standardSchemaV1(Output), retries: 5 })
    expectTypeOf<Effect.Effect.Success<typeof result>["result"]["output"]>().toEqualTypeOf<{
      readonly text: string
      readonly tokens: number
    }>()
  })

  it("with a hand-written Standard Schema, and on a stream's result", () => {
    const result = client.getJobResultSync("id", { output: handWritten })
    expectTypeOf<Effect.Effect.Success<typeof result>["result"]["output"]>().toEqualTypeOf<{ readonly n: number }>()
    const stored = stream.result({ output: handWritten })
    expectTypeOf<Effect.Effect.Success<typeof stored>["result"]["output"]>().toEqualTypeOf<{ readonly n: number }>()
    expectTypeOf<
      Effect.Effect.Success<ReturnType<typeof stream.result>>["result"]["output"]
    >().toEqualTypeOf<Json.JsonValue>()
  })

  it("rejects an output that is not a Standard Schema", () => {
    // @ts-expect-error an Effect Schema must go through Schema.standardSchemaV1
    client.getJobResultSync("id", { output: Output })
  })
})

describe("hooks", () => {
  it("see plain values", () => {
    expectTypeOf<
      Parameters<NonNullable<NodeClient.Options["onResponse"]>>[0]
    >().toEqualTypeOf<NodeClient.ResponseEvent>()
    expectTypeOf<NodeClient.ResponseEvent["elapsedMs"]>().toEqualTypeOf<number>()
    expectTypeOf<NodeClient.ResponseEvent["status"]>().toEqualTypeOf<number | undefined>()
    expectTypeOf<NodeClient.RequestEvent["requestId"]>().toEqualTypeOf<string | undefined>()
  })
})
