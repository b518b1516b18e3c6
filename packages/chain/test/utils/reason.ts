import { assert } from "@effect/vitest"
import { Cause, Exit, Option } from "effect"
import { ChainError } from "../../src/index.js"

/** The reason of the ChainError a promise rejects with (fails the test when it resolves or rejects otherwise). */
export const reason = async (promise: Promise<unknown>): Promise<ChainError.ChainErrorReason> => {
  const error = await promise.then(
    () => assert.fail("expected a ChainError"),
    (e: unknown) => e
  )
  assert.isTrue(ChainError.isChainError(error), String(error))
  return (error as ChainError.ChainError).reason
}

/** The reason of the ChainError an Effect exit failed with (fails the test on success, a defect or another error). */
export const exitReason = <A>(exit: Exit.Exit<A, unknown>): ChainError.ChainErrorReason => {
  if (Exit.isSuccess(exit)) return assert.fail(`expected a ChainError, got ${String(exit.value)}`)
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error) || !ChainError.isChainError(error.value)) {
    return assert.fail(`expected a ChainError, got ${Cause.pretty(exit.cause)}`)
  }
  return error.value.reason
}
