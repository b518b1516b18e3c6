// The payment commands, with Ritual's Python CLI 1.4 flags: `create-wallet`, `approve`, `fund`, `withdraw`, and a
// read-only `balance`. The chain work is @infernet/chain's (`WalletFactory`, `Wallet`, `Token`, `Amount`): every write
// is simulated before it is sent, waits for its receipt, and fails with a typed reason (exit code 6) when it would
// revert. Keys are only ever held in a `Redacted` and never printed.
//
// @infernet/chain and viem are only imported at run time, as in `sub`: the other commands never evaluate them.
import type { FileSystem } from "@effect/platform"
import type { ChainError } from "@infernet/chain"
import { Effect, Option, Redacted } from "effect"
import type { Account, Client, Hex } from "viem"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import { Io } from "./Io.js"
import * as Output from "./output.js"
import * as Redact from "./redact.js"
import { define, NAME, root } from "./root.js"
import * as Spec from "./spec.js"
import * as Sub from "./sub.js"

const ETH = "0x0000000000000000000000000000000000000000"

/**
 * Python's `-pk` is a two-letter short flag, which @effect/cli cannot declare (it reads `-pk` as `-p -k`): spell it
 * `--private-key` before parsing. Only before a `--`.
 *
 * @internal
 */
export const expandShortFlags = (args: ReadonlyArray<string>): Array<string> => {
  const end = args.indexOf("--")
  return args.map((arg, i) =>
    (end === -1 || i < end) && (arg === "-pk" || arg.startsWith("-pk="))
      ? `--private-key${arg.slice("-pk".length)}`
      : arg
  )
}

// --- flags -----------------------------------------------------------------------------------------------------------

const rpcUrl = Spec.text({
  name: "rpc-url",
  aliases: ["rpc_url"],
  arg: "URL",
  summary: "The chain's JSON-RPC URL (or --rpc_url)",
  env: "RPC_URL"
})

const privateKey = Spec.redacted({
  name: "private-key",
  arg: "KEY",
  summary: "The sender's key, hex (or -pk)",
  env: "PRIVATE_KEY"
})

const keyFile = Spec.text({ name: "key", arg: "FILE", summary: "File with the sender's private key (hex)" })

const walletFlag = Spec.requiredText({ name: "wallet", short: "w", arg: "ADDRESS", summary: "The Infernet wallet" })

const tokenFlag = Spec.text({
  name: "token",
  short: "t",
  arg: "ADDRESS",
  summary: "The ERC20 token",
  default: "ETH (the zero address)"
})

/** What an amount looks like (as @infernet/chain's Amount.parse reads it): a bad one is a usage error, before any RPC. */
const AMOUNT_SHAPE = /^(\d+(?:\.\d*)?|\.\d+)(?:\s*[A-Za-z][A-Za-z0-9._-]*)?$/

const amountFlag = Spec.requiredText({
  name: "amount",
  short: "a",
  arg: "AMOUNT",
  summary: "100 (wei), '1 ether', '100 gwei', '2 USDC'",
  validate: (value) =>
    AMOUNT_SHAPE.test(value.trim())
      ? undefined
      : `${/^(0x)?[0-9a-f]{16,}$/i.test(value.trim()) ? "this value" : JSON.stringify(value)} is not an amount: write an integer of smallest units (100), a decimal of whole ` +
        "tokens (1.5), or a number and a unit (1 ether, 100 gwei, 2 USDC)"
})

/** The flags of the commands that send a transaction. */
const sending = { rpcUrl, privateKey, key: keyFile }

/** What the payment commands read of the global flags and their own. */
interface CommonFlags {
  readonly json: boolean
  readonly pretty: boolean
  readonly timeout: Option.Option<number>
  readonly rpcUrl: Option.Option<string>
}

interface SendingFlags extends CommonFlags {
  readonly privateKey: Option.Option<Redacted.Redacted<string>>
  readonly key: Option.Option<string>
}

const KEYS =
  "The sender's key: --key FILE (a file holding it), PRIVATE_KEY, or --private-key KEY (-pk KEY, as in Python " +
  "1.4; other users of the machine can see a command line). Keys are never printed."

