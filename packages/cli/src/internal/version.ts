// The package version for `--version`. The bundle (dist/bin.js) has it inlined by esbuild's `define`; the library
// build and the tests read it from package.json, two levels up from both src/internal and dist/internal.
import { readFileSync } from "node:fs"

declare const __INFERNET_CLI_VERSION__: string | undefined

const fromPackageJson = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown
    }
    return typeof pkg.version === "string" ? pkg.version : "0.0.0"
  } catch {
    return "0.0.0"
  }
}

/** @internal */
export const VERSION: string =
  typeof __INFERNET_CLI_VERSION__ === "string" ? __INFERNET_CLI_VERSION__ : fromPackageJson()
