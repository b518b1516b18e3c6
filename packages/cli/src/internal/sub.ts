// `sub`: sign a delegated subscription with @infernet/chain and send it to the node. Key material is only ever held
// in a `Redacted` and never printed, not even with --verbose.
import { FileSystem, HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { type ChainError, Coordinator, DelegatedSubscription, Signer, Subscription } from "@infernet/chain"
import { ErrorResponse, Json } from "@infernet/types"
import { Config, Duration, Effect, Option, Redacted } from "effect"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import * as Input from "./input.js"
import type { Io } from "./Io.js"
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

const fromEnv = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((value) => value.trim() !== "")),
    Effect.orElseSucceed(() => Option.none<string>())
  )

const required = (flag: Option.Option<string>, env: string, detail: string) =>
  Effect.gen(function* () {
    if (Option.isSome(flag)) return flag.value
    const value = yield* fromEnv(env)
    if (Option.isSome(value)) return value.value.trim()
    return yield* Errors.usage(`missing ${detail}`)
  })

/** A private key as written in a key file or `PRIVATE_KEY`: hex, with or without `0x`, surrounding space ignored. */
const normaliseKey = (text: string): Redacted.Redacted<string> => {
  const trimmed = text.trim()
  return Redacted.make(/^[0-9a-fA-F]{64}$/.test(trimmed) ? `0x${trimmed}` : trimmed)
}

/** Reads the signing key from `--key FILE`, else from `PRIVATE_KEY`. @internal */
export const readKey = (
  file: Option.Option<string>
): Effect.Effect<Redacted.Redacted<string>, CliError.CliError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    if (Option.isSome(file)) {
      const fs = yield* FileSystem.FileSystem
      const text = yield* fs
        .readFileString(file.value)
        .pipe(
          Effect.mapError((cause) => Errors.fileError(file.value, `cannot read: ${Input.describeSystemError(cause)}`))
        )
      if (text.trim() === "") return yield* Errors.fileError(file.value, "is empty: expected a private key")
      return normaliseKey(text)
    }
    const env = yield* Config.option(Config.redacted("PRIVATE_KEY")).pipe(
      Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>())
    )
    if (Option.isSome(env) && Redacted.value(env.value).trim() !== "") {
      return normaliseKey(Redacted.value(env.value))
    }
    return yield* Errors.usage(
      "missing signing key: pass --key FILE (a file holding the private key) or set PRIVATE_KEY"
    )
  })

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
    return yield* Subscription.make(params).pipe(
      Effect.mapError((error) =>
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

/** Signs: the REST body for `POST /api/jobs`. @internal */
export const sign = (
  prepared: Prepared,
  data: Json.JsonObject
): Effect.Effect<DelegatedSubscription.RequestBody, CliError.CliError> =>
  Effect.gen(function* () {
    const signer = yield* Signer.fromPrivateKey(prepared.key)
    return yield* signer.prepareDelegatedSubscription({
      rpcUrl: prepared.rpcUrl,
      coordinator: prepared.coordinator,
      subscription: prepared.subscription,
      expiry: prepared.expiry,
      nonce: prepared.nonce,
      data
    })
  }).pipe(Effect.mapError((error: ChainError.ChainError) => Errors.fromChainError(error)))

/**
 * Dry-runs `createSubscriptionDelegatee` with the signed body (`eth_call`): the node answers `200 {}` even for a
 * signature the Coordinator will reject, so this is the only early warning. Resolves to a warning when `(owner,
 * nonce)` was used before (the Coordinator would keep the existing subscription and ignore this one).
 *
 * @internal
 */
export const simulate = (
  prepared: Prepared,
  body: DelegatedSubscription.RequestBody
): Effect.Effect<Option.Option<string>, CliError.CliError> =>
  Coordinator.simulateCreateSubscriptionDelegateeEffect({
    rpcUrl: prepared.rpcUrl,
    coordinator: prepared.coordinator,
    subscription: prepared.subscription,
    signature: body.signature
  }).pipe(
    Effect.map(({ existed, subscriptionId }) =>
      existed
        ? Option.some(
            `owner ${prepared.subscription.owner} already used nonce ${body.signature.nonce}: the Coordinator keeps ` +
              `subscription ${subscriptionId} and will ignore this one (omit --nonce to use the next free one)`
          )
        : Option.none()
    ),
    Effect.mapError((error) =>
      error.reason._tag === "SimulationReverted"
        ? Errors.fromChainError(error, "; nothing was sent (--skip-simulation sends it anyway)")
        : Errors.fromChainError(error)
    )
  )

/**
 * Sends a signed body to `POST /api/jobs`.
 *
 * @internal
 */
export const send = (
  url: string,
  timeoutSeconds: number,
  body: DelegatedSubscription.RequestBody
): Effect.Effect<void, CliError.CliError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const request = HttpClientRequest.post(`${url}/api/jobs`).pipe(
      HttpClientRequest.bodyText(DelegatedSubscription.stringifyRequestBody(body), "application/json")
    )
    const response = yield* http.execute(request).pipe(
      Effect.timeoutFail({
        duration: Duration.seconds(timeoutSeconds),
        onTimeout: () =>
          new CliError.CliError({
            reason: new CliError.NodeUnreachable({ url, detail: `no answer within ${timeoutSeconds}s` })
          })
      }),
      Effect.catchTags({
        RequestError: (error) =>
          Effect.fail(
            new CliError.CliError({
              reason: new CliError.NodeUnreachable({
                url,
                detail: `${describeTransport(error)}. Is the node running? Set its URL with --url or SERVER_URL.`
              }),
              cause: error
            })
          ),
        ResponseError: (error) =>
          Effect.fail(
            new CliError.CliError({
              reason: new CliError.NodeRejected({ status: error.response.status, detail: error.message }),
              cause: error
            })
          )
      }),
      Effect.scoped
    )
    return yield* response.text.pipe(
      Effect.orElseSucceed(() => ""),
      Effect.flatMap((text) => {
        if (response.status >= 200 && response.status < 300) return Effect.void
        let parsed: unknown
        try {
          parsed = Json.parse(text)
        } catch {
          parsed = undefined
        }
        const detail = ErrorResponse.isErrorResponse(parsed)
          ? Errors.describeApiError(parsed.error, parsed.params)
          : `unexpected answer: ${JSON.stringify(text.trim().slice(0, 120))}`
        return Effect.fail(
          new CliError.CliError({ reason: new CliError.NodeRejected({ status: response.status, detail }) })
        )
      })
    )
  })

const describeTransport = (error: HttpClientError.RequestError): string => {
  let cause: unknown = error.cause
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause
  const code = (cause as { readonly code?: unknown } | undefined)?.code
  if (typeof code === "string") return code === "ECONNREFUSED" ? "connection refused" : code
  return cause instanceof Error ? cause.message : error.message
}
