// Runs one container call the way the real node's orchestrator sees it: an input envelope in, a JSON output (or a
// stream of bytes) out, and failures with the error strings aiohttp would have produced.
import { Data, Duration, Effect, Either, Stream } from "effect"
import { Json } from "@infernet/types"
import type * as MockConfig from "../MockConfig.js"
import { pyRepr } from "./pyrepr.js"
import { fromSeed, gaussian, type Prng } from "./random.js"
import { chunks, completion, embeddingInputOf, endpointOf, promptOf } from "./text.js"

/** Where a job's output goes, as the node tells its containers (`JobLocation`). */
export const Location = { ONCHAIN: 0, OFFCHAIN: 1, STREAM: 2 } as const

/** What the node POSTs to a container's `/service_output`. */
export interface Envelope {
  readonly source: number
  readonly destination: number
  readonly data: Json.JsonValue
  readonly requires_proof?: boolean
}

export class ContainerFailure extends Data.TaggedError("ContainerFailure")<{ readonly error: string }> {}

export interface ContainerState {
  readonly config: MockConfig.Container
  behavior: MockConfig.Behavior
  /** Draws for latency ranges and failure rates, seeded by the config's seed and the container id. */
  prng: Prng
}

export const makeContainerState = (config: MockConfig.Container, seed: number): ContainerState => ({
  config,
  behavior: config.behavior,
  prng: fromSeed("container", seed, config.id)
})

const DEFAULT_DIMENSIONS = 1536
const DEFAULT_CHUNK_DELAY_MS = 5
const PROXY_TIMEOUT_MS = 180_000
const encoder = new TextEncoder()

/** A unit vector drawn from a generator seeded by the input: the same input always embeds the same way. */
export const embedding = (input: string, dimensions: number): Array<number> => {
  const prng = fromSeed("embedding", input)
  const vector = new Array<number>(dimensions)
  let norm = 0
  for (let i = 0; i < dimensions; i++) {
    const x = gaussian(prng)
    vector[i] = x
    norm += x * x
  }
  norm = Math.sqrt(norm)
  // Eight significant digits, about what an OpenAI embedding carries.
  for (let i = 0; i < dimensions; i++) vector[i] = Number((vector[i]! / norm).toPrecision(8))
  return vector
}

const embeddings = (data: Json.JsonValue, dimensions: number): Json.JsonValue => {
  const input = embeddingInputOf(data)
  return typeof input === "string" ? embedding(input, dimensions) : input.map((text) => embedding(text, dimensions))
}

/** The base URL the node would call: the container's `url`, or `http://localhost:<port>`. */
export const baseUrl = (config: MockConfig.Container, behavior?: MockConfig.Behavior): string => {
  const url = behavior?.type === "proxy" && behavior.url !== undefined ? behavior.url : config.url
  return (url ?? `http://localhost:${config.port ?? 3000}`).replace(/\/+$/, "")
}

const connectError = (url: string, address?: string, port?: number): string => {
  const parsed = new URL(url)
  const p = port ?? (parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port))
  const host = parsed.hostname
  const ip = address ?? (host === "localhost" ? "127.0.0.1" : host)
  return `Cannot connect to host ${host}:${p} ssl:${parsed.protocol === "https:" ? "True" : "default"} [Connect call failed ('${ip}', ${p})]`
}

const mimetypeError = (status: number, mimetype: string, url: string) =>
  `${status}, message='Attempt to decode JSON with unexpected mimetype: ${mimetype}', url='${url}'`

/** The error string of a failed call, in the real node's shapes. */
export const failureMessage = (state: ContainerState, mode: MockConfig.FailureMode | undefined): string => {
  const behavior = state.behavior
  if (behavior.type === "fail" && behavior.message !== undefined) return behavior.message
  const url = `${baseUrl(state.config, behavior)}/service_output`
  switch (mode ?? "unreachable") {
    case "unreachable":
      return connectError(url)
    case "timeout":
      // aiohttp's TimeoutError has an empty message, and that is what the node stores.
      return ""
    case "non_json":
      return mimetypeError(200, "text/html", url)
  }
}

const drawLatency = (state: ContainerState): number => {
  const latency = state.behavior.latency_ms
  if (latency === undefined) return 0
  if (typeof latency === "number") return latency
  const [min, max] = latency
  return min + state.prng.next() * (max - min)
}

const sleepMs = (ms: number) => (ms > 0 ? Effect.sleep(Duration.millis(ms)) : Effect.void)

/** The draws of one call, made when the call starts: its latency, and its failure if it fails. */
export interface Plan {
  readonly latency: number
  readonly failure: ContainerFailure | undefined
}

/** Draws a call's latency, then its failure roll (the `fail` behaviour always fails), in that order. */
export const plan = (state: ContainerState): Plan => {
  const latency = drawLatency(state)
  const behavior = state.behavior
  const rate = behavior.failure_rate ?? 0
  const fails = behavior.type === "fail" || (rate > 0 && state.prng.next() < rate)
  return {
    latency,
    failure: fails ? new ContainerFailure({ error: failureMessage(state, behavior.failure) }) : undefined
  }
}

