import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Stream } from "effect"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Output from "../src/internal/output.js"
import { makeTestIo } from "./utils/io.js"

const dir = mkdtempSync(join(tmpdir(), "infernet-cli-output-"))
const value = { id: "x", r: 2n ** 255n, nested: { list: [1, "two"] } }

describe("output", () => {
  it("formats JSON compact or indented, big integers exact", () => {
    assert.strictEqual(
      Output.formatJson(value, false),
      '{"id":"x","r":57896044618658097711785492504343953926634992332820282019728792003956564819968,"nested":{"list":[1,"two"]}}\n'
    )
    assert.strictEqual(Output.formatJson([1], true), "[\n  1\n]\n")
  })

  it("is pretty on a terminal unless --json, and with --pretty anywhere", () => {
    const base = { json: false, pretty: false, file: Option.none<string>() }
    assert.isTrue(Output.isPretty(base, true))
    assert.isFalse(Output.isPretty(base, false))
    assert.isFalse(Output.isPretty({ ...base, json: true }, true))
    assert.isTrue(Output.isPretty({ ...base, pretty: true }, false))
  })

  it.effect("writes to stdout according to the terminal", () => {
    const tty = makeTestIo({ stdoutTTY: true })
    const pipe = makeTestIo()
    return Effect.gen(function* () {
      yield* Output.json(Output.stdoutOnly, { a: [1] }).pipe(Effect.provide(tty.layer))
      yield* Output.json(Output.stdoutOnly, { a: [1] }).pipe(Effect.provide(pipe.layer))
      assert.strictEqual(tty.stdout(), '{\n  "a": [\n    1\n  ]\n}\n')
      assert.strictEqual(pipe.stdout(), '{"a":[1]}\n')
      yield* Output.text(Output.stdoutOnly, "29dd2f8b-05c3-4b1c-a103-370c04c6850f").pipe(Effect.provide(pipe.layer))
      assert.strictEqual(pipe.stdout(), '{"a":[1]}\n29dd2f8b-05c3-4b1c-a103-370c04c6850f\n')
    }).pipe(Effect.provide(NodeFileSystem.layer))
  })

  it.effect("writes -o FILE (compact unless --pretty) and nothing to stdout", () => {
    const io = makeTestIo({ stdoutTTY: true })
    const path = join(dir, "out.json")
    return Effect.gen(function* () {
      yield* Output.json({ json: false, pretty: false, file: Option.some(path) }, value)
      assert.strictEqual(readFileSync(path, "utf8"), Output.formatJson(value, false))
      yield* Output.json({ json: false, pretty: true, file: Option.some(path) }, [1])
      assert.strictEqual(readFileSync(path, "utf8"), "[\n  1\n]\n")
      assert.strictEqual(io.stdout(), "")
    }).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, io.layer)))
  })

  it.effect("fails with exit code 5 when the output file cannot be written", () =>
    Effect.gen(function* () {
      const path = join(dir, "missing-dir", "out.json")
      const result = yield* Effect.either(Output.json({ json: false, pretty: false, file: Option.some(path) }, 1))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left.exitCode, 5)
        assert.strictEqual(result.left.message, `${path}: cannot write: no such file`)
      }
    }).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, makeTestIo().layer)))
  )

  it.effect("streams bytes to a file", () =>
    Effect.gen(function* () {
      const path = join(dir, "stream.txt")
      const encoder = new TextEncoder()
      yield* Output.streamToFile(path, Stream.make(encoder.encode("a subset "), encoder.encode("of ML")))
      assert.strictEqual(readFileSync(path, "utf8"), "a subset of ML")
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
