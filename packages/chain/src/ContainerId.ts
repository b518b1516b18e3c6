/**
 * The `containerId` a subscription carries on chain, computed from the node's container ids.
 *
 * - generation 1 (`v0`): the ids joined with commas, a plain string;
 * - generation 2 (`v1`): `keccak256(abi.encode(string))` of that joined string (ABI-encoded, not packed).
 *
 * @since 0.1.0
 */
import { encodeAbiParameters, type Hex, keccak256 } from "viem"
import * as Errors from "./internal/errors.js"

/**
 * Container ids: an array (`["hello-world", "another"]`) or an already comma-joined string (`"hello-world,another"`).
 *
 * @since 0.1.0
 * @category models
 */
export type ContainerIds = string | ReadonlyArray<string>

/**
 * Splits and validates container ids: at least one id, none empty, none containing a comma.
 *
 * @example
 * ```ts
 * import { ContainerId } from "@infernet/chain"
 * ContainerId.split("hello-world,another") // ["hello-world", "another"]
 * ```
 * @since 0.1.0
 * @category combinators
 */
export const split = (ids: ContainerIds, field = "containers"): ReadonlyArray<string> => {
  const list = typeof ids === "string" ? ids.split(",") : ids
  if (list.length === 0) throw Errors.invalidSubscription(field, "must name at least one container id")
  list.forEach((id, index) => {
    if (typeof id !== "string" || id.length === 0) {
      throw Errors.invalidSubscription(field, `has an empty container id at position ${index}`)
    }
    if (typeof ids !== "string" && id.includes(",")) {
      throw Errors.invalidSubscription(
        field,
        `has an id with a comma (${JSON.stringify(id)}): ids are comma-joined on chain, pass them as separate items`
      )
    }
  })
  return list
}

/**
 * The generation 1 `containerId`: the ids joined with commas.
 *
 * @example
 * ```ts
 * import { ContainerId } from "@infernet/chain"
 * ContainerId.v0(["hello-world", "another"]) // "hello-world,another"
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const v0 = (ids: ContainerIds): string => split(ids).join(",")

/**
 * The generation 2 `containerId`: `keccak256(abi.encode(string))` of the comma-joined ids.
 *
 * @example
 * ```ts
 * import { ContainerId } from "@infernet/chain"
 * ContainerId.v1(["hello-world", "another"])
 * // "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825"
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const v1 = (ids: ContainerIds): Hex => keccak256(encodeAbiParameters([{ type: "string" }], [v0(ids)]))