const AMOUNTS =
  "Amounts: 100 is in wei (or the token's smallest unit); '1 ether', '100 gwei', '1.5' (whole tokens) and " +
  "'2 USDC' (the token's symbol) use the token's own decimals, where the Python client uses 18 for every token."

const CHAIN_EXCERPT = {
  why: "needs a chain RPC, a funded key and a WalletFactory; the demo (scripts/demo.mjs) runs these on Anvil"
}

// --- plumbing --------------------------------------------------------------------------------------------------------

const fromFlagOrEnv = (flag: Option.Option<string>, name: string, missing: string) =>
  Effect.flatMap(Flags.env(name), (value) =>
    Option.match(
      Option.orElse(flag, () => value),
      {
        onNone: () => Effect.fail(Errors.usage(missing)),
        onSome: Effect.succeed
      }
    )
  )

const loadChain = Effect.promise(() => import("@infernet/chain"))

/** A ChainError as a CliError (exit code 6); anything else is left alone. */
const chain = <A, R>(effect: Effect.Effect<A, ChainError.ChainError, R>) =>
  Effect.mapError(effect, Errors.fromChainError)

interface Context {
  readonly output: Output.OutputOptions
  /** Every RPC request goes through this client: bounded by --timeout, no retry, sends announced on stderr. */
  readonly publicClient: Client
  readonly lib: typeof import("@infernet/chain")
}

/**
 * The hashes of the signed transactions in a JSON-RPC request body (`eth_sendRawTransaction`): the hash of a signed
 * transaction is the keccak256 of its bytes, so it is known before the node answers.
 *
 * @internal
 */
export const sentHashes = (body: unknown, keccak256: (hex: Hex) => Hex): Array<Hex> => {
  if (typeof body !== "string" || !body.includes("eth_sendRawTransaction")) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return []
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed]
  return messages.flatMap((message: { method?: unknown; params?: unknown }) => {
    const raw = Array.isArray(message?.params) ? message.params[0] : undefined
    return message?.method === "eth_sendRawTransaction" && typeof raw === "string" && /^0x[0-9a-fA-F]*$/.test(raw)
      ? [keccak256(raw as Hex)]
      : []
  })
}

/** The global `--timeout` (after the command name wins), in seconds. */
const timeoutOf = (before: Option.Option<number>, after: Option.Option<number>) =>
  Effect.gen(function* () {
    const seconds = Option.getOrElse(
      Option.orElse(after, () => before),
      () => Flags.DEFAULT_TIMEOUT_SECONDS
    )
    if (seconds <= 0) return yield* Errors.usage(`--timeout must be a positive number of seconds, got ${seconds}`)
    return seconds
  })

/**
 * The viem client of every chain command (`sub` and the wallet commands): each request bounded by `--timeout` and
 * not retried, and the hash of a signed transaction announced on stderr (`Sent transaction 0x...`) before it leaves.
 *
 * @internal
 */
export const rpcClient = (url: string, seconds: number): Effect.Effect<Client, never, Io> =>
  Effect.gen(function* () {
    const viem = yield* Effect.promise(() => import("./account.js"))
    const io = yield* Io
    return viem.createPublicClient({
      transport: viem.http(url, {
        timeout: seconds * 1000,
        retryCount: 0,
        // Announced before the request leaves: if its answer never comes, the hash is already on the screen.
        onFetchRequest: async (_, init) => {
          for (const hash of sentHashes(init.body, viem.keccak256)) {
            await Effect.runPromise(io.stderr.write(`Sent transaction ${hash}\n`))
          }
        }
      })
    }) as Client
  })

const withChain = <F extends CommonFlags, A, R>(
  flags: F,
  body: (context: Context) => Effect.Effect<A, CliError.CliError, R>
) =>
  Effect.gen(function* () {
    const before = yield* root
    const output = { json: before.json || flags.json, pretty: before.pretty || flags.pretty, file: Option.none() }
    const seconds = yield* timeoutOf(before.timeout, flags.timeout)
    const url = yield* fromFlagOrEnv(flags.rpcUrl, "RPC_URL", "missing RPC URL: pass --rpc-url URL or set RPC_URL")
    yield* Flags.validateUrl(url, "--rpc-url")
    Redact.registerUrl(url)
    const lib = yield* loadChain
    const publicClient = yield* rpcClient(url, seconds)
    return yield* body({ output, publicClient, lib })
  })

