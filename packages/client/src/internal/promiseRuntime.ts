/**
 * What every Promise client (`createNodeClient`, `createRouterClient`, `createNodePool`) is made of: the HTTP layer
 * from its options, the rejection a failed call throws (the typed failure, or the signal's reason), and streams read
 * through async iterators that close their connection when left or aborted.
 */
import type { HttpClient } from "@effect/platform"
import { Cause, Chunk, Effect, Exit, type Layer, type ManagedRuntime, Option, Scope, Stream } from "effect"
import type { NodeClientError } from "../NodeClientError.js"
import type { JobSuccess } from "../NodeClient.js"
import * as Fetch from "./fetch.js"
import { fromEffect } from "./plainError.js"
import type { StandardSchemaV1 } from "./standardSchema.js"

/** How the Promise clients reach HTTP: `fetch` (default, or the one given), or another `HttpClient` layer. */
export interface HttpOptions {
  /** The `fetch` implementation; default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** Extra `RequestInit` for every request (e.g. an undici `dispatcher`). */
  readonly requestInit?: RequestInit | undefined
  /** Another HTTP client instead of `fetch`, e.g. `NodeHttpClient.layerUndici`. Not with `fetch` / `requestInit`. */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
}

/** Per-call options: an `AbortSignal`. */
export interface Signal {
  readonly signal?: AbortSignal | undefined
}

/** The HTTP layer of a Promise client; `name` is the constructor, for the error on bad options. */
export const httpLayer = (name: string, options: HttpOptions): Layer.Layer<HttpClient.HttpClient> => {
  if (options.httpClient !== undefined && (options.fetch !== undefined || options.requestInit !== undefined)) {
    throw new TypeError(`${name}: pass httpClient, or fetch and requestInit, not both`)
  }
  return options.httpClient ?? Fetch.httpClientLayer({ fetch: options.fetch, init: options.requestInit })
}

// Node 20.4+, Bun, Deno and current browsers define it; elsewhere fall back to the well-known registry symbol.
export const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ??
  (Symbol.for("Symbol.asyncDispose") as typeof Symbol.asyncDispose)

/** What an aborted call rejects with: the signal's reason, or an `AbortError`. */
export const abortReason: (signal: AbortSignal) => unknown = Fetch.abortReason

/** The options without their `signal` (the Effect API does not take one). */
export const withoutSignal = <O extends Signal>(options: O | undefined): Omit<O, "signal"> | undefined => {
  if (options === undefined || !("signal" in options)) return options
  const { signal: _signal, ...rest } = options
  return rest
}

/**
 * What a failed call throws: its typed failure (as the Promise API's plain `NodeClientError`), the signal's reason
 * when it was aborted, or the defect.
 */
export const rejection = (cause: Cause.Cause<NodeClientError>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return fromEffect(failure.value)
  if (signal?.aborted && Cause.isInterruptedOnly(cause)) return abortReason(signal)
  return Cause.squash(cause)
}

/**
 * A Promise client's open or closed state: `close` (once; later calls do nothing) closes its open streams, then
 * releases its runtime.
 */
export const lifecycle = (
  runtime: ManagedRuntime.ManagedRuntime<any, never>,
  streams?: { readonly closeAll: () => Promise<void> }
) => {
  let closed = false
  return {
    isClosed: (): boolean => closed,
    close: async (): Promise<void> => {
      if (closed) return
      closed = true
      await streams?.closeAll()
      await runtime.dispose()
    }
  }
}

/** Runs an effect on a runtime, with an `AbortSignal`, rejecting with {@link rejection}. */
export const runIn =
  <R>(runtime: ManagedRuntime.ManagedRuntime<R, never>) =>
  async <A>(effect: Effect.Effect<A, NodeClientError, R>, signal: AbortSignal | undefined): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect, signal === undefined ? undefined : { signal })
    if (Exit.isSuccess(exit)) return exit.value
    throw rejection(exit.cause, signal)
  }

/** {@link runIn}, after checking that the client is open and the signal not aborted yet. */
export const runner = <R>(name: string, runtime: ManagedRuntime.ManagedRuntime<R, never>, isClosed: () => boolean) => {
  const run = runIn(runtime)
  return <A>(effect: Effect.Effect<A, NodeClientError, R>, signal: AbortSignal | undefined): Promise<A> => {
    if (isClosed()) return Promise.reject(new Error(`${name}: the client is closed`))
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    return run(effect, signal)
  }
}

/**
 * What a Promise client's `requestStream` resolves to: the job id, the body as async iterables (the stream itself
 * iterates its text), the job's stored result, and `cancel` (also `Symbol.asyncDispose`).
 */
