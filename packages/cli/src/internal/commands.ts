// The command table of `infernet-client`: one `define({...})` entry per command (descriptor, flags, examples and
// handler), listed in COMMANDS. Help, the README's command reference and the parser are all built from it: adding a
// command is one entry plus its handler.
import { Command } from "@effect/cli"
import { NodeClient, NodeClientError, NodePool } from "@infernet/client"
import { Job, Json, Primitives } from "@infernet/types"
import { Duration, Effect, Logger, LogLevel, Option, Schema, Stream } from "effect"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import * as Input from "./input.js"
import { Io } from "./Io.js"
import * as Network from "./network.js"
import * as Output from "./output.js"
import { withProgress } from "./progress.js"
import * as Router from "./router.js"
import { define, type Env, NAME, root } from "./root.js"
import * as Spec from "./spec.js"
import * as Sub from "./sub.js"
import { VERSION } from "./version.js"
import * as Wallet from "./wallet.js"

export { define, type Env, NAME, root } from "./root.js"

/**
 * Runs `body` with the merged global flags and a `NodeClient` for the node at `--url` (or `node`, when given),
 * mapping client failures to `CliError`s.
 */
const withNode = <A extends Flags.GlobalFlags, R>(
  flags: A,
  body: (
    client: NodeClient.Service,
    globals: Flags.Globals
  ) => Effect.Effect<void, CliError.CliError | NodeClientError.NodeClientError, R>,
  node?: string
) =>
  Effect.gen(function* () {
    const rootFlags = yield* root
    const resolved = yield* Flags.resolveGlobals(rootFlags, flags)
    const globals = node === undefined ? resolved : { ...resolved, url: node }
    // An unusable -o is reported before anything is sent: a job created whose id cannot be written is lost.
    const output = (flags as { readonly output?: Option.Option<string> }).output
    if (output !== undefined && Option.isSome(output)) yield* Output.checkWritable(output.value)
    const client = yield* NodeClient.make({
      baseUrl: globals.url,
      timeout: Duration.seconds(globals.timeoutSeconds),
      userAgent: `${NAME}/${VERSION}`
    })
    return yield* body(client, globals).pipe(
      Effect.catchIf(NodeClientError.isNodeClientError, (error) =>
        Effect.fail(Errors.fromNodeClientError(error, globals.url))
      )
    )
  })

/** What `job`, `stream` and `results` ask: one node's `NodeClient`, or with `--node auto` a `NodePool`. */
interface JobTarget {
  readonly requestJob: NodeClient.Service["requestJob"]
  readonly getJobResultSync: NodeClient.Service["getJobResultSync"]
  readonly getJobResults: NodeClient.Service["getJobResults"]
  readonly requestStream: NodeClient.Service["requestStream"]
}

/** `-n/--node` of `job`, `stream` and `results`. */
const jobNodeFlag = Spec.text({
  name: "node",
  short: "n",
  arg: "NODE",
  summary: "This node (host:port or URL), or auto: via the router"
})

const AUTO_NOTE =
  "With -n auto, a node is picked through the Infernet Router at ROUTER_URL (default " +
  `${Router.DEFAULT_ROUTER_URL}): a healthy node running all the containers, least busy first, the next one when ` +
  "it refuses the job. 'Node: <url>' on stderr says which node took the job; ask it again with -n host:port."

/**
 * Runs `body` against the node of `--node` (`host:port` or URL), else `--url`/`SERVER_URL`, or with `--node auto`
 * against a `NodePool` discovering nodes through the router (running `containers`, when given; every node the router
 * lists otherwise). A job created through the pool is announced on stderr as `Node: <url>`.
 */
