// Usage errors in the CLI's own words, from the built binary: a required flag left out, a flag without a value or
// with an empty one, a bad amount (exit code 2, before any RPC); --retries' help no longer shows a duration as a count's default; `-n` as in the
// Python client (--node for job/results/stream, --count for find) and `find --help` saying so.
import { assert, describe, it } from "@effect/vitest"
import { COMMANDS, NAME } from "../src/internal/commands.js"
import * as Flags from "../src/internal/flags.js"
import * as Help from "../src/internal/help.js"
import { runCli } from "./utils/cli.js"

const WALLET = "0x0000000000000000000000000000000000000001"

/** Exit code and the whole stderr of a run that must fail before doing anything. */
const usage = async (args: ReadonlyArray<string>) => {
  const result = await runCli(args, { env: { RPC_URL: "http://127.0.0.1:9", SERVER_URL: "http://127.0.0.1:9" } })
  assert.strictEqual(result.stdout, "")
  return [result.code, result.stderr]
}

describe("usage errors from the built binary: one line, exit code 2", () => {
  it("a required flag left out names the flag and what it is for", async () => {
    assert.deepStrictEqual(await usage(["job"]), [
      2,
      "error: missing -c/--containers IDS: containers to run, in order: a,b or -c a -c b (see: infernet-client job --help)\n"
    ])
    assert.deepStrictEqual(await usage(["results"]), [
      2,
      "error: missing --id ID: a job id; repeat for several (see: infernet-client results --help)\n"
    ])
    assert.deepStrictEqual(await usage(["fund", "-w", WALLET]), [
      2,
      "error: missing -a/--amount AMOUNT: 100 (wei), '1 ether', '100 gwei', '2 USDC' (see: infernet-client fund --help)\n"
    ])
  })

  it("a flag without a value, or with an empty one", async () => {
    assert.deepStrictEqual(await usage(["job", "-c"]), [
      2,
      "error: -c/--containers needs a value: -c IDS (see: infernet-client job --help)\n"
    ])
    assert.deepStrictEqual(await usage(["job", "-c", ""]), [
      2,
      "error: -c/--containers: expected IDS, got an empty value (see: infernet-client job --help)\n"
    ])
    assert.deepStrictEqual(await usage(["find", "--containers="]), [
      2,
      "error: -c/--containers: expected IDS, got an empty value (see: infernet-client find --help)\n"
    ])
    assert.deepStrictEqual(await usage(["job", "-c", "hello-world", "-i"]), [
      2,
      "error: -i/--input needs a value: -i FILE (see: infernet-client job --help)\n"
    ])
    assert.deepStrictEqual(await usage(["--url"]), [
      2,
      "error: --url needs a value: --url URL (see: infernet-client --help)\n"
    ])
    // nothing of @effect/cli's own wording is left
    for (const args of [["job"], ["job", "-c"], ["job", "-c", " "], ["find"], ["find", "-n"]]) {
      const [, stderr] = await usage(args)
      assert.notMatch(String(stderr), /Expected at least|Expected a value|Received unknown/, args.join(" "))
    }
  })

  it("a bad amount is a usage error before any RPC, and a key-shaped value is not echoed", async () => {
    assert.deepStrictEqual(await usage(["fund", "-w", WALLET, "-a", "one ether", "-pk", "0x1234"]), [
      2,
      'error: --amount: "one ether" is not an amount: write an integer of smallest units (100), a decimal of whole ' +
        "tokens (1.5), or a number and a unit (1 ether, 100 gwei, 2 USDC)\n"
    ])
    const [code, negative] = await usage(["withdraw", "-w", WALLET, "-a", "-1"])
    assert.strictEqual(code, 2)
    assert.include(negative, 'error: --amount: "-1" is not an amount')
    const [, hex] = await usage(["approve", "-w", WALLET, "-s", WALLET, "-a", `${"ab".repeat(32)}`])
    assert.include(hex, "error: --amount: this value is not an amount")
    assert.notInclude(hex, "abab")
  })
})

describe("help says what the flags mean", () => {
  it("--retries shows no duration as a count's default", async () => {
    const retries = COMMANDS.find((c) => c.name === "job")!.flags.find((f) => f.name === "retries")!
    assert.isUndefined(retries.default)
    const help = await runCli(["job", "--help"])
    assert.include(help.stdout, "      --retries N       With --sync: give up after N checks (else after 60 s)\n")
    assert.notInclude(help.stdout, "[default: 60 s]")
  })

  it("-n is --node for job, results and stream, --count for find, as in the Python client; find --help says so", async () => {
    const short = (command: string) =>
      COMMANDS.find((c) => c.name === command)!.flags.find((f) => f.short === "n")?.name
    assert.deepStrictEqual(["job", "results", "stream", "find"].map(short), ["node", "node", "node", "count"])
    const globals = Object.values(Flags.global).map((flag) => flag.doc)
    assert.deepStrictEqual(Help.check(NAME, ["find", "-c", "a", "-n", "5"], COMMANDS, globals), { _tag: "Run" })
    const help = await runCli(["find", "--help"], { env: { COLUMNS: "200" } })
    assert.include(
      help.stdout,
      "-n is --count here, as in the Python client; for job, results and stream, -n is --node."
    )
  })
})
