// All delegated-subscription signature checking lives here. The EIP-712 signer is recovered by @infernet/chain
// (`DelegatedSubscription.recoverDelegatedSubscriptionSignerEffect`, both Coordinator generations, from the REST body
// as received) and compared with the signer configured for the subscription's owner. This module loads viem and
// @infernet/chain, so the app imports it lazily, on the first delegated subscription.
import { ContainerId, DelegatedSubscription } from "@infernet/chain"
import { Effect } from "effect"
import { getAddress } from "viem"

/** The outcome of checking a delegated subscription's signature, as `GET /__mock/subscriptions` reports it. */
export type SignatureCheck =
  | { readonly status: "verified"; readonly signer: string }
  | { readonly status: "signer_mismatch"; readonly recovered: string; readonly expected: string }
  | { readonly status: "unknown_owner"; readonly recovered: string }
  | { readonly status: "invalid_signature"; readonly error: string }
  | { readonly status: "not_checked"; readonly reason: string }

export interface VerifyParameters {
  /** The request body as received (`Json.parse` of the text: `r` and `s` exact). */
  readonly body: unknown
  /** The subscription owner, as the decoded request gives it. */
  readonly owner: string
  readonly chainId: number
  readonly coordinator: string | undefined
  /** Owner (lowercase) -> signer. */
  readonly signers: ReadonlyMap<string, string>
}

const checksum = (address: string): string => getAddress(address.toLowerCase())

export const verify = (params: VerifyParameters): Effect.Effect<SignatureCheck> => {
  const coordinator = params.coordinator
  if (coordinator === undefined) {
    return Effect.succeed({ status: "not_checked", reason: "chain.coordinator_address is not configured" })
  }
  return DelegatedSubscription.recoverDelegatedSubscriptionSignerEffect({
    chainId: params.chainId,
    coordinator,
    request: params.body
  }).pipe(
    Effect.map((recovered): SignatureCheck => {
      const expected = params.signers.get(params.owner.toLowerCase())
      if (expected === undefined) return { status: "unknown_owner", recovered }
      if (expected.toLowerCase() !== recovered.toLowerCase()) {
        return { status: "signer_mismatch", recovered, expected: checksum(expected) }
      }
      return { status: "verified", signer: recovered }
    }),
    Effect.catchAll((error) =>
      Effect.succeed<SignatureCheck>({ status: "invalid_signature", error: error.message.split("\n")[0] ?? "" })
    )
  )
}

/** A generation-2 subscription's `containers`: `keccak256(abi.encode(string ids))`. */
export const containersHash = (ids: string): string => ContainerId.v1(ids)
