import { assert, describe, it } from "@effect/vitest"
import { ErrorResponse } from "../src/index.js"
import { assertEncodeDecodeIdentity, assertWireRoundTrip, decodeError } from "./utils/roundtrip.js"

describe("ErrorResponse", () => {
  it("decodes the guardian's rejections", () => {
    assertWireRoundTrip(ErrorResponse.ErrorResponse, '{"error":"No containers specified","params":{}}')
    assertWireRoundTrip(
      ErrorResponse.ErrorResponse,
      '{"error":"Container not allowed for address","params":{"container":"a","address":"10.0.0.1"}}'
    )
    assertWireRoundTrip(ErrorResponse.ErrorResponse, '{"error":"Expected a list"}')
  })

  it("guards", () => {
    assert.isTrue(ErrorResponse.isErrorResponse({ error: "Unauthorized" }))
    assert.isFalse(ErrorResponse.isErrorResponse({ id: "x" }))
    assert.isFalse(ErrorResponse.isErrorResponse("<html>"))
  })

  it("rejects params that are not an object", () => {
    assert.match(decodeError(ErrorResponse.ErrorResponse, { error: "x", params: [] }), /params/)
  })

  it("encode -> decode is the identity", () => assertEncodeDecodeIdentity(ErrorResponse.ErrorResponse))
})
