/**
 * AS names through the real SDK client: every AS of route_lookup,
 * route_compare, bgp_summary and traceroute named from the built-in table,
 * one legend line with the dataset's date, the attribution in `_meta`; names
 * never make a query fail, never load at startup, load once; `asNames: false`
 * turns them off; `as_info` and `ip_origin`, with their bad input as clear
 * `isError` results.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { DATA_DATE } from "../../src/names/asn_data.ts";
import { NamesLoader } from "../../src/names/loader.ts";
import { toBase64 } from "../../scripts/_data/encode.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  fixture,
  frrScript,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";
import { fixtureTable } from "../harness/names_fixture.ts";

const ROUTE = "show bgp ipv4 unicast 8.8.8.8 json";
const SUMMARY = "show bgp ipv4 unicast summary json";

function rig() {
  return new FakeTelnetServer(frrScript({
    answers: {
      [ROUTE]: fixture("frr-rig/route_8.8.8.8.json.txt"),
      "show bgp ipv4 unicast 8.8.8.9 json": fixture("frr-rig/route_8.8.8.8.json.txt"),
      [SUMMARY]: fixture("frr-rig/summary_ipv4.json.txt"),
    },
  }));
}

function config(port: number, extra: Record<string, unknown> = {}) {
  return parseConfig(
    // The fixtures are FRR's json answers: ask in json first.
    { defaultServer: "rig", servers: [loopbackEntry("rig", port, { preferJson: true })], ...extra },
    "t",
  );
}

/** A loader over the committed data slice that counts its loads and can fail the first ones. */
async function countingLoader(failures = 0) {
  const { container } = await fixtureTable();
  const loader = {
    loads: 0,
    names: new NamesLoader({
      importModule: () => {
        loader.loads++;
        if (loader.loads <= failures) {
          return Promise.reject(new TypeError('Module not found "asn_data.ts"'));
        }
        return Promise.resolve({ DATA: toBase64(container) });
      },
    }),
  };
  return loader;
}

type Path = { asPath: number[]; asPathNames?: (string | null)[]; best: boolean };

Deno.test("route_lookup names every AS of every path, in one legend line, with the date and the attribution", async () => {
  await using server = rig();
  await using client = await connectInProcess(config(server.port));
  const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { paths: Path[]; namesAsOf?: string };
  const byPath = new Map(data.paths.map((p) => [p.asPath.join(" "), p.asPathNames]));
  assert.deepEqual(byPath.get("3356 174 15169"), [
    "Level 3 Communications, Inc.",
    "Cogent Communications",
    "Google LLC",
  ]);
  assert.deepEqual(byPath.get("15169 15169"), ["Google LLC", "Google LLC"]);
  assert.equal(data.namesAsOf, DATA_DATE);
  // One line, after the table, each AS once, in the order it first appears.
  const legend = result.text.split("\n").filter((line) => line.startsWith("AS names"));
  assert.deepEqual(legend, [
    `AS names as of ${DATA_DATE}: 3356 Level 3 Communications, Inc.; 174 Cogent ` +
    "Communications; 15169 Google LLC.",
  ]);
  assert.doesNotMatch(result.text.split("AS names")[0], /Cogent|Google LLC/);
  // The dataset's licence asks for credit: in the result's metadata.
  const meta = (result._meta as Record<string, { asOf: string; attribution: string }>)[
    "bgp-lg-mcp/asNames"
  ];
  assert.equal(meta.asOf, DATA_DATE);
  assert.match(meta.attribution, /Route Views.*NRO.*DB-IP \(https:\/\/db-ip\.com\)/);
});

Deno.test("bgp_summary names the neighbour ASes and the server's own", async () => {
  await using server = rig();
  await using client = await connectInProcess(config(server.port));
  const result = await callTool(client, "bgp_summary", {});
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as {
    localAs: number;
    localAsName?: string | null;
    neighbors: { asn: number; asName?: string | null }[];
  };
  assert.equal(data.localAs, 6447);
  assert.equal(data.localAsName, "University of Oregon");
  assert.deepEqual(data.neighbors.map((n) => [n.asn, n.asName]), [
    [15169, "Google LLC"],
    [3356, "Level 3 Communications, Inc."],
    [64999, "Private use"],
  ]);
  assert.match(
    result.text,
    /\nAS names as of \S+: 6447 University of Oregon; 15169 Google LLC; 3356 Level 3 Communications, Inc\.; 64999 Private use\.$/,
  );
});

