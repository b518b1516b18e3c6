// Starts a mock node for a test and always closes it.
import {
  MockConfig,
  type MockNetwork,
  type MockNodeOptions,
  type RunningMockNetwork,
  type RunningMockNode,
  startMockNetwork,
  startMockNode
} from "../../src/index.js"

export const withNode = async <A>(
  options: MockNodeOptions | undefined,
  f: (node: RunningMockNode) => Promise<A>
): Promise<A> => {
  const node = await startMockNode(options)
  try {
    return await f(node)
  } finally {
    await node.close()
  }
}

/** Starts a mock network for a test and always closes it. */
export const withNetwork = async <A>(
  options: MockNetwork.MockNetworkOptions,
  f: (network: RunningMockNetwork) => Promise<A>
): Promise<A> => {
  const network = await startMockNetwork(options)
  try {
    return await f(network)
  } finally {
    await network.close()
  }
}

/** A config with the given containers (no latency unless given) and chain disabled. */
export const containers = (
  list: ReadonlyArray<MockConfig.Input["containers"] extends ReadonlyArray<infer C> | undefined ? C : never>,
  mock: MockConfig.Input["mock"] = {}
): MockConfig.Input => ({ containers: list, mock })

export const defaultConfig = MockConfig.defaultConfig