const withJobTarget = <A extends Flags.GlobalFlags & { readonly node: Option.Option<string> }, R>(
  flags: A,
  containers: ReadonlyArray<string> | undefined,
  body: (
    target: JobTarget,
    globals: Flags.Globals
  ) => Effect.Effect<void, CliError.CliError | NodeClientError.NodeClientError, R>
) =>
  Effect.gen(function* () {
    if (Option.isNone(flags.node)) return yield* withNode(flags, body)
    if (flags.node.value.trim() !== "auto") {
      return yield* withNode(flags, body, yield* Flags.nodeUrl(flags.node.value, "--node"))
    }
    const rootFlags = yield* root
    const router = yield* Router.routerUrl(Option.none())
    // The router stands in for the node in messages (and SERVER_URL, not used, is not checked).
    const globals = yield* Flags.resolveGlobals(rootFlags, { ...flags, url: Option.some(router) })
    const output = (flags as { readonly output?: Option.Option<string> }).output
    if (output !== undefined && Option.isSome(output)) yield* Output.checkWritable(output.value)
    const io = yield* Io
    const timeout = Duration.seconds(globals.timeoutSeconds)
    const userAgent = `${NAME}/${VERSION}`
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const pool = yield* NodePool.make({
          router: {
            url: router,
            timeout,
            retry: false,
            userAgent,
            ...(containers === undefined ? {} : { containers })
          },
          client: { timeout, userAgent }
        })
        const announce = (node: string) => io.stderr.write(`Node: ${node}\n`)
        const target: JobTarget = {
          requestJob: (request, options) =>
            pool.submitJob(request, options).pipe(
              Effect.tap(({ node }) => announce(node)),
              Effect.map(({ id }) => id)
            ),
          getJobResultSync: pool.getJobResultSync,
          getJobResults: pool.getJobResults,
          requestStream: (request, options) =>
            pool.requestStream(request, options).pipe(Effect.tap((response) => announce(response.node)))
        }
        return yield* body(target, globals)
      })
    ).pipe(
      // The pool's warnings (e.g. an invalid address skipped from the router's list) would go to stdout, mixed with
      // the command's output: a failure that matters reaches the user as the one `error:` line instead.
      Logger.withMinimumLogLevel(LogLevel.Error),
      Effect.catchIf(NodeClientError.isNodeClientError, (error) =>
        Effect.fail(Errors.fromNodeClientError(error, router))
      )
    )
  })

const readData = (source: Option.Option<string>) =>
  Input.readJson(source, Json.JsonObject, "the job's data (a JSON object)")

const interruptedHint = (io: Io["Type"], id: string) =>
  io.stderr.write(
    `Interrupted. Job ${id} keeps running on the node; fetch its result with: ${NAME} results --id ${id}\n`
  )

// Any non-empty string: the node issues UUIDs, but an id recorded with `PUT /api/status` may be any string.
const jobId = (value: string) =>
  Schema.decodeUnknown(Primitives.JobId)(value).pipe(
    Effect.filterOrFail(
      (id) => id !== "",
      () => undefined
    ),
    Effect.mapError(() => Errors.usage(`--id: expected a job id, got ${JSON.stringify(value)}`))
  )

// --- Node ------------------------------------------------------------------------------------------------------------

const health = define({
  name: "health",
  group: "Node",
  summary: "Check the node's health (exit code 1 when not healthy)",
  description: [
    'GET /health. Prints {"healthy": true} and exits with 0 when healthy, 1 when not, 3 when the node cannot be ' +
      "reached, so `infernet-client health || restart-node` works."
  ],
  flags: {},
  examples: [`${NAME} health --url http://localhost:4000`],
  run: (flags) =>
    withNode(flags, (client, globals) =>
      Effect.gen(function* () {
        const healthy = yield* client.health()
        yield* Output.json(Flags.outputOptions(globals, Option.none()), { healthy })
        if (!healthy) {
          return yield* new CliError.CliError({ reason: new CliError.NodeUnhealthy({ url: globals.url }) })
        }
      })
    )
})

const info = define({
  name: "info",
  group: "Node",
  summary: "Print the node's version, containers, pending jobs, chain",
  description: ["GET /info."],
  flags: { output: Flags.output },
  examples: ["export SERVER_URL=http://localhost:4000", `${NAME} info`],
  run: (flags) =>
    withNode(flags, (client, globals) =>
      Effect.flatMap(client.info(), (answer) => Output.json(Flags.outputOptions(globals, flags.output), answer))
    )
})

