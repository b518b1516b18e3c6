// All delegated-subscription signature checking lives here. It recovers the EIP-712 signer of a request with
// viem's recoverTypedDataAddress, over the Coordinator's types for both generations (chain.md), and compares it
// with the signer configured for the subscription's owner. This module loads viem, so it is imported lazily.
import type { DelegatedSubscription } from "@infernet/types"
import { encodeAbiParameters, getAddress, keccak256, numberToHex, recoverTypedDataAddress } from "viem"

const v0Types = {
  DelegateSubscription: [
    { name: "nonce", type: "uint32" },
    { name: "expiry", type: "uint32" },
    { name: "sub", type: "Subscription" }
  ],
  Subscription: [
    { name: "owner", type: "address" },
    { name: "activeAt", type: "uint32" },
    { name: "period", type: "uint32" },
    { name: "frequency", type: "uint32" },
    { name: "redundancy", type: "uint16" },
    { name: "maxGasPrice", type: "uint48" },
    { name: "maxGasLimit", type: "uint32" },
    { name: "containerId", type: "string" },
    { name: "inputs", type: "bytes" }
  ]
} as const

const v1Types = {
  DelegateSubscription: [
    { name: "nonce", type: "uint32" },
    { name: "expiry", type: "uint32" },
    { name: "sub", type: "Subscription" }
  ],
  Subscription: [
    { name: "owner", type: "address" },
    { name: "activeAt", type: "uint32" },
    { name: "period", type: "uint32" },
    { name: "frequency", type: "uint32" },
    { name: "redundancy", type: "uint16" },
    { name: "containerId", type: "bytes32" },
    { name: "lazy", type: "bool" },
    { name: "verifier", type: "address" },
    { name: "paymentAmount", type: "uint256" },
    { name: "paymentToken", type: "address" },
    { name: "wallet", type: "address" }
  ]
} as const

/** The outcome of checking a delegated subscription's signature, as `GET /__mock/subscriptions` reports it. */
export type SignatureCheck =
  | { readonly status: "verified"; readonly signer: string }
  | { readonly status: "signer_mismatch"; readonly recovered: string; readonly expected: string }
  | { readonly status: "unknown_owner"; readonly recovered: string }
  | { readonly status: "invalid_signature"; readonly error: string }
  | { readonly status: "not_checked"; readonly reason: string }

export interface VerifyParameters {
  readonly request: DelegatedSubscription.DelegatedSubscriptionRequest
  readonly chainId: number
  readonly coordinator: string | undefined
  /** Owner (lowercase) -> signer. */
  readonly signers: ReadonlyMap<string, string>
}

const normalize = (address: string): `0x${string}` => getAddress(address.toLowerCase())

export const recoverSigner = async (
  request: DelegatedSubscription.DelegatedSubscriptionRequest,
  chainId: number,
  coordinator: string
): Promise<string> => {
  const { signature, subscription: sub } = request
  const domain = { name: "InfernetCoordinator", version: "1", chainId, verifyingContract: normalize(coordinator) }
  const sig = {
    r: numberToHex(signature.r, { size: 32 }),
    s: numberToHex(signature.s, { size: 32 }),
    v: BigInt(signature.v)
  }
  const common = {
    owner: normalize(sub.owner),
    activeAt: sub.active_at,
    period: sub.period,
    frequency: sub.frequency,
    redundancy: sub.redundancy
  }
  if ("containers" in sub) {
    return recoverTypedDataAddress({
      domain,
      types: v1Types,
      primaryType: "DelegateSubscription",
      message: {
        nonce: signature.nonce,
        expiry: signature.expiry,
        sub: {
          ...common,
          containerId: sub.containers as `0x${string}`,
          lazy: sub.lazy,
          verifier: normalize(sub.verifier),
          paymentAmount: sub.payment_amount,
          paymentToken: normalize(sub.payment_token),
          wallet: normalize(sub.wallet)
        }
      },
      signature: sig
    })
  }
  return recoverTypedDataAddress({
    domain,
    types: v0Types,
    primaryType: "DelegateSubscription",
    message: {
      nonce: signature.nonce,
      expiry: signature.expiry,
      sub: {
        ...common,
        maxGasPrice: sub.max_gas_price,
        maxGasLimit: sub.max_gas_limit,
        containerId: sub.container_id,
        inputs: sub.inputs as `0x${string}`
      }
    },
    signature: sig
  })
}

export const verify = async (params: VerifyParameters): Promise<SignatureCheck> => {
  if (params.coordinator === undefined) {
    return { status: "not_checked", reason: "chain.coordinator_address is not configured" }
  }
  let recovered: string
  try {
    recovered = await recoverSigner(params.request, params.chainId, params.coordinator)
  } catch (cause) {
    return { status: "invalid_signature", error: (cause as Error).message.split("\n")[0] ?? String(cause) }
  }
  const expected = params.signers.get(params.request.subscription.owner.toLowerCase())
  if (expected === undefined) return { status: "unknown_owner", recovered }
  if (expected.toLowerCase() !== recovered.toLowerCase()) {
    return { status: "signer_mismatch", recovered, expected: normalize(expected) }
  }
  return { status: "verified", signer: recovered }
}

/** A generation-2 subscription's `containers`: `keccak256(abi.encode(string ids))`. */
export const containersHash = (ids: string): string => keccak256(encodeAbiParameters([{ type: "string" }], [ids]))

/** The checksummed form of an address. */
export const checksum = (address: string): string => normalize(address)
