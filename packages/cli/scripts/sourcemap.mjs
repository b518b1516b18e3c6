// Makes dist/cli.cjs.map point at files that exist in the published package: the TypeScript sources of the
// @infernet/* packages are copied to dist/sources/<package>/src/, and the mappings into third-party code (effect,
// viem, ...) are dropped, so a --verbose stack trace shows either one of our sources or a position in dist/cli.cjs.
// (Shipping the third-party sources too would more than double the install size.)
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const VALUES = new Map([...CHARS].map((c, i) => [c, i]))

const decodeSegment = (text) => {
  const fields = []
  let value = 0
  let shift = 0
  for (const c of text) {
    const digit = VALUES.get(c)
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
      continue
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return fields
}

const encodeValue = (n) => {
  let v = n < 0 ? (-n << 1) | 1 : n << 1
  let out = ""
  do {
    let digit = v & 31
    v >>>= 5
    if (v > 0) digit |= 32
    out += CHARS[digit]
  } while (v > 0)
  return out
}

/**
 * Rewrites the map at `mapFile` (whose sources are relative to its folder): sources under `packagesDir` are copied
 * into `<dist>/sources/<package>/...` and kept; every other source's mappings become unmapped columns.
 */
export const rewriteSourceMap = (mapFile, packagesDir) => {
  const dist = dirname(mapFile)
  const map = JSON.parse(readFileSync(mapFile, "utf8"))
  const newIndex = new Map()
  const sources = []
  map.sources.forEach((source, i) => {
    const absolute = resolve(dist, source)
    const rel = relative(packagesDir, absolute)
    if (rel.startsWith("..") || rel.split(sep).includes("node_modules") || !rel.endsWith(".ts")) return
    const target = join(dist, "sources", rel)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(absolute, target)
    newIndex.set(i, sources.length)
    sources.push(relative(dist, target).split(sep).join("/"))
  })

  // Absolute state across the map (source, line, column, name); the generated column restarts on each line.
  let source = 0
  let line = 0
  let column = 0
  let name = 0
  let outSource = 0
  let outLine = 0
  let outColumn = 0
  let outName = 0
  const lines = map.mappings.split(";").map((lineText) => {
    let generated = 0
    let outGenerated = 0
    const segments = []
    for (const text of lineText === "" ? [] : lineText.split(",")) {
      const f = decodeSegment(text)
      generated += f[0]
      let keep = false
      if (f.length >= 4) {
        source += f[1]
        line += f[2]
        column += f[3]
        if (f.length >= 5) name += f[4]
        keep = newIndex.has(source)
      }
      let segment = encodeValue(generated - outGenerated)
      outGenerated = generated
      if (keep) {
        const s = newIndex.get(source)
        segment += encodeValue(s - outSource) + encodeValue(line - outLine) + encodeValue(column - outColumn)
        outSource = s
        outLine = line
        outColumn = column
        if (f.length >= 5) {
          segment += encodeValue(name - outName)
          outName = name
        }
      }
      // An unmapped column (generated column only) ends the previous mapping instead of extending it.
      segments.push(segment)
    }
    return segments.join(",")
  })
  writeFileSync(mapFile, JSON.stringify({ version: 3, sources, names: map.names, mappings: lines.join(";") }))
  return sources.length
}
