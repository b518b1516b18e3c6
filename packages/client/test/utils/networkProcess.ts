/**
 * A mock network in a child process (node-mock's `infernet-node-mock --nodes N --router`, bundled from source with
 * esbuild), for load tests: the nodes and the router get their own event loop (and core), the client under test
 * another. Chaos and inspection go over HTTP: the router's `/__mock/nodes/<i>/down|up` and the nodes' `/__mock/jobs`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const nodeMock = fileURLToPath(new URL("../../../node-mock", import.meta.url))

export interface ProcessNode {
  readonly index: number
  readonly url: string
  readonly down: () => Promise<void>
  readonly up: () => Promise<void>
  /** Ids of every job the node stores. */
  readonly jobIds: () => Promise<ReadonlyArray<string>>
}

export interface ProcessNetwork {
  readonly nodes: ReadonlyArray<ProcessNode>
  readonly routerUrl: string
  readonly close: () => Promise<void>
}

/** Starts `count` nodes, every one with `config` (a node-mock config object), and a router polling every second. */
export const spawnNetwork = async (count: number, config: unknown): Promise<ProcessNetwork> => {
  const dir = await mkdtemp(join(tmpdir(), "client-network-"))
  await mkdir(join(dir, "dist"))
  await copyFile(join(nodeMock, "package.json"), join(dir, "package.json"))
  const bin = join(dir, "dist", "bin.mjs")
  await build({
    entryPoints: [join(nodeMock, "src", "bin.ts")],
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
  const configPath = join(dir, "config.json")
  await writeFile(configPath, JSON.stringify(config))
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      "--nodes",
      String(count),
      "--router",
      "--port",
      "0",
      "--router-port",
      "0",
      "--router-limit",
      "off",
      "--refresh",
      "1",
      "--config",
      configPath
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }
  )
  let out = ""
  child.stdout!.on("data", (chunk) => {
    out += chunk
  })
  child.stderr!.on("data", (chunk) => {
    out += chunk
  })
  const deadline = Date.now() + 30_000
  while (!out.includes("Ctrl-C")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the mock network did not start: ${out}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const urls = [...out.matchAll(/node (\d+)\s+(http:\/\/\S+)/g)].map((m) => m[2]!)
  const routerUrl = /infernet router on (http:\/\/\S+)/.exec(out)![1]!
  const control = async (path: string) => {
    const response = await fetch(`${routerUrl}${path}`, { method: "POST" })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
  }
  return {
    nodes: urls.map((url, index) => ({
      index,
      url,
      down: () => control(`/__mock/nodes/${index}/down`),
      up: () => control(`/__mock/nodes/${index}/up`),
      jobIds: async () => ((await (await fetch(`${url}/__mock/jobs`)).json()) as Array<{ id: string }>).map((j) => j.id)
    })),
    routerUrl,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      })
  }
}
