import { Cause, Effect, Exit } from "effect"
import type * as ChainError from "../ChainError.js"

/** Options every Promise function accepts. @internal */
export interface PromiseOptions {
  /** Aborts the pending work; the Promise then rejects. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Runs an Effect of this package as a Promise that rejects with the `ChainError` itself (not a `FiberFailure`), so
 * the Promise API is a thin layer over the Effect one.
 *
 * @internal
 */
export const runPromise = <A>(effect: Effect.Effect<A, ChainError.ChainError>, options?: PromiseOptions): Promise<A> =>
  Effect.runPromiseExit(effect, options?.signal ? { signal: options.signal } : undefined).then((exit) =>
    Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause))
  )
