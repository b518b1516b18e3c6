// Type-checks every `@example` block of the TSDoc in packages/*/src (as scripts/consumers.mjs does for the READMEs'
// blocks): each ```ts block after an `@example` tag becomes a module in a temporary folder inside its package (so
// `@infernet/<pkg>` resolves to the package's sources through the `@infernet/source` condition, and viem, effect, ...
// to the package's own node_modules), then `tsc` checks them under the repository's strict settings (unused locals
// allowed: an example may show a value without using it). A block whose first line is `// excerpt ...` is skipped,
// and so is a package with no library entry point (`@infernet/cli`, a bin).
//
//   node scripts/tsdoc-examples.mjs [pkg ...]        exit code 1 when a block does not compile
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const tsc = join(root, "node_modules", ".bin", "tsc")
const FOLDER = ".tsdoc-examples"

/** The `.ts` files under `dir`, tests and declarations left out. */
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.ts$/.test(entry.name) && !/\.(test|test-d|d)\.ts$/.test(entry.name) ? [path] : []
  })

/** The `@example` blocks of a file: `{ line, code }`, `line` the 1-based line of the opening fence. */
export const examples = (text) => {
  const found = []
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = comment[0].split("\n").map((line) => line.replace(/^\s*\*(?: |$)/, ""))
    const start = text.slice(0, comment.index).split("\n").length
    let inExample = false
    for (let i = 0; i < lines.length; i++) {
      if (/^\s*@example\b/.test(lines[i])) inExample = true
      else if (/^\s*@\w+/.test(lines[i])) inExample = false
      const fence = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i])
      if (!inExample || fence === null) continue
      const body = []
      let j = i + 1
      while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++])
      found.push({ line: start + i, code: body.join("\n") })
      i = j
    }
  }
  return found
}

const packages = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(join(root, "packages"))
let failed = false
let total = 0
for (const pkg of packages) {
  const dir = join(root, "packages", pkg)
  const out = join(dir, FOLDER)
  // A package without a library entry point (the CLI: a bin) has nothing a user could import an example from.
  if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).exports?.["."] === undefined) {
    console.log(`tsdoc-examples: ${pkg}: skipped, no library entry point (package.json exports has no ".")`)
    continue
  }
  const blocks = []
  for (const file of sources(join(dir, "src"))) {
    for (const block of examples(readFileSync(file, "utf8"))) {
      if (/^\s*\/\/ excerpt\b/i.test(block.code)) continue
      blocks.push({ ...block, source: relative(root, file) })
    }
  }
  if (blocks.length === 0) continue
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out)
  const where = new Map()
  blocks.forEach((block, i) => {
    const name = `example-${String(i).padStart(3, "0")}.ts`
    where.set(name, block)
    writeFileSync(join(out, name), `${block.code}\nexport {}\n`)
  })
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
      include: ["*.ts"]
    })
  )
  total += blocks.length
  try {
    execFileSync(tsc, ["-p", join(out, "tsconfig.json"), "--pretty", "false"], { cwd: dir, encoding: "utf8" })
    console.log(`tsdoc-examples: ${pkg}: ${blocks.length} @example blocks compile`)
  } catch (error) {
    failed = true
    // Point at the TSDoc the error is in: example-007.ts(3,5) -> src/X.ts, the block at line N, its line 3.
    const text = `${error.stdout ?? ""}${error.stderr ?? ""}`.replace(
      /(?:\S*\/)?(example-\d{3}\.ts)\((\d+),(\d+)\)/g,
      (_, name, line, column) => {
        const block = where.get(name)
        return `${block.source}:${block.line + Number(line)}:${column} (@example)`
      }
    )
    console.error(`tsdoc-examples: ${pkg}: @example blocks that do not compile:\n${text}`)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
console.log(`tsdoc-examples: ${total} @example blocks checked${failed ? ", some do not compile" : ""}`)
process.exit(failed ? 1 : 0)
