/**
 * End to end over Streamable HTTP: the real process (`serve --http
 * 127.0.0.1:0 --tokens FILE`, network limited to loopback ports) and the
 * SDK's real `StreamableHTTPClientTransport`. With a token every tool, the
 * resources and the prompts work against the real FRR rig (and a fake IOS
 * vty for ping and traceroute); without one, or with a wrong one, the answer
 * is 401 and nothing reaches a route server; a non-loopback bind without
 * tokens is refused at start; SIGTERM writes the ledger and exits.
 */

import assert from "node:assert/strict";
import type { BgpPath } from "../../src/bgp/types.ts";
import {
  callTool,
  connectHttp,
  FakeTelnetServer,
  iosScript,
  Relay,
  RIG_ROUTES,
  rigTest,
  runServerCommand,
  spawnHttpServer,
  startFrrRig,
  writeTokens,
} from "../harness/mod.ts";

const PING = [
  "Type escape sequence to abort.",
  "Sending 5, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:",
  "!!!!!",
  "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms",
].join("\n");

const TRACE = [
  "Type escape sequence to abort.",
  "Tracing the route to dns.google (8.8.8.8)",
  "  1 128.223.51.1 0 msec 0 msec 1 msec",
  "  2 dns.google (8.8.8.8) [AS 15169] 20 msec 19 msec 20 msec",
].join("\n");

/** What the IOS vty has for 1.1.1.0/24: one path, origin AS13335 via AS3356 (as on the rig). */
const ROUTE = [
  "BGP routing table entry for 1.1.1.0/24, version 7",
  "Paths: (1 available, best #1, table default)",
  "  Refresh Epoch 1",
  "  6939 13335",
  "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
  "      Origin IGP, metric 0, localpref 100, valid, external, best",
  "      rx pathid: 0, tx pathid: 0x0",
].join("\n");

