// The Quick start's main job: walks the Infernet usage page with the built `infernet-client`, against a mock node
// (`infernet-node-mock` on a free port) and a local Anvil devnet for the delegated subscription and the payments, then
// discovery: three mock nodes behind the mock Infernet Router (`infernet-node-mock --nodes 3 --router`, free ports),
// `containers`, `find`, jobs routed with `-n auto`, one node stopped and the next job routed around it. Every step prints
// the command line as a user would type it and its output; any unexpected exit code stops the demo with exit 1.
//
//   pnpm --filter @infernet/cli demo        (after pnpm install && pnpm build)
//
// Plain Node ESM on the built packages: @infernet/cli (dist/bin.js), @infernet/node-mock (its bin and default
// configuration) and @infernet/chain/devnet (Anvil from @foundry-rs/anvil, the test Coordinator).
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const BIN = join(here, "..", "dist", "bin.js")
const require = createRequire(import.meta.url)

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text)
const bold = (text) => paint("1", text)
const dim = (text) => paint("2", text)
const green = (text) => paint("32", text)
const red = (text) => paint("31", text)

class StepFailed extends Error {}

const need = (path, what) => {
  if (!existsSync(path)) {
    console.error(red(`demo: ${what} is not built (${path} is missing). Run: pnpm install && pnpm build`))
    process.exit(1)
  }
}

need(BIN, "@infernet/cli")
const mockPackage = require.resolve("@infernet/node-mock/package.json")
const mockBin = join(dirname(mockPackage), JSON.parse(readFileSync(mockPackage, "utf8")).bin["infernet-node-mock"])
need(mockBin, "@infernet/node-mock")

const [{ MockConfig }, devnet] = await Promise.all([
  import("@infernet/node-mock"),
  import("@infernet/chain/devnet")
]).catch((error) => {
  console.error(red(`demo: cannot load the built packages (${error.message}). Run: pnpm install && pnpm build`))
  process.exit(1)
})

const work = mkdtempSync(join(tmpdir(), "infernet-demo-"))
const cleanups = []
const cleanup = async () => {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()()
    } catch {
      // best effort
    }
  }
  rmSync(work, { recursive: true, force: true })
}
process.once("SIGINT", () => cleanup().then(() => process.exit(130)))

const write = (name, value) => {
  writeFileSync(join(work, name), typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`)
  return name
}

const section = (title) => console.log(`\n${bold(`## ${title}`)}`)

const MAX_SHOWN = 800
const show = (text) => {
  if (text === "") return
  const shown =
    text.length > MAX_SHOWN
      ? `${text.slice(0, MAX_SHOWN)}${dim(` ... (${text.length - MAX_SHOWN} more characters)`)}\n`
      : text
  process.stdout.write(shown.endsWith("\n") ? shown : `${shown}\n`)
}

let env = { ...process.env }
for (const key of [
  "SERVER_URL",
  "ROUTER_URL",
  "RPC_URL",
  "ADDRESS",
  "PRIVATE_KEY",
  "FACTORY_ADDRESS",
  "REGISTRY_ADDRESS"
]) {
  delete env[key]
}

/** Runs `infernet-client ...args` in the work directory, prints it, and checks its exit code. */
const client = (args, { expect = 0, stdin } = {}) =>
  new Promise((resolve, reject) => {
    const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(" ")
    console.log(`${green("$")} infernet-client ${quoted}`)
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => {
      show(stderr === "" ? stdout : stdout === "" ? stderr : `${dim(stderr.trimEnd())}\n${stdout}`)
      if (code !== expect) {
        reject(new StepFailed(`infernet-client ${quoted} exited with ${code}, expected ${expect}`))
      } else {
        if (expect !== 0) console.log(dim(`(exit code ${code}, as expected)`))
        resolve({ stdout, stderr })
      }
    })
    child.stdin.end(stdin ?? "")
  })

/**
 * Runs node-mock's own executable with `args` until its banner matches `ready`; resolves to the banner's match and a
 * `close` that stops it.
 */
const runMockBin = (args, ready) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mockBin, ...args], { cwd: work, stdio: ["ignore", "pipe", "pipe"] })
    const what = `infernet-node-mock ${args.join(" ")}`
    let output = ""
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 30_000)
    const onData = (chunk) => {
      output += chunk
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        child.stdout.off("data", onData)
        child.stdout.resume()
        resolve({
          match,
          output,
          close: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done()
              child.once("exit", done)
              child.kill("SIGTERM")
            })
        })
      }
    }
    child.stdout.setEncoding("utf8").on("data", onData)
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      output += chunk
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited with ${code}: ${output}`))
    })
  })

