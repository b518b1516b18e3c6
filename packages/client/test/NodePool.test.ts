import { HttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Schedule, Stream, Tracer } from "effect"
import { type NodeClientError, NodePool } from "../src/index.js"
import * as NetworkExample from "../examples/network.js"
import { defect } from "./utils/exit.js"
import { chunked, ids, json, makeFake, refused } from "./utils/fakeHttp.js"
import { nodes, runPool, sleep, withNetwork } from "./utils/network.js"
import { type ProcessNetwork, spawnNetwork } from "./utils/networkProcess.js"

const job = (containers: ReadonlyArray<string> = ["a"]) => ({ containers, data: { x: 1 } })

const reasonOf = (either: Either.Either<unknown, NodeClientError.NodeClientError>) => {
  if (Either.isRight(either)) return assert.fail("expected a failure")
  return either.left.reason
}

// A pool whose background work stays out of the way unless a test wants it.
const quiet = { probeInterval: "1 hour", infoInterval: "1 hour", cooldown: "1 hour" } as const

describe("NodePool routing", () => {
  it("sends a job only to nodes running all its containers, and results to the node that took it", () =>
    withNetwork({ nodes: nodes(["a"], ["a", "b"], ["b"]), router: false }, (network) =>
      runPool({ nodes: network.nodes.map((n) => n.url), ...quiet }, (pool) =>
        Effect.gen(function* () {
          const both = yield* Effect.forEach([1, 2, 3, 4], () => pool.submitJob(job(["a", "b"])))
          assert.deepStrictEqual(new Set(both.map((s) => s.node)), new Set([network.nodes[1]!.url]))
          const onlyB = yield* pool.submitJob(job(["b"]))
          const result = yield* pool.getJobResultSync(onlyB.id)
          assert.strictEqual(result.status, "success")
          assert.strictEqual(yield* pool.nodeOf(onlyB.id), onlyB.node)
          const none = yield* Effect.either(pool.requestJob(job(["c"])))
          const reason = reasonOf(none)
          assert.strictEqual(reason._tag, "NoNodeAvailable")
          assert.include(reason.message, "No healthy node runs c")
        })
      )
    ))

  it("spreads a burst over equally loaded nodes (in-flight counts, round-robin ties)", () =>
    withNetwork({ nodes: nodes(["a"], ["a"], ["a"]), router: false }, (network) =>
      runPool({ nodes: network.nodes.map((n) => n.url), ...quiet }, (pool) =>
        Effect.gen(function* () {
          const submitted = yield* Effect.forEach(Array.from({ length: 30 }), () => pool.submitJob(job()), {
            concurrency: 30
          })
          const counts = new Map<string, number>()
          for (const s of submitted) counts.set(s.node, (counts.get(s.node) ?? 0) + 1)
          assert.strictEqual(counts.size, 3)
          for (const count of counts.values()) assert.approximately(count, 10, 2)
          const snapshot = yield* pool.snapshot
          assert.deepStrictEqual(
            snapshot.map((s) => s.jobs).reduce((a, b) => a + b),
            30
          )
          assert.isTrue(snapshot.every((s) => s.inFlight === 0 && s.healthy && s.state === "healthy"))
        })
      )
    ))

  it("prefers the node with the fewest pending jobs", () =>
    withNetwork(
      { nodes: nodes([{ id: "a", latency_ms: 60_000 }], [{ id: "a", latency_ms: 60_000 }]), router: false },
      (network) =>
        Promise.all(
          [0, 1, 2].map(() =>
            fetch(`${network.nodes[0]!.url}/api/jobs`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(job())
            })
          )
        ).then(() =>
          runPool({ nodes: network.nodes.map((n) => n.url), ...quiet }, (pool) =>
            Effect.gen(function* () {
              const snapshot = yield* pool.snapshot
              assert.deepStrictEqual(
                snapshot.map((s) => s.pending),
                [3, 0]
              )
              const first = yield* pool.submitJob(job())
              assert.strictEqual(first.node, network.nodes[1]!.url)
            })
          )
        )
    ))
})

