/**
 * Record and replay: a cassette is a JSON file of exchanges with a node (each request and its answer, streamed
 * answers as their chunks with timings), written by `infernet-node-mock record` (or {@link record}) and answered
 * again by a mock node started with `replay` (`--replay FILE`).
 *
 * The format is node-mock's own file format, not a wire shape of the Infernet node, so its schema lives here and not
 * in `@infernet/types`.
 *
 * @since 0.2.0
 */
import { Effect, Either, Schema } from "effect"
import { describeParseError, readConfigFile } from "./internal/configError.js"
import { defaultMatch as matchDefault, normalizeRequest } from "./internal/cassetteMatch.js"
import * as MockNodeError from "./MockNodeError.js"

/**
 * Headers kept in a cassette, by lowercase name. Requests keep only `content-type`; answers keep `content-type`,
 * `allow`, `retry-after` and the `ratelimit-*` headers. Nothing else is written (no `Authorization`, cookies or
 * API keys).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Headers = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * One chunk of a streamed answer: its bytes as text (or `base64` when they are not valid UTF-8 on their own) and the
 * time since the previous chunk (or since the answer's headers, for the first one).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Chunk = Schema.Struct({
  delay_ms: Schema.NonNegative,
  text: Schema.optional(Schema.String),
  base64: Schema.optional(Schema.String)
})

/**
 * A recorded request: method, path, raw query string (without `?`), kept headers, and the body as text (`null` when
 * none). Delegated-subscription signatures in the body are replaced by a hash unless recorded with
 * `--keep-signatures`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const RecordedRequest = Schema.Struct({
  method: Schema.String,
  path: Schema.String,
  query: Schema.String,
  headers: Headers,
  body: Schema.NullOr(Schema.String)
})

/**
 * A recorded answer: status, kept headers, and either `body` (the whole text) or `chunks` (a streamed answer).
 *
 * @since 0.2.0
 * @category schemas
 */
export const RecordedResponse = Schema.Struct({
  status: Schema.Int,
  headers: Headers,
  body: Schema.optional(Schema.String),
  chunks: Schema.optional(Schema.Array(Chunk))
})

/**
 * One exchange: the request, the answer, when it started (ISO time) and how long the upstream took.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Interaction = Schema.Struct({
  request: RecordedRequest,
  response: RecordedResponse,
  started_at: Schema.String,
  duration_ms: Schema.NonNegative
})

/**
 * A cassette file.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Cassette = Schema.Struct({
  format: Schema.Literal("infernet-node-mock-cassette"),
  version: Schema.Literal(1),
  /** The upstream node's URL, without credentials. */
  upstream: Schema.String,
  /** `hashed`: signatures replaced by `{"nonce", "expiry", "sha256"}`; `kept`: recorded as sent. */
  signatures: Schema.Literal("hashed", "kept"),
  interactions: Schema.Array(Interaction)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Cassette = typeof Cassette.Type
/**
 * @since 0.2.0
 * @category models
 */
export type Interaction = typeof Interaction.Type
/**
 * @since 0.2.0
 * @category models
 */
export type Chunk = typeof Chunk.Type

/**
 * What a matcher sees of an incoming request.
 *
 * @since 0.2.0
 * @category models
 */
export interface MatchRequest {
  readonly method: string
  readonly path: string
  /** The raw query string, without `?`. */
  readonly query: string
  /** The body as text, `null` when the request has none. */
  readonly body: string | null
}

/**
 * Decides whether a recorded interaction answers an incoming request.
 *
 * @since 0.2.0
 * @category models
 */
export type Matcher = (request: MatchRequest, recorded: Interaction) => boolean

/**
 * How a mock node replays a cassette (`MockNodeOptions.replay`; a string is the cassette's path).
 *
 * @since 0.2.0
 * @category models
 */
