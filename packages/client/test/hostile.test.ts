/**
 * The hostile network (issue #19): fake nodes and routers on loopback that lie (foreign ids, forged results),
 * misbehave (bad addresses, huge and churning lists, 429/500/hang, endless bodies, slow probes) and rate-limit only
 * job creation. Each test names the promise of the pool it pins (the README's "What the pool promises").
 */
import { NodeHttpClient } from "@effect/platform-node"
import { afterEach, assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Logger } from "effect"
import { NodeClient, type NodeClientError, NodePool } from "../src/index.js"
import type { NodeClientError as PromiseError } from "../src/promise.js"
import { createNodeClient, createNodePool } from "../src/promise.js"
import {
  addressOf,
  closeAll,
  deadPort,
  type FakeNode,
  type FakeRouter,
  fakeNode,
  fakeRouter,
  sendJson
} from "./utils/fakeNodes.js"

const job = (containers: ReadonlyArray<string> = ["a"]) => ({ containers, data: { x: 1 } })

// A pool whose background work stays out of the way unless a test wants it.
const quiet = { probeInterval: "1 hour", infoInterval: "1 hour" } as const

let open: Array<{ readonly close: () => Promise<void> }> = []
const track = <A extends { readonly close: () => Promise<void> }>(server: A): A => {
  open.push(server)
  return server
}
afterEach(async () => {
  await closeAll(...open)
  open = []
})
const node = async (name: string, containers?: ReadonlyArray<string>) => track(await fakeNode(name, containers))
const router = async (answer: FakeRouter["answer"]) => track(await fakeRouter(answer))

/** Runs `f` with a pool on undici in a scope of its own; `logs` collects what the pool logs. */
const runPool = <A, E>(
  options: NodePool.Options,
  f: (pool: NodePool.Service) => Effect.Effect<A, E>,
  logs?: Array<string>
): Promise<A> => {
  const program = Effect.scoped(Effect.flatMap(NodePool.make(options), f)).pipe(
    Effect.provide(NodeHttpClient.layerUndici)
  )
  if (logs === undefined) return Effect.runPromise(program)
  const collect = Logger.make(({ message }) => {
    logs.push(Array.isArray(message) ? message.map(String).join(" ") : String(message))
  })
  return Effect.runPromise(program.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, collect))))
}

