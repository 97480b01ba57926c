/**
 * One `orlonger` never burns the day: it may spend half of the download budget
 * left, reads are sized so that no cap is overrun by more than a byte, a table
 * cut at the cap comes back as its complete prefixes marked `truncated`, and
 * where the dialect can count (IOS, Junos `| count`) a table that would not
 * fit is refused before it is asked for.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { ciscoIos } from "../../src/dialects/cisco_ios.ts";
import { junos } from "../../src/dialects/junos.ts";
import { parseDestination } from "../../src/validation/destination.ts";
import { TelnetSession } from "../../src/telnet/session.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  frrScript,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";

const HEADER = [
  "BGP table version is 6405, local router ID is 10.1.0.32, vrf id 0",
  "Default local pref 100, local AS 6447",
  "Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,",
  "               i internal, r RIB-failure, S Stale, R Removed",
  "Origin codes:  i - IGP, e - EGP, ? - incomplete",
  "",
  "   Network          Next Hop            Metric LocPrf Weight Path",
];

/** The `i`th prefix inside 8.8.0.0/16: the 256 /24s, then the 512 /25s, the /26s, and so on. */
function nthPrefix(i: number): string {
  for (let length = 24, first = 0; length <= 32; length++) {
    const here = 2 ** (length - 16);
    if (i < first + here) {
      const offset = (i - first) * 2 ** (32 - length);
      return `8.8.${Math.floor(offset / 256)}.${offset % 256}/${length}`;
    }
    first += here;
  }
  throw new RangeError(`8.8.0.0/16 holds no prefix number ${i} of length 24 to 32`);
}

/** A BGP table of `count` prefixes, all inside 8.8.0.0/16 (see `nthPrefix`), two paths each. */
function table(count: number): { text: string; prefixes: string[] } {
  const rows: string[] = [];
  const prefixes: string[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = nthPrefix(i);
    prefixes.push(prefix);
    rows.push(`*> ${prefix.padEnd(17)}198.51.100.2             0             0 3356 174 15169 i`);
    rows.push(`*  ${"".padEnd(17)}198.51.100.3            10             0 1299 15169 15169 i`);
  }
  return {
    text: [...HEADER, ...rows, "", `Displayed  ${count} routes and ${2 * count} total paths`].join(
      "\n",
    ),
    prefixes,
  };
}

type Lookup = {
  truncated: boolean;
  prefixes: { prefix: string; totalPaths: number }[];
  warnings: string[];
  command: string;
};
type Listed = {
  servers: { budget: { used: { bytesDown: number }; remaining: { bytesDown: number } } }[];
};

Deno.test("an orlonger larger than the budget left spends half of it and returns its complete prefixes", async () => {
  const big = table(500); // about 70 KB of text
  await using fake = new FakeTelnetServer(frrScript({
    answers: {
      "show bgp ipv4 unicast 8.8.0.0/16 longer-prefixes": big.text,
      "show bgp ipv4 unicast 8.8.8.0/24 json": "{}",
    },
  }));
  const config = parseConfig({
    defaultServer: "rs",
    servers: [loopbackEntry("rs", fake.port, { quota: { bytesDown: 50_000 } })],
  }, "test");
  await using client = await connectInProcess(config);
  const result = await callTool(client, "route_lookup", {
    destination: "8.8.0.0/16",
    match: "orlonger",
    maxPrefixes: 200,
  });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as Lookup;
  assert.equal(data.command, "show bgp ipv4 unicast 8.8.0.0/16 longer-prefixes");
  assert.equal(data.truncated, true);
  assert.ok(data.prefixes.length > 50, `${data.prefixes.length} prefixes`);
  // What is shown is complete and in order: the first prefixes of the table, two paths each.
  assert.deepEqual(
    data.prefixes.map((p) => p.prefix),
    big.prefixes.slice(0, data.prefixes.length),
  );
  assert.ok(data.prefixes.every((p) => p.totalPaths === 2));
  assert.ok(
    data.warnings.some((w) =>
      /cut at the \d+ bytes share of today's download budget left .* more may follow/.test(w)
    ),
    data.warnings.join("\n"),
  );
  // Half of the day's download at most (plus the greeting), never the whole budget.
  const listed = (await callTool(client, "list_servers", {})).structuredContent as Listed;
  const { used, remaining } = listed.servers[0].budget;
  assert.ok(used.bytesDown <= 25_000 + 200, `${used.bytesDown} bytes booked`);
  assert.ok(remaining.bytesDown >= 24_000);
  // The server is not refused for the rest of the day: the next query is answered.
  const next = await callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
  assert.equal(next.isError, undefined, next.text);
});

