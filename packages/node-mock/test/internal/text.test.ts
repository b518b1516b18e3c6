import { assert, describe, it } from "@effect/vitest"
import { chunks, completion, embeddingInputOf, endpointOf, promptOf } from "../../src/internal/text.js"

describe("text", () => {
  it("finds the prompt of an OpenAI-style request", () => {
    assert.strictEqual(
      promptOf({
        params: {
          messages: [
            { role: "system", content: "x" },
            { role: "user", content: "hi" }
          ]
        }
      }),
      "hi"
    )
    assert.strictEqual(
      promptOf({
        params: {
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: "a" },
                { type: "text", text: "b" }
              ]
            }
          ]
        }
      }),
      "ab"
    )
    assert.strictEqual(promptOf({ prompt: "p" }), "p")
    assert.strictEqual(promptOf({ other: 1 }), '{"other":1}')
    assert.strictEqual(promptOf("raw"), "raw")
    assert.strictEqual(endpointOf({ params: { endpoint: "embeddings" } }), "embeddings")
    assert.isUndefined(endpointOf([1]))
    assert.deepStrictEqual(embeddingInputOf({ params: { input: ["a", "b"] } }), ["a", "b"])
  })

  it("writes the same completion for the same prompt", () => {
    assert.strictEqual(completion("Tell me about Effect"), completion("Tell me about Effect"))
    assert.notStrictEqual(completion("Tell me about Effect"), completion("Tell me about viem"))
    assert.match(completion("Deep Learning is "), /^a branch of machine learning/)
  })

  it("splits text into token chunks without losing a character", () => {
    const text = "  one two\n\nthree  "
    assert.deepStrictEqual(chunks(text, 1), ["  one ", "two\n\n", "three  "])
    assert.strictEqual(chunks(text, 2).join(""), text)
    assert.deepStrictEqual(chunks("", 1), [])
  })
})

describe("sha256 (written out, so the in-process transport runs outside Node)", () => {
  it("gives node:crypto's digests", async () => {
    const { createHash } = await import("node:crypto")
    const { sha256 } = await import("../../src/internal/random.js")
    for (const text of ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "é€😀\u0000x", "x".repeat(1000)]) {
      assert.strictEqual(
        Buffer.from(sha256(text)).toString("hex"),
        createHash("sha256").update(text).digest("hex"),
        text
      )
    }
  })
})
