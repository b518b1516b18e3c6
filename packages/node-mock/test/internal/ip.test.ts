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

  it("parses IPv6 forms as node:net does (compressed, embedded IPv4, zones) and rejects malformed ones", async () => {
    const net = await import("node:net")
    const { isIP } = await import("../../src/internal/ip.js")
    for (const text of [
      "::",
      "::1",
      "1::",
      "fe80::1%eth0",
      "2001:db8::8a2e:370:7334",
      "2001:0db8:0000:0000:0000:ff00:0042:8329",
      "::ffff:192.168.1.1",
      "64:ff9b::192.0.2.33",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      ":::",
      "12345::",
      "1.2.3.4",
      "01.2.3.4",
      "256.1.1.1",
      "1.2.3.4.5",
      "",
      "g::1"
    ]) {
      assert.strictEqual(isIP(text), net.isIP(text), text)
    }
    const matcher = makeMatcher(["2001:db8::/32", "192.168.0.0/16"])
    assert.isTrue(matcher.contains("2001:db8:ffff::1"))
    assert.isFalse(matcher.contains("2001:db9::1"))
    assert.isTrue(matcher.contains("::ffff:192.168.4.5"))
    assert.isFalse(matcher.contains("192.169.0.1"))
  })
})
