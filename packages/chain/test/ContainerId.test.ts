import { assert, describe, expect, it } from "@effect/vitest"
import { encodeAbiParameters, keccak256 } from "viem"
import { ChainError, ContainerId } from "../src/index.js"

const failure = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    assert.isTrue(ChainError.isChainError(error))
    return (error as ChainError.ChainError).message
  }
  return assert.fail("expected a ChainError")
}

describe("ContainerId", () => {
  it("v0 joins ids with commas", () => {
    assert.strictEqual(ContainerId.v0(["hello-world", "another"]), "hello-world,another")
    assert.strictEqual(ContainerId.v0(["openai-inference"]), "openai-inference")
    assert.strictEqual(ContainerId.v0("hello-world,another"), "hello-world,another")
  })

  it("v1 is keccak256(abi.encode(string)) of the joined ids (chain.md's vector)", () => {
    assert.strictEqual(
      ContainerId.v1(["hello-world", "another"]),
      "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825"
    )
    // ABI-encoded, not packed
    assert.notStrictEqual(ContainerId.v1(["hello-world"]), keccak256(new TextEncoder().encode("hello-world")))
    assert.strictEqual(
      ContainerId.v1(["hello-world"]),
      keccak256(encodeAbiParameters([{ type: "string" }], ["hello-world"]))
    )
    expect(ContainerId.v1(["hello-world"])).toMatchInlineSnapshot(
      `"0x5768661526084c7b4d30f7224ed6c74ade98db3c6c395c55400a17f34a547e22"`
    )
  })

  it("split validates ids", () => {
    assert.deepStrictEqual(ContainerId.split("a,b"), ["a", "b"])
    expect([
      failure(() => ContainerId.v0([])),
      failure(() => ContainerId.v0(["a", ""])),
      failure(() => ContainerId.v0("a,,b")),
      failure(() => ContainerId.v1(["a,b"]))
    ]).toMatchInlineSnapshot(`
      [
        "Invalid subscription: containers must name at least one container id",
        "Invalid subscription: containers has an empty container id at position 1",
        "Invalid subscription: containers has an empty container id at position 1",
        "Invalid subscription: containers has an id with a comma ("a,b"): ids are comma-joined on chain, pass them as separate items",
      ]
    `)
  })
})
