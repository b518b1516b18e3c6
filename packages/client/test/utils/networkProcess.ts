/**
 * A mock network in a child process (node-mock's `infernet-node-mock --nodes N --router`, bundled from source with
 * esbuild), for load tests: the nodes and the router get their own event loop (and core), the client under test
 * another. Chaos and inspection go over HTTP: the router's `/__mock/nodes/<i>/down|up` and the nodes' `/__mock/jobs`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { bundleBin } from "../../../node-mock/test/utils/bundle.js"

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
  // node-mock's command bundled from its sources, as node-mock's own tests build it.
  const bin = await bundleBin()
  const dir = dirname(dirname(bin))
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
