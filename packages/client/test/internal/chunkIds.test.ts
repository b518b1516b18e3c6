import { assert, describe, it } from "@effect/vitest"
import { chunkIds } from "../../src/internal/chunkIds.js"

// A small deterministic PRNG, so failures reproduce.
const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const alphabet = "abcdef0123456789-& =é/?%+"
const urlLength = (prefixLength: number, group: ReadonlyArray<string>) =>
  prefixLength + new URLSearchParams(group.map((id) => ["id", id] as [string, string])).toString().length

describe("chunkIds", () => {
  it("keeps order, loses nothing, and every group's URL fits (random ids and limits)", () => {
    const random = mulberry32(42)
    for (let run = 0; run < 500; run++) {
      const count = Math.floor(random() * 60)
      const ids = Array.from({ length: count }, () =>
        Array.from(
          { length: 1 + Math.floor(random() * 40) },
          () => alphabet[Math.floor(random() * alphabet.length)]
        ).join("")
      )
      const prefix = 20 + Math.floor(random() * 40)
      const max = prefix + 10 + Math.floor(random() * 400)
      const groups = chunkIds(prefix, ids, max)
      assert.deepStrictEqual(groups.flat(), ids)
      for (const group of groups) {
        assert.isAbove(group.length, 0)
        if (group.length > 1) assert.isAtMost(urlLength(prefix, group), max)
      }
      // Greedy: the next group's first id would not have fitted in the previous group.
      for (let i = 1; i < groups.length; i++) {
        assert.isAbove(urlLength(prefix, [...groups[i - 1]!, groups[i]![0]!]), max)
      }
    }
  })

  it("an id too long for any URL gets a group of its own", () => {
    assert.deepStrictEqual(chunkIds(30, ["a", "x".repeat(100), "b"], 60), [["a"], ["x".repeat(100)], ["b"]])
  })

  it("UUIDs: 2000-character URLs hold about 49 ids", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)
    const prefix = "http://localhost:4000/api/jobs?".length
    assert.deepStrictEqual(
      chunkIds(prefix, ids, 2000).map((g) => g.length),
      [49, 49, 2]
    )
  })
})
