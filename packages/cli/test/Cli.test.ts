// In-process runs of the command tree with a fake terminal (`Io`), against node-mock over real loopback HTTP: the
// terminal-dependent behaviour the spawned binary cannot show (pretty output, colours, progress, stream newline).
// `it.live`: these talk to a real server and the client polls on the real clock; the timing logic itself (the
// progress indicator) is tested under TestClock in progress.test.ts.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { Effect } from "effect"
import * as Cli from "../src/Cli.js"
import { CLEAR_LINE } from "../src/internal/progress.js"
import { runInProcess, type TestIoOptions } from "./utils/io.js"
import { startTestNode } from "./utils/mock.js"

let node: RunningMockNode
beforeAll(async () => {
  node = await startTestNode()
  await node.setBehavior("echo", { type: "echo", latency_ms: 400 })
})
afterAll(() => node.close())

const run = (args: ReadonlyArray<string>, options: TestIoOptions = {}) =>
  runInProcess(args, options, { SERVER_URL: node.url })

describe("Cli (in process)", () => {
  it.live("JSON is indented on a terminal, compact with --json", () =>
    Effect.gen(function* () {
      const pretty = yield* run(["ids", "--status", "pending"], { stdoutTTY: true })
      assert.strictEqual(pretty.code, 0)
      const compact = yield* run(["info", "--json"], { stdoutTTY: true })
      assert.isFalse(compact.stdout.trimEnd().includes("\n"))
      const info = yield* run(["info"], { stdoutTTY: true })
      assert.isTrue(info.stdout.startsWith('{\n  "version"'))
    })
  )

  it.live("--sync draws progress on a terminal's stderr, erases it, and prints the output", () =>
    Effect.gen(function* () {
      const result = yield* run(["job", "-c", "echo", "--sync"], { stderrTTY: true, stdin: '{"a": 1}' })
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(result.stdout, '{"a":1}\n')
      const frames = result.writes.stderr
      assert.isAbove(frames.length, 1)
      assert.isTrue(frames[0]!.startsWith(CLEAR_LINE))
      assert.match(frames[0]!.slice(CLEAR_LINE.length), /^. waiting for job [0-9a-f-]{36} \d\.\ds$/)
      assert.strictEqual(frames.at(-1), CLEAR_LINE)
    })
  )

  it.live("no progress when stderr is not a terminal", () =>
    Effect.gen(function* () {
      const result = yield* run(["job", "-c", "echo", "--sync"], { stderrTTY: false, stdin: '{"a": 1}' })
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.stderr, "")
    })
  )

  it.live("stream ends the terminal's last line, and only on a terminal", () =>
    Effect.gen(function* () {
      const tty = yield* run(["stream", "-c", "openai-inference-streaming-0.0.1"], { stdoutTTY: true, stdin: "{}" })
      assert.strictEqual(tty.code, 0, tty.stderr)
      assert.isTrue(tty.stdout.endsWith("\n"), JSON.stringify(tty.stdout.slice(-20)))
      assert.isAbove(tty.writes.stdout.length, 3, "written as it arrives, chunk by chunk")
      const piped = yield* run(["stream", "-c", "openai-inference-streaming-0.0.1"], { stdin: "{}" })
      assert.isFalse(piped.stdout.endsWith("\n"))
    })
  )

  it.live("errors are red on a colour terminal", () =>
    Effect.gen(function* () {
      const result = yield* run(["job", "-c", "nope"], { color: true, stdin: "{}" })
      assert.strictEqual(result.code, 4)
      assert.isTrue(result.stderr.startsWith("\u001b[31merror:\u001b[39m the node rejected the request (HTTP 405)"))
    })
  )

  it.live("help is plain text when stdout is not a terminal", () =>
    Effect.gen(function* () {
      const plain = yield* run(["job", "--help"])
      assert.notInclude(plain.stdout, "\u001b[")
      assert.include(plain.stdout, "Example")
      const tty = yield* run(["job", "--help"], { stdoutTTY: true, stdoutColor: true })
      assert.include(tty.stdout, "\u001b[")
    })
  )

  it("exposes the command tree and the version", () => {
    assert.strictEqual(Cli.version, Cli.version.trim())
    assert.isTrue(Cli.command !== undefined)
  })
})
