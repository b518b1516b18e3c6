// Every write of this package goes through `write` / `sendValue`: simulate (eth_call) first, then send, then poll for
// the receipt with a timeout, then decode the expected event. Reverts become typed ChainError reasons (`revert`),
// never a raw hex blob.
import { Duration, Effect, Schedule } from "effect"
import {
  type Abi,
  type Account,
  type Address,
  BaseError,
  type Client,
  ContractFunctionRevertedError,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  InsufficientFundsError,
  keccak256,
  parseEventLogs,
  RpcRequestError,
  type TransactionReceipt,
  type WalletClient
} from "viem"
import {
  call,
  getTransactionReceipt,
  prepareTransactionRequest,
  sendRawTransaction,
  sendTransaction,
  simulateContract
} from "viem/actions"
import * as ChainError from "../ChainError.js"
import * as Errors from "./errors.js"
import * as Rpc from "./rpc.js"

/** What every write accepts besides its own arguments. @internal */
export interface WriteParameters extends Rpc.ClientParameters {
  /**
   * Who sends: a local viem account (`privateKeyToAccount`, `mnemonicToAccount`; signs locally and sends with
   * `eth_sendRawTransaction`), or an address the node manages (`eth_sendTransaction`). Defaults to the
   * `walletClient`'s account.
   */
  readonly account?: Account | Address | undefined
  /** A viem `WalletClient` to send with (a browser wallet, a JSON-RPC account). */
  readonly walletClient?: WalletClient | undefined
  /** How long to wait for the receipt after sending, in milliseconds (default 60 s). */
  readonly timeoutMs?: number | undefined
  /** How often to ask for the receipt, in milliseconds (default 1 s). */
  readonly pollingIntervalMs?: number | undefined
}

/** @internal */
export const DEFAULT_TIMEOUT_MS = 60_000
/** @internal */
export const DEFAULT_POLLING_INTERVAL_MS = 1_000

/** Custom errors of the payment contracts and ERC20 tokens, by selector (so ABIs without them still decode). */
const knownErrors: Record<string, string> = {
  "0x356680b7": "InsufficientFunds",
  "0x13be252b": "InsufficientAllowance",
  "0x82b42900": "Unauthorized",
  "0x9ec853e6": "NotCoordinator",
  "0x23455ba1": "InvalidWallet",
  "0xf4d678b8": "InsufficientBalance",
  "0xe450d38c": "ERC20InsufficientBalance",
  "0xfb8f41b2": "ERC20InsufficientAllowance",
  "0x90b8ec18": "TransferFailed"
}

/** What a revert is decoded against: the call and whatever the caller knows about it. @internal */
export interface RevertContext {
  /** The called contract's ABI, to decode its custom errors (the payment contracts' are known by selector anyway). */
  readonly abi?: Abi | undefined
  readonly contract: Address
  readonly functionName: string
  readonly sender: Address
  readonly token?: Address | undefined
  readonly spender?: Address | undefined
  readonly amount?: bigint | undefined
  readonly hash?: Hex | undefined
}

const HEX = /^0x(?:[0-9a-fA-F]{2})+$/
const REVERTED_TEXT = /\bReverted (0x(?:[0-9a-fA-F]{2})+)\b/i

/** Revert data in one value: hex of at least a selector, or text like Nethermind's `"Reverted 0x356680b7"`. */
const hexIn = (value: unknown): Hex | undefined => {
  if (typeof value !== "string") return undefined
  if (HEX.test(value) && value.length >= 10) return value as Hex
  const text = REVERTED_TEXT.exec(value)
  return text !== null && text[1]!.length >= 10 ? (text[1] as Hex) : undefined
}

/**
 * The revert data anywhere in a failure, whatever node shaped it: hex in an error's `data` (Geth, Anvil, Besu,
 * Ganache's `eth_call`), in `data.data` (Hardhat) or `data.result` (Ganache 7's transactions), or a `"Reverted 0x..."`
 * string (older Nethermind, -32015), down the `cause` chain of viem's errors and the JSON-RPC error objects.
 *
 * @internal
 */
