// Builds @infernet/cli, the executable: the whole CLI bundled by esbuild into dist/cli.cjs (one file, so Node resolves
// and reads no other module at start-up, and the published package has no runtime dependencies), and dist/bin.js, the
// launcher that runs it through a V8 code cache (scripts/launcher.js, stamped with the bundle's content hash).
import { createHash } from "node:crypto"
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { rewriteSourceMap } from "./sourcemap.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

rmSync(join(root, "dist"), { recursive: true, force: true })

// Modules the bundle never runs, and that bundlers cannot drop on their own:
// - @effect/cli's YAML/TOML/INI config-file parsers (infernet-client reads JSON only);
// - fast-check (effect uses it only to build property-test arbitraries).
// Calling a stubbed parser fails loudly instead of misbehaving.
const unused = {
  name: "unused-modules",
  setup(build) {
    build.onResolve({ filter: /^(yaml|toml|ini|fast-check)$/ }, (args) => ({ path: args.path, namespace: "unused" }))
    build.onLoad({ filter: /.*/, namespace: "unused" }, (args) => ({
      loader: "js",
      contents: `export const parse = () => { throw new Error(${JSON.stringify(`${args.path} is not bundled in infernet-client`)}) }`
    }))
  }
}

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/cli.cjs",
  bundle: true,
  // CommonJS, because a V8 code cache can only be used with classic scripts (vm.Script), not ES modules.
  format: "cjs",
  platform: "node",
  target: "node20",
  // Workspace packages are bundled from their TypeScript sources (the same condition tests use).
  conditions: ["@infernet/source"],
  plugins: [unused],
  minify: true,
  // Positions only (no sources): --verbose stack traces point at the TypeScript sources, not the minified bundle.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none",
  metafile: true,
  define: {
    __INFERNET_CLI_VERSION__: JSON.stringify(pkg.version),
    "import.meta.url": "__infernetImportMetaUrl"
  },
  banner: { js: 'var __infernetImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning"
})

const mapped = rewriteSourceMap(join(root, "dist", "cli.cjs.map"), join(root, ".."))

const bundle = readFileSync(join(root, "dist", "cli.cjs"))
const hash = createHash("sha256").update(bundle).digest("hex").slice(0, 16)
const launcher = readFileSync(join(root, "scripts", "launcher.js"), "utf8").replace("__BUNDLE_HASH__", hash)
writeFileSync(join(root, "dist", "bin.js"), launcher)
chmodSync(join(root, "dist", "bin.js"), 0o755)

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
console.log(
  `dist/cli.cjs: ${(bytes / 1024).toFixed(0)} KiB with its map (hash ${hash}); dist/bin.js: launcher; ` +
    `dist/sources: ${mapped} TypeScript sources for --verbose stack traces`
)
