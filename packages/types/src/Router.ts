/**
 * The wire shapes of Ritual's Infernet Router: the containers it has seen, the node addresses it hands out, and the
 * optional resources map. Shared by `@infernet/client`'s `RouterClient` (to decode) and node-mock's router (to answer).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RecordKey } from "./internal/recordKey.js"
import { ModelSupportMap, Resources as NodeResources } from "./NodeInfo.js"
import { ContainerId } from "./Primitives.js"

/**
 * A node address as the router gives it: `"host:port"`, no scheme (e.g. `"10.0.0.7:4000"`, `"[::1]:4000"`).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Router } from "@infernet/types"
 * Schema.decodeUnknownSync(Router.NodeAddress)("127.0.0.1:4000")
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const NodeAddress = Schema.String.pipe(
  Schema.minLength(1, { message: () => "Expected a node address host:port, got an empty string" })
).annotations({ identifier: "NodeAddress" })

/**
 * @since 0.1.0
 * @category models
 */
export type NodeAddress = typeof NodeAddress.Type

/**
 * `GET /api/v1/ips?container=..`: the addresses of nodes running all the named containers, least busy first.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Router } from "@infernet/types"
 * Schema.decodeUnknownSync(Router.Addresses)(["127.0.0.1:4000", "127.0.0.1:4001"])
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Addresses = Schema.Array(NodeAddress).annotations({ identifier: "Addresses" })

/**
 * @since 0.1.0
 * @category models
 */
export type Addresses = typeof Addresses.Type

/**
 * One item of `GET /api/v1/containers`: a container id seen on an available node, how many available nodes run it,
 * and the first non-empty description seen (else `null`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContainerSummary = Schema.Struct({
  id: ContainerId,
  count: Schema.NonNegativeInt,
  description: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ContainerSummary" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ContainerSummary extends Schema.Schema.Type<typeof ContainerSummary> {}

/**
 * `GET /api/v1/containers`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Router } from "@infernet/types"
 * Schema.decodeUnknownSync(Router.Containers)([{ id: "hello-world", count: 2, description: null }])
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Containers = Schema.Array(ContainerSummary).annotations({ identifier: "Containers" })

/**
 * @since 0.1.0
 * @category models
 */
export type Containers = typeof Containers.Type

/**
 * `GET /api/v1/resources` (where a router serves it): node address -> container id -> the resources it reports.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Router } from "@infernet/types"
 * Schema.decodeUnknownSync(Router.Resources)({ "127.0.0.1:4000": { "hello-world": { hardware: {} } } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const Resources = Schema.Record({ key: RecordKey, value: NodeResources }).annotations({
  identifier: "RouterResources"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Resources = typeof Resources.Type

/**
 * `GET /api/v1/resources?model_id=M`: node address -> container id -> `{supported, error?}`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Router } from "@infernet/types"
 * Schema.decodeUnknownSync(Router.ModelSupport)({ "127.0.0.1:4000": { "hello-world": { supported: true } } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ModelSupport = Schema.Record({ key: RecordKey, value: ModelSupportMap }).annotations({
  identifier: "RouterModelSupport"
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModelSupport = typeof ModelSupport.Type
