// Help screens and command-line checks, rendered from the command descriptors (spec.ts) rather than by @effect/cli:
// `infernet-client --help` fits one 80x40 terminal, `<command> --help` shows usage, the command's own flags (one line
// each, default and env var in brackets), examples, then the global flags in one short block. Text wraps to the
// terminal's width (`COLUMNS`, 80 when piped); bold only when the caller says so (a terminal, no NO_COLOR).
// Unknown commands and flags are caught here too, with the closest match suggested.
import * as CliError from "../CliError.js"
import type { CommandSpec, FlagDoc } from "./spec.js"
import * as Spec from "./spec.js"
import * as Redact from "./redact.js"

/** @internal */
export interface HelpOptions {
  /** Columns to wrap to. */
  readonly width: number
  /** Bold headings and names (ANSI). */
  readonly color: boolean
}

/** Where to read more. @internal */
export const README_URL = "https://github.com/infernet-ts/infernet-ts/tree/main/packages/cli#readme"

/** What the program is, in one line. @internal */
export const TAGLINE = "the command line for Infernet nodes"

/** Flags every command takes besides the global ones: help, version, completions. @internal */
export const BUILTIN_FLAGS: ReadonlyArray<FlagDoc> = [
  { name: "help", short: "h", summary: "Print help" },
  { name: "version", summary: "Print the version" },
  { name: "completions", arg: "SHELL", summary: "Print a completion script for bash, zsh or fish" }
]

/** The built-in flags in one line of the root help. */
const BUILTINS_LINE = "-h, --help | --version | --completions bash|zsh|fish"

const bold = (text: string, options: HelpOptions) => (options.color ? `\u001b[1m${text}\u001b[22m` : text)

/**
 * Greedy word wrap: the first line starts at column `first` (already written), the next ones are indented by
 * `indent`. Words longer than a line are left whole.
 *
 * @internal
 */
export const wrap = (text: string, width: number, indent: number, first = indent): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  let column = first
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") {
      line = word
      column += word.length
    } else if (column + 1 + word.length <= width) {
      line += ` ${word}`
      column += 1 + word.length
    } else {
      lines.push(line)
      line = word
      column = indent + word.length
    }
  }
  lines.push(line)
  return lines
}

const paragraph = (text: string, width: number, indent = 0): string =>
  wrap(text, width, indent)
    .map((line) => `${" ".repeat(indent)}${line}`)
    .join("\n")

/** `-c, --containers IDS` (or `    --sync`, aligned with the short forms when there are any). */
const label = (doc: FlagDoc, aligned: boolean): string =>
  `${doc.short === undefined ? (aligned ? "    " : "") : `-${doc.short}, `}${Spec.flagLabel(doc)}`

/** The bracketed notes after a flag's summary. @internal */
export const notes = (doc: FlagDoc): Array<string> => [
  ...(doc.required === true ? ["required"] : []),
  ...(doc.default === undefined ? [] : [`default: ${doc.default}`]),
  ...(doc.env === undefined ? [] : [`env: ${doc.env}`])
]

const MAX_LABEL = 26

/** Rows of `label  description`, the description wrapped in its column (or below a label too long for it). */
const table = (rows: ReadonlyArray<readonly [string, string]>, options: HelpOptions): string => {
  const labelWidth = Math.min(MAX_LABEL, Math.max(...rows.map(([l]) => l.length)))
  const column = 2 + labelWidth + 2
  const narrow = options.width - column < 24
  return rows
    .flatMap(([left, right]) => {
      const head = `  ${bold(left, options)}`
      if (narrow || left.length > labelWidth) {
        const indent = narrow ? 8 : column
        return [head, ...wrap(right, options.width, indent).map((line) => `${" ".repeat(indent)}${line}`)]
      }
      const [first, ...rest] = wrap(right, options.width, column)
      return [
        `${head}${" ".repeat(labelWidth - left.length + 2)}${first}`,
        ...rest.map((line) => `${" ".repeat(column)}${line}`)
      ]
    })
    .join("\n")
}