const failure = <A>(either: Either.Either<A, NodeClientError.NodeClientError>) => {
  if (Either.isRight(either)) return assert.fail(`expected a failure, got ${JSON.stringify(either.right)}`)
  return either.left
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A node that answers every results request with `forged` (plus whatever it really has). */
const lying = (liar: FakeNode, forged: () => ReadonlyArray<unknown>) => {
  liar.override = (_request, response, hit) =>
    hit.path === "/api/jobs" && hit.method === "GET" && hit.ids.length > 0
      ? sendJson(response, 200, [
          ...forged(),
          ...hit.ids.flatMap((id) => [...liar.jobs.values()].filter((j) => j.id === id))
        ])
      : undefined
}

describe("homes of ids: a node's answer for an id that was not asked is ignored", () => {
  it("a node answering with another node's job id does not take that job over", async () => {
    const honest = await node("honest", ["a"])
    const liar = await node("liar", ["b"])
    await runPool({ nodes: [honest.url, liar.url], ...quiet }, (pool) =>
      Effect.gen(function* () {
        const submitted = yield* pool.submitJob(job(["a"]))
        assert.strictEqual(submitted.node, honest.url)
        lying(liar, () => [
          { id: submitted.id, status: "success", result: { container: "a", output: { node: "liar" } } }
        ])
        // An unrelated lookup of an id the pool does not track: the liar answers with the honest node's job.
        const unknown = "0b9ad3a4-4c4e-4a55-9d7b-1e4c38d6c0aa"
        const found = yield* pool.getJobResults([unknown])
        assert.deepStrictEqual(found, [])
        assert.strictEqual(yield* pool.nodeOf(submitted.id), honest.url)
        const result = yield* pool.getJobResultSync(submitted.id)
        assert.deepStrictEqual(result.result as unknown, { container: "a", output: { node: "honest" } })
        // Results of ids of several homes: only the asked ids of each node's answer count.
        const mixed = yield* pool.getJobResults([submitted.id, unknown])
        assert.deepStrictEqual(
          mixed.map((r) => [r.id, (r.result as unknown as { output: { node: string } }).output.node]),
          [[submitted.id, "honest"]]
        )
        // The liar was asked for the unknown id only, never for the honest node's job.
        assert.isTrue(liar.hits.every((hit) => !hit.ids.includes(submitted.id)))
      })
    )
  })

  it("a job's home answering with extra ids: only the asked ids are returned", async () => {
    const home = await node("home", ["a"])
    await runPool({ nodes: [home.url], ...quiet }, (pool) =>
      Effect.gen(function* () {
        const { id } = yield* pool.submitJob(job())
        const other = yield* pool.submitJob(job())
        lying(home, () => [{ id: "5f1d7c56-8a10-4c1e-9a55-3e1b0e5d9c11", status: "success", result: null }])
        assert.deepStrictEqual(
          (yield* pool.getJobResults([id])).map((r) => r.id),
          [id]
        )
        assert.deepStrictEqual(
          (yield* pool.getJobResults([id, other.id])).map((r) => r.id),
          [id, other.id]
        )
      })
    )
  })

  it("a node claiming to have created a job another node created fails the call; the job keeps its home", async () => {
    const honest = await node("honest", ["a"])
    const liar = await node("liar", ["b"])
    await runPool({ nodes: [honest.url, liar.url], ...quiet }, (pool) =>
      Effect.gen(function* () {
        const submitted = yield* pool.submitJob(job(["a"]))
        liar.override = (_request, response, hit) =>
          hit.method === "POST" ? sendJson(response, 200, { id: submitted.id }) : undefined
        const error = failure(yield* Effect.either(pool.submitJob(job(["b"]))))
        assert.strictEqual(error.reason._tag, "UnexpectedResponse")
        assert.include(error.message, `the id of a job another node created (${submitted.id} on ${honest.url})`)
        assert.strictEqual(yield* pool.nodeOf(submitted.id), honest.url)
        const result = yield* pool.getJobResultSync(submitted.id)
        assert.deepStrictEqual(result.result as unknown, { container: "a", output: { node: "honest" } })
      })
    )
  })

  it("NodeClient.getJobResultSync checks the id of the answer (UnexpectedResponse naming both ids)", async () => {
    const liar = await node("liar", ["a"])
    const asked = "1c7e4f0a-2b1d-4f7e-8c3a-9a0b1c2d3e4f"
    const forged = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544"
    lying(liar, () => [{ id: forged, status: "success", result: { container: "a", output: { forged: true } } }])
    const client = createNodeClient({ baseUrl: liar.url })
    try {
      const error = await client.getJobResultSync(asked).then(
        () => assert.fail("expected a failure"),
        (e: NodeClientError.NodeClientError) => e
      )
      assert.strictEqual(error.reason._tag, "UnexpectedResponse")
      assert.include(error.message, `the node answered with job ${forged}, not the job asked for (${asked})`)
    } finally {
      await client.close()
    }
  })
})

describe("discovery: a bad router address is skipped, the good ones kept, refreshing goes on", () => {
  const bad = ["127.0.0.1:99999", "bad host:4000", "ftp://127.0.0.1:21", "127.0.0.1:4000/?x=1", "[::1:4000"]

  it("createNodePool resolves with the good nodes, counts and logs each bad address once", async () => {
    const good = await node("good")
    const other = await node("other")
    const r = await router([addressOf(good), ...bad, addressOf(other)])
    const logs: Array<string> = []
    await runPool(
      { router: { url: r.url, containers: ["a"], refreshInterval: "20 millis" }, ...quiet },
      (pool) =>
        Effect.gen(function* () {
          const first = yield* pool.snapshot
          assert.sameMembers(
            first.map((s) => s.url),
            [good.url, other.url]
          )
          assert.strictEqual(first.discovery?.skippedAddresses, bad.length)
          assert.sameMembers(
            first.discovery!.skipped.map((s) => s.address),
            bad
          )
          const submitted = yield* pool.submitJob(job())
          assert.include([good.url, other.url], submitted.node)
          // Later refreshes (background, every 20 ms) still list the bad ones, and find a new node.
          const late = yield* Effect.promise(() => fakeNode("late"))
          track(late)
          r.answer = [...bad, addressOf(late), addressOf(good)]
          // Waits (up to 5 s, for a loaded machine) for a background refresh to find it.
          const found = () => Effect.map(pool.snapshot, (s) => s.some((node) => node.url === late.url))
          for (let i = 0; i < 250 && !(yield* found()); i++) yield* Effect.promise(() => sleep(20))
          const after = yield* pool.snapshot
          assert.include(
            after.map((s) => s.url),
            late.url
          )
          assert.strictEqual(after.discovery?.skippedAddresses, bad.length)
          assert.isUndefined(after.discovery?.lastError)
        }),
      logs
    )
    for (const address of bad) {
      assert.strictEqual(logs.filter((line) => line.includes(JSON.stringify(address))).length, 1, address)
    }
  })

  it("the Promise API's createNodePool never rejects for them", async () => {
    const good = await node("good")
    const r = await router([...bad, addressOf(good)])
    const pool = await createNodePool({ router: { url: r.url, containers: ["a"] }, ...quiet })
    try {
      const snapshot = await pool.snapshot()
      assert.deepStrictEqual(
        snapshot.map((s) => s.url),
        [good.url]
      )
      assert.strictEqual((await pool.submitJob(job())).node, good.url)
    } finally {
      await pool.close()
    }
  })
})

describe("cool-downs: a 429 on job creation steers new jobs elsewhere, reads go on", () => {
  it("reads of a rate-limited node's jobs go through; new jobs go to the other node; capped by maxCooldown", async () => {
    const limited = await node("limited")
    const spare = await node("spare")
    spare.containers = []
    await runPool({ nodes: [limited.url, spare.url], maxCooldown: "2 seconds", ...quiet }, (pool) =>
      Effect.gen(function* () {
        const first = yield* pool.submitJob(job())
        assert.strictEqual(first.node, limited.url)
        // The real node's limiter: 30 POST /api/jobs a minute, then 429 with a 5-minute Retry-After.
        limited.override = (_request, response, hit) =>
          hit.method === "POST"
            ? sendJson(response, 429, { error: "Too many requests" }, { "retry-after": "300" })
            : undefined
        spare.containers = ["a"]
        yield* pool.refresh
        // Both nodes are idle: ties go round-robin, so the limited node is tried (once) among these.
        const next = yield* Effect.forEach([1, 2, 3], () => pool.submitJob(job()))
        assert.isTrue(next.every((s) => s.node === spare.url))
        const second = next[0]!
        const posts = () => limited.hits.filter((h) => h.method === "POST").length
        assert.strictEqual(posts(), 2)
        // The limited node's existing job: results, sync wait and ids still come from it.
        const result = yield* pool.getJobResultSync(first.id)
        assert.deepStrictEqual(result.result as unknown, { container: "a", output: { node: "limited" } })
        assert.deepStrictEqual(
          (yield* pool.getJobResults([first.id, second.id])).map((r) => r.id),
          [first.id, second.id]
        )
        assert.sameMembers([...(yield* pool.getJobs())], [first.id, ...next.map((s) => s.id)])
        // New jobs go to the spare node without asking the limited one again.
        const third = yield* pool.submitJob(job())
        assert.strictEqual(third.node, spare.url)
        assert.strictEqual(posts(), 2)
        const [s0] = yield* pool.snapshot
        assert.strictEqual(s0!.state, "healthy")
        assert.isFalse(s0!.healthy)
        // Retry-After asked for 5 minutes; maxCooldown caps the pause at 2 s.
        const pause = s0!.jobsPausedUntil! - Date.now()
        assert.isAbove(pause, 1_000)
        assert.isAtMost(pause, 2_000)
      })
    )
  })

  it("a node cooled down by a 429 on reads is probed again after maxCooldown, not after Retry-After", async () => {
    const n = await node("n")
    await runPool(
      { nodes: [n.url], maxCooldown: "200 millis", probeInterval: "50 millis", infoInterval: "1 hour" },
      (pool) =>
        Effect.gen(function* () {
          const { id } = yield* pool.submitJob(job())
          n.override = (_request, response, hit) =>
            hit.method === "GET" && hit.path === "/api/jobs"
              ? sendJson(response, 429, { error: "slow down" }, { "retry-after": "3600" })
              : undefined
          const limited = failure(yield* Effect.either(pool.getJobResults([id], { retry: false })))
          assert.strictEqual(limited.reason._tag, "NodeUnavailable")
          const { probeAt } = (yield* pool.snapshot)[0]!
          // Retry-After asked for an hour: the node is probed again after maxCooldown (200 ms).
          assert.isAtMost(probeAt! - Date.now(), 200)
          n.override = undefined
          const readable = () => Effect.either(pool.getJobResults([id], { retry: false }))
          let again = yield* readable()
          for (let i = 0; i < 250 && Either.isLeft(again); i++) {
            yield* Effect.promise(() => sleep(20))
            again = yield* readable()
          }
          assert.isTrue(Either.isRight(again) && again.right.length === 1)
        })
    )
  })
})

describe("bounds: the largest answer read (maxResponseSize)", () => {
  /** A node streaming an endless 200 body (chunked, no Content-Length) on every route. */
  const endless = async () => {
    const n = await node("endless")
    const piece = Buffer.alloc(64 * 1024, "x")
    n.override = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      const pump = () => {
        while (!response.destroyed && response.write(piece)) {}
        if (!response.destroyed) response.once("drain", pump)
      }
      response.on("close", () => response.removeAllListeners("drain"))
      pump()
      return true
    }
    return n
  }

  it("the Effect API (undici) fails with ResponseTooLarge well before the timeout, and closes the connection", async () => {
    const n = await endless()
    const started = Date.now()
    const error = await Effect.runPromise(
      Effect.flatMap(NodeClient.make({ baseUrl: n.url, maxResponseSize: 1024 * 1024, retry: false }), (client) =>
        Effect.flip(client.info())
      ).pipe(Effect.provide(NodeHttpClient.layerUndici))
    )
    assert.strictEqual(error.reason._tag, "ResponseTooLarge")
    assert.include(error.message, "larger than 1 MiB (maxResponseSize)")
    assert.isBelow(Date.now() - started, 5_000)
    await n.hits[0]!.closed
  })

  it("the Promise API (fetch) with the default 64 MiB", async () => {
    const n = await endless()
    const client = createNodeClient({ baseUrl: n.url, retry: false })
    const started = Date.now()
    try {
      const error = await client.info().then(
        () => assert.fail("expected a failure"),
        (e: NodeClientError.NodeClientError) => e
      )
      assert.strictEqual(error.reason._tag, "ResponseTooLarge")
      if (error.reason._tag === "ResponseTooLarge") assert.strictEqual(error.reason.limit, 64 * 1024 * 1024)
      assert.isBelow(Date.now() - started, 15_000)
      await n.hits[0]!.closed
    } finally {
      await client.close()
    }
  })

  it("a pool's node option and a router's option", async () => {
    const n = await endless()
    const r = await router((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.write("[")
      const piece = `${'"127.0.0.1:1",'.repeat(4096)}`
      const pump = () => {
        while (!response.destroyed && response.write(piece)) {}
        if (!response.destroyed) response.once("drain", pump)
      }
      pump()
    })
    await runPool(
      {
        nodes: [n.url],
        router: { url: r.url, containers: ["a"], maxResponseSize: 256 * 1024, retry: false },
        client: { maxResponseSize: 256 * 1024 },
        ...quiet
      },
      (pool) =>
        Effect.gen(function* () {
          const [s0] = yield* pool.snapshot
          assert.strictEqual(s0!.state, "cooling")
          assert.include(s0!.lastError, "larger than 256 KiB")
          const snapshot = yield* pool.snapshot
          assert.include(snapshot.discovery?.lastError, "larger than 256 KiB")
        })
    )
  })
})

