import { assert, describe, it } from "@effect/vitest"
import { pyRepr } from "../../src/internal/pyrepr.js"

describe("pyRepr", () => {
  it("prints JSON values as Python's repr() does", () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [null, "None"],
      [true, "True"],
      [false, "False"],
      [1, "1"],
      [-2.5, "-2.5"],
      [0.1, "0.1"],
      [1e-5, "1e-05"],
      [0.0001, "0.0001"],
      [1.5e16, "1.5e+16"],
      [123456789012345680000, "1.2345678901234568e+20"],
      [2n ** 70n, "1180591620717411303424"],
      ["plain", "'plain'"],
      ["it's", '"it\'s"'],
      ["both ' and \"", "'both \\' and \"'"],
      ["line\nbreak\ttab\\", "'line\\nbreak\\ttab\\\\'"],
      ["é ☕", "'é ☕'"],
      [[1, "a", [null]], "[1, 'a', [None]]"],
      [{ a: { b: [] }, "k'": {} }, `{'a': {'b': []}, "k'": {}}`]
    ]
    for (const [value, repr] of cases) assert.strictEqual(pyRepr(value), repr, String(value))
  })
})
