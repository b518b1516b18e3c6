// Client addresses: normalisation (IPv4-mapped IPv6 -> IPv4) and matching against lists of IPs and CIDR ranges,
// as the real node's guardian does with Python's ipaddress module (`ip_network(entry, strict=False)`).
import { BlockList, isIP } from "node:net"

const parseEntry = (
  entry: string
): { readonly address: string; readonly prefix?: number; readonly family: 4 | 6 } | undefined => {
  const slash = entry.indexOf("/")
  const address = slash === -1 ? entry : entry.slice(0, slash)
  const family = isIP(address)
  if (family !== 4 && family !== 6) return undefined
  if (slash === -1) return { address, family }
  const text = entry.slice(slash + 1)
  if (!/^\d{1,3}$/.test(text)) return undefined
  const prefix = Number(text)
  if (prefix > (family === 4 ? 32 : 128)) return undefined
  return { address, prefix, family }
}

export const isIpOrCidr = (entry: string): boolean => parseEntry(entry) !== undefined

/** `::ffff:127.0.0.1` -> `127.0.0.1`; anything else unchanged. */
export const normalizeAddress = (address: string): string =>
  address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address

export interface AddressMatcher {
  /** True when the list is empty (everything allowed) or the address is in it. */
  readonly allows: (address: string) => boolean
  /** True when the address is in the list (an empty list contains nothing). */
  readonly contains: (address: string) => boolean
}

export const makeMatcher = (entries: ReadonlyArray<string>): AddressMatcher => {
  const list = new BlockList()
  for (const entry of entries) {
    const parsed = parseEntry(entry)
    if (parsed === undefined) continue
    const type = parsed.family === 4 ? "ipv4" : "ipv6"
    if (parsed.prefix === undefined) list.addAddress(parsed.address, type)
    else list.addSubnet(parsed.address, parsed.prefix, type)
  }
  const contains = (address: string): boolean => {
    const normalized = normalizeAddress(address)
    const family = isIP(normalized)
    if (family === 0) return false
    return list.check(normalized, family === 4 ? "ipv4" : "ipv6")
  }
  return { contains, allows: (address) => entries.length === 0 || contains(address) }
}
