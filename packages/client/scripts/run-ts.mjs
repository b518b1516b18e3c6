// Runs a TypeScript entry point (a benchmark) without a prior build: esbuild bundles it with the workspace packages
// resolved to their sources (the `@infernet/source` condition), into a temporary .mjs file that node then runs.
// Usage: node scripts/run-ts.mjs bench/index.ts [args...]
import { build, stop } from "esbuild"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"
import { pathToFileURL } from "node:url"

const [entry, ...args] = process.argv.slice(2)
if (entry === undefined) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args...]")
  process.exit(2)
}
const dir = mkdtempSync(join(tmpdir(), "infernet-client-"))
const outfile = join(dir, `${basename(entry, ".ts")}.mjs`)
await build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  conditions: ["@infernet/source"],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  },
  logLevel: "warning"
})
await stop()
process.argv = [process.argv[0], outfile, ...args]
process.on("exit", () => rmSync(dir, { recursive: true, force: true }))
await import(pathToFileURL(outfile).href)
