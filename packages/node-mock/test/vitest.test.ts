// @infernet/node-mock/vitest: the global setup, called directly and through a real Vitest run.
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import setup, { globalSetup, optionsFromEnv, providedKey } from "../src/vitest.js"
import { get } from "./utils/http.js"
import { runVitest } from "./utils/vitest.js"

const fakeProject = () => {
  const provided = new Map<string, unknown>()
  return { provided, provide: (key: "infernetNodeUrl", value: string) => void provided.set(key, value) }
}

describe("@infernet/node-mock/vitest", () => {
  it("starts a node, provides its URL, and stops it on teardown", async () => {
    const project = fakeProject()
    const teardown = await setup(project)
    const url = project.provided.get(providedKey) as string
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const info = (await get(url, "/info")).json()
    assert.include(
      info.containers.map((c: { id: string }) => c.id),
      "openai-inference-0.0.1"
    )
    await teardown()
    const closed = await get(url, "/health").then(
      () => "open",
      (error: NodeJS.ErrnoException) => error.code
    )
    assert.strictEqual(closed, "ECONNREFUSED")
  })

  it("takes options, or reads them from INFERNET_NODE_MOCK_* variables", async () => {
    const project = fakeProject()
    const teardown = await globalSetup({ config: { containers: [{ id: "mine" }] } })(project)
    try {
      const info = (await get(project.provided.get(providedKey) as string, "/info")).json()
      assert.deepStrictEqual(
        info.containers.map((c: { id: string }) => c.id),
        ["mine"]
      )
    } finally {
      await teardown()
    }
    assert.deepStrictEqual(
      optionsFromEnv({
        INFERNET_NODE_MOCK_CONFIG: "c.json",
        INFERNET_NODE_MOCK_PORT: "4100",
        INFERNET_NODE_MOCK_SEED: ""
      }),
      { config: "c.json", port: 4100 }
    )
    assert.deepStrictEqual(optionsFromEnv({}), {})
    assert.throws(
      () => optionsFromEnv({ INFERNET_NODE_MOCK_PORT: "x" }),
      /INFERNET_NODE_MOCK_PORT must be a whole number/
    )
  })

  it("works as a user's globalSetup in a real Vitest run", async () => {
    const cwd = fileURLToPath(new URL("./fixtures/vitest-project/", import.meta.url))
    const { code, output } = await runVitest(cwd)
    assert.strictEqual(code, 0, output)
    assert.match(output, /MOCK_URL=http:\/\/127\.0\.0\.1:\d+/)
    assert.match(output, /1 passed/)
  })
})
