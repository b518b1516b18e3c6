// The consumer test: every package as a user installs it from npm. Packs each package (`pnpm pack`), creates fresh
// projects in a temporary folder, runs the READMEs' install lines there (with npm, as the READMEs write them),
// then uses the installed packages the way their READMEs say, against a node-mock started from its installed bin:
//
//   cli         `npm install --global @infernet/cli`, `npx @infernet/cli --help`, the usage page with the CLI
//   node-mock   its install line; the mock this run talks to is started from this project's bin
//   promise     a plain Node ESM script on the Promise API (no viem, no @infernet/chain installed), and an esbuild
//               browser bundle of it (no Node built-ins)
//   browser     that bundle in headless Chromium, page and Web Worker (scripts/browser.mjs; skipped without Chromium)
//   effect      `NodeClient.layer` on `@effect/platform-node`
//   typescript  every TypeScript block of every README type-checked under strict, `moduleResolution` node16 and
//               bundler (blocks whose first line is `// excerpt ...` are skipped: they are marked as excerpts)
//   chain       the chain README's lines, then its devnet example: Anvil, a test Coordinator, a signature
//   vitest      the node-mock README's Vitest global setup and `MockNode.layer`, in a project pinned to effect 3.22.2
//   vitest-parallel  mockNodeTest in a two-file Vitest project, parallel workers (scripts/consumers-mock-tests.mjs)
//
// It checks: no `workspace:`/`catalog:` specifier in any packed manifest, publint and attw on every tarball, exactly
// one copy of `effect` per project, install sizes within budget, and prints a table of scenario, install time,
// node_modules size and result. Exit code 1 on any failure.
//
//   node scripts/consumers.mjs [--keep] [--only name,name]      (after `pnpm build`)
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { createServer } from "node:net"
import { gzipSync } from "node:zlib"
import { browserTests } from "./browser.mjs"
import {
  commentedSteps,
  compareShown,
  documentedExitCode,
  EXCERPT,
  excerptReason,
  firstErrorLine,
  withIds
} from "./readme-checks.mjs"
import { mockTestsScenario } from "./consumers-mock-tests.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const require = createRequire(join(root, "packages", "client", "package.json"))
const esbuild = require("esbuild")
const args = process.argv.slice(2)
const keep = args.includes("--keep")
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined
const work = mkdtempSync(join(tmpdir(), "infernet-consumers-"))
const packs = join(work, "packs")
const MiB = 1024 * 1024

// Which @infernet packages each one needs at install time (its own dependencies are not on the registry yet).
const PACKAGES = { types: [], client: ["types"], chain: ["types"], "node-mock": ["types", "chain"], cli: [] }
// Install-size budgets (node_modules, or the global prefix for the CLI).
const BUNDLE_BUDGET_GZIP_KIB = 210
const BUDGETS = { cli: 5, "node-mock": 150, promise: 80, effect: 110, chain: 190, vitest: 190, typescript: 260 }

const results = []
const cleanups = []
let failed = false

const log = (line) => console.log(`consumers: ${line}`)
const fail = (message) => {
  throw new Error(message)
}

// --- helpers ----------------------------------------------------------------------------------------------------------

const sh = (command, cwd, env = {}) => {
  try {
    // -e and pipefail: every command of a README block counts, not only its last.
    return execFileSync("bash", ["-eo", "pipefail", "-c", command], {
      cwd,
      env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * MiB,
      // No step takes this long; a hung one fails instead of holding CI.
      timeout: 5 * 60_000,
      killSignal: "SIGKILL"
    })
  } catch (error) {
    fail(
      `\`${command}\` failed in ${relative(work, cwd) || "."}:\n${error.stdout ?? ""}${error.stderr ?? error.message}`
    )
  }
}

const version = (pkg) => JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")).version
const tarball = (pkg) => join(packs, `infernet-${pkg}-${version(pkg)}.tgz`)
/** The tarballs that stand for `@infernet/<pkg>` in an install line: the package and its @infernet dependencies. */
const closure = (pkg) => [pkg, ...PACKAGES[pkg]].map(tarball).join(" ")

// README blocks a scenario ran verbatim (`file:line`); the docs scenario requires every sh block to be one of them
// or to be marked as an excerpt.
const covered = new Set()
const cover = (file, block) => covered.add(`${file}:${block.line}`)

/** The install lines of a README (`npm install ...`, `npm i ...`, `pnpm add ...` in sh blocks), comments dropped. */
const installLines = (readme) =>
  codeBlocks(readme)
    .filter((block) => block.lang === "sh")
    .flatMap((block) => {
      const lines = block.code
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => /^(npm (install|i)|pnpm add) /.test(line))
      if (lines.length > 0) cover(readme, block)
      return lines
    })