const flagRows = (docs: ReadonlyArray<FlagDoc>): Array<readonly [string, string]> => {
  const aligned = docs.some((doc) => doc.short !== undefined)
  return docs.map((doc) => [label(doc, aligned), [doc.summary, ...notes(doc).map((n) => `[${n}]`)].join(" ")])
}

/**
 * An example command line, broken before its flags with ` \` continuations when wider than the terminal.
 *
 * @internal
 */
export const example = (line: string, width: number): string => {
  const prefix = "  $ "
  if (prefix.length + line.length <= width) return `${prefix}${line}`
  // Words, keeping quoted strings whole; a flag and its value stay together when they fit.
  const words = line.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [line]
  const parts: Array<string> = []
  for (const word of words) {
    const last = parts.at(-1)
    const fits = last !== undefined && 6 + last.length + 1 + word.length + 2 <= width
    if (last !== undefined && fits && !word.startsWith("-") && last.startsWith("-") && !last.includes(" ")) {
      parts[parts.length - 1] = `${last} ${word}`
    } else {
      parts.push(word)
    }
  }
  const lines: Array<string> = []
  let current = ""
  for (const part of parts) {
    const indent = lines.length === 0 ? prefix.length : 6
    if (current !== "" && indent + current.length + 1 + part.length + 2 > width) {
      lines.push(current)
      current = part
    } else {
      current = current === "" ? part : `${current} ${part}`
    }
  }
  lines.push(current)
  return lines.map((l, i) => (i === 0 ? `${prefix}${l}` : `      ${l}`)).join(" \\\n")
}

