/**
 * Text renderings a person or a model reads first: `route_compare` keeps error
 * messages whole and counts in the singular when there is one; the ping line
 * says replies, loss and times; the traceroute text shows every responder of a
 * hop. Pure renderings, then the same through
 * the MCP tools against fake IOS route servers.
 */

import assert from "node:assert/strict";
import type { CompareResult } from "../src/bgp/results.ts";
import { parseConfig } from "../src/config/schema.ts";
import { parseIosPing, parseIosTraceroute } from "../src/dialects/ios_ping.ts";
import { clip, renderCompare, renderPing, renderTraceroute } from "../src/render.ts";
import type { BgpPath } from "../src/bgp/types.ts";
import { callTool, connectInProcess, FakeTelnetServer, iosScript } from "./harness/mod.ts";

const QUOTA_MESSAGE = "Refused before connecting: the connection budget for rv3 is used up " +
  "(100 of 100 connections in the last 24 h). Budget frees up at 2026-12-01T10:00:00.000Z. " +
  "Use a cached answer, another server, or wait";

function path(asPath: number[], nextHop: string): BgpPath {
  return {
    asPath,
    asPathText: asPath.join(" "),
    originAs: asPath.at(-1) ?? null,
    nextHop,
    peer: { address: nextHop },
    origin: "IGP",
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
    best: true,
    valid: true,
  } as unknown as BgpPath;
}

function compareResult(): CompareResult {
  return {
    destination: "8.8.8.0/24",
    results: [
      {
        server: "rv1",
        found: true,
        prefix: "8.8.8.0/24",
        bestPath: path([15169], "192.0.2.1"),
        pathCount: 1,
        cached: false,
        elapsedMs: 12,
      },
      {
        server: "rv2",
        found: true,
        prefix: "8.8.8.0/24",
        bestPath: path([3356, 64500], "192.0.2.2"),
        pathCount: 2,
        cached: false,
        elapsedMs: 15,
      },
      {
        server: "rv3",
        found: false,
        pathCount: 0,
        error: QUOTA_MESSAGE,
        cached: false,
        elapsedMs: 0,
      },
    ],
    consensus: {
      seenBy: ["rv1", "rv2"],
      missingFrom: [],
      failed: ["rv3"],
      origins: [{ asn: 15169, servers: ["rv1"] }, { asn: 64500, servers: ["rv2"] }],
      moas: false,
      upstreams: [{ asn: 3356, servers: ["rv2"] }],
      prefixes: [{ prefix: "8.8.8.0/24", servers: ["rv1", "rv2"] }],
      shortestPath: { server: "rv1", length: 1, asPath: [15169] },
      longestPath: { server: "rv2", length: 2, asPath: [3356, 64500] },
    },
    findings: [],
    graph: {
      title: "8.8.8.8: best paths from 3 vantage points",
      vantagePoints: [],
      ases: [],
      edges: [],
      maxWeight: 1,
      mermaid: "flowchart LR",
    },
    elapsedMs: 20,
    warnings: [],
  } as unknown as CompareResult;
}

Deno.test("render compare: error messages whole, singular counts", () => {
  const text = renderCompare(compareResult());
  assert.ok(text.includes(`rv3: ${QUOTA_MESSAGE}`), text);
  assert.match(text, /^rv3 +error +- +- +- +0 +see below$/m);
  assert.match(text, /Best paths range from 1 AS \(rv1\) to 2 \(rv2\)\./);
  assert.doesNotMatch(text, /\b1 ASes\b|\b1 servers\b/);

  const one = compareResult();
  one.consensus.origins = [{ asn: 15169, servers: ["rv1"] }];
  assert.match(renderCompare(one), /origin AS15169 \(1 server\)/);
  one.consensus.origins = [{ asn: 15169, servers: ["rv1", "rv2"] }];
  one.consensus.seenBy = ["rv1", "rv2", "rv4"];
  assert.match(renderCompare(one), /origin AS15169 \(2 servers\)/);
});

Deno.test("render: a message too long to show is cut between words, with an ellipsis", () => {
  assert.equal(clip("short", 10), "short");
  assert.equal(clip("one two three four", 12), "one two …");
  assert.equal(clip("x".repeat(20), 10), `${"x".repeat(8)} …`);
  const long = `${"word ".repeat(200)}end`;
  const clipped = clip(long, 400);
  assert.ok(clipped.length <= 400 && clipped.endsWith("word …"), clipped);
});

/** IOS prints a second router that answered a probe of the same hop on its own line. */
const TRACE = [
  "Type escape sequence to abort.",
  "Tracing the route to dns.google (8.8.8.8)",
  "VRF info: (vrf in name/id, vrf out name/id)",
  "  1 128.223.51.1 0 msec 0 msec 1 msec",
  "  2 ae-1.core.example.net (198.51.100.9) [AS 3701] 1 msec",
  "    ae-2.core.example.net (198.51.100.13) [AS 3701] 2 msec 2 msec",
  "  3 203.0.113.5 [AS 3356] 12 msec *",
  "    203.0.113.7 [AS 3356] 14 msec",
  "  4 * * *",
  "  5 dns.google (8.8.8.8) [AS 15169] 20 msec 19 msec 20 msec",
].join("\n");

