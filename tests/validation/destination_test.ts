import assert from "node:assert/strict";
import { InvalidDestinationError } from "../../src/errors.ts";
import { answerFits, parseDestination } from "../../src/validation/destination.ts";

Deno.test("accepted destinations come out in canonical form", () => {
  const cases: [string, string, "ipv4" | "ipv6", "address" | "prefix"][] = [
    ["8.8.8.8", "8.8.8.8", "ipv4", "address"],
    ["8.8.8.0/24", "8.8.8.0/24", "ipv4", "prefix"],
    ["1.0.0.0/8", "1.0.0.0/8", "ipv4", "prefix"],
    ["193.0.14.129/32", "193.0.14.129/32", "ipv4", "prefix"],
    ["192.0.0.9", "192.0.0.9", "ipv4", "address"], // PCP anycast: globally reachable
    ["2001:4860:4860::8888", "2001:4860:4860::8888", "ipv6", "address"],
    ["2001:4860::/32", "2001:4860::/32", "ipv6", "prefix"],
    ["2001:4860:0000:0000:0000:0000:0000:8888", "2001:4860::8888", "ipv6", "address"],
    ["2001:DB9:0:0:1:0:0:1", "2001:db9::1:0:0:1", "ipv6", "address"],
    ["2a00:1450:4001:0:0:0:0:0/48", "2a00:1450:4001::/48", "ipv6", "prefix"],
    ["2600::/16", "2600::/16", "ipv6", "prefix"],
    ["2001:4:112::/48", "2001:4:112::/48", "ipv6", "prefix"], // AS112-v6 inside 2001::/23
    ["2a01:4f8:0:a::1", "2a01:4f8:0:a::1", "ipv6", "address"],
    ["2001:db9:1:2:3:4:5:6", "2001:db9:1:2:3:4:5:6", "ipv6", "address"],
    ["2404:6800:4003:c00::/56", "2404:6800:4003:c00::/56", "ipv6", "prefix"],
    // 6to4 for a global IPv4 address (8.8.8.8, 1.1.1.0/24, 8.8.0.0/16): checked like that address.
    ["2002:808:808::1", "2002:808:808::1", "ipv6", "address"],
    ["2002:0101:0100::/40", "2002:101:100::/40", "ipv6", "prefix"],
    ["2002:808::/32", "2002:808::/32", "ipv6", "prefix"],
    ["2001:4860::192.0.2.1", "2001:4860::c000:201", "ipv6", "address"],
  ];
  for (const [input, canonical, family, kind] of cases) {
    const destination = parseDestination(input);
    assert.equal(destination.canonical, canonical, input);
    assert.equal(destination.family, family, input);
    assert.equal(destination.kind, kind, input);
    assert.deepEqual(destination.warnings, [], input);
  }
});

Deno.test("RFC 5952: the first of two equal zero runs is compressed, single zero groups are not", () => {
  assert.equal(parseDestination("2001:db9:0:0:1:0:0:1").canonical, "2001:db9::1:0:0:1");
  assert.equal(parseDestination("2001:db9:0:1:1:1:1:1").canonical, "2001:db9:0:1:1:1:1:1");
  assert.equal(parseDestination("2001:db9:0:0:0:1:0:0").canonical, "2001:db9::1:0:0");
});

Deno.test("host bits are cleared with a warning", () => {
  const destination = parseDestination("8.8.8.8/24");
  assert.equal(destination.canonical, "8.8.8.0/24");
  assert.match(destination.warnings[0], /host bits set; looked up 8\.8\.8\.0\/24/);
  assert.equal(parseDestination("2001:4860::1/32").canonical, "2001:4860::/32");
});

