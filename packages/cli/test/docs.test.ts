// The README's command reference is the one generated from the command descriptors (`pnpm run docs` writes it).
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { COMMANDS } from "../src/internal/commands.js"
import * as Docs from "../src/internal/docs.js"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")

describe("docs", () => {
  it("README.md holds the generated command reference (run `pnpm run docs` after changing a command)", () => {
    assert.strictEqual(readme, Docs.updateReadme(readme))
  })

  it("the reference has every command, its usage, flags and examples", () => {
    const reference = Docs.reference()
    for (const spec of COMMANDS) {
      assert.include(reference, `#### \`${spec.name}\``)
      for (const example of spec.examples) assert.include(reference, example)
      for (const doc of spec.flags) assert.include(reference, `--${doc.name}`)
    }
    assert.match(reference, /^\| `--url URL` +\| The node +\| http:\/\/localhost:4000 +\| `SERVER_URL` +\|$/m)
  })

  it("examples that need more than one local node are in a block marked `# excerpt: why`, after the others", () => {
    const reference = Docs.reference()
    const section = (name: string) => reference.slice(reference.indexOf(`#### \`${name}\``)).split("\n#### ")[0]!
    const blocks = (name: string) => [...section(name).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.split("\n"))
    const resources = blocks("resources")
    assert.strictEqual(resources.length, 2)
    assert.strictEqual(resources[0]![0], "infernet-client resources --url http://localhost:4000")
    assert.strictEqual(resources[1]![0], "# excerpt: these name a node and a router of your own")
    const find = blocks("find")
    assert.strictEqual(find.length, 1)
    assert.strictEqual(find[0]![0], "infernet-client find -c hello-world")
    assert.strictEqual(blocks("info").length, 1)
    assert.isFalse(blocks("info")[0]![0]!.startsWith("#"))
  })

  it("tags every block of the reference with its language (usage lines are text, examples sh)", () => {
    const fences = [...Docs.reference().matchAll(/^```(\w*)\n[\s\S]*?^```$/gm)].map((m) => m[1])
    assert.isAbove(fences.length, 20)
    assert.deepStrictEqual(
      fences.filter((lang) => lang !== "text" && lang !== "sh"),
      []
    )
    assert.include(Docs.reference(), "```text\ninfernet-client batch [flags]\n```")
  })

  it("the start-up table is the run recorded in bench/results/startup.json", () => {
    const recorded = JSON.parse(readFileSync(new URL("../bench/results/startup.json", import.meta.url), "utf8")) as {
      rows: Array<{ medianMs: number; p90Ms: number; ratio: number }>
    }
    const section = readme.slice(readme.indexOf("## Start-up time"), readme.indexOf("## Not a library"))
    const rows = [...section.matchAll(/^\| `.*\| +(\d+) ms \| +(\d+) ms \| +([\d.]+)x \|$/gm)].map((m) => ({
      medianMs: Number(m[1]),
      p90Ms: Number(m[2]),
      ratio: Number(m[3])
    }))
    assert.deepStrictEqual(
      rows,
      recorded.rows.map(({ medianMs, p90Ms, ratio }) => ({ medianMs, p90Ms, ratio }))
    )
  })

  it("refuses a README without the markers", () => {
    assert.throws(() => Docs.updateReadme("# no markers"), /markers/)
  })
})