export interface ReplayOptions {
  /** The cassette: a file path or a decoded {@link Cassette}. */
  readonly cassette: string | Cassette
  /**
   * `strict` (default): a request the cassette does not hold gets `501` naming the nearest recorded request.
   * `fallback`: it is answered by the simulated containers, as without a cassette.
   */
  readonly mode?: "strict" | "fallback" | undefined
  /** `recorded` (default): streams keep their recorded pacing; `max`: chunks are sent at once. */
  readonly speed?: "recorded" | "max" | undefined
  /** Replaces {@link defaultMatch}, e.g. to ignore a field or compare a path loosely. */
  readonly match?: Matcher | undefined
}

/**
 * The default matcher: same method and path, the same query parameters in any order, and the same meaningful body.
 * A job's meaningful fields are `containers`, `data` and `requires_proof`; a delegated subscription's are
 * `subscription` and `data` (its signature, nonce and expiry change on every signing and are ignored); a batch
 * compares item by item; any other JSON body compares as parsed JSON (key order and whitespace ignored, trailing
 * commas tolerated); a body that is not JSON compares as text.
 *
 * @since 0.2.0
 * @category matching
 */
export const defaultMatch: Matcher = matchDefault

/**
 * The form {@link defaultMatch} compares: `{method, path, query, body}` with the query's parameters sorted and the
 * body reduced to its meaningful fields.
 *
 * @since 0.2.0
 * @category matching
 */
export const normalize: (request: MatchRequest) => {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly body: unknown
} = normalizeRequest

const decodeEither = Schema.decodeUnknownEither(Cassette, { errors: "all" })

/**
 * Decodes a cassette; fails with `MockNodeError` (`InvalidConfig`) naming the field.
 *
 * @since 0.2.0
 * @category constructors
 */
export const decode = (input: unknown, source = "cassette"): Effect.Effect<Cassette, MockNodeError.MockNodeError> =>
  Either.match(decodeEither(input), {
    onLeft: (error) =>
      Effect.fail(
        new MockNodeError.MockNodeError({
          reason: new MockNodeError.InvalidConfig({ source, detail: describeParseError(error) })
        })
      ),
    onRight: Effect.succeed
  })

/**
 * Reads and decodes a cassette file.
 *
 * @since 0.2.0
 * @category constructors
 */
export const load = (path: string): Effect.Effect<Cassette, MockNodeError.MockNodeError> =>
  // The configuration's file reader: one way to read a JSON file, and none in a browser bundle.
  Effect.flatMap(readConfigFile(path), (json) => decode(json, path))

/**
 * How to start a recorder.
 *
 * @since 0.2.0
 * @category models
 */
export interface RecordOptions {
  /** The node to forward to, e.g. `http://localhost:4000`. */
  readonly upstream: string
  /** The cassette file, rewritten (atomically) after every exchange. */
  readonly out: string
  /** Port to listen on; default 0 (a free port). */
  readonly port?: number | undefined
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Keep delegated-subscription signatures as sent instead of a hash. Default false. */
  readonly keepSignatures?: boolean | undefined
}

/**
 * A running recorder.
 *
 * @since 0.2.0
 * @category models
 */
export interface Recorder {
  /** Where clients send requests, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  readonly port: number
  /** The exchanges recorded so far. */
  readonly interactions: () => ReadonlyArray<Interaction>
  /** Writes the cassette and stops listening. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Starts a recorder: it serves the node API on its own port, forwards every request to `upstream` and writes each
 * exchange to the cassette `out` as soon as it ends.
 *
 * @example
 * ```ts
 * import { Cassette, startMockNode } from "@infernet/node-mock"
 *
 * const upstream = await startMockNode()
 * const recorder = await Cassette.record({ upstream: upstream.url, out: "node.cassette.json" })
 * await fetch(`${recorder.url}/health`)
 * await recorder.close()
 * await upstream.close()
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const record = async (options: RecordOptions): Promise<Recorder> => {
  // "#recorder": the node:http recorder, or in a browser bundle a refusal (a recorder is a server).
  const { startRecorder } = await import("#recorder")
  return startRecorder(options)
}