Deno.test("a byte cap is crossed by one byte at most: reads are sized to what is left", async () => {
  await using fake = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    const line = await c.line();
    await c.send(`${line}\r\n${"y".repeat(100_000)}`);
    await c.sleep(2000);
  });
  const server = { name: "flood", host: "127.0.0.1", port: fake.port, login: "none" as const };
  using session = await TelnetSession.open(server, {
    connectTimeoutMs: 2000,
    loginTimeoutMs: 2000,
  });
  const greeting = session.bytesReceived;
  await assert.rejects(
    session.command("show x", { timeoutMs: 5000, maxBytes: 1000 }),
    /exceeded the 1000 bytes output cap/,
  );
  assert.ok(
    session.bytesReceived - greeting <= 1001,
    `${session.bytesReceived - greeting} bytes read`,
  );
  await fake.close();
});

Deno.test("IOS: an orlonger whose count says it will not fit is refused before the table is asked", async () => {
  const count = "show ip bgp 8.8.0.0/16 longer-prefixes | count .";
  await using fake = new FakeTelnetServer(iosScript({
    answers: {
      [count]: "Number of lines which match regexp = 5000",
      "show ip bgp 8.8.0.0/16 longer-prefixes": table(2500).text,
      "show ip bgp 8.8.8.0/24 longer-prefixes | count .": "Number of lines which match regexp = 10",
      "show ip bgp 8.8.8.0/24 longer-prefixes": table(1).text.replace("8.8.0.0/24", "8.8.8.0/24"),
    },
  }));
  const config = parseConfig({
    defaultServer: "rv",
    servers: [loopbackEntry("rv", fake.port, {
      dialect: "cisco-ios",
      login: { username: "rviews" },
    })],
  }, "test");
  await using client = await connectInProcess(config);
  const refused = await callTool(client, "route_lookup", {
    destination: "8.8.0.0/16",
    match: "orlonger",
  });
  assert.equal(refused.isError, true);
  assert.match(
    refused.text,
    /rv counted 5000 lines .* about 300\.0 KB or more, over the 249\.\d KB this query may download, its share of today's download budget left \(50% of 499\.\d KB\)/,
  );
  assert.match(refused.text, /The table was not asked for\. Ask for a longer prefix/);
  assert.ok(fake.lines.includes(count));
  assert.equal(fake.lines.includes("show ip bgp 8.8.0.0/16 longer-prefixes"), false);

  const small = await callTool(client, "route_lookup", {
    destination: "8.8.8.0/24",
    match: "orlonger",
  });
  assert.equal(small.isError, undefined, small.text);
  const data = small.structuredContent as Lookup;
  assert.deepEqual(data.prefixes.map((p) => p.prefix), ["8.8.8.0/24"]);
  assert.ok(data.warnings.some((w) => /^Counted first with `.*\| count \.`: 10 lines/.test(w)));
});

Deno.test("counts are read from IOS and Junos words; anything else is no count", () => {
  const destination = parseDestination("8.8.0.0/16");
  const ios = ciscoIos.routesEstimate!(destination);
  assert.equal(ios.command, "show ip bgp 8.8.0.0/16 longer-prefixes | count .");
  assert.deepEqual(ios.read("Number of lines which match regexp = 42"), {
    bytes: 42 * 60,
    counted: "42 lines",
  });
  assert.equal(ios.read("% Invalid input detected at '^' marker."), null);
  const j = junos.routesEstimate!(destination);
  assert.equal(
    j.command,
    "show route 8.8.0.0/16 orlonger protocol bgp table inet.0 detail | count",
  );
  assert.deepEqual(j.read("Count: 1234 lines"), { bytes: 1234 * 40, counted: "1234 lines" });
  assert.equal(j.read("syntax error, expecting <command>."), null);
});

Deno.test("a table cut at the budget is still checked: a prefix outside the one asked fails it", async () => {
  const big = table(500);
  // The third prefix of the table lies outside 8.8.0.0/16: a lying server, cut or not.
  const lying = big.text.replace("8.8.2.0/24      ", "9.9.9.0/24      ");
  await using fake = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.0.0/16 longer-prefixes": lying },
  }));
  const config = parseConfig({
    defaultServer: "rs",
    servers: [loopbackEntry("rs", fake.port, { quota: { bytesDown: 50_000 } })],
  }, "test");
  await using client = await connectInProcess(config);
  const result = await callTool(client, "route_lookup", {
    destination: "8.8.0.0/16",
    match: "orlonger",
    maxPrefixes: 200,
  });
  assert.equal(result.isError, true, result.text);
  assert.match(result.text, /9\.9\.9\.0\/24 .*which is not inside it/);
  assert.doesNotMatch(result.text, /8\.8\.0\.0\/24\s/);
});