const nodeFlag = Spec.text({
  name: "node",
  short: "n",
  arg: "NODE",
  summary: "Ask this node (host:port or URL), not the router"
})

const isNotFound = (error: NodeClientError.NodeClientError) =>
  (error.reason._tag === "ApiError" || error.reason._tag === "UnexpectedResponse") && error.reason.status === 404

/**
 * `resources` and `check-model`: ask one node (`--node`, `--url`, `SERVER_URL`) or the router (`ROUTER_URL`, or the
 * public router). A `--url` is asked as a node first, then as a router when it has no /resources, so both ours
 * (`--url NODE`) and Python 1.4's (`--url ROUTER`) work.
 */
const askResources = (
  flags: Flags.GlobalFlags & { readonly node: Option.Option<string>; readonly output: Option.Option<string> },
  modelId: Option.Option<string>
) =>
  Effect.gen(function* () {
    const rootFlags = yield* root
    const explicitUrl = Option.orElse(flags.url, () => rootFlags.url)
    const routerEnv = yield* Flags.env("ROUTER_URL")
    const serverEnv = yield* Flags.env("SERVER_URL")
    const ask = (client: NodeClient.Service) =>
      Option.match(modelId, {
        onNone: () => client.resources() as Effect.Effect<unknown, NodeClientError.NodeClientError>,
        onSome: (model) => client.checkModelSupport(model)
      })
    const print = (globals: Flags.Globals, answer: unknown) =>
      Output.json(Flags.outputOptions(globals, flags.output), answer)
    if (Option.isSome(flags.node)) {
      const node = yield* Flags.nodeUrl(flags.node.value, "--node")
      return yield* withNode(flags, (client, globals) => Effect.flatMap(ask(client), (a) => print(globals, a)), node)
    }
    if (Option.isSome(explicitUrl) || (Option.isNone(routerEnv) && Option.isSome(serverEnv))) {
      return yield* withNode(flags, (client, globals) =>
        ask(client).pipe(
          Effect.catchIf(
            (error) => Option.isSome(explicitUrl) && isNotFound(error),
            () => Router.resources(globals.url, modelId, Duration.seconds(globals.timeoutSeconds))
          ),
          Effect.flatMap((answer) => print(globals, answer))
        )
      )
    }
    const globals = yield* Flags.resolveGlobals(rootFlags, flags)
    const router = Option.getOrElse(routerEnv, () => Router.DEFAULT_ROUTER_URL)
    yield* Flags.validateUrl(router, "ROUTER_URL")
    if (Option.isSome(flags.output)) yield* Output.checkWritable(flags.output.value)
    yield* print(globals, yield* Router.resources(router, modelId, Duration.seconds(globals.timeoutSeconds)))
  })

const resourcesDescription = [
  "Node form: with -n/--node, --url or SERVER_URL, one node answers (GET /resources): container id -> resources.",
  "Router form (Python 1.4): otherwise the router at ROUTER_URL (default " +
    `${Router.DEFAULT_ROUTER_URL}) answers for every node (GET /api/v1/resources): node -> container id -> ` +
    "resources. A --url that is not a node is asked as a router."
]

const resources = define({
  name: "resources",
  group: "Node",
  summary: "Print container resources or model support (node or router)",
  description: resourcesDescription,
  flags: {
    modelId: Spec.text({
      name: "model-id",
      short: "m",
      aliases: ["model_id"],
      arg: "MODEL",
      summary: "Instead, whether each container supports MODEL"
    }),
    node: nodeFlag,
    output: Flags.output
  },
  examples: [
    `${NAME} resources --url http://localhost:4000`,
    `${NAME} resources -n my-node:4000 --model-id gpt-3.5-turbo-16k`,
    `ROUTER_URL=http://my-router:4000 ${NAME} resources`
  ],
  excerpt: { from: 1, why: "these name a node and a router of your own" },
  run: (flags) => askResources(flags, flags.modelId)
})

