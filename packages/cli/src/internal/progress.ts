// A one-line progress indicator on stderr for long waits (`job --sync`, the start of `stream`). Only drawn when stderr
// is a terminal, so piped and redirected runs stay clean; the line is erased when the wait ends (or is interrupted).
import { Clock, Duration, Effect, Fiber, Schedule } from "effect"
import { Io } from "./Io.js"

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const

/** ANSI: carriage return and erase the whole line. @internal */
export const CLEAR_LINE = "\r\u001b[2K"

/** The interval between two frames. @internal */
export const INTERVAL = Duration.millis(100)

/** `1.2s`, `12s`, `2m05s`. @internal */
export const formatElapsed = (millis: number): string => {
  const seconds = millis / 1000
  if (seconds < 10) return `${seconds.toFixed(1)}s`
  if (seconds < 60) return `${Math.floor(seconds)}s`
  const m = Math.floor(seconds / 60)
  const s = Math.floor(seconds % 60)
  return `${m}m${String(s).padStart(2, "0")}s`
}

/** One frame of the indicator. @internal */
export const frame = (tick: number, label: string, elapsedMillis: number): string =>
  `${CLEAR_LINE}${FRAMES[tick % FRAMES.length]} ${label} ${formatElapsed(elapsedMillis)}`

/**
 * Runs `effect` while drawing `label` with a spinner and the elapsed time on stderr (terminals only).
 *
 * @internal
 */
export const withProgress =
  (label: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Io> =>
    Effect.flatMap(Io, (io) => {
      if (!io.stderr.isTTY) return effect
      return Effect.gen(function* () {
        const start = yield* Clock.currentTimeMillis
        let tick = 0
        const draw = Effect.flatMap(Clock.currentTimeMillis, (now) =>
          io.stderr.write(frame(tick++, label, now - start))
        )
        // The first frame is drawn after one interval: quick answers never flash a spinner.
        const spinner = yield* Effect.forkDaemon(
          Effect.sleep(INTERVAL).pipe(Effect.zipRight(Effect.repeat(draw, Schedule.spaced(INTERVAL))))
        )
        return yield* effect.pipe(
          Effect.ensuring(
            Effect.zipRight(
              Fiber.interrupt(spinner),
              Effect.suspend(() => (tick > 0 ? io.stderr.write(CLEAR_LINE) : Effect.void))
            )
          )
        )
      })
    })
