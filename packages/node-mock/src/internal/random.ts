// Seeded, reproducible randomness: sfc32 seeded from a SHA-256 of strings. Used for embeddings (seeded by the
// input), latency ranges and failure rates (seeded by the config's seed and the container id).
import { createHash } from "node:crypto"

export interface Prng {
  /** A float in [0, 1). */
  readonly next: () => number
}

export const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest()

export const fromSeed = (...parts: ReadonlyArray<string | number>): Prng => {
  const digest = sha256(parts.map(String).join("\u0000"))
  let a = digest.readUInt32LE(0)
  let b = digest.readUInt32LE(4)
  let c = digest.readUInt32LE(8)
  let d = digest.readUInt32LE(12)
  const next = () => {
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // Discard the first outputs: sfc32 mixes its state in the first few rounds.
  for (let i = 0; i < 12; i++) next()
  return { next }
}

/** A standard normal draw (Box-Muller). */
export const gaussian = (prng: Prng): number => {
  let u = 0
  while (u === 0) u = prng.next()
  const v = prng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** An index in [0, n). */
export const pick = (prng: Prng, n: number): number => Math.min(n - 1, Math.floor(prng.next() * n))