const checkModel = define({
  name: "check-model",
  group: "Node",
  summary: "Check which containers support a model (node or router)",
  description: ["The same as `resources --model-id MODEL` (GET /resources?model_id=MODEL).", ...resourcesDescription],
  flags: {
    modelId: Spec.requiredText({
      name: "model-id",
      short: "m",
      aliases: ["model_id"],
      arg: "MODEL",
      summary: "The model to look for"
    }),
    node: nodeFlag,
    output: Flags.output
  },
  examples: [`${NAME} check-model -m gpt-3.5-turbo-16k --url http://localhost:4000`, `${NAME} check-model -m gpt-4o`],
  run: (flags) => askResources(flags, Option.some(flags.modelId))
})

// --- Jobs ------------------------------------------------------------------------------------------------------------

const job = define({
  name: "job",
  group: "Jobs",
  summary: "Create a job; print its id, or with --sync its output",
  description: [
    "POST /api/jobs. The input is the job's data: a JSON object, passed to the first container; -i - or no -i " +
      "reads stdin. With --sync, a failed job exits with 1 and a job still running after the last check with 7.",
    AUTO_NOTE
  ],
  flags: {
    containers: Flags.containers,
    input: Flags.input("the job's data"),
    sync: Spec.boolean({ name: "sync", summary: "Wait for the job, then print its output" }),
    retries: Spec.integer({
      name: "retries",
      arg: "N",
      // Not a `default`: without --retries the job is polled for up to 60 s, which is no count.
      summary: "With --sync: give up after N checks (else after 60 s)"
    }),
    requiresProof: Spec.boolean({
      name: "requires-proof",
      summary: "Ask for a proof (the last container must make one)"
    }),
    node: jobNodeFlag,
    output: Flags.output
  },
  examples: [
    `${NAME} job -c openai-inference-0.0.1 -i input-data.json`,
    `${NAME} job -c openai-inference-0.0.1 -i input-data.json --sync --retries 20`,
    `echo '{"prompt": "hi"}' | ${NAME} job -c hello-world --sync`,
    `ROUTER_URL=http://localhost:4100 ${NAME} job -c hello-world -i input-data.json -n auto`
  ],
  run: (flags) =>
    Effect.flatMap(Flags.splitContainers(flags.containers), (containers) =>
      withJobTarget(flags, containers, (client, globals) =>
        Effect.gen(function* () {
          const io = yield* Io
          if (Option.isSome(flags.retries) && flags.retries.value < 1) {
            return yield* Errors.usage(`--retries must be at least 1, got ${flags.retries.value}`)
          }
          if (Option.isSome(flags.retries) && !flags.sync) {
            return yield* Errors.usage("--retries only applies with --sync")
          }
          const data = yield* readData(flags.input)
          const request = flags.requiresProof ? { containers, data, requires_proof: true } : { containers, data }
          const id = yield* client.requestJob(request)
          const output = Flags.outputOptions(globals, flags.output)
          if (!flags.sync) return yield* Output.text(output, id)
          const result = yield* client
            .getJobResultSync(
              id,
              Option.match(flags.retries, { onNone: () => ({}), onSome: (retries) => ({ retries }) })
            )
            .pipe(
              withProgress(`waiting for job ${id}`),
              Effect.onInterrupt(() => interruptedHint(io, id))
            )
          const outcome = result.result
          if (Job.isContainerError(outcome)) {
            return yield* new CliError.CliError({
              reason: new CliError.JobFailed({ id, detail: Errors.describeFailedResult(result) })
            })
          }
          return yield* Output.json(output, outcome === null ? null : outcome.output)
        })
      )
    )
})

const BatchRequests = Schema.Array(Job.JobRequest)

