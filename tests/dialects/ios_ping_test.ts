import assert from "node:assert/strict";
import {
  iosPingCommand,
  iosTracerouteCommand,
  iosTracerouteCommandPlain,
  parseIosPing,
  parseIosTraceroute,
} from "../../src/dialects/ios_ping.ts";
import { ParseError } from "../../src/errors.ts";

// Samples are composed for these tests in the shape of IOS / IOS-XE user EXEC output,
// with documentation addresses (RFC 5737, RFC 3849) and well-known public resolvers.

/** Asserts that `fn` throws a cisco-ios ParseError whose message matches `pattern`. */
function assertParseError(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ParseError, `expected ParseError, got ${error}`);
    assert.equal(error.dialect, "cisco-ios");
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

// ---- Command builders ---------------------------------------------------------------------

Deno.test("ios ping: command for IPv4 and IPv6", () => {
  assert.equal(
    iosPingCommand("8.8.8.8", "ipv4", { count: 5, timeoutSeconds: 2 }),
    "ping 8.8.8.8 repeat 5 timeout 2",
  );
  assert.equal(
    iosPingCommand("2001:4860::8888", "ipv6", { count: 5, timeoutSeconds: 2 }),
    "ping ipv6 2001:4860::8888 repeat 5 timeout 2",
  );
  assert.equal(
    iosPingCommand("192.0.2.1", "ipv4", { count: 1, timeoutSeconds: 0 }),
    "ping 192.0.2.1 repeat 1 timeout 0",
  );
});

Deno.test("ios traceroute: option and plain commands for IPv4 and IPv6", () => {
  assert.equal(
    iosTracerouteCommand("8.8.8.8", "ipv4", { maxHops: 15, timeoutSeconds: 2 }),
    "traceroute 8.8.8.8 timeout 2 ttl 1 15",
  );
  assert.equal(
    iosTracerouteCommand("2001:db8::1", "ipv6", { maxHops: 15, timeoutSeconds: 2 }),
    "traceroute ipv6 2001:db8::1 timeout 2 ttl 1 15",
  );
  assert.equal(iosTracerouteCommandPlain("8.8.8.8", "ipv4"), "traceroute 8.8.8.8");
  assert.equal(iosTracerouteCommandPlain("2001:db8::1", "ipv6"), "traceroute ipv6 2001:db8::1");
});

Deno.test("ios commands: addresses with other characters are refused", () => {
  const bad = [
    "",
    "8.8.8.8 ",
    " 8.8.8.8",
    "8.8.8.8\nshow run",
    "8.8.8.8\r",
    "8.8.8.8;reload",
    "8.8.8.8 source 1.1.1.1",
    "8.8.8.8/24",
    "dns.google",
    "8.8.8.8\u0000",
    "８.８.８.８",
    "1".repeat(100),
  ];
  for (const address of bad) {
    assert.throws(
      () => iosPingCommand(address, "ipv4", { count: 5, timeoutSeconds: 2 }),
      RangeError,
      JSON.stringify(address),
    );
    assert.throws(
      () => iosTracerouteCommand(address, "ipv4", { maxHops: 15, timeoutSeconds: 2 }),
      RangeError,
      JSON.stringify(address),
    );
    assert.throws(() => iosTracerouteCommandPlain(address, "ipv6"), RangeError);
  }
});

Deno.test("ios commands: an address of the wrong family or malformed is refused", () => {
  assert.throws(() => iosPingCommand("2001:db8::1", "ipv4", { count: 5, timeoutSeconds: 2 }), {
    name: "RangeError",
  });
  assert.throws(() => iosPingCommand("192.0.2.1", "ipv6", { count: 5, timeoutSeconds: 2 }), {
    name: "RangeError",
  });
  assert.throws(() => iosTracerouteCommandPlain("1.2.3", "ipv4"), RangeError);
  assert.throws(() => iosTracerouteCommandPlain("1.2.3.256", "ipv4"), RangeError);
  assert.throws(() => iosTracerouteCommandPlain("2001:db8:::1", "ipv6"), RangeError);
  assert.throws(() => iosTracerouteCommandPlain("abc", "ipv6"), RangeError);
  assert.throws(
    () => iosTracerouteCommandPlain("8.8.8.8", "ipv5" as unknown as "ipv4"),
    RangeError,
  );
});

