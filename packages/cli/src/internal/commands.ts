// The command tree of `infernet-client`: one @effect/cli Command per reference command, plus `batch`.
import { Command, HelpDoc, Options } from "@effect/cli"
import type { FileSystem, HttpClient } from "@effect/platform"
import { NodeClient, NodeClientError } from "@infernet/client"
import { Job, Json, Primitives } from "@infernet/types"
import { Duration, Effect, Option, Schema, Stream } from "effect"
import * as CliError from "../CliError.js"
import * as Errors from "./errors.js"
import * as Flags from "./flags.js"
import * as Input from "./input.js"
import { Io } from "./Io.js"
import * as Output from "./output.js"
import { withProgress } from "./progress.js"
import * as Sub from "./sub.js"
import { VERSION } from "./version.js"

/** The program name, as users type it. @internal */
export const NAME = "infernet-client"

/** What every command handler needs from its environment. @internal */
export type Env = Io | FileSystem.FileSystem | HttpClient.HttpClient

/** The root command: the global flags given before the command name. @internal */
export const root = Command.make(NAME, Flags.global)

const describe = (summary: string, examples: ReadonlyArray<string>, notes: ReadonlyArray<string> = []) =>
  HelpDoc.blocks([
    HelpDoc.p(summary),
    ...notes.map((note) => HelpDoc.p(note)),
    HelpDoc.p(examples.length > 1 ? "Examples:" : "Example:"),
    ...examples.map((example) => HelpDoc.p(`  $ ${example}`))
  ])

/**
 * Runs `body` with the merged global flags and a `NodeClient` for the node at `--url`, mapping client failures to
 * `CliError`s.
 */