const batch = define({
  name: "batch",
  group: "Jobs",
  summary: "Create several jobs in one request",
  description: [
    'POST /api/jobs/batch. The input is an array of job requests ({"containers", "data"}); the answers come in ' +
      'the same order: {"id"} for a created job, {"error", "params"} for a rejected one. Exit code 4 when any ' +
      "request was rejected."
  ],
  flags: { input: Flags.input("an array of job requests"), output: Flags.output },
  examples: [`${NAME} batch -i requests.json`],
  run: (flags) =>
    withNode(flags, (client, globals) =>
      Effect.gen(function* () {
        const requests = yield* Input.readJson(flags.input, BatchRequests, "an array of job requests")
        const answers = yield* client.requestJobs(requests)
        yield* Output.json(Flags.outputOptions(globals, flags.output), answers)
        const rejected = answers.flatMap((answer, index) =>
          "error" in answer ? [`#${index + 1} ${Errors.describeApiError(answer.error, answer.params)}`] : []
        )
        if (rejected.length > 0) {
          return yield* new CliError.CliError({
            reason: new CliError.NodeRejected({
              detail: `${rejected.length} of ${answers.length} requests rejected: ${rejected.join("; ")}`
            })
          })
        }
      })
    )
})

const results = define({
  name: "results",
  group: "Jobs",
  summary: "Print the results of jobs",
  description: [
    "GET /api/jobs?id=... Ids the node does not know (or created from another address) exit with code 4.",
    "With -n auto, every node the Infernet Router at ROUTER_URL lists is asked; -n host:port (the 'Node:' that " +
      "job printed) asks only that node."
  ],
  flags: {
    id: Spec.repeatedText({ name: "id", arg: "ID", summary: "A job id; repeat for several" }),
    intermediate: Spec.boolean({
      name: "intermediate",
      summary: "Include the earlier containers' outputs too"
    }),
    node: jobNodeFlag,
    output: Flags.output
  },
  examples: [
    `${NAME} results --id b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8 --id 4ac0b5a5-eedb-4688-bb96-75afca891a47`,
    `${NAME} results --id b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8 -n 10.0.0.7:4000`
  ],
  run: (flags) =>
    withJobTarget(flags, undefined, (client, globals) =>
      Effect.gen(function* () {
        const ids = yield* Effect.forEach(flags.id, jobId)
        const found = yield* client.getJobResults(ids, { intermediate: flags.intermediate })
        yield* Output.json(
          Flags.outputOptions(globals, flags.output),
          Schema.encodeSync(Schema.Array(Job.JobResult))(found)
        )
        const missing = ids.filter((id) => !found.some((result) => result.id === id))
        if (missing.length > 0) {
          return yield* new CliError.CliError({
            reason: new CliError.NodeRejected({
              detail:
                `no such job: ${missing.join(", ")} (unknown id, or created from another address` +
                (Option.exists(flags.node, (node) => node.trim() === "auto")
                  ? "; -n auto asks only the nodes that answer: ask the job's node with -n host:port)"
                  : ")")
            })
          })
        }
      })
    )
})

/** How many times `stream` checks the stored result after the stream ended. */
const STREAM_RESULT_POLLS = 10

const stream = define({
  name: "stream",
  group: "Jobs",
  summary: "Create a job and stream its output as it arrives",
  description: [
    "POST /api/jobs/stream: 'Job ID: <id>' on stderr, the text on stdout. Exit code 1 if the job failed.",
    AUTO_NOTE
  ],
  flags: {
    containers: Flags.containers,
    input: Flags.input("the job's data"),
    node: jobNodeFlag,
    output: Flags.output
  },
  examples: [`${NAME} stream -c openai-inference-streaming-0.0.1 -i input-data.json`],
  run: (flags) =>
    Effect.flatMap(Flags.splitContainers(flags.containers), (containers) =>
      withJobTarget(flags, containers, (client) =>
        Effect.gen(function* () {
          const io = yield* Io
          const data = yield* readData(flags.input)
          yield* Effect.scoped(
            Effect.gen(function* () {
              const response = yield* client
                .requestStream({ containers, data })
                .pipe(withProgress("waiting for the node"))
              yield* io.stderr.write(`Job ID: ${response.id}\n`)
              let last = ""
              const toStdout = Stream.runForEach(response.text, (chunk) => {
                if (chunk.length > 0) last = chunk
                return io.stdout.write(chunk)
              }).pipe(
                // Leave the terminal's prompt on a line of its own.
                Effect.zipRight(
                  Effect.suspend(() =>
                    io.stdout.isTTY && last !== "" && !last.endsWith("\n") ? io.stdout.write("\n") : Effect.void
                  )
                )
              )
              yield* Option.match(flags.output, {
                onNone: () => toStdout,
                onSome: (path) => Output.streamToFile(path, response.bytes)
              }).pipe(Effect.onInterrupt(() => interruptedHint(io, response.id)))
              // The node reports no error in-band: a failed container, or its time limit, just ends the stream. The
              // stored result tells how the job really ended.
              yield* response.result({ retries: STREAM_RESULT_POLLS })
            })
          )
        })
      )
    )
})

