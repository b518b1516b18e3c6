import type { Hex } from "viem"

/**
 * Types several public modules share. They live here, in a leaf module that imports no public module, so the public
 * modules form a DAG (Biome's `noImportCycles` keeps it so); each is re-exported under its public name
 * (`DelegatedSubscription.Signature`, `Wallet.TransactionReturnType`). The other shared parameter types live in the
 * internal module that uses them: `ClientParameters` in `rpc.ts`, `PromiseOptions` in `run.ts`, `WriteParameters`
 * in `tx.ts`.
 */

/**
 * A delegated-subscription signature as it goes on the wire and to the Coordinator: `v` is 27 or 28, `r` and `s`
 * are `bigint` (exact JSON integers on the wire). The same shape as `@infernet/types`' `DelegatedSubscription.Signature`.
 *
 * @internal
 */
export interface Signature {
  readonly nonce: number
  readonly expiry: number
  readonly v: 27 | 28
  readonly r: bigint
  readonly s: bigint
}

/**
 * What a write returns: the transaction hash, the block it was mined in, and the decoded event.
 *
 * @internal
 */
export interface TransactionReturnType<E> {
  readonly hash: Hex
  readonly blockNumber: bigint
  readonly event: E
}
