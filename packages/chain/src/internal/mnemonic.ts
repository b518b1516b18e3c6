import { sha256 } from "viem"

/**
 * Checks a BIP-39 mnemonic (word count, words of the list, checksum). Returns a problem description that never
 * quotes the phrase, or `undefined` when it is valid.
 *
 * @internal
 */
export const validateMnemonic = (phrase: string, wordlist: ReadonlyArray<string>): string | undefined => {
  const words = phrase.length === 0 ? [] : phrase.split(" ")
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    return `expected 12, 15, 18, 21 or 24 words, got ${words.length}`
  }
  const index = new Map(wordlist.map((word, i) => [word, i] as const))
  let bits = ""
  for (const [position, word] of words.entries()) {
    const i = index.get(word.normalize("NFKD").toLowerCase())
    if (i === undefined) return `word ${position + 1} is not in the BIP-39 English word list`
    bits += i.toString(2).padStart(11, "0")
  }
  const checksumBits = words.length / 3
  const entropyBits = bits.slice(0, bits.length - checksumBits)
  const entropy = new Uint8Array(entropyBits.length / 8)
  for (let i = 0; i < entropy.length; i++) entropy[i] = Number.parseInt(entropyBits.slice(i * 8, i * 8 + 8), 2)
  const hash = sha256(entropy, "bytes")
  const expected = Array.from(hash.slice(0, 1), (b) => b.toString(2).padStart(8, "0"))
    .join("")
    .slice(0, checksumBits)
  return bits.slice(bits.length - checksumBits) === expected
    ? undefined
    : "the checksum does not match (a word is wrong)"
}