/** Starts the mock node's own executable on a free port and reads its URL from the banner. */
const startMock = async (configFile) => {
  const { match, close } = await runMockBin(["--port", "0", "--config", configFile], /listening on (http:\/\/\S+)/)
  return { url: match[1], close }
}

/**
 * Starts node-mock's executable as a network: three nodes on free ports behind the mock Infernet Router (also on a
 * free port, rate limit off), and reads the nodes' and the router's URLs from its banner.
 */
const startNetwork = async () => {
  const args = ["--nodes", "3", "--router", "--port", "0", "--router-port", "0", "--router-limit", "off"]
  const { match, output, close } = await runMockBin(args, /infernet router on (http:\/\/\S+)/)
  const nodes = [...output.matchAll(/node (\d+) +(http:\/\/\S+) +containers: (.*)/g)].map((m) => ({
    index: Number(m[1]),
    url: m[2],
    containers: m[3]
  }))
  return { router: match[1], nodes, close }
}

/** The node of a `Node: <url>` line that `-n auto` prints on stderr. */
const nodeOf = ({ stderr }) => {
  const match = /^Node: (\S+)$/m.exec(stderr)
  if (match === null) throw new StepFailed(`no "Node:" line on stderr: ${stderr}`)
  return match[1]
}

/** A chaos control of the mock router (loopback only), shown as the curl a user would type. */
const chaos = async (router, path) => {
  console.log(`${green("$")} curl -s -X POST ${router}${path}`)
  const response = await fetch(`${router}${path}`, { method: "POST" })
  show(await response.text())
  if (!response.ok) throw new StepFailed(`POST ${path} answered ${response.status}`)
}

const completion = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
}
const embedding = {
  model: "text-embedding-3-small",
  params: { endpoint: "embeddings", input: "This string is meant to be embedded." }
}
const streaming = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "Deep Learning is " }] }
}

