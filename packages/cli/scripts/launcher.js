#!/usr/bin/env node
// The `infernet-client` executable (dist/bin.js, generated from scripts/launcher.js by scripts/build.mjs).
//
// It runs the bundled CLI (dist/cli.cjs) through a V8 code cache: compiling the ~1.5 MB bundle is a third of a cold
// start, and the cache turns it into a quick deserialisation. The cache lives in the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows) under infernet-client/, keyed
// by the bundle's content hash and the Node version and architecture; V8 checks it again and any rejected or
// unreadable cache is simply rebuilt. INFERNET_CLI_NO_CACHE=1 turns it off.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import Module, { createRequire } from "node:module"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Script } from "node:vm"

const BUNDLE_HASH = "__BUNDLE_HASH__"
const KEEP_CACHES = 4

const bundle = join(dirname(fileURLToPath(import.meta.url)), "cli.cjs")

if (process.argv.includes("--verbose")) {
  // --verbose prints stack traces: load the bundle as a plain CommonJS module with source maps on, so that they point
  // at the TypeScript sources (dist/cli.cjs.map) instead of the minified bundle. Start-up speed does not matter here.
  process.setSourceMapsEnabled(true)
  createRequire(import.meta.url)(bundle)
} else {
  runCached()
}

function runCached() {
  const source = readFileSync(bundle, "utf8")

  const cacheDir = () => {
    const env = process.env
    if (
      env.INFERNET_CLI_NO_CACHE !== undefined &&
      env.INFERNET_CLI_NO_CACHE !== "" &&
      env.INFERNET_CLI_NO_CACHE !== "0"
    ) {
      return undefined
    }
    try {
      const base =
        env.XDG_CACHE_HOME ||
        (process.platform === "darwin"
          ? join(homedir(), "Library", "Caches")
          : process.platform === "win32"
            ? env.LOCALAPPDATA || join(homedir(), "AppData", "Local")
            : join(homedir(), ".cache"))
      return join(base, "infernet-client")
    } catch {
      return undefined
    }
  }

  const dir = cacheDir()
  const cacheName = `${BUNDLE_HASH}-${process.version}-${process.arch}.v8cache`
  const cacheFile = dir === undefined ? undefined : join(dir, cacheName)

  let cachedData
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      cachedData = undefined
    }
  }

  const script = new Script(Module.wrap(source), { filename: bundle, cachedData })

  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // Written at exit, so the cache also holds the functions compiled while running. Best effort: a read-only home,
    // a full disk or a concurrent writer only cost the speed-up.
    process.once("exit", () => {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        const temporary = join(dir, `.${cacheName}.${process.pid}.tmp`)
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 })
        renameSync(temporary, cacheFile)
        // Keep the newest few caches (other versions of the CLI or of Node may be in use side by side).
        const caches = readdirSync(dir)
          .filter((name) => name.endsWith(".v8cache"))
          .map((name) => ({ name, time: statSync(join(dir, name)).mtimeMs }))
          .sort((a, b) => b.time - a.time)
        for (const { name } of caches.slice(KEEP_CACHES)) rmSync(join(dir, name), { force: true })
      } catch {
        // ignored: see above
      }
    })
  }

  const module = { exports: {}, filename: bundle, id: bundle, loaded: false }
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle))
}