/** A README's sh blocks (not marked as excerpts) whose first command starts with `prefix`. */
const commandBlocks = (readme, prefix) =>
  codeBlocks(readme).filter(
    (block) =>
      block.lang === "sh" &&
      !EXCERPT.test(block.code) &&
      block.code
        .split("\n")
        .find((line) => line.trim() !== "" && !line.startsWith("#"))
        ?.startsWith(prefix)
  )

/**
 * The steps of a terminal transcript (`$ command` lines, `\` continuations, then what it printed). `$ cat FILE` shows
 * a file's content: running the transcript writes it.
 */
const transcript = (block) => {
  const steps = []
  let step
  let continued = false
  for (const line of block.code.split("\n")) {
    if (continued) step.command += `\n${line}`
    else if (line.startsWith("$ ")) {
      step = { command: line.slice(2), output: [] }
      steps.push(step)
    } else if (step !== undefined) step.output.push(line)
    continued = (line.startsWith("$ ") || continued) && line.endsWith("\\")
  }
  return steps.map((s) => ({ ...s, output: s.output.join("\n").trim() }))
}

/** The line with `@infernet/<pkg>` replaced by the packed tarballs (and what they need). */
const localize = (line) => line.replace(/@infernet\/([a-z-]+)(?=\s|$)/g, (_, pkg) => closure(pkg))

const codeBlocks = (file) => {
  const text = readFileSync(file, "utf8")
  const blocks = []
  const fence = /^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```/gm
  for (const match of text.matchAll(fence)) {
    const indent = match[1].length
    const code = match[3]
      .split("\n")
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
      .join("\n")
    blocks.push({ lang: match[2], code, line: text.slice(0, match.index).split("\n").length })
  }
  return blocks
}

const readme = (pkg) => join(root, pkg === "root" ? "" : join("packages", pkg), "README.md")

const project = (name, { pnpm = false } = {}) => {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  const manifest = { name: `consumer-${name}`, private: true, type: "module" }
  if (pnpm) {
    // pnpm resolves every dependency on its own: point the unpublished @infernet packages at their tarballs.
    const overrides = Object.fromEntries(
      Object.keys(PACKAGES).map((pkg) => [`@infernet/${pkg}`, `file:${tarball(pkg)}`])
    )
    manifest.pnpm = { overrides }
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  return dir
}

const sizeOf = (path) => {
  // A wrong path must not pass a size budget as 0 bytes.
  if (!existsSync(path)) fail(`cannot measure ${path}: it does not exist`)
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined || stat.isSymbolicLink()) return 0
  if (!stat.isDirectory()) return stat.size
  let total = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue
    total += entry.isDirectory() ? sizeOf(join(path, entry.name)) : statSync(join(path, entry.name)).size
  }
  return total
}

/** Every installed copy of `name` (a folder holding its package.json), through pnpm's store layout too. */
const copiesOf = (nodeModules, name) => {
  const found = []
  const visit = (dir, depth) => {
    if (depth > 12 || !existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const path = join(dir, entry.name)
      if (entry.name.startsWith("@")) visit(path, depth + 1)
      else if (entry.name === ".pnpm") {
        for (const store of readdirSync(path)) visit(join(path, store, "node_modules"), depth + 1)
      } else {
        const manifest = join(path, "package.json")
        if (existsSync(manifest) && entry.name === name.split("/").pop()) {
          const pkg = JSON.parse(readFileSync(manifest, "utf8"))
          if (pkg.name === name) found.push(`${pkg.version} at ${relative(nodeModules, path)}`)
        }
        visit(join(path, "node_modules"), depth + 1)
      }
    }
  }
  visit(nodeModules, 0)
  return found
}

const oneCopy = (dir, name) => {
  const copies = copiesOf(join(dir, "node_modules"), name)
  if (copies.length !== 1) fail(`expected exactly one copy of ${name}, found ${copies.length}: ${copies.join("; ")}`)
  return copies[0].split(" ")[0]
}

const absent = (dir, name) => {
  const copies = copiesOf(join(dir, "node_modules"), name)
  if (copies.length > 0) fail(`${name} is installed (${copies.join("; ")}) though nothing here needs it`)
}

/** Strips TypeScript types (esbuild), so a README's TypeScript block runs as the ESM a user's build would emit. */
const toJs = (code) => esbuild.transformSync(code, { loader: "ts", format: "esm", target: "node20" }).code

const runNode = (dir, file, code, argv = "") => {
  writeFileSync(join(dir, file), code)
  return sh(`node ${file} ${argv}`, dir)
}

const scenario = async (name, body) => {
  if (only !== undefined && !only.includes(name)) return
  const started = Date.now()
  const row = { name, install: "", size: "", result: "" }
  results.push(row)
  log(`${name} ...`)
  try {
    const info = await body((installMs, sizeBytes) => {
      row.install = `${(installMs / 1000).toFixed(1)} s`
      row.size = `${(sizeBytes / MiB).toFixed(1)} MiB`
      const budget = BUDGETS[name]
      if (budget !== undefined && sizeBytes > budget * MiB) {
        fail(`install size ${row.size} is over the ${budget} MiB budget`)
      }
    })
    // A scenario that cannot run here (e.g. no Chromium) says why and counts as skipped, not passed.
    row.result = info?.skipped !== undefined ? `skipped: ${info.skipped}` : `ok${info ? `: ${info}` : ""}`
  } catch (error) {
    failed = true
    row.result = "FAILED"
    console.error(`consumers: ${name} FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s\n${error.message}`)
  }
}

/** Runs `lines` (install lines) in `dir`, then reports the time and the size of `measured`. */
const install = (dir, lines, report, measured = join(dir, "node_modules"), transform = localize) => {
  const started = Date.now()
  for (const line of lines) sh(transform(line), dir)
  const size = sizeOf(measured)
  if (!(size > 0)) fail(`${relative(work, measured)} is empty after the install lines`)
  report(Date.now() - started, size)
}

// --- pack -------------------------------------------------------------------------------------------------------------

mkdirSync(packs)
for (const pkg of Object.keys(PACKAGES)) {
  sh(`pnpm pack --pack-destination ${packs}`, join(root, "packages", pkg))
}
log(`packed ${Object.keys(PACKAGES).length} packages into ${packs}`)

await scenario("manifests", async () => {
  const sizes = []
  for (const pkg of Object.keys(PACKAGES)) {
    const manifest = sh(`tar -xzf ${tarball(pkg)} -O package/package.json`, work)
    const bad = manifest.match(/"(workspace|catalog):[^"]*"/g)
    if (bad) fail(`@infernet/${pkg}'s packed package.json has ${bad.join(", ")}`)
    sh(`${join(root, "node_modules", ".bin", "publint")} run --strict ${tarball(pkg)}`, work)
    if (pkg !== "cli") sh(`${join(root, "node_modules", ".bin", "attw")} ${tarball(pkg)} --profile esm-only`, work)
    sizes.push(`${pkg} ${(statSync(tarball(pkg)).size / 1024).toFixed(0)} KiB`)
  }
  return `no workspace:/catalog:, publint + attw clean; tarballs: ${sizes.join(", ")}`
})

