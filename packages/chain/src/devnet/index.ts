/**
 * Development tooling (tests, demos): start a local Anvil node and deploy this package's test Coordinators, small
 * Solidity contracts that check delegated subscriptions exactly as the Infernet Coordinators do, and for generation 2
 * the payment contracts (a Registry, a WalletFactory and its Wallets, with network.md's ABI, events, errors and
 * access rules) and a small ERC20 test token. Not for production.
 *
 * Anvil comes from the `@foundry-rs/anvil` package (an optional peer dependency: install it as a dev dependency), or
 * from the binary named by the `ANVIL_BIN` environment variable.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import {
  type Abi,
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  getContractAddress,
  type Hex,
  http,
  zeroAddress
} from "viem"
import { privateKeyToAccount } from "viem/accounts"
import * as ChainError from "../ChainError.js"
import * as Errors from "../internal/errors.js"
import type * as Subscription from "../Subscription.js"
import { testCoordinatorV0, testOwnerV0 } from "./artifacts/TestCoordinatorV0.js"
import { testCoordinatorV1, testOwnerV1 } from "./artifacts/TestCoordinatorV1.js"
import { testRegistry, testToken, testWallet, testWalletFactory } from "./artifacts/TestPayments.js"

/**
 * A funded development account.
 *
 * @since 0.1.0
 * @category models
 */
export interface DevAccount {
  readonly address: Address
  readonly privateKey: Hex
}

/**
 * Anvil's ten default accounts (the public test mnemonic `test test ... junk`), each funded with 10000 ETH. Never use
 * these keys on a real network.
 *
 * @since 0.1.0
 * @category constants
 */
export const anvilAccounts: ReadonlyArray<DevAccount> = [
  {
    address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
  },
  {
    address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    privateKey: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
  },
  {
    address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    privateKey: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
  },
  {
    address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    privateKey: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"
  },
  {
    address: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    privateKey: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"
  },
  {
    address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    privateKey: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"
  },
  {
    address: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    privateKey: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"
  },
  {
    address: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    privateKey: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"
  },
  {
    address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    privateKey: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"
  },
  {
    address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    privateKey: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"
  }
]

/**
 * The test contracts, per generation: the Coordinator (`createSubscriptionDelegatee`, `maxSubscriberNonce`,
 * `delegateCreatedIds`, `EIP712_NAME`, `EIP712_VERSION`, and for v1 `eip712Domain`; plus `digest`, `hashSubscription`
 * and `DOMAIN_SEPARATOR` for inspection) and the owner (subscribing) contract exposing the delegated signer.
 *
 * @since 0.1.0
 * @category artifacts
 */
export const artifacts = {
  v0: { coordinator: testCoordinatorV0, owner: testOwnerV0 },
  v1: { coordinator: testCoordinatorV1, owner: testOwnerV1 },
  /**
   * The payment contracts of generation 2: `registry` (`COORDINATOR()`, `INBOX()`, `READER()`, `FEE()`,
   * `WALLET_FACTORY()`), `walletFactory`, `wallet` (what the factory deploys), and `token`, an ERC20 with an open
   * `mint(to, amount)` and the decimals of your choice.
   */
  payments: { registry: testRegistry, walletFactory: testWalletFactory, wallet: testWallet, token: testToken }
} as const

const PLATFORM_PACKAGES: Record<string, string | undefined> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  "win32-x64": "@foundry-rs/anvil-win32-amd64"
}

const tryResolve = (from: string, request: string): string | undefined => {
  try {
    return createRequire(from).resolve(request)
  } catch {
    return undefined
  }
}

/**
 * Finds the Anvil binary: `ANVIL_BIN` if set, else the platform binary of the `@foundry-rs/anvil` package, looked
 * up from this package and then from the current directory. Throws a `ChainError` (`DevnetError`) telling how to
 * install it.
 *
 * @example
 * ```ts
 * import { resolveAnvilBinary } from "@infernet/chain/devnet"
 * console.log(resolveAnvilBinary())
 * ```
 * @since 0.1.0
 * @category anvil
 */