Deno.test("traceroute names the AS of each hop", async () => {
  const trace = [
    "Type escape sequence to abort.",
    "Tracing the route to 8.8.8.8",
    "VRF info: (vrf in name/id, vrf out name/id)",
    "  1 128.223.51.1 0 msec 0 msec 1 msec",
    "  2 4.68.1.1 [AS 3356] 8 msec 8 msec 8 msec",
    "  3 8.8.8.8 [AS 15169] 20 msec 19 msec 20 msec",
  ].join("\n");
  await using server = new FakeTelnetServer(
    iosScript({ answers: { "traceroute 8.8.8.8 timeout 1 ttl 1 3": trace } }),
  );
  await using client = await connectInProcess(parseConfig({
    defaultServer: "rv",
    servers: [loopbackEntry("rv", server.port, {
      dialect: "cisco-ios",
      login: { username: "rviews" },
      supports: ["traceroute"],
    })],
  }, "t"));
  const result = await callTool(client, "traceroute", {
    destination: "8.8.8.8",
    maxHops: 3,
    timeoutSeconds: 1,
  });
  assert.equal(result.isError, undefined, result.text);
  const hops = (result.structuredContent as {
    hops: { hop: number; asn?: number; asName?: string | null }[];
  }).hops;
  assert.deepEqual(hops.map((h) => [h.hop, h.asn, h.asName]), [
    [1, undefined, undefined],
    [2, 3356, "Level 3 Communications, Inc."],
    [3, 15169, "Google LLC"],
  ]);
  assert.match(
    result.text,
    /\nAS names as of \S+: 3356 Level 3 Communications, Inc\.; 15169 Google LLC\.$/,
  );
});

Deno.test("names never make a query fail: data that cannot be loaded is one warning, and the next call tries again", async () => {
  await using server = rig();
  const loader = await countingLoader(1);
  await using client = await connectInProcess(config(server.port), { namesLoader: loader.names });
  const first = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(first.isError, undefined, first.text);
  const data = first.structuredContent as {
    paths: Path[];
    namesAsOf?: string;
    warnings: string[];
  };
  assert.equal(data.paths.length, 2);
  assert.ok(data.paths.every((p) => p.asPathNames === undefined));
  assert.equal(data.namesAsOf, undefined);
  assert.deepEqual(data.warnings, [
    "AS names are left out of this answer: The built-in AS-names data could not be loaded " +
    '(Module not found "asn_data.ts"). Run `deno task data` in a clone to rebuild ' +
    "src/names/asn_data.ts, or give a data file with --names-data FILE",
  ]);
  assert.equal(first._meta, undefined);
  assert.doesNotMatch(first.text, /^AS names as of/m);
  assert.match(first.text, /Note: AS names are left out of this answer/);
  // The next call loads it (from the cache for the route, so no second command).
  const second = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  const named = second.structuredContent as { paths: Path[]; warnings: string[] };
  assert.deepEqual(named.paths.find((p) => p.best)?.asPathNames, ["Google LLC", "Google LLC"]);
  assert.deepEqual(named.warnings, []);
  assert.equal(loader.loads, 2);
  assert.equal(server.lines.filter((l) => l === ROUTE).length, 1);
});

Deno.test("names load on first use, once for concurrent first queries, never at startup", async () => {
  await using server = rig();
  const loader = await countingLoader();
  await using client = await connectInProcess(config(server.port), { namesLoader: loader.names });
  await client.listTools();
  await callTool(client, "list_servers", {});
  // A refused destination loads nothing either.
  const refused = await callTool(client, "route_lookup", { destination: "10.0.0.1" });
  assert.equal(refused.isError, true);
  assert.equal(loader.loads, 0);
  const results = await Promise.all(
    ["8.8.8.8", "8.8.8.9", "8.8.8.8"].map((destination) =>
      callTool(client, "route_lookup", { destination })
    ),
  );
  for (const result of results) {
    const best = (result.structuredContent as { paths: Path[] }).paths.find((p) => p.best);
    assert.deepEqual(best?.asPathNames, ["Google LLC", "Google LLC"]);
  }
  assert.equal(loader.loads, 1);
});

