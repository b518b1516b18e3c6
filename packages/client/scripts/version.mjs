// Writes src/internal/version.ts from package.json, so the User-Agent names the published version. Run by `build`.
import { readFileSync, writeFileSync } from "node:fs"

const root = new URL("..", import.meta.url)
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"))
const file = new URL("src/internal/version.ts", root)
const text = readFileSync(file, "utf8").replace(/export const version = "[^"]*"/, `export const version = "${version}"`)
writeFileSync(file, text)
