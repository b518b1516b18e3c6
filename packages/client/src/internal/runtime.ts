/**
 * The two per-call costs a client of a fast node feels most, made cheap where nothing observes them: spans when no
 * tracer is installed, and the per-attempt timeout on the live clock. Both keep Effect's semantics otherwise.
 */
import type { Fiber } from "effect"
import type { YieldWrap } from "effect/Utils"
import { Clock, Context, Duration, Effect, Exit, FiberId, FiberRef, Tracer } from "effect"

// The tracer every runtime has unless one is installed (`Layer.setTracer`, `Effect.withTracer`, `@effect/opentelemetry`).
// Its spans go nowhere, and each costs a span object, attributes, trace headers and a FiberRef change.
let builtInTracer: Tracer.Tracer | undefined
const tracing = (fiber: Fiber.RuntimeFiber<unknown, unknown>): "traced" | "untraced" | "disabled" => {
  if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) return "disabled"
  builtInTracer ??= Effect.runSync(Effect.tracer)
  return Context.get(fiber.currentDefaultServices, Tracer.Tracer) === builtInTracer ? "untraced" : "traced"
}

/**
 * Like `Effect.fn(name)(body)`, but the span (the method's, and the HTTP client's below it) is only made when a tracer
 * is installed. Without one, spans are invisible anyway, and skipping them saves 10-15% of a fast call's CPU.
 */
export const fn = (name: string): Untraced =>
  ((body: (...args: Array<any>) => Generator<any, any, never>) => {
    const traced: (...args: Array<any>) => Effect.Effect<any, any, any> = Effect.fn(name)(body)
    const untraced: (...args: Array<any>) => Effect.Effect<any, any, any> = Effect.fnUntraced(body)
    // Untraced, the HttpClient's own span (and its trace headers) is turned off per attempt, see `attempt`.
    return (...args: Array<any>) =>
      Effect.withFiberRuntime<any, any, any>((fiber) =>
        tracing(fiber) === "traced" ? traced(...args) : untraced(...args)
      )
  }) as Untraced

/** The first overload of `Effect.fn.Untraced`: a generator body, no pipeables. */
type Untraced = <Eff extends YieldWrap<Effect.Effect<any, any, any>>, AEff, Args extends Array<any>>(
  body: (...args: Args) => Generator<Eff, AEff, never>
) => (
  ...args: Args
) => Effect.Effect<
  AEff,
  [Eff] extends [never] ? never : [Eff] extends [YieldWrap<Effect.Effect<infer _A, infer E, infer _R>>] ? E : never,
  [Eff] extends [never] ? never : [Eff] extends [YieldWrap<Effect.Effect<infer _A, infer _E, infer R>>] ? R : never
>

/** Like {@link fn} for a method written as a function returning an Effect. */
export const withSpan =
  (name: string, options?: Tracer.SpanOptions) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withFiberRuntime((fiber) => (tracing(fiber) === "traced" ? Effect.withSpan(effect, name, options) : effect))

// The class of the live clock (`Clock.make()` builds one): its `sleep` is a plain `setTimeout`. Any other clock
// (`TestClock`, a custom one) takes Effect's own `timeoutFail`, so tests drive timeouts through it as before.
const LiveClock = (Clock.make() as object).constructor
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * Runs one HTTP attempt: without the HttpClient's span when no tracer is installed, and with `timeout` (an infinite one
 * is none). On the live clock the attempt runs in one child fiber that a timer interrupts; `Effect.timeoutFail` races
 * two fibers (the attempt and a `sleep`), joins their FiberRefs and interrupts the loser, which cost a third of a fast
 * call's CPU. Any other clock (`TestClock`) gets `Effect.timeoutFail` itself.
 */
export const attempt = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  timeout: Duration.Duration,
  onTimeout: () => E1
): Effect.Effect<A, E | E1, R> =>
  Effect.withFiberRuntime((fiber) => {
    const untraced = tracing(fiber) === "untraced"
    const millis = Duration.toMillis(timeout)
    if (millis <= MAX_TIMER_MILLIS && Context.get(fiber.currentDefaultServices, Clock.Clock) instanceof LiveClock) {
      // The child fiber is only this attempt's: setting the FiberRef there needs no restoring.
      return onLiveClock(untraced ? Effect.zipRight(disableTracer, self) : self, millis, onTimeout)
    }
    const inner = untraced ? Effect.withTracerEnabled(self, false) : self
    return Duration.isFinite(timeout) ? Effect.timeoutFail(inner, { duration: timeout, onTimeout }) : inner
  })

const disableTracer = FiberRef.set(FiberRef.currentTracerEnabled, false)

const onLiveClock = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E1
): Effect.Effect<A, E | E1, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.fork(restore(self)), (child) =>
      restore(
        Effect.async<A, E | E1>((resume) => {
          let timedOut = false
          const timer = setTimeout(() => {
            timedOut = true
            child.unsafeInterruptAsFork(FiberId.none)
          }, millis)
          const observer = (exit: Exit.Exit<A, E>) => {
            clearTimeout(timer)
            resume(timedOut && Exit.isInterrupted(exit) ? Effect.fail(onTimeout()) : exit)
          }
          child.addObserver(observer)
          // The caller was interrupted: stop the attempt too, and wait for it (its connection is closed).
          return Effect.suspend(() => {
            clearTimeout(timer)
            child.removeObserver(observer)
            return Effect.zipRight(child.interruptAsFork(FiberId.none), child.await)
          })
        })
      )
    )
  )
