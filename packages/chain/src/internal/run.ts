import { Cause, Effect, Exit } from "effect"
import type * as ChainError from "../ChainError.js"

/** Options every Promise function accepts. @internal */
export interface PromiseOptions {
  /** Aborts the pending work; the Promise then rejects with the signal's reason (an `AbortError`). */
  readonly signal?: AbortSignal | undefined
}

/**
 * Runs an Effect of this package as a Promise that rejects with the `ChainError` itself (not a `FiberFailure`), or
 * with the signal's reason when aborted, so the Promise API is a thin layer over the Effect one.
 *
 * @internal
 */
export const runPromise = <A>(
  effect: Effect.Effect<A, ChainError.ChainError>,
  options?: PromiseOptions
): Promise<A> => {
  const signal = options?.signal
  return Effect.runPromiseExit(effect, signal ? { signal } : undefined).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    if (signal?.aborted && Cause.isInterruptedOnly(exit.cause)) return Promise.reject(signal.reason)
    return Promise.reject(Cause.squash(exit.cause))
  })
}
