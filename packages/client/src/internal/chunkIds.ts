/**
 * Splits a list of job ids into groups whose `GET /api/jobs?id=..&id=..` URLs stay within a length limit.
 */

/** Length of `key=value` once form-encoded, exactly as `URL.searchParams` writes it. */
const encodedLength = (key: string, value: string): number =>
  // Characters form encoding keeps as they are (a UUID has no others) need no URLSearchParams round trip.
  UNENCODED.test(key) && UNENCODED.test(value)
    ? key.length + 1 + value.length
    : new URLSearchParams([[key, value]]).toString().length

const UNENCODED = /^[A-Za-z0-9*\-._]*$/

/**
 * Packs `ids` greedily, in order, into groups such that `prefix` plus `id=<encoded>` joined with `&` stays within
 * `maxUrlLength`. `prefix` is the URL up to and including the `?` and any other parameters with their `&`. An id too
 * long to fit even alone gets a group of its own (the node then decides).
 */
export const chunkIds = (
  prefixLength: number,
  ids: ReadonlyArray<string>,
  maxUrlLength: number
): Array<Array<string>> => {
  const groups: Array<Array<string>> = []
  let current: Array<string> = []
  let length = prefixLength
  for (const id of ids) {
    const added = encodedLength("id", id) + (current.length === 0 ? 0 : 1)
    if (current.length > 0 && length + added > maxUrlLength) {
      groups.push(current)
      current = []
      length = prefixLength
      length += encodedLength("id", id)
    } else {
      length += added
    }
    current.push(id)
  }
  if (current.length > 0) groups.push(current)
  return groups
}