Deno.test("ios commands: options must be integers in range", () => {
  const ping = (count: number, timeoutSeconds: number) =>
    iosPingCommand("8.8.8.8", "ipv4", { count, timeoutSeconds });
  const trace = (maxHops: number, timeoutSeconds: number) =>
    iosTracerouteCommand("8.8.8.8", "ipv4", { maxHops, timeoutSeconds });
  for (const [count, timeout] of [[0, 2], [-1, 2], [1.5, 2], [NaN, 2], [5, -1], [5, 3601]]) {
    assert.throws(() => ping(count, timeout), RangeError, `${count} ${timeout}`);
  }
  for (const [hops, timeout] of [[0, 2], [256, 2], [Infinity, 2], [15, 0.5], [15, NaN]]) {
    assert.throws(() => trace(hops, timeout), RangeError, `${hops} ${timeout}`);
  }
  assert.equal(trace(255, 3600), "traceroute 8.8.8.8 timeout 3600 ttl 1 255");
});

// ---- ping ---------------------------------------------------------------------------------

Deno.test("ios ping: full success with round-trip times", () => {
  const text = [
    "route-views>ping 8.8.8.8 repeat 5 timeout 2",
    "Type escape sequence to abort.",
    "Sending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:",
    "!!!!!",
    "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms",
    "route-views>",
  ].join("\r\n");
  assert.deepEqual(parseIosPing(text, "8.8.8.8"), {
    target: "8.8.8.8",
    sent: 5,
    received: 5,
    lossPercent: 0,
    rttMs: { min: 1, avg: 2, max: 4 },
    replies: "!!!!!",
  });
});

Deno.test("ios ping: partial loss", () => {
  const text = [
    "Type escape sequence to abort.",
    "Sending 5, 100-byte ICMP Echos to 192.0.2.10, timeout is 2 seconds:",
    "!.!.!",
    "Success rate is 60 percent (3/5), round-trip min/avg/max = 20/23/28 ms",
  ].join("\n");
  const result = parseIosPing(text, "192.0.2.10");
  assert.equal(result.sent, 5);
  assert.equal(result.received, 3);
  assert.equal(result.lossPercent, 40);
  assert.deepEqual(result.rttMs, { min: 20, avg: 23, max: 28 });
  assert.equal(result.replies, "!.!.!");
});

Deno.test("ios ping: loss percent is computed from the counts, not the truncated rate", () => {
  const text = [
    "Sending 3, 100-byte ICMP Echos to 192.0.2.10, timeout is 2 seconds:",
    "!!.",
    "Success rate is 66 percent (2/3), round-trip min/avg/max = 1/1/1 ms",
  ].join("\n");
  const result = parseIosPing(text, "192.0.2.10");
  assert.equal(result.lossPercent, 33.3);
  assert.equal(result.replies, "!!.");
});

Deno.test("ios ping: no replies has no round-trip part", () => {
  const text = [
    "Type escape sequence to abort.",
    "Sending 5, 100-byte ICMP Echos to 198.51.100.77, timeout is 2 seconds:",
    ".....",
    "Success rate is 0 percent (0/5)",
  ].join("\n");
  const result = parseIosPing(text, "198.51.100.77");
  assert.deepEqual(result, {
    target: "198.51.100.77",
    sent: 5,
    received: 0,
    lossPercent: 100,
    replies: ".....",
  });
  assert.equal("rttMs" in result, false);
});

