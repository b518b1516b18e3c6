// End-to-end: the built executable (node dist/bin.js), spawned as a user runs it, against node-mock on port 0.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, CACHE_HOME, runCli } from "./utils/cli.js"
import { closedPort, silentServer, startTestNode } from "./utils/mock.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const dir = mkdtempSync(join(tmpdir(), "infernet-cli-e2e-"))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

// The usage page's input files.
const completion = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
}
const embedding = {
  model: "text-embedding-3-small",
  params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
}
file("input-data.json", JSON.stringify(completion, null, 4))
file("embedding.json", JSON.stringify(embedding))
file(
  "requests.json",
  JSON.stringify([
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["non-existent-container"], data: embedding }
  ])
)

let node: RunningMockNode
let env: Record<string, string>
const cli = (args: ReadonlyArray<string>, options: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(args, {
    cwd: dir,
    env: { ...env, ...options.env },
    ...(options.stdin === undefined ? {} : { stdin: options.stdin })
  })

/** Exactly one line on stderr, starting with `error:`, and no stack trace. */
const assertOneErrorLine = (stderr: string) => {
  assert.match(stderr, /^error: [^\n]+\n$/)
  assert.notInclude(stderr, "    at ")
}

beforeAll(async () => {
  node = await startTestNode()
  env = { SERVER_URL: node.url }
})
afterAll(() => node.close())

describe("infernet-client (built binary)", () => {
  describe("program", () => {
    it("--version prints the package version", async () => {
      const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
      const result = await cli(["--version"])
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.stdout.trim(), version)
    })

    it("--help lists the commands by group, without ANSI codes when piped", async () => {
      const result = await cli(["--help"])
      assert.strictEqual(result.code, 0)
      for (const command of [
        "health",
        "info",
        "resources",
        "check-model",
        "job",
        "batch",
        "results",
        "stream",
        "ids",
        "status",
        "sub"
      ]) {
        assert.match(result.stdout, new RegExp(`^  ${command} `, "m"))
      }
      assert.include(result.stdout, "\nNode:\n")
      assert.include(result.stdout, "\nJobs:\n")
      assert.notInclude(result.stdout, "\u001b[")
    })

    it("every command's --help shows an example", async () => {
      const examples: Record<string, string> = {
        info: "$ infernet-client info",
        job: "$ infernet-client job -c openai-inference-0.0.1 -i input-data.json --sync \\\n      --retries 20",
        results: "$ infernet-client results --id b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8",
        stream: "$ infernet-client stream -c openai-inference-streaming-0.0.1 \\\n      -i input-data.json",
        ids: "$ infernet-client ids --status completed",
        sub: "--rpc_url http://some-rpc-url.com --key key-file.txt \\\n      --params params.json --input input.json",
        status: "--status running -c openai-inference",
        batch: "$ infernet-client batch -i requests.json",
        resources: "$ infernet-client resources -n my-node:4000 --model-id gpt-3.5-turbo-16k",
        health: "$ infernet-client health"
      }
      const results = await Promise.all(Object.keys(examples).map((command) => cli([command, "--help"])))
      Object.keys(examples).forEach((command, i) => {
        assert.strictEqual(results[i]!.code, 0, command)
        assert.include(results[i]!.stdout, examples[command]!, command)
      })
    })

    it("prints shell completions that the shell accepts", async () => {
      const bash = await cli(["--completions", "bash"])
      assert.strictEqual(bash.code, 0)
      assert.include(bash.stdout, "complete -F _infernet-client_bash_completions")
      assert.include(bash.stdout, "infernet__client__sub")
      // Complete `infernet-client job --sy` and `infernet-client ids --status c` with the script, in bash.
      const script = file("completions.bash", bash.stdout)
      const complete = (words: ReadonlyArray<string>) => {
        const shell = [
          `source ${JSON.stringify(script)}`,
          `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(" ")}); COMP_CWORD=${words.length - 1}`,
          `_infernet-client_bash_completions infernet-client ${JSON.stringify(words.at(-1))} ${JSON.stringify(words.at(-2))}`,
          // A bash expansion, not a template placeholder.
          // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax
          'echo "${COMPREPLY[@]}"'
        ].join("\n")
        return spawnSync("bash", ["-c", shell], { encoding: "utf8" })
      }
      const probe = complete(["infernet-client", "j"])
      assert.isUndefined(probe.error, "bash runs the completion script (the repository's scripts need bash too)")
      assert.strictEqual(probe.stdout.trim(), "job")
      assert.strictEqual(complete(["infernet-client", "job", "--sy"]).stdout.trim(), "--sync")
      assert.strictEqual(complete(["infernet-client", "ids", "--status", "c"]).stdout.trim(), "completed")
      const zsh = await cli(["--completions", "zsh"])
      assert.strictEqual(zsh.code, 0)
      assert.include(zsh.stdout, "#compdef infernet-client")
      const fish = await cli(["--completions", "fish"])
      assert.strictEqual(fish.code, 0)
      assert.include(fish.stdout, "complete -c infernet-client")
      // Options infernet-client refuses are never offered.
      for (const script of [bash.stdout, zsh.stdout, fish.stdout]) {
        assert.notInclude(script, "wizard")
        assert.notInclude(script, "log-level")
      }
      assert.include(zsh.stdout, "'--verbose[")
      assert.include(fish.stdout, "-l verbose")
    })

    it("keeps a V8 code cache in the user's cache directory", async () => {
      const result = await cli(["--version"])
      assert.strictEqual(result.code, 0)
      const caches = readdirSync(join(CACHE_HOME, "infernet-client"))
      assert.isTrue(
        caches.some((name) => /^[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.v8cache$/.test(name)),
        caches.join()
      )
      const disabled = await cli(["--version"], { env: { INFERNET_CLI_NO_CACHE: "1" } })
      assert.strictEqual(disabled.stdout, result.stdout)
    })
  })

  describe("the usage page's examples", () => {
    it("info (SERVER_URL from the environment)", async () => {
      const result = await cli(["info"])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(result.stderr, "")
      assert.isFalse(result.stdout.trimEnd().includes("\n"), "compact when piped")
      const info = JSON.parse(result.stdout)
      assert.strictEqual(info.version, "1.4.0")
      assert.includeMembers(
        info.containers.map((c: { id: string }) => c.id),
        ["openai-inference-0.0.1", "openai-inference-streaming-0.0.1", "openai-inference"]
      )
      assert.deepStrictEqual(Object.keys(info.pending), ["offchain", "onchain"])
    })

    it("info --pretty indents; --url wins over SERVER_URL, before or after the command", async () => {
      const pretty = await cli(["info", "--pretty"])
      assert.isTrue(pretty.stdout.startsWith('{\n  "version": "1.4.0"'))
      const port = await closedPort()
      const before = await cli(["--url", node.url, "info"], { env: { SERVER_URL: `http://127.0.0.1:${port}` } })
      assert.strictEqual(before.code, 0, before.stderr)
      const after = await cli(["info", "--url", node.url], { env: { SERVER_URL: `http://127.0.0.1:${port}` } })
      assert.strictEqual(after.code, 0, after.stderr)
    })

    it("job -c openai-inference-0.0.1 -i input-data.json prints the job id", async () => {
      const result = await cli(["job", "-c", "openai-inference-0.0.1", "-i", "input-data.json"])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout.trim(), UUID)
      assert.strictEqual(result.stderr, "")
    })

    it("job --sync --retries 20 prints the output", async () => {
      const result = await cli([
        "job",
        "-c",
        "openai-inference-0.0.1",
        "-i",
        "embedding.json",
        "--sync",
        "--retries",
        "20"
      ])
      assert.strictEqual(result.code, 0, result.stderr)
      const vector = JSON.parse(result.stdout)
      assert.isArray(vector)
      assert.strictEqual(vector.length, 1536)
      assert.isTrue(vector.every((x: unknown) => typeof x === "number"))
    })

    it("job reads stdin for -i - and without -i", async () => {
      const dash = await cli(["job", "-c", "hello-world", "-i", "-", "--sync"], { stdin: '{"name": "Ritual"}' })
      assert.strictEqual(dash.code, 0, dash.stderr)
      assert.include(JSON.parse(dash.stdout).output, "hello, world!")
      const none = await cli(["job", "-c", "echo", "--sync"], { stdin: '{"n": 123456789012345678901234567890}' })
      assert.strictEqual(none.code, 0, none.stderr)
      assert.strictEqual(none.stdout, '{"n":123456789012345678901234567890}\n', "big integers survive exactly")
    })

    it("batch -i requests.json answers in order and exits 4 for the rejected request", async () => {
      const result = await cli(["batch", "-i", "requests.json"])
      assert.strictEqual(result.code, 4)
      const answers = JSON.parse(result.stdout)
      assert.strictEqual(answers.length, 3)
      assert.match(answers[0].id, UUID)
      assert.match(answers[1].id, UUID)
      assert.deepStrictEqual(answers[2], {
        error: "Container not supported",
        params: { container: "non-existent-container" }
      })
      assert.strictEqual(
        result.stderr,
        "error: the node rejected the request: 1 of 3 requests rejected: #3 Container not supported " +
          "(container: non-existent-container)\n"
      )
    })

    it("results --id A --id B", async () => {
      const a = (await cli(["job", "-c", "openai-inference-0.0.1", "-i", "embedding.json"])).stdout.trim()
      const b = (await cli(["job", "-c", "openai-inference-0.0.1", "-i", "embedding.json"])).stdout.trim()
      await cli(["job", "-c", "openai-inference-0.0.1", "-i", "embedding.json", "--sync"])
      let results: Array<{ id: string; status: string; result: { container: string; output: unknown } }> = []
      for (let attempt = 0; attempt < 50; attempt++) {
        const result = await cli(["results", "--id", a, "--id", b])
        assert.strictEqual(result.code, 0, result.stderr)
        results = JSON.parse(result.stdout)
        if (results.every((r) => r.status === "success")) break
      }
      assert.deepStrictEqual(
        results.map((r) => [r.id, r.status, r.result.container]),
        [
          [a, "success", "openai-inference-0.0.1"],
          [b, "success", "openai-inference-0.0.1"]
        ]
      )
    })

    it("stream prints the job id on stderr and the text on stdout", async () => {
      const result = await cli(["stream", "-c", "openai-inference-streaming-0.0.1", "-i", "input-data.json"])
      assert.strictEqual(result.code, 0, result.stderr)
      const match = /^Job ID: (\S+)\n$/.exec(result.stderr)
      assert.isNotNull(match, result.stderr)
      assert.match(match![1]!, UUID)
      assert.isAbove(result.stdout.length, 20)
      const stored = JSON.parse((await cli(["results", "--id", match![1]!])).stdout)
      assert.deepStrictEqual(stored[0].result.output, { output: result.stdout })
    })

    it("ids, ids --status completed, ids --status pending", async () => {
      const done = (await cli(["job", "-c", "hello-world", "-i", "input-data.json"])).stdout.trim()
      // Until the node reports it finished (polled, with a deadline): hello-world completes at once.
      const deadline = Date.now() + 10_000
      for (;;) {
        const [result] = JSON.parse((await cli(["results", "--id", done])).stdout) as Array<{ status: string }>
        if (result?.status === "success") break
        assert.isBelow(Date.now(), deadline, `job ${done} still ${result?.status} after 10 s`)
      }
      const running = (await cli(["job", "-c", "slow", "-i", "input-data.json"])).stdout.trim()
      const all = JSON.parse((await cli(["ids"])).stdout) as Array<string>
      const completed = JSON.parse((await cli(["ids", "--status", "completed"])).stdout) as Array<string>
      const pending = JSON.parse((await cli(["ids", "--status", "pending"])).stdout) as Array<string>
      assert.includeMembers(all, [running, done])
      assert.include(pending, running)
      assert.notInclude(completed, running)
      assert.include(completed, done)
      assert.notInclude(pending, done)
      assert.strictEqual(all.length, completed.length + pending.length)
    })

    it("status records a job's status by hand", async () => {
      const id = "d77215c8-dd25-4843-89c4-788eef9ed324"
      const running = await cli(["status", "--id", id, "--status", "running", "-c", "openai-inference"])
      assert.strictEqual(running.code, 0, running.stderr)
      assert.strictEqual(running.stdout, "Success: Job status recorded.\n")
      assert.strictEqual(JSON.parse((await cli(["results", "--id", id])).stdout)[0].status, "running")
      const success = await cli(["status", "--id", id, "--status", "success", "-c", "openai-inference"])
      assert.strictEqual(success.code, 0, success.stderr)
      assert.strictEqual(JSON.parse((await cli(["results", "--id", id])).stdout)[0].status, "success")
    })

    it("resources, and --model-id", async () => {
      const all = JSON.parse((await cli(["resources"])).stdout)
      // hello-world has no /service-resources, so the node leaves it out.
      assert.includeMembers(Object.keys(all), ["openai-inference-0.0.1"])
      const model = await cli(["resources", "--model-id", "gpt-4o"])
      assert.strictEqual(model.code, 0, model.stderr)
      const support = JSON.parse(model.stdout)
      assert.strictEqual(support["openai-inference-0.0.1"].supported, true)
      assert.notProperty(support, "hello-world")
    })

    it("health", async () => {
      const result = await cli(["health"])
      assert.strictEqual(result.code, 0)
      assert.strictEqual(result.stdout, '{"healthy":true}\n')
    })

    it("-o FILE writes the result there and nothing to stdout", async () => {
      const out = join(dir, "info.json")
      const result = await cli(["info", "-o", out])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.strictEqual(result.stdout, "")
      assert.strictEqual(JSON.parse(readFileSync(out, "utf8")).version, "1.4.0")
      const streamed = join(dir, "stream.txt")
      const stream = await cli([
        "stream",
        "-c",
        "openai-inference-streaming-0.0.1",
        "-i",
        "input-data.json",
        "-o",
        streamed
      ])
      assert.strictEqual(stream.code, 0, stream.stderr)
      assert.strictEqual(stream.stdout, "")
      assert.isAbove(readFileSync(streamed, "utf8").length, 20)
    })
  })

  describe("errors: one line on stderr, one exit code per class", () => {
    it("2: usage errors (missing flag, unknown command, bad values)", async () => {
      const missing = await cli(["job", "-i", "input-data.json"])
      assert.strictEqual(missing.code, 2)
      assert.strictEqual(
        missing.stderr,
        "error: missing -c/--containers IDS: containers to run, in order: a,b or -c a -c b (see: infernet-client job --help)\n"
      )
      const unknown = await cli(["jobs"])
      assert.strictEqual(unknown.code, 2)
      assertOneErrorLine(unknown.stderr)
      // Any non-empty id is accepted (PUT /api/status records any string); an empty one is a usage error.
      const id = await cli(["results", "--id", ""])
      assert.strictEqual(id.code, 2)
      assertOneErrorLine(id.stderr)
      assert.strictEqual(
        id.stderr,
        "error: --id: expected ID, got an empty value (see: infernet-client results --help)\n"
      )
      const url = await cli(["info", "--url", "ftp://example.com"])
      assert.strictEqual(url.code, 2)
      assertOneErrorLine(url.stderr)
      const retries = await cli(["job", "-c", "hello-world", "--retries", "abc"], { stdin: "{}" })
      assert.strictEqual(retries.code, 2)
      assertOneErrorLine(retries.stderr)
      const bare = await cli([])
      assert.strictEqual(bare.code, 2)
      assert.include(bare.stderr, "missing command")
    })

    it("3: the node is down (closed port)", async () => {
      const port = await closedPort()
      const result = await cli(["info", "--url", `http://127.0.0.1:${port}`])
      assert.strictEqual(result.code, 3)
      assertOneErrorLine(result.stderr)
      assert.include(result.stderr, `error: cannot reach the node at http://127.0.0.1:${port}: `)
      assert.include(result.stderr, "Is the node running? Set its URL with --url or SERVER_URL.")
      assert.strictEqual(result.stdout, "")
    })

    it("3: the node does not answer in time (--timeout)", async () => {
      const silent = await silentServer()
      try {
        const result = await cli(["job", "-c", "hello-world", "--timeout", "1", "--url", silent.url], { stdin: "{}" })
        assert.strictEqual(result.code, 3)
        assert.strictEqual(
          result.stderr,
          `error: cannot reach the node at ${silent.url}: no answer within 1s (raise it with --timeout SECONDS)\n`
        )
      } finally {
        await silent.close()
      }
    })

    it("--verbose adds the cause and its stack, mapped to the TypeScript sources", async () => {
      const port = await closedPort()
      const result = await cli(["info", "--url", `http://127.0.0.1:${port}`, "--verbose"])
      assert.strictEqual(result.code, 3)
      const [first, ...rest] = result.stderr.trimEnd().split("\n")
      assert.match(first!, /^error: cannot reach the node/)
      assert.isAbove(rest.length, 1)
      assert.include(result.stderr, "NodeClientError")
      // The first frame is where the client built the error, in its source, not in the minified bundle.
      const frame = rest.find((line) => line.trimStart().startsWith("at "))
      assert.match(frame!, /dist\/sources\/client\/src\/internal\/http\.ts:\d+:\d+\)$/)
      // Every frame names a file of the package as it is installed: our TypeScript sources (shipped in
      // dist/sources) or, for third-party code, the bundle itself.
      const files = rest.flatMap((line) => /\(?(\/[^():]+):\d+:\d+\)?$/.exec(line.trim())?.[1] ?? [])
      assert.isAbove(files.length, 1)
      for (const file of files) assert.isTrue(existsSync(file), `${file} exists`)
    })

    it("4: the node rejects the request, with its message and params", async () => {
      const result = await cli(["job", "-c", "non-existent-container", "-i", "input-data.json"])
      assert.strictEqual(result.code, 4)
      assert.strictEqual(
        result.stderr,
        "error: the node rejected the request (HTTP 405): Container not supported (container: non-existent-container)\n"
      )
      const internal = await cli(["job", "-c", "internal", "-i", "input-data.json"])
      assert.strictEqual(internal.code, 4)
      assert.include(internal.stderr, "First container must be external (first_container: internal)")
    })

    it("4: unknown job ids, and an answer that is not the node's API", async () => {
      const unknown = await cli(["results", "--id", "00000000-0000-4000-8000-000000000000"])
      assert.strictEqual(unknown.code, 4)
      assert.strictEqual(unknown.stdout, "[]\n")
      assertOneErrorLine(unknown.stderr)
      assert.include(unknown.stderr, "no such job: 00000000-0000-4000-8000-000000000000")
      const wrong = await cli(["info", "--url", `${node.url}/not-the-api`])
      assert.strictEqual(wrong.code, 4)
      assertOneErrorLine(wrong.stderr)
      assert.include(wrong.stderr, "(HTTP 404)")
    })

    it("1: the job failed (--sync prints nothing on stdout)", async () => {
      const result = await cli(["job", "-c", "fail", "-i", "input-data.json", "--sync"])
      assert.strictEqual(result.code, 1)
      assert.strictEqual(result.stdout, "")
      assertOneErrorLine(result.stderr)
      assert.match(result.stderr, /^error: job [0-9a-f-]{36} failed: container fail: /)
    })

    it("1: a stream that ends with a failed job", async () => {
      const result = await cli(["stream", "-c", "stream-fail"], { stdin: "{}" })
      assert.strictEqual(result.code, 1)
      const [jobLine, errorLine] = result.stderr.split("\n")
      assert.match(jobLine!, /^Job ID: [0-9a-f-]{36}$/)
      assert.match(errorLine!, /^error: job [0-9a-f-]{36} failed: /)
      assert.strictEqual(result.stdout, "one two ")
    })

    it("5: a malformed input file, with its line and column", async () => {
      file("bad.json", '{\n  "model": "gpt-4o",\n  "params": {,}\n}\n')
      const result = await cli(["job", "-c", "openai-inference-0.0.1", "-i", "bad.json"])
      assert.strictEqual(result.code, 5)
      assert.strictEqual(
        result.stderr,
        "error: bad.json:3:14: invalid JSON: expected a property name in double quotes, got ','\n"
      )
      const missing = await cli(["job", "-c", "openai-inference-0.0.1", "-i", "missing.json"])
      assert.strictEqual(missing.code, 5)
      assert.strictEqual(missing.stderr, "error: missing.json: cannot read: no such file\n")
      const array = await cli(["job", "-c", "echo", "-i", "requests.json"])
      assert.strictEqual(array.code, 5)
      assert.strictEqual(array.stderr, "error: requests.json: expected the job's data (a JSON object), got an array\n")
      const stdin = await cli(["job", "-c", "echo"], { stdin: "hello" })
      assert.strictEqual(stdin.code, 5)
      assert.strictEqual(stdin.stderr, "error: <stdin>:1:1: invalid JSON: unexpected 'h': expected a value\n")
    })

    it("7: the job is still running after the last poll", async () => {
      const result = await cli(["job", "-c", "slow", "-i", "input-data.json", "--sync", "--retries", "2"])
      assert.strictEqual(result.code, 7)
      assertOneErrorLine(result.stderr)
      assert.match(result.stderr, /still running after 2 checks; .* infernet-client results --id [0-9a-f-]{36}\n$/)
    })

    it("130: Ctrl-C stops a wait cleanly and says how to fetch the job later", async () => {
      const child = spawn(process.execPath, [BIN, "job", "-c", "slow", "--sync"], {
        cwd: dir,
        env: { ...process.env, ...env, XDG_CACHE_HOME: CACHE_HOME },
        stdio: ["pipe", "pipe", "pipe"]
      })
      child.stdin.end("{}")
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk
      })
      // Wait until the job exists on the node (it never finishes), then interrupt.
      const before = (await node.jobs()).length
      for (let i = 0; i < 200 && (await node.jobs()).length === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      child.kill("SIGINT")
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
      assert.strictEqual(code, 130)
      assert.match(
        stderr,
        /^Interrupted\. Job [0-9a-f-]{36} keeps running on the node; fetch its result with: infernet-client results --id [0-9a-f-]{36}\n$/
      )
    })

    it("130: Ctrl-C stops a stream cleanly, keeps what was printed and says how to fetch the job later", async () => {
      const child = spawn(process.execPath, [BIN, "stream", "-c", "slow-stream"], {
        cwd: dir,
        env: { ...process.env, ...env, XDG_CACHE_HOME: CACHE_HOME },
        stdio: ["pipe", "pipe", "pipe"]
      })
      child.stdin.end("{}")
      let stdout = ""
      let stderr = ""
      const firstChunk = new Promise<void>((resolve) =>
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk
          resolve()
        })
      )
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk
      })
      // The first chunk is printed; the next ones are seconds apart. Interrupt mid-stream.
      await firstChunk
      child.kill("SIGINT")
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
      assert.strictEqual(code, 130)
      // What had arrived stays printed; the rest never came.
      assert.isTrue(stdout.length > 0 && stdout.length < "one two three".length && "one two three".startsWith(stdout))
      const [, id] = /^Job ID: ([0-9a-f-]{36})\n/.exec(stderr) ?? []
      assert.isDefined(id)
      assert.strictEqual(
        stderr,
        `Job ID: ${id}\nInterrupted. Job ${id} keeps running on the node; fetch its result with: infernet-client results --id ${id}\n`
      )
    })
  })
})
