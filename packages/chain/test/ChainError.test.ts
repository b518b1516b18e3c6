import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { ChainError } from "../src/index.js"

describe("ChainError", () => {
  it("carries a tagged reason and takes its message", () => {
    const error = new ChainError.ChainError({
      reason: new ChainError.InvalidSubscription({ field: "owner", detail: "must be an address" })
    })
    assert.strictEqual(error._tag, "ChainError")
    assert.strictEqual(error.reason._tag, "InvalidSubscription")
    assert.strictEqual(error.message, "Invalid subscription: owner must be an address")
    assert.isTrue(error instanceof Error)
    assert.isTrue(ChainError.isChainError(error))
    assert.isFalse(ChainError.isChainError(new Error("x")))
  })

  it("has a readable message for every reason", () => {
    const reasons: Array<ChainError.ChainErrorReason> = [
      new ChainError.InvalidSignature({ detail: "v must be 27 or 28, got 1" }),
      new ChainError.InvalidRequest({ detail: "signature.v: Expected 27" }),
      new ChainError.InvalidKey({ kind: "privateKey", detail: "expected 32 bytes" }),
      new ChainError.InvalidKey({ kind: "mnemonic", detail: "expected 12 words" }),
      new ChainError.RpcError({ method: "eth_chainId", detail: "HTTP request failed." }),
      new ChainError.DomainMismatch({
        coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        field: "name",
        expected: "InfernetCoordinator",
        actual: "Other"
      }),
      new ChainError.SigningError({ detail: "user rejected" }),
      new ChainError.SimulationReverted({
        coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        errorName: "SignerMismatch",
        selector: "0x10c74b03",
        detail: ""
      }),
      new ChainError.SimulationReverted({
        coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        detail: "is the owner a contract that exposes its delegated signer?"
      }),
      new ChainError.DevnetError({ detail: "anvil not found" })
    ]
    expect(reasons.map((reason) => new ChainError.ChainError({ reason }).message)).toMatchInlineSnapshot(`
      [
        "Invalid signature: v must be 27 or 28, got 1",
        "Invalid delegated subscription request: signature.v: Expected 27",
        "Invalid private key: expected 32 bytes",
        "Invalid mnemonic: expected 12 words",
        "RPC call eth_chainId failed: HTTP request failed.",
        "Refusing to sign: the Coordinator at 0x5FbDB2315678afecb367f032d93F642f64180aa3 uses EIP-712 name "Other", expected "InfernetCoordinator". Check the Coordinator address and chain, or pass checkDomain: false to sign anyway.",
        "Signing failed: user rejected",
        "createSubscriptionDelegatee would revert with SignerMismatch() on 0x5FbDB2315678afecb367f032d93F642f64180aa3: the recovered signer is not the owner contract's delegated signer (wrong key, owner or nonce, or a changed field)",
        "createSubscriptionDelegatee would revert with no reason on 0x5FbDB2315678afecb367f032d93F642f64180aa3 (is the owner a contract that exposes its delegated signer?)",
        "Devnet: anvil not found",
      ]
    `)
  })

  it("round-trips through its schema (it can cross a process boundary)", () => {
    const error = new ChainError.ChainError({
      reason: new ChainError.SimulationReverted({
        coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        errorName: "SignatureExpired",
        detail: "reverted"
      })
    })
    const encoded = Schema.encodeSync(ChainError.ChainError)(error)
    assert.deepStrictEqual(JSON.parse(JSON.stringify(encoded)), {
      _tag: "ChainError",
      reason: {
        _tag: "SimulationReverted",
        coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        errorName: "SignatureExpired",
        detail: "reverted"
      }
    })
    const decoded = Schema.decodeUnknownSync(ChainError.ChainError)(encoded)
    assert.strictEqual(decoded.message, error.message)
  })

  it.effect("is yieldable and catchable by tag", () =>
    Effect.gen(function* () {
      const result = yield* new ChainError.ChainError({
        reason: new ChainError.SigningError({ detail: "nope" })
      }).pipe(Effect.catchTag("ChainError", (e) => Effect.succeed(e.reason._tag)))
      assert.strictEqual(result, "SigningError")
    })
  )
})
