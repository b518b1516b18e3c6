/**
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
// Brings vitest's types into the program, so the augmentation below has something to augment.
import type {} from "vitest"
import { type MockNodeOptions, start } from "./MockNode.js"

declare module "vitest" {
  /** Values `@infernet/node-mock/vitest` provides to tests. */
  export interface ProvidedContext {
    /** Base URL of the mock node started by the global setup, e.g. `http://127.0.0.1:41234`. */
    infernetNodeUrl: string
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
