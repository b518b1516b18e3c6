// Delegated subscriptions on POST /api/jobs (and batch, stream): the guardian, and the signature checks recorded
// under /__mock/subscriptions, with chain.md's test vectors posted as REST bodies.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { parseSignature } from "viem"
import { privateKeyToAccount } from "viem/accounts"
import { type MockConfig, MockNode } from "../src/index.js"
import { get, post } from "./utils/http.js"
import { withNode } from "./utils/node.js"
import { V0_COORDINATOR, V0_OWNER, v0Body } from "./utils/subscriptions.js"

const SIGNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
const ZERO = "0x0000000000000000000000000000000000000000"

// chain.md, generation 2
const V1_COORDINATOR = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
const V1_OWNER = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
const v1Body = (overrides: { subscription?: object } = {}) => ({
  subscription: {
    owner: V1_OWNER,
    active_at: 1700000000,
    period: 60,
    frequency: 10,
    redundancy: 2,
    containers: "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
    lazy: false,
    verifier: ZERO,
    payment_amount: 0,
    payment_token: ZERO,
    wallet: ZERO,
    ...overrides.subscription
  },
  signature: {
    nonce: 1,
    expiry: 2000000000,
    v: 28,
    r: 0xcb47bffafdce89a7ab160b2668742891e31c50b0fdbeb8a1e9a23527bbd6f971n,
    s: 0x4bd00b37fcb7c4390aac9b11e124f13b3911c48ecbc5c68f4d1c368a06686d75n
  },
  data: {}
})

const chainConfig = (
  coordinator: string | undefined,
  signers: Record<string, string>,
  extra: { containers?: MockConfig.Input["containers"]; mock?: MockConfig.Input["mock"] } = {}
): MockConfig.Input => ({
  containers: extra.containers ?? [
    { id: "hello-world", behavior: { type: "hello-world" } },
    { id: "another", behavior: { type: "echo" } },
    { id: "third", behavior: { type: "echo" } }
  ],
  chain: { enabled: true, ...(coordinator === undefined ? {} : { coordinator_address: coordinator }) },
  mock: { delegate_signers: signers, ...extra.mock }
})

describe("delegated subscriptions: signature checks", () => {
  it("verifies chain.md's generation 1 vector posted as a REST body", () =>
    withNode({ config: chainConfig(V0_COORDINATOR, { [V0_OWNER]: SIGNER }) }, async (node) => {
      const res = await post(node.url, "/api/jobs", v0Body())
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.text, "{}\n")
      const [record] = await node.subscriptions()
      assert.deepStrictEqual(record!.signature, { status: "verified", signer: SIGNER })
      assert.strictEqual(record!.version, "v0")
      assert.deepStrictEqual(record!.containers, ["hello-world", "another"])
      assert.strictEqual(record!.accepted, true)
      assert.strictEqual(record!.owner, V0_OWNER)
      // r and s survive exactly in the recorded request, and over the control API.
      const listed = (await get(node.url, "/__mock/subscriptions")).json<Array<any>>()
      assert.strictEqual(
        listed[0].request.signature.r,
        0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fbn
      )
      assert.deepStrictEqual(listed[0].signature, { signer: SIGNER, status: "verified" })
      // Subscriptions create no job.
      assert.deepStrictEqual((await get(node.url, "/api/jobs")).json(), [])
    }))

  it("verifies chain.md's generation 2 vector, resolving its containers hash", () =>
    withNode({ config: chainConfig(V1_COORDINATOR, { [V1_OWNER.toLowerCase()]: SIGNER }) }, async (node) => {
      const res = await post(node.url, "/api/jobs", v1Body())
      assert.strictEqual(res.status, 200)
      assert.deepStrictEqual(res.json(), {})
      const [record] = await node.subscriptions()
      assert.deepStrictEqual(record!.signature, { status: "verified", signer: SIGNER })
      assert.strictEqual(record!.version, "v1")
      assert.deepStrictEqual(record!.containers, ["hello-world", "another"])
    }))

  it("records signer_mismatch, unknown_owner, invalid_signature and not_checked without refusing (as the real node)", () =>
    withNode(
      { config: chainConfig(V0_COORDINATOR, { [V0_OWNER]: "0x0000000000000000000000000000000000000001" }) },
      async (node) => {
        assert.strictEqual((await post(node.url, "/api/jobs", v0Body())).status, 200)
        // A tampered subscription recovers to some other address.
        assert.strictEqual((await post(node.url, "/api/jobs", v0Body({ subscription: { period: 61 } }))).status, 200)
        const other = "0x1111111111111111111111111111111111111111"
        assert.strictEqual((await post(node.url, "/api/jobs", v0Body({ subscription: { owner: other } }))).status, 200)
        assert.strictEqual((await post(node.url, "/api/jobs", v0Body({ signature: { s: 0n } }))).status, 200)
        const [mismatch, tampered, unknown, invalid] = await node.subscriptions()
        assert.deepStrictEqual(mismatch!.signature, {
          status: "signer_mismatch",
          recovered: SIGNER,
          expected: "0x0000000000000000000000000000000000000001"
        })
        assert.strictEqual(tampered!.signature.status, "signer_mismatch")
        if (tampered!.signature.status === "signer_mismatch")
          assert.notStrictEqual(tampered!.signature.recovered, SIGNER)
        assert.strictEqual(unknown!.signature.status, "unknown_owner")
        assert.strictEqual(invalid!.signature.status, "invalid_signature")
      }
    ))

  it("says not_checked when no coordinator is configured", () =>
    withNode({ config: chainConfig(undefined, {}) }, async (node) => {
      await post(node.url, "/api/jobs", v0Body())
      const [record] = await node.subscriptions()
      assert.deepStrictEqual(record!.signature, {
        status: "not_checked",
        reason: "chain.coordinator_address is not configured"
      })
    }))
})

