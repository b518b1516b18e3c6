// The "vitest-parallel" scenario of scripts/consumers.mjs: node-mock as a test tool in a user's project, from the
// packed tarballs. A two-file Vitest project runs in two parallel worker threads: one file is the node-mock README's
// `mockNodeTest` example as written (the Promise client on each node's in-process fetch), the other reconfigures its
// own nodes' containers and rate limits many times, and drives them through `connectMockNode` over loopback HTTP.
// Both pass only if no test sees another's node.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const CONFIG = `import { defineConfig } from "vitest/config"

export default defineConfig({
  test: { include: ["test/**/*.test.ts"], pool: "threads", fileParallelism: true, minWorkers: 2, maxWorkers: 2 }
})
`

const RECONFIGURE = `import { connectMockNode } from "@infernet/node-mock"
import { mockNodeTest as test } from "@infernet/node-mock/vitest"
import { expect } from "vitest"

test.scoped({ mockNodeOptions: { config: { containers: [{ id: "llm", behavior: { type: "echo" } }] } } })

for (let t = 0; t < 4; t++) {
  test(\`reconfigures its own node, round after round (\${t})\`, async ({ mockNode }) => {
    // The node's typed control over HTTP, as for a node started in another process.
    const control = await connectMockNode(mockNode.url)
    for (let round = 0; round < 10; round++) {
      const limit = 1 + (round % 3)
      await control.setBehavior("llm", { type: "static", output: { t, round } })
      await control.setRateLimit({ limit, period_seconds: 3600 })
      const statuses = []
      for (let i = 0; i <= limit; i++) {
        const response = await fetch(\`\${mockNode.url}/api/jobs\`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ containers: ["llm"], data: { t, round, i } })
        })
        statuses.push(response.status)
        if (response.status === 200) {
          const { id } = await response.json()
          const job = await control.waitForJob(id, "success")
          expect(job.results).toEqual([{ container: "llm", output: { t, round } }])
        }
      }
      expect(statuses).toEqual([...Array(limit).fill(200), 429])
    }
    const posts = (await control.requests()).filter((r) => r.method === "POST" && r.json !== undefined)
    expect(posts.every((r) => (r.json as { data: { t: number } }).data.t === t)).toBe(true)
  })
}
`

export const mockTestsScenario = async ({
  report,
  project,
  install,
  installLines,
  readme,
  codeBlocks,
  cover,
  sh,
  fail,
  oneCopy
}) => {
  const dir = project("vitest-parallel")
  install(dir, [...installLines(readme("node-mock")), ...installLines(readme("client")).slice(0, 1)], report)
  oneCopy(dir, "effect")
  const file = readme("node-mock")
  const example = codeBlocks(file).find((b) => b.lang === "ts" && b.code.includes("mockNodeTest as test"))
  if (example === undefined) fail("the node-mock README has no mockNodeTest example")
  cover(file, example)
  writeFileSync(join(dir, "vitest.config.ts"), CONFIG)
  mkdirSync(join(dir, "test"))
  writeFileSync(join(dir, "test", "readme.test.ts"), example.code)
  writeFileSync(join(dir, "test", "reconfigure.test.ts"), RECONFIGURE)
  const out = sh("npx vitest run 2>&1", dir, { NO_COLOR: "1" })
  if (/Executing an Effect versioned/.test(out)) fail(`Effect version-mismatch warnings:\n${out}`)
  const files = /Test Files\s+(\d+) passed/.exec(out)
  const tests = /Tests\s+(\d+) passed/.exec(out)
  if (files === null || Number(files[1]) !== 2 || tests === null || Number(tests[1]) !== 6) {
    fail(`vitest did not pass 2 files and 6 tests:\n${out}`)
  }
  return "mockNodeTest: the README example and a file reconfiguring its nodes 40 times, in 2 parallel workers, 6 tests passed"
}
