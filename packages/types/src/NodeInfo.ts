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
 * What one of Ritual's services answers to `GET /service-resources`: `{version, service_id, hardware_capabilities,
 * compute_capability}`. Capabilities are tagged (`capability_id`: `"base"`, `"gpu"`, `"tee"`; `id`: `"ml"`, `"zk"`)
 * and their other keys are kept as they are.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * const resources = Schema.decodeUnknownSync(NodeInfo.ServiceResources)({
 *   version: "0.1.0",
 *   service_id: "css_inference_service",
 *   hardware_capabilities: [{ capability_id: "base", cpu_info: { num_cores: 8 } }],
 *   compute_capability: [{ id: "ml", type: "css", task: ["text-generation"], models: [], cached_models: [] }]
 * })
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const ServiceResources = Schema.Struct({
  version: Schema.optionalWith(Schema.String, { exact: true }),
  service_id: Schema.String,
  hardware_capabilities: Schema.Array(
    Schema.Struct({ capability_id: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  ),
  compute_capability: Schema.Array(
    Schema.Struct({ id: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  )
}).annotations({ identifier: "ServiceResources" })

/**
 * @since 0.2.0
 * @category models
 */
export interface ServiceResources extends Schema.Schema.Type<typeof ServiceResources> {}

/**
 * `GET /resources`: container id -> that container's own answer to `GET /service-resources`, passed through
 * unchanged (Ritual's services answer a {@link ServiceResources}). Containers that fail or have no such route
 * (hello-world has none) are left out.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { NodeInfo } from "@infernet/types"
 * Schema.decodeUnknownSync(NodeInfo.Resources)({
 *   "openai-inference-0.0.1": { service_id: "css_inference_service", hardware_capabilities: [], compute_capability: [] }
 * })
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
