/**
 * The Effect facade: a `Signer` service that signs delegated subscriptions for one account. Build it from a
 * `Redacted` private key or mnemonic (the secret is read once, handed to viem, and never appears in an error, a log
 * line, `toString` or `toJSON`), from any viem account, or from configuration.
 *
 * @since 0.1.0
 */
import { Config, Context, Effect, Layer, Redacted } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { Account, Address } from "viem"
// The English list straight from @scure/bip39: viem/accounts' `english` re-export brings all ten BIP-39 lists
// (about 230 KiB minified) into every bundle.
import { wordlist as english } from "@scure/bip39/wordlists/english"
import { type HDOptions, mnemonicToAccount, privateKeyToAccount } from "viem/accounts"
import type * as ChainError from "./ChainError.js"
import * as DelegatedSubscription from "./DelegatedSubscription.js"
import * as Errors from "./internal/errors.js"
import { validateMnemonic } from "./internal/mnemonic.js"

/**
 * What a `Signer` does.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The signing address (EIP-55); the owner contract's delegated signer must be this address. */
  readonly address: Address
  /** Signs a delegated subscription: `{nonce, expiry, v, r, s}`. */
  readonly signDelegatedSubscription: (
    params: DelegatedSubscription.DelegatedSubscriptionParameters
  ) => Effect.Effect<DelegatedSubscription.Signature, ChainError.ChainError>
  /** Reads chain id and default nonce, checks the domain, signs, and builds the REST body. */
  readonly prepareDelegatedSubscription: (
    params: PrepareParameters
  ) => Effect.Effect<DelegatedSubscription.RequestBody, ChainError.ChainError>
}

/**
 * Parameters of {@link Service.prepareDelegatedSubscription}: those of
 * `DelegatedSubscription.prepareDelegatedSubscription` without the account.
 *
 * @since 0.1.0
 * @category models
 */
export type PrepareParameters = Omit<
  DelegatedSubscription.PrepareDelegatedSubscriptionParameters,
  "account" | "walletClient"
>

/**
 * The signer service.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Signer } from "@infernet/chain"
 * const program = Effect.gen(function* () {
 *   const signer = yield* Signer.Signer
 *   return signer.address
 * }).pipe(Effect.provide(Signer.layerPrivateKey(Redacted.make("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"))))
 * ```
 * @since 0.1.0
 * @category services
 */
export class Signer extends Context.Tag("@infernet/chain/Signer")<Signer, Service>() {}

/**
 * Makes a signer from a viem account (a local account, or a JSON-RPC account with a wallet client).
 *
 * @example
 * ```ts
 * import { Signer } from "@infernet/chain"
 * import { privateKeyToAccount } from "viem/accounts"
 * const signer = Signer.make(privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"))
 * String(signer) // "Signer(0x70997970C51812dc3A010C7d01b50e0d17dc79C8)"
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  account: Account,
  options?: { readonly walletClient?: DelegatedSubscription.SignDelegatedSubscriptionParameters["walletClient"] }
): Service => {
  const walletClient = options?.walletClient
  const address = account.address
  const describe = { _id: "@infernet/chain/Signer", address }
  return {
    address,
    signDelegatedSubscription: Effect.fn("Signer.signDelegatedSubscription")((params) =>
      DelegatedSubscription.signDelegatedSubscriptionEffect({ ...params, account, walletClient })
    ),
    prepareDelegatedSubscription: Effect.fn("Signer.prepareDelegatedSubscription")((params) =>
      DelegatedSubscription.prepareDelegatedSubscriptionEffect({ ...params, account, walletClient })
    ),
    toJSON: () => describe,
    toString: () => `Signer(${address})`,
    [NodeInspectSymbol]: () => describe
  } as Service
}

const PRIVATE_KEY = /^(?:0x)?[0-9a-fA-F]{64}$/

/**
 * Makes a signer from a private key: 32 bytes as 64 hex digits, with or without `0x`, surrounding whitespace
 * ignored (so a key file's trailing newline is fine). Fails with an `InvalidKey` reason that never contains the key.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPrivateKey = (privateKey: Redacted.Redacted<string>): Effect.Effect<Service, ChainError.ChainError> =>
  Effect.suspend(() => {
    const raw = Redacted.isRedacted(privateKey) ? Redacted.value(privateKey) : undefined
    if (typeof raw !== "string") {
      return Effect.fail(Errors.invalidKey("privateKey", "pass it wrapped in Redacted.make(...)"))
    }
    const key = raw.trim()
    if (!PRIVATE_KEY.test(key)) {
      return Effect.fail(Errors.invalidKey("privateKey", "expected 32 bytes as 64 hex digits, optionally 0x-prefixed"))
    }
    try {
      const account = privateKeyToAccount((key.startsWith("0x") ? key : `0x${key}`) as `0x${string}`)
      return Effect.succeed(make(account))
    } catch {
      return Effect.fail(Errors.invalidKey("privateKey", "not a valid secp256k1 private key (zero or out of range)"))
    }
  })

/**
 * Options of {@link fromMnemonic}: the BIP-44 derivation (`m/44'/60'/${accountIndex}'/${changeIndex}/${addressIndex}`
 * by default, index 0), as viem's `mnemonicToAccount` takes them.
 *
 * @since 0.1.0
 * @category models
 */
