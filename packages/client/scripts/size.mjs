// Measures what the Promise API costs in a browser bundle: esbuild bundles `createNodeClient` from
// `@infernet/client/promise` (minified, tree-shaken, browser platform), then reports the gzip and brotli sizes of what
// loads at start, with the largest contributors by package; and the same with `requestDelegatedSubscription` from
// `@infernet/client/subscriptions` (which brings @infernet/chain and viem).
// Usage: `pnpm run size` (add `--json` for machine-readable output).
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
    splitting: true,
    outdir: "size-out",
    metafile: true,
    // Resolve the workspace packages (and this one) to their sources, as the published dist mirrors them 1:1.
    conditions: ["@infernet/source"],
    logLevel: "warning"
  })
  const measure = (code) => ({
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  })
  // The initial load is the entry chunk and every chunk it imports statically; the rest is only fetched by the
  // dynamic import of @infernet/chain.
  const outputs = result.metafile.outputs
  const entryPath = Object.keys(outputs).find((file) => file.endsWith("stdin.js"))
  const initial = new Set()
  const visit = (file) => {
    if (initial.has(file)) return
    initial.add(file)
    for (const imported of outputs[file].imports) if (imported.kind === "import-statement") visit(imported.path)
  }
  visit(entryPath)
  const join = (files) => {
    const bytes = new Uint8Array(files.reduce((n, file) => n + file.contents.length, 0))
    let offset = 0
    for (const file of files) {
      bytes.set(file.contents, offset)
      offset += file.contents.length
    }
    return bytes
  }
  const relative = (file) => file.path.slice(file.path.indexOf("size-out/"))
  const initialFiles = result.outputFiles.filter((file) => initial.has(relative(file)))
  const lazyFiles = result.outputFiles.filter((file) => !initial.has(relative(file)))
  const initialSet = initial
  return {
    entry: measure(join(initialFiles)),
    lazy: measure(join(lazyFiles)),
    metafile: result.metafile,
    initial: initialSet
  }
}

const byPackage = (metafile, initial) => {
  const sizes = new Map()
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!initial.has(file)) continue
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)
      const name = match ? match[1] : path.startsWith("../") ? `@infernet/${path.split("/")[1]}` : "@infernet/client"
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput)
    }
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1])
}

const promise = await bundle(`export { createNodeClient, NodeClientError } from "@infernet/client/promise"`)
const withSubscriptions = await bundle(
  `export { createNodeClient, NodeClientError } from "@infernet/client/promise"
   export { requestDelegatedSubscription } from "@infernet/client/subscriptions"`
)
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ promise: promise.entry, withSubscriptions: withSubscriptions.entry }))
} else {
  const line = (m) => `minified ${kib(m.minified)}, gzip ${kib(m.gzip)}, brotli ${kib(m.brotli)}`
  console.log("esbuild --bundle --minify, browser platform:")
  console.log(`  @infernet/client/promise (createNodeClient + NodeClientError): ${line(promise.entry)}`)
  console.log(`  ... + @infernet/client/subscriptions (@infernet/chain + viem): ${line(withSubscriptions.entry)}`)
  console.log("  @infernet/client/promise, minified bytes by package:")
  for (const [name, bytes] of byPackage(promise.metafile, promise.initial))
    console.log(`    ${name.padEnd(24)} ${kib(bytes)}`)
}
