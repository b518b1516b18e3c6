// The infernet-node-mock command, run as a real process. src/bin.ts is bundled with esbuild (resolving workspace
// packages to their sources), so the test needs no prior build and exercises real signals and exit codes.
import { type ChildProcess, spawn } from "node:child_process"
import { writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { networkInterfaces } from "node:os"
import { dirname, join } from "node:path"
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { bundleBin } from "./utils/bundle.js"
import { get, request } from "./utils/http.js"

let dir: string
let bin: string

beforeAll(async () => {
  bin = await bundleBin()
  dir = dirname(dirname(bin))
})

interface Run {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exit: Promise<number | null>
}

const start = (args: ReadonlyArray<string>): Run => {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout!.on("data", (chunk) => {
    out += chunk
  })
  child.stderr!.on("data", (chunk) => {
    err += chunk
  })
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exit }
}

const waitFor = async (read: () => string, pattern: RegExp, ms = 15_000) => {
  const deadline = Date.now() + ms
  for (;;) {
    const match = pattern.exec(read())
    if (match !== null) return match
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${read()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe("infernet-node-mock", () => {
  it("prints its URL and container table, serves, and stops cleanly on SIGTERM and SIGINT", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const run = start(["--port", "0"])
      const [, url] = await waitFor(run.stdout, /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*Ctrl-C/)
      assert.notMatch(url!, /:4000$/)
      const out = run.stdout()
      assert.include(out, "node version 1.4.0, chain enabled (chain id 31337")
      assert.match(out, /CONTAINER\s+BEHAVIOUR\s+EXTERNAL\s+DESCRIPTION/)
      assert.match(out, /openai-inference-0\.0\.1\s+completion\s+yes\s+OPENAI Inference Service/)
      assert.match(out, /hello-world\s+hello-world\s+yes/)
      assert.strictEqual((await get(url!, "/health")).status, 200)
      run.child.kill(signal)
      assert.strictEqual(await run.exit, 0)
      assert.include(run.stdout(), "infernet-node-mock stopped")
      assert.strictEqual(run.stderr(), "")
    }
  })

  it("takes --config, --host and --seed", async () => {
    const config = join(dir, "config.json")
    await writeFile(config, JSON.stringify({ containers: [{ id: "only-one", description: "just me" }] }))
    const run = start(["--port", "0", "--host", "127.0.0.1", "-c", config, "--seed", "3"])
    const [, url] = await waitFor(run.stdout, /listening on (http:\/\/\S+)/)
    await waitFor(run.stdout, /Ctrl-C/)
    assert.match(run.stdout(), /only-one\s+echo\s+yes\s+just me/)
    assert.deepStrictEqual(
      (await get(url!, "/info")).json().containers.map((c: any) => c.id),
      ["only-one"]
    )
    run.child.kill("SIGTERM")
    assert.strictEqual(await run.exit, 0)
  })

  it("answers the control API to loopback clients only, unless --control-open", async ({ skip }) => {
    const external = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((entry) => entry.family === "IPv4" && !entry.internal)?.address
    for (const open of [false, true]) {
      const run = start(["--port", "0", "--host", "0.0.0.0", ...(open ? ["--control-open"] : [])])
      const [, port] = await waitFor(run.stdout, /listening on http:\/\/127\.0\.0\.1:(\d+)/)
      await waitFor(run.stdout, /Ctrl-C/)
      assert.include(run.stdout(), open ? "(open to every client)" : "(loopback clients only)")
      assert.strictEqual((await get(`http://127.0.0.1:${port}`, "/__mock/jobs")).status, 200)
      if (external !== undefined) {
        const foreign = await get(`http://${external}:${port}`, "/__mock/jobs", { localAddress: external })
        assert.strictEqual(foreign.status, open ? 200 : 403)
      }
      run.child.kill("SIGTERM")
      assert.strictEqual(await run.exit, 0)
    }
    // The loopback half ran; the foreign half needs a client on another interface, which this machine lacks.
    skip(external === undefined, "no non-loopback IPv4 interface here: the 403 to a foreign client was not checked")
  })

  it("fails on a bad config with one line on stderr and exit code 1, no stack trace", async () => {
    const bad = join(dir, "bad.json")
    await writeFile(bad, JSON.stringify({ containers: [{ id: "a" }, { id: "a" }] }))
    const run = start(["--config", bad])
    assert.strictEqual(await run.exit, 1)
    assert.strictEqual(run.stderr(), `infernet-node-mock: ${bad}: containers[1].id: duplicate container id "a"\n`)
    assert.strictEqual(run.stdout(), "")

    const notJson = join(dir, "not.json")
    await writeFile(notJson, "{ containers: [] }")
    const second = start(["--config", notJson])
    assert.strictEqual(await second.exit, 1)
    assert.match(second.stderr(), /^infernet-node-mock: .*not\.json: invalid JSON: [^\n]*\n$/)
  })

  it("names a misspelt key of a config file with its path and the key it meant", async () => {
    const typo = join(dir, "typo.json")
    await writeFile(
      typo,
      JSON.stringify({
        containers: [{ id: "a" }, { id: "b" }, { id: "hello-world", behaviour: { type: "hello-world" } }]
      })
    )
    const run = start(["--config", typo])
    assert.strictEqual(await run.exit, 1)
    assert.strictEqual(
      run.stderr(),
      `infernet-node-mock: ${typo}: containers[2].behaviour: unknown key; did you mean "behavior"?\n`
    )
  })

  it("fails with exit code 1 when the port is taken", async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const run = start(["--port", String(port)])
      assert.strictEqual(await run.exit, 1)
      assert.strictEqual(
        run.stderr(),
        `infernet-node-mock: Cannot listen on 127.0.0.1:${port}: port ${port} is already in use (try another port, or 0 for a free one)\n`
      )
    } finally {
      blocker.close()
    }
  })

  it("prints help and version, and rejects bad arguments with exit code 2", async () => {
    const help = start(["--help"])
    assert.strictEqual(await help.exit, 0)
    assert.match(help.stdout(), /^Usage: infernet-node-mock \[options\]/)
    assert.include(help.stdout(), "--port <port>")

    const version = start(["--version"])
    assert.strictEqual(await version.exit, 0)
    assert.match(version.stdout(), /^\d+\.\d+\.\d+\n$/)

    for (const args of [["--port", "abc"], ["--port", "70000"], ["--bogus"], ["extra"]]) {
      const run = start(args)
      assert.strictEqual(await run.exit, 2, args.join(" "))
      assert.match(run.stderr(), /^infernet-node-mock: .*\nRun infernet-node-mock --help for usage\.\n$/)
    }
    // A misspelt flag gets the one it meant.
    for (const [typo, meant] of [
      ["--prot", "--port"],
      ["--confg", "--config"],
      ["--router-lmit", "--router-limit"],
      ["--node", "--nodes"]
    ] as const) {
      const run = start([typo, "4000"])
      assert.strictEqual(await run.exit, 2, typo)
      assert.strictEqual(
        run.stderr(),
        `infernet-node-mock: unknown option ${typo}; did you mean ${meant}?\nRun infernet-node-mock --help for usage.\n`
      )
    }
  })
})

