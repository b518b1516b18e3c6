import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The built executable, as npm links it. */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url))

/** A private cache directory for the launcher's V8 code cache, so tests never touch the user's. */
export const CACHE_HOME = mkdtempSync(join(tmpdir(), "infernet-cli-cache-"))

export interface RunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  readonly stdin?: string
  readonly cwd?: string
  readonly timeoutMs?: number
}

/** Environment variables the CLI reads, cleared so the developer's shell never leaks into a test. */
const CLI_ENV = [
  "SERVER_URL",
  "RPC_URL",
  "ADDRESS",
  "PRIVATE_KEY",
  "FACTORY_ADDRESS",
  "REGISTRY_ADDRESS",
  "NO_COLOR",
  "INFERNET_CLI_NO_CACHE"
]

/** Runs `node dist/bin.js ...args` and collects its output and exit code. */
export const runCli = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: CACHE_HOME }
    for (const key of CLI_ENV) delete env[key]
    Object.assign(env, options.env)
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? "")
  })
