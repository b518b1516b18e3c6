// POST /api/jobs and GET /api/jobs: job creation, the guardian, chaining, results, ownership and the pending TTL.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { MockNode } from "../src/index.js"
import { eventually, get, post, put, request, waitForJob } from "./utils/http.js"
import { withNode } from "./utils/node.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("POST /api/jobs", () => {
  it("answers a UUIDv4 id; the job is running, then success", () =>
    withNode(
      { config: { containers: [{ id: "slow", behavior: { type: "static", output: { ok: true }, latency_ms: 150 } }] } },
      async (node) => {
        const res = await post(node.url, "/api/jobs", { containers: ["slow"], data: {} })
        assert.strictEqual(res.status, 200)
        assert.strictEqual(res.headers["content-type"], "application/json")
        const { id } = res.json<{ id: string }>()
        assert.match(id, UUID_V4)
        assert.strictEqual(res.text, `{"id":"${id}"}\n`)
        const running = await get(node.url, `/api/jobs?id=${id}`)
        assert.deepStrictEqual(running.json(), [{ id, status: "running", result: null }])
        const done = await waitForJob(node.url, id)
        assert.deepStrictEqual(done, { id, status: "success", result: { container: "slow", output: { ok: true } } })
      }
    ))

  it("chains containers: each receives the previous container's whole output as data", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "first", behavior: { type: "static", output: { step: 1, tags: ["a", "b"] } } },
            { id: "second", behavior: { type: "hello-world" } },
            { id: "third", behavior: { type: "echo" } }
          ]
        }
      },
      async (node) => {
        const res = await post(node.url, "/api/jobs", { containers: ["first", "second", "third"], data: { x: 1 } })
        const { id } = res.json<{ id: string }>()
        const plain = await waitForJob(node.url, id)
        assert.notProperty(plain, "intermediate_results")
        const job = await waitForJob(node.url, id, { intermediate: true })
        const second = {
          output:
            "hello, world!, your input was: {'source': 1, 'destination': 1, 'data': {'step': 1, 'tags': ['a', 'b']}, 'requires_proof': False}"
        }
        assert.deepStrictEqual(job, {
          id,
          status: "success",
          // `echo` returns the data it received: the second container's whole output.
          result: { container: "third", output: second },
          intermediate_results: [
            { container: "first", output: { step: 1, tags: ["a", "b"] } },
            { container: "second", output: second }
          ]
        })
      }
    ))

  it("stops a chain at the first failing container, with a ContainerError as the result", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "a", behavior: { type: "static", output: [1, 2] } },
            { id: "b", port: 3123, behavior: { type: "fail" } },
            { id: "c", behavior: { type: "static", output: "never" } }
          ]
        }
      },
      async (node) => {
        const { id } = (await post(node.url, "/api/jobs", { containers: ["a", "b", "c"], data: {} })).json()
        const job = await waitForJob(node.url, id, { intermediate: true })
        assert.deepStrictEqual(job, {
          id,
          status: "failed",
          result: {
            container: "b",
            error: "Cannot connect to host localhost:3123 ssl:default [Connect call failed ('127.0.0.1', 3123)]"
          },
          intermediate_results: [{ container: "a", output: [1, 2] }]
        })
      }
    ))

  it("checks the guardian's rules in the real node's order, answering 405 with exact messages and params", () =>
    withNode(
      {
        config: {
          containers: [
            { id: "ext", behavior: { type: "echo" } },
            { id: "internal", external: false, behavior: { type: "echo" } },
            { id: "prover", generates_proofs: true, behavior: { type: "echo" } },
            { id: "elsewhere", allowed_ips: ["10.0.0.0/8", "127.0.0.2"], behavior: { type: "echo" } }
          ]
        }
      },
      async (node) => {
        const cases: ReadonlyArray<readonly [unknown, unknown]> = [
          [
            { containers: [], data: {} },
            { error: "No containers specified", params: {} }
          ],
          [
            { containers: ["ext", "nope", "internal"], data: {} },
            { error: "Container not supported", params: { container: "nope" } }
          ],
          // unknown (2) beats not external (3)
          [
            { containers: ["internal", "nope"], data: {} },
            { error: "Container not supported", params: { container: "nope" } }
          ],
          [
            { containers: ["internal", "ext"], data: {} },
            { error: "First container must be external", params: { first_container: "internal" } }
          ],
          // not external (3) beats proof (4)
          [
            { containers: ["internal"], data: {}, requires_proof: true },
            { error: "First container must be external", params: { first_container: "internal" } }
          ],
          [
            { containers: ["prover", "ext"], data: {}, requires_proof: true },
            { error: "Container does not generate proof", params: { container: "ext" } }
          ],
          // proof (4) beats allowed IPs (5)
          [
            { containers: ["elsewhere", "ext"], data: {}, requires_proof: true },
            { error: "Container does not generate proof", params: { container: "ext" } }
          ],
          [
            { containers: ["ext", "elsewhere"], data: {} },
            { error: "Container not allowed for address", params: { container: "elsewhere", address: "127.0.0.1" } }
          ]
        ]
        for (const [body, expected] of cases) {
          const res = await post(node.url, "/api/jobs", body)
          assert.strictEqual(res.status, 405, JSON.stringify(body))
          assert.deepStrictEqual(res.json(), expected)
        }
        const proof = await post(node.url, "/api/jobs", {
          containers: ["ext", "prover"],
          data: {},
          requires_proof: true
        })
        assert.strictEqual(proof.status, 200)
        // 127.0.0.2 is in allowed_ips
        const allowed = await post(
          node.url,
          "/api/jobs",
          { containers: ["elsewhere"], data: {} },
          { localAddress: "127.0.0.2" }
        )
        assert.strictEqual(allowed.status, 200)
        // Nothing rejected was stored.
        assert.strictEqual((await get(node.url, "/api/jobs")).json<Array<string>>().length, 1)
      }
    ))

  it("answers 500 with an Internal server error for bodies that are not a job", () =>
    withNode({ config: { containers: [{ id: "echo" }] } }, async (node) => {
      const json = { "content-type": "application/json" }
      const cases: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
        ["not json", json, /^Internal server error: invalid JSON: /],
        ["", json, /^Internal server error: invalid JSON: the body is empty$/],
        ["[1, 2]", json, /^Internal server error: expected a JSON object: /],
        ['"text"', json, /^Internal server error: expected a JSON object: /],
        ['{"containers": ["echo"]}', json, /^Internal server error: not a valid job request: data: is missing$/],
        [
          '{"containers": ["echo"], "data": [1]}',
          json,
          /^Internal server error: not a valid job request: data: expected an object, got \[1\]$/
        ],
        ['{"containers": "echo", "data": {}}', json, /^Internal server error: not a valid job request: containers: /],
        [
          '{"containers": ["echo"], "data": {}, "requires_proof": "yes"}',
          json,
          /^Internal server error: not a valid job request: requires_proof: /
        ],
        ['{"subscription": {}, "data": {}}', json, /^Internal server error: not a valid delegated subscription: /],
        [
          '{"containers": ["echo"], "data": {}}',
          { "content-type": "text/plain" },
          /^Internal server error: expected Content-Type: application\/json, got "text\/plain"$/
        ],
        [
          '{"containers": ["echo"], "data": {}}',
          {},
          /^Internal server error: expected Content-Type: application\/json, got none$/
        ]
      ]
      for (const [body, headers, pattern] of cases) {
        const res = await request(node.url, "/api/jobs", { method: "POST", body, headers })
        assert.strictEqual(res.status, 500, body)
        const answer = res.json<{ error: string }>()
        assert.deepStrictEqual(Object.keys(answer), ["error"])
        assert.match(answer.error, pattern)
      }
      // Extra keys are ignored, and a JSON content type with parameters is fine.
      const extra = await request(node.url, "/api/jobs", {
        method: "POST",
        body: '{"containers": ["echo"], "data": {}, "extra": 1}',
        headers: { "content-type": "application/json; charset=utf-8" }
      })
      assert.strictEqual(extra.status, 200)
    }))
})