describe("infernet-node-mock --nodes --router", () => {
  it("starts a network, prints each node with its containers and the router, and stops on SIGTERM", async () => {
    const run = start(["--nodes", "3", "--router", "--port", "0", "--router-port", "0", "--router-limit", "off"])
    await waitFor(run.stdout, /Ctrl-C/)
    const nodes = [...run.stdout().matchAll(/node (\d)\s+(http:\/\/127\.0\.0\.1:\d+)\s+containers: (.*)\n/g)]
    assert.deepStrictEqual(
      nodes.map((m) => m[1]),
      ["0", "1", "2"]
    )
    assert.strictEqual(nodes[1]![3], "openai-inference-0.0.1, openai-inference, hello-world")
    const [, router] = await waitFor(run.stdout, /infernet router on (http:\/\/127\.0\.0\.1:\d+)/)
    const ips = (await get(router!, "/api/v1/ips?container=hello-world&n=5")).json()
    assert.deepStrictEqual(
      ips,
      nodes.map((m) => m[2]!.slice("http://".length))
    )
    run.child.kill("SIGTERM")
    assert.strictEqual(await run.exit, 0)
    assert.strictEqual(run.stderr(), "")
  })

  it("rejects a bad --router-limit with exit code 2", async () => {
    const run = start(["--nodes", "2", "--router", "--router-limit", "fast"])
    assert.strictEqual(await run.exit, 2)
    assert.include(run.stderr(), "--router-limit expects <n>/<seconds> with both at least 1 (e.g. 10/30), or off")
    // 0/0 would answer every request 429 with Retry-After: 0.
    const zero = start(["--nodes", "2", "--router", "--router-limit", "0/0"])
    assert.strictEqual(await zero.exit, 2)
    assert.strictEqual(
      zero.stderr(),
      'infernet-node-mock: --router-limit expects <n>/<seconds> with both at least 1 (e.g. 10/30), or off; got "0/0"\nRun infernet-node-mock --help for usage.\n'
    )
  })

  it("rejects --port too high for --nodes with one line and exit code 2", async () => {
    const run = start(["--nodes", "3", "--port", "65534"])
    assert.strictEqual(await run.exit, 2)
    assert.strictEqual(
      run.stderr(),
      "infernet-node-mock: --port 65534 with --nodes 3 needs ports 65534 to 65536, past 65535; use a lower --port, or --port 0 for free ports\nRun infernet-node-mock --help for usage.\n"
    )
  })
})

describe("infernet-node-mock --cors", () => {
  it("takes --cors ORIGIN (repeatable), says so at start, and answers those origins' preflights; with --nodes too", async () => {
    const page = "http://localhost:5173"
    for (const extra of [[], ["--nodes", "1"]]) {
      const run = start(["--port", "0", "--cors", page, "--cors", "http://127.0.0.1:3000", ...extra])
      const [, url] = await waitFor(run.stdout, /(http:\/\/127\.0\.0\.1:\d+)/)
      await waitFor(run.stdout, /Ctrl-C/)
      if (extra.length === 0) {
        assert.include(run.stdout(), `CORS: pages of ${page}, http://127.0.0.1:3000 may call this node`)
      }
      for (const origin of [page, "http://127.0.0.1:3000"]) {
        const pre = await request(url!, "/api/jobs", {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
        })
        assert.strictEqual(pre.status, 204, extra.join(" "))
        assert.strictEqual(pre.headers["access-control-allow-origin"], origin)
      }
      const other = await get(url!, "/health", { headers: { origin: "http://other.example" } })
      assert.isUndefined(other.headers["access-control-allow-origin"])
      run.child.kill("SIGTERM")
      assert.strictEqual(await run.exit, 0)
    }
  })

  it("rejects a --cors that is not an origin with exit code 2, naming the fix", async () => {
    const run = start(["--cors", "http://localhost:5173/"])
    assert.strictEqual(await run.exit, 2)
    assert.include(run.stderr(), '--cors expected "*" or an origin')
    assert.include(run.stderr(), 'did you mean "http://localhost:5173"?')
  })
})