// --- the mock every other scenario talks to ----------------------------------------------------------------------------

let mockUrl
await scenario("node-mock", async (report) => {
  const dir = project("node-mock")
  install(dir, installLines(readme("node-mock")).slice(0, 1), report)
  for (const name of ["effect", "@effect/platform", "@effect/platform-node", "viem"]) oneCopy(dir, name)
  const child = spawn(join(dir, "node_modules", ".bin", "infernet-node-mock"), ["--port", "0"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"]
  })
  cleanups.push(() => child.kill("SIGTERM"))
  let output = ""
  mockUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start in 20 s:\n${output}`)), 20_000)
    const onData = (data) => {
      output += data
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("exit", (code) => reject(new Error(`the mock exited with ${code}:\n${output}`)))
  })
  const health = await fetch(`${mockUrl}/health`).then((r) => r.json())
  if (health.status !== "healthy") fail(`/health answered ${JSON.stringify(health)}`)
  if (/Executing an Effect versioned/.test(output)) fail(`Effect version-mismatch warnings:\n${output}`)
  // The README's cURL examples, verbatim but for this run's port, each command on its own: an HTTP error fails it
  // (curl --fail-with-body), and what it printed must be what the `# ...` lines after it show (ids and `...` aside;
  // an id the README showed earlier, e.g. a batch's, stands for the one this run got). A GET that does not show it yet
  // (results of jobs still running) is asked again for up to 10 s, as a user would.
  const curls = commandBlocks(readme("node-mock"), "curl ")
  const host = new URL(mockUrl).host
  const failOnHttpErrors = 'curl() { command curl --silent --show-error --fail-with-body "$@"; }\n'
  const ids = new Map()
  let compared = 0
  for (const block of curls) {
    for (const step of commentedSteps(block.code)) {
      const command = withIds(step.command, ids).replaceAll("localhost:4000", host).replaceAll("127.0.0.1:4000", host)
      const deadline = Date.now() + 10_000
      for (;;) {
        const out = sh(`${failOnHttpErrors}${command}`, dir)
        if (step.shown === "") break
        const problem = compareShown(step.shown, out, ids)
        if (problem === undefined) {
          compared++
          break
        }
        if (/ -X (POST|PUT)\b/.test(command) || Date.now() > deadline) {
          fail(
            `README ${relative(root, readme("node-mock"))}:${block.line}: \`${step.command.split("\n")[0]}\`: ${problem}`
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
    cover(readme("node-mock"), block)
  }
  return `\`npx infernet-node-mock --port 0\` serves ${mockUrl}; the README's ${curls.length} cURL blocks ran, ${compared} outputs as shown`
})
if (mockUrl === undefined) {
  console.error("consumers: no mock node, nothing else can run")
  process.exit(1)
}

/** README code talks to http://localhost:4000; this run's mock is on a free port. */
const atMock = (code) => code.replaceAll("http://localhost:4000", mockUrl)

// --- the CLI ----------------------------------------------------------------------------------------------------------

await scenario("cli", async (report) => {
  const dir = project("cli")
  const prefix = join(work, "cli-global")
  const [line] = installLines(readme("cli"))
  if (line !== "npm install --global @infernet/cli") fail(`unexpected install line in the CLI README: ${line}`)
  install(dir, [line], report, prefix, (l) => `${localize(l)} --prefix ${prefix}`)
  const bin = join(prefix, "bin", "infernet-client")
  const env = { SERVER_URL: mockUrl }
  const cli = (command) => sh(`${bin} ${command}`, dir, env)
  if (!/Usage|USAGE/.test(cli("--help"))) fail("--help printed no usage")
  // From an empty folder, through npx, as the README says (the tarball stands for @infernet/cli).
  const empty = mkdtempSync(join(work, "npx-"))
  const npxEnv = { npm_config_yes: "true", SERVER_URL: mockUrl }
  sh(`npx file:${tarball("cli")} --help`, empty, npxEnv)
  const npxInfo = JSON.parse(sh(`npx -p file:${tarball("cli")} infernet-client info --json`, empty, npxEnv))
  if (!Array.isArray(npxInfo.containers)) fail("npx -p ... infernet-client info printed no containers")
  // The usage page.
  writeFileSync(join(dir, "input-data.json"), '{"name": "Ritual"}\n')
  const info = JSON.parse(cli("info --json"))
  if (!info.containers.some((c) => c.id === "hello-world")) fail("info lists no hello-world container")
  const id = cli("job -c hello-world -i input-data.json").trim()
  if (!/^[0-9a-f-]{36}$/.test(id)) fail(`job printed ${id}`)
  const output = JSON.parse(cli("job -c hello-world -i input-data.json --sync --json"))
  if (JSON.stringify(output).includes("Ritual") === false) fail(`--sync printed ${JSON.stringify(output)}`)
  const results = JSON.parse(cli(`results --id ${id} --json`))
  if (results[0]?.id !== id) fail(`results printed ${JSON.stringify(results)}`)
  const streamed = cli(
    `stream -c openai-inference-streaming-0.0.1 -i - <<< '{"model": "gpt-4", "params": {"endpoint": "completion", "messages": [{"role": "user", "content": "hi"}]}}'`
  )
  if (streamed.length === 0) fail("stream printed nothing")
  const ids = JSON.parse(cli("ids --status all --json"))
  if (!ids.includes(id)) fail("ids does not list the job")
  // Errors: one line on stderr and the documented exit code, no stack trace.
  // The README's command blocks, verbatim but for this run's URL, with its input-data.json.
  const cliReadme = readme("cli")
  const inputData = codeBlocks(cliReadme).find((b) => b.lang === "json" && b.code.includes("how do I make pizza"))
  writeFileSync(join(dir, "input-data.json"), inputData.code)
  const commands = commandBlocks(cliReadme, "infernet-client ").concat(
    commandBlocks(cliReadme, "export SERVER_URL").filter((b) => b.code.includes("infernet-client"))
  )
  // The router examples run against `infernet-node-mock --nodes 3 --router` from the node-mock project, on free
  // ports: the README's 127.0.0.1:4000-4002 are its nodes and 4100 its router; a `Node: URL` a transcript shows
  // stands for the one this run printed. localhost:4000 (and the README's node 10.0.0.7:4000) is the mock above.
  const network = await startNetwork(join(work, "node-mock"))
  const hosts = new Map([
    ["localhost:4000", new URL(mockUrl).host],
    ["10.0.0.7:4000", new URL(mockUrl).host],
    ["localhost:4100", network.router],
    ["127.0.0.1:4100", network.router],
    ...network.nodes.map((host, i) => [`127.0.0.1:${4000 + i}`, host])
  ])
  const atHosts = (text) => text.replace(/\b(localhost|127\.0\.0\.1|10\.0\.0\.7):\d{4}\b/g, (h) => hosts.get(h) ?? h)
  const cliEnv = { PATH: `${join(prefix, "bin")}:${process.env.PATH}`, SERVER_URL: mockUrl }
  // The transcripts (`$ infernet-client ...` and what it printed): each command runs and exits with the code the
  // transcript documents (`# exit code N` on its line; 0 when none), and its first `error:` line is the one shown.
  // Other outputs differ (ids, timings) and are not compared. Ids a transcript printed stand for the ones this run
  // got (matched in order), e.g. `results --id` after `batch`, here and in the command blocks below.
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
  const seenIds = new Map()
  const transcripts = commandBlocks(cliReadme, "$ ")
  // A transcript's `$ export NAME=VALUE` holds for the later steps, as in the shell of a user who follows the README.
  const shellEnv = { ...cliEnv }
  for (const block of transcripts) {
    for (const step of transcript(block)) {
      const { output } = step
      const command = atHosts(withIds(step.command, seenIds))
      const file = /^cat (\S+)$/.exec(command)?.[1]
      if (file !== undefined) {
        writeFileSync(join(dir, file), `${output}\n`)
        continue
      }
      const exported = /^export (\w+)=(\S+)$/.exec(command)
      if (exported !== null) shellEnv[exported[1]] = exported[2]
      const ran = spawnSyncCli("bash", ["-eo", "pipefail", "-c", command], dir, shellEnv)
      const actual = ran.stdout.match(UUID) ?? []
      const [shownNode, ranNode] = [output, ran.stderr].map((text) => /^Node: http:\/\/(\S+)$/m.exec(text)?.[1])
      if (shownNode !== undefined && ranNode !== undefined) hosts.set(shownNode, ranNode)
      for (const [i, id] of (output.match(UUID) ?? []).entries()) {
        if (actual[i] !== undefined && !seenIds.has(id.slice(0, 8))) seenIds.set(id.slice(0, 8), actual[i])
      }
      const where = `README ${relative(root, cliReadme)}:${block.line}: \`${command}\``
      const shownError = firstErrorLine(output)
      const code = documentedExitCode(command)
      if (shownError !== undefined && code === 0)
        fail(`${where} shows an error: document its exit code (# exit code N)`)
      if (ran.status !== code) fail(`${where} exited ${ran.status}, the README documents ${code}:\n${ran.stderr}`)
      if (shownError !== undefined) {
        const printed = firstErrorLine(ran.stderr) ?? "(no error: line)"
        const problem = compareShown(shownError, printed, new Map())
        if (problem !== undefined) fail(`${where}: ${problem}`)
      }
    }
    cover(cliReadme, block)
  }
  // The command blocks, after the transcripts: `batch -i requests.json` reads the file the batch transcript showed,
  // less its rejected request (a plain command block must exit 0), and `results --id` asks for the jobs the
  // transcript's batch created (the README's node 10.0.0.7:4000 is this run's mock).
  const requests = JSON.parse(readFileSync(join(dir, "requests.json"), "utf8"))
  writeFileSync(
    join(dir, "requests.json"),
    JSON.stringify(requests.filter((r) => !r.containers.includes("non-existent-container")))
  )
  for (const block of commands) {
    // containers and find ask the router at ROUTER_URL: the user's, set as the router section says. (Not for the
    // other blocks: ROUTER_URL turns resources and check-model without a node into their router form.)
    const router = /infernet-client (containers|find)\b/.test(block.code)
      ? { ROUTER_URL: `http://${network.router}` }
      : {}
    sh(atHosts(withIds(block.code, seenIds)), dir, { ...cliEnv, ...router })
    cover(cliReadme, block)
  }
  const down = spawnSyncCli(bin, ["info", "--url", "http://127.0.0.1:9"], dir)
  if (down.status !== 3 || down.stderr.trim().split("\n").length !== 1) {
    fail(`a down node: exit ${down.status}, stderr ${JSON.stringify(down.stderr)}`)
  }
  // The root README's taste, verbatim but for the tarballs standing for the package names and a free port for 4000.
  const taste = codeBlocks(readme("root")).find((b) => b.lang === "sh" && b.code.includes("infernet-node-mock"))
  const port = await freePort()
  const script = taste.code
    .replaceAll("-p @infernet/node-mock", closure("node-mock").replaceAll(/(\S+\.tgz)/g, "-p file:$1"))
    .replaceAll("-p @infernet/cli", `-p file:${tarball("cli")}`)
    .replaceAll("4000", String(port))
  const tasteDir = mkdtempSync(join(work, "taste-"))
  // The README starts the mock in the background; when the shell exits, its process group (the mock) is stopped.
  const tasteOut = await shGroup(script, tasteDir, { npm_config_yes: "true" })
  if (!tasteOut.includes("Ritual")) fail(`the root README's taste printed ${JSON.stringify(tasteOut)}`)
  cover(readme("root"), taste)
  return `installed ${(sizeOf(prefix) / MiB).toFixed(1)} MiB; help, npx, the usage page, ${commands.length + transcripts.length} README command blocks, a down node, the root README's npx lines`
})

/** Runs a shell script in its own process group, and ends the whole group (background jobs too) when it exits. */
function shGroup(command, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", command], {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (data) => (output += data))
    child.stderr.on("data", (data) => (output += data))
    const timer = setTimeout(() => child.kill("SIGKILL"), 5 * 60_000)
    child.on("exit", (code) => {
      clearTimeout(timer)
      try {
        process.kill(-child.pid, "SIGTERM")
      } catch {
        // the group is gone already
      }
      if (code === 0) resolve(output)
      else reject(new Error(`\`${command}\` exited with ${code} in ${relative(work, cwd)}:\n${output}`))
    })
  })
}

/** Starts `infernet-node-mock --nodes 3 --router` on free ports from the project `dir`: the nodes' and router's hosts. */
async function startNetwork(dir) {
  const child = spawn(
    join(dir, "node_modules", ".bin", "infernet-node-mock"),
    ["--nodes", "3", "--router", "--port", "0", "--router-port", "0"],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"]
    }
  )
  cleanups.push(() => child.kill("SIGTERM"))
  let output = ""
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock network did not start in 20 s:\n${output}`)), 20_000)
    const onData = (data) => {
      output += data
      const router = /infernet router on http:\/\/(\S+)/.exec(output)?.[1]
      if (router === undefined) return
      clearTimeout(timer)
      resolve({ nodes: [...output.matchAll(/node \d+ +http:\/\/(\S+)/g)].map((m) => m[1]), router })
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("exit", (code) => reject(new Error(`the mock network exited with ${code}:\n${output}`)))
  })
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function spawnSyncCli(bin, argv, cwd, env = {}) {
  try {
    const stdout = execFileSync(bin, argv, {
      cwd,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000
    })
    return { status: 0, stdout, stderr: "" }
  } catch (error) {
    return { status: error.status, stdout: error.stdout, stderr: error.stderr }
  }
}

// --- the Promise API: plain Node ESM, and a browser bundle --------------------------------------------------------------

await scenario("promise", async (report) => {
  const dir = project("promise")
  install(dir, installLines(readme("client")).slice(0, 1), report)
  oneCopy(dir, "effect")
  absent(dir, "viem")
  absent(dir, "@infernet/chain")
  const script = `
import { createNodeClient, NodeClientError } from "@infernet/client/promise"

const client = createNodeClient({ baseUrl: process.argv[2], timeout: "10 seconds" })
const info = await client.info()
const id = await client.requestJob({ containers: ["hello-world"], data: { name: "Ritual" } })
const result = await client.getJobResultSync(id)
const stream = await client.requestStream({
  containers: ["openai-inference-streaming-0.0.1"],
  data: { model: "gpt-4", params: { endpoint: "completion", messages: [{ role: "user", content: "hi" }] } }
})
let text = ""
for await (const chunk of stream) text += chunk
const rejected = await client.requestJob({ containers: ["nope"], data: {} }).catch((e) => e)
await client.close()
console.log(JSON.stringify({
  containers: info.containers.length, status: result.status, streamed: text.length,
  error: rejected instanceof NodeClientError ? rejected.reason._tag : String(rejected)
}))
`
  const out = JSON.parse(runNode(dir, "main.mjs", script, mockUrl).trim().split("\n").pop() ?? "{}")
  if (out.status !== "success" || out.streamed === 0 || out.error !== "ApiError") fail(`got ${JSON.stringify(out)}`)
  // The declarations a Promise-API user compiles against need nothing that is not installed (no viem): a strict
  // check of the library files too (skipLibCheck off).
  sh("npm install --save-dev typescript@5.9 @types/node@20", dir)
  writeFileSync(
    join(dir, "check.ts"),
    `import { createNodeClient, NodeClientError } from "@infernet/client/promise"\nimport { NodeClient } from "@infernet/client"\nimport type { Job } from "@infernet/types"\nconst client = createNodeClient({ baseUrl: "http://localhost:4000" })\nconst result: Job.JobResult = await client.getJobResultSync(await client.requestJob({ containers: ["hello-world"], data: {} }))\nexport { result, NodeClient, NodeClientError }\n`
  )
  sh(
    "npx tsc --strict --exactOptionalPropertyTypes --noEmit --skipLibCheck false --module node16 --moduleResolution node16 --target es2022 --lib es2022,dom --types node check.ts",
    dir
  )
  // The same client in a browser bundle: esbuild fails on any Node built-in with platform "browser".
  writeFileSync(
    join(dir, "browser.js"),
    `import { createNodeClient } from "@infernet/client/promise"\nconst client = createNodeClient({ baseUrl: location.origin })\nclient.info().then(console.log)\n`
  )
  const bundle = await esbuild.build({
    entryPoints: [join(dir, "browser.js")],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent"
  })
  const code = bundle.outputFiles[0].contents
  // The budget catches a module that drags a library in whole (all of fast-check once added 40 KiB gzip).
  const gzipKiB = gzipSync(code).length / 1024
  if (gzipKiB > BUNDLE_BUDGET_GZIP_KIB)
    fail(`the browser bundle is ${gzipKiB.toFixed(0)} KiB gzip, over ${BUNDLE_BUDGET_GZIP_KIB}`)
  return `Node ESM script ok (${JSON.stringify(out)}); browser bundle ${(code.length / 1024).toFixed(0)} KiB min, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzip; no viem, no @infernet/chain`
})

// --- the Promise API in headless Chromium: page and Web Worker, same origin via a proxy, cross origin with --cors ------

await scenario("browser", () => {
  if (!existsSync(join(work, "promise", "node_modules")))
    fail("needs the promise scenario's project: --only node-mock,promise,browser")
  return browserTests({
    resolveDir: join(work, "promise"),
    mock: [join(work, "node-mock", "node_modules", ".bin", "infernet-node-mock")],
    log
  })
})

// --- the Effect API on @effect/platform-node ---------------------------------------------------------------------------

await scenario("effect", async (report) => {
  const dir = project("effect")
  install(dir, installLines(readme("client")).slice(0, 2), report)
  for (const name of ["effect", "@effect/platform", "@effect/platform-node"]) oneCopy(dir, name)
  absent(dir, "viem")
  // The client README's Quick start, Effect half, as the user's build would emit it.
  const quickStart = codeBlocks(readme("client")).find(
    (b) => b.lang === "ts" && b.code.includes("NodeHttpClient.layerUndici")
  )
  const out = runNode(dir, "quick-start.mjs", toJs(atMock(quickStart.code)))
  if (!out.includes("Ritual")) fail(`the Effect quick start printed ${JSON.stringify(out)}`)
  return "the client README's Effect quick start (NodeClient.layer + NodeHttpClient.layerUndici) ran"
})

// --- TypeScript: every README block, strict, node16 and bundler --------------------------------------------------------

await scenario("typescript", async (report) => {
  const dir = project("typescript")
  const lines = [
    ...installLines(readme("client")),
    ...installLines(readme("types")),
    ...installLines(readme("node-mock")),
    "npm install --save-dev typescript@5.9 @types/node@20"
  ]
  install(dir, lines, report)
  oneCopy(dir, "effect")
  const blocks = []
  for (const pkg of ["root", ...Object.keys(PACKAGES)]) {
    for (const block of codeBlocks(readme(pkg))) {
      if (block.lang !== "ts") continue
      if (/^\/\/ excerpt\b/i.test(block.code)) continue
      blocks.push({ file: `${pkg}-${block.line}.ts`, code: block.code })
    }
  }
  mkdirSync(join(dir, "blocks"))
  // Each block is its own module (a top-level await needs one); `export {}` makes a block without imports a module.
  for (const block of blocks) writeFileSync(join(dir, "blocks", block.file), `${block.code}\nexport {}\n`)
  const base = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: true,
    target: "es2022",
    lib: ["es2022", "dom"],
    types: ["node"]
  }
  for (const [name, options] of [
    ["node16", { module: "node16", moduleResolution: "node16" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }]
  ]) {
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      JSON.stringify({ compilerOptions: { ...base, ...options }, include: ["blocks"] }, null, 2)
    )
    sh(`npx tsc -p tsconfig.${name}.json`, dir)
  }
  return `${blocks.length} README blocks type-check (strict, exactOptionalPropertyTypes, node16 and bundler)`
})

// --- @infernet/chain with pnpm, against Anvil ---------------------------------------------------------------------------

await scenario("chain", async (report) => {
  const dir = project("chain", { pnpm: true })
  install(dir, installLines(readme("chain")), report)
  for (const name of ["effect", "viem"]) oneCopy(dir, name)
  // The devnet example of the README, then the signature it made, recovered.
  const devnet = codeBlocks(readme("chain")).find((b) => b.lang === "ts" && b.code.includes("deployTestCoordinator"))
  const check = `
import { DelegatedSubscription } from "@infernet/chain"
const signed = DelegatedSubscription.fromRequestBody(body)
const signer = await DelegatedSubscription.recoverDelegatedSubscriptionSigner({ ...signed, chainId: 31337, coordinator })
if (signer.toLowerCase() !== account.address.toLowerCase()) throw new Error(\`recovered \${signer}, signed with \${account.address}\`)
console.log("recovered", signer)
`
  const code = toJs(devnet.code.replace("await anvil.close()", `${check}\nawait anvil.close()`))
  const out = runNode(dir, "devnet.mjs", code)
  if (!out.includes("recovered 0x")) fail(`the devnet example printed ${JSON.stringify(out)}`)
  return "the README's install lines; Anvil from npm, a v1 test Coordinator, a signature recovered to its signer"
})

// --- Vitest with the mock's global setup --------------------------------------------------------------------------------

await scenario("vitest", async (report) => {
  const dir = project("vitest")
  // A project that pins another Effect 3.22 patch: the mock must use it, not bring its own.
  const lines = [...installLines(readme("node-mock")), "npm install effect@3.22.2"]
  install(dir, lines, report)
  if (oneCopy(dir, "effect") !== "3.22.2") fail("the project's effect 3.22.2 was not the one used")
  const blocks = codeBlocks(readme("node-mock")).filter((b) => b.lang === "ts")
  const config = blocks.find((b) => b.code.startsWith("// vitest.config.ts"))
  const anyTest = blocks.find((b) => b.code.startsWith("// any test"))
  const layerTest = blocks.find((b) => b.code.includes("layer(MockNode.layer())"))
  writeFileSync(join(dir, "vitest.config.ts"), config.code)
  mkdirSync(join(dir, "test"))
  writeFileSync(join(dir, "test", "any.test.ts"), `import type {} from "@infernet/node-mock/vitest"\n${anyTest.code}`)
  writeFileSync(join(dir, "test", "layer.test.ts"), layerTest.code)
  const out = sh("npx vitest run 2>&1", dir, { NO_COLOR: "1" })
  if (/Executing an Effect versioned/.test(out)) fail(`Effect version-mismatch warnings:\n${out}`)
  const tests = /Tests\s+(\d+) passed/.exec(out)
  if (tests === null || Number(tests[1]) < 2) fail(`vitest did not pass 2 tests:\n${out}`)
  return `effect 3.22.2 shared; globalSetup and MockNode.layer: ${tests[1]} tests passed`
})

// node-mock's record and replay, from the tarball (scripts/consumers-record-replay.mjs)
await (await import("./consumers-record-replay.mjs")).default({
  scenario,
  project,
  install,
  installLines,
  readme,
  codeBlocks,
  cover,
  toJs,
  runNode,
  fail,
  cleanups
})

// Install lines in prose and code pinned, npm only, and the client + node-mock lines composing (consumers-install.mjs).
const installChecks = { scenario, project, install, installLines, readme, oneCopy, fail, root, PACKAGES }
await (await import("./consumers-install.mjs")).installScenarios(installChecks)

await scenario("vitest-parallel", (report) =>
  mockTestsScenario({ report, project, install, installLines, readme, codeBlocks, cover, sh, fail, oneCopy })
)

// --- every README code block: run, type-checked, parsed, text, or an excerpt with a reason ---------------------------

await scenario("docs", async () => {
  const typechecked = results.find((r) => r.name === "typescript")?.result.startsWith("ok") === true
  const counts = { run: 0, typechecked: 0, parsed: 0, text: 0 }
  const excerpts = new Map()
  const problems = []
  for (const pkg of ["root", ...Object.keys(PACKAGES)]) {
    const file = readme(pkg)
    for (const block of codeBlocks(file)) {
      const where = `${relative(root, file)}:${block.line}`
      if (block.lang === "") problems.push(`${where}: a block with no language tag (\`\`\`sh, \`\`\`text, ...)`)
      else if (EXCERPT.test(block.code)) {
        const reason = excerptReason(block.code)
        if (reason.problem !== undefined) problems.push(`${where}: ${reason.problem}`)
        else excerpts.set(reason.label, (excerpts.get(reason.label) ?? 0) + 1)
      } else if (covered.has(`${file}:${block.line}`)) counts.run++
      else if (block.lang === "ts" && typechecked) counts.typechecked++
      else if (block.lang === "json") {
        try {
          JSON.parse(block.code)
          counts.parsed++
        } catch (error) {
          problems.push(`${where}: a json block that does not parse (${error.message})`)
        }
      } else if (block.lang === "text") counts.text++
      else {
        problems.push(
          `${where}: a ${block.lang} block that no scenario runs; run it or mark it "${block.lang === "sh" ? "#" : "//"} excerpt: <reason>"`
        )
      }
    }
  }
  if (problems.length > 0) fail(problems.join("\n"))
  const total = [...excerpts.values()].reduce((a, b) => a + b, 0)
  const why = [...excerpts].map(([label, n]) => `${n} ${label}`).join(", ")
  return `README blocks: ${counts.run} run, ${counts.typechecked} type-checked only, ${counts.parsed} JSON parsed, ${counts.text} text; ${total} excerpts not run (${why})`
})

// --- report -------------------------------------------------------------------------------------------------------------

for (const cleanup of cleanups.reverse()) cleanup()
const widths = ["scenario", "install", "node_modules", "result"].map((h, i) =>
  Math.max(h.length, ...results.map((r) => [r.name, r.install, r.size, r.result][i].length))
)
const row = (cells) =>
  `| ${cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`
console.log(`\n${row(["scenario", "install", "node_modules", "result"])}`)
console.log(`| ${widths.map((w, i) => (i === 1 || i === 2 ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`)
for (const r of results) console.log(row([r.name, r.install, r.size, r.result]))
const skipped = results.filter((r) => r.result.startsWith("skipped"))
const passed = results.filter((r) => r.result !== "FAILED").length - skipped.length
console.log(`\nconsumers: ${passed} passed, ${results.length - passed - skipped.length} failed`)
for (const r of skipped) console.log(`consumers: SKIPPED ${r.name}: ${r.result.slice("skipped: ".length)}`)
if (!keep) rmSync(work, { recursive: true, force: true })
else log(`kept ${work}`)
process.exit(failed ? 1 : 0)
