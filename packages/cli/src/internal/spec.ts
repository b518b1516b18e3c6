// The command descriptors: the one source of truth for what `infernet-client` accepts. Each flag is described once
// (name, short form, argument, summary, env var, default) and its @effect/cli `Options` is built from that
// description; each command is one `define({...})` entry with its handler. The same descriptors drive parsing and
// validation (@effect/cli), the help screens and the "did you mean" hints (help.ts), shell completions, and the
// README's command reference (docs.ts).
import { Command, Options } from "@effect/cli"
import type { Effect, Option, Redacted } from "effect"
import type * as CliError from "../CliError.js"

/** The groups of the root help, in order. A group with no command is not shown. @internal */
export const GROUPS = ["Node", "Jobs", "Subscriptions", "Network", "Wallet"] as const

/** @internal */
export type Group = (typeof GROUPS)[number]

/** What the help and the README say about a flag. @internal */
export interface FlagDoc {
  /** The long name, without `--`. */
  readonly name: string
  /** The one-letter short form, without `-`. */
  readonly short?: string
  /** Other long names accepted (`rpc_url`), without `--`. */
  readonly aliases?: ReadonlyArray<string>
  /** The argument's placeholder (`FILE`); absent for on/off flags. */
  readonly arg?: string
  /** One line: what the flag does. */
  readonly summary: string
  /** The environment variable read when the flag is absent. */
  readonly env?: string
  /** The default, as shown in `[default: ...]`. */
  readonly default?: string
  readonly required?: boolean
  /** May be given several times. */
  readonly repeatable?: boolean
  /** The value must be an integer. */
  readonly integer?: boolean
  /** The value must be one of these. */
  readonly choices?: ReadonlyArray<string>
  /** Checks the value's shape before anything runs: what is wrong with it (a usage error, exit code 2), or nothing. */
  readonly validate?: (value: string) => string | undefined
}

/** A flag: its description and the @effect/cli option parsing it into an `A`. @internal */
export interface Flag<A> {
  readonly doc: FlagDoc
  readonly options: Options.Options<A>
}

const decorate =
  (doc: FlagDoc) =>
  <A>(options: Options.Options<A>): Options.Options<A> => {
    let decorated = options
    if (doc.short !== undefined) decorated = Options.withAlias(decorated, doc.short)
    for (const alias of doc.aliases ?? []) decorated = Options.withAlias(decorated, alias)
    if (doc.arg !== undefined) decorated = Options.withPseudoName(decorated, doc.arg)
    // For shell completions that show descriptions (zsh, fish).
    return Options.withDescription(decorated, doc.summary)
  }

/** An optional text flag (`--url URL`). @internal */
export const text = (doc: FlagDoc & { readonly arg: string }): Flag<Option.Option<string>> => ({
  doc,
  options: Options.text(doc.name).pipe(decorate(doc), Options.optional)
})

/** A required text flag. @internal */
export const requiredText = (doc: FlagDoc & { readonly arg: string }): Flag<string> => ({
  doc: { ...doc, required: true },
  options: Options.text(doc.name).pipe(decorate(doc))
})

/** A required text flag given one or more times (`--id A --id B`). @internal */
export const repeatedText = (doc: FlagDoc & { readonly arg: string }): Flag<Array<string>> => ({
  doc: { ...doc, required: true, repeatable: true },
  options: Options.text(doc.name).pipe(decorate(doc), Options.atLeast(1))
})

/** An optional secret (`--private-key KEY`): held in a `Redacted`, so it is never shown by accident. @internal */
export const redacted = (doc: FlagDoc & { readonly arg: string }): Flag<Option.Option<Redacted.Redacted<string>>> => ({
  doc,
  options: Options.redacted(doc.name).pipe(decorate(doc), Options.optional)
})

/** An optional integer flag. @internal */
export const integer = (doc: FlagDoc & { readonly arg: string }): Flag<Option.Option<number>> => ({
  doc: { ...doc, integer: true },
  options: Options.integer(doc.name).pipe(decorate(doc), Options.optional)
})

/** A required integer flag. @internal */
export const requiredInteger = (doc: FlagDoc & { readonly arg: string }): Flag<number> => ({
  doc: { ...doc, required: true, integer: true },
  options: Options.integer(doc.name).pipe(decorate(doc))
})

/** An on/off flag. @internal */
export const boolean = (doc: Omit<FlagDoc, "arg">): Flag<boolean> => ({
  doc,
  options: Options.boolean(doc.name).pipe(decorate(doc))
})