const withNode = <A extends Flags.GlobalFlags, R>(
  flags: A,
  body: (
    client: NodeClient.Service,
    globals: Flags.Globals
  ) => Effect.Effect<void, CliError.CliError | NodeClientError.NodeClientError, R>
) =>
  Effect.gen(function* () {
    const rootFlags = yield* root
    const globals = yield* Flags.resolveGlobals(rootFlags, flags)
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

const readData = (source: Option.Option<string>) =>
  Input.readJson(source, Json.JsonObject, "the job's data (a JSON object)")

// --- health ----------------------------------------------------------------------------------------------------------

const health = Command.make("health", { ...Flags.global }, (flags) =>
  withNode(flags, (client, globals) =>
    Effect.gen(function* () {
      const healthy = yield* client.health()
      yield* Output.json(Flags.outputOptions(globals, Option.none()), { healthy })
      if (!healthy) {
        return yield* new CliError.CliError({ reason: new CliError.NodeUnhealthy({ url: globals.url }) })
      }
    })
  )
).pipe(
  Command.withDescription(
    describe("Checks the node's health (GET /health). Exit code 0 when healthy, 1 when not, 3 when unreachable.", [
      `${NAME} health --url http://localhost:4000`
    ])
  )
)

// --- info ------------------------------------------------------------------------------------------------------------

const info = Command.make("info", { ...Flags.global, output: Flags.output }, (flags) =>
  withNode(flags, (client, globals) =>
    Effect.flatMap(client.info(), (answer) => Output.json(Flags.outputOptions(globals, flags.output), answer))
  )
).pipe(
  Command.withDescription(
    describe("Prints the node's version, running containers, pending job counts and chain status (GET /info).", [
      "export SERVER_URL=http://localhost:4000",
      `${NAME} info`
    ])
  )
)

// --- resources -------------------------------------------------------------------------------------------------------

const resources = Command.make(
  "resources",
  {
    ...Flags.global,
    modelId: Options.text("model-id").pipe(
      Options.withAlias("model_id"),
      Options.withPseudoName("MODEL"),
      Options.withDescription("Instead of the resources, ask each container whether it supports this model."),
      Options.optional
    ),
    output: Flags.output
  },
  (flags) =>
    withNode(flags, (client, globals) =>
      Effect.flatMap(
        Option.match(flags.modelId, {
          onNone: () => client.resources(),
          onSome: (model) => client.checkModelSupport(model)
        }),
        (answer) => Output.json(Flags.outputOptions(globals, flags.output), answer)
      )
    )
).pipe(
  Command.withDescription(
    describe("Prints each container's resources, or with --model-id whether it supports a model (GET /resources).", [
      `${NAME} resources`,
      `${NAME} resources --model-id gpt-3.5-turbo-16k`
    ])
  )
)

// --- job -------------------------------------------------------------------------------------------------------------

const interruptedHint = (io: Io["Type"], id: string) =>
  io.stderr.write(
    `Interrupted. Job ${id} keeps running on the node; fetch its result with: ${NAME} results --id ${id}\n`
  )

const job = Command.make(
  "job",
  {
    ...Flags.global,
    containers: Flags.containers,
    input: Flags.input("the job's data (a JSON object)"),
    sync: Options.boolean("sync").pipe(
      Options.withDescription("Wait for the job to finish and print its output; exit code 1 if it failed.")
    ),
    retries: Options.integer("retries").pipe(
      Options.withPseudoName("N"),
      Options.withDescription("With --sync: how many times to check for the result before giving up (exit code 7)."),
      Options.optional
    ),
    requiresProof: Options.boolean("requires-proof").pipe(
      Options.withDescription("Ask for a proof: the last container must generate proofs.")
    ),
    output: Flags.output
  },
  (flags) =>
    withNode(flags, (client, globals) =>
      Effect.gen(function* () {
        const io = yield* Io
        const containers = yield* Flags.splitContainers(flags.containers)
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
          .getJobResultSync(id, Option.match(flags.retries, { onNone: () => ({}), onSome: (retries) => ({ retries }) }))
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
).pipe(
  Command.withDescription(
    describe(
      "Creates a job (POST /api/jobs) and prints its id; with --sync, waits and prints the job's output.",
      [
        `${NAME} job -c openai-inference-0.0.1 -i input-data.json`,
        `${NAME} job -c openai-inference-0.0.1 -i input-data.json --sync --retries 20`,
        `echo '{"prompt": "hi"}' | ${NAME} job -c hello-world --sync`
      ],
      ["The input file holds the job's data: a JSON object, passed to the first container."]
    )
  )
)

// --- batch -----------------------------------------------------------------------------------------------------------

const BatchRequests = Schema.Array(Job.JobRequest)

const batch = Command.make(
  "batch",
  { ...Flags.global, input: Flags.input("an array of job requests ({containers, data})"), output: Flags.output },
  (flags) =>
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
).pipe(
  Command.withDescription(
    describe(
      'Creates several jobs in one request (POST /api/jobs/batch) and prints the answers in input order: {"id"} for a ' +
        'created job, {"error", "params"} for a rejected one. Exit code 4 when any request was rejected.',
      [`${NAME} batch -i requests.json`],
      ['requests.json: [{"containers": ["openai-inference-0.0.1"], "data": {...}}, ...]']
    )
  )
)

// --- results ---------------------------------------------------------------------------------------------------------

const jobId = (value: string) =>
  Schema.decodeUnknown(Primitives.JobId)(value).pipe(
    Effect.mapError(() => Errors.usage(`--id: expected a job id (a UUID), got ${JSON.stringify(value)}`))
  )

const results = Command.make(
  "results",
  {
    ...Flags.global,
    id: Options.text("id").pipe(
      Options.withPseudoName("ID"),
      Options.withDescription("A job id; repeat for several jobs."),
      Options.atLeast(1)
    ),
    intermediate: Options.boolean("intermediate").pipe(
      Options.withDescription("Include the outputs of the earlier containers (intermediate_results).")
    ),
    output: Flags.output
  },
  (flags) =>
    withNode(flags, (client, globals) =>
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
              detail: `no such job: ${missing.join(", ")} (unknown id, or created from another address)`
            })
          })
        }
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Prints the results of jobs (GET /api/jobs?id=...). Exit code 4 when the node does not know one of the ids.",
      [`${NAME} results --id b7a7f9a7-8f80-4905-96a9-c9c7d3ef83b8 --id 4ac0b5a5-eedb-4688-bb96-75afca891a47`]
    )
  )
)

