import { assert } from "@effect/vitest"
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