describe("delegated subscriptions: the guardian", () => {
  it("chain disabled: 500, as the real node, whose 405 'Chain not enabled' echoes the message and cannot be serialised", () =>
    withNode({ config: { containers: [{ id: "hello-world" }, { id: "another" }] } }, async (node) => {
      const res = await post(node.url, "/api/jobs", v0Body())
      // Node 1.4's guardian puts the refused DelegatedSubscriptionMessage in `params`; jsonify fails on its
      // MessageType enum, and the route's `except` answers 500 "Internal server error: <exception>".
      assert.strictEqual(res.status, 500)
      assert.deepStrictEqual(res.json(), {
        error:
          "Internal server error: Object of type MessageType is not JSON serializable (the guardian refused it: Chain not enabled)"
      })
      const stream = await post(node.url, "/api/jobs/stream", v0Body())
      assert.strictEqual(stream.status, 500)
      assert.include(stream.json().error, "Internal server error: Object of type MessageType is not JSON serializable")
      const [record] = await node.subscriptions()
      assert.strictEqual(record!.accepted, false)
      assert.strictEqual(record!.error, "Chain not enabled")
    }))

  it("chain disabled in a batch: the whole batch is 500 (two spaces, as the node writes it), the other items' jobs still start", () =>
    withNode({ config: { containers: [{ id: "hello-world" }] } }, async (node) => {
      const job = { containers: ["hello-world"], data: { n: 1 } }
      const res = await post(node.url, "/api/jobs/batch", [job, v0Body(), job])
      assert.strictEqual(res.status, 500)
      assert.deepStrictEqual(res.json(), {
        error:
          "Could not enqueue job:  Object of type MessageType is not JSON serializable (the guardian refused it: item 1: Chain not enabled)"
      })
      // The real node creates the jobs' tasks before it fails to write the answer: they run, their ids are lost.
      assert.strictEqual((await node.jobs()).length, 2)
    }))

  it.effect("refuses expired signatures by the mock's clock, unless mock.ignore_expiry", () =>
    Effect.gen(function* () {
      const call = <A>(f: () => Promise<A>) => Effect.promise(f)
      const strict = yield* MockNode.make({ config: chainConfig(V0_COORDINATOR, { [V0_OWNER]: SIGNER }) })
      // TestClock starts at the epoch: expiry 2000000000 is in the future.
      assert.strictEqual((yield* call(() => post(strict.url, "/api/jobs", v0Body()))).status, 200)
      yield* TestClock.adjust(Duration.seconds(100))
      const expired = yield* call(() => post(strict.url, "/api/jobs", v0Body({ signature: { expiry: 99 } })))
      // 500, as the real node, whose "Signature expired" rejection echoes the message and cannot be serialised.
      assert.strictEqual(expired.status, 500)
      assert.strictEqual(
        expired.json().error,
        "Internal server error: Object of type MessageType is not JSON serializable (the guardian refused it: Signature expired)"
      )
      // `expiry < now` expires: a signature valid until this very second still passes the guardian.
      const boundary = yield* call(() => post(strict.url, "/api/jobs", v0Body({ signature: { expiry: 100 } })))
      assert.strictEqual(boundary.status, 200)

      const lenient = yield* MockNode.make({
        config: chainConfig(V0_COORDINATOR, { [V0_OWNER]: SIGNER }, { mock: { ignore_expiry: true } })
      })
      // Expiry 99 was signed as 2000000000: accepted, and the recorded check shows the signature no longer matches.
      assert.strictEqual(
        (yield* call(() => post(lenient.url, "/api/jobs", v0Body({ signature: { expiry: 99 } })))).status,
        200
      )
      const [record] = yield* lenient.subscriptions()
      assert.strictEqual(record!.signature.status, "signer_mismatch")
    }).pipe(Effect.scoped)
  )

  it("checks containers, external, proofs and allowed delegate addresses in the real node's order", () =>
    withNode(
      {
        config: chainConfig(
          V1_COORDINATOR,
          {},
          {
            containers: [
              { id: "hello-world", allowed_delegate_addresses: [V1_OWNER.toLowerCase()] },
              { id: "another", allowed_delegate_addresses: ["0x0000000000000000000000000000000000000001"] },
              { id: "internal", external: false }
            ]
          }
        )
      },
      async (node) => {
        const v0 = (container_id: string) => v0Body({ subscription: { container_id, owner: V1_OWNER } })
        const cases: ReadonlyArray<readonly [unknown, number, unknown]> = [
          [v0("hello-world,nope"), 405, { error: "Container not supported", params: { container: "nope" } }],
          [v0(""), 405, { error: "Container not supported", params: { container: "" } }],
          [
            v0("internal,hello-world"),
            405,
            { error: "First container must be external", params: { first_container: "internal" } }
          ],
          [
            v0("hello-world,another"),
            405,
            { error: "Container not allowed for address", params: { container: "another", address: V1_OWNER } }
          ],
          [v0("hello-world"), 200, {}],
          [
            v1Body({ subscription: { verifier: "0x00000000000000000000000000000000000000aa" } }),
            405,
            { error: "Container does not generate proof", params: { container: "another" } }
          ]
        ]
        for (const [body, status, answer] of cases) {
          const res = await post(node.url, "/api/jobs", body)
          assert.strictEqual(res.status, status, JSON.stringify(answer))
          assert.deepStrictEqual(res.json(), answer)
        }
        // A v1 hash that names no combination of this node's containers: the real node crashes on it.
        const unknownHash = await post(
          node.url,
          "/api/jobs",
          v1Body({ subscription: { containers: `0x${"ab".repeat(32)}` } })
        )
        assert.strictEqual(unknownHash.status, 500)
        assert.match(
          unknownHash.json().error,
          /^Internal server error: subscription containers 0xabab.* match no combination/
        )
      }
    ))

  it("answers {} in a batch, and 405 on the stream route", () =>
    withNode({ config: chainConfig(V0_COORDINATOR, { [V0_OWNER]: SIGNER }) }, async (node) => {
      const batch = await post(node.url, "/api/jobs/batch", [v0Body(), { containers: ["hello-world"], data: {} }])
      assert.strictEqual(batch.status, 200)
      const [sub, job] = batch.json<Array<any>>()
      assert.deepStrictEqual(sub, {})
      assert.property(job, "id")
      const stream = await post(node.url, "/api/jobs/stream", v0Body())
      assert.strictEqual(stream.status, 405)
      assert.strictEqual(stream.text, '{"error":"Streaming only supported for OffchainJob requests."}\n')
      const routes = (await node.subscriptions()).map((r) => [r.route, r.accepted])
      assert.deepStrictEqual(routes, [
        ["POST /api/jobs/batch", true],
        ["POST /api/jobs/stream", false]
      ])
    }))
})