describe("GET /api/jobs", () => {
  const config = {
    containers: [
      { id: "fast", behavior: { type: "static" as const, output: "done" } },
      { id: "slow", behavior: { type: "static" as const, output: "late", latency_ms: 60_000 } }
    ]
  }

  it("lists this client's ids, filtered by pending=true|false and status=pending|completed", () =>
    withNode({ config }, async (node) => {
      const fast = (await post(node.url, "/api/jobs", { containers: ["fast"], data: {} })).json().id
      await waitForJob(node.url, fast)
      const slow = (await post(node.url, "/api/jobs", { containers: ["slow"], data: {} })).json().id
      // Pending ids first, then completed ones, as the real node lists them.
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [slow, fast])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?pending=true")).json(), [slow])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?pending=false")).json(), [fast])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=pending")).json(), [slow])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=completed")).json(), [fast])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?status=all")).json(), [slow, fast])
      // `pending` wins over `status`; other values mean all.
      assert.deepStrictEqual((await get(node.url, "/api/jobs?pending=true&status=completed")).json(), [slow])
      assert.deepStrictEqual((await get(node.url, "/api/jobs?pending=yes")).json(), [slow, fast])
    }))

  it("fetches results by repeated id: completed first, unknown ids left out, intermediate only on request", () =>
    withNode({ config }, async (node) => {
      const fast = (await post(node.url, "/api/jobs", { containers: ["fast"], data: {} })).json().id
      await waitForJob(node.url, fast)
      const slow = (await post(node.url, "/api/jobs", { containers: ["slow"], data: {} })).json().id
      const unknown = "d77215c8-dd25-4843-89c4-788eef9ed324"
      const res = await get(node.url, `/api/jobs?id=${slow}&id=${unknown}&id=${fast}`)
      assert.deepStrictEqual(res.json(), [
        { id: fast, status: "success", result: { container: "fast", output: "done" } },
        { id: slow, status: "running", result: null }
      ])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${unknown}`)).json(), [])
      // A comma-joined list is one (unknown) id.
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${fast},${slow}`)).json(), [])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${fast}&intermediate=true`)).json(), [
        { id: fast, status: "success", result: { container: "fast", output: "done" }, intermediate_results: [] }
      ])
    }))

  it("keeps jobs private to the client address that created them", () =>
    withNode({ config }, async (node) => {
      const mine = (await post(node.url, "/api/jobs", { containers: ["fast"], data: { who: "one" } })).json().id
      const theirs = (
        await post(node.url, "/api/jobs", { containers: ["fast"], data: { who: "two" } }, { localAddress: "127.0.0.2" })
      ).json().id
      await waitForJob(node.url, mine)
      await waitForJob(node.url, theirs, { localAddress: "127.0.0.2" })
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [mine])
      assert.deepStrictEqual((await get(node.url, "/api/jobs", { localAddress: "127.0.0.2" })).json(), [theirs])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${theirs}`)).json(), [])
      assert.deepStrictEqual((await get(node.url, `/api/jobs?id=${mine}`, { localAddress: "127.0.0.2" })).json(), [])
      // /info counts pending jobs of every client.
      await post(node.url, "/api/jobs", { containers: ["slow"], data: {} })
      await post(node.url, "/api/jobs", { containers: ["slow"], data: {} }, { localAddress: "127.0.0.2" })
      assert.deepStrictEqual((await get(node.url, "/info")).json().pending, { offchain: 2, onchain: 0 })
      const jobs = await node.jobs()
      assert.deepStrictEqual(jobs.map((j) => j.client).sort(), ["127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2"])
    }))
})

