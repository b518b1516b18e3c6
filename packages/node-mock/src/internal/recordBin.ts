// `infernet-node-mock record --upstream URL --out FILE`: the recorder from the command line. Loaded by bin.ts only
// for the `record` subcommand. The cassette is written after every exchange, and once more on Ctrl-C or SIGTERM.
import { parseArgs } from "node:util"
import { startRecorder } from "./recorder.js"

export const RECORD_HELP = `Usage: infernet-node-mock record --upstream <url> --out <file> [options]

Serves the node API on its own port, forwards every request to the upstream node, and writes each exchange to a
cassette (JSON) that \`infernet-node-mock --replay <file>\` answers again.

Options:
      --upstream <url>    the node to record, e.g. http://localhost:4000 (required)
      --out <file>        the cassette to write (required; rewritten after every exchange)
  -p, --port <port>       port to listen on (default 4001; 0 picks a free port)
      --host <host>       interface to listen on (default 127.0.0.1)
      --keep-signatures   keep delegated-subscription signatures in the cassette (default: only a hash)
  -h, --help              show this help

Never written: Authorization, cookies and every other header but content-type (requests) and content-type, allow,
retry-after, ratelimit-* (answers); query parameters named like key, token, secret, auth, password or signature.
`

const usageError = (message: string): never => {
  process.stderr.write(`infernet-node-mock record: ${message}\nRun infernet-node-mock record --help for usage.\n`)
  process.exit(2)
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        upstream: { type: "string" },
        out: { type: "string" },
        port: { type: "string", short: "p" },
        host: { type: "string" },
        "keep-signatures": { type: "boolean" },
        help: { type: "boolean", short: "h" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (cause) {
    return usageError((cause as Error).message)
  }
  if (values.help === true) {
    process.stdout.write(RECORD_HELP)
    return
  }
  const upstream = values.upstream as string | undefined
  const out = values.out as string | undefined
  if (upstream === undefined) return usageError("--upstream <url> is required")
  if (out === undefined) return usageError("--out <file> is required")
  try {
    const url = new URL(upstream)
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)")
  } catch {
    return usageError(`--upstream expects an http(s) URL, got ${JSON.stringify(upstream)}`)
  }
  const portText = (values.port as string | undefined) ?? "4001"
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    return usageError(`--port expects a whole number from 0 to 65535, got ${JSON.stringify(portText)}`)
  }
  let recorder: Awaited<ReturnType<typeof startRecorder>>
  try {
    recorder = await startRecorder({
      upstream,
      out,
      port,
      host: (values.host as string | undefined) ?? "127.0.0.1",
      keepSignatures: values["keep-signatures"] === true
    })
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException
    process.stderr.write(
      `infernet-node-mock record: ${error.code === "EADDRINUSE" ? `port ${port} is already in use (try another port, or 0 for a free one)` : error.message}\n`
    )
    process.exit(1)
  }
  process.stdout.write(
    [
      `infernet-node-mock recording on ${recorder.url}`,
      `  forwarding to ${upstream}`,
      `  writing ${out} after every exchange (signatures ${values["keep-signatures"] === true ? "kept" : "hashed"})`,
      "",
      "Press Ctrl-C to stop.",
      ""
    ].join("\n")
  )
  const stop = () => {
    recorder.close().then(() => {
      process.stdout.write(
        `infernet-node-mock record: ${recorder.interactions().length} exchange(s) written to ${out}\n`
      )
      process.exit(0)
    })
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}
