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

// The non-namespace exports: the Promise entry points most users reach for first (`MockNode.start` and
// `MockNode.connectPromise` under names that read on their own), with their option and result types.
export {
  /** @since 0.2.0 */
  connectPromise as connectMockNode,
  type MockNodeControl,
  type MockNodeOptions,
  type RunningMockNode,
  /** @since 0.1.0 */
  start as startMockNode
} from "./MockNode.js"

export {
  /** @since 0.2.0 */
  connectPromise as connectMockNetwork,
  type ConnectedMockNetwork,
  /** @since 0.1.0 */
  start as startMockNetwork,
  type MockNetworkOptions,
  type RunningMockNetwork
} from "./MockNetwork.js"
