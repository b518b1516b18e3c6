/**
 * Type-level tests of `ChainError`: the reason union's narrowing and `catchReason` / `catchReasons`.
 */
import { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import { ChainError } from "../src/index.js"

declare const error: ChainError.ChainError
declare const send: Effect.Effect<`0x${string}`, ChainError.ChainError>

describe("ChainError", () => {
  it("narrows its reason on _tag", () => {
    if (error.reason._tag === "ReceiptTimeout") expectTypeOf(error.reason.hash).toEqualTypeOf<string>()
    if (error.reason._tag === "InvalidKey") expectTypeOf(error.reason.kind).toEqualTypeOf<"privateKey" | "mnemonic">()
  })

  it("catchReason hands over the narrowed reason; the error type stays", () => {
    const handled = send.pipe(
      ChainError.catchReason("SimulationReverted", (reason) => {
        expectTypeOf(reason).toEqualTypeOf<ChainError.SimulationReverted>()
        return Effect.succeed(reason.errorName)
      })
    )
    expectTypeOf(handled).toEqualTypeOf<Effect.Effect<`0x${string}` | string | undefined, ChainError.ChainError>>()
    // @ts-expect-error not a reason tag
    ChainError.catchReason(send, "Reverted", () => Effect.succeed(1))
  })

  it("catchReasons types each handler and unions the results", () => {
    const handled = ChainError.catchReasons(send, {
      InsufficientFunds: (reason) => {
        expectTypeOf(reason).toEqualTypeOf<ChainError.InsufficientFunds>()
        return Effect.succeed(0n)
      },
      RpcError: (reason) => Effect.fail(new Error(reason.detail))
    })
    expectTypeOf(handled).toEqualTypeOf<Effect.Effect<`0x${string}` | bigint, ChainError.ChainError | Error>>()
  })
})
