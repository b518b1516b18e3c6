// The CLI fault suite: every error row of the README's exit-code table, run against the built binary (node
// dist/bin.js) with a live node-mock and small hostile servers, each case with and without --verbose. Every run has a
// private key in PRIVATE_KEY and, where the command takes one, a key file: no form of either key may appear in
// anything the CLI prints.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { RunningMockNode } from "@infernet/node-mock"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type RunResult, runCli } from "./utils/cli.js"
import { closedPort, serve, silentServer, startTestNode, usagePageParams } from "./utils/mock.js"

// Two well-known test keys (Anvil's accounts 1 and 2): one in a key file, one in the environment.
const FILE_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
const ENV_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
const COORDINATOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"

const dir = mkdtempSync(join(tmpdir(), "infernet-cli-faults-"))
const file = (name: string, content: string) => writeFileSync(join(dir, name), content)
file("key.txt", `${FILE_KEY}\n`)
file("empty-key.txt", "\n")
file("bad-key.txt", "not a private key at all")
file("data.json", '{"prompt": "hi"}')
file("bad.json", '{\n  "prompt": ,\n}\n')
file("array.json", "[1, 2]")
file("params.json", JSON.stringify(usagePageParams(COORDINATOR)))
file("typo-params.json", JSON.stringify({ owner: COORDINATOR, actve_at: 0 }))
mkdirSync(join(dir, "a-directory"))

/** Every spelling of both keys that must never be printed. */
const SECRETS = [FILE_KEY, ENV_KEY].flatMap((key) => [key, key.slice(2)]).map((key) => key.toLowerCase())

/** A server playing a node that answers every request the same way. */
const fixedServer = (status: number, body: string, headers: Record<string, string> = {}) =>
  serve((_, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers })
    response.end(body)
  })

let node: RunningMockNode
let unhealthy: Awaited<ReturnType<typeof fixedServer>>
let rateLimited: Awaited<ReturnType<typeof fixedServer>>
let silent: Awaited<ReturnType<typeof silentServer>>
let closed: string
let lateChain: Awaited<ReturnType<typeof serve>>
const heldSends = new Set<import("node:http").ServerResponse>()

/**
 * A scripted chain (Anvil's chain id, an empty account, fees and gas) that never answers `eth_sendRawTransaction`: a
 * write's transaction leaves, and its answer never comes.
 */
const scriptedChain = () =>
  serve((request, response) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => {
      body += chunk
    })
    request.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string }
      if (method === "eth_sendRawTransaction") {
        heldSends.add(response)
        return
      }
      const results: Record<string, unknown> = {
        eth_chainId: "0x7a69",
        eth_call: "0x",
        eth_getTransactionCount: "0x0",
        eth_maxPriorityFeePerGas: "0x1",
        eth_estimateGas: "0x5208",
        eth_getBlockByNumber: {
          number: "0x1",
          hash: `0x${"11".repeat(32)}`,
          timestamp: "0x1",
          baseFeePerGas: "0x3b9aca00",
          gasLimit: "0x1c9c380",
          gasUsed: "0x0",
          transactions: []
        }
      }
      response.writeHead(200, { "content-type": "application/json" })
      response.end(
        JSON.stringify(
          method in results
            ? { jsonrpc: "2.0", id, result: results[method] }
            : { jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method} here` } }
        )
      )
    })
  })

beforeAll(async () => {
  node = await startTestNode()
  unhealthy = await fixedServer(200, '{"status": "unhealthy"}')
  rateLimited = await fixedServer(429, '{"error": "Too many requests"}', { "retry-after": "0" })
  silent = await silentServer()
  closed = `http://127.0.0.1:${await closedPort()}`
  lateChain = await scriptedChain()
})
afterAll(async () => {
  for (const response of heldSends) response.socket?.destroy()
  await lateChain.close()
  await node.close()
  await unhealthy.close()
  await rateLimited.close()
  await silent.close()
})

interface Case {
  readonly name: string
  readonly args: () => ReadonlyArray<string>
  readonly stdin?: string
  /** What stderr's first line must contain. */
  readonly message: string | RegExp
}

/** `sub` with the usage page's flags and the key file; `overrides` replace flags by name. */
const sub = (overrides: Record<string, string> = {}) => {
  const flags: Record<string, string> = {
    "--expiry": String(Math.floor(Date.now() / 1000) + 3600),
    "--address": COORDINATOR,
    "--rpc-url": closed,
    "--key": "key.txt",
    "--params": "params.json",
    "--input": "data.json",
    ...overrides
  }
  return ["sub", ...Object.entries(flags).flatMap(([flag, value]) => (value === "" ? [] : [flag, value]))]
}

