import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { ChainError } from "../src/index.js"

const wallet = "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be"
const owner = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
const zero = "0x0000000000000000000000000000000000000000"

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
      new ChainError.DevnetError({ detail: "anvil not found" }),
      new ChainError.InvalidArgument({ field: "amount", detail: '"1 bitcoin" has an unknown unit' }),
      new ChainError.InsufficientFunds({
        contract: wallet,
        functionName: "withdraw",
        token: zero,
        required: 7n,
        available: 5n,
        detail: "more than the unlocked balance"
      }),
      new ChainError.InsufficientFunds({ contract: wallet, functionName: "fund", detail: "" }),
      new ChainError.InsufficientAllowance({
        contract: wallet,
        spender: owner,
        token: zero,
        required: 10n,
        allowance: 0n,
        detail: ""
      }),
      new ChainError.InsufficientAllowance({ contract: wallet, detail: "cLock reverted InsufficientAllowance()" }),
      new ChainError.NotOwner({ contract: wallet, functionName: "approve", sender: owner, owner: zero }),
      new ChainError.NotOwner({ contract: wallet, functionName: "withdraw", sender: owner }),
      new ChainError.NotCoordinator({ contract: wallet, functionName: "cLock", sender: owner }),
      new ChainError.InvalidWallet({ wallet, factory: owner, detail: "" }),
      new ChainError.InvalidWallet({ wallet, detail: "createSubscription reverted InvalidWallet()" }),
      new ChainError.TransactionReverted({
        contract: wallet,
        functionName: "approve",
        errorName: "Paused",
        detail: ""
      }),
      new ChainError.TransactionReverted({
        contract: wallet,
        functionName: "approve",
        selector: "0xdeadbeef",
        hash: `0x${"ab".repeat(32)}`,
        detail: "mined, then reverted"
      }),
      new ChainError.ReceiptTimeout({ hash: `0x${"ab".repeat(32)}`, functionName: "fund", timeoutMs: 60_000 })
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
        "Invalid amount: "1 bitcoin" has an unknown unit",
        "Insufficient funds for withdraw on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be: asked for 7, 5 available (more than the unlocked balance)",
        "Insufficient funds for fund on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
        "Insufficient allowance: 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be has not approved spender 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0 for enough of ETH: allowance 0, needs 10",
        "Insufficient allowance: 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be has not approved the spender for enough (cLock reverted InsufficientAllowance())",
        "Only its owner 0x0000000000000000000000000000000000000000 can call approve on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be; the sender is 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "Only its owner can call withdraw on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be; the sender is 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "Only the Coordinator can call cLock on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be; the sender is 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "Invalid wallet: 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be was not created by the WalletFactory 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        "Invalid wallet: 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be was not created by the WalletFactory (createSubscription reverted InvalidWallet())",
        "approve on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be would revert with Paused()",
        "approve on 0xa16E02E87b7454126E5E10d957A927A7F5B5d2be reverted in 0xabababababababababababababababababababababababababababababababab with error 0xdeadbeef (mined, then reverted)",
        "No receipt for fund transaction 0xabababababababababababababababababababababababababababababababab after 60000 ms; it may still be mined, check it before sending again",
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
    // amounts travel as decimal strings
    const funds = new ChainError.ChainError({
      reason: new ChainError.InsufficientFunds({
        contract: wallet,
        functionName: "withdraw",
        required: 2n ** 200n,
        available: 1n,
        detail: ""
      })
    })
    const text = JSON.stringify(Schema.encodeSync(ChainError.ChainError)(funds))
    assert.include(text, `"required":"${2n ** 200n}"`)
    const back = Schema.decodeUnknownSync(ChainError.ChainError)(JSON.parse(text))
    assert.strictEqual((back.reason as ChainError.InsufficientFunds).required, 2n ** 200n)
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

describe("ChainError.catchReason(s)", () => {
  const failing = (reason: ChainError.ChainErrorReason) => Effect.fail(new ChainError.ChainError({ reason }))
  const rpc = new ChainError.RpcError({ method: "eth_call", detail: "connection refused" })
  const key = new ChainError.InvalidKey({ kind: "privateKey", detail: "not 32 bytes" })

  it.effect("catchReason handles its reason, narrowed; other reasons and other errors pass through", () =>
    Effect.gen(function* () {
      const handled = yield* failing(rpc).pipe(
        ChainError.catchReason("RpcError", (reason, error) => Effect.succeed(`${reason.method}: ${error.message}`))
      )
      assert.strictEqual(handled, "eth_call: RPC call eth_call failed: connection refused")
      const passed = yield* Effect.flip(ChainError.catchReason(failing(key), "RpcError", () => Effect.succeed("no")))
      assert.strictEqual(passed.reason, key)
      const other = yield* Effect.flip(
        ChainError.catchReason(Effect.fail("other" as const), "RpcError", () => Effect.succeed("no"))
      )
      assert.strictEqual(other, "other")
    })
  )

  it.effect("catchReasons picks the handler of the reason's tag", () =>
    Effect.gen(function* () {
      const handlers = {
        RpcError: (reason: ChainError.RpcError) => Effect.succeed(`rpc ${reason.detail}`),
        InvalidKey: (reason: ChainError.InvalidKey) => Effect.succeed(`key ${reason.kind}`)
      }
      assert.strictEqual(yield* ChainError.catchReasons(failing(rpc), handlers), "rpc connection refused")
      assert.strictEqual(yield* failing(key).pipe(ChainError.catchReasons(handlers)), "key privateKey")
      const signing = new ChainError.SigningError({ detail: "no typed data" })
      const passed = yield* Effect.flip(failing(signing).pipe(ChainError.catchReasons(handlers)))
      assert.strictEqual(passed.reason, signing)
    })
  )
})