/** One of a few words, optional. @internal */
export const choice = <const C extends string>(
  doc: FlagDoc & { readonly arg: string },
  choices: ReadonlyArray<C>
): Flag<Option.Option<C>> => ({
  doc: { ...doc, choices },
  options: Options.choice(doc.name, choices).pipe(decorate(doc), Options.optional)
})

/** One of a few words, required. @internal */
export const requiredChoice = <const C extends string>(
  doc: FlagDoc & { readonly arg: string },
  choices: ReadonlyArray<C>
): Flag<C> => ({
  doc: { ...doc, required: true, choices },
  options: Options.choice(doc.name, choices).pipe(decorate(doc))
})

/** One of a few words, with a default. @internal */
export const choiceWithDefault = <const C extends string>(
  doc: FlagDoc & { readonly arg: string },
  choices: ReadonlyArray<C>,
  fallback: NoInfer<C>
): Flag<C> => ({
  doc: { ...doc, default: fallback, choices },
  options: Options.choice(doc.name, choices).pipe(decorate(doc), Options.withDefault(fallback))
})

/** The values of a record of flags. @internal */
export type Values<F extends Record<string, Flag<any>>> = {
  readonly [K in keyof F]: F[K] extends Flag<infer A> ? A : never
}

/** The @effect/cli options of a record of flags. @internal */
export const optionsOf = <F extends Record<string, Flag<any>>>(
  flags: F
): { readonly [K in keyof F]: F[K] extends Flag<infer A> ? Options.Options<A> : never } =>
  Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, flag.options])) as any

/** A command as the help, the README and the parser see it. @internal */
export interface CommandSpec<R = any> {
  readonly name: string
  readonly group: Group
  /** One line, for the root help's command list. */
  readonly summary: string
  /** Paragraphs for the command's own help and the README, after the summary. */
  readonly description: ReadonlyArray<string>
  /** The command's own flags, in the order they are shown. */
  readonly flags: ReadonlyArray<FlagDoc>
  /** Command lines, without the `$ `. */
  readonly examples: ReadonlyArray<string>
  /** Examples that cannot run against one local node (the README marks them `# excerpt: why`). */
  readonly excerpt: Excerpt | undefined
  /** The @effect/cli command. */
  readonly command: Command.Command<string, any, CliError.CliError, R>
}

/**
 * Examples (from index `from`, default 0) that need more than one node at http://localhost:4000 with an
 * input-data.json (a router, a chain, files or ids of your own): `why` says what.
 *
 * @internal
 */
export interface Excerpt {
  readonly why: string
  readonly from?: number
}

/** What `define` takes: the descriptor, the flags, and the handler. @internal */
export interface Definition<F extends Record<string, Flag<any>>, G, R> {
  readonly name: string
  readonly group: Group
  readonly summary: string
  readonly description?: ReadonlyArray<string>
  readonly flags: F
  readonly examples: ReadonlyArray<string>
  readonly excerpt?: Excerpt
  readonly run: (values: Values<F> & G) => Effect.Effect<void, CliError.CliError, R>
}

/**
 * Builds a command from its definition. `globals` are the flags every command also takes (parsed after the command
 * name; the help shows them once, in their own block).
 *
 * @internal
 */
export const define =
  <G extends Record<string, Flag<any>>>(globals: G) =>
  <F extends Record<string, Flag<any>>, R>(definition: Definition<F, Values<G>, R>): CommandSpec<R> => ({
    name: definition.name,
    group: definition.group,
    summary: definition.summary,
    description: definition.description ?? [],
    flags: Object.values(definition.flags).map((flag) => flag.doc),
    examples: definition.examples,
    excerpt: definition.excerpt,
    command: Command.make(definition.name, { ...optionsOf(globals), ...optionsOf(definition.flags) }, (values) =>
      definition.run(values as unknown as Values<F> & Values<G>)
    ).pipe(Command.withDescription(definition.summary)) as Command.Command<string, any, CliError.CliError, R>
  })

/** `--name ARG`, `-c, --containers IDS`: how a flag is written in usage lines. @internal */
export const flagLabel = (doc: FlagDoc): string => `--${doc.name}${doc.arg === undefined ? "" : ` ${doc.arg}`}`

/** All spellings of a flag: `--containers`, `-c`, `--rpc_url`. @internal */
export const spellings = (doc: FlagDoc): ReadonlyArray<string> => [
  `--${doc.name}`,
  ...(doc.short === undefined ? [] : [`-${doc.short}`]),
  ...(doc.aliases ?? []).map((alias) => (alias.length === 1 ? `-${alias}` : `--${alias}`))
]