describe("the usage page's delegated subscription", () => {
  const PAGE_KEY = "0xb25c7db31feed9122727bf0939dc769a96564b2ae4c4726d035b36ecf1e5b364"
  const PAGE_COORDINATOR = "0x1FbDB2315678afecb369f032d93F642f64140aa3"
  const subscription = {
    owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    active_at: 0,
    period: 3,
    frequency: 2,
    redundancy: 2,
    max_gas_price: 1000000000000,
    max_gas_limit: 3000000,
    container_id: "openai-inference",
    inputs: "0x"
  } as const
  const input = {
    model: "gpt-3.5-turbo-16k",
    params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
  }

  // Signed here with viem directly, independently of the mock's and @infernet/chain's code.
  const signPage = async (expiry: number, nonce: number) => {
    const hex = await privateKeyToAccount(PAGE_KEY).signTypedData({
      domain: {
        name: "InfernetCoordinator",
        version: "1",
        chainId: 31337,
        verifyingContract: PAGE_COORDINATOR.toLowerCase() as `0x${string}`
      },
      types: {
        DelegateSubscription: [
          { name: "nonce", type: "uint32" },
          { name: "expiry", type: "uint32" },
          { name: "sub", type: "Subscription" }
        ],
        Subscription: [
          { name: "owner", type: "address" },
          { name: "activeAt", type: "uint32" },
          { name: "period", type: "uint32" },
          { name: "frequency", type: "uint32" },
          { name: "redundancy", type: "uint16" },
          { name: "maxGasPrice", type: "uint48" },
          { name: "maxGasLimit", type: "uint32" },
          { name: "containerId", type: "string" },
          { name: "inputs", type: "bytes" }
        ]
      },
      primaryType: "DelegateSubscription",
      message: {
        nonce,
        expiry,
        sub: {
          owner: subscription.owner,
          activeAt: 0,
          period: 3,
          frequency: 2,
          redundancy: 2,
          maxGasPrice: 1000000000000,
          maxGasLimit: 3000000,
          containerId: "openai-inference",
          inputs: "0x"
        }
      }
    })
    const { r, s, v } = parseSignature(hex)
    return { subscription, signature: { nonce, expiry, v: Number(v), r: BigInt(r), s: BigInt(s) }, data: input }
  }

  it.effect("is verified against the default configuration (clock before the page's expiry)", () =>
    Effect.gen(function* () {
      const node = yield* MockNode.make()
      const body = yield* Effect.promise(() => signPage(1713376164, 1))
      const res = yield* Effect.promise(() => post(node.url, "/api/jobs", body))
      assert.strictEqual(res.status, 200)
      assert.deepStrictEqual(res.json(), {})
      const [record] = yield* node.subscriptions()
      assert.deepStrictEqual(record!.signature, {
        status: "verified",
        signer: privateKeyToAccount(PAGE_KEY).address
      })
      assert.deepStrictEqual(record!.containers, ["openai-inference"])
    }).pipe(Effect.scoped)
  )

  it("is refused as expired in real time today, with its signature still verified in the record", () =>
    withNode(undefined, async (node) => {
      const res = await post(node.url, "/api/jobs", await signPage(1713376164, 1))
      assert.strictEqual(res.status, 500)
      assert.include(res.json().error, "(the guardian refused it: Signature expired)")
      const [record] = await node.subscriptions()
      assert.strictEqual(record!.signature.status, "verified")
    }))
})