const ids = define({
  name: "ids",
  group: "Jobs",
  summary: "List the ids of the jobs this client created",
  description: ["GET /api/jobs (the node tells clients apart by address)."],
  flags: {
    status: Spec.choiceWithDefault(
      { name: "status", arg: "STATUS", summary: "all, pending (running) or completed" },
      ["all", "pending", "completed"],
      "all"
    ),
    output: Flags.output
  },
  examples: [`${NAME} ids`, `${NAME} ids --status completed`, `${NAME} ids --status pending`],
  run: (flags) =>
    withNode(flags, (client, globals) =>
      Effect.flatMap(client.getJobs(flags.status === "all" ? {} : { pending: flags.status === "pending" }), (answer) =>
        Output.json(Flags.outputOptions(globals, flags.output), answer)
      )
    )
})

const status = define({
  name: "status",
  group: "Jobs",
  summary: "Record a job's status by hand (from the node's host only)",
  description: ["PUT /api/status. Do not use this unless you know why."],
  flags: {
    id: Spec.requiredText({ name: "id", arg: "ID", summary: "The job id" }),
    status: Spec.requiredChoice({ name: "status", arg: "STATUS", summary: "running, success or failed" }, [
      "running",
      "success",
      "failed"
    ]),
    containers: Flags.containers
  },
  examples: [
    `${NAME} status --id d77215c8-dd25-4843-89c4-788eef9ed324 --status running -c openai-inference`,
    `${NAME} status --id d77215c8-dd25-4843-89c4-788eef9ed324 --status success -c openai-inference`
  ],
  run: (flags) =>
    withNode(flags, (client) =>
      Effect.gen(function* () {
        const id = yield* jobId(flags.id)
        const containers = yield* Flags.splitContainers(flags.containers)
        yield* client.recordStatus(id, flags.status, { containers, data: {} })
        yield* Output.text(Output.stdoutOnly, "Success: Job status recorded.")
      })
    )
})

// --- Subscriptions ---------------------------------------------------------------------------------------------------