/** `infernet-client job -c IDS [flags]`: the required flags, then `[flags]`. @internal */
export const usage = (name: string, spec: CommandSpec): string => {
  const required = spec.flags
    .filter((doc) => doc.required === true)
    .map((doc) => {
      const flag = doc.short === undefined ? `--${doc.name}` : `-${doc.short}`
      return `${flag}${doc.arg === undefined ? "" : ` ${doc.arg}`}${doc.repeatable === true ? "..." : ""}`
    })
  return [name, spec.name, ...required, "[flags]"].join(" ")
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`

/**
 * The root help: what it is, usage, the commands by group, the global flags, exit codes, where to read more.
 *
 * @internal
 */
export const root = (
  name: string,
  version: string,
  commands: ReadonlyArray<CommandSpec>,
  globals: ReadonlyArray<FlagDoc>,
  options: HelpOptions
): string => {
  const width = options.width
  const groups = Spec.GROUPS.map((group) => [group, commands.filter((c) => c.group === group)] as const).filter(
    ([, members]) => members.length > 0
  )
  const nameWidth = Math.max(...commands.map((c) => c.name.length))
  const sections = [
    paragraph(`${name} ${version}: ${TAGLINE}`, width),
    `${bold("Usage:", options)} ${name} <command> [flags]`,
    groups
      .map(([group, members]) =>
        [
          bold(`${group}:`, options),
          table(
            members.map((c) => [c.name.padEnd(nameWidth), c.summary] as const),
            options
          )
        ].join("\n")
      )
      .join("\n"),
    [bold("Global flags:", options), table(flagRows(globals), options), `  ${BUILTINS_LINE}`].join("\n"),
    paragraph(`Learn more: ${name} <command> --help; exit codes and more in the README: ${README_URL}`, width)
  ]
  return `${sections.join("\n\n")}\n`
}

/**
 * A command's help: summary, usage, what it does, its own flags, examples, then the global flags in one block.
 *
 * @internal
 */
export const command = (
  name: string,
  spec: CommandSpec,
  globals: ReadonlyArray<FlagDoc>,
  options: HelpOptions
): string => {
  const width = options.width
  const sections = [
    paragraph(sentence(spec.summary), width),
    paragraph(`${bold("Usage:", options)} ${usage(name, spec)}`, width),
    ...spec.description.map((text) => paragraph(text, width)),
    ...(spec.flags.length === 0 ? [] : [[bold("Flags:", options), table(flagRows(spec.flags), options)].join("\n")]),
    [
      bold(spec.examples.length === 1 ? "Example:" : "Examples:", options),
      ...spec.examples.map((line) => example(line, width))
    ].join("\n"),
    [
      bold("Global flags:", options),
      paragraph(
        [
          ...globals.map((doc) => `${Spec.flagLabel(doc)}${doc.env === undefined ? "" : ` [env: ${doc.env}]`},`),
          `-h/--help (details: ${name} --help)`
        ].join(" "),
        width,
        2
      )
    ].join("\n")
  ]
  return `${sections.join("\n\n")}\n`
}

// --- checking the command line ---------------------------------------------------------------------------------------

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions: `jbo` is one edit from `job`).
 *
 * @internal
 */
export const distance = (a: string, b: string): number => {
  const d: Array<Array<number>> = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
      }
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The candidate closest to `word`: within two edits (one for short words), or the only one `word` is a prefix of.
 *
 * @internal
 */
export const closest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  const bare = word.replace(/^-+/, "").toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const d = distance(bare, candidate.replace(/^-+/, "").toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  if (best !== undefined && bestDistance <= (bare.length <= 3 ? 1 : 2)) return best
  const prefixed = candidates.filter((c) => bare.length >= 2 && c.replace(/^-+/, "").startsWith(bare))
  return prefixed.length === 1 ? prefixed[0] : undefined
}

/** What to do with a command line before handing it to the parser. @internal */
export type Check =
  | { readonly _tag: "Run" }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Help"; readonly command: CommandSpec | undefined }
  | { readonly _tag: "Invalid"; readonly error: CliError.CliError }

const usageError = (detail: string) => new CliError.CliError({ reason: new CliError.UsageError({ detail }) })

/** Where a key should go instead of a stray argument. */
const KEY_HINT = "pass a key with --key FILE or PRIVATE_KEY (or -pk KEY)"

/** A word of the command line as messages show it: quoted, or named when it holds a key, which is never echoed. */
const shown = (word: string): string => (Redact.hasKeyShape(word) ? Redact.KEY_SHAPED : JSON.stringify(word))

const find = (docs: ReadonlyArray<FlagDoc>, spelling: string): FlagDoc | undefined =>
  docs.find((doc) => Spec.spellings(doc).includes(spelling))

/**
 * Reads a command line as the descriptors describe it: the command, `--help`/`-h`, `--version`, and any command or
 * flag that does not exist (reported with the closest match), a flag without a value or with an empty one, a value of
 * the wrong shape, a required flag left out. What the descriptors cannot tell is left to the parser.
 *
 * @internal
 */
export const check = (
  name: string,
  args: ReadonlyArray<string>,
  commands: ReadonlyArray<CommandSpec>,
  globals: ReadonlyArray<FlagDoc>
): Check => {
  let spec: CommandSpec | undefined
  let help = false
  let version = false
  let invalid: CliError.CliError | undefined
  const given = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    const isFlag = arg.startsWith("-") && arg !== "-" && !/^-\d/.test(arg)
    if (!isFlag) {
      if (spec !== undefined) {
        invalid ??= usageError(
          Redact.hasKeyShape(arg)
            ? `unexpected argument: ${Redact.KEY_SHAPED}; ${KEY_HINT} (see: ${name} ${spec.name} --help)`
            : `unexpected argument ${JSON.stringify(arg)} (see: ${name} ${spec.name} --help)`
        )
        continue
      }
      if (arg === "help") {
        help = true
        const topic = args[i + 1]
        if (topic === undefined) break
        spec = commands.find((c) => c.name === topic)
        if (spec === undefined) return { _tag: "Invalid", error: unknownCommand(name, topic, commands) }
        break
      }
      spec = commands.find((c) => c.name === arg)
      // After an unknown flag, a word that is no command is most likely that flag's value: report the flag.
      if (spec === undefined && invalid === undefined) {
        return { _tag: "Invalid", error: unknownCommand(name, arg, commands) }
      }
      continue
    }
    const eq = arg.indexOf("=")
    const spelling = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg
    const known = [...(spec?.flags ?? []), ...globals, ...BUILTIN_FLAGS]
    const doc = find(known, spelling)
    if (doc === undefined) {
      invalid ??= unknownFlag(name, spelling, spec, known)
      continue
    }
    if (doc.name === "help") help = true
    if (doc.name === "version") version = true
    given.add(doc.name)
    if (doc.arg === undefined) continue
    const value = spelling === arg ? args[++i] : arg.slice(eq + 1)
    const where = spec === undefined ? name : `${name} ${spec.name}`
    if (value === undefined)
      invalid ??= usageError(`${spelled(doc)} needs a value: ${spelling} ${doc.arg} (see: ${where} --help)`)
    else if (value.trim() === "")
      invalid ??= usageError(`${spelled(doc)}: expected ${doc.arg}, got an empty value (see: ${where} --help)`)
    else invalid ??= invalidValue(`--${doc.name}`, doc, value)
  }
  if (help) return { _tag: "Help", command: spec }
  // A required flag left out: said here in the CLI's words rather than @effect/cli's ("Expected at least 1 value(s)").
  const missing = version ? undefined : spec?.flags.find((doc) => doc.required === true && !given.has(doc.name))
  if (missing !== undefined && spec !== undefined) {
    invalid ??= usageError(
      `missing ${spelled(missing)} ${missing.arg ?? ""}`.trimEnd() +
        `: ${lowerFirst(missing.summary)} (see: ${name} ${spec.name} --help)`
    )
  }
  if (invalid !== undefined) return { _tag: "Invalid", error: invalid }
  if (version) return { _tag: "Version" }
  return { _tag: "Run" }
}

/** `-c/--containers`: the short and the long spelling of a flag. */
const spelled = (doc: FlagDoc): string => (doc.short === undefined ? `--${doc.name}` : `-${doc.short}/--${doc.name}`)

const lowerFirst = (text: string): string =>
  /^[A-Z](?![A-Z])/.test(text) ? `${text[0]!.toLowerCase()}${text.slice(1)}` : text

/** A value the flag cannot take (not an integer, not one of its choices, refused by its check), or `undefined`. */
const invalidValue = (flag: string, doc: FlagDoc, value: string): CliError.CliError | undefined => {
  const problem = doc.validate?.(value)
  if (problem !== undefined) return usageError(`${flag}: ${problem}`)
  if (doc.integer === true && !/^-?\d+$/.test(value.trim())) {
    return usageError(`${flag}: expected an integer, got ${shown(value)}`)
  }
  if (doc.choices !== undefined && !doc.choices.includes(value)) {
    const suggestion = closest(value, doc.choices)
    return usageError(
      `${flag}: expected one of ${doc.choices.join(", ")}, got ${shown(value)}` +
        (suggestion === undefined ? "" : `; did you mean \`${suggestion}\`?`)
    )
  }
  return undefined
}

