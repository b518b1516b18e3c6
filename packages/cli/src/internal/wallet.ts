// The payment commands, with Ritual's Python CLI 1.4 flags: `create-wallet`, `approve`, `fund`, `withdraw`, and a
// read-only `balance`. The chain work is @infernet/chain's (`WalletFactory`, `Wallet`, `Token`, `Amount`): every write
// is simulated before it is sent, waits for its receipt, and fails with a typed reason (exit code 6) when it would
// revert. Keys are only ever held in a `Redacted` and never printed.
//
// @infernet/chain and viem are only imported at run time, as in `sub`: the other commands never evaluate them.
import { Command, HelpDoc, Options } from "@effect/cli"
import type { FileSystem } from "@effect/platform"
import type { ChainError } from "@infernet/chain"
import { Config, Effect, Option, Redacted } from "effect"
import type { Account } from "viem"
import type * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import type { Io } from "./Io.js"
import * as Output from "./output.js"
import * as Sub from "./sub.js"

const NAME = "infernet-client"
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

const rpcUrl = Options.text("rpc-url").pipe(
  Options.withAlias("rpc_url"),
  Options.withPseudoName("URL"),
  Options.withDescription("The chain's JSON-RPC URL. Env: RPC_URL."),
  Options.optional
)

const privateKey = Options.redacted("private-key").pipe(
  Options.withPseudoName("KEY"),
  Options.withDescription(
    "The sender's private key (hex; also -pk). Env: PRIVATE_KEY. A key on the command line is visible to other " +
      "users of the machine: prefer --key FILE or the environment."
  ),
  Options.optional
)

const keyFile = Options.file("key").pipe(
  Options.withPseudoName("FILE"),
  Options.withDescription("File holding the sender's private key (hex)."),
  Options.optional
)

const address = (name: string, alias: string | undefined, description: string) => {
  const option = Options.text(name).pipe(Options.withPseudoName("ADDRESS"), Options.withDescription(description))
  return alias === undefined ? option : option.pipe(Options.withAlias(alias))
}

const walletFlag = address("wallet", "w", "The Infernet wallet's address.")

const tokenFlag = address("token", "t", "The ERC20 token's address. Default: ETH (the zero address).").pipe(
  Options.optional
)

const amountFlag = Options.text("amount").pipe(
  Options.withAlias("a"),
  Options.withPseudoName("AMOUNT"),
  Options.withDescription(
    "100 (wei, or the token's smallest unit), '1 ether', '100 gwei', '1.5' (whole tokens), '2 USDC' (the token's " +
      "symbol). Units use the token's own decimals (the Python client uses 18 for every token)."
  )
)

/** The flags every payment command takes (of the global ones, only the output and error ones apply). */
const common = { json: Flags.global.json, pretty: Flags.global.pretty, verbose: Flags.global.verbose, rpcUrl }

/** The flags of the commands that send a transaction. */
const sending = { ...common, privateKey, key: keyFile }

interface CommonFlags {
  readonly json: boolean
  readonly pretty: boolean
  readonly verbose: boolean
  readonly rpcUrl: Option.Option<string>
}

interface SendingFlags extends CommonFlags {
  readonly privateKey: Option.Option<Redacted.Redacted<string>>
  readonly key: Option.Option<string>
}

// --- plumbing --------------------------------------------------------------------------------------------------------

const env = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((value) => value.trim() !== "")),
    Effect.map(Option.map((value) => value.trim())),
    Effect.orElseSucceed(() => Option.none<string>())
  )

const fromFlagOrEnv = (flag: Option.Option<string>, name: string, missing: string) =>
  Effect.flatMap(env(name), (value) =>
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
  readonly rpcUrl: string
  readonly lib: typeof import("@infernet/chain")
}

