// Writing results: JSON (pretty for a terminal, compact otherwise) or plain text, to stdout or to `-o FILE`.
import { FileSystem } from "@effect/platform"
import { Json } from "@infernet/types"
import { Effect, Option, Stream } from "effect"
import * as CliError from "../CliError.js"
import { describeSystemError } from "./input.js"
import { Io } from "./Io.js"

/** How and where a command writes its result. @internal */
export interface OutputOptions {
  /** Force compact JSON (one line), even on a terminal. */
  readonly json: boolean
  /** Force indented JSON, even when piped or written to a file. */
  readonly pretty: boolean
  /** Write to this file instead of stdout. */
  readonly file: Option.Option<string>
}

/** @internal */
export const stdoutOnly: OutputOptions = { json: false, pretty: false, file: Option.none() }

/**
 * JSON text with a trailing newline; big integers exact. Indented with two spaces when `pretty`.
 *
 * @internal
 */
export const formatJson = (value: unknown, pretty: boolean): string =>
  `${Json.stringify(value, pretty ? { space: 2 } : undefined)}\n`

/**
 * Whether JSON goes out indented: `--pretty` wins, then `--json`, then "is the destination a terminal".
 *
 * @internal
 */
export const isPretty = (options: OutputOptions, destinationIsTTY: boolean): boolean =>
  options.pretty || (!options.json && destinationIsTTY)

const writeFile = (path: string, text: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.writeFileString(path, text)).pipe(
    Effect.mapError(
      (cause) =>
        new CliError.CliError({
          reason: new CliError.FileError({ path, detail: `cannot write: ${describeSystemError(cause)}` }),
          cause
        })
    )
  )

/**
 * Fails with a `FileError` when `path` cannot be an output file (it is a directory), so a command can refuse it before
 * doing anything. Other problems (permissions, a missing directory) are reported when writing.
 *
 * @internal
 */
export const checkWritable = (path: string): Effect.Effect<void, CliError.CliError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.stat(path)).pipe(
    Effect.option,
    Effect.flatMap((info) =>
      Option.isSome(info) && info.value.type === "Directory"
        ? Effect.fail(
            new CliError.CliError({
              reason: new CliError.FileError({ path, detail: "cannot write: is a directory" })
            })
          )
        : Effect.void
    )
  )

/**
 * Writes text (a newline is added when missing) to the output file or stdout.
 *
 * @internal
 */
export const text = (
  options: OutputOptions,
  content: string
): Effect.Effect<void, CliError.CliError, FileSystem.FileSystem | Io> => {
  const line = content.endsWith("\n") ? content : `${content}\n`
  return Option.match(options.file, {
    onNone: () => Effect.flatMap(Io, (io) => io.stdout.write(line)),
    onSome: (path) => writeFile(path, line)
  })
}

/**
 * Writes a JSON value to the output file or stdout.
 *
 * @internal
 */
export const json = (
  options: OutputOptions,
  value: unknown
): Effect.Effect<void, CliError.CliError, FileSystem.FileSystem | Io> =>
  Option.match(options.file, {
    onNone: () => Effect.flatMap(Io, (io) => io.stdout.write(formatJson(value, isPretty(options, io.stdout.isTTY)))),
    onSome: (path) => writeFile(path, formatJson(value, isPretty(options, false)))
  })

/**
 * Writes a byte stream to a file as it arrives.
 *
 * @internal
 */
export const streamToFile = <E, R>(
  path: string,
  bytes: Stream.Stream<Uint8Array, E, R>
): Effect.Effect<void, E | CliError.CliError, R | FileSystem.FileSystem> =>
  Effect.scoped(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const cannotWrite = (cause: unknown) =>
        new CliError.CliError({
          reason: new CliError.FileError({ path, detail: `cannot write: ${describeSystemError(cause)}` }),
          cause
        })
      const file = yield* fs.open(path, { flag: "w" }).pipe(Effect.mapError(cannotWrite))
      yield* Stream.runForEach(bytes, (chunk) => file.writeAll(chunk).pipe(Effect.mapError(cannotWrite)))
    })
  )