Deno.test("ios ping: unreachable replies", () => {
  const text = [
    "Type escape sequence to abort.",
    "Sending 5, 100-byte ICMP Echos to 203.0.113.99, timeout is 2 seconds:",
    "U.U.U",
    "Success rate is 0 percent (0/5)",
  ].join("\n");
  const result = parseIosPing(text, "203.0.113.99");
  assert.equal(result.replies, "U.U.U");
  assert.equal(result.received, 0);
  assert.equal(result.lossPercent, 100);
  assert.equal(result.rttMs, undefined);
});

Deno.test("ios ping: IPv6", () => {
  const text = [
    "route-views>ping ipv6 2001:4860:4860::8888 repeat 5 timeout 2",
    "Type escape sequence to abort.",
    "Sending 5, 100-byte ICMP Echos to 2001:4860:4860::8888, timeout is 2 seconds:",
    "!!!!!",
    "Success rate is 100 percent (5/5), round-trip min/avg/max = 10/11/13 ms",
    "route-views>",
  ].join("\n");
  const result = parseIosPing(text, "2001:4860:4860::8888");
  assert.equal(result.target, "2001:4860:4860::8888");
  assert.equal(result.sent, 5);
  assert.equal(result.received, 5);
  assert.deepEqual(result.rttMs, { min: 10, avg: 11, max: 13 });
});

Deno.test("ios ping: long runs wrap at 70 characters and are joined", () => {
  const first = "!".repeat(70);
  const second = "!.".repeat(35);
  const third = "!".repeat(60);
  const text = [
    "Type escape sequence to abort.",
    "Sending 200, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:",
    first,
    second,
    third,
    "Success rate is 82 percent (165/200), round-trip min/avg/max = 1/3/48 ms",
  ].join("\r\n");
  const result = parseIosPing(text, "8.8.8.8");
  assert.equal(result.replies, first + second + third);
  assert.equal(result.replies.length, 200);
  assert.equal(result.sent, 200);
  assert.equal(result.received, 165);
  assert.equal(result.lossPercent, 17.5);
  assert.deepEqual(result.rttMs, { min: 1, avg: 3, max: 48 });
});

Deno.test("ios ping: replies on the summary's own line are kept", () => {
  const text = [
    "Sending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:",
    "!!!!!Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms",
  ].join("\n");
  const result = parseIosPing(text, "8.8.8.8");
  assert.equal(result.replies, "!!!!!");
  assert.equal(result.received, 5);
});

Deno.test("ios ping: the router's error message is raised as a ParseError", () => {
  const text = [
    "route-views>ping 192.0.2.1 repeat 5 timeout 2",
    "% Unrecognized host or address, or protocol not running.",
    "",
    "route-views>",
  ].join("\n");
  assertParseError(
    () => parseIosPing(text, "192.0.2.1"),
    /% Unrecognized host or address, or protocol not running\./,
  );
  const invalid = [
    "route-views>ping 192.0.2.1 repeat 5 timeout 2",
    "                           ^",
    "% Invalid input detected at '^' marker.",
    "",
  ].join("\n");
  assertParseError(() => parseIosPing(invalid, "192.0.2.1"), /Invalid input detected/);
});

Deno.test("ios ping: inconsistent or missing summary is a ParseError", () => {
  assertParseError(
    () =>
      parseIosPing(
        "Sending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:\n!!!!!\n",
        "8.8.8.8",
      ),
    /No ping result/,
  );
  assertParseError(
    () => parseIosPing("Success rate is 100 percent (6/5)", "8.8.8.8"),
    /impossible/,
  );
  assertParseError(() => parseIosPing("Success rate is 0 percent (0/0)", "8.8.8.8"));
  assertParseError(() => parseIosPing("", "8.8.8.8"));
});

// ---- traceroute ---------------------------------------------------------------------------

const TRACE = [
  "route-views>traceroute 8.8.8.8 timeout 2 ttl 1 15",
  "Type escape sequence to abort.",
  "Tracing the route to dns.google (8.8.8.8)",
  "VRF info: (vrf in name/id, vrf out name/id)",
  "  1 192.0.2.1 0 msec 0 msec 1 msec",
  "  2 ae-1.core.example.net (198.51.100.9) [AS 3701] 1 msec 1 msec 0 msec",
  "  3 * * *",
  "  4 203.0.113.5 [AS 3356] 12 msec *",
  "    203.0.113.7 [AS 3356] 14 msec",
  "  5 dns.google (8.8.8.8) [AS 15169] 20 msec 19 msec 20 msec",
  "route-views>",
].join("\r\n");

