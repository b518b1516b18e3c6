import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Job, Json } from "@infernet/types"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type * as CliError from "../src/CliError.js"
import * as Input from "../src/internal/input.js"
import { makeTestIo } from "./utils/io.js"

const dir = mkdtempSync(join(tmpdir(), "infernet-cli-input-"))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const failure = <A>(result: Either.Either<A, CliError.CliError>) => {
  assert.isTrue(Either.isLeft(result), "expected a failure")
  const error = (result as Either.Left<CliError.CliError, A>).left
  return { message: error.message, exitCode: error.exitCode, reason: error.reason }
}

describe("input", () => {
  it.effect("parses big integers exactly", () =>
    Effect.gen(function* () {
      const value = yield* Input.parseJson(
        '{"r": 115792089237316195423570985008687907853269984665640564039457584007913129639935}',
        "x.json"
      )
      assert.deepStrictEqual(value, { r: 2n ** 256n - 1n })
    })
  )

  it.effect("reports a syntax error with the file, line and column", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(Input.parseJson('{\n  "model": "gpt",\n  "params": {,}\n}', "input.json"))
      const f = failure(result)
      assert.strictEqual(f.exitCode, 5)
      assert.strictEqual(f.message, "input.json:3:14: invalid JSON: expected a property name in double quotes, got ','")
      assert.include(f.reason, { _tag: "FileError", path: "input.json", line: 3, column: 14 })
    })
  )

  it.effect("keeps positions exact in files with big integers", () =>
    Effect.gen(function* () {
      const f = failure(yield* Effect.either(Input.parseJson('{"r": 12345678901234567890123, "s": }', "sig.json")))
      assert.strictEqual(f.message, "sig.json:1:37: invalid JSON: unexpected '}': expected a value")
    })
  )

  it.effect("ignores a byte order mark and refuses empty input", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* Input.parseJson('\uFEFF{"a": 1}', "bom.json"), { a: 1 })
      assert.strictEqual(
        failure(yield* Effect.either(Input.parseJson(" \n", "empty.json"))).message,
        "empty.json: is empty: expected JSON"
      )
    })
  )

  it.effect("reads a file and decodes it", () =>
    Effect.gen(function* () {
      const path = file("data.json", '{"prompt": "hi"}')
      const value = yield* Input.readJson(Option.some(path), Json.JsonObject, "the job's data")
      assert.deepStrictEqual(value, { prompt: "hi" })
    }).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, makeTestIo().layer)))
  )

  it.effect("names a missing file", () =>
    Effect.gen(function* () {
      const path = join(dir, "nope.json")
      const f = failure(yield* Effect.either(Input.readJson(Option.some(path), Json.JsonObject, "data")))
      assert.strictEqual(f.message, `${path}: cannot read: no such file`)
      assert.strictEqual(f.exitCode, 5)
    }).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, makeTestIo().layer)))
  )

  it.effect("rejects the wrong shape with the JSON path", () =>
    Effect.gen(function* () {
      const path = file("array.json", "[1, 2]")
      const f = failure(
        yield* Effect.either(Input.readJson(Option.some(path), Json.JsonObject, "the job's data (a JSON object)"))
      )
      assert.strictEqual(f.message, `${path}: expected the job's data (a JSON object), got an array`)
      const nested = file("requests.json", '[{"containers": ["a"], "data": 1}]')
      const g = failure(
        yield* Effect.either(
          Input.readJson(Option.some(nested), Schema.Array(Job.JobRequest), "an array of job requests")
        )
      )
      assert.match(g.message, /requests\.json: expected an array of job requests: 0\.data: /)
    }).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, makeTestIo().layer)))
  )

  it.effect("reads stdin for '-' and for no flag, hinting only on a terminal", () => {
    const piped = makeTestIo({ stdin: '{"from": "stdin"}' })
    const terminal = makeTestIo({ stdin: '{"from": "tty"}', stdinTTY: true })
    return Effect.gen(function* () {
      assert.deepStrictEqual(
        yield* Input.readJson(Option.some("-"), Json.JsonObject, "data").pipe(Effect.provide(piped.layer)),
        { from: "stdin" }
      )
      assert.strictEqual(piped.stderr(), "")
      assert.deepStrictEqual(
        yield* Input.readJson(Option.none(), Json.JsonObject, "data").pipe(Effect.provide(terminal.layer)),
        { from: "tty" }
      )
      assert.include(terminal.stderr(), "Reading data as JSON from stdin")
      const bad = makeTestIo({ stdin: "{" })
      const f = failure(
        yield* Effect.either(Input.readJson(Option.none(), Json.JsonObject, "data").pipe(Effect.provide(bad.layer)))
      )
      assert.strictEqual(
        f.message,
        "<stdin>:1:2: invalid JSON: unexpected end of input: expected a property name or '}'"
      )
    }).pipe(Effect.provide(NodeFileSystem.layer))
  })
})
