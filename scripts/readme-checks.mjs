// Helpers of the consumer test (scripts/consumers.mjs) for README blocks: what a block shows it printed, compared with
// what it printed here; and why a block marked `# excerpt: ...` is not run.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// A full id, an id shortened to its first 8 digits (`9dd0438d-...`), or `...` (anything).
const TOKEN = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{8}-\.\.\.|\.\.\.|…)/
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Text as compared: the lines trimmed and joined (a README wraps a long output line; a terminal does not). */
const flat = (text) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .join("")

/**
 * Whether `actual` is what a README shows (`shown`): literally, but for ids (any id; the same id each time it shows
 * the same one, learnt in `ids`, keyed by the first 8 digits) and `...` (any text). Returns a problem, or undefined.
 */
export const compareShown = (shown, actual, ids) => {
  const prefixes = []
  const pattern = flat(shown)
    .split(TOKEN)
    .map((part, i) => {
      if (i % 2 === 0) return escapeRegExp(part)
      if (part === "..." || part === "…") return "[\\s\\S]*?"
      const prefix = part.slice(0, 8)
      const known = ids.get(prefix)
      if (known !== undefined && UUID.test(part)) return escapeRegExp(known)
      prefixes.push(prefix)
      return "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    })
    .join("")
  const match = new RegExp(`^${pattern}$`).exec(flat(actual))
  if (match === null) return `the README shows\n${shown}\nbut it printed\n${actual}`
  for (const [i, prefix] of prefixes.entries()) if (!ids.has(prefix)) ids.set(prefix, match[i + 1])
  return undefined
}

/** `command` with the ids a README showed earlier replaced by those this run got (same first 8 digits). */
export const withIds = (command, ids) =>
  command.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    (id) => ids.get(id.slice(0, 8)) ?? id
  )

/**
 * The steps of an sh block that shows outputs as comments: each command (one or more lines, `\` continuations and
 * multi-line quotes included) and the `# ...` lines right after it, which show what it printed ("" when none).
 */
export const commentedSteps = (code) => {
  const steps = []
  let step
  for (const line of code.split("\n")) {
    if (line.startsWith("#")) {
      if (step !== undefined) step.shown.push(line.replace(/^# ?/, ""))
    } else if (line.trim() !== "") {
      if (step === undefined || step.shown.length > 0) {
        step = { command: [], shown: [] }
        steps.push(step)
      }
      step.command.push(line)
    }
  }
  return steps.map((s) => ({ command: s.command.join("\n"), shown: s.shown.join("\n") }))
}

/** The exit code a transcript step documents: `$ command   # exit code N`, else 0. */
export const documentedExitCode = (command) => Number(/#\s*exit code (\d+)\s*$/m.exec(command)?.[1] ?? 0)

/** The first line of `text` that starts with `error:`, or undefined. */
export const firstErrorLine = (text) => text.split("\n").find((line) => line.startsWith("error:"))

// Why a block is not run: the fixed list. A block marked `# excerpt: <reason>` (or `// excerpt: ...`) names one of
// these, checked against its code where that can be checked.
const REASONS = [
  { label: "needs a chain", test: /^needs a chain RPC\b/ },
  { label: "names your own node", test: /^(names|these name) a node and a router of your own$/ },
  {
    // `client` is ..., `a` and `b` come from ...: the names must be used by the block (and defined elsewhere).
    label: "a fragment",
    test: /^`(\w+)`(?: and `(\w+)`)? (?:is|are|come|as)\b/,
    check: (code, match) =>
      match
        .slice(1)
        .filter((name) => name !== undefined)
        .every((name) => new RegExp(`\\b${name}\\b`).test(code.split("\n").slice(1).join("\n")))
  },
  { label: "a fragment", test: /^imports as in the block above$/, check: (code) => !/^import /m.test(code) },
  { label: "a fragment", test: /^the parameters of \w+ are left out$/, check: (code) => code.includes("/* … */") },
  { label: "runs until Ctrl-C", test: /\bruns?( the network)? until Ctrl-C\b/ },
  { label: "needs your own file", test: /^needs your own file\b/ },
  { label: "changes your shell set-up", test: /^shell set-up\b/ },
  { label: "needs a clone of the repository", test: /^from a clone of the repository\b/ },
  // A framework's or server's own configuration (vite.config.ts, next.config.mjs, nginx): it runs inside that tool.
  {
    label: "another tool's config file",
    test: /^(?:[\w-]+\.config\.[cm]?[jt]s of an? [\w.]+ app|nginx configuration, inside)\b/
  }
]

export const EXCERPT = /^(\/\/|#) excerpt\b/i

/** The reason (a label of the fixed list) of an excerpt block, or a problem (`{ problem }`). */
export const excerptReason = (code) => {
  const first = code.split("\n")[0]
  const why = /^(?:\/\/|#) excerpt: (.+)$/.exec(first)?.[1]
  if (why === undefined) return { problem: `an excerpt with no reason (\`excerpt: <reason>\`): ${first}` }
  for (const reason of REASONS) {
    const match = reason.test.exec(why)
    if (match === null) continue
    if (reason.check !== undefined && !reason.check(code, match)) {
      return { problem: `an excerpt whose reason does not hold for its code (${reason.label}): ${first}` }
    }
    return { label: reason.label }
  }
  return {
    problem: `an excerpt whose reason is not one of: ${[...new Set(REASONS.map((r) => r.label))].join(", ")} (${first}); run the block instead`
  }
}