export const findRevertData = (cause: unknown): Hex | undefined => {
  const seen = new Set<unknown>()
  const queue: Array<unknown> = [cause]
  while (queue.length > 0 && seen.size < 64) {
    const value = queue.shift()
    if (value === null || typeof value !== "object" || seen.has(value)) continue
    seen.add(value)
    const record = value as Record<string, unknown>
    if (value instanceof ContractFunctionRevertedError && value.raw !== undefined && value.raw.length >= 10) {
      return value.raw
    }
    const data = record.data
    const found =
      hexIn(data) ??
      (data !== null && typeof data === "object"
        ? (hexIn((data as Record<string, unknown>).data) ?? hexIn((data as Record<string, unknown>).result))
        : undefined) ??
      hexIn(record.details) ??
      (typeof record.message === "string" ? hexIn(REVERTED_TEXT.exec(record.message)?.[0]) : undefined)
    if (found !== undefined) return found
    for (const next of [record.cause, record.error, data]) if (next !== undefined) queue.push(next)
  }
  return undefined
}

/** Texts of a failure that say "revert" (Ganache's "VM Exception while processing transaction: revert", ...). */
const REVERT_TEXT = /revert/i

/** Whether a failure is a revert (as opposed to a transport or RPC failure), whatever the node's error shape. */
const isRevert = (cause: unknown): boolean => {
  if (findRevertData(cause) !== undefined) return true
  if (!(cause instanceof BaseError)) return false
  return (
    cause.walk(
      (e) =>
        e instanceof ContractFunctionRevertedError ||
        (e instanceof BaseError && (REVERT_TEXT.test(e.name) || REVERT_TEXT.test(e.shortMessage))) ||
        (e instanceof RpcRequestError && (e.code === 3 || e.code === -32015 || REVERT_TEXT.test(e.details)))
    ) !== null
  )
}

/** What a revert says: the custom error's name (decoded against `abi`, else by known selector), its selector, or an `Error(string)` reason. */
interface Decoded {
  readonly errorName?: string
  readonly selector?: Hex
  readonly reason?: string
}

/**
 * Decodes a failure's revert: `undefined` when the failure is no revert (a transport or RPC failure).
 *
 * @internal
 */
export const decodeRevert = (cause: unknown, abi?: Abi): Decoded | undefined => {
  if (!isRevert(cause)) return undefined
  const data = findRevertData(cause)
  if (data === undefined) {
    const reverted = cause instanceof BaseError ? cause.walk((e) => e instanceof ContractFunctionRevertedError) : null
    if (reverted instanceof ContractFunctionRevertedError) {
      const errorName = reverted.data?.errorName
      return {
        ...(errorName === undefined || errorName === "Error" ? {} : { errorName }),
        ...(reverted.signature === undefined ? {} : { selector: reverted.signature }),
        ...(reverted.reason === undefined || /^execution reverted$/i.test(reverted.reason)
          ? {}
          : { reason: reverted.reason })
      }
    }
    return {}
  }
  const selector = data.slice(0, 10) as Hex
  try {
    const decoded = decodeErrorResult({ abi: abi ?? [], data })
    if (decoded.errorName === "Error") return { selector, reason: String(decoded.args?.[0] ?? "") }
    if (decoded.errorName === "Panic") return { selector, reason: `panic ${String(decoded.args?.[0] ?? "")}` }
    return { errorName: decoded.errorName, selector }
  } catch {
    const errorName = knownErrors[selector]
    return { ...(errorName === undefined ? {} : { errorName }), selector }
  }
}

/**
 * Maps a failed simulation, send or receipt to a ChainError: typed reasons for the payment contracts' errors and
 * a sender short of ETH, `TransactionReverted` for other reverts, `RpcError` for everything else.
 *
 * @internal
 */