Deno.test("asNames: false (--no-names) loads nothing, adds no field and offers no as_info or ip_origin", async () => {
  await using server = rig();
  const loader = await countingLoader();
  for (
    const [label, cfg, options] of [
      ["option", config(server.port), { asNames: false, namesLoader: loader.names }],
      ["server list", config(server.port, { asNames: false }), { namesLoader: loader.names }],
    ] as const
  ) {
    await using client = await connectInProcess(cfg, options);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name).filter((n) => n === "as_info" || n === "ip_origin"),
      [],
      label,
    );
    assert.doesNotMatch(client.getInstructions() ?? "", /as_info/, label);
    const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
    const data = result.structuredContent as { paths: Path[]; namesAsOf?: string };
    assert.ok(data.paths.every((p) => !("asPathNames" in p)), label);
    assert.equal(data.namesAsOf, undefined, label);
    assert.doesNotMatch(result.text, /AS names/, label);
    const summary = await callTool(client, "bgp_summary", {});
    assert.doesNotMatch(JSON.stringify(summary.structuredContent), /asName|localAsName/, label);
  }
  assert.equal(loader.loads, 0);
});

Deno.test("as_info names an AS (any notation), counts its ranges with examples, and searches names", async () => {
  await using client = await connectInProcess(config(1));
  const lumen = await callTool(client, "as_info", { asn: 3356, limit: 2 });
  assert.equal(lumen.isError, undefined, lumen.text);
  const data = lumen.structuredContent as {
    as: { asn: number; name: string; source: string; ranges: { ipv4: number; ipv6: number } };
    examples: { ipv4: { asn: number; start: string }[]; ipv6: unknown[] };
    namesAsOf: string;
    note: string;
  };
  assert.equal(data.as.name, "Level 3 Communications, Inc.");
  assert.equal(data.as.source, "dataset");
  assert.ok(data.as.ranges.ipv4 > 1000, String(data.as.ranges.ipv4));
  assert.equal(data.examples.ipv4.length, 2);
  assert.ok(data.examples.ipv4.every((r) => r.asn === 3356));
  assert.equal(
    data.note,
    `dataset as of ${DATA_DATE}, not a live view: use route_lookup for the live table`,
  );
  assert.match(
    lumen.text,
    /^AS3356 Level 3 Communications, Inc\.\nThe dataset maps \d+ IPv4 ranges/,
  );
  assert.match(
    lumen.text,
    /\nDataset as of \S+, not a live view: use route_lookup for the live table\.$/,
  );
  assert.ok(lumen._meta?.["bgp-lg-mcp/asNames"]);

  for (const asn of ["AS15169", "as15169", " 15169 "]) {
    const google = await callTool(client, "as_info", { asn });
    assert.equal((google.structuredContent as typeof data).as.name, "Google LLC", asn);
  }
  // asdot 1.10 is 65546, a documentation number: named by IANA.
  const doc = await callTool(client, "as_info", { asn: "1.10" });
  const docAs = (doc.structuredContent as {
    as: { asn: number; name: string; source: string; special: { reference: string } };
  }).as;
  assert.deepEqual([docAs.asn, docAs.name, docAs.source, docAs.special.reference], [
    65546,
    "Documentation and sample code",
    "iana",
    "RFC 5398",
  ]);
  assert.match(
    doc.text,
    /^AS65546 Documentation and sample code \(RFC 5398; never in a public AS path\)\./,
  );

  const cogent = await callTool(client, "as_info", { query: "Cogent", limit: 3 });
  const search = (cogent.structuredContent as {
    search: { query: string; matches: { asn: number; match: string }[]; total: number };
  }).search;
  assert.equal(search.query, "cogent");
  assert.equal(search.matches[0].asn, 174);
  assert.ok(search.matches.length <= 3 && search.total >= search.matches.length);
  assert.match(cogent.text, /\n174 +Cogent Communications +\d+\/\d+\n/);
});

