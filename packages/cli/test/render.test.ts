import { ValidationError } from "@effect/cli"
import * as HelpDoc from "@effect/cli/HelpDoc"
import { assert, describe, it } from "@effect/vitest"
import { Cause } from "effect"
import * as CliError from "../src/CliError.js"
import * as Render from "../src/internal/render.js"

const usage = new CliError.CliError({ reason: new CliError.UsageError({ detail: "Expected to find option: '--id'" }) })

describe("render", () => {
  it("prints one line, coloured only when asked", () => {
    assert.strictEqual(
      Render.renderError(usage, { color: false, verbose: false }),
      "error: Expected to find option: '--id'\n"
    )
    assert.strictEqual(
      Render.renderError(usage, { color: true, verbose: false }),
      "\u001b[31merror:\u001b[39m Expected to find option: '--id'\n"
    )
  })

  it("adds the cause, with its stack, only with --verbose", () => {
    const cause = new Error("connect ECONNREFUSED 127.0.0.1:1")
    const error = new CliError.CliError({
      reason: new CliError.NodeUnreachable({ url: "http://127.0.0.1:1", detail: "connection refused" }),
      cause
    })
    const quiet = Render.renderError(error, { color: false, verbose: false })
    assert.strictEqual(quiet, "error: cannot reach the node at http://127.0.0.1:1: connection refused\n")
    const loud = Render.renderError(error, { color: false, verbose: true })
    assert.isTrue(loud.startsWith(quiet))
    assert.include(loud, "connect ECONNREFUSED 127.0.0.1:1")
    assert.include(loud, "render.test.ts") // the stack
  })

  it("turns a parser error into a usage error pointing at the command's help", () => {
    const error = Render.fromValidationError(
      ValidationError.missingValue(HelpDoc.p("Expected to find option: '--containers'")),
      "infernet-client job"
    )
    assert.strictEqual(error.exitCode, 2)
    assert.strictEqual(error.message, "Expected to find option: '--containers' (see: infernet-client job --help)")
  })

  it("flattens multi-line help text and strips ANSI codes", () => {
    assert.strictEqual(Render.oneLine("\u001b[1mfirst\u001b[0m\n\n  second  \n"), "first second")
  })

  it("reports a defect as an internal error, with the trace only when verbose", () => {
    const cause = Cause.die(new TypeError("x is not a function"))
    const quiet = Render.renderDefect(cause, { color: false, verbose: false })
    assert.isTrue(quiet.startsWith("error: internal error: x is not a function\nRun again with --verbose"))
    assert.notInclude(quiet, "    at ")
    assert.include(Render.renderDefect(cause, { color: false, verbose: true }), "TypeError: x is not a function")
  })
})
