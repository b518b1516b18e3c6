// The in-process transport outside Node: `startMockNode({ listen: false })` bundled by esbuild for the browser (the
// package's "browser" condition swaps the node:http server and the network router for refusals), then run in
// headless Chromium, in the page and in a Web Worker: a job, its result, a stream, the control surface. The page is
// about:blank, not a secure context: no crypto.randomUUID, so job ids come from crypto.getRandomValues there.
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { build } from "esbuild"
// @ts-expect-error: a JavaScript module of the repository's scripts, without types.
import { chromiumMissing, launchChromium } from "../../../scripts/chromium.mjs"

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url))

const SCENARIO = `
import { startMockNode } from ${JSON.stringify(entry)}
const run = async () => {
  const node = await startMockNode({ listen: false, config: { containers: [{ id: "echo" }, { id: "s", behavior: { type: "stream", text: "a b c", chunk_delay_ms: 0 } }] } })
  const post = (path, body) => node.fetch(node.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  const { id } = await (await post("/api/jobs", { containers: ["echo"], data: { n: 1 } })).json()
  const [job] = await (await node.fetch(node.url + "/api/jobs?id=" + id)).json()
  const stream = await (await post("/api/jobs/stream", { containers: ["s"], data: {} })).text()
  await node.setBehavior("echo", { type: "static", output: 7 })
  const [again] = await (await node.fetch(node.url + "/api/jobs?id=" + (await (await post("/api/jobs", { containers: ["echo"], data: {} })).json()).id)).json()
  const [request] = await node.requests()
  const listening = await import(${JSON.stringify(entry)}).then((m) => m.startMockNode()).then(() => "listened", (e) => e.message)
  await node.close()
  return { url: node.url, output: job.result.output, changed: again.result.output, stream: stream.slice(stream.indexOf("\\n") + 1), json: request.json, listening, hasProcess: typeof process !== "undefined" }
}
`

const bundle = async (code: string, format: "esm" | "iife" = "esm") => {
  const result = await build({
    stdin: { contents: code, resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "ts" },
    bundle: true,
    platform: "browser",
    format,
    write: false,
    logLevel: "silent",
    conditions: ["@infernet/source"]
  })
  return result.outputFiles[0]!.text
}

describe("the in-process transport in a browser", () => {
  it("bundles for the browser: no Node built-in on the in-process path", async () => {
    const code = await bundle(`${SCENARIO}\nexport { run }\n`)
    assert.notInclude(code, 'from "node:http"')
    assert.isAbove(code.length, 1000)
  })

  const missing = chromiumMissing() as string | undefined
  it.skipIf(missing !== undefined)(
    `runs in Chromium, in the page and in a Web Worker${missing === undefined ? "" : ` (skipped: ${missing})`}`,
    async () => {
      const page = await bundle(
        `${SCENARIO}\nrun().then((r) => { window.result = r }, (e) => { window.result = { error: String(e && e.stack || e) } })\n`
      )
      const worker = await bundle(
        `${SCENARIO}\nrun().then((r) => postMessage(r), (e) => postMessage({ error: String(e && e.stack || e) }))\n`,
        "iife"
      )
      const browser = await launchChromium()
      try {
        const tab = await browser.newPage()
        await tab.goto("about:blank")
        await tab.addScriptTag({ content: page, type: "module" })
        await tab.waitForFunction(() => (window as any).result !== undefined, undefined, { timeout: 20_000 })
        const inPage = await tab.evaluate(() => (window as any).result)
        const inWorker = await tab.evaluate(
          (source: string) =>
            new Promise((resolve) => {
              const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }))
              const w = new Worker(url)
              w.onmessage = (event) => resolve(event.data)
              w.onerror = (event) => resolve({ error: `worker: ${event.message}` })
            }),
          worker
        )
        for (const result of [inPage, inWorker] as Array<any>) {
          assert.isUndefined(result.error, result.error)
          assert.strictEqual(result.url, "http://node-mock.invalid")
          assert.deepStrictEqual(result.output, { n: 1 })
          assert.strictEqual(result.changed, 7)
          assert.strictEqual(result.stream, "a b c")
          assert.deepStrictEqual(result.json, { containers: ["echo"], data: { n: 1 } })
          assert.include(result.listening, "there is no server outside Node")
          assert.isFalse(result.hasProcess)
        }
      } finally {
        await browser.close()
      }
    },
    60_000
  )
})
