// Measures what the Promise API costs in a browser bundle: esbuild bundles `createNodeClient` from
// `@infernet/client/promise` (minified, tree-shaken, browser platform), then gzip and brotli sizes are reported,
// with the largest contributors by package. Usage: `pnpm run size` (add `--json` for machine-readable output).
import { build } from "esbuild"
import { brotliCompressSync, gzipSync, constants } from "node:zlib"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

const bundle = async (contents) => {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    // Resolve the workspace packages (and this one) to their sources, as the published dist mirrors them 1:1.
    conditions: ["@infernet/source"],
    logLevel: "warning"
  })
  const code = result.outputFiles[0].contents
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    metafile: result.metafile
  }
}

const byPackage = (metafile) => {
  const sizes = new Map()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)
      const name = match ? match[1] : path.startsWith("../") ? `@infernet/${path.split("/")[1]}` : "@infernet/client"
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput)
    }
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1])
}

const promise = await bundle(`export { createNodeClient, NodeClientError } from "@infernet/client/promise"`)
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ minified: promise.minified, gzip: promise.gzip, brotli: promise.brotli }))
} else {
  console.log("@infernet/client/promise (createNodeClient + NodeClientError), esbuild --bundle --minify, browser:")
  console.log(`  minified ${kib(promise.minified)}, gzip ${kib(promise.gzip)}, brotli ${kib(promise.brotli)}`)
  console.log("  minified bytes by package:")
  for (const [name, bytes] of byPackage(promise.metafile)) console.log(`    ${name.padEnd(24)} ${kib(bytes)}`)
}