export const resolveAnvilBinary = (): string => {
  const fromEnv = process.env.ANVIL_BIN
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!existsSync(fromEnv)) throw Errors.devnetError(`ANVIL_BIN points to ${fromEnv}, which does not exist`)
    return fromEnv
  }
  const platformPackage = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`]
  if (platformPackage === undefined) {
    throw Errors.devnetError(
      `@foundry-rs/anvil has no binary for ${process.platform}-${process.arch}; set ANVIL_BIN to an anvil executable`
    )
  }
  const binary = process.platform === "win32" ? "anvil.exe" : "anvil"
  const bases = [import.meta.url, pathToFileURL(join(process.cwd(), "package.json")).href]
  for (const base of bases) {
    const wrapper = tryResolve(base, "@foundry-rs/anvil/package.json")
    const candidates = [
      wrapper && tryResolve(wrapper, `${platformPackage}/package.json`),
      tryResolve(base, `${platformPackage}/package.json`)
    ]
    for (const manifest of candidates) {
      if (manifest === undefined) continue
      const path = join(dirname(manifest), "bin", binary)
      if (existsSync(path)) return path
    }
  }
  throw Errors.devnetError(
    "the anvil binary was not found: add the @foundry-rs/anvil package as a dev dependency " +
      "(pnpm add -D @foundry-rs/anvil), or set ANVIL_BIN to an anvil executable"
  )
}

/**
 * Options of {@link startAnvil}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StartAnvilOptions {
  /** TCP port; `0` (the default) lets the OS pick a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** Chain id; defaults to Anvil's 31337. */
  readonly chainId?: number | undefined
  /** Extra command-line arguments for anvil. */
  readonly args?: ReadonlyArray<string> | undefined
  /** How long to wait for the node to answer `eth_chainId` (ms); defaults to 20 s. */
  readonly timeoutMs?: number | undefined
  /** The anvil executable; defaults to {@link resolveAnvilBinary}. */
  readonly binary?: string | undefined
}

/**
 * A running Anvil node. `close()` stops it (also on process exit); it is `AsyncDisposable` (`await using`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Anvil extends AsyncDisposable {
  readonly rpcUrl: string
  readonly port: number
  readonly chainId: number
  /** The funded accounts ({@link anvilAccounts}). */
  readonly accounts: ReadonlyArray<DevAccount>
  /** The child process id. */
  readonly pid: number
  readonly close: () => Promise<void>
}

const rpcChainId = async (rpcUrl: string): Promise<number> => {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(2_000)
  })
  const json = (await response.json()) as { result?: string }
  if (typeof json.result !== "string") throw new Error("no result")
  return Number.parseInt(json.result, 16)
}

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill("SIGTERM")
  })

/**
 * Starts Anvil on a free port (by default) and resolves once it answers `eth_chainId`.
 *
 * @example
 * ```ts
 * import { startAnvil } from "@infernet/chain/devnet"
 * const anvil = await startAnvil()
 * console.log(anvil.rpcUrl, anvil.chainId) // http://127.0.0.1:39217 31337
 * await anvil.close()
 * ```
 * @since 0.1.0
 * @category anvil
 */
export const startAnvil = async (options: StartAnvilOptions = {}): Promise<Anvil> => {
  const binary = options.binary ?? resolveAnvilBinary()
  const host = options.host ?? "127.0.0.1"
  const args = [
    "--port",
    String(options.port ?? 0),
    "--host",
    host,
    ...(options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)]),
    ...(options.args ?? [])
  ]
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] })
  const onExit = () => child.kill("SIGKILL")
  process.once("exit", onExit)
  let output = ""
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Errors.devnetError(`anvil did not start listening in time: ${output.slice(-500)}`)),
      options.timeoutMs ?? 20_000
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const match = /Listening on [^\s:]+:(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(Errors.devnetError(`cannot run ${binary}: ${error.message}`))
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(Errors.devnetError(`anvil exited with code ${code}: ${output.slice(-500)}`))
    })
  }).catch(async (error) => {
    process.off("exit", onExit)
    await stop(child)
    throw error
  })
  // Anvil logs every request on stdout: keep draining it (the buffer is dropped) so the pipe never fills.
  child.stdout?.removeAllListeners("data")
  child.stdout?.resume()
  child.stderr?.removeAllListeners("data")
  child.stderr?.resume()
  const rpcUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 20_000)
  let chainId: number | undefined
  while (chainId === undefined) {
    try {
      chainId = await rpcChainId(rpcUrl)
    } catch (cause) {
      if (Date.now() > deadline) {
        process.off("exit", onExit)
        await stop(child)
        throw Errors.devnetError(`anvil at ${rpcUrl} does not answer eth_chainId: ${Errors.describe(cause)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  // Do not keep the event loop alive for the node: a forgotten close() must not hang the process.
  child.unref()
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.()
  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= stop(child).finally(() => process.off("exit", onExit))
    return closed
  }
  return {
    rpcUrl,
    port,
    chainId,
    accounts: anvilAccounts,
    pid: child.pid ?? -1,
    close,
    [Symbol.asyncDispose]: close
  }
}

