// `resources` and `check-model` in both forms: one node (node-mock) or the router (a small loopback server serving
// GET /api/v1/resources, or answering 404 as published routers do), chosen by -n, --url, ROUTER_URL and SERVER_URL.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { Duration, Effect, Option } from "effect"
import * as Router from "../src/internal/router.js"
import { runInProcess } from "./utils/io.js"
import { closedPort, serve, silentServer, startTestNode } from "./utils/mock.js"

interface FakeRouter {
  readonly url: string
  readonly requests: Array<string>
  readonly close: () => Promise<void>
}

const NODES = {
  "10.0.0.5:4000": { "openai-inference-0.0.1": { supported: true }, "hello-world": { supported: false } }
}

/** A router serving /api/v1/resources (or, with `serves: false`, answering 404 to everything). */
const fakeRouter = async (serves: boolean): Promise<FakeRouter> => {
  const requests: Array<string> = []
  const server = await serve((request, response) => {
    requests.push(request.url ?? "")
    if (serves && request.url?.startsWith(Router.RESOURCES_PATH)) {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(NODES))
    } else {
      response.writeHead(404, { "content-type": "text/html" })
      response.end("<h1>Not Found</h1>")
    }
  })
  return { ...server, requests }
}

let node: RunningMockNode
let router: FakeRouter
let oldRouter: FakeRouter
beforeAll(async () => {
  node = await startTestNode()
  router = await fakeRouter(true)
  oldRouter = await fakeRouter(false)
})
afterAll(async () => {
  await node.close()
  await router.close()
  await oldRouter.close()
})

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => runInProcess(args, {}, env)

const hostPort = (url: string) => url.replace(/^http:\/\//, "")

describe("resources and check-model: node form and router form", () => {
  it.live("node form: -n host:port, --url and SERVER_URL ask one node", () =>
    Effect.gen(function* () {
      const byNode = yield* run(["check-model", "-m", "gpt-4o", "-n", hostPort(node.url)])
      assert.strictEqual(byNode.code, 0, byNode.stderr)
      const support = JSON.parse(byNode.stdout)
      assert.strictEqual(support["openai-inference-0.0.1"].supported, true)
      // Containers without a /service-resources route (hello-world) are left out, as the node leaves them out.
      assert.notProperty(support, "hello-world")
      const byUrl = yield* run(["check-model", "--model-id", "gpt-4o", "--url", node.url])
      assert.deepStrictEqual(JSON.parse(byUrl.stdout), support)
      const byEnv = yield* run(["resources", "--model-id", "gpt-4o"], { SERVER_URL: node.url })
      assert.deepStrictEqual(JSON.parse(byEnv.stdout), support)
      const all = yield* run(["resources"], { SERVER_URL: node.url })
      assert.includeMembers(Object.keys(JSON.parse(all.stdout)), ["openai-inference-0.0.1"])
      assert.notInclude(Object.keys(JSON.parse(all.stdout)), "hello-world")
      // -n wins over a router in the environment.
      const nodeWins = yield* run(["resources", "-n", node.url], { ROUTER_URL: router.url })
      assert.strictEqual(nodeWins.code, 0, nodeWins.stderr)
      assert.deepStrictEqual(JSON.parse(nodeWins.stdout), JSON.parse(all.stdout))
    })
  )

  it.live("router form: ROUTER_URL (which wins over SERVER_URL), with model_id passed on", () =>
    Effect.gen(function* () {
      const before = router.requests.length
      const result = yield* run(["check-model", "-m", "gpt-4o"], { ROUTER_URL: router.url, SERVER_URL: node.url })
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(JSON.parse(result.stdout), NODES)
      assert.deepStrictEqual(router.requests.slice(before), [`${Router.RESOURCES_PATH}?model_id=gpt-4o`])
      const all = yield* run(["resources"], { ROUTER_URL: router.url })
      assert.deepStrictEqual(JSON.parse(all.stdout), NODES)
      assert.strictEqual(router.requests.at(-1), Router.RESOURCES_PATH)
    })
  )

  it.live("Python 1.4's --url ROUTER: a URL without /resources is asked as a router", () =>
    Effect.gen(function* () {
      const before = router.requests.length
      const result = yield* run(["check-model", "-m", "gpt-4o", "--url", router.url])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.deepStrictEqual(JSON.parse(result.stdout), NODES)
      assert.deepStrictEqual(router.requests.slice(before), [
        "/resources?model_id=gpt-4o",
        `${Router.RESOURCES_PATH}?model_id=gpt-4o`
      ])
    })
  )

  it.live("a router that does not serve /api/v1/resources: one line, exit code 4", () =>
    Effect.gen(function* () {
      const result = yield* run(["resources"], { ROUTER_URL: oldRouter.url })
      assert.strictEqual(result.code, 4)
      assert.strictEqual(
        result.stderr,
        "error: the router rejected the request (HTTP 404): /api/v1/resources is not served here (a router older " +
          "than v1.1, or not a router); ask one node with --node NODE\n"
      )
      assert.strictEqual(result.stdout, "")
      const viaUrl = yield* run(["check-model", "-m", "x", "--url", oldRouter.url])
      assert.strictEqual(viaUrl.code, 4)
      assert.include(viaUrl.stderr, "error: the router rejected the request (HTTP 404)")
    })
  )

  it.live("an unreachable router: exit code 3, names the router", () =>
    Effect.gen(function* () {
      const url = `http://127.0.0.1:${yield* Effect.promise(closedPort)}`
      const result = yield* run(["resources"], { ROUTER_URL: url })
      assert.strictEqual(result.code, 3)
      assert.match(result.stderr, new RegExp(`^error: cannot reach the router at ${url}: .*--node NODE\\.\\n$`))
    })
  )

  it.live("Router.resources fails on a bad timeout budget with the router named", () =>
    Effect.gen(function* () {
      // A router that accepts the connection and never answers: only the timeout can end the request (a refused
      // connection would give "cannot reach" too, without the timeout's wording).
      const silent = yield* Effect.acquireRelease(
        Effect.promise(() => silentServer()),
        (server) => Effect.promise(() => server.close())
      )
      const error = yield* Router.resources(silent.url, Option.none(), Duration.millis(200)).pipe(
        Effect.flip,
        Effect.provide(NodeHttpClient.layer)
      )
      assert.strictEqual(error.exitCode, 3)
      assert.include(error.message, `cannot reach the router at ${silent.url}`)
      assert.include(error.message, "no answer within 200ms (raise it with --timeout SECONDS)")
    }).pipe(Effect.scoped)
  )
})
