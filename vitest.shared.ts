import { defineConfig } from "vitest/config"

/**
 * Shared Vitest settings. The `@infernet/source` export condition makes workspace packages resolve to their
 * `src/` entry points, so tests never need a prior build of the packages they import.
 */
const conditions = ["@infernet/source", "import", "module", "node", "default"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@infernet/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fakeTimers: { toFake: undefined },
    sequence: { concurrent: false }
  }
})
