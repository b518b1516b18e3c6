// node-mock's command bundled with esbuild (workspace packages resolved to their sources), as bin.test.ts builds it,
// and a helper that runs it as a real process.
import { type ChildProcess, spawn } from "node:child_process"
import { copyFile, mkdir, mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = fileURLToPath(new URL("../..", import.meta.url))

/** Bundles src/bin.ts into a temporary folder; resolves to the bundle's path. */
export const bundleBin = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "node-mock-bin-"))
  await mkdir(join(dir, "dist"))
  const bin = join(dir, "dist", "bin.mjs")
  await copyFile(join(root, "package.json"), join(dir, "package.json"))
  await build({
    entryPoints: [join(root, "src", "bin.ts")],
    outfile: bin,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@infernet/source"],
    logLevel: "error",
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);'
    }
  })
  return bin
}

export interface Running {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exit: Promise<number | null>
  /** Resolves to the first match of `pattern` in stdout, within `ms`. */
  readonly waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpExecArray>
  /** SIGTERM, then its exit code. */
  readonly stop: () => Promise<number | null>
}

export const runBin = (bin: string, args: ReadonlyArray<string>, cwd: string): Running => {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk
  })
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk
  })
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const waitFor = (pattern: RegExp, ms = 20_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const deadline = Date.now() + ms
      const check = () => {
        const match = pattern.exec(out)
        if (match !== null) return resolve(match)
        if (child.exitCode !== null || Date.now() > deadline) {
          return reject(new Error(`no ${pattern} in the output:\n${out}\n${err}`))
        }
        setTimeout(check, 20)
      }
      check()
    })
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM")
    return exit
  }
  return { child, stdout: () => out, stderr: () => err, exit, waitFor, stop }
}