const table: ReadonlyArray<readonly [code: number, cases: ReadonlyArray<Case>]> = [
  [
    1,
    [
      {
        name: "the job failed (job --sync)",
        args: () => ["job", "-c", "fail", "-i", "data.json", "--sync"],
        message: /^error: job \S+ failed: container fail: /
      },
      {
        name: "the job failed (stream)",
        args: () => ["stream", "-c", "stream-fail", "-i", "data.json"],
        message: /^error: job \S+ failed: /
      },
      {
        name: "the node is not healthy",
        args: () => ["health", "--url", unhealthy.url],
        message: "is not healthy"
      }
    ]
  ],
  [
    2,
    [
      { name: "no command", args: () => [], message: "missing command" },
      { name: "an unknown command", args: () => ["jbo"], message: "jbo" },
      { name: "a missing flag", args: () => ["job", "-i", "data.json"], message: "--containers" },
      { name: "an invalid value", args: () => ["job", "-c", "echo", "--retries", "abc"], message: "--retries" },
      { name: "a bad URL", args: () => ["info", "--url", "localhost:4000"], message: "--url" },
      {
        name: "a key given to --key (0x...)",
        args: () => sub({ "--key": FILE_KEY }),
        message: "--key: looks like a private key: pass a file path or PRIVATE_KEY"
      },
      {
        name: "a key given to --key (bare hex)",
        args: () => sub({ "--key": ENV_KEY.slice(2) }),
        message: "--key: looks like a private key: pass a file path or PRIVATE_KEY"
      },
      {
        name: "a key given as --key=KEY",
        args: () => [...sub({ "--key": "" }), `--key=${FILE_KEY}`],
        message: "--key: looks like a private key"
      },
      // A key-shaped argument anywhere is named, never echoed, whatever error it causes.
      {
        name: "a key glued to -pk (0x...)",
        args: () => ["fund", "-w", COORDINATOR, "-a", "1", `-pk${FILE_KEY}`],
        message: "error: unknown flag: a value that looks like a private key given to fund (a key glued to its flag?"
      },
      {
        name: "a key glued to -pk (bare hex)",
        args: () => ["fund", "-w", COORDINATOR, "-a", "1", `-pk${FILE_KEY.slice(2)}`],
        message: "error: unknown flag: a value that looks like a private key"
      },
      {
        name: "a key as a stray positional argument",
        args: () => ["fund", "-w", COORDINATOR, FILE_KEY, "-a", "1"],
        message: "error: unexpected argument: a value that looks like a private key; pass a key with --key FILE"
      },
      {
        name: "a key after --",
        args: () => ["fund", "-w", COORDINATOR, "-a", "1", "--", FILE_KEY],
        message: "a value that looks like a private key"
      },
      {
        name: "a bare-hex key after -- of a command without arguments",
        args: () => ["info", "--", FILE_KEY.slice(2)],
        message: "a value that looks like a private key"
      },
      {
        name: "a key in place of the command",
        args: () => [FILE_KEY],
        message: "error: unknown command: a value that looks like a private key"
      },
      {
        name: "a key as the value of an integer flag",
        args: () => ["job", "-c", "echo", "--retries", FILE_KEY.slice(2)],
        message: "error: --retries: expected an integer, got a value that looks like a private key"
      }
    ]
  ],
  [
    3,
    [
      { name: "the node is down", args: () => ["info", "--url", closed], message: "cannot reach the node" },
      {
        name: "the node does not answer in time",
        args: () => ["info", "--url", silent.url, "--timeout", "1"],
        message: "no answer within 1s"
      },
      {
        name: "the node is rate limiting",
        args: () => ["info", "--url", rateLimited.url],
        message: "rate limiting this client (HTTP 429)"
      }
    ]
  ],
  [
    4,
    [
      {
        name: "the node rejects the request",
        args: () => ["job", "-c", "non-existent-container", "-i", "data.json"],
        message: "Container not supported (container: non-existent-container)"
      },
      {
        name: "an answer that is not the node's API",
        args: () => ["info", "--url", `${node.url}/not-the-api`],
        message: "(HTTP 404)"
      },
      {
        name: "an unknown job",
        args: () => ["results", "--id", "00000000-0000-4000-8000-000000000000"],
        message: "no such job"
      }
    ]
  ],
  [
    5,
    [
      {
        name: "a missing input file",
        args: () => ["job", "-c", "echo", "-i", "missing.json"],
        message: "missing.json: cannot read: no such file"
      },
      {
        name: "invalid JSON, with line and column",
        args: () => ["job", "-c", "echo", "-i", "bad.json"],
        message: "bad.json:2:13: invalid JSON"
      },
      {
        name: "the wrong shape",
        args: () => ["job", "-c", "echo", "-i", "array.json"],
        message: "array.json: expected the job's data (a JSON object), got an array"
      },
      {
        name: "a directory given to -i",
        args: () => ["job", "-c", "echo", "-i", "a-directory"],
        message: "a-directory: cannot read: is a directory"
      },
      {
        name: "a directory given to -o",
        args: () => ["info", "-o", "a-directory"],
        message: "a-directory: cannot write: is a directory"
      },
      {
        name: "a directory given to -o (stream)",
        args: () => ["stream", "-c", "openai-inference-streaming-0.0.1", "-i", "data.json", "-o", "a-directory"],
        message: "a-directory: cannot write: is a directory"
      },
      {
        name: "a directory given to --key",
        args: () => sub({ "--key": "a-directory" }),
        message: "the key file (--key): cannot read: is a directory"
      },
      {
        name: "a missing key file",
        args: () => sub({ "--key": "no-such-key.txt" }),
        message: "the key file (--key): cannot read: no such file"
      },
      {
        name: "an empty key file",
        args: () => sub({ "--key": "empty-key.txt" }),
        message: "the key file (--key): is empty"
      },
      {
        name: "a directory given to --params",
        args: () => sub({ "--params": "a-directory" }),
        message: "a-directory: cannot read: is a directory"
      },
      {
        name: "a params file with a typo",
        args: () => sub({ "--params": "typo-params.json" }),
        message: 'typo-params.json: unknown field "actve_at"'
      }
    ]
  ],
  [
    6,
    [
      {
        name: "an unusable key",
        args: () => sub({ "--key": "bad-key.txt" }),
        message: "Invalid private key"
      },
      {
        name: "the key from PRIVATE_KEY, an unreachable RPC",
        args: () => sub({ "--key": "" }),
        message: /^error: RPC call \S+ failed/
      },
      {
        name: "the key file, an unreachable RPC",
        args: () => sub(),
        message: /^error: RPC call \S+ failed/
      }
    ]
  ],
  [
    7,
    [
      {
        name: "the job is still running after the last check",
        args: () => ["job", "-c", "slow", "-i", "data.json", "--sync", "--retries", "1"],
        message: "still running after 1 checks"
      }
    ]
  ],
  [
    8,
    [
      {
        name: "a transaction sent, its answer later than --timeout",
        args: () => ["fund", "-w", COORDINATOR, "-a", "1", "--rpc-url", lateChain.url, "--timeout", "1"],
        message:
          /^error: the fund transaction 0x[0-9a-f]{64} may be on chain \(the RPC failed after it was sent: .+\); check it with `infernet-client tx --hash 0x[0-9a-f]{64}`/
      }
    ]
  ]
]

