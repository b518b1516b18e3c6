// The live inspector page (`GET /__mock/ui`) in real headless Chromium (scripts/chromium.mjs: Debian's chromium
// driven by playwright-core). Skipped, with the reason in the test's name, when no Chromium is installed.
// `NODE_MOCK_SCREENSHOT=1` also writes docs/inspector.png (the README's screenshot).
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { MockConfig, startMockNetwork, startMockNode } from "../src/index.js"
import { INSPECTOR_PAGE } from "../src/internal/inspectorPage.js"
// @ts-expect-error: a plain .mjs module without types
import { chromiumMissing, launchChromium } from "../../../scripts/chromium.mjs"
import { request } from "./utils/http.js"
import { v0Body } from "./utils/subscriptions.js"

const missing: string | undefined = chromiumMissing()

// The client's Promise API, from its sources. Loaded by path, not as a package: @infernet/client has node-mock as a
// dev dependency, and a dependency back would be a cycle in the workspace's graph.
const clientPath = fileURLToPath(new URL("../../client/src/promise.ts", import.meta.url))
const loadClient = () => import(/* @vite-ignore */ clientPath)

type Browser = Awaited<ReturnType<typeof launchChromium>>
let browser: Browser | undefined

beforeAll(async () => {
  if (missing === undefined) browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
})

const config: MockConfig.Input = {
  ...MockConfig.defaultConfig,
  mock: { ...MockConfig.defaultConfig.mock, rate_limit: { limit: 5, period_seconds: 60 } }
}

