import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"

// End-to-end tests run the built executable: rebuild the bundle first (esbuild, about a second) so they never test a
// stale dist/. The library build (tsc) is not needed by the tests.
export default function setup() {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL("../../scripts/build.mjs", import.meta.url)), "--bundle-only"],
    {
      stdio: "inherit"
    }
  )
}
