// The READMEs' install lines, beyond what scripts/consumers.mjs runs of them (called from there with one line):
//
//   install-docs   every install command in the READMEs, in code blocks and in prose (`npm i x` in a sentence),
//                  names its packages with a pinned version (`effect@3`; `@infernet/*` and paths excepted), and
//                  the code blocks use one package manager (npm; the READMEs say how to spell it for pnpm/yarn)
//   compose        the client's install line, then the node-mock README's line for a project that has the client:
//                  `effect` and `@effect/platform` stay in dependencies (npm moves a dependency named again with
//                  --save-dev), the mock and its own peers go to devDependencies, one copy of `effect`
//
//   node scripts/consumers-install.mjs    runs install-docs alone (no packing, no install)
import { readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const COMMAND = /\b(npm (?:install|i|add)|pnpm (?:add|install|i)|yarn add)\b([^`\n]*)/g
const PINNED = /^(@[\w.-]+\/)?[\w.-]+@\S+$/

/** The problems of one install command's arguments (`effect` unpinned), as text. */
const unpinned = (args) => {
  const problems = []
  for (const token of args.trim().split(/\s+/)) {
    if (token === "" || /^(#|&&|\|\||;|\|)/.test(token) || token.includes(")")) break
    if (token.startsWith("-") || token.startsWith("@infernet/") || /^[./~]/.test(token) || token.endsWith(".tgz")) {
      continue
    }
    if (!PINNED.test(token)) problems.push(token)
  }
  return problems
}

/** The README text outside fenced code blocks (fences blanked, so line numbers stay), and the blocks. */
const split = (text) => {
  const blocks = []
  const prose = text.replace(/^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```/gm, (match, _indent, lang, code, offset) => {
    blocks.push({ lang, code, line: text.slice(0, offset).split("\n").length + 1 })
    return match.replace(/[^\n]/g, "")
  })
  return { prose, blocks }
}

/**
 * Every install command of a README that names a package without a version, and every `pnpm add` / `yarn add` in
 * its code blocks: `file:line: ...` lines.
 */
export const installProblems = (file, root) => {
  const where = (line) => `${relative(root, file)}:${line}`
  const { prose, blocks } = split(readFileSync(file, "utf8"))
  const problems = []
  const check = (text, line, what) => {
    for (const match of text.matchAll(COMMAND)) {
      const bad = unpinned(match[2])
      if (bad.length > 0) {
        problems.push(
          `${where(line)}: ${what} \`${`${match[1]}${match[2]}`.trim()}\` does not pin ${bad.join(", ")} (write e.g. ${bad[0]}@<major>)`
        )
      }
    }
  }
  // Inline code spans (which may wrap), then the prose around them.
  const lineOf = (offset) => prose.slice(0, offset).split("\n").length
  for (const span of prose.matchAll(/`([^`]+)`/g)) check(span[1].replace(/\s+/g, " "), lineOf(span.index), "prose")
  for (const [i, text] of prose.split("\n").entries()) check(text.replace(/`[^`]*`/g, ""), i + 1, "prose")
  for (const block of blocks) {
    if (block.lang !== "sh") continue
    block.code.split("\n").forEach((text, i) => {
      const command = text.replace(/^\$ /, "").replace(/\s+#.*$/, "")
      check(command, block.line + i, "code")
      if (/^\s*(pnpm add|yarn add)\b/.test(command)) {
        problems.push(`${where(block.line + i)}: \`${command.trim()}\`: the READMEs' commands use npm`)
      }
    })
  }
  return problems
}

/** The two scenarios, run by scripts/consumers.mjs with its helpers. */
export const installScenarios = async (t) => {
  const files = ["root", ...Object.keys(t.PACKAGES)].map(t.readme)

  await t.scenario("install-docs", async () => {
    const problems = files.flatMap((file) => installProblems(file, t.root))
    if (problems.length > 0) t.fail(problems.join("\n"))
    return `${files.length} READMEs: every install command, in code and in prose, pins its packages; npm only`
  })

  await t.scenario("compose", async (report) => {
    const dir = t.project("compose")
    // The line the node-mock README gives for a project that has the client (in a sentence, as inline code).
    const text = readFileSync(t.readme("node-mock"), "utf8")
    const { prose } = split(text)
    const withClient = [...prose.matchAll(/`(npm install --save-dev @infernet\/node-mock[^`]*)`/g)]
      .map((m) => m[1])
      .find((line) => !/\beffect@/.test(line))
    if (withClient === undefined) t.fail("the node-mock README gives no install line for a project with the client")
    t.install(dir, [t.installLines(t.readme("client"))[0], withClient], report)
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    const deps = Object.keys(manifest.dependencies ?? {})
    const dev = Object.keys(manifest.devDependencies ?? {})
    for (const name of ["@infernet/client", "effect", "@effect/platform"]) {
      if (!deps.includes(name) || dev.includes(name)) {
        t.fail(`${name} is not (only) a dependency after \`${withClient}\`: ${JSON.stringify(manifest)}`)
      }
    }
    if (!dev.includes("@infernet/node-mock"))
      t.fail(`@infernet/node-mock is no devDependency: ${JSON.stringify(manifest)}`)
    t.oneCopy(dir, "effect")
    return `the client's line, then \`${withClient}\`: effect and @effect/platform stay dependencies`
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..")
  const files = ["README.md", ...["types", "client", "chain", "node-mock", "cli"].map((p) => `packages/${p}/README.md`)]
  const problems = files.flatMap((file) => installProblems(join(root, file), root))
  for (const problem of problems) console.error(problem)
  console.log(`install-docs: ${files.length} READMEs, ${problems.length} problems`)
  process.exit(problems.length > 0 ? 1 : 0)
}