/** The sender: `--private-key` (`-pk`), else `--key FILE`, else `PRIVATE_KEY`; checked without ever showing it. */
const readAccount = (
  flags: SendingFlags,
  lib: Context["lib"]
): Effect.Effect<Account, CliError.CliError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const key = Option.isSome(flags.privateKey)
      ? flags.privateKey.value
      : yield* Sub.readKey(flags.key).pipe(
          Effect.catchIf(
            (error) => error.reason._tag === "UsageError",
            () =>
              Effect.fail(
                Errors.usage(
                  "missing private key: pass --key FILE (a file holding it), set PRIVATE_KEY, or pass --private-key"
                )
              )
          )
        )
    // Checked by @infernet/chain, whose messages describe the key's shape, never its value.
    yield* chain(lib.Signer.fromPrivateKey(key))
    const hex = Redacted.value(key).trim()
    const { privateKeyToAccount } = yield* Effect.promise(() => import("./account.js"))
    return privateKeyToAccount((hex.startsWith("0x") ? hex : `0x${hex}`) as `0x${string}`)
  })

/** `1.5 USDC (1500000)` / `0.01 ETH (10000000000000000 wei)`: the token's decimals and symbol when they can be read. */
const describeAmount = (context: Context, token: string, amount: bigint): Effect.Effect<string> => {
  const { lib, publicClient } = context
  if (token === ETH) return Effect.succeed(`${lib.Amount.format(amount)} ETH (${amount} wei)`)
  return Effect.all([
    lib.Token.decimalsEffect({ publicClient, token }),
    lib.Token.symbolEffect({ publicClient, token })
  ]).pipe(
    Effect.map(([decimals, symbol]) => `${lib.Amount.format(amount, decimals)} ${symbol} (${amount})`),
    Effect.orElseSucceed(() => `${amount} of token ${token}`)
  )
}

/** The result: one line of text, or with --json / --pretty the JSON value. */
const report = (
  output: Output.OutputOptions,
  line: string,
  value: unknown
): Effect.Effect<void, CliError.CliError, FileSystem.FileSystem | Io> =>
  output.json || output.pretty ? Output.json(output, value) : Output.text(output, line)

// --- create-wallet ---------------------------------------------------------------------------------------------------

const createWallet = define({
  name: "create-wallet",
  group: "Wallet",
  summary: "Create an Infernet payment wallet with a WalletFactory",
  description: [
    "Calls the WalletFactory's createWallet and reads the new wallet's address from the WalletCreated event. The " +
      "wallet is owned by --owner, or by the sender.",
    KEYS
  ],
  flags: {
    ...sending,
    factory: Spec.text({ name: "factory", arg: "ADDRESS", summary: "The WalletFactory", env: "FACTORY_ADDRESS" }),
    owner: Spec.text({ name: "owner", arg: "ADDRESS", summary: "The new wallet's owner", default: "the sender" })
  },
  examples: [
    `${NAME} create-wallet --rpc-url http://localhost:8545 --key key.txt --factory 0x0165878A594ca255338adfa4d48449f69242Eb8F`
  ],
  excerpt: CHAIN_EXCERPT,
  run: (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const factory = yield* fromFlagOrEnv(
          flags.factory,
          "FACTORY_ADDRESS",
          "missing WalletFactory address: pass --factory ADDRESS or set FACTORY_ADDRESS"
        )
        const account = yield* readAccount(flags, context.lib)
        const created = yield* chain(
          context.lib.WalletFactory.createWalletEffect({
            publicClient: context.publicClient,
            account,
            factory,
            owner: Option.getOrUndefined(flags.owner)
          })
        )
        yield* report(
          context.output,
          `Created wallet ${created.wallet} owned by ${created.owner} (transaction ${created.hash})`,
          {
            action: "create-wallet",
            wallet: created.wallet,
            owner: created.owner,
            factory,
            hash: created.hash,
            blockNumber: created.blockNumber
          }
        )
      })
    )
})

// --- approve ---------------------------------------------------------------------------------------------------------

