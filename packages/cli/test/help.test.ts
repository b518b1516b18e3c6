// Help screens and command-line checks. Snapshots of `--help` for the root and every command (plain text, 80
// columns), each failing on a line wider than 80 columns or on filler; the root must fit one 80x40 terminal.
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { COMMANDS, NAME } from "../src/internal/commands.js"
import * as Flags from "../src/internal/flags.js"
import * as Help from "../src/internal/help.js"
import { columnsOf, useColor } from "../src/internal/Io.js"
import { VERSION } from "../src/internal/version.js"
import { runCli } from "./utils/cli.js"
import { runInProcess, type TestIoOptions } from "./utils/io.js"

/** What @effect/cli's generated help used to say about every option, and other padding that tells nothing. */
const FILLER = [
  "A user-defined piece of text",
  "This setting is optional",
  "A true or false value",
  "An integer.",
  "One of the following",
  "This option",
  "--wizard",
  "--log-level"
]

const run = (args: ReadonlyArray<string>, options: TestIoOptions = {}) => runInProcess(args, options)

const assertReadable = (text: string, width: number, label: string) => {
  const lines = text.trimEnd().split("\n")
  for (const line of lines) {
    assert.isAtMost(line.length, width, `${label}: a line over ${width} columns: ${JSON.stringify(line)}`)
    assert.strictEqual(line, line.trimEnd(), `${label}: trailing spaces: ${JSON.stringify(line)}`)
  }
  for (const phrase of FILLER) assert.notInclude(text, phrase, `${label}: filler`)
  assert.notInclude(text, "\u001b[", `${label}: ANSI codes in plain help`)
  return lines
}

// Only the program line names the version: an example address such as 10.0.0.7 must stay as it is.
const version = (text: string) => text.replaceAll(`infernet-client ${VERSION}`, "infernet-client <version>")

describe("help", () => {
  it.effect("infernet-client --help fits one 80x40 terminal: what it is, usage, grouped commands, global flags", () =>
    Effect.gen(function* () {
      const result = yield* run(["--help"])
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.stderr, "")
      const lines = assertReadable(result.stdout, 80, "--help")
      assert.isAtMost(lines.length, 40)
      assert.strictEqual(lines[0], `${NAME} ${VERSION}: ${Help.TAGLINE}`)
      const nameWidth = Math.max(...COMMANDS.map((spec) => spec.name.length))
      for (const spec of COMMANDS) {
        assert.isTrue(lines.includes(`  ${spec.name.padEnd(nameWidth)}  ${spec.summary}`), spec.name)
      }
      // Each global flag once, with the built-ins on one line.
      assert.strictEqual(result.stdout.split("--timeout SECONDS").length, 2)
      assert.include(result.stdout, "-h, --help | --version | --completions bash|zsh|fish")
      expect(version(result.stdout)).toMatchSnapshot()
      // Only groups with commands are shown, in order.
      const groups = lines.filter((line) => /^[A-Z][a-z]+:$/.test(line)).map((line) => line.slice(0, -1))
      assert.deepStrictEqual(groups, ["Node", "Jobs", "Subscriptions", "Network", "Wallet"])
    })
  )

  for (const spec of COMMANDS) {
    it.effect(`${spec.name} --help: usage, own flags one per line, examples, then the global flags`, () =>
      Effect.gen(function* () {
        const result = yield* run([spec.name, "--help"])
        assert.strictEqual(result.code, 0)
        const lines = assertReadable(result.stdout, 80, `${spec.name} --help`)
        const at = (heading: string) => lines.findIndex((line) => line.startsWith(heading))
        const order = ["Usage:", ...(spec.flags.length > 0 ? ["Flags:"] : []), "Example", "Global flags:"].map(at)
        assert.isTrue(
          order.every((index, i) => index > 0 && (i === 0 || index > order[i - 1]!)),
          `sections in order: ${order}`
        )
        // Every own flag on one line at 80 columns, with its notes.
        for (const doc of spec.flags) {
          const line = lines.find((l) => l.includes(`--${doc.name}${doc.arg === undefined ? "" : ` ${doc.arg}`}  `))
          assert.isDefined(line, `--${doc.name}`)
          for (const note of Help.notes(doc)) assert.include(line!, `[${note}]`, `--${doc.name}`)
        }
        // The global flags are one short block, not repeated in full.
        assert.isAtMost(lines.length - at("Global flags:"), 3)
        expect(version(result.stdout)).toMatchSnapshot()
      })
    )
  }

  it.effect("wraps to the given width; bold only when asked for", () =>
    Effect.gen(function* () {
      for (const spec of COMMANDS) {
        const narrow = yield* run([spec.name, "--help"], { columns: 50 })
        assertReadable(narrow.stdout, 50, `${spec.name} --help at 50 columns`)
      }
      const wide = yield* run(["sub", "--help"], { columns: 200 })
      assert.isTrue(wide.stdout.includes("--rpc_url http://some-rpc-url.com --key key-file.txt --params params.json"))
      const bold = yield* run(["job", "--help"], { stdoutColor: true })
      assert.include(bold.stdout, "\u001b[1mUsage:\u001b[22m")
    })
  )

  it("colour only on a terminal, never with NO_COLOR or TERM=dumb; width from COLUMNS, else the terminal, else 80", () => {
    assert.isTrue(useColor(true, {}))
    assert.isFalse(useColor(false, {}))
    assert.isFalse(useColor(true, { NO_COLOR: "1" }))
    assert.isTrue(useColor(true, { NO_COLOR: "" }))
    assert.isFalse(useColor(true, { TERM: "dumb" }))
    assert.strictEqual(columnsOf(undefined, undefined), 80)
    assert.strictEqual(columnsOf(undefined, 120), 120)
    assert.strictEqual(columnsOf("100", 120), 100)
    assert.strictEqual(columnsOf("nonsense", undefined), 80)
    assert.strictEqual(columnsOf("10", undefined), 40)
  })

  it.effect("help <command> is <command> --help; -h too", () =>
    Effect.gen(function* () {
      const a = yield* run(["help", "results"])
      const b = yield* run(["results", "-h"])
      assert.strictEqual(a.stdout, b.stdout)
      assert.include(a.stdout, "Usage: infernet-client results --id ID... [flags]")
    })
  )
})