Deno.test("ios traceroute: names, timeouts, continuation lines and AS numbers", () => {
  const result = parseIosTraceroute(TRACE, "8.8.8.8");
  assert.equal(result.target, "8.8.8.8");
  assert.equal(result.reached, true);
  assert.deepEqual(result.hops, [
    {
      hop: 1,
      probes: [
        { address: "192.0.2.1", rttMs: 0, timeout: false },
        { address: "192.0.2.1", rttMs: 0, timeout: false },
        { address: "192.0.2.1", rttMs: 1, timeout: false },
      ],
    },
    {
      hop: 2,
      asn: 3701,
      probes: [1, 1, 0].map((rttMs) => ({
        address: "198.51.100.9",
        name: "ae-1.core.example.net",
        rttMs,
        timeout: false,
      })),
    },
    { hop: 3, probes: [{ timeout: true }, { timeout: true }, { timeout: true }] },
    {
      hop: 4,
      asn: 3356,
      probes: [
        { address: "203.0.113.5", rttMs: 12, timeout: false },
        { timeout: true },
        { address: "203.0.113.7", rttMs: 14, timeout: false },
      ],
    },
    {
      hop: 5,
      asn: 15169,
      probes: [20, 19, 20].map((rttMs) => ({
        address: "8.8.8.8",
        name: "dns.google",
        rttMs,
        timeout: false,
      })),
    },
  ]);
});

Deno.test("ios traceroute: bare header, all timeouts at the end is not reached", () => {
  const text = [
    "Type escape sequence to abort.",
    "Tracing the route to 192.0.2.200",
    "",
    "  1 198.51.100.1 4 msec 4 msec 4 msec",
    "  2 * * *",
    "  3 * * *",
  ].join("\n");
  const result = parseIosTraceroute(text, "192.0.2.200");
  assert.equal(result.reached, false);
  assert.equal(result.hops.length, 3);
  assert.deepEqual(result.hops.map((h) => h.hop), [1, 2, 3]);
  assert.equal(result.hops[0].asn, undefined);
  assert.ok(result.hops[2].probes.every((p) => p.timeout && p.address === undefined));
});

Deno.test("ios traceroute: MPLS tags and MPLS-only lines are ignored", () => {
  const text = [
    "Tracing the route to 203.0.113.50",
    "VRF info: (vrf in name/id, vrf out name/id)",
    "  1 192.0.2.1 [MPLS: Label 24 Exp 0] 4 msec 4 msec 4 msec",
    "  2 198.51.100.2 [AS 64500] [MPLS: Labels 16/17 Exp 0] 8 msec",
    "    [MPLS: Label 18 Exp 0]",
    "    198.51.100.3 [MPLS: Label 19 Exp 0] 9 msec 8 msec",
    "  3 203.0.113.50 [AS 64501] 12 msec 12 msec 12 msec",
  ].join("\n");
  const result = parseIosTraceroute(text, "203.0.113.50");
  assert.equal(result.reached, true);
  assert.deepEqual(result.hops[0].probes.map((p) => [p.address, p.rttMs]), [
    ["192.0.2.1", 4],
    ["192.0.2.1", 4],
    ["192.0.2.1", 4],
  ]);
  assert.equal(result.hops[1].asn, 64500);
  assert.deepEqual(result.hops[1].probes.map((p) => [p.address, p.rttMs]), [
    ["198.51.100.2", 8],
    ["198.51.100.3", 9],
    ["198.51.100.3", 8],
  ]);
  assert.equal(result.hops[2].asn, 64501);
});

