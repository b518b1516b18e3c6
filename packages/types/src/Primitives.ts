/**
 * Branded identifiers and fixed-width integers shared by every other schema.
 *
 * @since 0.1.0
 */
import type { FastCheck } from "effect"
import { Schema } from "effect"

// Property-test values for hex strings: generated directly, since filtering random strings by the pattern never ends.
const hexArbitrary = (fc: typeof FastCheck, minBytes: number, maxBytes: number) =>
  fc
    .uint8Array({ minLength: minBytes, maxLength: maxBytes })
    .map((bytes): `0x${string}` => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`)

/**
 * A job id: any string. The node issues UUIDs for the jobs it creates, but `PUT /api/status` records any string the
 * caller chooses, and the node then lists it like any other id; so a decoder of node answers accepts every string.
 * Branded, so a plain string cannot be passed where a job id is expected. {@link CreatedJobId} is the UUID the node
 * answers to `POST /api/jobs`.
 *
 * @example
 * ```ts
 * import { Primitives } from "@infernet/types"
 * const id = Primitives.JobId.make("29dd2f8b-05c3-4b1c-a103-370c04c6850f")
 * const recorded = Primitives.JobId.make("nightly-batch-7") // an id recorded with PUT /api/status
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const JobId = Schema.String.pipe(Schema.brand("JobId")).annotations({
  identifier: "JobId",
  message: () => "Expected a job id (a string)"
})

/**
 * The id of a job the node created: a UUID (the node makes them with `uuid4`), with the same type as {@link JobId}.
 * `Job.JobResponse`, the answer to `POST /api/jobs`, uses it; answers that list ids use {@link JobId}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Primitives } from "@infernet/types"
 * Schema.decodeUnknownSync(Primitives.CreatedJobId)("29dd2f8b-05c3-4b1c-a103-370c04c6850f")
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const CreatedJobId: Schema.brand<typeof Schema.UUID, "JobId"> = Schema.UUID.pipe(
  Schema.brand("JobId")
).annotations({
  identifier: "CreatedJobId",
  message: () => "Expected a job id created by the node (a UUID such as 29dd2f8b-05c3-4b1c-a103-370c04c6850f)"
})

/**
 * @since 0.1.0
 * @category models
 */
export type JobId = typeof JobId.Type

/**
 * A container id as configured on the node, e.g. `openai-inference-0.0.1`. Non-empty.
 *
 * @example
 * ```ts
 * import { Primitives } from "@infernet/types"
 * const container = Primitives.ContainerId.make("hello-world")
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ContainerId = Schema.String.pipe(
  Schema.minLength(1, { message: () => "Expected a container id, got an empty string" }),
  Schema.brand("ContainerId")
).annotations({ identifier: "ContainerId" })

/**
 * @since 0.1.0
 * @category models
 */
export type ContainerId = typeof ContainerId.Type

/**
 * An Ethereum address: `0x` and 40 hex digits, any case. `@infernet/chain` normalises it to the EIP-55 checksum.
 *
 * @example
 * ```ts
 * import { Primitives } from "@infernet/types"
 * const owner = Primitives.Address.make("0x5FbDB2315678afecb367f032d93F642f64180aa3")
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Address = Schema.String.pipe(
  Schema.pattern(/^0x[0-9a-fA-F]{40}$/, {
    message: (issue) => `Expected an address (0x and 40 hex digits), got ${JSON.stringify(issue.actual)}`
  }),
  Schema.brand("Address")
).annotations({ identifier: "Address", arbitrary: () => (fc) => hexArbitrary(fc, 20, 20).map((hex) => hex as Address) })

/**
 * @since 0.1.0
 * @category models
 */
export type Address = typeof Address.Type

/**
 * Hex-encoded bytes: `0x` followed by an even number of hex digits (`0x` alone is empty bytes).
 *
 * @example
 * ```ts
 * import type { FastCheck } from "effect"
import { Schema } from "effect"

// Property-test values for hex strings: generated directly, since filtering random strings by the pattern never ends.
const hexArbitrary = (fc: typeof FastCheck, minBytes: number, maxBytes: number) =>
  fc
    .uint8Array({ minLength: minBytes, maxLength: maxBytes })
    .map((bytes): `0x${string}` => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`)
 * import { Primitives } from "@infernet/types"
 * Schema.decodeUnknownSync(Primitives.Hex)("0x1234")
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Hex = Schema.TemplateLiteral("0x", Schema.String)
  .pipe(
    Schema.pattern(/^0x(?:[0-9a-fA-F]{2})*$/, {
      message: (issue) =>
        `Expected hex bytes (0x and an even number of hex digits), got ${JSON.stringify(issue.actual)}`
    })
  )
  .annotations({ identifier: "Hex", arbitrary: () => (fc) => hexArbitrary(fc, 0, 64) })

/**
 * @since 0.1.0
 * @category models
 */
export type Hex = typeof Hex.Type

/**
 * 32 hex-encoded bytes, e.g. a v1 subscription's `containers` hash.
 *
 * @example
 * ```ts
 * import type { FastCheck } from "effect"
import { Schema } from "effect"

// Property-test values for hex strings: generated directly, since filtering random strings by the pattern never ends.
const hexArbitrary = (fc: typeof FastCheck, minBytes: number, maxBytes: number) =>
  fc
    .uint8Array({ minLength: minBytes, maxLength: maxBytes })
    .map((bytes): `0x${string}` => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`)
 * import { Primitives } from "@infernet/types"
 * Schema.decodeUnknownSync(Primitives.Bytes32)(`0x${"00".repeat(32)}`)
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Bytes32 = Schema.TemplateLiteral("0x", Schema.String)
  .pipe(
    Schema.pattern(/^0x[0-9a-fA-F]{64}$/, {
      message: (issue) => `Expected 32 bytes as hex (0x and 64 hex digits), got ${JSON.stringify(issue.actual)}`
    })
  )
  .annotations({ identifier: "Bytes32", arbitrary: () => (fc) => hexArbitrary(fc, 32, 32) })

const uint = (bits: number) => {
  const max = 2 ** bits - 1
  return Schema.Number.pipe(
    Schema.int({ message: () => `Expected uint${bits}: a whole number` }),
    Schema.between(0, max, { message: (issue) => `Expected uint${bits}: 0 to ${max}, got ${String(issue.actual)}` })
  ).annotations({ identifier: `Uint${bits}` })
}

/**
 * An unsigned 16-bit integer as a JSON number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uint16 = uint(16)

/**
 * An unsigned 32-bit integer as a JSON number (nonces, expiries, timestamps).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uint32 = uint(32)

/**
 * An unsigned 48-bit integer as a JSON number (fits a JS number exactly).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uint48 = uint(48)

const UINT256_MAX = 2n ** 256n - 1n

/**
 * An unsigned 256-bit integer: `bigint` in TypeScript, an exact JSON integer on the wire. Decoding accepts a JSON
 * number (small values), a `bigint` (from `Json.parse`) or a decimal string; encoding always gives a `bigint`, which
 * `Json.stringify` writes without losing digits.
 *
 * @example
 * ```ts
 * import type { FastCheck } from "effect"
import { Schema } from "effect"

// Property-test values for hex strings: generated directly, since filtering random strings by the pattern never ends.
const hexArbitrary = (fc: typeof FastCheck, minBytes: number, maxBytes: number) =>
  fc
    .uint8Array({ minLength: minBytes, maxLength: maxBytes })
    .map((bytes): `0x${string}` => `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`)
 * import { Primitives } from "@infernet/types"
 * Schema.decodeUnknownSync(Primitives.Uint256)(12) // 12n
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Uint256 = Schema.transform(
  Schema.Union(Schema.BigIntFromSelf, Schema.Number.pipe(Schema.int()), Schema.BigInt),
  Schema.BigIntFromSelf.pipe(
    Schema.betweenBigInt(0n, UINT256_MAX, { message: (issue) => `Expected uint256, got ${String(issue.actual)}` })
  ),
  { strict: true, decode: (n) => BigInt(n), encode: (n) => n }
).annotations({ identifier: "Uint256" })