export const toChainError = (ctx: RevertContext, cause: unknown): ChainError.ChainError => {
  if (ChainError.isChainError(cause)) return cause
  const fail = (reason: ChainError.ChainErrorReason) => Errors.withCause(new ChainError.ChainError({ reason }), cause)
  const short = cause instanceof BaseError ? cause.walk((e) => e instanceof InsufficientFundsError) : null
  if (short !== null) {
    return fail(
      new ChainError.InsufficientFunds({
        contract: ctx.contract,
        functionName: ctx.functionName,
        ...(ctx.token === undefined ? {} : { token: ctx.token }),
        detail: `the sender ${ctx.sender} cannot pay the value and the gas`
      })
    )
  }
  const decoded = decodeRevert(cause, ctx.abi)
  if (decoded === undefined) return Errors.rpcError(ctx.functionName, cause)
  const { errorName, selector, reason } = decoded
  const token = ctx.token === undefined ? {} : { token: ctx.token }
  const amount = ctx.amount === undefined ? {} : { required: ctx.amount }
  switch (errorName) {
    case "InsufficientFunds":
    case "InsufficientBalance":
    case "ERC20InsufficientBalance":
      return fail(
        new ChainError.InsufficientFunds({
          contract: ctx.contract,
          functionName: ctx.functionName,
          ...token,
          ...amount,
          detail:
            errorName === "InsufficientFunds"
              ? "more than the unlocked balance (balance minus escrow)"
              : "more than the sender's token balance"
        })
      )
    case "InsufficientAllowance":
    case "ERC20InsufficientAllowance":
      return fail(
        new ChainError.InsufficientAllowance({
          contract: ctx.contract,
          ...(ctx.spender === undefined ? {} : { spender: ctx.spender }),
          ...token,
          ...amount,
          detail: `${ctx.functionName} reverted ${errorName}()`
        })
      )
    case "Unauthorized":
      return fail(
        new ChainError.NotOwner({ contract: ctx.contract, functionName: ctx.functionName, sender: ctx.sender })
      )
    case "NotCoordinator":
      return fail(
        new ChainError.NotCoordinator({ contract: ctx.contract, functionName: ctx.functionName, sender: ctx.sender })
      )
    case "InvalidWallet":
      return fail(
        new ChainError.InvalidWallet({ wallet: ctx.contract, detail: `${ctx.functionName} reverted InvalidWallet()` })
      )
  }
  return fail(
    new ChainError.TransactionReverted({
      contract: ctx.contract,
      functionName: ctx.functionName,
      ...(errorName === undefined ? {} : { errorName }),
      ...(selector === undefined ? {} : { selector }),
      ...(ctx.hash === undefined ? {} : { hash: ctx.hash }),
      detail:
        reason !== undefined && reason !== "execution reverted"
          ? reason
          : errorName === undefined && selector === undefined
            ? "no revert data: is the address the right contract?"
            : ""
    })
  )
}

/** The clients of a write: `read` simulates and polls, `send` sends; `account` is the sender. @internal */
export interface Resolved {
  readonly read: Client
  readonly send: Client
  readonly account: Account | Address
  readonly sender: Address
}

/** @internal */
export const resolve = (params: WriteParameters): Effect.Effect<Resolved, ChainError.ChainError> =>
  Effect.gen(function* () {
    const walletClient = params.walletClient
    const read =
      params.publicClient !== undefined || params.rpcUrl !== undefined || walletClient === undefined
        ? yield* Rpc.resolveClient(params)
        : walletClient
    const account = params.account ?? walletClient?.account
    if (account === undefined) {
      return yield* Effect.fail(
        Errors.signingError("no sender: pass account (a viem account or address) or a walletClient with an account")
      )
    }
    const sender = typeof account === "string" ? account : account.address
    return { read, send: walletClient ?? read, account, sender }
  })

