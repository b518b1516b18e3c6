// Client addresses: normalisation (IPv4-mapped IPv6 -> IPv4) and matching against lists of IPs and CIDR ranges,
// as the real node's guardian does with Python's ipaddress module (`ip_network(entry, strict=False)`). Plain
// JavaScript (no node:net), so the in-process transport runs outside Node too.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

const parseV4 = (text: string): bigint | undefined => {
  if (!IPV4.test(text)) return undefined
  let value = 0n
  for (const part of text.split(".")) value = (value << 8n) | BigInt(Number(part))
  return value
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/

const parseV6 = (input: string): bigint | undefined => {
  // A zone (fe80::1%eth0) is not part of the address.
  const text = input.includes("%") ? input.slice(0, input.indexOf("%")) : input
  if (text === "" || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined
  const halves = text.split("::")
  if (halves.length > 2) return undefined
  const groups = (half: string): Array<number> | undefined => {
    if (half === "") return []
    const out: Array<number> = []
    const parts = half.split(":")
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseV4(part)
        if (v4 === undefined) return undefined
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn))
      } else if (HEXTET.test(part)) out.push(Number.parseInt(part, 16))
      else return undefined
    }
    return out
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  if (head === undefined || tail === undefined) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  let value = 0n
  for (const group of [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group)
  }
  return value
}

/** `4` or `6` for an IP address, `0` otherwise (as `node:net`'s `isIP`). */
export const isIP = (text: string): 0 | 4 | 6 => (parseV4(text) !== undefined ? 4 : parseV6(text) !== undefined ? 6 : 0)

interface Entry {
  readonly family: 4 | 6
  readonly value: bigint
  readonly prefix: number
}

const parseEntry = (entry: string): Entry | undefined => {
  const slash = entry.indexOf("/")
  const address = slash === -1 ? entry : entry.slice(0, slash)
  const v4 = parseV4(address)
  const family = v4 !== undefined ? 4 : 6
  const value = v4 ?? parseV6(address)
  if (value === undefined) return undefined
  const bits = family === 4 ? 32 : 128
  if (slash === -1) return { family, value, prefix: bits }
  const text = entry.slice(slash + 1)
  if (!/^\d{1,3}$/.test(text)) return undefined
  const prefix = Number(text)
  if (prefix > bits) return undefined
  return { family, value, prefix }
}

export const isIpOrCidr = (entry: string): boolean => parseEntry(entry) !== undefined

/** `::ffff:127.0.0.1` -> `127.0.0.1`; anything else unchanged. */
export const normalizeAddress = (address: string): string =>
  address.startsWith("::ffff:") && parseV4(address.slice(7)) !== undefined ? address.slice(7) : address

export interface AddressMatcher {
  /** True when the list is empty (everything allowed) or the address is in it. */
  readonly allows: (address: string) => boolean
  /** True when the address is in the list (an empty list contains nothing). */
  readonly contains: (address: string) => boolean
}

const inRange = (entry: Entry, family: 4 | 6, value: bigint): boolean => {
  if (entry.family !== family) return false
  const shift = BigInt((family === 4 ? 32 : 128) - entry.prefix)
  // strict=False: the host bits of the entry are ignored.
  return value >> shift === entry.value >> shift
}

export const makeMatcher = (entries: ReadonlyArray<string>): AddressMatcher => {
  const parsed = entries.map(parseEntry).filter((e): e is Entry => e !== undefined)
  const contains = (address: string): boolean => {
    const normalized = normalizeAddress(address)
    const v4 = parseV4(normalized)
    const family = v4 !== undefined ? 4 : 6
    const value = v4 ?? parseV6(normalized)
    if (value === undefined) return false
    return parsed.some((entry) => inRange(entry, family, value))
  }
  return { contains, allows: (address) => entries.length === 0 || contains(address) }
}