Deno.test("render ping: replies, loss and round-trip times in one line; none without replies", () => {
  const answered = parseIosPing(
    "Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:\n" +
      "!!.!!\nSuccess rate is 80 percent (4/5), round-trip min/avg/max = 1/2/4 ms",
    "8.8.8.8",
  );
  assert.equal(
    renderPing({ ...answered, server: "rv", command: "ping 8.8.8.8 repeat 5", elapsedMs: 9 }),
    "rv → 8.8.8.8: 4/5 replies (20% loss), round-trip min/avg/max 1/2/4 ms [!!.!!] " +
      "(`ping 8.8.8.8 repeat 5`).",
  );
  const silent = parseIosPing(
    "Sending 2, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:\n..\n" +
      "Success rate is 0 percent (0/2)",
    "8.8.8.8",
  );
  assert.equal(
    renderPing({ ...silent, server: "rv", command: "ping 8.8.8.8", elapsedMs: 9 }),
    "rv → 8.8.8.8: 0/2 replies (100% loss) [..] (`ping 8.8.8.8`).",
  );
});

Deno.test("render traceroute: every responder of a hop, with its own times", () => {
  const parsed = parseIosTraceroute(TRACE, "8.8.8.8");
  const text = renderTraceroute({
    ...parsed,
    server: "rv",
    command: "traceroute 8.8.8.8",
    elapsedMs: 1,
  });
  assert.equal(
    text,
    [
      "rv → 8.8.8.8: reached in 5 hops (`traceroute 8.8.8.8`).",
      "hop  address                                AS       ms",
      "1    128.223.51.1                           -        0 0 1",
      "2    ae-1.core.example.net (198.51.100.9)   AS3701   1",
      "     ae-2.core.example.net (198.51.100.13)           2 2",
      "3    203.0.113.5                            AS3356   12 *",
      "     203.0.113.7                                     14",
      "4    *                                      -        * * *",
      "5    dns.google (8.8.8.8)                   AS15169  20 19 20",
    ].join("\n"),
  );
  const single = renderTraceroute({
    target: "8.8.8.8",
    reached: true,
    hops: [{ hop: 1, probes: [{ address: "8.8.8.8", rttMs: 1, timeout: false }] }],
    server: "rv",
    command: "traceroute 8.8.8.8",
    elapsedMs: 1,
  });
  assert.match(single, /reached in 1 hop \(/);
});

function route(asPath: string): string {
  return [
    "BGP routing table entry for 8.8.8.0/24, version 7",
    "Paths: (1 available, best #1, table default)",
    "  Refresh Epoch 1",
    `  ${asPath}`,
    "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
    "      Origin IGP, metric 0, localpref 100, valid, external, best",
    "      rx pathid: 0, tx pathid: 0x0",
  ].join("\n");
}

Deno.test("route_compare and traceroute text through MCP: whole errors, singular counts, both responders", async () => {
  await using short = new FakeTelnetServer(
    iosScript({
      answers: {
        "show ip bgp 8.8.8.8": route("15169"),
        "traceroute 8.8.8.8 timeout 2 ttl 1 15": TRACE,
      },
    }),
  );
  await using long = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": route("3356 174 15169") } }),
  );
  const server = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
    name,
    host: "127.0.0.1",
    port,
    dialect: "cisco-ios",
    login: { username: "rviews" },
    location: name,
    addressFamilies: ["ipv4"],
    enabled: true,
    ...extra,
  });
  await using client = await connectInProcess(parseConfig({
    defaultServer: "rv",
    servers: [
      server("rv", short.port, { supports: ["traceroute"] }),
      server("rv2", long.port),
      server("spent", long.port, { quota: { connections: 0 } }),
    ],
  }, "test"));

  const compare = await callTool(client, "route_compare", {
    destination: "8.8.8.8",
    servers: ["rv", "rv2", "spent"],
  });
  assert.equal(compare.isError, undefined, compare.text);
  const [failed] = (compare.structuredContent as { results: { error?: string }[] }).results
    .filter((r) => r.error);
  assert.ok(failed.error!.length > 100, failed.error);
  assert.ok(compare.text.includes(`spent: ${failed.error}`), compare.text);
  assert.match(compare.text, /Best paths range from 1 AS \(rv\) to 3 \(rv2\)\./);

  const trace = await callTool(client, "traceroute", { destination: "8.8.8.8" });
  assert.equal(trace.isError, undefined, trace.text);
  assert.match(trace.text, /^ +ae-2\.core\.example\.net \(198\.51\.100\.13\) +2 2$/m);
  assert.match(trace.text, /^ +203\.0\.113\.7 +14$/m);
});