describe("lifetime: every fiber the pool starts belongs to its scope", () => {
  it("a probe after 'Container not supported' is started once, and interrupted by close()", async () => {
    const stale = await node("stale")
    const fresh = await node("fresh")
    const pool = await createNodePool({ nodes: [stale.url, fresh.url], ...quiet })
    // From now on, stale refuses the container and its /info hangs.
    stale.override = (_request, response, hit) => {
      if (hit.method === "POST")
        return sendJson(response, 405, { error: "Container not supported", params: { container: "a" } })
      if (hit.path === "/info") return true
      return undefined
    }
    const submitted = await Promise.all(Array.from({ length: 6 }, () => pool.submitJob(job())))
    assert.isTrue(submitted.every((s) => s.node === fresh.url))
    const infos = stale.hits.filter((h) => h.path === "/info")
    // One probe at start, one (de-duplicated) after the 405s.
    assert.isAbove(stale.hits.filter((h) => h.method === "POST").length, 1)
    assert.strictEqual(infos.length, 2)
    const hanging = infos[1]!
    let seen = false
    void hanging.closed.then(() => {
      seen = true
    })
    await pool.close()
    const deadline = Date.now() + 1_000
    while (!seen && Date.now() < deadline) await sleep(10)
    assert.isTrue(seen, "the hanging /info probe was not interrupted by close()")
  })
})

