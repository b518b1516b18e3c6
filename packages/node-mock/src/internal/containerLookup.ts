// Generation-2 subscriptions name their containers by hash only. Like the real node's ContainerLookup, build the
// hash of every ordered combination of configured container ids, up to a bound so large configs stay cheap.
const MAX_COMBINATIONS = 5000

export interface ContainerLookup {
  readonly find: (hash: string) => ReadonlyArray<string> | undefined
  /** False when the bound stopped the enumeration early: a hash not found may still name real containers. */
  readonly complete: boolean
}

export const makeContainerLookup = (ids: ReadonlyArray<string>, hash: (ids: string) => string): ContainerLookup => {
  const table = new Map<string, ReadonlyArray<string>>()
  let complete = true
  let frontier: Array<ReadonlyArray<string>> = [[]]
  for (let length = 1; length <= ids.length; length++) {
    const next: Array<ReadonlyArray<string>> = []
    for (const prefix of frontier) {
      for (const id of ids) if (!prefix.includes(id)) next.push([...prefix, id])
    }
    if (table.size + next.length > MAX_COMBINATIONS) {
      complete = false
      break
    }
    for (const combination of next) table.set(hash(combination.join(",")).toLowerCase(), combination)
    frontier = next
  }
  return { find: (hash) => table.get(hash.toLowerCase()), complete }
}