/** Polls for the receipt every `pollingIntervalMs` until it exists, failing with `ReceiptTimeout` after `timeoutMs`. */
const awaitReceipt = (
  client: Client,
  hash: Hex,
  functionName: string,
  params: WriteParameters
): Effect.Effect<TransactionReceipt, ChainError.ChainError> => {
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const poll = Effect.tryPromise({
    try: () => getTransactionReceipt(client, { hash }),
    catch: (cause) => cause
  })
  // The transaction is out: every failure of a poll (not mined yet, or a flaky RPC) is retried until the timeout,
  // because failing early would invite sending it again.
  return poll.pipe(
    Effect.retry({
      schedule: Schedule.spaced(Duration.millis(params.pollingIntervalMs ?? DEFAULT_POLLING_INTERVAL_MS)),
      while: () => true
    }),
    Effect.orDie,
    Effect.timeoutFail({
      duration: Duration.millis(timeoutMs),
      onTimeout: () =>
        new ChainError.ChainError({ reason: new ChainError.ReceiptTimeout({ hash, functionName, timeoutMs }) })
    })
  )
}

/** The outcome of a write: the transaction hash, its receipt, the simulated result and the decoded events. @internal */
export interface Written<R> {
  readonly hash: Hex
  readonly receipt: TransactionReceipt
  readonly result: R
}

/** A contract call to write. @internal */
export interface ContractCall {
  readonly address: Address
  readonly abi: Abi
  readonly functionName: string
  readonly args: ReadonlyArray<unknown>
  /** Fields of the revert context besides contract, function and sender. */
  readonly context?: Omit<RevertContext, "contract" | "functionName" | "sender"> | undefined
}

const mined = (
  ctx: RevertContext,
  resolved: Resolved,
  hash: Hex,
  params: WriteParameters
): Effect.Effect<TransactionReceipt, ChainError.ChainError> =>
  Effect.flatMap(awaitReceipt(resolved.read, hash, ctx.functionName, params), (receipt) =>
    receipt.status === "success"
      ? Effect.succeed(receipt)
      : Effect.fail(
          new ChainError.ChainError({
            reason: new ChainError.TransactionReverted({
              contract: ctx.contract,
              functionName: ctx.functionName,
              hash,
              detail: "the transaction was mined but reverted (the state changed after the simulation?)"
            })
          })
        )
  )

/** What is sent: a call (`data`) and / or ETH (`value`) to `to`. */
interface Request {
  readonly to: Address
  readonly data?: Hex | undefined
  readonly value?: bigint | undefined
}

/**
 * Whether a failed send certainly left nothing behind: the node answered a JSON-RPC error (it refused the
 * transaction), other than "already known" (it has it). A timeout, a dropped connection or an HTTP error may follow a
 * node that did take the transaction.
 */
const refused = (cause: unknown): boolean => {
  if (!(cause instanceof BaseError)) return false
  const answered = cause.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null
  if (answered === null) return false
  const text = `${answered.details} ${answered.shortMessage}`
  return !/already known|known transaction|already imported|already in (the )?(tx|transaction)?pool/i.test(text)
}

/** The ChainError of a transaction whose send failed after it left: it may be on chain. @internal */
export const maybeSent = (ctx: RevertContext, hash: Hex | undefined, cause: unknown): ChainError.ChainError =>
  Errors.withCause(
    new ChainError.ChainError({
      reason: new ChainError.TransactionMaybeSent({
        contract: ctx.contract,
        functionName: ctx.functionName,
        sender: ctx.sender,
        ...(hash === undefined ? {} : { hash }),
        detail: Errors.describe(cause)
      })
    }),
    cause
  )

/**
 * Sends a transaction and returns its hash. A local account (`privateKeyToAccount`, ...) signs here, so the hash is
 * known before anything leaves: `keccak256` of the signed transaction, then `eth_sendRawTransaction`. From the moment
 * the signed transaction is handed to the RPC, a failure that does not prove it was refused (a timeout, a dropped
 * connection, an HTTP error) is `TransactionMaybeSent` with the hash, never a plain RPC error: sending again would pay
 * twice. An address sends with `eth_sendTransaction` (the node signs), whose hash is only known from its answer.
 */