export const jobStream = <Id extends string, Options, Result>(
  id: Id,
  views: StreamViews,
  result: (options?: Options) => Promise<Result>
) => ({
  id,
  chunks: views.chunks,
  text: views.text,
  [Symbol.asyncIterator]: () => views.text[Symbol.asyncIterator](),
  result,
  cancel: views.cancel,
  [asyncDispose]: views.cancel
})

/** A stream's body as async iterables (read once) and a way to close its connection. */
export interface StreamViews {
  readonly chunks: AsyncIterable<Uint8Array>
  readonly text: AsyncIterable<string>
  readonly cancel: () => Promise<void>
}

/**
 * The open streams of one client: `open` runs a stream request in its own scope and gives its body as async
 * iterables, pulled chunk by chunk, that close the connection when the loop ends, breaks or the signal aborts;
 * `closeAll` closes every stream still open (the client's `close()`).
 */
export const makeStreams = <R>(runtime: ManagedRuntime.ManagedRuntime<R, never>) => {
  const openScopes = new Set<Scope.CloseableScope>()

  const closeScope = (scope: Scope.CloseableScope): Promise<void> => {
    if (!openScopes.delete(scope)) return Promise.resolve()
    return Effect.runPromise(Scope.close(scope, Exit.void))
  }

  const iterate = <A>(
    stream: Stream.Stream<A, NodeClientError>,
    scope: Scope.CloseableScope,
    signal: AbortSignal | undefined
  ): AsyncIterator<A> => {
    let pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<NodeClientError>> | undefined
    let buffer: Array<A> = []
    let done = false
    const finish = async (): Promise<IteratorResult<A>> => {
      done = true
      buffer = []
      await closeScope(scope)
      return { done: true, value: undefined }
    }
    return {
      async next() {
        while (buffer.length === 0) {
          if (done) return { done: true, value: undefined }
          if (signal?.aborted) {
            await finish()
            throw abortReason(signal)
          }
          pull ??= await runtime.runPromise(Scope.extend(Stream.toPull(stream), scope))
          const exit = await runtime.runPromiseExit(pull, signal === undefined ? undefined : { signal })
          if (Exit.isSuccess(exit)) {
            buffer = Chunk.toArray(exit.value)
            continue
          }
          await finish()
          const failure = Cause.failureOption(exit.cause)
          if (Option.isSome(failure)) {
            if (Option.isNone(failure.value)) return { done: true, value: undefined }
            throw fromEffect(failure.value.value)
          }
          if (signal?.aborted) throw abortReason(signal)
          throw Cause.squash(exit.cause)
        }
        return { done: false, value: buffer.shift() as A }
      },
      return: finish
    }
  }

  const open = async <
    S extends {
      readonly bytes: Stream.Stream<Uint8Array, NodeClientError>
      readonly text: Stream.Stream<string, NodeClientError>
    }
  >(
    request: (scope: Scope.Scope) => Promise<S>,
    signal: AbortSignal | undefined
  ): Promise<{ readonly opened: S; readonly views: StreamViews }> => {
    const scope = Effect.runSync(Scope.make())
    openScopes.add(scope)
    let opened: S
    try {
      opened = await request(scope)
    } catch (error) {
      await closeScope(scope)
      throw error
    }
    let consumed: "chunks" | "text" | undefined
    const view = <A>(name: "chunks" | "text", stream: Stream.Stream<A, NodeClientError>): AsyncIterable<A> => ({
      [Symbol.asyncIterator]: () => {
        if (consumed !== undefined) {
          throw new Error(`JobStream: the body was already read through "${consumed}"; it can be read once`)
        }
        consumed = name
        return iterate(stream, scope, signal)
      }
    })
    return {
      opened,
      views: { chunks: view("chunks", opened.bytes), text: view("text", opened.text), cancel: () => closeScope(scope) }
    }
  }

  const closeAll = async (): Promise<void> => {
    await Promise.all([...openScopes].map(closeScope))
  }

  return { open, closeAll }
}

/** `getJobResultSync` of a Promise client: with an `output` schema, the output is validated and typed. */
export interface GetJobResultSync<Options extends { readonly output?: StandardSchemaV1 | undefined }> {
  <S extends StandardSchemaV1>(
    id: string,
    options: Options & { readonly output: S }
  ): Promise<JobSuccess<StandardSchemaV1.InferOutput<S>>>
  (id: string, options?: Options): Promise<JobSuccess>
}

/** A Promise stream's `result`: the stored result once the stream has ended, typed by an `output` schema. */
export interface StreamResult<Options extends { readonly output?: StandardSchemaV1 | undefined }> {
  <S extends StandardSchemaV1>(
    options: Options & { readonly output: S }
  ): Promise<JobSuccess<StandardSchemaV1.InferOutput<S>>>
  (options?: Options): Promise<JobSuccess>
}
