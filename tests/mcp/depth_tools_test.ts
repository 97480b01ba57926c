/**
 * ping/traceroute from an IOS route server (fake, replaying IOS output), MCP
 * resources and prompts, and community names (well-known and a user dictionary).
 */

import assert from "node:assert/strict";
import { CommunityDictionary } from "../../src/bgp/community_dictionary.ts";
import { parseConfig } from "../../src/config/schema.ts";
import { callTool, connectInProcess, FakeTelnetServer, iosScript } from "../harness/mod.ts";

const PING = [
  "Type escape sequence to abort.",
  "Sending 3, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:",
  "!.!",
  "Success rate is 66 percent (2/3), round-trip min/avg/max = 12/14/16 ms",
].join("\n");

const TRACE = [
  "Type escape sequence to abort.",
  "Tracing the route to dns.google (8.8.8.8)",
  "VRF info: (vrf in name/id, vrf out name/id)",
  "  1 128.223.51.1 0 msec 0 msec 1 msec",
  "  2 ae-1.core.example.net (198.51.100.9) [AS 3701] 1 msec 1 msec 0 msec",
  "  3 * * *",
  "  4 dns.google (8.8.8.8) [AS 15169] 20 msec 19 msec 20 msec",
].join("\n");

const ROUTE = [
  "BGP routing table entry for 8.8.8.0/24, version 7",
  "Paths: (1 available, best #1, table default)",
  "  Refresh Epoch 1",
  "  3356 15169",
  "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
  "      Origin IGP, metric 0, localpref 100, valid, external, best",
  "      Community: 3356:3 3356:86 65535:666",
  "      Large Community: 3356:1:2",
  "      Extended Community: RT:3356:100",
  "      rx pathid: 0, tx pathid: 0x0",
].join("\n");

