// The `infernet-client` executable (bundled into dist/bin.js by scripts/build.mjs).
import { main } from "./Cli.js"

main()