/** [input, a fragment the message must contain] */
const REFUSED: [string, RegExp][] = [
  // non-global IPv4, as addresses and as prefixes inside or around the blocks
  ["0.1.2.3", /0\.0\.0\.0\/8/],
  ["10.1.2.3", /10\.0\.0\.0\/8, private-use/],
  ["10.0.0.0/8", /10\.0\.0\.0\/8/],
  ["100.64.0.1", /100\.64\.0\.0\/10, shared address space/],
  ["127.0.0.1", /127\.0\.0\.0\/8, loopback/],
  ["169.254.1.1", /169\.254\.0\.0\/16, link-local/],
  ["172.16.0.1", /172\.16\.0\.0\/12/],
  ["172.31.255.255", /172\.16\.0\.0\/12/],
  ["192.0.0.8", /192\.0\.0\.0\/24/],
  ["192.0.2.1", /192\.0\.2\.0\/24, documentation/],
  ["192.168.1.0/24", /192\.168\.0\.0\/16/],
  ["198.18.0.1", /198\.18\.0\.0\/15, benchmarking/],
  ["198.51.100.7", /198\.51\.100\.0\/24/],
  ["203.0.113.9", /203\.0\.113\.0\/24/],
  ["224.0.0.1", /224\.0\.0\.0\/4, multicast/],
  ["239.255.255.250", /224\.0\.0\.0\/4/],
  ["240.0.0.1", /240\.0\.0\.0\/4, reserved/],
  ["255.255.255.255", /240\.0\.0\.0\/4/],
  ["192.0.0.0/8", /overlaps 192\.0\.0\.0\/24/], // contains special blocks
  ["172.0.0.0/8", /overlaps 172\.16\.0\.0\/12/],
  ["192.0.0.8/29", /192\.0\.0\.0\/24/], // holds .9 and .10 but also .8
  // non-global IPv6
  ["::", /::\/128, the unspecified address/],
  ["::1", /::1\/128, loopback/],
  ["::ffff:8.8.8.8", /::ffff:0:0\/96, IPv4-mapped/],
  ["64:ff9b::8.8.8.8", /64:ff9b::\/96, the NAT64.*stands for the IPv4 address 8\.8\.8\.8: query/],
  ["64:ff9b::10.0.0.1", /NAT64.*IPv4 address 10\.0\.0\.1, which is inside 10\.0\.0\.0\/8/],
  // 6to4 (2002::/16) follows the rules of the IPv4 address in bits 16-47.
  ["2002:a00:1::1", /6to4 .*IPv4 address 10\.0\.0\.1, which is inside 10\.0\.0\.0\/8, private/],
  ["2002:c0a8:101::/48", /IPv4 address 192\.168\.1\.1, which is inside 192\.168\.0\.0\/16/],
  ["2002:7f00:1::1", /IPv4 address 127\.0\.0\.1, which is inside 127\.0\.0\.0\/8, loopback/],
  ["2002:c000:0204::/48", /IPv4 address 192\.0\.2\.4, which is inside 192\.0\.2\.0\/24, doc/],
  ["2002:a00::/24", /IPv4 block 10\.0\.0\.0\/8, which is inside 10\.0\.0\.0\/8/],
  ["2002:ac00::/24", /IPv4 block 172\.0\.0\.0\/8, which overlaps 172\.16\.0\.0\/12/],
  ["2002::/16", /IPv4 block 0\.0\.0\.0\/0, which overlaps 0\.0\.0\.0\/8/],
  ["2002:e000:1::1", /IPv4 address 224\.0\.0\.1, which is inside 224\.0\.0\.0\/4/],
  // Teredo (2001::/32) is refused as a whole; the message names the IPv4 addresses it embeds.
  [
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    /2001::\/32, Teredo .*server 65\.54\.227\.120 and the client's public IPv4 address 192\.0\.2\.45/,
  ],
  ["2001:0:808:808::/64", /is inside 2001::\/32, Teredo/],
  ["100::1", /100::\/64, discard-only/],
  ["2001:db8::1", /2001:db8::\/32, documentation/],
  ["2001:db8::/32", /2001:db8::\/32/],
  ["2001::/16", /overlaps 2001::\/23/],
  ["2001:2::1", /2001::\/23/],
  ["fc00::1", /fc00::\/7, unique local/],
  ["fd12:3456::/32", /fc00::\/7/],
  ["fe80::1", /fe80::\/10, link-local/],
  ["ff02::1", /ff00::\/8, multicast/],
  ["3fff::1", /3fff::\/20, documentation/],
  ["4000::1", /outside 2000::\/3/],
  ["::8.8.8.8", /outside 2000::\/3/],
  // zone ids and injection attempts
  ["fe80::1%eth0", /zone id/],
  ["2001:4860::1%\nshow version", /control characters/],
  ["2001:4860::1%25eth0", /zone id/],
  ["8.8.8.8\r\nshow run", /control characters/],
  ["8.8.8.8 longer-prefixes", /whitespace/],
  ["8.8.8.8\t", /control characters/],
  ["8.8.8.8;show", /not an IP address or prefix/],
  ["8.8.8.8|include", /not an IP address or prefix/],
  ["google.com", /not an IP address or prefix \(host names are not resolved here\)/],
  ["$(reboot)", /"\$\(reboot\)" is not an IP address or prefix\. Accepted/],
  ["", /empty/],
  ["1".repeat(65), /65 characters long; the limit is 64/],
  // malformed
  ["8.8.8", /not a valid IPv4 or IPv6 address/],
  ["8.8.8.256", /not a valid/],
  ["08.8.8.8", /not a valid/],
  ["8.8.8.8.8", /not a valid/],
  ["2001:4860::1::2", /not a valid/],
  ["2001:4860:1:2:3:4:5:6:7", /not a valid/],
  ["2001:48600::1", /not a valid/],
  [":::", /not a valid/],
  ["8.8.8.0/", /invalid prefix length/],
  ["8.8.8.0/024", /invalid prefix length/],
  ["8.8.8.0/24/24", /invalid prefix length/],
  // prefix length bounds
  ["8.0.0.0/7", /\/7 is out of range: IPv4 prefixes must be \/8 to \/32/],
  ["8.8.8.8/33", /\/33 is out of range/],
  ["0.0.0.0/0", /\/0 is out of range/],
  ["2000::/15", /\/15 is out of range: IPv6 prefixes must be \/16 to \/128/],
  ["2001:4860::/129", /\/129 is out of range/],
];