const withChain = <F extends CommonFlags, A, R>(
  flags: F,
  body: (context: Context) => Effect.Effect<A, CliError.CliError, R>
) =>
  Effect.gen(function* () {
    // commands.ts registers these commands: read its root flags lazily (a static import would be a cycle).
    const { root } = yield* Effect.promise(() => import("./commands.js"))
    const before = yield* root
    const output = { json: before.json || flags.json, pretty: before.pretty || flags.pretty, file: Option.none() }
    const url = yield* fromFlagOrEnv(flags.rpcUrl, "RPC_URL", "missing RPC URL: pass --rpc-url URL or set RPC_URL")
    yield* Flags.validateUrl(url, "--rpc-url")
    const lib = yield* loadChain
    return yield* body({ output, rpcUrl: url, lib })
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
  const { lib, rpcUrl: url } = context
  if (token === ETH) return Effect.succeed(`${lib.Amount.format(amount)} ETH (${amount} wei)`)
  return Effect.all([
    lib.Token.decimalsEffect({ rpcUrl: url, token }),
    lib.Token.symbolEffect({ rpcUrl: url, token })
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

const describe = (summary: string, examples: ReadonlyArray<string>) =>
  HelpDoc.blocks([
    HelpDoc.p(summary),
    HelpDoc.p(examples.length > 1 ? "Examples:" : "Example:"),
    ...examples.map((example) => HelpDoc.p(`  $ ${example}`))
  ])

// --- create-wallet ---------------------------------------------------------------------------------------------------

const createWallet = Command.make(
  "create-wallet",
  {
    ...sending,
    factory: address("factory", undefined, "The WalletFactory's address. Env: FACTORY_ADDRESS.").pipe(Options.optional),
    owner: address("owner", undefined, "The new wallet's owner. Default: the sender.").pipe(Options.optional)
  },
  (flags) =>
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
            rpcUrl: context.rpcUrl,
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
).pipe(
  Command.withDescription(
    describe(
      "Creates an Infernet payment wallet with a WalletFactory (the address is read from the WalletCreated event).",
      [
        `${NAME} create-wallet --rpc-url http://localhost:8545 --key key.txt --factory 0x0165878A594ca255338adfa4d48449f69242Eb8F`
      ]
    )
  )
)

// --- approve ---------------------------------------------------------------------------------------------------------

const approve = Command.make(
  "approve",
  {
    ...sending,
    wallet: walletFlag,
    spender: address("spender", "s", "The consumer contract allowed to spend (the subscriptions' owner)."),
    amount: amountFlag,
    token: tokenFlag
  },
  (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const account = yield* readAccount(flags, context.lib)
        const done = yield* chain(
          context.lib.Wallet.approveEffect({
            rpcUrl: context.rpcUrl,
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
).pipe(
  Command.withDescription(
    describe("Sets how much of a token (ETH by default) a consumer contract may spend from the wallet. Owner only.", [
      `${NAME} approve -w 0xWallet -s 0xConsumer -a '0.01 ether' --key key.txt --rpc-url http://localhost:8545`
    ])
  )
)

// --- fund / withdraw -------------------------------------------------------------------------------------------------

const fund = Command.make("fund", { ...sending, wallet: walletFlag, amount: amountFlag, token: tokenFlag }, (flags) =>
  withChain(flags, (context) =>
    Effect.gen(function* () {
      const account = yield* readAccount(flags, context.lib)
      const done = yield* chain(
        context.lib.Wallet.fundEffect({
          rpcUrl: context.rpcUrl,
          account,
          wallet: flags.wallet,
          token: Option.getOrUndefined(flags.token),
          amount: flags.amount
        })
      )
      const shown = yield* describeAmount(context, done.token, done.amount)
      yield* report(context.output, `Sent ${shown} to wallet ${flags.wallet} (transaction ${done.hash})`, {
        action: "fund",
        wallet: flags.wallet,
        token: done.token,
        amount: done.amount,
        hash: done.hash,
        blockNumber: done.blockNumber
      })
    })
  )
).pipe(
  Command.withDescription(
    describe("Funds a wallet: ETH by a plain transfer, an ERC20 by the token's transfer(wallet, amount).", [
      `${NAME} fund -w 0xWallet -a '1 ether' --key key.txt --rpc-url http://localhost:8545`,
      `${NAME} fund -w 0xWallet -a 2.5 -t 0xToken --key key.txt --rpc-url http://localhost:8545`
    ])
  )
)

const withdraw = Command.make(
  "withdraw",
  { ...sending, wallet: walletFlag, amount: amountFlag, token: tokenFlag },
  (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const account = yield* readAccount(flags, context.lib)
        const done = yield* chain(
          context.lib.Wallet.withdrawEffect({
            rpcUrl: context.rpcUrl,
            account,
            wallet: flags.wallet,
            token: Option.getOrUndefined(flags.token),
            amount: flags.amount
          })
        )
        const shown = yield* describeAmount(context, done.event.token, done.event.amount)
        yield* report(
          context.output,
          `Withdrew ${shown} from wallet ${flags.wallet} to its owner ${account.address} (transaction ${done.hash})`,
          {
            action: "withdraw",
            wallet: flags.wallet,
            token: done.event.token,
            amount: done.event.amount,
            hash: done.hash,
            blockNumber: done.blockNumber
          }
        )
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Sends tokens (ETH by default) from the wallet to its owner; only what is not escrowed can leave. Owner only.",
      [`${NAME} withdraw -w 0xWallet -a '0.5 ether' --key key.txt --rpc-url http://localhost:8545`]
    )
  )
)

// --- balance ---------------------------------------------------------------------------------------------------------

const balance = Command.make(
  "balance",
  {
    ...common,
    wallet: walletFlag,
    token: tokenFlag,
    spender: address("spender", "s", "Also show this consumer contract's allowance.").pipe(Options.optional)
  },
  (flags) =>
    withChain(flags, (context) =>
      Effect.gen(function* () {
        const rpc = { rpcUrl: context.rpcUrl }
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
).pipe(
  Command.withDescription(
    describe(
      "Shows a wallet's owner and balance of ETH or a token, and with -s a consumer's allowance. Sends nothing; the " +
        "balance includes any amount the Coordinator holds in escrow.",
      [`${NAME} balance -w 0xWallet -s 0xConsumer --rpc-url http://localhost:8545`]
    )
  )
)

/** The payment commands, in help order. @internal */
export const commands = [createWallet, approve, fund, withdraw, balance] as const

/** Their names. @internal */
export const NAMES: ReadonlyArray<string> = ["create-wallet", "approve", "fund", "withdraw", "balance"]

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
  Effect.flatMap(env("REGISTRY_ADDRESS"), (fromEnv) => {
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
