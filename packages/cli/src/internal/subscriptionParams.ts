// `sub --params FILE`: the subscription fields as the Python client's `Subscription` names them (snake_case), turned
// into `@infernet/chain` constructor parameters. camelCase keys are accepted too. The generation is `--generation`,
// else v1 when a v1-only field is present (`containers`, `lazy`, `verifier`, `payment_amount`, `payment_token`,
// `wallet`), else v0 (the usage page's form).
import type { Subscription } from "@infernet/chain"
import { closest } from "./help.js"

/** @internal */
export type Generation = "v0" | "v1"

const V0_FIELDS = [
  "owner",
  "active_at",
  "period",
  "frequency",
  "redundancy",
  "max_gas_price",
  "max_gas_limit",
  "container_id",
  "inputs"
] as const
const V1_ONLY = ["containers", "lazy", "verifier", "payment_amount", "payment_token", "wallet"] as const
const V1_FIELDS = ["owner", "active_at", "period", "frequency", "redundancy", "container_id", ...V1_ONLY] as const

const camelToSnake: Record<string, string> = {
  activeAt: "active_at",
  maxGasPrice: "max_gas_price",
  maxGasLimit: "max_gas_limit",
  containerId: "container_id",
  paymentAmount: "payment_amount",
  paymentToken: "payment_token"
}

/**
 * The params-file name of a chain constructor field (`activeAt` -> `active_at`; a v0 `containers` list is the file's
 * `container_id`).
 *
 * @internal
 */
export const fileField = (field: string, version: Generation): string =>
  version === "v0" && (field === "containers" || field === "containerId")
    ? "container_id"
    : (camelToSnake[field] ?? field)

/** A problem with the params file, naming the field. @internal */
export class ParamsError {
  readonly _tag = "ParamsError"
  constructor(readonly detail: string) {}
}

const integer = (field: string, value: unknown): number | bigint => {
  if (typeof value === "bigint") return value
  if (typeof value === "number") return value
  if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    const big = BigInt(value.trim())
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
  }
  throw new ParamsError(`${field}: expected a non-negative integer, got ${describe(value)}`)
}

const string = (field: string, value: unknown): string => {
  if (typeof value === "string") return value
  throw new ParamsError(`${field}: expected a string, got ${describe(value)}`)
}

const describe = (value: unknown): string =>
  typeof value === "bigint" ? value.toString() : value === undefined ? "nothing" : JSON.stringify(value)

const containerList = (field: string, value: unknown): ReadonlyArray<string> => {
  if (typeof value === "string") return value.split(",").map((s) => s.trim())
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as ReadonlyArray<string>
  throw new ParamsError(
    `${field}: expected container ids (an array of strings, or comma-separated), got ${describe(value)}`
  )
}

/**
 * Builds `Subscription.make` parameters from a parsed params file. Throws a {@link ParamsError} on unknown or
 * mistyped fields; value ranges (uint widths, addresses) are checked by `@infernet/chain`.
 *
 * @internal
 */
export const toMakeParameters = (raw: unknown, generation: Generation | undefined): Subscription.MakeParameters => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ParamsError(
      `expected a JSON object with the subscription fields, got ${Array.isArray(raw) ? "an array" : describe(raw)}`
    )
  }
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    fields[camelToSnake[key] ?? key] = value
  }
  const version: Generation = generation ?? (V1_ONLY.some((k) => k in fields) ? "v1" : "v0")
  const known: ReadonlyArray<string> = version === "v0" ? V0_FIELDS : V1_FIELDS
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) {
      const hint =
        version === "v0" && (V1_ONLY as ReadonlyArray<string>).includes(key)
          ? " (it belongs to a v1 subscription: drop --generation v0)"
          : version === "v1" && (key === "max_gas_price" || key === "max_gas_limit" || key === "inputs")
            ? " (it belongs to a v0 subscription)"
            : ""
      const suggestion = hint === "" ? closest(key, known) : undefined
      const didYouMean = suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`
      throw new ParamsError(`unknown field ${JSON.stringify(key)} for a ${version} subscription${hint}${didYouMean}`)
    }
  }
  const required = (key: string) => {
    if (!(key in fields)) throw new ParamsError(`missing field ${JSON.stringify(key)}`)
    return fields[key]
  }
  const common = {
    owner: string("owner", required("owner")),
    activeAt: integer("active_at", required("active_at")),
    period: integer("period", required("period")),
    frequency: integer("frequency", required("frequency")),
    redundancy: integer("redundancy", required("redundancy"))
  }
  if (version === "v0") {
    const inputs = fields.inputs === undefined || fields.inputs === "" ? "0x" : string("inputs", fields.inputs)
    if (!inputs.startsWith("0x")) {
      throw new ParamsError(`inputs: expected hex bytes starting with 0x (or ""), got ${describe(inputs)}`)
    }
    return {
      version,
      ...common,
      maxGasPrice: integer("max_gas_price", required("max_gas_price")),
      maxGasLimit: integer("max_gas_limit", required("max_gas_limit")),
      containers: containerList("container_id", required("container_id")),
      inputs: inputs as `0x${string}`
    }
  }
  if ("containers" in fields && "container_id" in fields) {
    throw new ParamsError(`give either "containers" or "container_id", not both`)
  }
  const ids = fields.containers ?? fields.container_id
  if (ids === undefined) throw new ParamsError(`missing field "containers" (the container ids)`)
  const hash = typeof ids === "string" && /^0x[0-9a-fA-F]{64}$/.test(ids)
  const optional = <A>(key: string, f: (field: string, v: unknown) => A): A | undefined =>
    fields[key] === undefined ? undefined : f(key, fields[key])
  const lazy = fields.lazy
  if (lazy !== undefined && typeof lazy !== "boolean") {
    throw new ParamsError(`lazy: expected true or false, got ${describe(lazy)}`)
  }
  return {
    version,
    ...common,
    ...(hash
      ? { containerId: ids as `0x${string}` }
      : { containers: containerList("containers" in fields ? "containers" : "container_id", ids) }),
    lazy,
    verifier: optional("verifier", string),
    paymentAmount: optional("payment_amount", integer),
    paymentToken: optional("payment_token", string),
    wallet: optional("wallet", string)
  }
}