/**
 * A signer given as an address or an account-like object.
 *
 * @since 0.1.0
 * @category models
 */
export type SignerLike = string | { readonly address: string }

/**
 * Parameters of {@link deployTestCoordinator}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeployTestCoordinatorParameters {
  /** The devnet RPC URL (e.g. `startAnvil().rpcUrl`). */
  readonly rpcUrl: string
  /** Which Coordinator generation to deploy. */
  readonly generation: Subscription.Version
  /** The delegated signer of the owner contract: the account that will sign delegated subscriptions. */
  readonly signer: SignerLike
  /** Who deploys (a funded private key or account); defaults to Anvil's account #0. */
  readonly deployer?: Hex | Account | undefined
  /** The Coordinator's EIP-712 name; defaults to `InfernetCoordinator` (change it to test domain checks). */
  readonly name?: string | undefined
  /** The Coordinator's EIP-712 version; defaults to `1`. */
  readonly version?: string | undefined
  /** Generation 2: the Registry's `INBOX()`, `READER()` and `FEE()` (no such contracts are deployed; default zero). */
  readonly inbox?: string | undefined
  /** See `inbox`. */
  readonly reader?: string | undefined
  /** See `inbox`. */
  readonly fee?: string | undefined
}

/**
 * The deployed contracts.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeployTestCoordinatorReturnType {
  readonly generation: Subscription.Version
  readonly chainId: number
  /** The test Coordinator. */
  readonly coordinator: Address
  /** The owner (subscribing) contract whose delegated signer is `signer`. */
  readonly owner: Address
  /** Generation 2: the Registry, whose `COORDINATOR()` is `coordinator` and `WALLET_FACTORY()` is `walletFactory`. */
  readonly registry?: Address
  /** Generation 2: the WalletFactory the Coordinator accepts wallets of. */
  readonly walletFactory?: Address
}

const clientsFor = async (rpcUrl: string, deployer: Hex | Account | undefined) => {
  const account =
    deployer === undefined
      ? privateKeyToAccount(anvilAccounts[0]!.privateKey)
      : typeof deployer === "string"
        ? privateKeyToAccount(deployer)
        : deployer
  const id = await rpcChainId(rpcUrl)
  const chain = defineChain({
    id,
    name: "devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } }
  })
  return {
    chainId: id,
    wallet: createWalletClient({ account, chain, transport: http(rpcUrl) }),
    public: createPublicClient({ chain, transport: http(rpcUrl) })
  }
}