Deno.test("refused destinations say what is wrong and what is accepted", () => {
  for (const [input, reason] of REFUSED) {
    assert.throws(
      () => parseDestination(input),
      (error: unknown) => {
        assert.ok(
          error instanceof InvalidDestinationError,
          `${JSON.stringify(input)} threw ${error}`,
        );
        assert.match(error.message, reason, JSON.stringify(input));
        assert.match(error.message, /Accepted: a global unicast IPv4 or IPv6 address/);
        assert.match(error.message, /Nothing was sent to any server/);
        return true;
      },
      `${JSON.stringify(input)} should be refused`,
    );
  }
});

Deno.test("an accepted destination holds only address characters", () => {
  for (const input of ["8.8.8.8", "2001:4860::/32", "2001:4860::192.0.2.1"]) {
    assert.match(parseDestination(input).canonical, /^[0-9a-f:./]+$/);
  }
});

const RAW_CONTROL_CLASS =
  "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff\\u200b]";
const RAW_CONTROLS = new RegExp(RAW_CONTROL_CLASS);

Deno.test("refusals escape DEL, C1 controls, U+2028 and bidi controls in the input they quote", () => {
  const cases: [string, string][] = [
    ["8.8.8.8\u007f", "\\u007f"],
    ["8.8.8.8\u0085", "\\u0085"],
    ["8.8.8.8\u009b2J", "\\u009b"],
    ["8.8.8.8\u2028IGNORE", "\\u2028"],
    ["8.8.8.8\u2029", "\\u2029"],
    ["8.8.8.8\u202e", "\\u202e"],
    ["8.8.8.8\u2066x", "\\u2066"],
    ["8.8.8.8\ufeff", "\\ufeff"],
    ["8.8.8.8\u200b", "\\u200b"],
  ];
  for (const [input, escaped] of cases) {
    assert.throws(
      () => parseDestination(input),
      (error: unknown) => {
        assert.ok(error instanceof InvalidDestinationError);
        assert.ok(
          error.message.includes(escaped),
          `${JSON.stringify(error.message)} lacks ${escaped}`,
        );
        assert.doesNotMatch(error.message, RAW_CONTROLS);
        return true;
      },
    );
  }
});

Deno.test("an answer fits the destination: exact is that prefix, longest covers it, orlonger is inside", () => {
  const address = parseDestination("8.8.8.8");
  const prefix = parseDestination("8.8.8.0/24");
  assert.equal(answerFits(address, "longest", "8.8.8.0/24"), true);
  assert.equal(answerFits(address, "longest", "8.0.0.0/8"), true);
  assert.equal(answerFits(address, "longest", "8.8.9.0/24"), false);
  assert.equal(answerFits(prefix, "exact", "8.8.8.0/24"), true);
  assert.equal(answerFits(prefix, "exact", "8.8.0.0/16"), false);
  assert.equal(answerFits(prefix, "exact", "8.8.8.0/25"), false);
  assert.equal(answerFits(prefix, "orlonger", "8.8.8.128/25"), true);
  assert.equal(answerFits(prefix, "orlonger", "8.8.8.0/24"), true);
  assert.equal(answerFits(prefix, "orlonger", "8.8.0.0/16"), false);
  // Not a prefix, or a prefix with host bits set, or another family: about nothing asked.
  for (const text of ["", "8.8.8.8", "8.8.8.1/24", "2001:db8::/32", "8.8.8.0/33"]) {
    assert.equal(answerFits(prefix, "orlonger", text), false, text);
    assert.equal(answerFits(address, "longest", text), false, text);
  }
});