describe("NodePool failover", () => {
  it("moves a job to the next node when the connection is refused, and cools the dead node down", () =>
    withNetwork({ nodes: nodes(["a"], ["a"]), router: false }, async (network) => {
      const [dead, live] = network.nodes as [any, any]
      await runPool({ nodes: [dead.url, live.url], ...quiet }, (pool) =>
        Effect.gen(function* () {
          yield* Effect.promise(() => dead.down())
          const submitted = yield* Effect.forEach([1, 2, 3], () => pool.submitJob(job()))
          assert.isTrue(submitted.every((s) => s.node === live.url))
          const snapshot = yield* pool.snapshot
          assert.strictEqual(snapshot[0]!.state, "cooling")
          assert.isFalse(snapshot[0]!.healthy)
          assert.match(snapshot[0]!.lastError!, /ECONNREFUSED/)
          assert.strictEqual(snapshot[1]!.jobs, 3)
        })
      )
    }))

  it("moves on after 429 and 503, and respects Retry-After", () =>
    withNetwork({ nodes: nodes(["a"], ["a"], ["a"]), router: false }, async (network) => {
      const [limited, unavailable, live] = network.nodes as [any, any, any]
      await runPool(
        {
          nodes: network.nodes.map((n) => n.url),
          probeInterval: "1 hour",
          infoInterval: "1 hour",
          cooldown: "10 millis"
        },
        (pool) =>
          Effect.gen(function* () {
            yield* Effect.promise(() => limited.fail({ status: 429, retryAfter: "1 hour" }))
            yield* Effect.promise(() => unavailable.fail({ status: 503 }))
            const submitted = yield* Effect.forEach([1, 2, 3, 4], () => pool.submitJob(job()))
            assert.isTrue(submitted.every((s) => s.node === live.url))
            const [s0, s1] = yield* pool.snapshot
            const now = Date.now()
            // The 429 node asked for an hour (Retry-After): it takes no new jobs for maxCooldown (30 s by default)
            // and stays healthy for reads; the 503 node gets the pool's 10 ms cool-down.
            assert.strictEqual(s0!.state, "healthy")
            assert.isFalse(s0!.healthy)
            assert.approximately(s0!.jobsPausedUntil! - now, 30_000, 2_000)
            assert.strictEqual(s1!.state, "cooling")
            assert.isBelow(s1!.probeAt! - now, 1_000)
            yield* Effect.promise(() => unavailable.heal())
            yield* Effect.promise(() => sleep(30))
            // getJobs leaves out nodes that are cooling down and hold no jobs of this pool: it does not fail for them.
            const kept = yield* Effect.either(pool.getJobs())
            assert.isTrue(Either.isRight(kept))
          })
      )
    }))

  it("does not fail over after a timeout unless the call says always; the error names the node", () =>
    withNetwork(
      {
        nodes: nodes(["a", { id: "hold", latency_ms: 60_000 }], ["a", { id: "hold", latency_ms: 60_000 }]),
        router: false
      },
      async (network) => {
        const [slow, fast] = network.nodes as [any, any]
        // Two pending jobs on the fast node make the slow one the first choice.
        for (const _ of [1, 2]) {
          await fetch(`${fast.url}/api/jobs`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(job(["hold"]))
          })
        }
        await runPool({ nodes: [slow.url, fast.url], ...quiet }, (pool) =>
          Effect.gen(function* () {
            yield* Effect.promise(() => slow.slow(1000))
            assert.deepStrictEqual(
              (yield* pool.snapshot).map((s) => s.pending),
              [0, 2]
            )
            const timedOut = yield* Effect.either(pool.requestJob(job(), { timeout: "300 millis" }))
            const reason = reasonOf(timedOut)
            assert.strictEqual(reason._tag, "NodeUnavailable")
            if (reason._tag !== "NodeUnavailable") return
            assert.strictEqual(reason.node, slow.url)
            assert.strictEqual((reason.cause as { _tag: string })._tag, "Timeout")
            assert.include(reason.message, slow.url)
            // Heal the pool's view of the slow node (its probe waits out the delay), then opt in to failover.
            yield* pool.refresh
            assert.strictEqual((yield* pool.snapshot)[0]!.state, "healthy")
            const moved = yield* pool.submitJob(job(), { timeout: "300 millis", failover: "always" })
            assert.strictEqual(moved.node, fast.url)
            const [afterSlow] = yield* pool.snapshot
            assert.strictEqual(afterSlow!.state, "cooling")
            assert.match(afterSlow!.lastError!, /did not answer within/)
          })
        )
      }
    ))
})