const send = (ctx: RevertContext, resolved: Resolved, request: Request): Effect.Effect<Hex, ChainError.ChainError> =>
  Effect.gen(function* () {
    const account = resolved.account
    const client = resolved.send
    const chain = client.chain ?? null
    if (typeof account === "string" || account.type !== "local") {
      return yield* Effect.tryPromise({
        try: () => sendTransaction(client, { account, chain, ...request } as never),
        catch: (cause) => (refused(cause) ? toChainError(ctx, cause) : maybeSent(ctx, undefined, cause))
      })
    }
    // Before the send, failures are what they seem: nothing has left.
    const prepared = yield* Effect.tryPromise({
      try: () => prepareTransactionRequest(client, { account, chain, ...request } as never),
      catch: (cause) => toChainError(ctx, cause)
    })
    const serializer = client.chain?.serializers?.transaction
    const signed = yield* Effect.tryPromise({
      try: () => account.signTransaction(prepared as never, serializer === undefined ? undefined : { serializer }),
      catch: (cause) => Errors.signingError(Errors.describe(cause))
    })
    const hash = keccak256(signed)
    return yield* Effect.tryPromise({
      try: () => sendRawTransaction(client, { serializedTransaction: signed }),
      catch: (cause) => (refused(cause) ? toChainError(ctx, cause) : maybeSent(ctx, hash, cause))
    }).pipe(Effect.as(hash))
  })

/**
 * Simulates `functionName` as the sender, sends it, waits for the receipt and returns the hash, the receipt and
 * the simulated return value.
 *
 * @internal
 */
export const write = <R = unknown>(
  resolved: Resolved,
  params: WriteParameters,
  callParams: ContractCall
): Effect.Effect<Written<R>, ChainError.ChainError> =>
  Effect.gen(function* () {
    const ctx: RevertContext = {
      ...callParams.context,
      abi: callParams.abi,
      contract: callParams.address,
      functionName: callParams.functionName,
      sender: resolved.sender
    }
    const simulated = yield* Effect.tryPromise({
      try: () =>
        simulateContract(resolved.read, {
          address: callParams.address,
          abi: callParams.abi,
          functionName: callParams.functionName,
          args: callParams.args,
          account: resolved.account
        } as never) as Promise<{ result: R; request: Record<string, unknown> }>,
      catch: (cause) => toChainError(ctx, cause)
    })
    const data = encodeFunctionData({
      abi: callParams.abi,
      functionName: callParams.functionName,
      args: callParams.args
    } as never)
    const hash = yield* send(ctx, resolved, { to: callParams.address, data })
    const receipt = yield* mined({ ...ctx, hash }, resolved, hash, params)
    return { hash, receipt, result: simulated.result }
  })

/**
 * Sends ETH with a plain transfer (a wallet's `receive()`): `eth_call` first, then send, then the receipt.
 *
 * @internal
 */
export const sendValue = (
  resolved: Resolved,
  params: WriteParameters,
  to: Address,
  value: bigint
): Effect.Effect<Written<undefined>, ChainError.ChainError> =>
  Effect.gen(function* () {
    const ctx: RevertContext = { contract: to, functionName: "fund", sender: resolved.sender, amount: value }
    yield* Effect.tryPromise({
      try: () => call(resolved.read, { account: resolved.account, to, value }),
      catch: (cause) => toChainError(ctx, cause)
    })
    const hash = yield* send(ctx, resolved, { to, value })
    const receipt = yield* mined({ ...ctx, hash }, resolved, hash, params)
    return { hash, receipt, result: undefined }
  })

/** The first `eventName` log the contract at `address` emitted in the receipt, decoded. @internal */
export const eventOf = <const A extends Abi>(
  abi: A,
  receipt: TransactionReceipt,
  address: Address,
  eventName: string
): Record<string, unknown> | undefined => {
  const logs = parseEventLogs({ abi: abi as Abi, logs: receipt.logs, eventName, strict: true })
  const log = logs.find((l) => l.address.toLowerCase() === address.toLowerCase())
  return log === undefined ? undefined : ((log as unknown as { args: Record<string, unknown> }).args ?? undefined)
}

/** A read (`eth_call` of a view) whose failure is an RpcError naming the function. @internal */
export const read = <A>(functionName: string, run: () => Promise<A>): Effect.Effect<A, ChainError.ChainError> =>
  Effect.tryPromise({ try: run, catch: (cause) => Errors.rpcError(functionName, cause) })
