// Checks the shape of the published @infernet/cli (after `build`): a bin-only package with no runtime dependencies,
// whose bundle requires nothing but Node's built-in modules, so `npx @infernet/cli` installs one small package.
import { builtinModules } from "node:module"
import { readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
const problems = []

for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) {
  if (pkg[field] !== undefined && Object.keys(pkg[field]).length > 0) {
    problems.push(`package.json has ${field} (${Object.keys(pkg[field]).join(", ")}): the CLI must be self-contained`)
  }
}
for (const file of Object.values(pkg.bin)) {
  if (!pkg.files.includes(file.replace(/^\.\//, ""))) problems.push(`bin ${file} is not in "files"`)
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
const bundle = readFileSync(join(root, "dist", "cli.cjs"), "utf8")
const required = new Set([...bundle.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]))
for (const name of required) {
  if (!builtins.has(name)) problems.push(`dist/cli.cjs requires "${name}", which is not a Node built-in`)
}
const launcher = readFileSync(join(root, "dist", "bin.js"), "utf8")
for (const m of launcher.matchAll(/from "([^"]+)"/g)) {
  if (!builtins.has(m[1])) problems.push(`dist/bin.js imports "${m[1]}", which is not a Node built-in`)
}

const kib = (file) => statSync(join(root, file)).size / 1024
const total = pkg.files.filter((f) => f.startsWith("dist/")).reduce((sum, f) => sum + kib(f), 0)
if (total > 5 * 1024) problems.push(`the published files weigh ${total.toFixed(0)} KiB, over the 5 MiB budget`)

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-package: ${problem}`)
  process.exit(1)
}
console.log(
  `check-package: bin-only, no runtime dependencies, bundle requires only Node built-ins (${[...required].length}); ` +
    `dist ${total.toFixed(0)} KiB`
)