describe("pending TTL", () => {
  it.effect("drops pending jobs older than mock.pending_ttl_seconds, as the real node's Redis key expires", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make({
        config: {
          containers: [{ id: "slow", behavior: { type: "static", output: "late", latency_ms: 90_000 } }],
          mock: { pending_ttl_seconds: 60 }
        }
      })
      const call = <A>(f: () => Promise<A>) => Effect.promise(f)
      const id = (yield* call(() => post(node.url, "/api/jobs", { containers: ["slow"], data: {} }))).json().id
      const status = yield* call(() =>
        put(node.url, "/api/status", {
          id: "d77215c8-dd25-4843-89c4-788eef9ed324",
          status: "running",
          containers: ["x"]
        })
      )
      assert.strictEqual(status.status, 200)
      assert.strictEqual((yield* call(() => get(node.url, "/api/jobs?pending=true"))).json().length, 2)

      yield* TestClock.adjust(Duration.seconds(59))
      assert.strictEqual((yield* call(() => get(node.url, "/info"))).json().pending.offchain, 2)

      yield* TestClock.adjust(Duration.seconds(1))
      assert.deepStrictEqual((yield* call(() => get(node.url, "/api/jobs"))).json(), [])
      assert.deepStrictEqual((yield* call(() => get(node.url, `/api/jobs?id=${id}`))).json(), [])
      assert.strictEqual((yield* call(() => get(node.url, "/info"))).json().pending.offchain, 0)

      // The container call was not cancelled: when it finishes, the job lands among the completed, as on the real node.
      yield* TestClock.adjust(Duration.seconds(30))
      const late = yield* Effect.promise(() =>
        eventually(
          () => get(node.url, `/api/jobs?id=${id}`),
          (res) => res.json().length > 0
        )
      )
      assert.deepStrictEqual(late.json(), [{ id, status: "success", result: { container: "slow", output: "late" } }])
    }).pipe(Effect.scoped)
  )
})