Deno.test("ios traceroute: annotations after a time and in place of a time", () => {
  const text = [
    "Tracing the route to 203.0.113.9",
    "  1 192.0.2.1 1 msec 1 msec 1 msec",
    "  2 198.51.100.1 4 msec !H 4 msec !N 5 msec !P",
    "  3 198.51.100.5 !A  *  !A",
    "  4 198.51.100.9 7 msec ? 7 msec !U *",
  ].join("\n");
  const result = parseIosTraceroute(text, "203.0.113.9");
  assert.equal(result.reached, false);
  assert.deepEqual(result.hops[1].probes, [
    { address: "198.51.100.1", rttMs: 4, timeout: false, annotation: "!H" },
    { address: "198.51.100.1", rttMs: 4, timeout: false, annotation: "!N" },
    { address: "198.51.100.1", rttMs: 5, timeout: false, annotation: "!P" },
  ]);
  assert.deepEqual(result.hops[2].probes, [
    { address: "198.51.100.5", timeout: false, annotation: "!A" },
    { timeout: true },
    { address: "198.51.100.5", timeout: false, annotation: "!A" },
  ]);
  assert.deepEqual(result.hops[3].probes, [
    { address: "198.51.100.9", rttMs: 7, timeout: false, annotation: "?" },
    { address: "198.51.100.9", rttMs: 7, timeout: false, annotation: "!U" },
    { timeout: true },
  ]);
});

Deno.test("ios traceroute: an unreachable answer from the last router is not reached", () => {
  const text = [
    "Type escape sequence to abort.",
    "Tracing the route to 198.51.100.200",
    "VRF info: (vrf in name/id, vrf out name/id)",
    "  1 192.0.2.1 1 msec 0 msec 1 msec",
    "  2 192.0.2.254 [AS 64496] !H  !H  !H",
    "route-views>",
  ].join("\n");
  const result = parseIosTraceroute(text, "198.51.100.200");
  assert.equal(result.reached, false);
  assert.equal(result.hops[1].asn, 64496);
  assert.deepEqual(result.hops[1].probes.map((p) => [p.address, p.annotation, p.rttMs]), [
    ["192.0.2.254", "!H", undefined],
    ["192.0.2.254", "!H", undefined],
    ["192.0.2.254", "!H", undefined],
  ]);
});

Deno.test("ios traceroute: IPv6 with names, compared regardless of case and spelling", () => {
  const text = [
    "route-views>traceroute ipv6 2001:db8:beef::53 timeout 2 ttl 1 15",
    "Type escape sequence to abort.",
    "Tracing the route to 2001:DB8:BEEF::53",
    "",
    "  1 2001:DB8::1 [AS 64500] 1 msec 1 msec 0 msec",
    "  2 core1.example.net (2001:DB8:1::2) [AS 64501] 3 msec 3 msec 3 msec",
    "  3 2001:DB8:BEEF:0:0:0:0:53 [AS 64502] 9 msec 9 msec 10 msec",
    "route-views>",
  ].join("\n");
  const result = parseIosTraceroute(text, "2001:db8:beef::53");
  assert.equal(result.reached, true);
  assert.equal(result.hops[1].probes[0].name, "core1.example.net");
  assert.equal(result.hops[1].probes[0].address, "2001:db8:1::2"); // canonical form
  assert.deepEqual(result.hops.map((h) => h.asn), [64500, 64501, 64502]);
});

Deno.test("ios traceroute: the target answering after a timeout line is reached", () => {
  const text = [
    "Tracing the route to 8.8.8.8",
    "  1 192.0.2.1 1 msec 1 msec 1 msec",
    "  2 * ",
    "    8.8.8.8 [AS 15169] 20 msec 20 msec",
  ].join("\n");
  const result = parseIosTraceroute(text, "8.8.8.8");
  assert.equal(result.reached, true);
  assert.deepEqual(result.hops[1], {
    hop: 2,
    asn: 15169,
    probes: [
      { timeout: true },
      { address: "8.8.8.8", rttMs: 20, timeout: false },
      { address: "8.8.8.8", rttMs: 20, timeout: false },
    ],
  });
});

