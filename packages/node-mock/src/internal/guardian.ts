// The real node's guardian: the checks a job or a delegated subscription must pass, in its order, with its
// messages and params. A rejection answers 405 with `{"error", "params"}`.
import type { DelegatedSubscription, Job, Json } from "@infernet/types"
import type { NodeState } from "./state.js"

export interface GuardianError {
  readonly error: string
  readonly params: Json.JsonObject
}

const reject = (error: string, params: Json.JsonObject = {}): GuardianError => ({ error, params })

export const checkJob = (state: NodeState, request: Job.JobRequest, client: string): GuardianError | undefined => {
  const ids = request.containers
  if (ids.length === 0) return reject("No containers specified")
  for (const id of ids) if (!state.containers.has(id)) return reject("Container not supported", { container: id })
  const first = ids[0]!
  if (!state.containers.get(first)!.config.external) {
    return reject("First container must be external", { first_container: first })
  }
  const last = ids[ids.length - 1]!
  if (request.requires_proof === true && !state.containers.get(last)!.config.generates_proofs) {
    return reject("Container does not generate proof", { container: last })
  }
  for (const id of ids) {
    if (!state.allowedIps.get(id)!.allows(client)) {
      return reject("Container not allowed for address", { container: id, address: client })
    }
  }
  return undefined
}

const ZERO_ADDRESS = /^0x0{40}$/

export type SubscriptionContainers =
  | { readonly _tag: "Known"; readonly ids: ReadonlyArray<string> }
  /** A v1 hash the mock could not invert (its enumeration was bounded): accepted, containers unknown. */
  | { readonly _tag: "Unknown" }
  /** A v1 hash that matches no combination of configured containers: the real node crashes on it. */
  | { readonly _tag: "NoMatch"; readonly hash: string }

export type SubscriptionVerdict =
  | { readonly _tag: "Accepted" }
  | { readonly _tag: "Rejected"; readonly rejection: GuardianError }
  /**
   * A rejection the real node cannot write: its guardian puts the refused message object itself in `params`
   * (`delegated_subscription=message`), Quart's `jsonify` turns the dataclass into a dict but cannot serialise its
   * `type` (an `Enum`), and the route's `except` answers 500 instead of 405.
   */
  | { readonly _tag: "Unwritable"; readonly error: string }
  | { readonly _tag: "Crashed"; readonly detail: string }

/** The text of the real node's exception when it writes a rejection that echoes the message. */
export const UNWRITABLE = "Object of type MessageType is not JSON serializable"

/**
 * The delegated-subscription checks (real node 1.x order): chain enabled, signature not expired, containers
 * supported, first container external, proof available when a verifier is set (v1), owner allowed as delegate.
 * The signature itself is not checked here: the real node checks it later and only logs a mismatch.
 */
export const checkSubscription = (
  state: NodeState,
  request: DelegatedSubscription.DelegatedSubscriptionRequest,
  containers: SubscriptionContainers,
  nowSeconds: number
): SubscriptionVerdict => {
  if (!state.config.chain.enabled) return { _tag: "Unwritable", error: "Chain not enabled" }
  if (!state.config.mock.ignore_expiry && request.signature.expiry < Math.floor(nowSeconds)) {
    return { _tag: "Unwritable", error: "Signature expired" }
  }
  if (containers._tag === "Unknown") return { _tag: "Accepted" }
  if (containers._tag === "NoMatch") {
    return {
      _tag: "Crashed",
      detail: `subscription containers ${containers.hash} match no combination of this node's containers (a real node fails with "list index out of range")`
    }
  }
  const ids = containers.ids
  for (const id of ids) {
    if (!state.containers.has(id))
      return { _tag: "Rejected", rejection: reject("Container not supported", { container: id }) }
  }
  const first = ids[0]
  if (first === undefined) {
    return {
      _tag: "Crashed",
      detail: 'the subscription names no containers (a real node fails with "list index out of range")'
    }
  }
  if (!state.containers.get(first)!.config.external) {
    return { _tag: "Rejected", rejection: reject("First container must be external", { first_container: first }) }
  }
  const sub = request.subscription
  const last = ids[ids.length - 1]!
  if ("verifier" in sub && !ZERO_ADDRESS.test(sub.verifier) && !state.containers.get(last)!.config.generates_proofs) {
    return { _tag: "Rejected", rejection: reject("Container does not generate proof", { container: last }) }
  }
  const owner = sub.owner.toLowerCase()
  for (const id of ids) {
    const allowed = state.containers.get(id)!.config.allowed_delegate_addresses
    if (allowed.length > 0 && !allowed.some((address) => address.toLowerCase() === owner)) {
      return {
        _tag: "Rejected",
        rejection: reject("Container not allowed for address", { container: id, address: sub.owner })
      }
    }
  }
  return { _tag: "Accepted" }
}
