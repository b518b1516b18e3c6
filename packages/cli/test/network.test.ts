// The Network commands and `-n auto` against node-mock's mock network over loopback: three nodes behind the mock
// router (node 1 lacks the streaming container), `containers` and `find` with Python 1.4's flags, jobs routed through
// the router with the node announced on stderr, `results` finding them, and a node taken down mid-way.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { type RunningMockNetwork, startMockNetwork } from "@infernet/node-mock"
import { Effect } from "effect"
import { runInProcess } from "./utils/io.js"
import { closedPort } from "./utils/mock.js"

let network: RunningMockNetwork
let router: string
beforeAll(async () => {
  network = await startMockNetwork({ nodes: 3, router: { rateLimit: false } })
  router = network.router!.url
}, 30_000)
afterAll(async () => {
  await network?.close()
})

const INPUT = JSON.stringify({ prompt: "hi" })

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  runInProcess(args, { stdin: INPUT }, { ROUTER_URL: router, ...env })

/** The node URL of a `Node: <url>` line on stderr. */
const nodeLine = (stderr: string): string => {
  const match = /^Node: (\S+)$/m.exec(stderr)
  assert.isNotNull(match, stderr)
  return match![1]!
}

describe("containers and find", () => {
  it.live("containers: the router's list with counts; --url names the router", () =>
    Effect.gen(function* () {
      const result = yield* run(["containers", "--url", router], { ROUTER_URL: "http://127.0.0.1:1" })
      assert.strictEqual(result.code, 0, result.stderr)
      const list = JSON.parse(result.stdout) as Array<{ id: string; count: number }>
      const counts = Object.fromEntries(list.map((c) => [c.id, c.count]))
      assert.strictEqual(counts["hello-world"], 3)
      assert.strictEqual(counts["openai-inference-streaming-0.0.1"], 2)
      assert.strictEqual(counts["openai-inference"], 1)
    })
  )

  it.live("find: host:port of the nodes running all the containers; -n and --skip; ROUTER_URL", () =>
    Effect.gen(function* () {
      const streaming = yield* run(["find", "-c", "openai-inference-streaming-0.0.1", "--json"])
      assert.strictEqual(streaming.code, 0, streaming.stderr)
      assert.deepStrictEqual(
        [...(JSON.parse(streaming.stdout) as Array<string>)].sort(),
        [network.nodes[0]!.address, network.nodes[2]!.address].sort()
      )
      const both = yield* run(["find", "-c", "openai-inference-streaming-0.0.1,openai-inference"])
      assert.deepStrictEqual(JSON.parse(both.stdout), [])
      const all = JSON.parse((yield* run(["find", "-c", "hello-world", "-n", "5"])).stdout) as Array<string>
      assert.strictEqual(all.length, 3)
      const page = yield* run(["find", "-c", "hello-world", "-n", "1", "--skip", "1"])
      assert.deepStrictEqual(JSON.parse(page.stdout), [all[1]])
    })
  )

  it.live("find: usage errors and an unreachable router are one line each", () =>
    Effect.gen(function* () {
      const missing = yield* run(["find"])
      assert.strictEqual(missing.code, 2)
      const zero = yield* run(["find", "-c", "hello-world", "-n", "0"])
      assert.strictEqual(zero.code, 2)
      assert.strictEqual(zero.stderr, "error: -n/--count must be at least 1, got 0\n")
      const port = yield* Effect.promise(closedPort)
      const down = yield* run(["containers"], { ROUTER_URL: `http://127.0.0.1:${port}` })
      assert.strictEqual(down.code, 3)
      assert.match(
        down.stderr,
        new RegExp(`^error: cannot reach the router at http://127.0.0.1:${port}: .*ROUTER_URL\\.\\n$`)
      )
      const bad = yield* run(["find", "-c", "x", "--url", "ftp://router"])
      assert.strictEqual(bad.code, 2)
    })
  )
})

describe("-n auto: jobs routed through the router", () => {
  it.live("job -n auto: the node on stderr, the id on stdout; results -n auto and -n host:port find it", () =>
    Effect.gen(function* () {
      const created = yield* run(["job", "-c", "hello-world", "-n", "auto"])
      assert.strictEqual(created.code, 0, created.stderr)
      const node = nodeLine(created.stderr)
      const holder = network.nodes.find((n) => n.url === node)
      assert.isDefined(holder, node)
      const id = created.stdout.trim()
      const stored = yield* Effect.promise(() => holder!.jobs())
      assert.isTrue(
        stored.some((job) => job.id === id),
        "the job is on the announced node"
      )
      const viaRouter = yield* run(["results", "--id", id, "-n", "auto"])
      assert.strictEqual(viaRouter.code, 0, viaRouter.stderr)
      assert.strictEqual((JSON.parse(viaRouter.stdout) as Array<{ id: string }>)[0]!.id, id)
      const direct = yield* run(["results", "--id", id, "-n", holder!.address])
      assert.strictEqual(direct.code, 0, direct.stderr)
      const other = network.nodes.find((n) => n.url !== node)!
      const elsewhere = yield* run(["results", "--id", id, "-n", other.address])
      assert.strictEqual(elsewhere.code, 4)
    })
  )

  it.live("job -n auto --sync and stream -n auto go to a node running the containers", () =>
    Effect.gen(function* () {
      const sync = yield* run(["job", "-c", "hello-world", "-n", "auto", "--sync"])
      assert.strictEqual(sync.code, 0, sync.stderr)
      assert.include(sync.stdout, "hello, world!")
      const streamed = yield* run(["stream", "-c", "openai-inference-streaming-0.0.1", "-n", "auto"])
      assert.strictEqual(streamed.code, 0, streamed.stderr)
      const node = nodeLine(streamed.stderr)
      assert.include([network.nodes[0]!.url, network.nodes[2]!.url], node)
      assert.match(streamed.stderr, /^Node: \S+\nJob ID: [0-9a-f-]{36}\n$/)
      assert.isAbove(streamed.stdout.length, 0)
    })
  )

  it.live("a node taken down: the next jobs go around it; its job's results name it", () =>
    Effect.gen(function* () {
      const first = yield* run(["job", "-c", "hello-world", "-n", "auto"])
      const down = network.nodes.find((n) => n.url === nodeLine(first.stderr))!
      yield* Effect.promise(() => down.down())
      try {
        for (let i = 0; i < 4; i++) {
          const next = yield* run(["job", "-c", "hello-world", "-n", "auto", "--sync"])
          assert.strictEqual(next.code, 0, next.stderr)
          assert.notStrictEqual(nodeLine(next.stderr), down.url)
        }
        const unseen = yield* run(["results", "--id", first.stdout.trim(), "-n", "auto"])
        assert.strictEqual(unseen.code, 4)
        assert.include(unseen.stderr, "-n auto asks only the nodes that answer")
        const lost = yield* run(["results", "--id", first.stdout.trim(), "-n", down.address])
        assert.strictEqual(lost.code, 3)
        assert.include(lost.stderr, `cannot reach the node at ${down.url}`)
      } finally {
        yield* Effect.promise(() => down.up())
      }
    })
  )

  it.live("no node runs the container: exit code 3, naming the router and the containers", () =>
    Effect.gen(function* () {
      const result = yield* run(["job", "-c", "no-such-container", "-n", "auto"])
      assert.strictEqual(result.code, 3, result.stderr)
      assert.match(
        result.stderr,
        new RegExp(`^error: cannot reach the router at ${router}: no healthy node runs no-such-container`)
      )
    })
  )
})
