import { Cause, Exit, Option } from "effect"
import type { NodeClientError } from "../../src/index.js"

/** The `NodeClientError` an exit failed with; throws (failing the test) on success or on any other cause. */
export const failure = <A>(exit: Exit.Exit<A, NodeClientError.NodeClientError>): NodeClientError.NodeClientError => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${String(exit.value)}`)
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a NodeClientError, got ${Cause.pretty(exit.cause)}`)
  return error.value
}