function config(port: number) {
  const server = (name: string, extra: Record<string, unknown>) => ({
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
  return parseConfig({
    defaultServer: "rv",
    servers: [server("rv", { supports: ["ping", "traceroute"] }), server("plain", {})],
  }, "test");
}

Deno.test("ping and traceroute from a server that allows them, parsed; refusals for the rest", async () => {
  await using fake = new FakeTelnetServer(iosScript({
    answers: {
      "ping 8.8.8.8 repeat 3 timeout 2": PING,
      "traceroute 8.8.8.8 timeout 2 ttl 1 4": TRACE,
    },
  }));
  await using client = await connectInProcess(config(fake.port));
  const { tools } = await client.listTools();
  const pingTool = tools.find((t) => t.name === "ping")!;
  assert.deepEqual(
    (pingTool.inputSchema.properties as Record<string, { enum?: string[] }>).server.enum,
    ["rv"],
  );

  const ping = await callTool(client, "ping", { destination: "8.8.8.8", count: 3 });
  assert.equal(ping.isError, undefined, ping.text);
  const p = ping.structuredContent as Record<string, unknown>;
  assert.deepEqual([p.sent, p.received, p.lossPercent, p.replies], [3, 2, 33.3, "!.!"]);
  assert.deepEqual(p.rttMs, { min: 12, avg: 14, max: 16 });
  assert.match(
    ping.text,
    /rv → 8\.8\.8\.8: 2\/3 replies \(33\.3% loss\), round-trip min\/avg\/max 12\/14\/16 ms/,
  );

  const trace = await callTool(client, "traceroute", { destination: "8.8.8.8", maxHops: 4 });
  assert.equal(trace.isError, undefined, trace.text);
  const t = trace.structuredContent as {
    reached: boolean;
    hops: { hop: number; asn?: number; probes: { address?: string; timeout: boolean }[] }[];
  };
  assert.equal(t.reached, true);
  assert.deepEqual(t.hops.map((h) => [h.hop, h.asn ?? null, h.probes[0].address ?? null]), [
    [1, null, "128.223.51.1"],
    [2, 3701, "198.51.100.9"],
    [3, null, null],
    [4, 15169, "8.8.8.8"],
  ]);
  assert.match(trace.text, /reached in 4 hops/);

  const prefix = await callTool(client, "ping", { destination: "8.8.8.0/24" });
  assert.equal(prefix.isError, true);
  assert.match(prefix.text, /one address, not a prefix/);
  const privateSpace = await callTool(client, "traceroute", { destination: "10.1.1.1" });
  assert.match(privateSpace.text, /10\.0\.0\.0\/8, private-use space/);
  const notAllowed = await callTool(client, "ping", { destination: "8.8.8.8", server: "plain" });
  assert.equal(notAllowed.isError, true); // "plain" is not in the tool's server list
  assert.deepEqual(fake.lines.filter((l) => l.startsWith("ping") || l.startsWith("traceroute")), [
    "ping 8.8.8.8 repeat 3 timeout 2",
    "traceroute 8.8.8.8 timeout 2 ttl 1 4",
  ]);
});

Deno.test("traceroute falls back to the plain command when IOS refuses the options", async () => {
  await using fake = new FakeTelnetServer(iosScript({ answers: { "traceroute 8.8.8.8": TRACE } }));
  await using client = await connectInProcess(config(fake.port));
  const trace = await callTool(client, "traceroute", { destination: "8.8.8.8" });
  assert.equal(trace.isError, undefined, trace.text);
  assert.equal((trace.structuredContent as { command: string }).command, "traceroute 8.8.8.8");
});

Deno.test("resources: servers://list and one server, never a password", async () => {
  const cfg = parseConfig({
    defaultServer: "a",
    servers: [
      {
        name: "a",
        host: "192.0.2.1",
        port: 23,
        dialect: "frr",
        login: "none",
        location: "A",
        addressFamilies: ["ipv4"],
        enabled: true,
      },
      {
        name: "j",
        host: "192.0.2.2",
        port: 23,
        dialect: "junos",
        login: { username: "rviews", password: "hunter2" },
        location: "J",
        addressFamilies: ["ipv4", "ipv6"],
        enabled: true,
      },
    ],
  }, "test");
  await using client = await connectInProcess(cfg);
  const { resources } = await client.listResources();
  assert.deepEqual(resources.map((r) => r.uri).sort(), [
    "servers://a",
    "servers://j",
    "servers://list",
  ]);
  const list = await client.readResource({ uri: "servers://list" });
  const body = JSON.parse((list.contents[0] as { text: string }).text);
  assert.equal(body.defaultServer, "a");
  assert.deepEqual(
    body.servers.map((s: { name: string; dialect: string }) => [s.name, s.dialect]),
    [["a", "frr"], ["j", "junos"]],
  );
  assert.equal(body.servers[0].budget.remaining.connections, 100);
  const one = await client.readResource({ uri: "servers://j" });
  const text = (one.contents[0] as { text: string }).text;
  assert.equal(text.includes("hunter2"), false);
  assert.deepEqual(JSON.parse(text).login, { username: "rviews", password: "(set)" });
  assert.deepEqual(JSON.parse(text).sessions, { open: 0, busy: 0, queued: 0, opened: 0 });
});

Deno.test("prompts: diagnose_prefix and explain_as_path, arguments validated", async () => {
  const cfg = parseConfig({
    defaultServer: "a",
    servers: [{
      name: "a",
      host: "192.0.2.1",
      port: 23,
      dialect: "frr",
      login: "none",
      location: "A",
      addressFamilies: ["ipv4"],
      enabled: true,
    }],
  }, "test");
  await using client = await connectInProcess(cfg);
  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts.map((p) => p.name).sort(), ["diagnose_prefix", "explain_as_path"]);
  const diagnose = await client.getPrompt({
    name: "diagnose_prefix",
    arguments: { prefix: "8.8.8.8/24" },
  });
  const text = (diagnose.messages[0].content as { text: string }).text;
  assert.match(text, /Diagnose how the internet sees 8\.8\.8\.0\/24/);
  assert.match(text, /route_compare with destination "8\.8\.8\.0\/24"/);
  const explain = await client.getPrompt({
    name: "explain_as_path",
    arguments: { destination: "1.1.1.1", server: "a" },
  });
  assert.match(
    (explain.messages[0].content as { text: string }).text,
    /route_lookup for "1\.1\.1\.1" with server "a"/,
  );
  await assert.rejects(
    client.getPrompt({ name: "diagnose_prefix", arguments: { prefix: "10.0.0.0/8" } }),
    /private-use/,
  );
});

Deno.test("communities: well-known names, large and extended parts, and a user dictionary", async () => {
  await using fake = new FakeTelnetServer(iosScript({ answers: { "show ip bgp 8.8.8.8": ROUTE } }));
  const dictionary = CommunityDictionary.parse({
    "3356": { "3": "Lumen: learned in North America", "8x": "Lumen: region 8x" },
  }, "dict.json");
  await using client = await connectInProcess(config(fake.port), {
    ledgerPath: null,
    communityDictionary: dictionary,
  });
  const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  const [path] =
    (result.structuredContent as { paths: { communityDetails: Record<string, unknown>[] }[] })
      .paths;
  assert.deepEqual(path.communityDetails, [
    {
      community: "3356:3",
      kind: "standard",
      asn: 3356,
      value: 3,
      name: "Lumen: learned in North America",
    },
    { community: "3356:86", kind: "standard", asn: 3356, value: 86, name: "Lumen: region 8x" },
    { community: "65535:666", kind: "standard", asn: 65535, value: 666, name: "BLACKHOLE" },
    { community: "3356:1:2", kind: "large", global: 3356, local1: 1, local2: 2 },
    {
      community: "RT:3356:100",
      kind: "extended",
      type: "route-target",
      administrator: "3356",
      assigned: "100",
    },
  ]);
  assert.match(
    result.text,
    /3356:3 \(Lumen: learned in North America\) 3356:86 \(Lumen: region 8x\) 65535:666 \(BLACKHOLE\)/,
  );
});
