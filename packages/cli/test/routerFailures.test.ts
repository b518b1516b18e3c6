// `-n auto` when the router misbehaves (issue #19): a refused, rate-limited or failing router is named in the one
// `error:` line (its URL, status and Retry-After, exit code 3), `results -n auto` fails instead of printing `[]`, and
// invalid addresses in the router's list are skipped while the good nodes take the job.
import { afterAll, assert, beforeAll, describe, it, vi } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { createServer, type Server, type ServerResponse } from "node:http"
import { Effect } from "effect"
import { runInProcess } from "./utils/io.js"
import { closedPort, startTestNode } from "./utils/mock.js"

const INPUT = JSON.stringify({ prompt: "hi" })

/** A router on loopback answering every request with `answer`. */
const fakeRouter = async (answer: (response: ServerResponse) => void): Promise<{ url: string; server: Server }> => {
  const server = createServer((_request, response) => answer(response))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  return { url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`, server }
}

const jsonAnswer =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json", ...headers })
    response.end(JSON.stringify(body))
  }

let node: RunningMockNode
const servers: Array<Server> = []
beforeAll(async () => {
  node = await startTestNode()
}, 30_000)
afterAll(async () => {
  for (const server of servers) server.close()
  await node?.close()
})

const router = async (answer: (response: ServerResponse) => void) => {
  const made = await fakeRouter(answer)
  servers.push(made.server)
  return made.url
}

const run = (args: ReadonlyArray<string>, routerUrl: string) =>
  runInProcess(args, { stdin: INPUT }, { ROUTER_URL: routerUrl })

describe("-n auto names the router when it fails", () => {
  it.live("refused: exit 3, the router's URL and the connection failure", () =>
    Effect.gen(function* () {
      const url = `http://127.0.0.1:${yield* Effect.promise(closedPort)}`
      const result = yield* run(["job", "-c", "hello-world", "-n", "auto"], url)
      assert.strictEqual(result.code, 3, result.stderr)
      assert.match(
        result.stderr,
        new RegExp(`^error: cannot reach the router at ${url}: the connection failed: .*ECONNREFUSED.*\\n$`)
      )
    })
  )

  it.live("429 with Retry-After: its status and the wait, on one line; results -n auto fails too", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(() =>
        router(jsonAnswer(429, { error: "Too Many Requests" }, { "retry-after": "120" }))
      )
      const job = yield* run(["job", "-c", "hello-world", "-n", "auto"], url)
      assert.strictEqual(job.code, 3, job.stderr)
      assert.strictEqual(
        job.stderr,
        `error: cannot reach the router at ${url}: it is rate limiting this client (HTTP 429); retry after 2m. ` +
          "Set the router with ROUTER_URL, or ask one node with -n host:port.\n"
      )
      const results = yield* run(["results", "--id", "b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8", "-n", "auto"], url)
      assert.strictEqual(results.code, 3, results.stderr)
      assert.strictEqual(results.stdout, "")
      assert.include(results.stderr, "(HTTP 429); retry after 2m")
    })
  )

  it.live("500: its status and its error", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(() => router(jsonAnswer(500, { error: "database is down" })))
      const result = yield* run(["job", "-c", "hello-world", "-n", "auto"], url)
      assert.strictEqual(result.code, 3, result.stderr)
      assert.include(
        result.stderr,
        `error: cannot reach the router at ${url}: it answered: database is down (HTTP 500)`
      )
    })
  )
})

describe("-n auto skips invalid addresses from the router", () => {
  it.live("job -n auto takes the good node among bad addresses", () =>
    Effect.gen(function* () {
      const good = new URL(node.url).host
      const url = yield* Effect.promise(() =>
        router(jsonAnswer(200, ["127.0.0.1:99999", "bad host:4000", "ftp://127.0.0.1:21", "[::1:4000", good]))
      )
      // The pool's warning about each skipped address must not reach stdout (console.log) next to the job id.
      const logged: Array<string> = []
      const spy = vi.spyOn(console, "log").mockImplementation((...args) => {
        logged.push(args.map(String).join(" "))
      })
      const result = yield* run(["job", "-c", "hello-world", "-n", "auto"], url).pipe(
        Effect.ensuring(Effect.sync(() => spy.mockRestore()))
      )
      assert.deepStrictEqual(logged, [])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout.trim(), /^[0-9a-f-]{36}$/)
      assert.include(result.stderr, `Node: http://${good}`)
    })
  )
})
