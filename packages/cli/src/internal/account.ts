// viem's `privateKeyToAccount`, loaded on first use by the payment commands (see wallet.ts). A named re-export, so
// esbuild keeps only that function: a dynamic `import("viem/accounts")` would bring every BIP-39 wordlist (~250 KiB).
export { privateKeyToAccount } from "viem/accounts"
// The payment commands' RPC client: each request bounded by --timeout, the hash of a signed transaction announced
// before it is sent.
export { createPublicClient, http, keccak256 } from "viem"
export { getTransaction, getTransactionReceipt } from "viem/actions"
