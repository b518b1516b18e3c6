/**
 * Delegated subscriptions: the usage page's example signed with @infernet/chain and sent to node-mock (which
 * recovers the signer), pre-signed requests, and the SubscriptionError cases.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Subscription } from "@infernet/chain"
import type { RunningMockNode } from "@infernet/node-mock"
import { DelegatedSubscription, Json } from "@infernet/types"
import { Effect, Redacted, Schema } from "effect"
import { NodeClient } from "../src/index.js"
import { createNodeClient } from "../src/promise.js"
import { DelegatedSubscriptions, requestDelegatedSubscription } from "../src/subscriptions.js"
import { NodeClientError as PromiseNodeClientError } from "../src/promise.js"
import { failure } from "./utils/exit.js"
import { ids, json, makeFake } from "./utils/fakeHttp.js"
import { closedPort, start, withClient } from "./utils/mock.js"

// The usage page's values.
const COORDINATOR_ADDRESS = "0x1FbDB2315678afecb369f032d93F642f64140aa3"
const EXPIRY = 1713376164
const PRIVATE_KEY = "0xb25c7db31feed9122727bf0939dc769a96564b2ae4c4726d035b36ecf1e5b364"
const inputData = {
  model: "gpt-3.5-turbo-16k",
  params: { endpoint: "completion", messages: [{ role: "user", content: "how do I make pizza?" }] }
}
const subscription = Subscription.v0({
  owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  activeAt: 0,
  period: 3,
  frequency: 2,
  redundancy: 2,
  maxGasPrice: 1000000000000,
  maxGasLimit: 3000000,
  containerId: "openai-inference",
  inputs: "0x"
})
const future = () => Math.floor(Date.now() / 1000) + 3600

let node: RunningMockNode
beforeAll(async () => {
  node = await start()
})
afterAll(async () => {
  await node?.close()
})

// The mock is on chain id 31337 and has no RPC here: pass the chain id and a nonce instead of reading them.
const offline = { chainId: 31337, nonce: 7, checkDomain: false } as const

/** The usage page's subscription for the Promise API, the key as a plain string. */
const promiseParams = (expiry: number) => ({
  account: PRIVATE_KEY,
  coordinator: COORDINATOR_ADDRESS,
  subscription,
  expiry,
  data: inputData,
  ...offline
})

describe("DelegatedSubscriptions.request against node-mock", () => {
  it.live("the usage page's subscription, signed with its key: accepted, and the node recovers the right signer", () =>
    withClient(node.url, () =>
      Effect.gen(function* () {
        yield* Effect.promise(() => node.reset())
        const sent = yield* DelegatedSubscriptions.request({
          account: Redacted.make(PRIVATE_KEY),
          coordinator: COORDINATOR_ADDRESS,
          subscription,
          expiry: future(),
          data: inputData,
          ...offline
        })
        assert.isUndefined(sent.id)
        assert.isUndefined(sent.simulation)
        assert.strictEqual(sent.request.signature.nonce, 7)
        assert.strictEqual(typeof sent.request.signature.r, "bigint")
        const [recorded] = yield* Effect.promise(() => node.subscriptions())
        assert.strictEqual(recorded?.accepted, true)
        assert.strictEqual(recorded?.version, "v0")
        assert.strictEqual(recorded?.nonce, 7)
        assert.deepStrictEqual(recorded?.containers, ["openai-inference"])
        assert.deepStrictEqual(recorded?.signature, {
          status: "verified",
          signer: "0xD00562608042B94769313CeccdDf6a9Ec8702791"
        })
      })
    )
  )

  it.live("with the usage page's expiry (in the past) the node rejects it: ApiError Signature expired", () =>
    withClient(node.url, () =>
      Effect.gen(function* () {
        const error = failure(
          yield* Effect.exit(
            DelegatedSubscriptions.request({
              account: Redacted.make(PRIVATE_KEY),
              coordinator: COORDINATOR_ADDRESS,
              subscription,
              expiry: EXPIRY,
              data: inputData,
              ...offline
            })
          )
        )
        assert.strictEqual(error.reason._tag, "ApiError")
        assert.include(error.message, "Signature expired")
      })
    )
  )

  it.live("an invalid private key is a SubscriptionError that does not contain the key", () =>
    withClient(node.url, () =>
      Effect.gen(function* () {
        const badKey = "0x1234deadbeef"
        const error = failure(
          yield* Effect.exit(
            DelegatedSubscriptions.request({
              account: Redacted.make(badKey),
              coordinator: COORDINATOR_ADDRESS,
              subscription,
              expiry: future(),
              data: inputData,
              ...offline
            })
          )
        )
        assert.strictEqual(error.reason._tag, "SubscriptionError")
        assert.include(error.message, "Invalid private key")
        assert.notInclude(error.message, "deadbeef")
        assert.notInclude(JSON.stringify(error), "deadbeef")
      })
    )
  )

  it.live("an unreachable RPC (default nonce, chain id) is a SubscriptionError; nothing is sent", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(closedPort)
      yield* Effect.promise(() => node.reset())
      const error = yield* withClient(node.url, () =>
        Effect.exit(
          DelegatedSubscriptions.request({
            account: Redacted.make(PRIVATE_KEY),
            rpcUrl: `http://127.0.0.1:${port}`,
            coordinator: COORDINATOR_ADDRESS,
            subscription,
            expiry: future(),
            data: inputData,
            simulate: true
          })
        )
      )
      const reason = failure(error).reason
      assert.strictEqual(reason._tag, "SubscriptionError")
      assert.include(reason.message, "Could not prepare the delegated subscription: RPC call eth_chainId failed")
      assert.deepStrictEqual(yield* Effect.promise(() => node.subscriptions()), [])
    })
  )

  it("the Promise API takes the key as a string", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    await node.reset()
    const sent = await requestDelegatedSubscription(client, promiseParams(future()))
    assert.strictEqual(sent.request.subscription.owner, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    const [recorded] = await node.subscriptions()
    assert.strictEqual(recorded?.signature.status, "verified")
  })

  it("a rejected send names requestDelegatedSubscription, and the Promise API rejects with the NodeClientError", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    const error = await requestDelegatedSubscription(client, promiseParams(EXPIRY)).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e
    )
    assert.instanceOf(error, PromiseNodeClientError)
    if (!(error instanceof PromiseNodeClientError)) return
    assert.strictEqual(error.method, "requestDelegatedSubscription")
    assert.strictEqual(error.reason._tag, "ApiError")
    assert.strictEqual(error.url, `${node.url}/api/jobs`)
    // Node 1.4 answers this guardian rejection with 500: the refused message it echoes does not serialise.
    assert.strictEqual(error.status, 500)
  })

  it("an aborted signal rejects with its reason before anything is signed or sent", async () => {
    await using client = createNodeClient({ baseUrl: node.url })
    await node.reset()
    const controller = new AbortController()
    controller.abort(new Error("stop"))
    const error = await requestDelegatedSubscription(client, promiseParams(future()), {
      signal: controller.signal
    }).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e
    )
    assert.strictEqual((error as Error).message, "stop")
    assert.deepStrictEqual(await node.subscriptions(), [])
  })
})