const approve = define({
  name: "approve",
  group: "Wallet",
  summary: "Let a consumer contract spend from a wallet (owner only)",
  description: [
    "Sets (does not add to) how much of a token, ETH by default, the spender (the subscriptions' owner contract) " +
      "may spend from the wallet. Only the wallet's owner may.",
    AMOUNTS,
    KEYS
  ],
  flags: {
    wallet: walletFlag,
    spender: Spec.requiredText({
      name: "spender",
      short: "s",
      arg: "ADDRESS",
      summary: "The consumer contract allowed to spend"
    }),
    amount: amountFlag,
    token: tokenFlag,
    ...sending
  },
  examples: [`${NAME} approve -w 0xWallet -s 0xConsumer -a '0.01 ether' --key key.txt --rpc-url http://localhost:8545`],
  excerpt: CHAIN_EXCERPT,
  run: (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const account = yield* readAccount(flags, context.lib)
        const done = yield* chain(
          context.lib.Wallet.approveEffect({
            publicClient: context.publicClient,
            account,
            wallet: flags.wallet,
            spender: flags.spender,
            token: Option.getOrUndefined(flags.token),
            amount: flags.amount
          })
        )
        const { spender, token, amount } = done.event
        const shown = yield* describeAmount(context, token, amount)
        yield* report(
          context.output,
          `Approved ${spender} to spend ${shown} from wallet ${flags.wallet} (transaction ${done.hash})`,
          {
            action: "approve",
            wallet: flags.wallet,
            spender,
            token,
            amount,
            hash: done.hash,
            blockNumber: done.blockNumber
          }
        )
      })
    )
})

// --- fund / withdraw -------------------------------------------------------------------------------------------------

interface MovingFlags extends SendingFlags {
  readonly wallet: string
  readonly amount: string
  readonly token: Option.Option<string>
}

/** What `fund` and `withdraw` get back: the transaction and the amount of the token that moved. */
interface Moved {
  readonly hash: string
  readonly blockNumber: bigint
  readonly event: { readonly token: string; readonly amount: bigint }
}

/** `fund` and `withdraw`: sends the transaction, then reports what moved (`line` gets the amount and the sender). */
const moveFunds = (
  flags: MovingFlags,
  action: "fund" | "withdraw",
  send: (
    lib: Context["lib"],
    params: {
      readonly publicClient: Client
      readonly account: Account
      readonly wallet: string
      readonly token: string | undefined
      readonly amount: string
    }
  ) => Effect.Effect<Moved, ChainError.ChainError>,
  line: (shown: string, sender: string, hash: string) => string
) =>
  withChain(flags, (context) =>
    Effect.gen(function* () {
      const account = yield* readAccount(flags, context.lib)
      const done = yield* chain(
        send(context.lib, {
          publicClient: context.publicClient,
          account,
          wallet: flags.wallet,
          token: Option.getOrUndefined(flags.token),
          amount: flags.amount
        })
      )
      const { token, amount } = done.event
      const shown = yield* describeAmount(context, token, amount)
      yield* report(context.output, line(shown, account.address, done.hash), {
        action,
        wallet: flags.wallet,
        token,
        amount,
        hash: done.hash,
        blockNumber: done.blockNumber
      })
    })
  )

const fund = define({
  name: "fund",
  group: "Wallet",
  summary: "Send ETH or a token to a wallet",
  description: ["ETH goes by a plain transfer, an ERC20 by the token's transfer(wallet, amount).", AMOUNTS, KEYS],
  flags: { wallet: walletFlag, amount: amountFlag, token: tokenFlag, ...sending },
  examples: [
    `${NAME} fund -w 0xWallet -a '1 ether' --key key.txt --rpc-url http://localhost:8545`,
    `${NAME} fund -w 0xWallet -a 2.5 -t 0xToken --key key.txt --rpc-url http://localhost:8545`
  ],
  excerpt: CHAIN_EXCERPT,
  run: (flags) =>
    moveFunds(
      flags,
      "fund",
      (lib, params) => Effect.map(lib.Wallet.fundEffect(params), (done) => ({ ...done, event: done })),
      (shown, _, hash) => `Sent ${shown} to wallet ${flags.wallet} (transaction ${hash})`
    )
})

