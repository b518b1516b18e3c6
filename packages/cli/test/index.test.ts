import { expect, it } from "@effect/vitest"
import * as Api from "../src/index.js"

it("pins the public API of @infernet/cli", () => {
  const api = Object.fromEntries(
    Object.entries(Api).map(([namespace, members]) => [namespace, Object.keys(members).sort()])
  )
  expect(api).toMatchInlineSnapshot(`
    {
      "Cli": [
        "command",
        "main",
        "run",
        "version",
      ],
      "CliError": [
        "ChainFailure",
        "CliError",
        "CliErrorReason",
        "ExitCode",
        "FileError",
        "JobFailed",
        "NodeRejected",
        "NodeUnhealthy",
        "NodeUnreachable",
        "StillRunning",
        "UsageError",
        "isCliError",
      ],
    }
  `)
})
