import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// `*.test-d.ts` are type-level tests (`expectTypeOf`): the `typecheck` target (tsc) checks them in CI, and
// `pnpm run test:types` reports them test by test.
export default mergeConfig(
  shared,
  defineConfig({ test: { typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" } } })
)
