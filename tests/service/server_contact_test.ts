/**
 * What a server's greeting shows is reported once the server has been
 * contacted, with a mismatch against its configured dialect flagged; a server
 * no public source confirms as telnet-reachable says so when it cannot be
 * reached, and is marked until it has answered.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import type { ServerList } from "../../src/bgp/results.ts";
import {
  callTool,
  connectInProcess,
  FakeTelnetServer,
  frrScript,
  loopbackEntry,
} from "../harness/mod.ts";

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

const ROUTE = [
  "BGP routing table entry for 8.8.8.0/24, version 7",
  "Paths: (1 available, best #1, table default)",
  "  15169",
  "    198.51.100.2 from 198.51.100.2 (198.51.100.2)",
  "      Origin IGP, valid, external, best (First path received)",
].join("\n");

Deno.test("list_servers: the software each greeting showed, and a dialect that does not fit", async () => {
  await using frr = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.8.8": ROUTE },
  }));
  const config = parseConfig({
    defaultServer: "good",
    servers: [
      loopbackEntry("good", frr.port),
      // The same FRR vty, configured as IOS without a login (a wrong servers.json).
      loopbackEntry("wrong", frr.port, { dialect: "cisco-ios" }),
      loopbackEntry("never", closedPort(), { confirmed: false }),
    ],
  }, "t");
  await using client = await connectInProcess(config);
  const before = (await callTool(client, "list_servers", {}))
    .structuredContent as unknown as ServerList;
  assert.deepEqual(before.servers.map((s) => s.seen), [undefined, undefined, undefined]);
  assert.deepEqual(before.servers.map((s) => s.confirmed), [true, true, false]);

  const ok = await callTool(client, "route_lookup", { destination: "8.8.8.8", server: "good" });
  assert.equal(ok.isError, undefined, ok.text);
  // IOS commands on an FRR vty are refused, but the greeting was seen.
  await callTool(client, "route_lookup", { destination: "8.8.8.8", server: "wrong" });

  const after = await callTool(client, "list_servers", {});
  const list = after.structuredContent as unknown as ServerList;
  const [good, wrong, never] = list.servers;
  assert.equal(good.seen?.software, "FRR");
  assert.equal(good.seen?.version, "8.4.4");
  assert.equal(good.seen?.mismatch, undefined);
  assert.match(good.seen!.at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(wrong.seen?.software, "FRR");
  assert.equal(
    wrong.seen?.mismatch,
    "configured as cisco-ios, but its greeting shows FRR 8.4.4 (the frr dialect)",
  );
  assert.equal(never.seen, undefined);
  assert.match(after.text, /good .*greeting: FRR 8\.4\.4/);
  assert.match(after.text, /wrong .*MISMATCH: configured as cisco-ios, but its greeting shows FRR/);
  assert.match(after.text, /never .*telnet not confirmed yet/);
});

Deno.test("an unconfirmed server that cannot be reached says no public source confirms telnet", async () => {
  const config = parseConfig({
    defaultServer: "known",
    limits: { connectTimeoutMs: 1000 },
    servers: [
      loopbackEntry("known", closedPort()),
      loopbackEntry("listed", closedPort(), { confirmed: false }),
    ],
  }, "t");
  await using client = await connectInProcess(config);
  const listed = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    server: "listed",
  });
  assert.equal(listed.isError, true);
  assert.match(listed.text, /Could not connect to listed/);
  assert.match(
    listed.text,
    /No public source confirms that listed offers telnet .*Ask another server/,
  );
  const known = await callTool(client, "route_lookup", { destination: "8.8.8.8", server: "known" });
  assert.equal(known.isError, true);
  assert.doesNotMatch(known.text, /No public source confirms/);
});

Deno.test("a default route_compare asks confirmed servers before unconfirmed ones", async () => {
  await using frr = new FakeTelnetServer(frrScript({
    answers: { "show bgp ipv4 unicast 8.8.8.8": ROUTE },
  }));
  const config = parseConfig({
    defaultServer: "main",
    limits: { connectTimeoutMs: 1000 },
    servers: [
      loopbackEntry("main", frr.port, { location: "Eugene" }),
      // Listed first, at its own location: without the preference it would be asked.
      loopbackEntry("listed", closedPort(), { confirmed: false, location: "Somewhere" }),
      loopbackEntry("known", frr.port, { location: "Elsewhere" }),
    ],
  }, "t");
  await using client = await connectInProcess(config);
  const result = await callTool(client, "route_compare", {
    destination: "8.8.8.8",
    maxServers: 2,
  });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { results: { server: string; found: boolean }[] };
  assert.deepEqual(data.results.map((r) => [r.server, r.found]), [["main", true], ["known", true]]);
});
