/**
 * Vitest helpers: `mockNodeTest` (a fresh mock node per test, or one per worker), and a `globalSetup` that starts
 * one node for the whole run.
 *
 * A Vitest `globalSetup` that starts one mock node for the whole test run and `provide`s its URL as
 * `infernetNodeUrl`; tests read it with `inject("infernetNodeUrl")`.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * import { defineConfig } from "vitest/config"
 * export default defineConfig({ test: { globalSetup: ["@infernet/node-mock/vitest"] } })
 *
 * // any test file
 * import { inject, it } from "vitest"
 * it("is healthy", async () => {
 *   const response = await fetch(`${inject("infernetNodeUrl")}/health`)
 * })
 * ```
 * @since 0.1.0
 */
import type { TestAPI } from "vitest"
import { type MockNodeOptions, type RunningMockNode, start } from "./MockNode.js"

// Vitest's runtime cannot be loaded where this module also runs as a global setup (Vitest's main process refuses:
// "Vitest failed to access its internal state"), so it is loaded here only when it can be, and `mockNodeTest` exists
// in test files, where Vitest's runtime is.
const vitest: typeof import("vitest") | undefined = await import("vitest").catch(() => undefined)

declare module "vitest" {
  /** Values `@infernet/node-mock/vitest` provides to tests. */
  export interface ProvidedContext {
    /** Base URL of the mock node started by the global setup, e.g. `http://127.0.0.1:41234`. */
    infernetNodeUrl: string
    /** Options of every `mockNode` of {@link mockNodeTest} in the project (serialisable ones). */
    mockNodeOptions: MockNodeOptions
    /** Options of the `workerMockNode` of {@link mockNodeTest}. */
    workerMockNodeOptions: MockNodeOptions
  }
}

/**
 * What a global setup receives from Vitest (its `TestProject`), reduced to what this module uses.
 *
 * @since 0.1.0
 * @category models
 */
export interface GlobalSetupContext {
  provide(key: "infernetNodeUrl", value: string): void
}

/**
 * The key under which the node's URL is provided.
 *
 * @since 0.1.0
 * @category constants
 */
export const providedKey = "infernetNodeUrl" as const

/**
 * Options from the environment: `INFERNET_NODE_MOCK_CONFIG` (a config file path), `INFERNET_NODE_MOCK_PORT`,
 * `INFERNET_NODE_MOCK_SEED` and `INFERNET_NODE_MOCK_REPLAY` (a cassette to replay, strict).
 *
 * @since 0.1.0
 * @category constructors
 */
