// `sub`: read and check the flags, the key and the params file; the signing, the dry run and the request are
// `DelegatedSubscriptions.request` from `@infernet/client/subscriptions`. Key material is only ever held in a `Redacted` and never printed, not
// even with --verbose.
//
// @infernet/chain (and viem) are only imported at run time, as the client does: the other commands never evaluate them.
import { FileSystem } from "@effect/platform"
import type { ChainError, Subscription } from "@infernet/chain"
import type { NodeClientError } from "@infernet/client"
import { Config, Effect, Option, Predicate, Redacted } from "effect"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import * as Input from "./input.js"
import type { Io } from "./Io.js"
import * as Redact from "./redact.js"
import * as Params from "./subscriptionParams.js"

/** The parsed flags of `sub`. @internal */
export interface SubFlags {
  readonly params: string
  readonly input: Option.Option<string>
  readonly expiry: number
  readonly address: Option.Option<string>
  readonly rpcUrl: Option.Option<string>
  readonly key: Option.Option<string>
  readonly nonce: Option.Option<number>
  readonly generation: Option.Option<Params.Generation>
}

const required = (flag: Option.Option<string>, env: string, detail: string) =>
  Effect.gen(function* () {
    if (Option.isSome(flag)) return flag.value
    const value = yield* Flags.env(env)
    if (Option.isSome(value)) return value.value
    return yield* Errors.usage(`missing ${detail}`)
  })

/** A private key as written in a key file or `PRIVATE_KEY`: hex, with or without `0x`, surrounding space ignored. */
const normaliseKey = (text: string): Redacted.Redacted<string> => {
  const trimmed = text.trim()
  return Redacted.make(/^[0-9a-fA-F]{64}$/.test(trimmed) ? `0x${trimmed}` : trimmed)
}

/** How the key file is named in messages: never by its path, which is whatever was given to `--key`. */
const KEY_FILE = "the key file (--key)"

/**
 * Reads the signing key from `--key FILE`, else from `PRIVATE_KEY`. Nothing given to `--key` or `PRIVATE_KEY` is ever
 * put in a message: a `--key` value that is a key itself is refused without being echoed, the key file is named
 * "the key file (--key)", and its contents are registered for scrubbing before anything else happens.
 *
 * @internal
 */
export const readKey = (
  file: Option.Option<string>
): Effect.Effect<Redacted.Redacted<string>, CliError.CliError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    if (Option.isSome(file)) {
      if (Redact.looksLikeKey(file.value)) {
        return yield* Errors.usage(`--key: looks like a private key: pass a file path or ${Redact.KEY_ENV}`)
      }
      const fs = yield* FileSystem.FileSystem
      const text = yield* fs
        .readFileString(file.value)
        .pipe(
          Effect.mapError((cause) => Errors.fileError(KEY_FILE, `cannot read: ${Input.describeSystemError(cause)}`))
        )
      Redact.register(text)
      if (text.trim() === "") return yield* Errors.fileError(KEY_FILE, "is empty: expected a private key")
      return normaliseKey(text)
    }
    const env = yield* Config.option(Config.redacted(Redact.KEY_ENV)).pipe(
      Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>())
    )
    if (Option.isSome(env) && Redacted.value(env.value).trim() !== "") {
      Redact.register(env.value)
      return normaliseKey(Redacted.value(env.value))
    }
    return yield* Errors.usage(
      `missing signing key: pass --key FILE (a file holding the private key) or set ${Redact.KEY_ENV}`
    )
  })

/** @infernet/chain, loaded on first use. */
const loadChain = Effect.promise(() => import("@infernet/chain"))

/** Reads the params file into a subscription; every problem names the file and the field. @internal */
export const readSubscription = (
  path: string,
  generation: Option.Option<Params.Generation>
): Effect.Effect<Subscription.Subscription, CliError.CliError, FileSystem.FileSystem | Io> =>
  Effect.gen(function* () {
    const { path: shown, text } = yield* Input.readText(Option.some(path), "the subscription parameters")
    const raw = yield* Input.parseJson(text, shown)
    const params = yield* Effect.try({
      try: () => Params.toMakeParameters(raw, Option.getOrUndefined(generation)),
      catch: (error) =>
        error instanceof Params.ParamsError
          ? Errors.fileError(shown, error.detail)
          : Errors.fileError(shown, String(error))
    })
    const chain = yield* loadChain
    return yield* chain.Subscription.make(params).pipe(
      Effect.mapError((error: ChainError.ChainError) =>
        error.reason._tag === "InvalidSubscription"
          ? Errors.fileError(shown, `${Params.fileField(error.reason.field, params.version)} ${error.reason.detail}`)
          : Errors.fromChainError(error)
      )
    )
  })

/** Everything `sub` needs before it can sign: flags, environment and files resolved and validated. @internal */
export interface Prepared {
  readonly coordinator: string
  readonly rpcUrl: string
  readonly key: Redacted.Redacted<string>
  readonly subscription: Subscription.Subscription
  readonly expiry: number
  readonly nonce: number | undefined
}

/** @internal */
export const prepare = (flags: SubFlags): Effect.Effect<Prepared, CliError.CliError, FileSystem.FileSystem | Io> =>
  Effect.gen(function* () {
    const coordinator = yield* required(
      flags.address,
      "ADDRESS",
      "Coordinator address: pass --address 0x... or set ADDRESS"
    )
    if (!/^0x[0-9a-fA-F]{40}$/.test(coordinator)) {
      return yield* Errors.usage(
        `--address: expected a contract address (0x and 40 hex digits), got ${JSON.stringify(coordinator)}`
      )
    }
    const rpcUrl = yield* required(flags.rpcUrl, "RPC_URL", "RPC URL: pass --rpc-url URL (or --rpc_url) or set RPC_URL")
    yield* Flags.validateUrl(rpcUrl, "--rpc-url")
    Redact.registerUrl(rpcUrl)
    if (flags.expiry < 0 || flags.expiry > 0xffffffff) {
      return yield* Errors.usage(`--expiry: expected unix seconds (uint32), got ${flags.expiry}`)
    }
    if (Option.isSome(flags.nonce) && (flags.nonce.value < 0 || flags.nonce.value > 0xffffffff)) {
      return yield* Errors.usage(`--nonce: expected a uint32, got ${flags.nonce.value}`)
    }
    const key = yield* readKey(flags.key)
    const subscription = yield* readSubscription(flags.params, flags.generation)
    return {
      coordinator,
      rpcUrl,
      key,
      subscription,
      expiry: flags.expiry,
      nonce: Option.getOrUndefined(flags.nonce)
    }
  })

/**
 * A failure of `requestDelegatedSubscription` as a `CliError`; a reverted dry run says that nothing was sent and how
 * to send anyway.
 *
 * @internal
 */
export const withHint = (error: NodeClientError.NodeClientError, url: string): CliError.CliError => {
  const mapped = Errors.fromNodeClientError(error, url)
  const reason = error.reason
  const reverted =
    reason._tag === "SubscriptionError" &&
    Predicate.isTagged(reason.cause, "ChainError") &&
    Predicate.isTagged((reason.cause as ChainError.ChainError).reason, "SimulationReverted")
  return reverted
    ? new CliError.CliError({
        reason: new CliError.ChainFailure({
          detail: `${mapped.message}; nothing was sent (--skip-simulation sends it anyway)`
        }),
        cause: error
      })
    : mapped
}
