import { assert, describe, it } from "@effect/vitest"
import { isIpOrCidr, makeMatcher, normalizeAddress } from "../../src/internal/ip.js"

describe("ip", () => {
  it("validates IPs and CIDR ranges", () => {
    for (const ok of ["127.0.0.1", "10.0.0.0/8", "10.1.2.3/8", "::1", "fd00::/8", "0.0.0.0/0"])
      assert.isTrue(isIpOrCidr(ok), ok)
    for (const bad of ["localhost", "10.0.0.0/33", "::1/129", "1.2.3", "10.0.0.0/x", ""])
      assert.isFalse(isIpOrCidr(bad), bad)
  })

  it("matches addresses like Python's ip_network(strict=False), IPv4-mapped IPv6 included", () => {
    const matcher = makeMatcher(["10.1.2.3/8", "127.0.0.2", "fd00::/8"])
    assert.isTrue(matcher.allows("10.200.0.1"))
    assert.isTrue(matcher.allows("::ffff:127.0.0.2"))
    assert.isTrue(matcher.allows("fd12::5"))
    assert.isFalse(matcher.allows("127.0.0.1"))
    assert.isFalse(matcher.allows("not an ip"))
    assert.isTrue(makeMatcher([]).allows("8.8.8.8"))
    assert.isFalse(makeMatcher([]).contains("8.8.8.8"))
    assert.strictEqual(normalizeAddress("::ffff:10.0.0.1"), "10.0.0.1")
    assert.strictEqual(normalizeAddress("::1"), "::1")
  })
})