type Clients = Awaited<ReturnType<typeof clientsFor>>

const deploy = async (
  clients: Clients,
  artifact: { readonly abi: Abi; readonly bytecode: Hex },
  args: ReadonlyArray<unknown>
): Promise<Address> => {
  const hash = await clients.wallet.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: args as Array<unknown>
  })
  const receipt = await clients.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`deployment transaction ${hash} failed`)
  }
  return getAddress(receipt.contractAddress)
}

const signerAddress = (signer: SignerLike): Address => {
  const value = typeof signer === "string" ? signer : signer?.address
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw Errors.devnetError("signer must be an address or an account")
  }
  return value as Address
}

const devnetFailure = (what: string) => (cause: unknown) => {
  throw ChainError.isChainError(cause) ? cause : Errors.devnetError(`${what}: ${Errors.describe(cause)}`)
}

/**
 * Parameters of {@link deployTestOwner}.
 *
 * @since 0.1.0
 * @category models
 */
export type DeployTestOwnerParameters = Omit<DeployTestCoordinatorParameters, "name" | "version">

/**
 * Deploys one more owner (subscribing) contract whose delegated signer is `signer`.
 *
 * @example
 * ```ts
 * import { deployTestOwner, startAnvil } from "@infernet/chain/devnet"
 * const anvil = await startAnvil()
 * const owner = await deployTestOwner({ rpcUrl: anvil.rpcUrl, generation: "v1", signer: anvil.accounts[2]!.address })
 * ```
 * @since 0.1.0
 * @category deployment
 */
export const deployTestOwner = async (params: DeployTestOwnerParameters): Promise<Address> => {
  const signer = signerAddress(params.signer)
  const clients = await clientsFor(params.rpcUrl, params.deployer).catch(devnetFailure(`cannot reach ${params.rpcUrl}`))
  return deploy(clients, artifacts[params.generation].owner, [signer]).catch(devnetFailure("owner deployment failed"))
}

/**
 * Deploys the test Coordinator of a generation, then an owner contract whose delegated signer is `signer`. For
 * generation 2 it then deploys a Registry (naming that Coordinator) and its WalletFactory, and the Coordinator takes
 * its WalletFactory from that Registry: a paid subscription must name one of the factory's wallets. The Coordinator
 * and owner addresses are those a v1-only deployment had (they come first).
 *
 * @example
 * ```ts
 * import { deployTestCoordinator, startAnvil } from "@infernet/chain/devnet"
 * const anvil = await startAnvil()
 * const { coordinator, owner, registry, walletFactory } = await deployTestCoordinator({
 *   rpcUrl: anvil.rpcUrl,
 *   generation: "v1",
 *   signer: anvil.accounts[1]!.address
 * })
 * ```
 * @since 0.1.0
 * @category deployment
 */
