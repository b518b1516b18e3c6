// Key material never reaches the terminal. Keys are held in `Redacted` values end to end and messages never name
// them; as a second line of defence, everything the CLI writes (stdout, stderr, --verbose causes, internal-error
// reports) goes through `scrub`, which replaces any registered secret with `[redacted]`. Secrets are registered from
// the command line (the values of the key flags), from `PRIVATE_KEY`, and from the contents of a key file once read.
import { Redacted } from "effect"

/** What replaces a secret in output. @internal */
export const REDACTED = "[redacted]"

/** Flags whose value is key material or names it (`--key FILE`; `--private-key KEY` / `-pk KEY` as in Python 1.4). */
export const KEY_FLAGS: ReadonlyArray<string> = ["--key", "--private-key", "-pk"]

/** The environment variable holding a private key. @internal */
export const KEY_ENV = "PRIVATE_KEY"

/** Shorter values are not registered: a one-letter file name replaced everywhere would garble every message. */
const MIN_SECRET_LENGTH = 8

/** What a key-shaped command-line argument is called in output, instead of its value. @internal */
export const KEY_SHAPED = "a value that looks like a private key"

/** Each secret (lower case) and what replaces it. */
const secrets = new Map<string, string>()
let pattern: RegExp | undefined

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Registers a secret: it and, for hex keys, its forms with and without `0x` are scrubbed from all later output.
 *
 * @internal
 */
export const register = (secret: string | Redacted.Redacted<string>, replacement: string = REDACTED): void => {
  const value = (typeof secret === "string" ? secret : Redacted.value(secret)).trim()
  if (value.length < MIN_SECRET_LENGTH) return
  const forms = [value]
  const hex = /^(0x)?([0-9a-fA-F]+)$/.exec(value)
  if (hex !== null && hex[2]!.length >= MIN_SECRET_LENGTH) forms.push(hex[2]!)
  // A value given to a key flag stays "[redacted]" even when it is also found key-shaped elsewhere.
  for (const form of forms) {
    const key = form.toLowerCase()
    if (!secrets.has(key) || replacement === REDACTED) secrets.set(key, replacement)
  }
  // Longest first, so a 0x-prefixed key is replaced whole rather than leaving its "0x".
  pattern = new RegExp(
    [...secrets.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "gi"
  )
}

/**
 * Registers the path and query of an RPC URL (`/v3/API_KEY`, `?token=...`): messages name an RPC by its origin, and
 * `--verbose` prints the underlying errors, whose text may hold the whole URL.
 *
 * @internal
 */
export const registerUrl = (url: string): void => {
  try {
    const parsed = new URL(url)
    const rest = `${parsed.pathname === "/" ? "" : parsed.pathname}${parsed.search}`
    if (rest !== "") register(rest)
  } catch {
    // not a URL: nothing to hide
  }
}

/** 32 bytes of hex (`0x` optional) standing alone or glued to other text (`-pk0x...`), not inside a longer hex run. */
const KEY_RUN = /(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-fA-F])/g

/** Flags whose values are 32-byte hex that is not a key (a transaction hash), and may be shown. */
const HASH_FLAGS: ReadonlyArray<string> = ["--hash"]

/**
 * The key-shaped parts of command-line arguments (anywhere, `--` included, except the values of `--hash`): each is
 * replaced by "a value that looks like a private key" in all later output, whatever error it causes.
 *
 * @internal
 */
export const keyShaped = (args: ReadonlyArray<string>): Array<string> => {
  const found: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (HASH_FLAGS.includes(arg) && args[i + 1] !== undefined && !args.slice(0, i).includes("--")) {
      i++
      continue
    }
    if (HASH_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) continue
    for (const match of arg.matchAll(KEY_RUN)) found.push(match[0])
  }
  return found
}

/** Whether `text` holds a key-shaped run (32 bytes of hex). @internal */
export const hasKeyShape = (text: string): boolean => new RegExp(KEY_RUN.source).test(text)

/**
 * Registers the key flags' values found in `args` (before a `--`) and `PRIVATE_KEY` from `env`.
 *
 * @internal
 */
export const registerFromCommandLine = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): void => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (KEY_FLAGS.includes(arg)) {
      const value = args[i + 1]
      if (value !== undefined) register(value)
      continue
    }
    const eq = arg.indexOf("=")
    if (eq > 0 && KEY_FLAGS.includes(arg.slice(0, eq))) register(arg.slice(eq + 1))
  }
  const fromEnv = env[KEY_ENV]
  if (fromEnv !== undefined) register(fromEnv)
  for (const shaped of keyShaped(args)) register(shaped, KEY_SHAPED)
}

/**
 * `text` with every registered secret replaced by `[redacted]`.
 *
 * @internal
 */
export const scrub = (text: string): string =>
  pattern === undefined ? text : text.replace(pattern, (found) => secrets.get(found.toLowerCase()) ?? REDACTED)

/**
 * Whether a value looks like a private key itself (32 bytes of hex, `0x` optional) rather than a file path.
 *
 * @internal
 */
export const looksLikeKey = (value: string): boolean => /^(0x)?[0-9a-fA-F]{64}$/.test(value.trim())