try {
  console.log(bold("infernet-ts demo: the Infernet usage page with infernet-client"))
  console.log(dim(`working directory ${work}`))

  section("Setup: a local Anvil devnet with the test Coordinator, and a mock node")
  const anvil = await devnet.startAnvil()
  cleanups.push(() => anvil.close())
  const signer = anvil.accounts[1]
  const { coordinator, owner } = await devnet.deployTestCoordinator({
    rpcUrl: anvil.rpcUrl,
    generation: "v0",
    signer: signer.address
  })
  console.log(`Anvil ${anvil.rpcUrl} (chain ${anvil.chainId}); Coordinator ${coordinator}; owner contract ${owner}`)
  console.log(`The owner contract delegates signing to ${signer.address} (Anvil account #1).`)
  const config = write("node-config.json", {
    ...MockConfig.defaultConfig,
    chain: {
      ...MockConfig.defaultConfig.chain,
      enabled: true,
      coordinator_address: coordinator,
      rpc_url: anvil.rpcUrl
    },
    mock: { ...MockConfig.defaultConfig.mock, chain_id: anvil.chainId, delegate_signers: { [owner]: signer.address } }
  })
  const node = await startMock(config)
  cleanups.push(() => node.close())
  console.log(`infernet-node-mock ${node.url}`)
  env = { ...env, SERVER_URL: node.url }
  console.log(`${green("$")} export SERVER_URL=${node.url}`)

  section("Information")
  await client(["info"])

  section("Jobs: request")
  write("input-data.json", completion)
  await client(["job", "-c", "openai-inference-0.0.1", "-i", "input-data.json"])

  section("Jobs: batch request (the third container does not exist: the node rejects that one)")
  write("requests.json", [
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["openai-inference-0.0.1"], data: embedding },
    { containers: ["non-existent-container"], data: embedding }
  ])
  const batch = await client(["batch", "-i", "requests.json"], { expect: 4 })
  const [first, second] = JSON.parse(batch.stdout)

  section("Jobs: fetch results")
  await client(["results", "--id", first.id, "--id", second.id])

  section("Jobs: sync request")
  write("input-data.json", embedding)
  await client(["job", "-c", "openai-inference-0.0.1", "-i", "input-data.json", "--sync", "--retries", "20"])

  section("Jobs: streaming")
  write("input-data.json", streaming)
  await client(["stream", "-c", "openai-inference-streaming-0.0.1", "-i", "input-data.json"])

  section("Jobs: get IDs")
  await client(["ids"])
  await client(["ids", "--status", "completed"])
  await client(["ids", "--status", "pending"])

  section("Status: record a job's status by hand")
  await client([
    "status",
    "--id",
    "d77215c8-dd25-4843-89c4-788eef9ed324",
    "--status",
    "running",
    "-c",
    "openai-inference"
  ])
  await client([
    "status",
    "--id",
    "d77215c8-dd25-4843-89c4-788eef9ed324",
    "--status",
    "success",
    "-c",
    "openai-inference"
  ])
  await client(["results", "--id", "d77215c8-dd25-4843-89c4-788eef9ed324"])

  section("Delegated subscription, signed against the devnet's Coordinator")
  write("key-file.txt", `${signer.privateKey}\n`)
  write("input.json", completion)
  write("params.json", {
    owner,
    active_at: 0,
    period: 3,
    frequency: 2,
    redundancy: 2,
    max_gas_price: 1000000000000,
    max_gas_limit: 3000000,
    container_id: "openai-inference",
    inputs: ""
  })
  const expiry = String(Math.floor(Date.now() / 1000) + 3600)
  await client([
    "sub",
    "--expiry",
    expiry,
    "--address",
    coordinator,
    "--rpc_url",
    anvil.rpcUrl,
    "--key",
    "key-file.txt",
    "--params",
    "params.json",
    "--input",
    "input.json"
  ])
  const response = await fetch(`${node.url}/__mock/subscriptions`)
  const recorded = (await response.json()).at(-1)
  const check = recorded?.signature
  console.log(
    dim(
      `node-mock recovered the EIP-712 signer: ${check?.status}${check?.signer === undefined ? "" : ` (${check.signer})`}, nonce ${recorded?.nonce}`
    )
  )
  if (check?.status !== "verified") throw new StepFailed("node-mock could not verify the subscription's signature")

  section("Payments: a wallet for a current (generation 2) Coordinator, funded, approved, and a paid subscription")
  const payer = anvil.accounts[2]
  const v1 = await devnet.deployTestCoordinator({ rpcUrl: anvil.rpcUrl, generation: "v1", signer: signer.address })
  console.log(
    `Generation 2 Coordinator ${v1.coordinator}; its Registry ${v1.registry} names the WalletFactory ${v1.walletFactory}`
  )
  const paidNode = await startMock(
    write("node-config-v1.json", {
      ...MockConfig.defaultConfig,
      chain: {
        ...MockConfig.defaultConfig.chain,
        enabled: true,
        coordinator_address: v1.coordinator,
        rpc_url: anvil.rpcUrl
      },
      mock: {
        ...MockConfig.defaultConfig.mock,
        chain_id: anvil.chainId,
        delegate_signers: { [v1.owner]: signer.address }
      }
    })
  )
  cleanups.push(() => paidNode.close())
  write("payer-key.txt", `${payer.privateKey}\n`)
  env = { ...env, RPC_URL: anvil.rpcUrl }
  console.log(`${green("$")} export RPC_URL=${anvil.rpcUrl}`)
  const created = await client(["create-wallet", "--factory", v1.walletFactory, "--key", "payer-key.txt", "--json"])
  const { wallet } = JSON.parse(created.stdout)
  await client(["fund", "-w", wallet, "-a", "0.01 ether", "--key", "payer-key.txt"])
  await client(["approve", "-w", wallet, "-s", v1.owner, "-a", "1000 gwei", "--key", "payer-key.txt"])
  await client(["balance", "-w", wallet, "-s", v1.owner])
  write("params-paid.json", {
    owner: v1.owner,
    active_at: 0,
    period: 0,
    frequency: 1,
    redundancy: 1,
    containers: ["openai-inference"],
    payment_amount: 2_000_000_000_000,
    wallet
  })
  const paidSub = [
    "sub",
    "--url",
    paidNode.url,
    "--expiry",
    expiry,
    "--address",
    v1.coordinator,
    "--registry",
    v1.registry,
    "--key",
    "key-file.txt",
    "--params",
    "params-paid.json",
    "--input",
    "input.json"
  ]
  console.log(dim("2000 gwei per delivery, but only 1000 gwei approved: the payment check stops it before signing"))
  await client(paidSub, { expect: 6 })
  await client(["approve", "-w", wallet, "-s", v1.owner, "-a", "2000 gwei", "--key", "payer-key.txt"])
  await client(paidSub)
  await client(["withdraw", "-w", wallet, "-a", "0.005 ether", "--key", "payer-key.txt"])

  section("Discovery: three mock nodes behind a mock Infernet Router")
  const network = await startNetwork()
  cleanups.push(() => network.close())
  for (const node of network.nodes) console.log(`node ${node.index}  ${node.url}  containers: ${node.containers}`)
  console.log(`infernet router ${network.router}`)
  env = { ...env, ROUTER_URL: network.router }
  delete env.SERVER_URL
  console.log(`${green("$")} export ROUTER_URL=${network.router}`)
  await client(["containers"])
  await client(["find", "-c", "openai-inference-streaming-0.0.1"])
  await client(["find", "-c", "hello-world", "-n", "2", "--skip", "1"])
  write("hello.json", { prompt: "hello from the router" })
  console.log(dim("-n auto: the router lists the nodes running the container, the least busy one takes the job"))
  const routed = await client(["job", "-c", "hello-world", "-i", "hello.json", "-n", "auto"])
  const taken = nodeOf(routed)
  await client(["results", "--id", routed.stdout.trim(), "-n", "auto"])
  const stopped = network.nodes.find((node) => node.url === taken)
  if (stopped === undefined) throw new StepFailed(`the job went to ${taken}, which is none of the network's nodes`)
  console.log(dim(`Stopping node ${stopped.index} (${stopped.url}), which took that job:`))
  await chaos(network.router, `/__mock/nodes/${stopped.index}/down`)
  console.log(dim("The router still lists it until its next refresh; the pool finds it down and routes around it:"))
  const around = await client(["job", "-c", "hello-world", "-i", "hello.json", "-n", "auto", "--sync"])
  if (nodeOf(around) === stopped.url) throw new StepFailed(`the next job went to the stopped node ${stopped.url}`)
  await chaos(network.router, "/__mock/refresh")
  await client(["find", "-c", "hello-world"])

  section("Done")
  console.log(
    green(
      "Every step of the usage page ran against the mock node and the devnet, and jobs found their way by the router."
    )
  )
  await cleanup()
} catch (error) {
  console.error(red(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`))
  await cleanup()
  process.exit(1)
}