const unknownCommand = (name: string, word: string, commands: ReadonlyArray<CommandSpec>) => {
  if (Redact.hasKeyShape(word))
    return usageError(`unknown command: ${Redact.KEY_SHAPED}; ${KEY_HINT} (see: ${name} --help)`)
  const suggestion = closest(
    word,
    commands.map((c) => c.name)
  )
  return usageError(
    suggestion === undefined
      ? `unknown command ${JSON.stringify(word)} (see: ${name} --help)`
      : `unknown command ${JSON.stringify(word)}; did you mean \`${suggestion}\`? (see: ${name} --help)`
  )
}

const unknownFlag = (name: string, spelling: string, spec: CommandSpec | undefined, known: ReadonlyArray<FlagDoc>) => {
  const where = spec === undefined ? name : `${name} ${spec.name}`
  if (Redact.hasKeyShape(spelling)) {
    return usageError(
      `unknown flag: ${Redact.KEY_SHAPED}${spec === undefined ? "" : ` given to ${spec.name}`} (a key glued to its ` +
        `flag? put a space in between: -pk KEY; better, pass --key FILE or PRIVATE_KEY) (see: ${where} --help)`
    )
  }
  const suggestion = closest(
    spelling,
    known.flatMap((doc) => Spec.spellings(doc).filter((s) => s.startsWith("--")))
  )
  return usageError(
    `unknown flag ${spelling}${spec === undefined ? "" : ` for ${spec.name}`}` +
      `${suggestion === undefined ? "" : `; did you mean \`${suggestion}\`?`} (see: ${where} --help)`
  )
}