Deno.test("as_info refuses what is not an AS number or a search, clearly, and keeps serving", async () => {
  await using client = await connectInProcess(config(1));
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ asn: -1 }, /^-1 is out of range\. Accepted: an AS number from 0 to 4294967295/],
    [{ asn: 2 ** 32 }, /^4294967296 is out of range\. Accepted/],
    [{ asn: 1.5 }, /^1\.5 is not a whole number\. Accepted/],
    [{ asn: "cogent" }, /^"cogent" is not an AS number\. Accepted.*search for a part of its name/],
    [{ asn: "" }, /^The AS number is empty\. Accepted/],
    [{ asn: "AS4294967296" }, /is out of range/],
    [{ query: "" }, /^The search text is empty\. Search with 1 to 100 characters/],
    [{ query: "a\u0007b" }, /^The search text contains control characters/],
    [{ query: "x".repeat(101) }, /101 characters long; the limit is 100/],
    [{}, /^as_info takes asn \(an AS number, e\.g\. 3356\) or query/],
    [{ asn: 3356, query: "cogent" }, /^as_info takes asn or query, not both/],
    [{ asn: true }, /asn/],
    [{ asn: [3356] }, /asn/],
  ];
  for (const [args, message] of cases) {
    const result = await callTool(client, "as_info", args);
    assert.equal(result.isError, true, JSON.stringify(args));
    assert.match(result.text, message, JSON.stringify(args));
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(result.text, /[\u0000-\u001f]/);
  }
  const ok = await callTool(client, "as_info", { asn: 174 });
  assert.equal((ok.structuredContent as { as: { name: string } }).as.name, "Cogent Communications");
});

Deno.test("ip_origin: the dataset's range and origin, labelled as not live; refusals are route_lookup's", async () => {
  await using server = rig();
  await using client = await connectInProcess(config(server.port));
  const google = await callTool(client, "ip_origin", { address: "8.8.8.8" });
  assert.equal(google.isError, undefined, google.text);
  const data = google.structuredContent as {
    destination: string;
    covering: { asn: number; name: string; prefixes: string[] } | null;
    note: string;
  };
  assert.equal(data.destination, "8.8.8.8");
  assert.deepEqual(
    [data.covering?.asn, data.covering?.name, data.covering?.prefixes],
    [15169, "Google LLC", ["8.8.8.0/24"]],
  );
  assert.equal(
    google.text,
    `8.8.8.8: in 8.8.8.0/24 AS15169 Google LLC.\nDataset as of ${DATA_DATE}, not a live view: ` +
      "use route_lookup for the live table.",
  );
  // A wide prefix spans ranges of several ASes: they are listed (bounded) and counted.
  const wide = await callTool(client, "ip_origin", { address: "8.0.0.0/8" });
  const spans = wide.structuredContent as {
    covering: unknown;
    overlapping: unknown[];
    overlappingCount: number;
  };
  assert.equal(spans.covering, null);
  assert.equal(spans.overlapping.length, 20);
  assert.ok(spans.overlappingCount > 20);
  // Host bits are cleared with a note, as route_lookup does.
  const bits = await callTool(client, "ip_origin", { address: "8.8.8.8/24" });
  assert.deepEqual((bits.structuredContent as { warnings: string[] }).warnings, [
    "8.8.8.8/24 has host bits set; looked up 8.8.8.0/24 instead",
  ]);

  for (
    const bad of ["10.1.2.3", "192.168.0.0/16", "2001:db8::1", "fe80::1%eth0", "2001::1", "", "x y"]
  ) {
    const origin = await callTool(client, "ip_origin", { address: bad });
    const lookup = await callTool(client, "route_lookup", { destination: bad });
    assert.equal(origin.isError, true, bad);
    assert.equal(origin.text, lookup.text, bad);
  }
  assert.match(
    (await callTool(client, "ip_origin", { address: "10.1.2.3" })).text,
    /^"10\.1\.2\.3" is inside 10\.0\.0\.0\/8, private-use space \(RFC 1918\)/,
  );
  // No refusal, and no ip_origin at all, reached the route server.
  assert.equal(server.lines.filter((l) => l.startsWith("show")).length, 0);
});
