// Runs the package's own Vitest in a fixture project (its vitest.config.ts), as a user's `vitest run` would.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url))

/** `vitest run` in `cwd`: its exit code and everything it printed. */
export const runVitest = (cwd: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", "--config", "vitest.config.ts"], {
      cwd,
      env: { ...process.env, CI: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += chunk
    })
    child.stderr.on("data", (chunk) => {
      output += chunk
    })
    child.on("exit", (code) => resolve({ code, output }))
  })