export const deployTestCoordinator = async (
  params: DeployTestCoordinatorParameters
): Promise<DeployTestCoordinatorReturnType> => {
  const signer = signerAddress(params.signer)
  if (params.generation !== "v0" && params.generation !== "v1") {
    throw Errors.devnetError(`generation must be "v0" or "v1", got ${JSON.stringify(params.generation)}`)
  }
  const registryArgs = [params.inbox, params.reader, params.fee].map((a, i) => {
    if (a === undefined) return zeroAddress
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw Errors.devnetError(`${["inbox", "reader", "fee"][i]} must be an address`)
    return getAddress(a)
  })
  const clients = await clientsFor(params.rpcUrl, params.deployer).catch(devnetFailure(`cannot reach ${params.rpcUrl}`))
  const name = params.name ?? "InfernetCoordinator"
  const version = params.version ?? "1"
  if (params.generation === "v0") {
    const coordinator = await deploy(clients, artifacts.v0.coordinator, [name, version]).catch(
      devnetFailure("Coordinator deployment failed")
    )
    const owner = await deploy(clients, artifacts.v0.owner, [signer]).catch(devnetFailure("owner deployment failed"))
    return { generation: "v0", chainId: clients.chainId, coordinator, owner }
  }
  // Registry and Coordinator name each other: precompute the addresses from the deployer's nonce.
  const from = clients.wallet.account.address
  const nonce = await clients.public
    .getTransactionCount({ address: from, blockTag: "pending" })
    .catch(devnetFailure(`cannot read the nonce of ${from}`))
  const at = (offset: number) => getContractAddress({ from, nonce: BigInt(nonce + offset) })
  const expected = { coordinator: at(0), owner: at(1), registry: at(2), walletFactory: at(3) }
  const coordinator = await deploy(clients, artifacts.v1.coordinator, [name, version, expected.registry]).catch(
    devnetFailure("Coordinator deployment failed")
  )
  const owner = await deploy(clients, artifacts.v1.owner, [signer]).catch(devnetFailure("owner deployment failed"))
  const registry = await deploy(clients, artifacts.payments.registry, [
    coordinator,
    ...registryArgs,
    expected.walletFactory
  ]).catch(devnetFailure("Registry deployment failed"))
  const walletFactory = await deploy(clients, artifacts.payments.walletFactory, [registry]).catch(
    devnetFailure("WalletFactory deployment failed")
  )
  const deployed = { coordinator, owner, registry, walletFactory }
  for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
    if (deployed[key] !== expected[key]) {
      throw Errors.devnetError(
        `the ${key} landed at ${deployed[key]}, not ${expected[key]}: did another transaction from the deployer ` +
          "run at the same time?"
      )
    }
  }
  return { generation: "v1", chainId: clients.chainId, ...deployed }
}

/**
 * Parameters of {@link deployTestToken}.
 *
 * @since 0.2.0
 * @category models
 */
export interface DeployTestTokenParameters {
  /** The devnet RPC URL. */
  readonly rpcUrl: string
  /** Who deploys (a funded private key or account); defaults to Anvil's account #0. */
  readonly deployer?: Hex | Account | undefined
  /** Defaults to `Test Token`. */
  readonly name?: string | undefined
  /** Defaults to `TEST`. */
  readonly symbol?: string | undefined
  /** Defaults to 18. */
  readonly decimals?: number | undefined
  /** Balances to mint, in smallest units: `{ [address]: amount }`. */
  readonly mint?: Readonly<Record<string, bigint>> | undefined
}

/**
 * Deploys the ERC20 test token (solady's errors, an open `mint(to, amount)`) and mints the given balances.
 *
 * @example
 * ```ts
 * import { deployTestToken, startAnvil } from "@infernet/chain/devnet"
 * const anvil = await startAnvil()
 * const token = await deployTestToken({
 *   rpcUrl: anvil.rpcUrl,
 *   symbol: "USDC",
 *   decimals: 6,
 *   mint: { [anvil.accounts[1]!.address]: 1_000_000_000n }
 * })
 * ```
 * @since 0.2.0
 * @category deployment
 */
export const deployTestToken = async (params: DeployTestTokenParameters): Promise<Address> => {
  const decimals = params.decimals ?? 18
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw Errors.devnetError(`decimals must be an integer from 0 to 255, got ${decimals}`)
  }
  const clients = await clientsFor(params.rpcUrl, params.deployer).catch(devnetFailure(`cannot reach ${params.rpcUrl}`))
  const token = await deploy(clients, artifacts.payments.token, [
    params.name ?? "Test Token",
    params.symbol ?? "TEST",
    decimals
  ]).catch(devnetFailure("token deployment failed"))
  for (const [to, amount] of Object.entries(params.mint ?? {})) {
    const hash = await clients.wallet
      .writeContract({
        address: token,
        abi: artifacts.payments.token.abi,
        functionName: "mint",
        args: [to as Address, amount]
      })
      .catch(devnetFailure(`cannot mint to ${to}`))
    await clients.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  }
  return token
}