/** How many times `stream` checks the stored result after the stream ended. */
const STREAM_RESULT_POLLS = 10

// --- stream ----------------------------------------------------------------------------------------------------------

const stream = Command.make(
  "stream",
  {
    ...Flags.global,
    containers: Flags.containers,
    input: Flags.input("the job's data (a JSON object)"),
    output: Flags.output
  },
  (flags) =>
    withNode(flags, (client) =>
      Effect.gen(function* () {
        const io = yield* Io
        const containers = yield* Flags.splitContainers(flags.containers)
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
).pipe(
  Command.withDescription(
    describe(
      "Creates a job and streams its output (POST /api/jobs/stream): 'Job ID: <id>' on stderr, the text on stdout " +
        "as it arrives. Exit code 1 if the job failed.",
      [`${NAME} stream -c openai-inference-streaming-0.0.1 -i input-data.json`]
    )
  )
)

// --- ids -------------------------------------------------------------------------------------------------------------

const ids = Command.make(
  "ids",
  {
    ...Flags.global,
    status: Options.choice("status", ["all", "pending", "completed"]).pipe(
      Options.withDescription("Which jobs: all (default), pending (running) or completed (finished)."),
      Options.withDefault("all" as const)
    ),
    output: Flags.output
  },
  (flags) =>
    withNode(flags, (client, globals) =>
      Effect.flatMap(client.getJobs(flags.status === "all" ? {} : { pending: flags.status === "pending" }), (answer) =>
        Output.json(Flags.outputOptions(globals, flags.output), answer)
      )
    )
).pipe(
  Command.withDescription(
    describe("Prints the ids of the jobs this client created (GET /api/jobs).", [
      `${NAME} ids`,
      `${NAME} ids --status completed`,
      `${NAME} ids --status pending`
    ])
  )
)

// --- status ----------------------------------------------------------------------------------------------------------

const status = Command.make(
  "status",
  {
    ...Flags.global,
    id: Options.text("id").pipe(Options.withPseudoName("ID"), Options.withDescription("The job id.")),
    status: Options.choice("status", ["running", "success", "failed"]).pipe(
      Options.withDescription("The status to record.")
    ),
    containers: Flags.containers
  },
  (flags) =>
    withNode(flags, (client) =>
      Effect.gen(function* () {
        const id = yield* jobId(flags.id)
        const containers = yield* Flags.splitContainers(flags.containers)
        yield* client.recordStatus(id, flags.status, { containers, data: {} })
        yield* Output.text(Output.stdoutOnly, "Success: Job status recorded.")
      })
    )
).pipe(
  Command.withDescription(
    describe(
      "Records a job's status by hand (PUT /api/status); the node accepts it only from its own host. " +
        "Do not use this unless you know why.",
      [
        `${NAME} status --id d77215c8-dd25-4843-89c4-788eef9ed324 --status running -c openai-inference`,
        `${NAME} status --id d77215c8-dd25-4843-89c4-788eef9ed324 --status success -c openai-inference`
      ]
    )
  )
)

// --- sub -----------------------------------------------------------------------------------------------------------

const sub = Command.make(
  "sub",
  {
    ...Flags.global,
    params: Options.file("params").pipe(
      Options.withAlias("p"),
      Options.withPseudoName("FILE"),
      Options.withDescription(
        "JSON file with the subscription fields, snake_case as in the Python client: owner, active_at, period, " +
          "frequency, redundancy, max_gas_price, max_gas_limit, container_id, inputs (v0); or owner, active_at, " +
          "period, frequency, redundancy, containers, lazy, verifier, payment_amount, payment_token, wallet (v1)."
      )
    ),
    input: Flags.input("the subscription's container input (a JSON object)"),
    expiry: Options.integer("expiry").pipe(
      Options.withPseudoName("UNIX_SECONDS"),
      Options.withDescription("When the signature expires (unix time in seconds); must be in the future.")
    ),
    address: Options.text("address").pipe(
      Options.withPseudoName("COORDINATOR"),
      Options.withDescription("The Coordinator contract's address. Env: ADDRESS."),
      Options.optional
    ),
    rpcUrl: Options.text("rpc-url").pipe(
      Options.withAlias("rpc_url"),
      Options.withPseudoName("URL"),
      Options.withDescription("The chain's JSON-RPC URL (read: chain id, next nonce). Env: RPC_URL."),
      Options.optional
    ),
    key: Options.file("key").pipe(
      Options.withPseudoName("FILE"),
      Options.withDescription("File holding the signer's private key (hex). Env: PRIVATE_KEY (the key itself)."),
      Options.optional
    ),
    nonce: Options.integer("nonce").pipe(
      Options.withDescription("The signature's nonce. Default: the Coordinator's maxSubscriberNonce(owner) + 1."),
      Options.optional
    ),
    skipSimulation: Options.boolean("skip-simulation").pipe(
      Options.withDescription(
        "Do not dry-run createSubscriptionDelegatee (eth_call) before sending. By default a subscription the " +
          "Coordinator would reject (expired, wrong signer) or ignore (nonce already used) is not sent."
      )
    ),
    generation: Options.choice("generation", ["v0", "v1"]).pipe(
      Options.withDescription(
        "The Coordinator generation: v0 (infernet-sdk 0.1, the reference's) or v1 (infernet-sdk 1.x). " +
          "Default: v1 when the params file has a v1-only field (containers, lazy, ...), else v0."
      ),
      Options.optional
    )
  },
  (flags) =>
    withNode(flags, (client, globals) =>
      Effect.gen(function* () {
        const prepared = yield* Sub.prepare(flags)
        const data = yield* readData(flags.input)
        // Loaded on first use: the other commands never evaluate @infernet/chain and viem.
        const { DelegatedSubscriptions } = yield* Effect.promise(() => import("@infernet/client/subscriptions"))
        const { request } = yield* DelegatedSubscriptions.request({
          account: prepared.key,
          rpcUrl: prepared.rpcUrl,
          coordinator: prepared.coordinator,
          subscription: prepared.subscription,
          expiry: prepared.expiry,
          nonce: prepared.nonce,
          data,
          simulate: !flags.skipSimulation
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
).pipe(
  Command.withDescription(
    describe(
      "Signs a delegated subscription (EIP-712, with the key of the owner contract's delegated signer) and sends " +
        "it to the node (POST /api/jobs). Keys are never printed.",
      [
        `${NAME} sub --expiry 1713376164 --address 0x1FbDB2315678afecb369f032d93F642f64140aa3 ` +
          "--rpc_url http://some-rpc-url.com --key key-file.txt --params params.json --input input.json"
      ],
      [
        'params.json: {"owner": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "active_at": 0, "period": 3, ' +
          '"frequency": 2, "redundancy": 2, "max_gas_price": 1000000000000, "max_gas_limit": 3000000, ' +
          '"container_id": "openai-inference", "inputs": ""}'
      ]
    )
  )
)

// --- the tree --------------------------------------------------------------------------------------------------------

const subcommands = [health, info, resources, job, batch, results, stream, ids, status, sub] as const

/** The names of the commands. @internal */
export const SUBCOMMANDS: ReadonlyArray<string> = [
  "health",
  "info",
  "resources",
  "job",
  "batch",
  "results",
  "stream",
  "ids",
  "status",
  "sub"
]

/** @internal */
export const command = root.pipe(
  Command.withHandler(() =>
    Effect.fail(Errors.usage(`missing command: one of ${SUBCOMMANDS.join(", ")} (see: ${NAME} --help)`))
  ),
  Command.withDescription(
    HelpDoc.blocks([
      HelpDoc.p("The command line for Infernet nodes: create jobs, fetch results, stream output, sign subscriptions."),
      HelpDoc.p("Output is JSON on stdout: indented on a terminal, compact when piped or with --json."),
      HelpDoc.p(
        "Exit codes: 0 ok, 1 job failed or node unhealthy, 2 usage error, 3 node unreachable or timed out, " +
          "4 rejected by the node, 5 bad input or output file, 6 signing or RPC error, 7 job still running, " +
          "130 interrupted."
      )
    ])
  ),
  Command.withSubcommands(subcommands)
)