await rigTest("http end to end: every tool with a token, 401 without, refused binds", async (t) => {
  const rig = await startFrrRig();
  await using relay = new Relay({ target: { hostname: "127.0.0.1", port: rig.vtyPort } });
  await using ios = new FakeTelnetServer(iosScript({
    answers: {
      "ping 8.8.8.8 repeat 5 timeout 2": PING,
      "traceroute 8.8.8.8 timeout 2 ttl 1 15": TRACE,
      "show ip bgp 1.1.1.0/24": ROUTE,
    },
  }));
  try {
    const configPath = await rig.writeConfig([{
      name: "rv",
      host: "127.0.0.1",
      port: ios.port,
      dialect: "cisco-ios",
      login: { username: "rviews" },
      location: "fake IOS vty",
      addressFamilies: ["ipv4"],
      enabled: true,
      supports: ["ping", "traceroute"],
    }], {
      servers: [{
        name: "rig",
        host: "127.0.0.1",
        port: relay.port,
        dialect: "frr",
        login: "none",
        location: "loopback FRR route server behind a counting relay",
        addressFamilies: ["ipv4", "ipv6"],
        enabled: true,
      }],
    });
    const { path: tokensPath, tokens } = await writeTokens(rig.dir, ["alice", "bob"]);
    const ledger = `${rig.dir}/ledger.json`;
    const server = await spawnHttpServer({
      config: configPath,
      tokens: tokensPath,
      allowNet: [`127.0.0.1:${relay.port}`, `127.0.0.1:${ios.port}`],
      allowRead: [rig.dir],
      allowWrite: [rig.dir],
      args: ["--ledger", ledger],
    });
    try {
      await using alice = await connectHttp(server.url, tokens.alice);

      await t.step("initialize and the tool list over HTTP", async () => {
        assert.equal(alice.getServerVersion()?.name, "bgp-lg-mcp");
        assert.match(alice.getInstructions() ?? "", /route_lookup/);
        const { tools } = await alice.listTools();
        assert.deepEqual(tools.map((tool) => tool.name), [
          "route_lookup",
          "route_compare",
          "bgp_summary",
          "list_servers",
          "ping",
          "traceroute",
          "as_info",
          "ip_origin",
        ]);
      });

      await t.step("as_info and ip_origin: the offline dataset over HTTP", async () => {
        const asInfo = await callTool(alice, "as_info", { asn: 3356 });
        assert.equal(asInfo.isError, undefined, asInfo.text);
        assert.equal(
          (asInfo.structuredContent as { as: { name: string } }).as.name,
          "Level 3 Communications, Inc.",
        );
        const origin = await callTool(alice, "ip_origin", { address: "1.1.1.1" });
        assert.equal(origin.isError, undefined, origin.text);
        assert.equal(
          (origin.structuredContent as { covering: { asn: number } }).covering.asn,
          13335,
        );
      });

      await t.step("route_lookup: the rig's paths", async () => {
        const result = await callTool(alice, "route_lookup", { destination: "8.8.8.0/24" });
        assert.equal(result.isError, undefined, result.text);
        const data = result.structuredContent as { prefix: string; paths: BgpPath[] };
        assert.equal(data.prefix, RIG_ROUTES.google.prefix);
        const best = data.paths.find((p) => p.best)!;
        assert.deepEqual(best.asPath, RIG_ROUTES.google.viaGoogle.asPath);
        assert.equal(best.nextHop, RIG_ROUTES.google.viaGoogle.nextHop);
        assert.deepEqual(
          data.paths.map((p) => p.asPath).sort(),
          [RIG_ROUTES.google.viaGoogle.asPath, RIG_ROUTES.google.viaLevel3.asPath]
            .map((p) => [...p]).sort(),
        );
      });

      await t.step("route_compare: the rig and the IOS vty", async () => {
        const result = await callTool(alice, "route_compare", {
          destination: "1.1.1.0/24",
          servers: ["rig", "rv"],
        });
        assert.equal(result.isError, undefined, result.text);
        const data = result.structuredContent as {
          results: { server: string; found: boolean; bestPath?: { asPath: number[] } }[];
          consensus: { seenBy: string[]; origins: { asn: number }[]; moas: boolean };
        };
        assert.deepEqual(data.results.map((r) => [r.server, r.found, r.bestPath?.asPath]), [
          ["rig", true, [...RIG_ROUTES.cloudflare.asPath]],
          ["rv", true, [6939, 13335]],
        ]);
        assert.deepEqual(data.consensus.seenBy, ["rig", "rv"]);
        assert.deepEqual(data.consensus.origins.map((o) => o.asn), [13335]);
        assert.equal(data.consensus.moas, false);
      });

      await t.step("bgp_summary: the rig's neighbours", async () => {
        const result = await callTool(alice, "bgp_summary", {});
        assert.equal(result.isError, undefined, result.text);
        const data = result.structuredContent as {
          totals: { neighbors: number; established: number };
        };
        assert.deepEqual([data.totals.neighbors, data.totals.established], [3, 2]);
      });

      await t.step("list_servers with probes", async () => {
        const result = await callTool(alice, "list_servers", { probe: true });
        assert.equal(result.isError, undefined, result.text);
        const data = result.structuredContent as {
          servers: { name: string; probe?: { reachable: boolean } }[];
        };
        assert.deepEqual(data.servers.map((s) => [s.name, s.probe?.reachable]), [
          ["rig", true],
          ["rv", true],
        ]);
      });

      await t.step("ping and traceroute from the IOS vty", async () => {
        const ping = await callTool(alice, "ping", { destination: "8.8.8.8", server: "rv" });
        assert.equal(ping.isError, undefined, ping.text);
        const p = ping.structuredContent as { sent: number; received: number };
        assert.deepEqual([p.sent, p.received], [5, 5]);
        const trace = await callTool(alice, "traceroute", {
          destination: "8.8.8.8",
          server: "rv",
        });
        assert.equal(trace.isError, undefined, trace.text);
        const hops = (trace.structuredContent as { hops: { asn?: number }[] }).hops;
        assert.deepEqual(hops.map((h) => h.asn ?? null), [null, 15169]);
      });

      await t.step("resources and prompts", async () => {
        const list = await alice.readResource({ uri: "servers://list" });
        const body = JSON.parse((list.contents[0] as { text: string }).text);
        assert.deepEqual(body.servers.map((s: { name: string }) => s.name), ["rig", "rv"]);
        const prompt = await alice.getPrompt({
          name: "diagnose_prefix",
          arguments: { prefix: "8.8.8.0/24" },
        });
        assert.match(JSON.stringify(prompt.messages), /8\.8\.8\.0\/24/);
      });

      await t.step(
        "a refused destination is an isError result; the process keeps serving",
        async () => {
          const before = relay.connections;
          const refused = await callTool(alice, "route_lookup", { destination: "10.0.0.1" });
          assert.equal(refused.isError, true);
          assert.match(refused.text, /private-use/);
          assert.equal(relay.connections, before);
          const again = await callTool(alice, "route_lookup", { destination: "1.1.1.0/24" });
          assert.equal(again.isError, undefined, again.text);
        },
      );

      await t.step("no token, a wrong token, a malformed header: 401, nothing sent", async () => {
        const before = { connections: relay.connections, lines: relay.lines.length };
        for (
          const [authorization, reason] of [
            [null, /Missing bearer token/],
            [`Bearer ${"f".repeat(64)}`, /not valid for this server/],
            [`Basic ${btoa("alice:x")}`, /is not `Bearer <token>`/],
          ] as const
        ) {
          const response = await fetch(server.url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json, text/event-stream",
              ...(authorization === null ? {} : { Authorization: authorization }),
            },
            body: JSON.stringify({
              jsonrpc: "2.0",
              id: 1,
              method: "tools/call",
              params: { name: "route_lookup", arguments: { destination: "9.9.9.0/24" } },
            }),
          });
          const body = await response.json();
          assert.equal(response.status, 401);
          assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
          assert.match(body.error.message, reason);
        }
        // The SDK's client: connecting without a token, or with a wrong one, fails.
        await assert.rejects(() => connectHttp(server.url), /Missing bearer token/);
        await assert.rejects(
          () => connectHttp(server.url, "x".repeat(40)),
          /not valid for this server/,
        );
        assert.deepEqual(
          { connections: relay.connections, lines: relay.lines.length },
          before,
        );
      });

      await t.step("/healthz for anyone, /metrics with a token only", async () => {
        const health = await fetch(server.url.replace(/\/mcp$/, "/healthz"));
        assert.equal(health.status, 200);
        assert.equal(await health.text(), "ok\n");
        const anonymous = await fetch(server.url.replace(/\/mcp$/, "/metrics"));
        assert.equal(anonymous.status, 401);
        await anonymous.body?.cancel();
        const metrics = await fetch(server.url.replace(/\/mcp$/, "/metrics"), {
          headers: { Authorization: `Bearer ${tokens.bob}` },
        });
        assert.equal(metrics.status, 200);
        const text = await metrics.text();
        assert.match(text, /^bgp_lg_tool_calls_total\{tool="route_lookup"\} 3$/m);
        assert.match(text, /^bgp_lg_tool_errors_total\{tool="route_lookup"\} 1$/m);
        assert.match(text, /^bgp_lg_auth_failures_total\{reason="missing"\} [1-9]/m);
        const used = Number(
          /^bgp_lg_quota_used\{server="rig",kind="connections"\} (\d+)$/m.exec(text)?.[1],
        );
        // Every connection the relay saw (the probe's and the sessions') is booked.
        assert.equal(used, relay.connections);
        assert.match(text, /^bgp_lg_quota_limit\{server="rig",kind="connections"\} 100$/m);
      });

      await t.step("SIGTERM: the process ends and the ledger holds every connection", async () => {
        const status = await server.stop();
        assert.equal(status.code, 143, server.stderr());
        const saved = JSON.parse(await Deno.readTextFile(ledger));
        const key = `127.0.0.1:${relay.port}`;
        const buckets = saved.servers[key] as [number, number, number, number][];
        const connections = buckets.reduce((sum, [, c]) => sum + c, 0);
        assert.equal(connections, relay.connections);
      });
    } finally {
      await server.stop();
    }
  } finally {
    await rig.stop();
  }
});

Deno.test("http: a non-loopback bind without tokens is refused at start, before listening", async () => {
  for (const listen of ["0.0.0.0:0", "[::]:0", "192.0.2.1:8080"]) {
    const result = await runServerCommand(
      ["serve", "--http", listen, "--ledger", "memory"],
      ["--allow-net=0.0.0.0,[::],192.0.2.1"],
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^Refusing to listen on .* without tokens/m);
    assert.doesNotMatch(result.stderr, /serving MCP/);
  }
  const stray = await runServerCommand(["serve", "--tokens", "t.txt"]);
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /--tokens only applies to serve --http HOST:PORT/);
  const bad = await runServerCommand(["serve", "--http", "localhost"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--http takes HOST:PORT/);
});