const textFor = (behavior: MockConfig.Behavior, data: Json.JsonValue): string =>
  (behavior.type === "completion" || behavior.type === "stream") && behavior.text !== undefined
    ? behavior.text
    : completion(promptOf(data))

/** The output of every behaviour but `proxy`, computed at once. */
const computeLocal = (
  state: ContainerState,
  behavior: Exclude<MockConfig.Behavior, { type: "proxy" }>,
  envelope: Envelope
): Either.Either<Json.JsonValue, ContainerFailure> => {
  switch (behavior.type) {
    case "echo":
      return Either.right(envelope.data)
    case "hello-world":
      return Either.right({ output: `hello, world!, your input was: ${pyRepr(envelope)}` })
    case "completion":
      return Either.right(
        endpointOf(envelope.data) === "embeddings"
          ? embeddings(envelope.data, behavior.dimensions ?? DEFAULT_DIMENSIONS)
          : textFor(behavior, envelope.data)
      )
    case "embeddings":
      return Either.right(embeddings(envelope.data, behavior.dimensions ?? DEFAULT_DIMENSIONS))
    case "stream":
      return Either.right(textFor(behavior, envelope.data))
    case "static":
      return Either.right(behavior.output)
    case "fail":
      return Either.left(new ContainerFailure({ error: failureMessage(state, behavior.failure) }))
  }
}

const compute = (state: ContainerState, envelope: Envelope): Effect.Effect<Json.JsonValue, ContainerFailure> => {
  const behavior = state.behavior
  return behavior.type === "proxy" ? proxyCall(state, behavior, envelope) : computeLocal(state, behavior, envelope)
}

/**
 * The outcome of a planned call when it needs no waiting (no latency, not a proxy), or `undefined` when it must run
 * as an effect. Lets a job of instant containers finish without a fiber.
 */
export const runNow = (
  state: ContainerState,
  planned: Plan,
  envelope: Envelope
): Either.Either<Json.JsonValue, ContainerFailure> | undefined => {
  if (planned.latency > 0) return undefined
  if (planned.failure !== undefined) return Either.left(planned.failure)
  const behavior = state.behavior
  return behavior.type === "proxy" ? undefined : computeLocal(state, behavior, envelope)
}

/** A planned call as an effect: its latency on the Clock, then its failure or its output. */
export const execute = (
  state: ContainerState,
  planned: Plan,
  envelope: Envelope
): Effect.Effect<Json.JsonValue, ContainerFailure> =>
  Effect.zipRight(
    sleepMs(planned.latency),
    planned.failure !== undefined ? Effect.fail(planned.failure) : Effect.suspend(() => compute(state, envelope))
  )

/** One call, as `POST /api/jobs` makes it: the container's JSON output, or its failure. */
export const call = (state: ContainerState, envelope: Envelope): Effect.Effect<Json.JsonValue, ContainerFailure> =>
  Effect.suspend(() => execute(state, plan(state), envelope))

const fetchFailure = (cause: unknown, url: string, timedOut: boolean): ContainerFailure => {
  if (timedOut) return new ContainerFailure({ error: "" })
  const inner = (cause as { cause?: { code?: string; address?: string; port?: number; message?: string } }).cause
  if (inner?.code === "ECONNREFUSED")
    return new ContainerFailure({ error: connectError(url, inner.address, inner.port) })
  const message = inner?.message ?? (cause as Error).message ?? String(cause)
  return new ContainerFailure({ error: `Cannot connect to host ${new URL(url).host}: ${message}` })
}

const proxyFetch = (
  behavior: Extract<MockConfig.Behavior, { type: "proxy" }>,
  url: string,
  init: RequestInit
): Effect.Effect<Response, ContainerFailure> =>
  Effect.async<Response, ContainerFailure>((resume, signal) => {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, behavior.timeout_ms ?? PROXY_TIMEOUT_MS)
    const onAbort = () => controller.abort()
    signal.addEventListener("abort", onAbort)
    fetch(url, { ...init, signal: controller.signal }).then(
      (response) => {
        clearTimeout(timer)
        resume(Effect.succeed(response))
      },
      (cause) => {
        clearTimeout(timer)
        resume(Effect.fail(fetchFailure(cause, url, timedOut)))
      }
    )
    return Effect.sync(() => {
      clearTimeout(timer)
      signal.removeEventListener("abort", onAbort)
    })
  })

const mimetypeOf = (response: Response) => (response.headers.get("content-type") ?? "").split(";")[0]!.trim()

