// GCRA rate limiting per (route, client), as quart-rate-limiter does it on the real node: a burst of `limit`, then
// one request per `period / limit`. Times are epoch milliseconds from Effect's Clock, so TestClock drives it.

const EPSILON = 1e-6

export interface Limit {
  readonly limit: number
  readonly periodMs: number
}

export interface Decision {
  readonly allowed: boolean
  readonly headers: Readonly<Record<string, string>>
}

export class RateLimiter {
  // key -> theoretical arrival time (ms)
  private readonly tat = new Map<string, number>()

  check(key: string, rule: Limit, now: number): Decision {
    const inverse = rule.periodMs / rule.limit
    const tat = Math.max(this.tat.get(key) ?? now, now)
    const separation = tat - now
    const maxInterval = rule.periodMs - inverse
    // The epsilon absorbs float drift from summing `inverse` (e.g. 1000 / 7 ms).
    if (separation > maxInterval + EPSILON) {
      return {
        allowed: false,
        headers: {
          "retry-after": String(Math.trunc((separation - maxInterval) / 1000 + EPSILON)),
          ...this.limitHeaders(rule, tat, now)
        }
      }
    }
    const next = tat + inverse
    this.tat.set(key, next)
    return { allowed: true, headers: this.limitHeaders(rule, next, now) }
  }

  private limitHeaders(rule: Limit, tat: number, now: number): Record<string, string> {
    const inverse = rule.periodMs / rule.limit
    const ahead = tat - now
    return {
      "ratelimit-limit": String(rule.limit),
      "ratelimit-remaining": String(Math.max(0, Math.trunc((rule.periodMs - ahead) / inverse + EPSILON))),
      "ratelimit-reset": String(Math.ceil(ahead / 1000 - EPSILON))
    }
  }

  /** Every `(route|client)` key still ahead of `now`, with how far ahead (ms): what the inspector page shows. */
  entries(now: number): Array<{ readonly key: string; readonly ahead_ms: number }> {
    const out: Array<{ key: string; ahead_ms: number }> = []
    for (const [key, tat] of this.tat) if (tat > now) out.push({ key, ahead_ms: Math.round(tat - now) })
    return out
  }

  clear(): void {
    this.tat.clear()
  }
}
