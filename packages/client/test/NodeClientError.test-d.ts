/**
 * Type-level tests of `NodeClientError`: the reason union, its narrowing, and `catchReason` / `catchReasons`.
 * Checked by the package's `typecheck` (tsc) and by `vitest run --typecheck.only`.
 */
import { describe, expectTypeOf, it } from "vitest"
import type { Duration } from "effect"
import { Effect } from "effect"
import { NodeClientError } from "../src/index.js"

declare const error: NodeClientError.NodeClientError
declare const program: Effect.Effect<number, NodeClientError.NodeClientError | "other">

describe("the reason union", () => {
  it("lists every tag", () => {
    expectTypeOf<NodeClientError.Reason["_tag"]>().toEqualTypeOf<
      | "TransportError"
      | "Timeout"
      | "StreamIdle"
      | "RateLimited"
      | "ApiError"
      | "UnexpectedResponse"
      | "JobFailed"
      | "JobNotFound"
      | "StillRunning"
      | "SubscriptionError"
      | "NotSupported"
      | "NodeUnavailable"
      | "NoNodeAvailable"
      | "ResponseTooLarge"
      | "RouterUnavailable"
      | "OutputMismatch"
    >()
  })

  it("narrows on _tag and through hasReason", () => {
    const reason = error.reason
    if (reason._tag === "RateLimited") {
      expectTypeOf(reason).toEqualTypeOf<NodeClientError.RateLimited>()
      expectTypeOf(reason.retryAfter).toEqualTypeOf<Duration.Duration | undefined>()
      expectTypeOf(reason.requestId).toEqualTypeOf<string | undefined>()
    }
    if (NodeClientError.hasReason(error, "ApiError")) {
      expectTypeOf(error.reason).toEqualTypeOf<NodeClientError.ApiError>()
      expectTypeOf(error.reason.status).toEqualTypeOf<number>()
    }
    if (reason._tag === "OutputMismatch") {
      expectTypeOf(reason.issues).toEqualTypeOf<ReadonlyArray<NodeClientError.OutputIssue>>()
    }
  })
})

describe("catchReason", () => {
  it("hands the handler the narrowed reason and keeps the error type (other reasons pass through)", () => {
    const handled = program.pipe(
      NodeClientError.catchReason("StillRunning", (reason, caught) => {
        expectTypeOf(reason).toEqualTypeOf<NodeClientError.StillRunning>()
        expectTypeOf(caught).toEqualTypeOf<NodeClientError.NodeClientError>()
        return Effect.succeed(`still running: ${reason.attempts}` as const)
      })
    )
    expectTypeOf(handled).toEqualTypeOf<
      Effect.Effect<number | `still running: ${number}`, NodeClientError.NodeClientError | "other">
    >()
    const dataFirst = NodeClientError.catchReason(program, "JobFailed", () => Effect.fail(new Error("failed")))
    expectTypeOf(dataFirst).toEqualTypeOf<Effect.Effect<number, NodeClientError.NodeClientError | "other" | Error>>()
  })

  it("rejects a tag that is not a reason", () => {
    // @ts-expect-error "Nope" is not a reason tag
    NodeClientError.catchReason(program, "Nope", () => Effect.succeed(1))
  })
})

describe("catchReasons", () => {
  it("types each handler's reason and unions their results", () => {
    const handled = program.pipe(
      NodeClientError.catchReasons({
        RateLimited: (reason) => {
          expectTypeOf(reason).toEqualTypeOf<NodeClientError.RateLimited>()
          return Effect.succeed("limited" as const)
        },
        Timeout: (reason) => {
          expectTypeOf(reason).toEqualTypeOf<NodeClientError.Timeout>()
          return Effect.fail(404 as const)
        }
      })
    )
    expectTypeOf(handled).toEqualTypeOf<
      Effect.Effect<number | "limited", NodeClientError.NodeClientError | "other" | 404>
    >()
  })

  it("rejects a key that is not a reason tag", () => {
    // @ts-expect-error "Timout" is a typo of a reason tag
    program.pipe(NodeClientError.catchReasons({ Timout: () => Effect.succeed(1) }))
  })
})
