// Headless Chromium for the browser tests: Debian's `chromium` package driven by `playwright-core` (no browser
// download works on these machines). `.ci/run` installs the package when it is missing (scripts/chromium.sh); a
// developer's run without it skips the browser tests and says so.
//
//   import { chromiumPath, launchChromium } from "../../../scripts/chromium.mjs"
//   const browser = await launchChromium()   // throws with a clear message when no Chromium is installed
//   const page = await browser.newPage()
//
import { existsSync } from "node:fs"

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome"
]

/** The path of an installed Chromium, or `undefined` when there is none. */
export const chromiumPath = () => CANDIDATES.find((path) => path !== undefined && path !== "" && existsSync(path))

/** Why the browser tests do not run here, or `undefined` when they can. */
export const chromiumMissing = () =>
  chromiumPath() === undefined
    ? "no Chromium found (install Debian's chromium: apt-get install -y chromium, or set CHROMIUM_PATH)"
    : undefined

/**
 * Launches headless Chromium with the flags this sandbox needs: no sandbox (root), no GPU, and no background
 * networking (the machine's closed network refuses Chromium's own connections). Playwright gives each launch a
 * fresh profile of its own.
 */
export const launchChromium = async (options = {}) => {
  const executablePath = chromiumPath()
  if (executablePath === undefined) throw new Error(chromiumMissing())
  const { chromium } = await import("playwright-core")
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ],
    ...options
  })
}
