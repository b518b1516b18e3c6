// The Promise API in a real browser: headless Chromium (scripts/chromium.mjs) loads the client's browser bundle
// (esbuild, platform "browser", as an application's bundler builds it) from a page, and from a Web Worker, and runs a
// job, a batch, a stream read to its end and two aborts:
//
//   same origin   through a proxy: the page's own server forwards /api, /health, /info (and /infernet/..., the
//                 README's prefix form) to a node-mock, as Vite's server.proxy or a Next.js rewrite would
//   cross origin  straight to a node-mock started with --cors <the page's origin>, as through a CORS-adding proxy
//   no CORS       straight to a node-mock without --cors (the real node's behaviour): every call fails with a
//                 TransportError whose message carries the CORS hint
//
// Run by the consumer test (scripts/consumers.mjs, scenario "browser") against the packed tarballs, or alone against
// the workspace after `pnpm build`: `node scripts/browser.mjs`. Without a Chromium it reports why and counts as
// skipped, not passed.
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, request as httpRequest } from "node:http"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { chromiumMissing, launchChromium } from "./chromium.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

// The mock's containers: a quick job, a short stream, a job that never ends and a slow stream (for the aborts).
const MOCK_CONFIG = {
  containers: [
    { id: "hello-world", behavior: { type: "hello-world" } },
    { id: "words", behavior: { type: "stream", text: "one two three four five six", chunk_delay_ms: 2 } },
    { id: "slow", behavior: { type: "echo", latency_ms: 600_000 } },
    { id: "drip", behavior: { type: "stream", text: "a b c d e f g h i j k l m n o p q r s t", chunk_delay_ms: 150 } }
  ]
}