describe("the inspector page", () => {
  it("is one self-contained page of a few tens of KiB, loopback only", async () => {
    const size = Buffer.byteLength(INSPECTOR_PAGE)
    assert.isBelow(size, 40 * 1024)
    // No external asset: no script src, no stylesheet, no URL (the icon is an empty data: URL).
    assert.notMatch(INSPECTOR_PAGE, /<script[^>]+src=|<link(?![^>]+href="data:)[^>]*>|@import|https?:\/\//)
    const node = await startMockNode()
    try {
      const page = await request(node.url, "/__mock/ui")
      assert.strictEqual(page.status, 200)
      assert.strictEqual(page.headers["content-type"], "text/html; charset=utf-8")
      assert.strictEqual(page.text, INSPECTOR_PAGE)
      // Another client address (127.0.0.2 is loopback too; the guard is the same as the control API's).
      const state = (await request(node.url, "/__mock/ui/state")).json()
      assert.strictEqual(state.kind, "node")
      assert.deepStrictEqual(
        state.containers.map((c: { id: string }) => c.id),
        MockConfig.defaultConfig.containers.map((c) => c.id)
      )
    } finally {
      await node.close()
    }
  })

  it.skipIf(missing !== undefined)(
    `shows a job created with the client within a second, with its input and output on click${missing === undefined ? "" : ` (skipped: ${missing})`}`,
    async () => {
      const node = await startMockNode({ config })
      const { createNodeClient } = await loadClient()
      const client = createNodeClient({ baseUrl: node.url })
      const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } })
      try {
        await page.goto(`${node.url}/__mock/ui`)
        await page.waitForSelector("#live.ok", { timeout: 5000 })
        assert.include(await page.textContent("#containers"), "openai-inference-streaming-0.0.1")
        const id: string = await client.requestJob({ containers: ["hello-world"], data: { name: "Ritual" } })
        // Polled by Playwright until the deadline: the page updates itself, no reload.
        await page.waitForSelector(`tr[data-job="${id}"]`, { timeout: 1000 })
        await page.waitForFunction(
          (jobId: string) => document.querySelector(`tr[data-job="${jobId}"] .status`)?.textContent === "success",
          id,
          { timeout: 2000 }
        )
        // A locator click: it finds the row again if a poll redraws the table meanwhile.
        await page.click(`tr[data-job="${id}"]`)
        await page.waitForSelector("#job-detail pre", { timeout: 2000 })
        const detail = await page.textContent("#job-detail")
        assert.include(detail, '"name": "Ritual"')
        assert.include(
          detail,
          "hello, world!, your input was: {'source': 1, 'destination': 1, 'data': {'name': 'Ritual'}"
        )
        // The request log with bodies, the subscriptions with their signature check, the rate limiter.
        await request(node.url, "/api/jobs", { method: "POST", body: v0Body() })
        await page.waitForFunction(
          () => document.querySelector("#subs")?.textContent?.includes("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"),
          undefined,
          { timeout: 2000 }
        )
        const requests = await page.textContent("#requests")
        assert.include(requests, "POST /api/jobs")
        assert.include(requests, '"name":"Ritual"')
        const limits = await page.textContent("#limits")
        assert.include(limits, "5 per 60 s")
        // Two jobs posted by this client: 3 of its burst of 5 left.
        assert.match(limits ?? "", /POST \/api\/jobs\|127\.0\.0\.1 ?3 of 5/)
        if (process.env.NODE_MOCK_SCREENSHOT === "1") {
          for (const input of ["Deep Learning is ", "how do I make pizza?"]) {
            await client.requestJob({
              containers: ["openai-inference-0.0.1"],
              data: {
                model: "gpt-4o",
                params: { endpoint: "completion", messages: [{ role: "user", content: input }] }
              }
            })
          }
          await client.requestJob({
            containers: ["openai-inference-0.0.1"],
            data: { model: "text-embedding-3-small", params: { endpoint: "embeddings", input: "embed me" } }
          })
          await page.waitForFunction(() => document.querySelectorAll("tr[data-job]").length >= 4, undefined, {
            timeout: 2000
          })
          await page.waitForTimeout(700)
          await page.screenshot({
            path: fileURLToPath(new URL("../docs/inspector.png", import.meta.url)),
            fullPage: false
          })
        }
      } finally {
        await page.close()
        await client.close()
        await node.close()
      }
    },
    60_000
  )

  it.skipIf(missing !== undefined)(
    `takes a network's node down with its chaos button; the next job is routed around it${missing === undefined ? "" : ` (skipped: ${missing})`}`,
    async () => {
      const network = await startMockNetwork({ nodes: 3, router: { rateLimit: false } })
      const { createNodePool } = await loadClient()
      const pool = await createNodePool({ router: { url: network.router!.url, containers: ["hello-world"] } })
      const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } })
      try {
        await page.goto(`${network.router!.url}/__mock/ui`)
        await page.waitForSelector("#live.ok", { timeout: 5000 })
        assert.strictEqual(await page.locator("tr[data-node-row]").count(), 3)
        const first = await pool.submitJob({ containers: ["hello-world"], data: { n: 1 } })
        const taken = network.nodes.find((n) => n.url === first.node)!
        assert.isDefined(taken)
        await page.waitForSelector(`tr[data-job="${first.id}"][data-node="${taken.index}"]`, { timeout: 1000 })
        await page.click(`button[data-node="${taken.index}"][data-action="down"]`)
        await page.waitForFunction(
          (index: number) => document.querySelector(`tr[data-node-row="${index}"]`)?.textContent?.includes("down"),
          taken.index,
          { timeout: 2000 }
        )
        assert.isTrue((await network.nodes[taken.index]!.chaos()).down)
        const next = await pool.submitJob({ containers: ["hello-world"], data: { n: 2 } })
        assert.notStrictEqual(next.node, taken.url)
        const other = network.nodes.find((n) => n.url === next.node)!
        await page.waitForSelector(`tr[data-job="${next.id}"][data-node="${other.index}"]`, { timeout: 1000 })
        // Heal brings it back: the page shows it up again.
        await page.click(`button[data-node="${taken.index}"][data-action="heal"]`)
        await page.waitForFunction(
          (index: number) =>
            document.querySelector(`tr[data-node-row="${index}"] td:nth-child(3)`)?.textContent === "up",
          taken.index,
          { timeout: 2000 }
        )
      } finally {
        await page.close()
        await pool.close()
        await network.close()
      }
    },
    60_000
  )
})
