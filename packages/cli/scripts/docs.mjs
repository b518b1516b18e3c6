// `pnpm run docs`: writes the command reference, generated from the command descriptors (src/internal/docs.ts),
// between the markers in README.md. The descriptors are TypeScript: esbuild bundles them for this run into a
// temporary file (the same source condition the tests use), then the script imports it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { build } from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const cache = join(root, "node_modules", ".cache")
mkdirSync(cache, { recursive: true })
const temporary = mkdtempSync(join(cache, "docs-"))
try {
  const outfile = join(temporary, "docs.mjs")
  await build({
    absWorkingDir: root,
    entryPoints: ["src/internal/docs.ts"],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["@infernet/source"],
    banner: {
      js: 'import { createRequire as __docsCreateRequire } from "node:module"; const require = __docsCreateRequire(import.meta.url);'
    },
    logLevel: "warning"
  })
  const docs = await import(pathToFileURL(outfile).href)
  const readme = join(root, "README.md")
  const before = readFileSync(readme, "utf8")
  const after = docs.updateReadme(before)
  writeFileSync(readme, after)
  console.log(before === after ? "README.md: command reference up to date" : "README.md: command reference updated")
} finally {
  rmSync(temporary, { recursive: true, force: true })
}
