import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Primitives } from "../src/index.js"
import { assertEncodeDecodeIdentity, decodeError } from "./utils/roundtrip.js"

describe("Primitives", () => {
  it("JobId accepts any string, as PUT /api/status records any id and the node lists it (rest-api.md, PUT /api/status)", () => {
    assert.strictEqual(
      Schema.decodeUnknownSync(Primitives.JobId)("29dd2f8b-05c3-4b1c-a103-370c04c6850f"),
      "29dd2f8b-05c3-4b1c-a103-370c04c6850f"
    )
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.JobId)("job-1"), "job-1")
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.JobId)(""), "")
    assert.include(decodeError(Primitives.JobId, 7), "Expected a job id (a string)")
  })

  it("CreatedJobId (the answer to POST /api/jobs, made with uuid4 by the node) accepts UUIDs only", () => {
    assert.strictEqual(
      Schema.decodeUnknownSync(Primitives.CreatedJobId)("29dd2f8b-05c3-4b1c-a103-370c04c6850f"),
      "29dd2f8b-05c3-4b1c-a103-370c04c6850f"
    )
    assert.include(decodeError(Primitives.CreatedJobId, "job-1"), "Expected a job id created by the node (a UUID")
  })

  it("Address accepts 40 hex digits in any case", () => {
    Schema.decodeUnknownSync(Primitives.Address)("0x1fbdb2315678afecb369f032d93f642f64140aa3")
    assert.include(decodeError(Primitives.Address, "0x1234"), 'got "0x1234"')
  })

  it("fixed-width integers enforce their range", () => {
    assert.include(decodeError(Primitives.Uint32, 2 ** 32), "uint32: 0 to 4294967295")
    assert.include(decodeError(Primitives.Uint32, 1.5), "whole number")
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.Uint48)(2 ** 48 - 1), 2 ** 48 - 1)
  })

  it("Uint256 reads numbers, bigints and decimal strings and writes bigint", () => {
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.Uint256)(7), 7n)
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.Uint256)(2n ** 255n), 2n ** 255n)
    assert.strictEqual(Schema.decodeUnknownSync(Primitives.Uint256)("12"), 12n)
    assert.strictEqual(Schema.encodeSync(Primitives.Uint256)(7n), 7n)
    assert.include(decodeError(Primitives.Uint256, 2n ** 256n), "uint256")
  })

  it("encode -> decode is the identity", () => {
    for (const schema of [
      Primitives.JobId,
      Primitives.CreatedJobId,
      Primitives.ContainerId,
      Primitives.Address,
      Primitives.Hex,
      Primitives.Bytes32,
      Primitives.Uint16,
      Primitives.Uint32,
      Primitives.Uint48
    ] as ReadonlyArray<Schema.Schema<any, any>>) {
      assertEncodeDecodeIdentity(schema, 100)
    }
    assertEncodeDecodeIdentity(Primitives.Uint256, 100)
  })
})