const withdraw = define({
  name: "withdraw",
  group: "Wallet",
  summary: "Send from a wallet back to its owner (owner only)",
  description: [
    "Sends tokens, ETH by default, from the wallet to its owner; only what the Coordinator does not hold in " +
      "escrow can leave. Only the wallet's owner may.",
    AMOUNTS,
    KEYS
  ],
  flags: { wallet: walletFlag, amount: amountFlag, token: tokenFlag, ...sending },
  examples: [`${NAME} withdraw -w 0xWallet -a '0.5 ether' --key key.txt --rpc-url http://localhost:8545`],
  excerpt: CHAIN_EXCERPT,
  run: (flags) =>
    moveFunds(
      flags,
      "withdraw",
      (lib, params) => lib.Wallet.withdrawEffect(params),
      (shown, owner, hash) =>
        `Withdrew ${shown} from wallet ${flags.wallet} to its owner ${owner} (transaction ${hash})`
    )
})

// --- balance ---------------------------------------------------------------------------------------------------------

const balance = define({
  name: "balance",
  group: "Wallet",
  summary: "Show a wallet's owner, balance and a spender's allowance",
  description: [
    "Sends nothing. The balance includes any amount the Coordinator holds in escrow; with -s, also how much that " +
      "consumer contract may spend."
  ],
  flags: {
    wallet: walletFlag,
    token: tokenFlag,
    spender: Spec.text({ name: "spender", short: "s", arg: "ADDRESS", summary: "Also show this spender's allowance" }),
    rpcUrl
  },
  examples: [`${NAME} balance -w 0xWallet -s 0xConsumer --rpc-url http://localhost:8545`],
  excerpt: CHAIN_EXCERPT,
  run: (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const rpc = { publicClient: context.publicClient }
        const token = Option.getOrUndefined(flags.token)
        const [owner, held] = yield* chain(
          Effect.all([
            context.lib.Wallet.ownerEffect({ ...rpc, wallet: flags.wallet }),
            context.lib.Wallet.balanceEffect({ ...rpc, wallet: flags.wallet, token })
          ])
        )
        const allowance = Option.isNone(flags.spender)
          ? undefined
          : yield* chain(
              context.lib.Wallet.allowanceEffect({ ...rpc, wallet: flags.wallet, spender: flags.spender.value, token })
            )
        const tokenAddress = token === undefined ? ETH : token
        const lines = [
          `Wallet ${flags.wallet} (owner ${owner}) holds ${yield* describeAmount(context, tokenAddress, held)}`
        ]
        if (allowance !== undefined && Option.isSome(flags.spender)) {
          lines.push(
            `${flags.spender.value} may spend ${yield* describeAmount(context, tokenAddress, allowance)} of it`
          )
        }
        yield* report(context.output, lines.join("\n"), {
          wallet: flags.wallet,
          owner,
          token: tokenAddress,
          balance: held,
          ...(allowance === undefined || Option.isNone(flags.spender)
            ? {}
            : { spender: flags.spender.value, allowance })
        })
      })
    )
})

// --- tx --------------------------------------------------------------------------------------------------------------

const HASH = /^0x[0-9a-fA-F]{64}$/