describe("router failures are named", () => {
  const cases: ReadonlyArray<{
    readonly name: string
    readonly make: () => Promise<string>
    readonly status?: number
    readonly retryAfter?: Duration.Duration
    readonly detail: RegExp
  }> = [
    { name: "refused", make: async () => `http://127.0.0.1:${await deadPort()}`, detail: /ECONNREFUSED/ },
    {
      name: "429 with Retry-After",
      make: async () =>
        (
          await router((_q, response) =>
            sendJson(response, 429, { error: "Too Many Requests" }, { "retry-after": "120" })
          )
        ).url,
      status: 429,
      retryAfter: Duration.seconds(120),
      detail: /rate limiting/
    },
    {
      name: "500",
      make: async () => (await router((_q, response) => sendJson(response, 500, { error: "boom" }))).url,
      status: 500,
      detail: /boom/
    },
    { name: "hang", make: async () => (await router(() => {})).url, detail: /no answer within 300ms/ }
  ]

  for (const c of cases) {
    it(`${c.name}: requestJob and getJobResults fail with RouterUnavailable naming the router`, async () => {
      const url = await c.make()
      const pool = await createNodePool({
        router: { url, containers: ["a"], timeout: "300 millis", retry: false },
        ...quiet
      })
      try {
        const error = await pool.requestJob(job()).then(
          () => assert.fail("expected a failure"),
          (e: PromiseError) => e
        )
        assert.strictEqual(error.reason._tag, "RouterUnavailable")
        if (error.reason._tag !== "RouterUnavailable") return
        assert.strictEqual(error.reason.router, url)
        assert.strictEqual(error.reason.status, c.status)
        // The Promise API's reasons are plain: Retry-After as milliseconds.
        assert.strictEqual(
          error.reason.retryAfterMs,
          c.retryAfter === undefined ? undefined : Duration.toMillis(c.retryAfter)
        )
        assert.match(error.message, c.detail)
        assert.include(error.message, `The router at ${url} could not be asked for nodes`)
        const results = await pool.getJobResults(["0b9ad3a4-4c4e-4a55-9d7b-1e4c38d6c0aa"]).then(
          () => assert.fail("expected a failure, not []"),
          (e: PromiseError) => e
        )
        assert.strictEqual(results.reason._tag, "RouterUnavailable")
        assert.match((await pool.snapshot()).discovery!.lastError!, c.detail)
      } finally {
        await pool.close()
      }
    })
  }
})