const run = (args: ReadonlyArray<string>, stdin?: string): Promise<RunResult> =>
  runCli(args, {
    cwd: dir,
    env: { SERVER_URL: node.url, PRIVATE_KEY: ENV_KEY },
    ...(stdin === undefined ? {} : { stdin })
  })

const assertNoSecrets = (result: RunResult, label: string) => {
  const output = `${result.stdout}\n${result.stderr}`.toLowerCase()
  for (const secret of SECRETS) assert.notInclude(output, secret, `${label}: key material printed`)
}

describe("fault suite (built binary): every exit code of the README's table, no key material in any output", () => {
  for (const [code, cases] of table) {
    describe(`exit code ${code}`, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const [plain, verbose] = await Promise.all([run(c.args(), c.stdin), run([...c.args(), "--verbose"], c.stdin)])
          // `stream` announces its job, a write its transaction, on stderr before anything can fail: not part of the
          // error.
          for (const result of [plain, verbose]) {
            ;(result as { stderr: string }).stderr = result.stderr
              .replace(/^Job ID: \S+\n/, "")
              .replace(/^Sent transaction 0x[0-9a-f]{64}\n/, "")
          }
          assert.strictEqual(plain.code, code, `plain: ${plain.stderr}`)
          assert.strictEqual(verbose.code, code, `--verbose: ${verbose.stderr}`)
          // One line on stderr, no stack trace; --verbose may add the cause after the same first line.
          assert.match(plain.stderr, /^error: [^\n]+\n$/, plain.stderr)
          const ids = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>")
          assert.strictEqual(ids(verbose.stderr.split("\n")[0]!), ids(plain.stderr.trimEnd()))
          if (typeof c.message === "string") assert.include(plain.stderr, c.message)
          else assert.match(plain.stderr, c.message)
          assertNoSecrets(plain, "plain")
          assertNoSecrets(verbose, "--verbose")
        })
      }
    })
  }

  it("the exit-code table in the README lists exactly the codes tested here, plus 0, 70 and 130", async () => {
    const { readFileSync } = await import("node:fs")
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
    const section = readme.slice(readme.indexOf("## Errors and exit codes"))
    const codes = [...section.matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1]))
    assert.deepStrictEqual(codes, [0, ...table.map(([code]) => code), 70, 130])
  })
})
