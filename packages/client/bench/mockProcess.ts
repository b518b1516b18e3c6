/**
 * The benches' node: @infernet/node-mock in a child process (this same script, run again with `--serve`), so that the
 * client measured and the node do not share one event loop.
 */
import { type MockConfig, startMockNode } from "@infernet/node-mock"
import { fork } from "node:child_process"
import { availableParallelism } from "node:os"

/** Whether this process is the node's (started by {@link forkMockNode}). */
export const isMockProcess = (): boolean => process.argv.includes("--serve")

/** Starts the node's process; resolves to its URL, once it listens, and a way to stop it. */
export const forkMockNode = async (): Promise<{ readonly url: string; readonly stop: () => void }> => {
  const child = fork(process.argv[1]!, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url))
    child.once("exit", (code) => reject(new Error(`the mock node exited (${code})`)))
  })
  console.log(`node ${process.version}, ${availableParallelism()} cores; node-mock at ${url} (child process)`)
  return { url, stop: () => child.disconnect() }
}

/** The node's side: serves `config` until the parent goes away. */
export const serveMockNode = async (config: MockConfig.Input): Promise<void> => {
  const node = await startMockNode({ config })
  process.send?.({ url: node.url })
  process.on("disconnect", () => void node.close().then(() => process.exit(0)))
}