describe("sendDelegatedSubscription", () => {
  const signed = Schema.decodeUnknownSync(DelegatedSubscription.DelegatedSubscriptionRequest)({
    subscription: {
      owner: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      active_at: 0,
      period: 3,
      frequency: 2,
      redundancy: 2,
      max_gas_price: 1000000000000,
      max_gas_limit: 3000000,
      container_id: "openai-inference",
      inputs: "0x"
    },
    signature: {
      nonce: 1,
      expiry: 2000000000,
      v: 27,
      r: 0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fbn,
      s: 0x7e8a9497dfbef1531dede2129ca62c0086a90ff6390bc8e53978760d386aad28n
    },
    data: { prompt: "hi" }
  })

  it.effect("POSTs the body with r and s as exact integers; {} from a current node is undefined", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({}))
      const id = yield* Effect.flatMap(NodeClient.make({ baseUrl: "http://node.test" }), (c) =>
        c.sendDelegatedSubscription(signed)
      ).pipe(Effect.provide(fake.layer))
      assert.isUndefined(id)
      const body = fake.requests[0]!.body!
      assert.include(body, `"r":${0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fbn}`)
      assert.deepStrictEqual(
        Json.parse(body),
        Json.parse(Json.stringify(Schema.encodeSync(DelegatedSubscription.DelegatedSubscriptionRequest)(signed)))
      )
      assert.strictEqual(fake.requests[0]!.url.pathname, "/api/jobs")
    })
  )

  it.effect("a pre-1.0 node's {id} is returned", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ id: ids.a }))
      const id = yield* Effect.flatMap(NodeClient.make({ baseUrl: "http://node.test" }), (c) =>
        c.sendDelegatedSubscription(signed)
      ).pipe(Effect.provide(fake.layer))
      assert.strictEqual(id, ids.a)
    })
  )

  it.effect("a rejection is an ApiError (e.g. chain not enabled)", () =>
    Effect.gen(function* () {
      const fake = makeFake(() => json({ error: "Chain not enabled" }, 405))
      const exit = yield* Effect.flatMap(NodeClient.make({ baseUrl: "http://node.test" }), (c) =>
        c.sendDelegatedSubscription(signed)
      ).pipe(Effect.provide(fake.layer), Effect.exit)
      const error = failure(exit)
      assert.strictEqual(error.method, "sendDelegatedSubscription")
      assert.strictEqual(error.reason._tag, "ApiError")
      assert.strictEqual(fake.requests.length, 1)
    })
  )
})
