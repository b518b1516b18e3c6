import { assert, describe, it } from "@effect/vitest"
import * as CliError from "../src/CliError.js"

describe("CliError", () => {
  it("maps every reason to its documented exit code and message", () => {
    const cases: ReadonlyArray<readonly [CliError.CliErrorReason, number, string]> = [
      [new CliError.UsageError({ detail: "missing --id" }), 2, "missing --id"],
      [
        new CliError.NodeUnreachable({ url: "http://127.0.0.1:9", detail: "connection refused" }),
        3,
        "cannot reach the node at http://127.0.0.1:9: connection refused"
      ],
      [
        new CliError.NodeRejected({ status: 405, detail: "Container not supported (container: x)" }),
        4,
        "the node rejected the request (HTTP 405): Container not supported (container: x)"
      ],
      [new CliError.NodeRejected({ detail: "no such job: a" }), 4, "the node rejected the request: no such job: a"],
      [new CliError.JobFailed({ id: "j", detail: "container c: boom" }), 1, "job j failed: container c: boom"],
      [new CliError.NodeUnhealthy({ url: "http://n" }), 1, "the node at http://n is not healthy"],
      [
        new CliError.FileError({ path: "in.json", line: 3, column: 7, detail: "invalid JSON: x" }),
        5,
        "in.json:3:7: invalid JSON: x"
      ],
      [new CliError.FileError({ path: "out.json", detail: "cannot write" }), 5, "out.json: cannot write"],
      [new CliError.ChainFailure({ detail: "RPC call eth_chainId failed" }), 6, "RPC call eth_chainId failed"],
      [
        new CliError.StillRunning({ id: "j", attempts: 20 }),
        7,
        "job j is still running after 20 checks; raise --retries, or fetch it later with: infernet-client results --id j"
      ],
      [
        new CliError.TransactionMaybeSent({ functionName: "fund", hash: "0xab", detail: "no receipt within 60 s" }),
        8,
        "the fund transaction 0xab may be on chain (no receipt within 60 s); check it with `infernet-client tx --hash " +
          "0xab` before running the command again, which would pay twice"
      ],
      [
        new CliError.TransactionMaybeSent({ functionName: "approve", detail: "the RPC failed after it was sent: x" }),
        8,
        "the approve transaction may be on chain (the RPC failed after it was sent: x); its hash is unknown (the node " +
          "signed it): check the sender's latest transactions before running the command again, which would pay twice"
      ]
    ]
    for (const [reason, code, message] of cases) {
      const error = new CliError.CliError({ reason })
      assert.strictEqual(error.exitCode, code, reason._tag)
      assert.strictEqual(error.message, message)
      assert.isTrue(CliError.isCliError(error))
    }
    assert.isFalse(CliError.isCliError(new Error("x")))
  })

  it("has distinct exit codes per class", () => {
    const codes = Object.values(CliError.ExitCode)
    assert.strictEqual(new Set(codes).size, codes.length)
  })
})