describe("NodePool job ids", () => {
  it("groups getJobResults by node and answers in input order; getJobs merges", () =>
    withNetwork({ nodes: nodes(["a"], ["a"], ["a"]), router: false }, (network) =>
      runPool({ nodes: network.nodes.map((n) => n.url), ...quiet }, (pool) =>
        Effect.gen(function* () {
          const submitted = yield* Effect.forEach(Array.from({ length: 9 }), () => pool.submitJob(job()), {
            concurrency: 9
          })
          assert.strictEqual(new Set(submitted.map((s) => s.node)).size, 3)
          const ids = submitted.map((s) => s.id).reverse()
          yield* Effect.forEach(ids, (id) => pool.getJobResultSync(id))
          const results = yield* pool.getJobResults([...ids, "00000000-0000-4000-8000-000000000000"])
          assert.deepStrictEqual(
            results.map((r) => r.id),
            ids
          )
          const all = yield* pool.getJobs()
          assert.sameMembers([...all], ids)
          // Each node was asked once for its own ids.
          for (const node of network.nodes) {
            const asked = (yield* Effect.promise(() => node.requests())).filter(
              (r) =>
                r.method === "GET" &&
                r.path === "/api/jobs" &&
                r.query.includes("id=") &&
                r.query.split("&").length >= 3
            )
            assert.isAtLeast(asked.length, 1)
          }
        })
      )
    ))

  it("finds ids it did not create by asking every node", () =>
    withNetwork({ nodes: nodes(["a"], ["a"]), router: false }, async (network) => {
      const created = (await (
        await fetch(`${network.nodes[1]!.url}/api/jobs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(job())
        })
      ).json()) as { id: string }
      await runPool({ nodes: network.nodes.map((n) => n.url), ...quiet }, (pool) =>
        Effect.gen(function* () {
          const result = yield* pool.getJobResultSync(created.id)
          assert.strictEqual(result.id, created.id)
          assert.strictEqual(yield* pool.nodeOf(created.id), network.nodes[1]!.url)
          const missing = yield* Effect.either(pool.getJobResultSync("00000000-0000-4000-8000-000000000000"))
          assert.strictEqual(reasonOf(missing)._tag, "JobNotFound")
        })
      )
    }))

  it("fails results of a job on a down node with NodeUnavailable naming it, and answers once it is back", () =>
    withNetwork({ nodes: nodes([{ id: "a", latency_ms: 0 }]), router: false }, async (network) => {
      const node = network.nodes[0]!
      await runPool({ nodes: [node.url], ...quiet, cooldown: "20 millis", client: { retry: false } }, (pool) =>
        Effect.gen(function* () {
          const id = yield* pool.requestJob(job())
          yield* Effect.promise(() => node.down())
          const down = yield* Effect.either(pool.getJobResultSync(id))
          const reason = reasonOf(down)
          assert.strictEqual(reason._tag, "NodeUnavailable")
          if (reason._tag === "NodeUnavailable") assert.strictEqual(reason.node, node.url)
          // While it cools down the pool does not even ask it.
          const fast = yield* Effect.either(pool.getJobResults([id]))
          assert.include(reasonOf(fast).message, "cooling down")
          yield* Effect.promise(() => node.up())
          // Once its cool-down is over (polled with a deadline: a loaded machine may run late), the node answers.
          const result = yield* pool
            .getJobResultSync(id)
            .pipe(Effect.retry({ schedule: Schedule.spaced("10 millis").pipe(Schedule.upTo("10 seconds")) }))
          assert.strictEqual(result.status, "success")
          assert.strictEqual((yield* pool.snapshot)[0]!.state, "healthy")
        })
      )
    }))
})

describe("NodePool health", () => {
  it("probes cooled-down nodes with backoff, drops one that stays down, and takes it back when it answers", () =>
    withNetwork({ nodes: nodes(["a"], ["a"]), router: false }, async (network) => {
      const [flaky] = network.nodes as [any]
      await runPool(
        {
          nodes: network.nodes.map((n) => n.url),
          probeInterval: "10 millis",
          infoInterval: "1 hour",
          cooldown: "10 millis",
          maxCooldown: "40 millis",
          dropAfter: 3
        },
        (pool) =>
          Effect.gen(function* () {
            yield* Effect.promise(() => flaky.down())
            yield* pool.refresh
            assert.strictEqual((yield* pool.snapshot)[0]!.state, "cooling")
            const until = (state: string) =>
              Effect.promise(async () => {
                for (let i = 0; i < 500; i++) {
                  if ((await Effect.runPromise(pool.snapshot))[0]!.state === state) return
                  await sleep(10)
                }
              })
            yield* until("dropped")
            const dropped = (yield* pool.snapshot)[0]!
            assert.strictEqual(dropped.state, "dropped")
            assert.isAtLeast(dropped.failures, 3)
            yield* Effect.promise(() => flaky.up())
            yield* until("healthy")
            const back = (yield* pool.snapshot)[0]!
            assert.strictEqual(back.state, "healthy")
            assert.strictEqual(back.failures, 0)
            assert.deepStrictEqual(back.containers, ["a"])
          })
      )
    }))
})

describe("NodePool discovery", () => {
  it("discovers nodes through the router, and follows it on refresh", () =>
    withNetwork({ nodes: nodes(["a"], ["a", "b"], ["b"]), router: { rateLimit: false } }, async (network) => {
      const router = network.router!
      await runPool({ router: { url: router.url, containers: ["a"] }, ...quiet }, (pool) =>
        Effect.gen(function* () {
          const first = yield* pool.snapshot
          assert.sameMembers(
            first.map((s) => s.url),
            [network.nodes[0]!.url, network.nodes[1]!.url]
          )
          assert.isTrue(first.every((s) => s.source === "router" && s.healthy))
          yield* Effect.promise(() => network.nodes[0]!.down())
          yield* Effect.promise(() => router.refresh())
          yield* pool.refresh
          const after = yield* pool.snapshot
          // No longer listed and holding no job of the pool: forgotten.
          assert.isUndefined(after.find((s) => s.url === network.nodes[0]!.url))
          const submitted = yield* pool.submitJob(job())
          assert.strictEqual(submitted.node, network.nodes[1]!.url)
        })
      )
      // Without containers: every container the router lists (node 0 is still down).
      await runPool({ router: { url: router.url }, ...quiet }, (pool) =>
        Effect.map(pool.snapshot, (snapshot) =>
          assert.sameMembers(
            snapshot.map((s) => s.url),
            [network.nodes[1]!.url, network.nodes[2]!.url]
          )
        )
      )
    }))

  it("dies on no nodes and no router, and on a bad URL", async () => {
    const make = (options: NodePool.Options) =>
      Effect.runPromiseExit(Effect.scoped(NodePool.make(options)).pipe(Effect.provide(emptyClient)))
    assert.strictEqual(defect(await make({})), "NodePool.make: give nodes (URLs), a router, or both")
    // A bad URL among good ones: the user's input is refused at once, naming what is wrong.
    const bad = defect(await make({ nodes: ["http://127.0.0.1:1", "not a url"] }))
    assert.match(bad, /^NodePool\.make: /)
    assert.include(bad, "not a url")
    assert.include(defect(await make({ nodes: ["ftp://127.0.0.1:1"] })), "expected an http: or https: URL")
  })
})

const emptyClient = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make(() => Effect.die("unused"))
)

describe("NodePool over a mock network (the issue's test)", () => {
  it(
    "64 workers x 200 jobs over three nodes behind a router, one node down mid-run and back",
    { timeout: 300_000 },
    () =>
      withProcessNetwork(
        // Three nodes and the router in a child process: the pool under test has this process to itself.
        { containers: [{ id: "a", behavior: { type: "echo" } }], mock: { request_log_limit: 0 } },
        async (network) => {
          const WORKERS = 64
          const PER_WORKER = 200
          const TOTAL = WORKERS * PER_WORKER
          const PROBE = 50
          const urls = network.nodes.map((n) => n.url)
          const victim = network.nodes[1]!
          // Every job-creating attempt the pool makes, per node, with its start time.
          const attempts: Array<{ readonly node: string; readonly at: number }> = []
          let downAt = Number.POSITIVE_INFINITY
          let upAt = Number.POSITIVE_INFINITY
          type Outcome =
            | { readonly ok: true; readonly id: string; readonly node: string; readonly at: number }
            | { readonly ok: false; readonly error: NodeClientError.NodeClientError; readonly id?: string }
          const outcomes: Array<Outcome> = []
          let done = 0
          const chaos = (async () => {
            while (done < TOTAL / 3) await sleep(5)
            await victim.down()
            downAt = Date.now()
            while (done < (TOTAL * 2) / 3) await sleep(5)
            await victim.up()
            upAt = Date.now()
          })()
          await runPool(
            {
              router: { url: network.routerUrl, containers: ["a"], refreshInterval: "100 millis" },
              probeInterval: `${PROBE} millis`,
              cooldown: "50 millis",
              maxCooldown: "200 millis",
              infoInterval: "1 second",
              client: {
                // Records each POST /api/jobs before it is sent.
                transformClient: HttpClient.tapRequest((request) =>
                  Effect.sync(() => {
                    if (request.method === "POST") attempts.push({ node: new URL(request.url).origin, at: Date.now() })
                  })
                )
              }
            },
            (pool) =>
              Effect.forEach(
                Array.from({ length: WORKERS }),
                () =>
                  Effect.forEach(Array.from({ length: PER_WORKER }), () =>
                    Effect.gen(function* () {
                      const at = Date.now()
                      const submitted = yield* Effect.either(pool.submitJob(job()))
                      if (Either.isLeft(submitted)) {
                        outcomes.push({ ok: false, error: submitted.left })
                      } else {
                        const result = yield* Effect.either(pool.getJobResultSync(submitted.right.id))
                        if (Either.isLeft(result)) {
                          outcomes.push({ ok: false, error: result.left, id: submitted.right.id })
                        } else {
                          assert.strictEqual(result.right.id, submitted.right.id)
                          assert.strictEqual(result.right.status, "success")
                          outcomes.push({ ok: true, id: submitted.right.id, node: submitted.right.node, at })
                        }
                      }
                      done++
                    })
                  ),
                { concurrency: WORKERS, discard: true }
              )
          )
          await chaos
          // Every job has an outcome: completed, or failed with a typed reason naming the node.
          assert.strictEqual(outcomes.length, TOTAL)
          const failures = outcomes.filter((o) => !o.ok)
          for (const failure of failures) {
            const reason = failure.error.reason
            assert.strictEqual(reason._tag, "NodeUnavailable", failure.error.message)
            if (reason._tag === "NodeUnavailable") assert.strictEqual(reason.node, victim.url)
          }
          assert.isBelow(failures.length, TOTAL / 20)
          // No duplicates: every id is unique, and the nodes hold no job beyond those the workers sent.
          const ids = outcomes.flatMap((o) => (o.id === undefined ? [] : [o.id]))
          assert.strictEqual(new Set(ids).size, ids.length)
          const perNode = await Promise.all(network.nodes.map((n) => n.jobIds()))
          const stored = perNode.flat()
          assert.strictEqual(new Set(stored).size, stored.length)
          assert.isAtMost(stored.length, TOTAL)
          // Nothing lost: every completed job is stored on the node that took it.
          const where = new Map(perNode.flatMap((list, i) => list.map((id) => [id, urls[i]!] as const)))
          for (const o of outcomes) if (o.ok) assert.strictEqual(where.get(o.id), o.node)
          // Jobs stored without an id given back: only requests cut mid-request (which fail, naming the node) may leave one.
          assert.isAtLeast(stored.length, ids.length)
          assert.isAtMost(stored.length - ids.length, attemptsOnlyAmbiguous(failures))
          // New jobs stop going to the dead node soon after it went down, and resume once it is back. "Soon" is not
          // a wall-clock bound (a loaded machine stalls any process for longer than a probe interval): at most a
          // couple of attempts per worker reach it, all in the first half of the time it is down.
          assert.isFinite(downAt)
          assert.isFinite(upAt)
          const toVictim = attempts.filter((a) => a.node === victim.url)
          const whileDown = toVictim.filter((a) => a.at > downAt && a.at < upAt)
          assert.isAtMost(whileDown.length, 2 * WORKERS)
          const lastWhileDown = Math.max(downAt, ...whileDown.map((a) => a.at))
          assert.isBelow(lastWhileDown, downAt + (upAt - downAt) / 2, `down ${downAt}..${upAt}`)
          assert.isAbove(toVictim.filter((a) => a.at > upAt).length, 0)
          // The spread over live nodes is near even (within 40%), before the node goes down and once the pool has
          // stopped sending to it.
          const spread = (list: ReadonlyArray<Outcome>, live: ReadonlyArray<string>) => {
            const counts = live.map((url) => list.filter((o) => o.ok && o.node === url).length)
            const even = counts.reduce((a, b) => a + b) / live.length
            assert.isAbove(even, 100, `counts ${counts}`)
            for (const count of counts) assert.approximately(count, even, even * 0.4, `counts ${counts}`)
          }
          spread(
            outcomes.filter((o) => o.ok && o.at < downAt),
            urls
          )
          spread(
            outcomes.filter((o) => o.ok && o.at > lastWhileDown && o.at < upAt),
            [urls[0]!, urls[2]!]
          )
        }
      )
  )
})

const withProcessNetwork = async (config: unknown, f: (network: ProcessNetwork) => Promise<void>) => {
  const network = await spawnNetwork(3, config)
  try {
    await f(network)
  } finally {
    await network.close()
  }
}

/** Failures before a job id: job-creating requests cut mid-request, which may have created a job. */
const attemptsOnlyAmbiguous = (failures: ReadonlyArray<{ readonly id?: string }>) =>
  failures.filter((f) => f.id === undefined).length

describe("examples/network.ts", () => {
  it("routes a job, sees its node go down, and routes the next one around it", () =>
    withNetwork({ nodes: 3, router: { rateLimit: false } }, async (network) => {
      const lines: Array<ReadonlyArray<unknown>> = []
      const stop = async (url: string) => {
        await network.nodes.find((n) => n.url === url)!.down()
      }
      const out = await NetworkExample.manyNodes(network.router!.url, stop, (...values) => lines.push(values))
      assert.sameMembers(
        [...out.nodes],
        network.nodes.map((n) => n.url)
      )
      assert.notStrictEqual(out.afterDown.node, out.first.node)
      assert.deepStrictEqual(
        lines.find((line) => line[0] === "unavailable:"),
        ["unavailable:", out.first.node]
      )
    }))
})

describe("NodePool tracing", () => {
  it("makes a NodePool.node span naming the node around each request when a tracer is installed", () =>
    withNetwork({ nodes: nodes(["a"]), router: false }, (network) => {
      const spans: Array<{ readonly name: string; readonly node: unknown }> = []
      const builtIn = Effect.runSync(Effect.tracer)
      const tracer = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          spans.push({ name, node: options?.attributes?.["infernet.node.url"] })
          return builtIn.span(name, parent, context, links, startTime, kind, options)
        },
        context: builtIn.context
      })
      return runPool({ nodes: [network.nodes[0]!.url], ...quiet }, (pool) =>
        Effect.gen(function* () {
          yield* pool.requestJob(job()).pipe(Effect.withTracer(tracer))
          assert.deepStrictEqual(spans.map((s) => s.name).slice(0, 4), [
            "NodePool.requestJob",
            "NodePool.node",
            "NodeClient.requestJob",
            "http.client POST"
          ])
          assert.strictEqual(spans[1]!.node, network.nodes[0]!.url)
          // Without a tracer, no spans at all.
          spans.length = 0
          yield* pool.requestJob(job())
          assert.deepStrictEqual(spans, [])
        })
      )
    }))
})

describe("NodePool failover, on a fake network", () => {
  const info = (containers: ReadonlyArray<string>) =>
    json({
      version: "1.4.0",
      containers: containers.map((id) => ({ id, image: "", description: "", external: true })),
      pending: { offchain: 0, onchain: 0 },
      chain: { enabled: false, address: "" }
    })

  it.effect("a node that lists a container but answers 'Container not supported' is skipped and read again", () =>
    Effect.gen(function* () {
      let infoReads = 0
      const fake = makeFake((request) => {
        const node = request.url.host
        if (request.url.pathname === "/info") {
          if (node === "stale:4000") infoReads++
          return info(node === "stale:4000" && infoReads > 1 ? [] : ["a"])
        }
        if (node === "stale:4000") return json({ error: "Container not supported", params: { container: "a" } }, 405)
        return json({ id: ids.a })
      })
      const submitted = yield* Effect.scoped(
        Effect.flatMap(NodePool.make({ nodes: ["http://stale:4000", "http://fresh:4000"], ...quiet }), (pool) =>
          Effect.gen(function* () {
            const first = yield* pool.submitJob(job())
            // The second /info read runs on a fiber of its own.
            let snapshot = yield* pool.snapshot
            for (let i = 0; i < 200 && snapshot[0]!.containers!.length > 0; i++) {
              yield* Effect.yieldNow()
              snapshot = yield* pool.snapshot
            }
            return { first, snapshot }
          })
        )
      ).pipe(Effect.provide(fake.layer))
      assert.strictEqual(submitted.first.node, "http://fresh:4000")
      // Not cooled down (it answered), but its /info was read again: it no longer lists "a".
      assert.strictEqual(submitted.snapshot[0]!.state, "healthy")
      assert.deepStrictEqual(submitted.snapshot[0]!.containers, [])
      assert.deepStrictEqual(
        fake.requests.filter((r) => r.method === "POST").map((r) => r.url.host),
        ["stale:4000", "fresh:4000"]
      )
    })
  )

  it.effect("a stream fails over before its id line when the connection is refused", () =>
    Effect.gen(function* () {
      const fake = makeFake((request) => {
        if (request.url.pathname === "/info") return info(["a"])
        if (request.url.host === "dead:4000") return refused(request)
        return chunked([`${ids.b}\n`, "hello ", "world"])
      })
      const out = yield* Effect.scoped(
        Effect.flatMap(NodePool.make({ nodes: ["http://dead:4000", "http://live:4000"], ...quiet }), (pool) =>
          Effect.gen(function* () {
            const stream = yield* pool.requestStream(job())
            const text = yield* Stream.mkString(stream.text)
            return { id: stream.id, node: stream.node, text, nodeOf: yield* pool.nodeOf(ids.b) }
          })
        )
      ).pipe(Effect.provide(fake.layer))
      assert.deepStrictEqual(out, {
        id: ids.b,
        node: "http://live:4000",
        text: "hello world",
        nodeOf: "http://live:4000"
      })
    })
  )

  it.effect("failover: never fails on the first refused node, naming it", () =>
    Effect.gen(function* () {
      const fake = makeFake((request) =>
        request.url.pathname === "/info"
          ? info(["a"])
          : request.url.host === "dead:4000"
            ? refused(request)
            : json({ id: ids.a })
      )
      const error = yield* Effect.scoped(
        Effect.flatMap(NodePool.make({ nodes: ["http://dead:4000", "http://live:4000"], ...quiet }), (pool) =>
          Effect.flip(pool.requestJob(job(), { failover: "never" }))
        )
      ).pipe(Effect.provide(fake.layer))
      assert.strictEqual(error.method, "NodePool.requestJob")
      assert.strictEqual(error.reason._tag, "NodeUnavailable")
      assert.include(
        error.message,
        "NodePool.requestJob: The node http://dead:4000 is unavailable: the connection failed"
      )
    })
  )
})
