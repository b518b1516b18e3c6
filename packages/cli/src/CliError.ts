/**
 * The one error type of `@infernet/cli`: every way a command can fail, each with the process exit code it maps to.
 * The CLI prints {@link CliError.message} as one line on stderr and exits with {@link CliError.exitCode}.
 *
 * @since 0.1.0
 */
import { Predicate, Schema } from "effect"

/**
 * The exit codes of `infernet-client`, one per class of failure, so scripts can tell them apart.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the job failed (`job --sync`, `stream`), or the node is unhealthy (`health`) |
 * | 2 | usage error: unknown command, missing or invalid flag |
 * | 3 | node unreachable: connection refused, timeout, rate limited |
 * | 4 | the node rejected the request (its message and params are shown) or answered something unexpected |
 * | 5 | input or output file error: missing, unreadable, invalid JSON (with line and column), wrong shape |
 * | 6 | signing or RPC error (`sub`) |
 * | 7 | the job was still running after the last poll (`job --sync --retries N`) |
 * | 8 | a transaction was sent and then something failed: it may be on chain (check its hash before sending again) |
 * | 70 | internal error (a bug: please report it with the `--verbose` output) |
 * | 130 | interrupted (Ctrl-C) |
 *
 * @since 0.1.0
 * @category models
 */
export const ExitCode = {
  Success: 0,
  JobFailed: 1,
  Usage: 2,
  Unreachable: 3,
  Rejected: 4,
  BadFile: 5,
  Chain: 6,
  StillRunning: 7,
  MaybeSent: 8,
  Internal: 70,
  Interrupted: 130
} as const

/**
 * One of the {@link ExitCode} values.
 *
 * @since 0.1.0
 * @category models
 */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The command line could not be understood: an unknown command, a missing or invalid flag. Exit code 2.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Schema.TaggedClass<UsageError>("UsageError")("UsageError", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return this.detail
  }
}

/**
 * No answer from the node (or the router): it is down or unreachable, it timed out, or it is rate limiting this client. Exit code 3.
 *
 * @since 0.1.0
 * @category errors
 */
export class NodeUnreachable extends Schema.TaggedClass<NodeUnreachable>("NodeUnreachable")("NodeUnreachable", {
  /** Which service: the node (default) or the Infernet Router. @since 0.1.0 */
  service: Schema.optional(Schema.Literal("node", "router")),
  url: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `cannot reach the ${this.service ?? "node"} at ${this.url}: ${this.detail}`
  }
}

/**
 * The node (or the router) answered with an error (`{"error", "params"}`), an unexpected body, or does not know the job. Exit code 4.
 *
 * @since 0.1.0
 * @category errors
 */
export class NodeRejected extends Schema.TaggedClass<NodeRejected>("NodeRejected")("NodeRejected", {
  /** Which service: the node (default) or the Infernet Router. @since 0.1.0 */
  service: Schema.optional(Schema.Literal("node", "router")),
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const who = this.service ?? "node"
    return this.status === undefined
      ? `the ${who} rejected the request: ${this.detail}`
      : `the ${who} rejected the request (HTTP ${this.status}): ${this.detail}`
  }
}

/**
 * The job ran and failed: its result is a container error. Exit code 1.
 *
 * @since 0.1.0
 * @category errors
 */
export class JobFailed extends Schema.TaggedClass<JobFailed>("JobFailed")("JobFailed", {
  id: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `job ${this.id} failed: ${this.detail}`
  }
}

/**
 * The node answered `/health` but does not report itself healthy. Exit code 1.
 *
 * @since 0.1.0
 * @category errors
 */
export class NodeUnhealthy extends Schema.TaggedClass<NodeUnhealthy>("NodeUnhealthy")("NodeUnhealthy", {
  url: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `the node at ${this.url} is not healthy`
  }
}