const tx = define({
  name: "tx",
  group: "Wallet",
  summary: "Check whether a sent transaction was mined",
  description: [
    "Reads the transaction's receipt (eth_getTransactionReceipt), else asks whether the RPC knows it " +
      "(eth_getTransactionByHash). Use it with the hash a write printed ('Sent transaction 0x...') when the write " +
      "failed with exit code 8, before running it again.",
    "Exit code 0: mined and successful (do not send it again). 6: mined but reverted (nothing it asked for " +
      "happened; sending again is safe). 8: pending (known, not mined yet) or unknown to this RPC (not received, or " +
      "dropped): check again later."
  ],
  flags: {
    hash: Spec.requiredText({ name: "hash", arg: "HASH", summary: "The transaction hash (0x and 64 hex digits)" }),
    rpcUrl
  },
  examples: [`${NAME} tx --hash 0xHash --rpc-url http://localhost:8545`],
  excerpt: { why: "needs a chain RPC and the hash of a transaction sent to it" },
  run: (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const hash = flags.hash.trim()
        if (!HASH.test(hash)) {
          return yield* Errors.usage(
            "--hash: expected a transaction hash (0x and 64 hex digits), as a write prints it ('Sent transaction 0x...')"
          )
        }
        const viem = yield* Effect.promise(() => import("./account.js"))
        const rpc = (method: string, run: () => Promise<unknown>) =>
          Effect.tryPromise({ try: run, catch: (cause) => cause }).pipe(
            Effect.map((value) => ({ found: true as const, value })),
            Effect.catchAll((cause) =>
              // viem's TransactionReceiptNotFoundError / TransactionNotFoundError: the RPC does not have it (yet).
              /NotFoundError$/.test(String((cause as { name?: unknown })?.name ?? ""))
                ? Effect.succeed({ found: false as const, value: undefined })
                : Effect.fail(
                    new CliError.CliError({
                      reason: new CliError.ChainFailure({
                        detail: `RPC call ${method} failed: ${String((cause as { shortMessage?: unknown })?.shortMessage ?? cause)}`
                      }),
                      cause
                    })
                  )
            )
          )
        const receipt = yield* rpc("eth_getTransactionReceipt", () =>
          viem.getTransactionReceipt(context.publicClient, { hash: hash as Hex })
        )
        if (receipt.found) {
          const { status, blockNumber } = receipt.value as { status: string; blockNumber: bigint }
          if (status !== "success") {
            return yield* Effect.fail(
              new CliError.CliError({
                reason: new CliError.ChainFailure({
                  detail: `transaction ${hash} reverted in block ${blockNumber}: nothing it asked for happened, sending it again is safe`
                })
              })
            )
          }
          return yield* report(context.output, `Transaction ${hash} succeeded in block ${blockNumber}`, {
            hash,
            status: "success",
            blockNumber
          })
        }
        const known = yield* rpc("eth_getTransactionByHash", () =>
          viem.getTransaction(context.publicClient, { hash: hash as Hex })
        )
        return yield* Effect.fail(
          new CliError.CliError({
            reason: new CliError.TransactionMaybeSent({
              hash,
              detail: known.found
                ? "pending: the RPC has it, not mined yet"
                : "unknown to this RPC: not received, or dropped; if it stays unknown, it was not mined"
            })
          })
        )
      })
    )
})

/** The payment commands, in help order. @internal */
export const COMMANDS: ReadonlyArray<Spec.CommandSpec> = [createWallet, approve, fund, withdraw, balance, tx]

/** `sub`'s payment flags. @internal */
export const subFlags = {
  registry: Spec.text({
    name: "registry",
    arg: "ADDRESS",
    summary: "Registry for payment check",
    env: "REGISTRY_ADDRESS"
  }),
  skipPaymentCheck: Spec.boolean({
    name: "skip-payment-check",
    summary: "Sign without the payment check"
  })
}

/**
 * `sub`'s payment-check options: `--registry` (else `REGISTRY_ADDRESS`) and `--skip-payment-check`. A paid v1
 * subscription without either is a usage error (the check needs the Registry).
 *
 * @internal
 */
export const paymentCheck = (
  registry: Option.Option<string>,
  skip: boolean,
  subscription: { readonly version: string; readonly paymentAmount?: bigint }
): Effect.Effect<{ readonly registry?: string; readonly checkPayment: boolean }, CliError.CliError> =>
  Effect.flatMap(Flags.env("REGISTRY_ADDRESS"), (fromEnv) => {
    const value = Option.orElse(registry, () => fromEnv)
    const paid = subscription.version === "v1" && (subscription.paymentAmount ?? 0n) > 0n
    if (paid && !skip && Option.isNone(value)) {
      return Effect.fail(
        Errors.usage(
          "a paid v1 subscription's wallet and allowance are checked before signing: pass --registry ADDRESS " +
            "(the Coordinator's Registry) or set REGISTRY_ADDRESS, or pass --skip-payment-check"
        )
      )
    }
    return Effect.succeed({ ...(Option.isSome(value) ? { registry: value.value } : {}), checkPayment: !skip })
  })
