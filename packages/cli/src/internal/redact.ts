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

const secrets = new Set<string>()
let pattern: RegExp | undefined

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Registers a secret: it and, for hex keys, its forms with and without `0x` are scrubbed from all later output.
 *
 * @internal
 */
export const register = (secret: string | Redacted.Redacted<string>): void => {
  const value = (typeof secret === "string" ? secret : Redacted.value(secret)).trim()
  if (value.length < MIN_SECRET_LENGTH) return
  const forms = [value]
  const hex = /^(0x)?([0-9a-fA-F]+)$/.exec(value)
  if (hex !== null && hex[2]!.length >= MIN_SECRET_LENGTH) forms.push(hex[2]!)
  for (const form of forms) secrets.add(form)
  // Longest first, so a 0x-prefixed key is replaced whole rather than leaving its "0x".
  pattern = new RegExp(
    [...secrets]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "gi"
  )
}

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
}

/**
 * `text` with every registered secret replaced by `[redacted]`.
 *
 * @internal
 */
export const scrub = (text: string): string => (pattern === undefined ? text : text.replace(pattern, REDACTED))

/**
 * Whether a value looks like a private key itself (32 bytes of hex, `0x` optional) rather than a file path.
 *
 * @internal
 */
export const looksLikeKey = (value: string): boolean => /^(0x)?[0-9a-fA-F]{64}$/.test(value.trim())