export type MnemonicOptions = HDOptions

/**
 * Makes a signer from a BIP-39 English mnemonic (checksum verified). Fails with an `InvalidKey` reason that never
 * contains the words.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromMnemonic = (
  mnemonic: Redacted.Redacted<string>,
  options?: MnemonicOptions
): Effect.Effect<Service, ChainError.ChainError> =>
  Effect.suspend(() => {
    const raw = Redacted.isRedacted(mnemonic) ? Redacted.value(mnemonic) : undefined
    if (typeof raw !== "string") {
      return Effect.fail(Errors.invalidKey("mnemonic", "pass it wrapped in Redacted.make(...)"))
    }
    const phrase = raw.trim().split(/\s+/).join(" ")
    const problem = validateMnemonic(phrase, english)
    if (problem !== undefined) return Effect.fail(Errors.invalidKey("mnemonic", problem))
    try {
      return Effect.succeed(make(mnemonicToAccount(phrase, options)))
    } catch {
      return Effect.fail(Errors.invalidKey("mnemonic", "cannot derive an account with these derivation options"))
    }
  })

/**
 * A layer providing {@link Signer} for a viem account.
 *
 * @example
 * ```ts
 * import { Signer } from "@infernet/chain"
 * import { mnemonicToAccount } from "viem/accounts"
 * const layer = Signer.layerAccount(mnemonicToAccount("test test test test test test test test test test test junk"))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerAccount = (
  account: Account,
  options?: { readonly walletClient?: DelegatedSubscription.SignDelegatedSubscriptionParameters["walletClient"] }
): Layer.Layer<Signer> => Layer.succeed(Signer, make(account, options))

/**
 * A layer providing {@link Signer} for a private key.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Signer } from "@infernet/chain"
 * const layer = Signer.layerPrivateKey(Redacted.make(process.env.PRIVATE_KEY ?? ""))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerPrivateKey = (privateKey: Redacted.Redacted<string>): Layer.Layer<Signer, ChainError.ChainError> =>
  Layer.effect(Signer, fromPrivateKey(privateKey))

/**
 * A layer providing {@link Signer} for a mnemonic.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Signer } from "@infernet/chain"
 * const layer = Signer.layerMnemonic(Redacted.make("test test test test test test test test test test test junk"), {
 *   addressIndex: 1
 * })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerMnemonic = (
  mnemonic: Redacted.Redacted<string>,
  options?: MnemonicOptions
): Layer.Layer<Signer, ChainError.ChainError> => Layer.effect(Signer, fromMnemonic(mnemonic, options))

/**
 * A layer providing {@link Signer} for a private key read from configuration (`Config.redacted("PRIVATE_KEY")` by
 * default). A missing or invalid setting fails with `InvalidKey`.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { Signer } from "@infernet/chain"
 * const layer = Signer.layerConfig(Config.redacted("INFERNET_PRIVATE_KEY"))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<Redacted.Redacted<string>> = Config.redacted("PRIVATE_KEY")
): Layer.Layer<Signer, ChainError.ChainError> =>
  Layer.effect(
    Signer,
    config.pipe(
      Effect.mapError((error) => Errors.invalidKey("privateKey", `configuration: ${String(error)}`)),
      Effect.flatMap(fromPrivateKey)
    )
  )

/**
 * The address of the current {@link Signer}.
 *
 * @since 0.1.0
 * @category accessors
 */
export const address: Effect.Effect<Address, never, Signer> = Effect.map(Signer, (signer) => signer.address)

/**
 * Signs a delegated subscription with the current {@link Signer}.
 *
 * @example
 * ```ts
 * import { Signer } from "@infernet/chain"
 * declare const params: import("@infernet/chain").DelegatedSubscription.DelegatedSubscriptionParameters
 * const program = Signer.signDelegatedSubscription(params)
 * ```
 * @since 0.1.0
 * @category accessors
 */
export const signDelegatedSubscription = (
  params: DelegatedSubscription.DelegatedSubscriptionParameters
): Effect.Effect<DelegatedSubscription.Signature, ChainError.ChainError, Signer> =>
  Effect.flatMap(Signer, (signer) => signer.signDelegatedSubscription(params))

/**
 * Prepares the signed REST body with the current {@link Signer} (chain id, default nonce, domain check, signature).
 *
 * @example
 * ```ts
 * import { Signer } from "@infernet/chain"
 * declare const params: Signer.PrepareParameters
 * const program = Signer.prepareDelegatedSubscription(params)
 * ```
 * @since 0.1.0
 * @category accessors
 */
export const prepareDelegatedSubscription = (
  params: PrepareParameters
): Effect.Effect<DelegatedSubscription.RequestBody, ChainError.ChainError, Signer> =>
  Effect.flatMap(Signer, (signer) => signer.prepareDelegatedSubscription(params))