const sub = define({
  name: "sub",
  group: "Subscriptions",
  summary: "Sign a delegated subscription and send it to the node",
  description: [
    "Signs with EIP-712 (the key of the owner contract's delegated signer), dry-runs createSubscriptionDelegatee " +
      "(eth_call), then sends it (POST /api/jobs). PRIVATE_KEY holds the key itself, --key a file with it (hex); " +
      "keys are never printed. The default nonce is the Coordinator's maxSubscriberNonce(owner) + 1: Python 1.4's " +
      "default, 0, reuses a nonce, which the Coordinator silently ignores.",
    "params.json holds the subscription, snake_case as in the Python client: owner, active_at, period, frequency, " +
      "redundancy, max_gas_price, max_gas_limit, container_id, inputs (v0); or containers, lazy, verifier, " +
      "payment_amount, payment_token, wallet instead of the last four (v1).",
    "A paid v1 subscription (payment_amount above 0) is checked before signing: its wallet must be one of the " +
      "Registry's WalletFactory and must have approved the owner for payment_amount of payment_token."
  ],
  flags: {
    params: Spec.requiredText({
      name: "params",
      short: "p",
      arg: "FILE",
      summary: "JSON file with the subscription"
    }),
    input: Flags.input("the input data"),
    expiry: Spec.requiredInteger({
      name: "expiry",
      arg: "UNIX_SECONDS",
      summary: "When the signature expires"
    }),
    address: Spec.text({ name: "address", arg: "COORDINATOR", summary: "The Coordinator's address", env: "ADDRESS" }),
    rpcUrl: Spec.text({
      name: "rpc-url",
      aliases: ["rpc_url"],
      arg: "URL",
      summary: "Chain JSON-RPC URL (or --rpc_url)",
      env: "RPC_URL"
    }),
    key: Spec.text({
      name: "key",
      arg: "FILE",
      summary: "File with the signer's key",
      env: "PRIVATE_KEY"
    }),
    nonce: Spec.integer({
      name: "nonce",
      arg: "N",
      summary: "The nonce",
      default: "next unused, not 1.4's 0"
    }),
    skipSimulation: Spec.boolean({
      name: "skip-simulation",
      summary: "Send even if a dry run says it would revert"
    }),
    generation: Spec.choice(
      {
        name: "generation",
        arg: "v0|v1",
        summary: "Coordinator generation",
        default: "from params"
      },
      ["v0", "v1"]
    ),
    ...Wallet.subFlags
  },
  examples: [
    `${NAME} sub --expiry 1713376164 --address 0x1FbDB2315678afecb369f032d93F642f64140aa3 ` +
      "--rpc_url http://some-rpc-url.com --key key-file.txt --params params.json --input input.json"
  ],
  excerpt: { why: "needs a chain RPC, a key file and a Coordinator; the demo runs sub against Anvil" },
  run: (flags) =>
    withNode(flags, (client, globals) =>
      Effect.gen(function* () {
        const prepared = yield* Sub.prepare(flags)
        const data = yield* readData(flags.input)
        // Loaded on first use: the other commands never evaluate @infernet/chain and viem.
        const { DelegatedSubscriptions } = yield* Effect.promise(() => import("@infernet/client/subscriptions"))
        const { request } = yield* DelegatedSubscriptions.request({
          account: prepared.key,
          // Every RPC request bounded by --timeout, as for the wallet commands.
          publicClient: yield* Wallet.rpcClient(prepared.rpcUrl, globals.timeoutSeconds),
          coordinator: prepared.coordinator,
          subscription: prepared.subscription,
          expiry: prepared.expiry,
          nonce: prepared.nonce,
          data,
          simulate: !flags.skipSimulation,
          ...(yield* Wallet.paymentCheck(flags.registry, flags.skipPaymentCheck, prepared.subscription))
        }).pipe(
          Effect.provideService(NodeClient.NodeClient, client),
          Effect.catchIf(NodeClientError.isNodeClientError, (error) => Effect.fail(Sub.withHint(error, globals.url)))
        )
        if (globals.verbose) {
          const io = yield* Io
          const { nonce, expiry } = request.signature
          yield* io.stderr.write(
            `Sent a ${prepared.subscription.version} subscription of ${request.subscription.owner} (nonce ${nonce}, ` +
              `expiry ${expiry}) for the Coordinator at ${prepared.coordinator}\n`
          )
        }
        yield* Output.text(Output.stdoutOnly, "Success: Subscription created.")
      })
    )
})

// --- the table -------------------------------------------------------------------------------------------------------

/**
 * Every command, in the order of the root help within each group. Adding a command: a `define({...})` entry (here or
 * in its own internal module) and its name in this list.
 *
 * @internal
 */
export const COMMANDS: ReadonlyArray<Spec.CommandSpec> = [
  health,
  info,
  resources,
  checkModel,
  job,
  batch,
  results,
  stream,
  ids,
  status,
  sub,
  ...Network.COMMANDS,
  ...Wallet.COMMANDS
]

/** The names of the commands. @internal */
export const SUBCOMMANDS: ReadonlyArray<string> = COMMANDS.map((spec) => spec.name)

/** @internal */
export const command = root.pipe(
  Command.withHandler(() =>
    Effect.fail(Errors.usage(`missing command: one of ${SUBCOMMANDS.join(", ")} (see: ${NAME} --help)`))
  ),
  Command.withDescription("The command line for Infernet nodes"),
  Command.withSubcommands(
    COMMANDS.map((spec) => spec.command) as unknown as [Command.Command<string, Env, CliError.CliError, any>]
  )
)
