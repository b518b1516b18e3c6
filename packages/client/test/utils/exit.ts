import { Cause, Exit, Option } from "effect"
import type { NodeClientError } from "../../src/index.js"

/** The `NodeClientError` an exit failed with; throws (failing the test) on success or on any other cause. */
export const failure = <A>(exit: Exit.Exit<A, NodeClientError.NodeClientError>): NodeClientError.NodeClientError => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${String(exit.value)}`)
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a NodeClientError, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

/** The message of the defect an exit died with; throws (failing the test) on success or on a failure that is not a die. */
export const defect = <A, E>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a defect, got ${String(exit.value)}`)
  if (!Cause.isDie(exit.cause)) throw new Error(`expected a defect, got ${Cause.pretty(exit.cause)}`)
  const died = Cause.dieOption(exit.cause)
  if (Option.isNone(died)) throw new Error(`expected a defect, got ${Cause.pretty(exit.cause)}`)
  return died.value instanceof Error ? died.value.message : String(died.value)
}
