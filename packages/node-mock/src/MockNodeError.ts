/**
 * The one error node-mock fails with: a bad configuration, a server that cannot listen, or a control call naming a
 * container that does not exist.
 *
 * @since 0.1.0
 */
import { Predicate, Schema } from "effect"

/**
 * The configuration could not be read or decoded. `message` is one line naming the field, e.g.
 * `containers[1].behavior.type: expected one of "echo" | "hello-world" | ..., got "ech0"`.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedClass<InvalidConfig>("InvalidConfig")("InvalidConfig", {
  /** Where the configuration came from: a file path, or `"options"` for an object passed in code. */
  source: Schema.String,
  /** The offending field as a path such as `containers[1].behavior.type`, when one can be named. */
  field: Schema.optionalWith(Schema.String, { exact: true }),
  /** What is wrong, in one line. */
  detail: Schema.String
}) {
  /** `<source>: <field>: <detail>`, one line. */
  get message(): string {
    return this.field === undefined ? `${this.source}: ${this.detail}` : `${this.source}: ${this.field}: ${this.detail}`
  }
}

/**
 * The HTTP server could not listen, e.g. the port is taken.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServeFailed extends Schema.TaggedClass<ServeFailed>("ServeFailed")("ServeFailed", {
  host: Schema.String,
  port: Schema.Number,
  /** The system's reason, e.g. `EADDRINUSE`. */
  detail: Schema.String
}) {
  get message(): string {
    return `Cannot listen on ${this.host}:${this.port}: ${this.detail}`
  }
}

/**
 * A control call named a container the mock does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownContainer extends Schema.TaggedClass<UnknownContainer>("UnknownContainer")("UnknownContainer", {
  container: Schema.String
}) {
  get message(): string {
    return `Unknown container "${this.container}"`
  }
}

/**
 * A control call to a node (`connectMockNode`, or a running node's control methods) could not be made or was
 * refused: the node is not reachable, its control API answered an error (e.g. `403` for a remote client without
 * `--control-open`), or the answer was not what the control API sends.
 *
 * @since 0.2.0
 * @category errors
 */
export class ControlFailed extends Schema.TaggedClass<ControlFailed>("ControlFailed")("ControlFailed", {
  url: Schema.String,
  status: Schema.optionalWith(Schema.Number, { exact: true }),
  detail: Schema.String
}) {
  get message(): string {
    return `Control request ${this.url} failed${this.status === undefined ? "" : ` (HTTP ${this.status})`}: ${this.detail}`
  }
}

/**
 * `waitForJob` or `waitForRequests` gave up: what it waited for had not happened within `timeoutMs`.
 *
 * @since 0.2.0
 * @category errors
 */
export class WaitTimedOut extends Schema.TaggedClass<WaitTimedOut>("WaitTimedOut")("WaitTimedOut", {
  waitingFor: Schema.String,
  timeoutMs: Schema.Number,
  last: Schema.String
}) {
  get message(): string {
    return `Timed out after ${this.timeoutMs} ms waiting for ${this.waitingFor} (last seen: ${this.last})`
  }
}

/**
 * Why a {@link MockNodeError} happened.
 *
 * @since 0.1.0
 * @category errors
 */
export const MockNodeErrorReason = Schema.Union(
  InvalidConfig,
  ServeFailed,
  UnknownContainer,
  ControlFailed,
  WaitTimedOut
)

/**
 * @since 0.1.0
 * @category errors
 */
export type MockNodeErrorReason = typeof MockNodeErrorReason.Type

/**
 * The error of every node-mock operation. `message` is the reason's one-line message; switch on `reason._tag` for
 * the details.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MockConfig } from "@infernet/node-mock"
 *
 * const program = MockConfig.decode({ containers: [{ id: "a", behavior: { type: "ech0" } }] }).pipe(
 *   Effect.catchTag("MockNodeError", (error) => Effect.logError(error.message))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class MockNodeError extends Schema.TaggedError<MockNodeError>("@infernet/node-mock/MockNodeError")(
  "MockNodeError",
  { reason: MockNodeErrorReason }
) {
  override get message(): string {
    return this.reason.message
  }
}

/**
 * Narrows an unknown value to a {@link MockNodeError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isMockNodeError = (u: unknown): u is MockNodeError => Predicate.isTagged(u, "MockNodeError")
