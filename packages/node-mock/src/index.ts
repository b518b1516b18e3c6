/**
 * A realistic Infernet node for tests and local development: the node's REST API on the wire, configurable
 * containers, delegated-subscription checks and a control API, without Docker, Redis or GPUs.
 *
 * @since 0.1.0
 */

/** @since 0.2.0 */
export * as Cassette from "./Cassette.js"
/** @since 0.1.0 */
export * as MockConfig from "./MockConfig.js"
/** @since 0.1.0 */
export * as MockNetwork from "./MockNetwork.js"
/** @since 0.1.0 */
export * as MockNode from "./MockNode.js"
/** @since 0.1.0 */
export * as MockNodeError from "./MockNodeError.js"

// The one non-namespace export: the Promise entry point most users reach for first (`MockNode.start` under a
// name that reads on its own), with its option and result types.
export {
  /** @since 0.1.0 */
  start as startMockNode,
  type MockNodeOptions,
  type RunningMockNode
} from "./MockNode.js"

export {
  /** @since 0.1.0 */
  start as startMockNetwork,
  type MockNetworkOptions,
  type RunningMockNetwork
} from "./MockNetwork.js"
