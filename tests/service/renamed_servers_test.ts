/**
 * Renamed and retired collectors stay in the server list as disabled entries
 * that name their successor; a query naming one is told which server to use
 * instead, and nothing is sent anywhere.
 */

import assert from "node:assert/strict";
import { builtinConfig } from "../../src/config/load.ts";
import { parseConfig } from "../../src/config/schema.ts";
import { ConfigError, ServerSelectionError } from "../../src/errors.ts";
import { selectServer } from "../../src/service/select_server.ts";
import { callTool, connectInProcess, FakeTelnetServer, frrScript } from "../harness/mod.ts";

const entry = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
  name,
  host: "127.0.0.1",
  port,
  dialect: "frr",
  login: "none",
  location: `loopback ${name}`,
  addressFamilies: ["ipv4", "ipv6"],
  enabled: true,
  ...extra,
});

Deno.test("the shipped list: renamed collectors point at their successors", () => {
  const config = builtinConfig();
  const successors = Object.fromEntries(
    config.servers.filter((s) => s.successor).map((s) => [s.name, s.successor]),
  );
  assert.deepEqual(successors, {
    "route-views.amsix": "amsix.ams",
    "route-views2.saopaulo": "ix-br2.gru",
    "route-views.saopaulo": "ix-br.gru",
  });
  for (const [old, next] of Object.entries(successors)) {
    assert.equal(config.servers.find((s) => s.name === old)?.enabled, false, old);
    assert.equal(config.servers.find((s) => s.name === next)?.enabled, true, next);
  }
  assert.throws(
    () => selectServer(config, "route-views2.saopaulo", "ipv4"),
    (e: unknown) =>
      e instanceof ServerSelectionError &&
      e.message ===
        "route-views2.saopaulo is no longer in service under that name: use ix-br2.gru " +
          "(IX.br (PTT Metro), Sao Paulo, BR) instead. Nothing was sent to any server",
  );
  // A retired collector without a successor is just disabled.
  assert.throws(() => selectServer(config, "route-views.jinx", "ipv4"), /is disabled/);
});

Deno.test("a successor must be an enabled server, and only a disabled entry names one", () => {
  const file = (servers: Record<string, unknown>[]) => ({ defaultServer: "new", servers });
  assert.throws(
    () =>
      parseConfig(
        file([entry("new", 1), entry("old", 2, { enabled: false, successor: "nope" })]),
        "t",
      ),
    (e: unknown) =>
      e instanceof ConfigError &&
      /servers\[1\] \(old\) field "successor": "nope" is not the name of an enabled server/.test(
        e.message,
      ),
  );
  assert.throws(
    () => parseConfig(file([entry("new", 1, { successor: "new" })]), "t"),
    /only a disabled server names a successor/,
  );
  assert.throws(
    () =>
      parseConfig(
        file([
          entry("new", 1),
          entry("off", 2, { enabled: false }),
          entry("old", 3, { enabled: false, successor: "off" }),
        ]),
        "t",
      ),
    /"off" is not the name of an enabled server/,
  );
});

Deno.test("every tool answers a renamed server's name with the one to use; nothing is sent", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: {} }));
  const config = parseConfig({
    defaultServer: "new.ix",
    servers: [
      entry("new.ix", fake.port, { location: "NEW-IX, Somewhere, XX" }),
      entry("old.ix", fake.port, { enabled: false, successor: "new.ix" }),
    ],
  }, "t");
  await using client = await connectInProcess(config);
  const expected =
    /Nothing was sent to any server: old\.ix is no longer in service under that name: use new\.ix \(NEW-IX, Somewhere, XX\) instead at servers?$/;
  for (
    const [tool, args] of [
      ["route_lookup", { destination: "8.8.8.8", server: "old.ix" }],
      ["bgp_summary", { server: "old.ix" }],
      ["route_compare", { destination: "8.8.8.8", servers: ["new.ix", "old.ix"] }],
    ] as const
  ) {
    const result = await callTool(client, tool, args);
    assert.equal(result.isError, true, tool);
    assert.match(result.text, expected, `${tool}: ${result.text}`);
  }
  // The resource for the old name says where to go.
  const resource = await client.readResource({ uri: "servers://old.ix" });
  const old = JSON.parse((resource.contents[0] as { text: string }).text);
  assert.deepEqual([old.enabled, old.successor, old.confirmed], [false, "new.ix", true]);
  assert.equal(fake.connections, 0);
});