const proxyCall = (
  state: ContainerState,
  behavior: Extract<MockConfig.Behavior, { type: "proxy" }>,
  envelope: Envelope
): Effect.Effect<Json.JsonValue, ContainerFailure> => {
  const url = `${baseUrl(state.config, behavior)}/service_output`
  return Effect.gen(function* () {
    const response = yield* proxyFetch(behavior, url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Json.stringify(envelope)
    })
    const text = yield* Effect.tryPromise({
      try: () => response.text(),
      catch: (cause) => new ContainerFailure({ error: String(cause) })
    })
    const mimetype = mimetypeOf(response)
    // aiohttp's response.json() insists on a JSON content type, then parses; the node stores the body of a
    // JSON-typed answer that does not parse as the error.
    if (mimetype !== "application/json" && !mimetype.endsWith("+json")) {
      return yield* new ContainerFailure({
        error: mimetypeError(response.status, mimetype || "application/octet-stream", url)
      })
    }
    try {
      return Json.parse(text) as Json.JsonValue
    } catch {
      return yield* new ContainerFailure({ error: text })
    }
  })
}

const proxyStream = (
  state: ContainerState,
  behavior: Extract<MockConfig.Behavior, { type: "proxy" }>,
  envelope: Envelope
): Stream.Stream<Uint8Array, ContainerFailure> => {
  const url = `${baseUrl(state.config, behavior)}/service_output`
  return Stream.unwrap(
    Effect.gen(function* () {
      const response = yield* proxyFetch(behavior, url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Json.stringify(envelope)
      })
      if (!response.ok) {
        // aiohttp's raise_for_status()
        return Stream.fail(
          new ContainerFailure({ error: `${response.status}, message='${response.statusText}', url='${url}'` })
        )
      }
      if (response.body === null) return Stream.empty
      return Stream.fromAsyncIterable(
        response.body as unknown as AsyncIterable<Uint8Array>,
        (cause) => new ContainerFailure({ error: String((cause as Error).message ?? cause) })
      )
    })
  )
}

const textStream = (
  text: string,
  delayMs: number,
  tokensPerChunk: number,
  failAfter: number | undefined,
  failure: string
): Stream.Stream<Uint8Array, ContainerFailure> => {
  const parts = chunks(text, tokensPerChunk)
  const limited = failAfter === undefined ? parts : parts.slice(0, failAfter)
  const body = Stream.fromIterable(limited.map((part, i) => [part, i] as const)).pipe(
    Stream.mapEffect(([part, i]) => Effect.as(i === 0 ? Effect.void : sleepMs(delayMs), encoder.encode(part)))
  )
  return failAfter === undefined || failAfter >= parts.length
    ? body
    : Stream.concat(body, Stream.fail(new ContainerFailure({ error: failure })))
}

/**
 * One streaming call, as `POST /api/jobs/stream` makes it: text behaviours stream tokens; the others answer their
 * JSON output in one chunk, as a plain JSON container would.
 */
export const stream = (state: ContainerState, envelope: Envelope): Stream.Stream<Uint8Array, ContainerFailure> =>
  Stream.unwrap(
    Effect.suspend(() => {
      const planned = plan(state)
      return Effect.as(
        Effect.zipRight(
          sleepMs(planned.latency),
          planned.failure === undefined ? Effect.void : Effect.fail(planned.failure)
        ),
        planned
      )
    }).pipe(
      Effect.map(() => {
        const behavior = state.behavior
        switch (behavior.type) {
          case "stream":
            return textStream(
              textFor(behavior, envelope.data),
              behavior.chunk_delay_ms ?? DEFAULT_CHUNK_DELAY_MS,
              behavior.tokens_per_chunk ?? 1,
              behavior.fail_after_chunks,
              // What aiohttp says when a chunked answer stops before its end.
              "Response payload is not completed"
            )
          case "completion":
            if (endpointOf(envelope.data) !== "embeddings") {
              return textStream(textFor(behavior, envelope.data), DEFAULT_CHUNK_DELAY_MS, 1, undefined, "")
            }
            break
          case "proxy":
            return proxyStream(state, behavior, envelope)
        }
        return Stream.fromEffect(
          Effect.map(compute(state, envelope), (output) => encoder.encode(`${Json.stringify(output)}\n`))
        )
      })
    )
  )

/** `GET <url>/service-resources[?model_id=]` of a proxied container; `undefined` when it does not answer JSON. */
export const proxyResources = (
  state: ContainerState,
  behavior: Extract<MockConfig.Behavior, { type: "proxy" }>,
  modelId: string | undefined
): Effect.Effect<Json.JsonValue | undefined> => {
  const query = modelId === undefined ? "" : `?model_id=${encodeURIComponent(modelId)}`
  const url = `${baseUrl(state.config, behavior)}/service-resources${query}`
  return proxyFetch(behavior, url, { method: "GET" }).pipe(
    Effect.flatMap((response) => Effect.promise(() => response.text())),
    Effect.map((text) => {
      try {
        return Json.parse(text) as Json.JsonValue
      } catch {
        return undefined
      }
    }),
    Effect.orElseSucceed(() => undefined)
  )
}