Deno.test("ios traceroute: the router's error message is raised as a ParseError", () => {
  const text = [
    "route-views>traceroute 8.8.8.8 timeout 2 ttl 1 15",
    "                               ^",
    "% Invalid input detected at '^' marker.",
    "",
    "route-views>",
  ].join("\n");
  assertParseError(
    () => parseIosTraceroute(text, "8.8.8.8"),
    /% Invalid input detected at '\^' marker\./,
  );
  assertParseError(
    () =>
      parseIosTraceroute(
        "Tracing the route to 8.8.8.8\n% No valid source address for destination\n",
        "8.8.8.8",
      ),
    /No valid source address/,
  );
});

Deno.test("ios traceroute: malformed hops are ParseErrors", () => {
  assertParseError(
    () => parseIosTraceroute("Tracing the route to 8.8.8.8\n", "8.8.8.8"),
    /No traceroute result/,
  );
  assertParseError(
    () =>
      parseIosTraceroute(
        "Tracing the route to 8.8.8.8\n  1 192.0.2.1 1 msec\n  2 bogus stuff here\n",
        "8.8.8.8",
      ),
    /hop 2/,
  );
  assertParseError(
    () =>
      parseIosTraceroute(
        "Tracing the route to 8.8.8.8\n  2 192.0.2.1 1 msec\n  1 192.0.2.2 1 msec\n",
        "8.8.8.8",
      ),
    /out of order/,
  );
});

// ---- garbage ------------------------------------------------------------------------------

Deno.test("ios ping/traceroute: garbage input is a ParseError, never a crash", () => {
  const samples = [
    "",
    "\n\n\n",
    "route-views>",
    "hello world",
    "Success rate is",
    "Success rate is a lot percent",
    "Tracing the route to",
    "!!!!!",
    "\u0000\u0001\u0002",
    "%",
    "[[[[[[[[",
    "Tracing the route to x\n  1 (((( ))))",
    "Tracing the route to x\n  1 192.0.2.1 msec msec",
    "Tracing the route to x\n  1 name (not-an-address) 1 msec",
  ];
  for (const text of samples) {
    assertParseError(() => parseIosPing(text, "192.0.2.1"));
    assertParseError(() => parseIosTraceroute(text, "192.0.2.1"));
  }
});

Deno.test("ios ping/traceroute: 1 MB of garbage finishes quickly", () => {
  const mb = 1_000_000;
  let seed = 42;
  const alphabet = "!.U*[] %()\t\n0123456789abcdefmsecAS:MPLS";
  const random = Array.from({ length: mb }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return alphabet[seed % alphabet.length];
  }).join("");
  const samples = [
    random,
    "!".repeat(mb) + " Success rate is x",
    " ".repeat(mb) + "x",
    "% a" + " ".repeat(mb) + "b",
    "[".repeat(mb),
    "Tracing the route to 8.8.8.8\n  1 " + "[".repeat(mb),
    "Tracing the route to 8.8.8.8\n" + "  1 192.0.2.1 ".padEnd(mb, " ") + "x",
    "Tracing the route to 8.8.8.8\n" + "    \n".repeat(mb / 5),
    "Success rate is 1 percent " + "(1/1".repeat(mb / 4),
    "Tracing the route to 8.8.8.8\n" + "9".repeat(mb),
  ];
  const started = performance.now();
  for (const text of samples) {
    assertParseError(() => parseIosPing(text, "8.8.8.8"));
    assertParseError(() => parseIosTraceroute(text, "8.8.8.8"));
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
});

Deno.test("ios traceroute: 255 hops followed by a huge unrelated line parse", () => {
  const hops = Array.from({ length: 255 }, (_, i) => `${String(i + 1).padStart(3)} * * *`);
  const text = ["Tracing the route to 8.8.8.8", ...hops, "  x".repeat(300_000)].join("\n");
  const result = parseIosTraceroute(text, "8.8.8.8");
  assert.equal(result.hops.length, 255);
  assert.equal(result.reached, false);
});
