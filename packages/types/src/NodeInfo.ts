/**
 * What a node says about itself: `/health`, `/info` and `/resources`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RecordKey } from "./internal/recordKey.js"
import { JsonObject } from "./Json.js"
import { ContainerId } from "./Primitives.js"

/**
 * `GET /health`: `{"status": "healthy"}`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * Schema.decodeUnknownSync(NodeInfo.HealthInfo)({ status: "healthy" })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const HealthInfo = Schema.Struct({ status: Schema.String }).annotations({ identifier: "HealthInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export interface HealthInfo extends Schema.Schema.Type<typeof HealthInfo> {}

/**
 * A running container as `/info` lists it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Container = Schema.Struct({
  id: ContainerId,
  image: Schema.String,
  description: Schema.String,
  external: Schema.Boolean
}).annotations({ identifier: "Container" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Container extends Schema.Schema.Type<typeof Container> {}

/**
 * Pending job counts: `offchain` across all clients, and `onchain`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PendingCounts = Schema.Struct({
  offchain: Schema.NonNegativeInt,
  onchain: Schema.NonNegativeInt
}).annotations({ identifier: "PendingCounts" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PendingCounts extends Schema.Schema.Type<typeof PendingCounts> {}

/**
 * Whether the node is connected to a chain, and its signing address (`""` when disabled).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChainInfo = Schema.Struct({
  enabled: Schema.Boolean,
  address: Schema.String
}).annotations({ identifier: "ChainInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ChainInfo extends Schema.Schema.Type<typeof ChainInfo> {}

/**
 * `GET /info`: version, running containers, pending counts and chain status.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * const info = Schema.decodeUnknownSync(NodeInfo.NodeInfo)({
 *   version: "1.4.0", containers: [], pending: { offchain: 0, onchain: 0 }, chain: { enabled: false, address: "" }
 * })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const NodeInfo = Schema.Struct({
  version: Schema.String,
  containers: Schema.Array(Container),
  pending: PendingCounts,
  chain: ChainInfo
}).annotations({ identifier: "NodeInfo" })

/**
 * @since 0.1.0
 * @category models
 */
export interface NodeInfo extends Schema.Schema.Type<typeof NodeInfo> {}

/**
 * `GET /resources`: container id -> the resources its service reports (hardware, models, ...). Containers that do
 * not answer are left out.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * Schema.decodeUnknownSync(NodeInfo.Resources)({ "hello-world": { hardware: { cpu: { cores: 8 } } } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Resources = Schema.Record({ key: RecordKey, value: JsonObject }).annotations({
  identifier: "Resources"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Resources = typeof Resources.Type

/**
 * One container's answer to a model-support check: `{"supported": bool, "error"?: string}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModelSupport = Schema.Struct({
  supported: Schema.Boolean,
  error: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "ModelSupport" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ModelSupport extends Schema.Schema.Type<typeof ModelSupport> {}

/**
 * `GET /resources?model_id=M`: container id -> {@link ModelSupport}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * Schema.decodeUnknownSync(NodeInfo.ModelSupportMap)({ "openai-inference-0.0.1": { supported: true } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ModelSupportMap = Schema.Record({ key: RecordKey, value: ModelSupport }).annotations({
  identifier: "ModelSupportMap"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModelSupportMap = typeof ModelSupportMap.Type
