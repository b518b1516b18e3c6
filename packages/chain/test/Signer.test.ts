import { inspect } from "node:util"
import { assert, describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, type Layer, Redacted } from "effect"
import { privateKeyToAccount } from "viem/accounts"
import { type ChainError, DelegatedSubscription, Signer } from "../src/index.js"
import * as V from "./utils/vectors.js"

const params = {
  chainId: V.chainId,
  coordinator: V.v1.coordinator,
  nonce: V.nonce,
  expiry: V.expiry,
  subscription: V.v1.subscription
}

/** Everything a key could leak through. */
const surfaces = (value: unknown): string =>
  [String(value), JSON.stringify(value), inspect(value, { depth: 10 }), (value as Error)?.stack ?? ""].join("\n")

const keyFailure = (layerToTry: Layer.Layer<Signer.Signer, ChainError.ChainError>) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(Effect.provide(Signer.address, layerToTry))
    assert.strictEqual(error.reason._tag, "InvalidKey")
    return error
  })

describe("Signer", () => {
  layer(Signer.layerPrivateKey(Redacted.make(V.signerKey)))("layerPrivateKey", (it) => {
    it.effect("signs chain.md's generation 2 vector", () =>
      Effect.gen(function* () {
        assert.strictEqual(yield* Signer.address, V.signerAddress)
        const signature = yield* Signer.signDelegatedSubscription(params)
        assert.deepStrictEqual(signature, { nonce: 1, expiry: V.expiry, v: V.v1.v, r: V.v1.r, s: V.v1.s })
      })
    )

    it.effect("prepares a REST body without RPC when chain id, nonce and domain are given", () =>
      Effect.gen(function* () {
        const body = yield* Signer.prepareDelegatedSubscription({
          chainId: V.chainId,
          nonce: 1,
          checkDomain: false,
          coordinator: V.v1.coordinator,
          subscription: V.v1.subscription,
          expiry: V.expiry,
          data: { prompt: "hi" }
        })
        assert.deepStrictEqual(body.signature, { nonce: 1, expiry: V.expiry, v: V.v1.v, r: V.v1.r, s: V.v1.s })
        assert.strictEqual<string>(body.subscription.owner, V.v1.subscription.owner)
      })
    )

    it.effect("never shows the key: toString, toJSON, inspect", () =>
      Effect.gen(function* () {
        const signer = yield* Signer.Signer
        const text = surfaces(signer)
        assert.notInclude(text.toLowerCase(), V.signerKey.slice(2).toLowerCase())
        assert.strictEqual(String(signer), `Signer(${V.signerAddress})`)
        assert.deepStrictEqual(JSON.parse(JSON.stringify(signer)), {
          _id: "@infernet/chain/Signer",
          address: V.signerAddress
        })
      })
    )
  })

  it.effect("a private key without 0x, with a trailing newline (a key file) works", () =>
    Effect.gen(function* () {
      const address = yield* Effect.provide(
        Signer.address,
        Signer.layerPrivateKey(Redacted.make(`${V.signerKey.slice(2)}\n`))
      )
      assert.strictEqual(address, V.signerAddress)
    })
  )

  it.effect("mnemonic, private key and account layers sign identically", () =>
    Effect.gen(function* () {
      const layers = [
        Signer.layerMnemonic(Redacted.make(`  ${V.mnemonic}  `), { addressIndex: 1 }),
        Signer.layerPrivateKey(Redacted.make(V.signerKey)),
        Signer.layerAccount(privateKeyToAccount(V.signerKey))
      ]
      const signatures = yield* Effect.forEach(layers, (l) =>
        Effect.provide(Signer.signDelegatedSubscription(params), l)
      )
      assert.deepStrictEqual(signatures[0], signatures[1])
      assert.deepStrictEqual(signatures[1], signatures[2])
      const recovered = yield* DelegatedSubscription.recoverDelegatedSubscriptionSignerEffect({
        ...params,
        signature: signatures[0]!
      })
      assert.strictEqual(recovered, V.signerAddress)
    })
  )

  it.effect("rejects malformed keys without revealing them", () =>
    Effect.gen(function* () {
      const secret = "0xnotakey-but-a-secret-value-0123456789abcdef0123456789abcdef0123"
      const outOfRange = `0x${"ff".repeat(32)}`
      const errors = [
        yield* keyFailure(Signer.layerPrivateKey(Redacted.make(secret))),
        yield* keyFailure(Signer.layerPrivateKey(Redacted.make(outOfRange))),
        yield* keyFailure(Signer.layerPrivateKey(Redacted.make(`0x${"00".repeat(32)}`))),
        yield* keyFailure(Signer.layerPrivateKey(secret as never))
      ]
      for (const error of errors) {
        const text = surfaces(error)
        assert.notInclude(text, "secret-value")
        assert.notInclude(text, "ff".repeat(32))
      }
      expect(errors.map((e) => e.message)).toMatchInlineSnapshot(`
        [
          "Invalid private key: expected 32 bytes as 64 hex digits, optionally 0x-prefixed",
          "Invalid private key: not a valid secp256k1 private key (zero or out of range)",
          "Invalid private key: not a valid secp256k1 private key (zero or out of range)",
          "Invalid private key: pass it wrapped in Redacted.make(...)",
        ]
      `)
    })
  )

  it.effect("rejects invalid mnemonics without revealing them", () =>
    Effect.gen(function* () {
      const badChecksum = "test test test test test test test test test test test test"
      const unknownWord = "test test test test test test test test test test test zzzsecretzzz"
      const errors = [
        yield* keyFailure(Signer.layerMnemonic(Redacted.make(badChecksum))),
        yield* keyFailure(Signer.layerMnemonic(Redacted.make(unknownWord))),
        yield* keyFailure(Signer.layerMnemonic(Redacted.make("test junk")))
      ]
      for (const error of errors) assert.notInclude(surfaces(error), "zzzsecretzzz")
      expect(errors.map((e) => e.message)).toMatchInlineSnapshot(`
        [
          "Invalid mnemonic: the checksum does not match (a word is wrong)",
          "Invalid mnemonic: word 12 is not in the BIP-39 English word list",
          "Invalid mnemonic: expected 12, 15, 18, 21 or 24 words, got 2",
        ]
      `)
    })
  )

  it.effect("layerConfig reads a redacted key from configuration", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(new Map([["PRIVATE_KEY", V.key2]]))
      const address = yield* Effect.provide(Signer.address, Signer.layerConfig()).pipe(
        Effect.withConfigProvider(provider)
      )
      assert.strictEqual(address, V.address2)
      const missing = yield* Effect.flip(
        Effect.provide(Signer.address, Signer.layerConfig()).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      assert.strictEqual(missing.reason._tag, "InvalidKey")
      expect(missing.message).toMatch(/^Invalid private key: configuration: .*PRIVATE_KEY/)
    })
  )

  it.effect("a bad signing input fails in the error channel", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.provide(
          Signer.signDelegatedSubscription({ ...params, expiry: 2 ** 32 }),
          Signer.layerAccount(privateKeyToAccount(V.signerKey))
        )
      )
      assert.strictEqual(
        error.message,
        "Invalid subscription: expiry must fit uint32 (0 to 4294967295), got 4294967296"
      )
    })
  )
})