export const optionsFromEnv = (env: NodeJS.ProcessEnv = process.env): MockNodeOptions => {
  const number = (name: string) => {
    const text = env[name]
    if (text === undefined || text === "") return undefined
    const n = Number(text)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`)
    return n
  }
  const config = env.INFERNET_NODE_MOCK_CONFIG
  const port = number("INFERNET_NODE_MOCK_PORT")
  const seed = number("INFERNET_NODE_MOCK_SEED")
  const replay = env.INFERNET_NODE_MOCK_REPLAY
  return {
    ...(replay === undefined || replay === "" ? {} : { replay }),
    ...(config === undefined || config === "" ? {} : { config }),
    ...(port === undefined ? {} : { port }),
    ...(seed === undefined ? {} : { seed })
  }
}

/**
 * Makes a global setup function with your options (for a config object, or a fixed port): export it as the default
 * export of your own setup file.
 *
 * @example
 * ```ts
 * // test/mock-node.ts, listed in `test.globalSetup`
 * import { MockConfig } from "@infernet/node-mock"
 * import { globalSetup } from "@infernet/node-mock/vitest"
 * export default globalSetup({ config: { ...MockConfig.defaultConfig, mock: { rate_limit: { limit: 5, period_seconds: 1 } } } })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const globalSetup =
  (options?: MockNodeOptions) =>
  async (project: GlobalSetupContext): Promise<() => Promise<void>> => {
    const node = await start(options ?? optionsFromEnv())
    project.provide(providedKey, node.url)
    return () => node.close()
  }

const setup: (project: GlobalSetupContext) => Promise<() => Promise<void>> = globalSetup()

/**
 * The default global setup: the default configuration (or the `INFERNET_NODE_MOCK_*` environment), on a free port.
 *
 * @since 0.1.0
 * @category constructors
 */
export default setup

/**
 * The fixtures of {@link mockNodeTest}.
 *
 * @since 0.2.0
 * @category models
 */
export interface MockNodeFixtures {
  /**
   * The options of the test's {@link MockNodeFixtures.mockNode}: `{}` (the default configuration, on a free port)
   * unless set for a file or a `describe` with `mockNodeTest.scoped({ mockNodeOptions: ... })`, or for a project with
   * `test.provide: { mockNodeOptions: ... }` in the Vitest config.
   */
  mockNodeOptions: MockNodeOptions
  /** A mock node of the test's own, started before it and closed after it (its jobs, log and behaviours too). */
  mockNode: RunningMockNode
}

/**
 * The worker-scoped fixtures of {@link mockNodeTest}.
 *
 * @since 0.2.0
 * @category models
 */
export interface MockNodeWorkerFixtures {
  /** The options of {@link MockNodeWorkerFixtures.workerMockNode}; `test.provide: { workerMockNodeOptions }` sets them. */
  workerMockNodeOptions: MockNodeOptions
  /**
   * One mock node per Vitest worker, started on first use and closed when the worker ends. Files in other workers
   * never see it; files that run one after another in the same worker do (`reset()` it in a `beforeEach` if they
   * must not).
   */
  workerMockNode: RunningMockNode
}

const startFor = async (options: MockNodeOptions, use: (node: RunningMockNode) => Promise<void>) => {
  const node = await start(options)
  try {
    await use(node)
  } finally {
    await node.close()
  }
}

const notHere = () => {
  throw new Error("mockNodeTest is for test files: Vitest's runtime is not available here (a global setup?)")
}

/**
 * Vitest's `test` with mock-node fixtures: `mockNode`, a fresh node per test (nothing a test does to it, jobs,
 * behaviours, rate limits, is seen by another test, in this file or in a file running in parallel), and
 * `workerMockNode`, one node per worker. A node starts only for tests that use the fixture. Options per file or
 * `describe` with `mockNodeTest.scoped({ mockNodeOptions })`; `listen: false` gives a node with no port at all, to
 * use through `mockNode.fetch`.
 *
 * @example
 * ```ts
 * import { mockNodeTest as test } from "@infernet/node-mock/vitest"
 * import { expect } from "vitest"
 *
 * test("a job runs", async ({ mockNode }) => {
 *   await mockNode.setBehavior("hello-world", { type: "static", output: { ok: true } })
 *   const response = await mockNode.fetch(`${mockNode.url}/api/jobs`, {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify({ containers: ["hello-world"], data: {} })
 *   })
 *   expect(response.status).toBe(200)
 * })
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const mockNodeTest: TestAPI<MockNodeFixtures & MockNodeWorkerFixtures> =
  vitest === undefined
    ? (new Proxy(notHere, { get: notHere, apply: notHere }) as unknown as TestAPI<
        MockNodeFixtures & MockNodeWorkerFixtures
      >)
    : vitest.test.extend<MockNodeFixtures & MockNodeWorkerFixtures>({
        workerMockNodeOptions: [{}, { injected: true, scope: "worker" }],
        workerMockNode: [
          async ({ workerMockNodeOptions }, use) => startFor(workerMockNodeOptions, use),
          { scope: "worker" }
        ],
        mockNodeOptions: [{}, { injected: true }],
        mockNode: async ({ mockNodeOptions }, use) => startFor(mockNodeOptions, use)
      })