/**
 * A file (or stdin) could not be read, is not valid JSON, or has the wrong shape; or the output file could not be
 * written. `line` and `column` (1-based) point at a JSON syntax error. Exit code 5.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileError extends Schema.TaggedClass<FileError>("FileError")("FileError", {
  path: Schema.String,
  line: Schema.optional(Schema.Number),
  column: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const at = this.line === undefined ? "" : `:${this.line}${this.column === undefined ? "" : `:${this.column}`}`
    return `${this.path}${at}: ${this.detail}`
  }
}

/**
 * Signing a delegated subscription failed: an unusable key, an unreachable RPC, a Coordinator that would reject the
 * signature. Never contains key material. Exit code 6.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChainFailure extends Schema.TaggedClass<ChainFailure>("ChainFailure")("ChainFailure", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return this.detail
  }
}

/**
 * The job was still running after the last poll of `job --sync`. Exit code 7.
 *
 * @since 0.1.0
 * @category errors
 */
export class StillRunning extends Schema.TaggedClass<StillRunning>("StillRunning")("StillRunning", {
  id: Schema.String,
  attempts: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return (
      `job ${this.id} is still running after ${this.attempts} checks; ` +
      `raise --retries, or fetch it later with: infernet-client results --id ${this.id}`
    )
  }
}

/**
 * A transaction was sent (its hash was printed on stderr) and then the RPC failed or no receipt came in time: it may
 * be on chain, so running the command again could pay twice. The message names the hash and how to check it
 * (`infernet-client tx --hash HASH`). Exit code 8.
 *
 * @since 0.3.0
 * @category errors
 */
export class TransactionMaybeSent extends Schema.TaggedClass<TransactionMaybeSent>("TransactionMaybeSent")(
  "TransactionMaybeSent",
  {
    functionName: Schema.optional(Schema.String),
    hash: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  /**
   * @since 0.3.0
   */
  get message(): string {
    const what = this.functionName === undefined ? "transaction" : `${this.functionName} transaction`
    return this.hash === undefined
      ? `the ${what} may be on chain (${this.detail}); its hash is unknown (the node signed ` +
          "it): check the sender's latest transactions before running the command again, which would pay twice"
      : `the ${what} ${this.hash} may be on chain (${this.detail}); check it with ` +
          `\`infernet-client tx --hash ${this.hash}\` before running the command again, which would pay twice`
  }
}

/**
 * Every reason a {@link CliError} can carry.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CliErrorReason = Schema.Union(
  UsageError,
  NodeUnreachable,
  NodeRejected,
  JobFailed,
  NodeUnhealthy,
  FileError,
  ChainFailure,
  StillRunning,
  TransactionMaybeSent
)

/**
 * @since 0.1.0
 * @category models
 */
export type CliErrorReason = typeof CliErrorReason.Type

const exitCodes: { readonly [K in CliErrorReason["_tag"]]: ExitCode } = {
  UsageError: ExitCode.Usage,
  NodeUnreachable: ExitCode.Unreachable,
  NodeRejected: ExitCode.Rejected,
  JobFailed: ExitCode.JobFailed,
  NodeUnhealthy: ExitCode.JobFailed,
  FileError: ExitCode.BadFile,
  ChainFailure: ExitCode.Chain,
  StillRunning: ExitCode.StillRunning,
  TransactionMaybeSent: ExitCode.MaybeSent
}

/**
 * The failure of an `infernet-client` command. `message` is the one line printed on stderr, `exitCode` the process
 * exit code; switch on `reason._tag` for the details.
 *
 * @example
 * ```ts
 * import { CliError } from "@infernet/cli"
 * const error = new CliError.CliError({ reason: new CliError.UsageError({ detail: "Expected to find option: '--id'" }) })
 * error.exitCode // 2
 * ```
 * @since 0.1.0
 * @category errors
 */
export class CliError extends Schema.TaggedError<CliError>("@infernet/cli/CliError")("CliError", {
  reason: CliErrorReason,
  /** The underlying failure (a `NodeClientError`, a `ChainError`, ...), printed with `--verbose`. */
  cause: Schema.optional(Schema.Defect)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason.message
  }

  /**
   * The process exit code for this failure (see {@link ExitCode}).
   *
   * @since 0.1.0
   */
  get exitCode(): ExitCode {
    return exitCodes[this.reason._tag]
  }
}

/**
 * Tells whether a value is a {@link CliError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isCliError = (u: unknown): u is CliError => Predicate.isTagged(u, "CliError")
