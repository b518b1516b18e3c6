// The consumer test's record-replay scenario (called from scripts/consumers.mjs with its helpers): node-mock installed
// from its packed tarball, then
//   1. the README's JavaScript record/replay example, run as written (`Cassette.record`, `startMockNode({ replay })`);
//   2. the command: an upstream `infernet-node-mock`, `infernet-node-mock record` in front of it, a session (a job, its
//      result, a stream, /info) sent with an Authorization header, SIGTERM, then `infernet-node-mock --replay` and the
//      same session again: the same answers, no secret in the cassette, no unrecorded request, the inspector page up.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"

const SECRET = "Bearer consumer-secret-token"

/** Starts `bin args` in `dir` and resolves to the first match of `ready` in its stdout, with `stop()`. */
const start = (bin, args, dir, ready, cleanups) =>
  new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const exited = new Promise((done) => child.once("exit", (code) => done(code)))
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      return exited
    }
    cleanups.push(() => void stop())
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start in 30 s:\n${output}`)), 30_000)
    const onData = (data) => {
      output += data
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1], stop, output: () => output })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", (data) => {
      output += data
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`infernet-node-mock ${args.join(" ")} exited with ${code}:\n${output}`))
    })
  })

/** A job, its result once done, a stream and /info: the texts a client saw. */
const session = async (url) => {
  const post = (path, body) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: SECRET },
      body: JSON.stringify(body)
    })
  const created = await (await post("/api/jobs", { containers: ["hello-world"], data: { name: "Ritual" } })).text()
  const { id } = JSON.parse(created)
  let result
  for (let i = 0; i < 200; i++) {
    result = await (await fetch(`${url}/api/jobs?id=${id}`, { headers: { authorization: SECRET } })).text()
    if (!result.includes('"running"')) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const stream = await (
    await post("/api/jobs/stream", {
      containers: ["openai-inference-streaming-0.0.1"],
      data: {
        model: "gpt-4o",
        params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
      }
    })
  ).text()
  const info = await (await fetch(`${url}/info`)).text()
  return { created, result, stream, info }
}

export default ({
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
}) =>
  scenario("record-replay", async (report) => {
    const dir = project("record-replay")
    const file = readme("node-mock")
    install(dir, installLines(file).slice(0, 1), report)
    const bin = join(dir, "node_modules", ".bin", "infernet-node-mock")

    // 1. The README's example, verbatim.
    const example = codeBlocks(file).find((b) => b.lang === "ts" && b.code.includes("Cassette.record("))
    if (example === undefined) fail("no README block with Cassette.record(")
    const printed = runNode(dir, "record-replay.mjs", toJs(example.code)).trim()
    if (printed !== "true\n[]") fail(`the README's record/replay example printed ${JSON.stringify(printed)}`)
    cover(file, example)

    // 2. The command.
    const cassette = join(dir, "session.cassette.json")
    const upstream = await start(bin, ["--port", "0"], dir, /listening on (http:\/\/\S+)/, cleanups)
    const recorder = await start(
      bin,
      ["record", "--upstream", upstream.url, "--out", cassette, "--port", "0"],
      dir,
      /recording on (http:\/\/\S+)/,
      cleanups
    )
    const recorded = await session(recorder.url)
    if ((await recorder.stop()) !== 0) fail(`the recorder did not exit 0 on SIGTERM:\n${recorder.output()}`)
    await upstream.stop()
    const text = readFileSync(cassette, "utf8")
    if (text.includes("consumer-secret-token")) fail("the Authorization header reached the cassette")
    const { interactions } = JSON.parse(text)
    const chunks = interactions.find((i) => i.request.path === "/api/jobs/stream")?.response.chunks ?? []
    if (chunks.length < 2) fail(`the stream was recorded as ${chunks.length} chunk(s)`)

    const replay = await start(
      bin,
      ["--replay", cassette, "--port", "0", "--replay-speed", "max"],
      dir,
      /listening on (http:\/\/\S+)/,
      cleanups
    )
    const replayed = await session(replay.url)
    for (const key of Object.keys(recorded)) {
      if (replayed[key] !== recorded[key]) {
        fail(`replayed ${key} differs:\n${replayed[key]}\nrecorded:\n${recorded[key]}`)
      }
    }
    const summary = await (await fetch(`${replay.url}/__mock/replay`)).json()
    if (summary.misses !== 0) fail(`${summary.misses} request(s) were not in the cassette`)
    const ui = await fetch(`${replay.url}/__mock/ui`)
    if (ui.status !== 200 || !(await ui.text()).includes("node-mock inspector")) fail("no inspector page")
    await replay.stop()
    return `README example ran; ${interactions.length} exchanges recorded (stream in ${chunks.length} chunks), replayed identically, no secret written`
  })