describe("not found only after asking every node the pool knows and can reach", () => {
  it("an untracked id on a node the router no longer lists is found there; a missing one names the nodes asked", async () => {
    const a = await node("a", ["a"])
    const b = await node("b", ["b"])
    const r = await router([addressOf(a), addressOf(b)])
    await runPool({ router: { url: r.url, containers: ["a"] }, maxTrackedJobs: 1, ...quiet }, (pool) =>
      Effect.gen(function* () {
        const onA = yield* pool.submitJob(job(["a"]))
        const onB = yield* pool.submitJob(job(["b"]))
        assert.deepStrictEqual([onA.node, onB.node], [a.url, b.url])
        // onA is no longer tracked (maxTrackedJobs 1), and the router stops listing a.
        assert.isUndefined(yield* pool.nodeOf(onA.id))
        r.answer = [addressOf(b)]
        yield* pool.refresh
        const result = yield* pool.getJobResultSync(onA.id)
        assert.deepStrictEqual(result.result as unknown, { container: "a", output: { node: "a" } })
        const missing = "3e2d1c0b-4a59-4867-9b5a-0c1d2e3f4a5b"
        const error = failure(yield* Effect.either(pool.getJobResultSync(missing)))
        assert.strictEqual(error.reason._tag, "JobNotFound")
        if (error.reason._tag === "JobNotFound") assert.sameMembers([...error.reason.asked!], [a.url, b.url])
        assert.include(error.message, `No node of the pool knows job ${missing} (asked `)
        assert.isTrue(a.hits.some((h) => h.ids.includes(missing)))
        assert.isTrue(b.hits.some((h) => h.ids.includes(missing)))
      })
    )
  })
})