// What the page and the worker run: every result is plain data, every failure a plain object.
const TEST_MODULE = `
import { createNodeClient, NodeClientError } from "@infernet/client/promise"

const failure = (error) => ({
  name: error?.name,
  tag: error instanceof NodeClientError ? error.reason._tag : undefined,
  message: String(error?.message ?? error)
})

export const run = async (baseUrl) => {
  const client = createNodeClient({ baseUrl, timeout: 10_000, retry: false })
  const out = {}
  try {
    out.health = await client.health()
    const id = await client.requestJob({ containers: ["hello-world"], data: { name: "Ritual" } })
    const result = await client.getJobResultSync(id)
    out.job = { status: result.status, output: result.result?.output?.output }
    const batch = await client.requestJobsPaired([
      { containers: ["hello-world"], data: { n: 1 } },
      { containers: ["nope"], data: {} }
    ])
    out.batch = { accepted: batch.accepted.map((a) => a.index), rejected: batch.rejected.map((r) => r.error.error) }
    const stream = await client.requestStream({ containers: ["words"], data: {} })
    let text = ""
    let chunks = 0
    for await (const piece of stream) {
      text += piece
      chunks++
    }
    const stored = await stream.result()
    out.stream = { text, chunks, stored: stored.status, storedText: stored.result?.output?.output }

    // An abort while getJobResultSync polls a job that never ends.
    const polling = new AbortController()
    const slow = await client.requestJob({ containers: ["slow"], data: {} })
    setTimeout(() => polling.abort(), 100)
    const started = Date.now()
    out.abortPoll = await client.getJobResultSync(slow, { signal: polling.signal }).then(
      () => ({ name: "resolved" }),
      (error) => ({ ...failure(error), ms: Date.now() - started })
    )
    // An abort in the middle of a stream.
    const reading = new AbortController()
    const drip = await client.requestStream({ containers: ["drip"], data: {} }, { signal: reading.signal })
    let partial = ""
    try {
      for await (const piece of drip) {
        partial += piece
        if (partial.length >= 3) reading.abort()
      }
      out.abortStream = { name: "ended", partial }
    } catch (error) {
      out.abortStream = { ...failure(error), partial }
    }
  } catch (error) {
    out.error = failure(error)
  } finally {
    await client.close()
  }
  return out
}

/** The calls of the cross-origin case without CORS: each must fail, with the hint. */
export const blocked = async (baseUrl) => {
  const client = createNodeClient({ baseUrl, timeout: 10_000, retry: false })
  try {
    return {
      info: await client.info().then(() => "resolved", failure),
      requestJob: await client.requestJob({ containers: ["hello-world"], data: {} }).then(() => "resolved", failure),
      requestStream: await client.requestStream({ containers: ["words"], data: {} }).then(() => "resolved", failure)
    }
  } finally {
    await client.close()
  }
}

// In a worker, the page posts [function, baseUrl] and gets the result back.
if (typeof WorkerGlobalScope === "function" && globalThis instanceof WorkerGlobalScope) {
  globalThis.onmessage = async (event) => {
    const [name, baseUrl] = event.data
    globalThis.postMessage(await (name === "blocked" ? blocked : run)(baseUrl))
  }
}
`

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>infernet browser test</title></head>
<body><script type="module">import * as client from "/client.js"; globalThis.client = client; document.title = "ready"</script></body></html>`

/** Starts the installed `infernet-node-mock` with `args`; resolves to its URL and a stop function. */
const startMock = (command, args, log) =>
  new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), "--port", "0", ...args], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    const timer = setTimeout(() => reject(new Error(`the mock did not start in 20 s:\n${output}`)), 20_000)
    let started = false
    const onData = (data) => {
      output += data
      const match = started ? null : /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        started = true
        clearTimeout(timer)
        log(`mock ${args.join(" ") || "(no --cors)"} on ${match[1]}`)
        resolve({ url: match[1], stop: () => child.kill("SIGTERM") })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("exit", (code) => reject(new Error(`the mock exited with ${code}:\n${output}`)))
  })

const PROXIED = /^\/(api(\/|$)|health$|info$|resources$|infernet\/)/

/**
 * The page's server: the page, the bundle, and a same-origin proxy to `target` (streams piped through as they
 * come). Records the headers of every proxied request.
 */
const startPageServer = (bundle, seen) => {
  let target
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
      return res.end(PAGE)
    }
    if (path === "/client.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" })
      return res.end(bundle)
    }
    if (!PROXIED.test(path)) {
      res.writeHead(404)
      return res.end()
    }
    seen.push({ method: req.method, path, headers: { ...req.headers } })
    const url = new URL(req.url.replace(/^\/infernet/, ""), target)
    const forward = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    res.on("close", () => forward.destroy())
    req.pipe(forward)
  })
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        proxyTo: (url) => {
          target = url
        },
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      })
    )
  )
}

const check = (problems, where, condition, what, value) => {
  if (!condition) problems.push(`${where}: ${what}; got ${JSON.stringify(value)}`)
}

/** The checks every successful run must pass. */
const checkRun = (problems, where, out) => {
  if (out.error !== undefined) return problems.push(`${where}: failed: ${JSON.stringify(out.error)}`)
  check(problems, where, out.health === true, "health() is true", out.health)
  check(
    problems,
    where,
    out.job?.status === "success" &&
      /^hello, world!, your input was: \{.*'data': \{'name': 'Ritual'\}/.test(out.job.output),
    "a job succeeds with hello-world's output",
    out.job
  )
  check(
    problems,
    where,
    JSON.stringify(out.batch) === JSON.stringify({ accepted: [0], rejected: ["Container not supported"] }),
    "a batch pairs one accepted and one rejected request",
    out.batch
  )
  const text = "one two three four five six"
  check(
    problems,
    where,
    out.stream?.text.trim() === text &&
      out.stream.chunks > 1 &&
      out.stream.stored === "success" &&
      out.stream.storedText === out.stream.text,
    `a stream is read to its end in several chunks ("${text}") and stored as success`,
    out.stream
  )
  check(
    problems,
    where,
    out.abortPoll?.name === "AbortError" && out.abortPoll.ms < 5_000,
    "aborting getJobResultSync rejects with an AbortError at once",
    out.abortPoll
  )
  check(
    problems,
    where,
    out.abortStream?.name === "AbortError" && out.abortStream.partial.length < 20,
    "aborting a stream mid-read rejects the loop with an AbortError",
    out.abortStream
  )
}

const checkBlocked = (problems, where, out) => {
  for (const call of ["info", "requestJob", "requestStream"]) {
    const failure = out[call]
    check(
      problems,
      where,
      failure?.tag === "TransportError" &&
        failure.message.includes("in a browser this may be CORS") &&
        failure.message.includes("#in-a-browser"),
      `${call} fails with a TransportError carrying the CORS hint`,
      failure
    )
  }
}

/**
 * Runs the browser tests. `resolveDir` is where `@infernet/client/promise` resolves (a project with the package
 * installed), `conditions` esbuild's extra export conditions, `mock` the command that starts node-mock. Resolves to
 * a one-line summary, or `{ skipped: reason }` when no Chromium is installed; throws with every failed check.
 */
export const browserTests = async ({ resolveDir, conditions = [], mock, log = console.log }) => {
  const missing = chromiumMissing()
  if (missing !== undefined) return { skipped: missing }
  const esbuild = createRequire(join(root, "packages", "client", "package.json"))("esbuild")
  const built = await esbuild.build({
    stdin: { contents: TEST_MODULE, resolveDir, sourcefile: "browser-test.js", loader: "js" },
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    conditions,
    write: false,
    logLevel: "silent"
  })
  const bundle = built.outputFiles[0].contents
  const dir = mkdtempSync(join(tmpdir(), "infernet-browser-"))
  const config = join(dir, "mock.json")
  writeFileSync(config, JSON.stringify(MOCK_CONFIG))
  const seen = []
  const cleanups = [() => rmSync(dir, { recursive: true, force: true })]
  let browser
  try {
    const pages = await startPageServer(bundle, seen)
    cleanups.push(pages.close)
    const plain = await startMock(mock, ["--config", config], log)
    cleanups.push(plain.stop)
    const cors = await startMock(mock, ["--config", config, "--cors", pages.origin], log)
    cleanups.push(cors.stop)
    pages.proxyTo(plain.url)

    browser = await launchChromium()
    const page = await browser.newPage()
    const consoleErrors = []
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text())
    })
    page.on("pageerror", (error) => consoleErrors.push(String(error)))
    await page.goto(`${pages.origin}/`)
    await page.waitForFunction(() => document.title === "ready", null, { timeout: 20_000 })
    const inPage = (name, baseUrl) => page.evaluate(([n, b]) => globalThis.client[n](b), [name, baseUrl])
    const inWorker = (name, baseUrl) =>
      page.evaluate(
        ([n, b]) =>
          new Promise((resolve, reject) => {
            const worker = new Worker("/client.js", { type: "module" })
            worker.onmessage = (event) => {
              worker.terminate()
              resolve(event.data)
            }
            worker.onerror = (event) => reject(new Error(`worker: ${event.message}`))
            worker.postMessage([n, b])
          }),
        [name, baseUrl]
      )

    const problems = []
    const cases = [
      ["page, same origin through the proxy", () => inPage("run", pages.origin), checkRun],
      [
        "worker, same origin through the proxy (/infernet prefix)",
        () => inWorker("run", `${pages.origin}/infernet`),
        checkRun
      ],
      ["page, cross origin to a mock with --cors", () => inPage("run", cors.url), checkRun],
      ["worker, cross origin to a mock with --cors", () => inWorker("run", cors.url), checkRun],
      ["page, cross origin without CORS", () => inPage("blocked", plain.url), checkBlocked],
      ["worker, cross origin without CORS", () => inWorker("blocked", plain.url), checkBlocked]
    ]
    for (const [where, go, checks] of cases) {
      const before = problems.length
      const out = await go()
      checks(problems, where, out)
      log(`${problems.length === before ? "ok  " : "FAIL"} ${where}`)
    }
    // What the browser sent through the proxy: the headers the README tells a proxy to allow.
    const post = seen.find((r) => r.method === "POST" && r.path === "/api/jobs")
    check(
      problems,
      "proxied POST /api/jobs",
      post?.headers["content-type"] === "application/json",
      "Content-Type: application/json",
      post?.headers
    )
    check(
      problems,
      "proxied POST /api/jobs",
      post?.headers.accept === "application/json",
      "Accept: application/json",
      post?.headers
    )
    check(
      problems,
      "proxied POST /api/jobs",
      post?.headers.origin === pages.origin || post?.headers.origin === undefined,
      "no foreign Origin",
      post?.headers
    )
    if (consoleErrors.length > 0 && problems.length > 0)
      problems.push(`browser console:\n  ${consoleErrors.join("\n  ")}`)
    if (problems.length > 0) throw new Error(`browser tests failed:\n${problems.join("\n")}`)
    const userAgent = post?.headers["user-agent"]?.startsWith("infernet-ts-client/") ? "sent" : "not sent"
    return `Chromium ${browser.version()}: ${cases.length} cases (page and worker; same origin via proxy, cross origin with --cors, the CORS hint without); bundle ${(bundle.length / 1024).toFixed(0)} KiB min; client User-Agent ${userAgent} by the browser`
  } finally {
    await browser?.close()
    for (const cleanup of cleanups.reverse()) cleanup()
  }
}

// `node scripts/browser.mjs`: against the workspace (built packages).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bin = join(root, "packages", "node-mock", "dist", "bin.js")
  try {
    const result = await browserTests({
      resolveDir: join(root, "packages", "client"),
      // The client from its sources (as `pnpm run size` bundles it); the mock from its build.
      conditions: ["@infernet/source"],
      mock: [process.execPath, bin],
      log: (line) => console.log(`browser: ${line}`)
    })
    if (typeof result === "object") console.log(`browser: SKIPPED: ${result.skipped}`)
    else console.log(`browser: ok: ${result}`)
  } catch (error) {
    console.error(`browser: ${error.message}`)
    process.exit(1)
  }
}
