import { assert, describe, it } from "@effect/vitest"
import { NodeClientError } from "@infernet/client"
import { Duration, Schema } from "effect"
import { Job } from "@infernet/types"
import * as Errors from "../src/internal/errors.js"

const URL = "http://127.0.0.1:4000"
const map = (reason: NodeClientError.Reason) =>
  Errors.fromNodeClientError(new NodeClientError.NodeClientError({ method: "requestJob", reason }), URL)

describe("errors", () => {
  it("maps every NodeClientError reason to an exit code and one readable line", () => {
    const failed = Schema.decodeUnknownSync(Job.JobResult)({
      id: "29dd2f8b-05c3-4b1c-a103-370c04c6850f",
      status: "failed",
      result: { container: "fail", error: "boom" }
    })
    const cases: ReadonlyArray<readonly [NodeClientError.Reason, number, string]> = [
      [
        new NodeClientError.TransportError({ url: `${URL}/info`, detail: "connection refused" }),
        3,
        `cannot reach the node at ${URL}: connection refused. Is the node running? Set its URL with --url or SERVER_URL.`
      ],
      [
        new NodeClientError.Timeout({ url: `${URL}/info`, timeout: Duration.seconds(2) }),
        3,
        `cannot reach the node at ${URL}: no answer within 2s (raise it with --timeout SECONDS)`
      ],
      [
        new NodeClientError.StreamIdle({ url: `${URL}/api/jobs/stream`, idleTimeout: Duration.seconds(60) }),
        3,
        `cannot reach the node at ${URL}: the stream sent nothing for 1m; the job may still finish (see \`results --id\`)`
      ],
      [
        new NodeClientError.RateLimited({ url: `${URL}/api/jobs`, retryAfter: Duration.seconds(3) }),
        3,
        `cannot reach the node at ${URL}: the node is rate limiting this client (HTTP 429); retry after 3s`
      ],
      [
        new NodeClientError.ApiError({ status: 405, error: "Container not supported", params: { container: "x" } }),
        4,
        "the node rejected the request (HTTP 405): Container not supported (container: x)"
      ],
      [
        new NodeClientError.UnexpectedResponse({
          url: `${URL}/x/info`,
          status: 404,
          body: "<html>\n<h1>Not Found</h1></html>",
          detail: "not JSON"
        }),
        4,
        `the node rejected the request (HTTP 404): unexpected answer from ${URL}/x/info: not JSON (body: "<html> <h1>Not Found</h1></html>"). Is ${URL} an Infernet node?`
      ],
      [new NodeClientError.JobFailed({ result: failed }), 1, `job ${failed.id} failed: container fail: boom`],
      [
        new NodeClientError.JobNotFound({ id: "a" }),
        4,
        "the node rejected the request: the node does not know job a (unknown id, or created from another address)"
      ],
      [
        new NodeClientError.StillRunning({ id: "a", attempts: 3 }),
        7,
        "job a is still running after 3 checks; raise --retries, or fetch it later with: infernet-client results --id a"
      ],
      [new NodeClientError.SubscriptionError({ detail: "bad" }), 6, "bad"]
    ]
    for (const [reason, code, message] of cases) {
      const error = map(reason)
      assert.strictEqual(error.exitCode, code, reason._tag)
      assert.strictEqual(error.message, message, reason._tag)
      assert.isDefined(error.cause, "the original error is kept for --verbose")
    }
  })

  it("describes the node's params compactly", () => {
    assert.strictEqual(Errors.describeApiError("No containers specified", {}), "No containers specified")
    assert.strictEqual(
      Errors.describeApiError("Container not allowed for address", { container: "c", address: "1.2.3.4", n: [1] }),
      "Container not allowed for address (container: c, address: 1.2.3.4, n: [1])"
    )
  })
})