describe("the command line is checked against the descriptors", () => {
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["reslts"], 'error: unknown command "reslts"; did you mean `results`? (see: infernet-client --help)'],
    [["jbo"], 'error: unknown command "jbo"; did you mean `job`? (see: infernet-client --help)'],
    [["frobnicate"], 'error: unknown command "frobnicate" (see: infernet-client --help)'],
    [
      ["job", "--sycn", "-c", "echo"],
      "error: unknown flag --sycn for job; did you mean `--sync`? (see: infernet-client job --help)"
    ],
    [["--urll", "x", "info"], "error: unknown flag --urll; did you mean `--url`? (see: infernet-client --help)"],
    [["info", "--wizard"], "error: unknown flag --wizard for info (see: infernet-client info --help)"],
    [["--log-level", "debug", "info"], "error: unknown flag --log-level (see: infernet-client --help)"],
    [["job", "-c", "a", "--retries", "abc"], 'error: --retries: expected an integer, got "abc"'],
    [
      ["ids", "--status", "complete"],
      'error: --status: expected one of all, pending, completed, got "complete"; did you mean `completed`?'
    ],
    [["info", "extra"], 'error: unexpected argument "extra" (see: infernet-client info --help)']
  ]
  for (const [args, message] of cases) {
    it.effect(`${args.join(" ")}: exit code 2, one line`, () =>
      Effect.gen(function* () {
        const result = yield* run(args)
        assert.strictEqual(result.code, 2)
        assert.strictEqual(result.stderr, `${message}\n`)
        assert.strictEqual(result.stdout, "")
      })
    )
  }

  it("closest: edits, transpositions, unique prefixes", () => {
    assert.strictEqual(Help.closest("reslts", ["results", "resources"]), "results")
    assert.strictEqual(Help.closest("chek-model", ["check-model", "job"]), "check-model")
    assert.strictEqual(Help.closest("--requires", ["--requires-proof", "--retries"]), "--requires-proof")
    assert.isUndefined(Help.closest("xyz", ["job", "ids"]))
  })

  it("values of flags are not mistaken for commands or flags", () => {
    const globals = Object.values(Flags.global).map((flag) => flag.doc)
    assert.deepStrictEqual(Help.check(NAME, ["--url", "http://x", "info"], COMMANDS, globals), { _tag: "Run" })
    assert.deepStrictEqual(Help.check(NAME, ["job", "-c", "a", "-i", "-"], COMMANDS, globals), { _tag: "Run" })
    assert.deepStrictEqual(
      Help.check(NAME, ["sub", "-p", "p.json", "--nonce", "-1", "--expiry", "1"], COMMANDS, globals),
      {
        _tag: "Run"
      }
    )
    assert.deepStrictEqual(Help.check(NAME, ["--url=http://x", "info", "--json"], COMMANDS, globals), { _tag: "Run" })
  })
})

describe("help from the built binary", () => {
  it("is plain text when piped, wraps to COLUMNS", async () => {
    const piped = await runCli(["job", "--help"])
    assert.strictEqual(piped.code, 0)
    assertReadable(piped.stdout, 80, "piped")
    const wide = await runCli(["sub", "--help"], { env: { COLUMNS: "200" } })
    assert.include(wide.stdout, "--rpc_url http://some-rpc-url.com --key key-file.txt --params params.json")
    const version = await runCli(["--version"])
    assert.strictEqual(version.stdout, `${VERSION}\n`)
  })
})
