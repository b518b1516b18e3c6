import { afterAll, beforeAll } from "@effect/vitest"
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  type WalletClient
} from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { type Anvil, startAnvil } from "../../src/devnet/index.js"

/** One Anvil per test file, on a free port, stopped after the file. */
export const useAnvil = (): { readonly current: () => Anvil; readonly publicClient: () => PublicClient } => {
  let anvil: Anvil | undefined
  let client: PublicClient | undefined
  beforeAll(async () => {
    anvil = await startAnvil()
    client = createPublicClient({ chain: devChain(anvil.rpcUrl, anvil.chainId), transport: http(anvil.rpcUrl) })
  })
  afterAll(async () => {
    await anvil?.close()
  })
  return { current: () => anvil!, publicClient: () => client! }
}

export const devChain = (rpcUrl: string, id: number): Chain =>
  defineChain({
    id,
    name: "devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } }
  })

export const walletFor = (anvil: Anvil, key: `0x${string}` | Account): WalletClient<Transport, Chain, Account> =>
  createWalletClient({
    account: typeof key === "string" ? privateKeyToAccount(key) : key,
    chain: devChain(anvil.rpcUrl, anvil.chainId),
    transport: http(anvil.rpcUrl)
  })