describe("one node, one entry", () => {
  it("every spelling of a node is one node; pool.info accepts every spelling the pool reports", async () => {
    const n = await node("n")
    const spellings = [`127.0.0.1:${n.port}/`, `LOCALHOST:${n.port}`, `127.0.0.1:0${n.port}`, `localhost:${n.port}`]
    const r = await router(spellings)
    const pool = await createNodePool({ nodes: [`${n.url}/`], router: { url: r.url, containers: ["a"] }, ...quiet })
    try {
      const snapshot = await pool.snapshot()
      assert.strictEqual(snapshot.length, 1)
      const submitted = await pool.submitJob(job())
      for (const spelling of [submitted.node, snapshot[0]!.url, ...spellings, `http://LOCALHOST:${n.port}/`]) {
        assert.strictEqual((await pool.info(spelling)).version, "1.4.0", spelling)
      }
    } finally {
      await pool.close()
    }
  })
})

describe("bounds: the node list", () => {
  it("keeps at most n of a router's 2,000 addresses", async () => {
    const addresses = Array.from({ length: 2000 }, (_, i) => `127.0.0.${2 + (i % 200)}:${20_000 + i}`)
    const r = await router(addresses)
    const started = Date.now()
    await runPool({ router: { url: r.url, containers: ["a"], n: 5 }, ...quiet, probeTimeout: "200 millis" }, (pool) =>
      Effect.gen(function* () {
        // Five probes, not 2,000: the pool is ready at once.
        assert.isBelow(Date.now() - started, 2_000)
        const snapshot = yield* pool.snapshot
        assert.strictEqual(snapshot.length, 5)
        assert.include(r.hits[0]!.search, "n=5")
        assert.include(r.hits[0]!.path, "/api/v1/ips")
      })
    )
  })

  it("drops nodes a churning router no longer lists unless they hold tracked jobs; probes with bounded concurrency", async () => {
    const fleet = await Promise.all(Array.from({ length: 24 }, (_, i) => node(`n${i}`)))
    // Every /info takes 50 ms, so concurrent probes overlap; `probes` counts those in flight across the fleet.
    const probes = { now: 0, max: 0 }
    for (const n of fleet) {
      n.override = (_request, response, hit) => {
        if (hit.path !== "/info") return undefined
        probes.now++
        probes.max = Math.max(probes.max, probes.now)
        setTimeout(() => {
          probes.now--
          sendJson(response, 200, {
            version: "1.4.0",
            containers: [{ id: "a", image: "", description: "", external: true }],
            pending: { offchain: 0, onchain: 0 },
            chain: { enabled: false, address: "" }
          })
        }, 50)
        return true
      }
    }
    const r = await router(fleet.slice(0, 8).map(addressOf))
    await runPool({ router: { url: r.url, containers: ["a"], n: 8 }, probeConcurrency: 3, ...quiet }, (pool) =>
      Effect.gen(function* () {
        const kept = yield* pool.submitJob(job())
        for (let round = 1; round < 3; round++) {
          r.answer = fleet.slice(round * 8, round * 8 + 8).map(addressOf)
          yield* pool.refresh
        }
        const snapshot = yield* pool.snapshot
        // The 8 listed now, plus the node holding the tracked job.
        assert.strictEqual(snapshot.length, 9)
        assert.include(
          snapshot.map((s) => s.url),
          kept.node
        )
        assert.strictEqual(snapshot.filter((s) => s.listed).length, 8)
      })
    )
    assert.isAtMost(probes.max, 3)
    assert.isAtLeast(probes.max, 2)
  })
})
