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

  it("refuses a README without the markers", () => {
    assert.throws(() => Docs.updateReadme("# no markers"), /markers/)
  })
})
