import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { compareRoute } from "../../src/service/route_compare.ts";
import type { RouteLookupResult } from "../../src/bgp/results.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import { renderRoute } from "../../src/render.ts";
import {
  callTool,
  connectInProcess,
  type FakeConnection,
  FakeTelnetServer,
  iosScript,
  loopbackEntry,
} from "../harness/mod.ts";

/** Two servers: an IOS fake and an FRR name pointing at a closed port. */
function config(iosPort: number, deadPort: number) {
  return parseConfig({
    defaultServer: "ios",
    limits: { connectTimeoutMs: 2000, loginTimeoutMs: 3000, commandTimeoutMs: 3000 },
    servers: [
      {
        name: "ios",
        host: "127.0.0.1",
        port: iosPort,
        dialect: "cisco-ios",
        login: { username: "rviews" },
        location: "loopback IOS fake",
        addressFamilies: ["ipv4"],
        enabled: true,
      },
      {
        name: "gone",
        host: "127.0.0.1",
        port: deadPort,
        dialect: "frr",
        login: "none",
        location: "nothing listens here",
        addressFamilies: ["ipv4", "ipv6"],
        enabled: true,
      },
      {
        name: "off",
        host: "127.0.0.1",
        port: deadPort,
        dialect: "frr",
        login: "none",
        location: "disabled",
        addressFamilies: ["ipv4"],
        enabled: false,
      },
    ],
  }, "test");
}

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

const ANSWER = [
  "BGP routing table entry for 8.8.8.0/24, version 7",
  "Paths: (1 available, best #1, table default)",
  "  Refresh Epoch 1",
  "  3356 15169",
  "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
  "      Origin IGP, metric 0, localpref 100, valid, external, best",
  "      Community: 3356:3 3356:86 no-export",
  "      rx pathid: 0, tx pathid: 0x0",
].join("\n");

Deno.test("tools are listed with schemas and read-only, open-world annotations", async () => {
  await using client = await connectInProcess(config(1, 2));
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [
    "as_info",
    "bgp_summary",
    "ip_origin",
    "list_servers",
    "route_compare",
    "route_lookup",
  ]);
  // The offline lookups touch no outside server (host names are off here: no DNS either).
  const offline = ["as_info", "ip_origin"];
  for (const tool of tools) {
    assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
    assert.equal(tool.annotations?.openWorldHint, !offline.includes(tool.name), tool.name);
    assert.ok(tool.outputSchema, `${tool.name} has an outputSchema`);
  }
  const lookup = tools.find((t) => t.name === "route_lookup")!;
  const serverEnum =
    (lookup.inputSchema.properties as Record<string, { enum?: string[] }>).server.enum;
  assert.deepEqual(serverEnum, ["ios", "gone"]); // enabled servers only
  assert.match(
    client.getInstructions() ?? "",
    /Route Views allows each user 100 connections/,
  );
});

Deno.test("route_lookup: compact table text and structured paths", async () => {
  await using server = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": ANSWER } }),
  );
  await using client = await connectInProcess(config(server.port, closedPort()));
  const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(result.isError, undefined);
  const data = result.structuredContent as Record<string, unknown> & {
    paths: Record<string, unknown>[];
  };
  assert.equal(data.server, "ios");
  // IOS drops the Refresh Epoch and pathid lines on the server (the fake filters like IOS).
  assert.equal(data.command, "show ip bgp 8.8.8.8 | exclude pathid:|Epoch");
  assert.equal(data.prefix, "8.8.8.0/24");
  assert.equal(data.found, true);
  assert.deepEqual(data.paths[0].asPath, [3356, 15169]);
  assert.equal(data.paths[0].originAs, 15169);
  assert.equal(data.paths[0].nextHop, "4.68.1.1");
  assert.deepEqual(data.paths[0].peer, { address: "4.68.1.1", routerId: "4.69.184.193" });
  assert.deepEqual(data.paths[0].communities, ["3356:3", "3356:86", "65535:65281"]);
  // The text is a table, not the JSON again.
  assert.match(result.text, /^ios: 8\.8\.8\.0\/24 has 1 path/);
  assert.match(
    result.text,
    />\s+3356 15169\s+4\.68\.1\.1\s+4\.68\.1\.1\s+IGP\s+0\s+100\s+3356:3 3356:86 65535:65281/,
  );
  assert.equal(result.text.includes("{"), false);
});

Deno.test("invalid destinations are isError results and nothing is sent anywhere", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using client = await connectInProcess(config(server.port, closedPort()));
  for (
    const destination of [
      "10.0.0.1",
      "fe80::1%eth0",
      "2001:4860::1%\nshow version",
      "8.8.8.8; show run",
      "2001:db8::/32",
    ]
  ) {
    const result = await callTool(client, "route_lookup", { destination });
    assert.equal(result.isError, true, destination);
    assert.match(result.text, /Accepted: a global unicast IPv4 or IPv6 address/, destination);
  }
  assert.equal(server.connections, 0);
});

Deno.test("unknown, disabled or wrong-family servers are refused before connecting", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using client = await connectInProcess(config(server.port, closedPort()));
  const unknown = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    server: "nope",
  });
  assert.equal(unknown.isError, true);
  assert.match(unknown.text, /server/i);
  const disabled = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    server: "off",
  });
  assert.equal(disabled.isError, true);
  const v6 = await callTool(client, "route_lookup", {
    destination: "2001:4860::/32",
    server: "ios",
  });
  assert.equal(v6.isError, true);
  assert.match(
    v6.text,
    /ios does not carry IPv6 routes .*Servers that do: gone\. Nothing was sent/,
  );
  assert.equal(server.connections, 0);
});

Deno.test("IPv6 without a server goes to a server that carries IPv6, with a note", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using client = await connectInProcess(config(server.port, closedPort()));
  const result = await callTool(client, "route_lookup", { destination: "2001:4860::/32" });
  // "gone" carries IPv6 but is down: the error names it and says what to do.
  assert.equal(result.isError, true);
  assert.match(result.text, /Could not connect to gone \(127\.0\.0\.1:\d+\).*try another server/);
});

Deno.test("a server that is down is an isError result and the server keeps serving", async () => {
  await using server = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp 8.8.8.8": ANSWER } }),
  );
  await using client = await connectInProcess(config(server.port, closedPort()));
  const down = await callTool(client, "bgp_summary", { server: "gone" });
  assert.equal(down.isError, true);
  assert.match(down.text, /Could not connect to gone/);
  const after = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(after.isError, undefined);
});

Deno.test("bgp_summary: totals count every neighbour, limit truncates the list", async () => {
  const summary = [
    "BGP router identifier 128.223.51.103, local AS number 6447",
    "BGP table version is 512185206, main routing table version 512185206",
    "",
    "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
    "4.68.1.1        4         3356 2746767 2396274 512185206    0    0 3w0d       958720",
    "12.0.1.63       4         7018 2855873 2409742 512185206    0    0 1y10w      950001",
    "64.71.137.241   4         6939       0       0        1    0    0 never    Idle (Admin)",
  ].join("\n");
  await using server = new FakeTelnetServer(
    iosScript({ answers: { "show ip bgp summary": summary } }),
  );
  await using client = await connectInProcess(config(server.port, closedPort()));
  const result = await callTool(client, "bgp_summary", { limit: 2 });
  const data = result.structuredContent as {
    routerId: string;
    localAs: number;
    neighbors: { address: string; state: string; prefixesReceived: number | null }[];
    totals: Record<string, number>;
    truncated: boolean;
  };
  assert.equal(data.routerId, "128.223.51.103");
  assert.equal(data.localAs, 6447);
  assert.deepEqual(data.neighbors.map((n) => n.address), ["4.68.1.1", "12.0.1.63"]);
  assert.deepEqual(data.totals, { neighbors: 3, established: 2, prefixes: 958720 + 950001 });
  assert.equal(data.truncated, true);
  assert.match(result.text, /2 of 3 neighbours established/);
  assert.match(result.text, /Showing 2 of 3; raise limit to see more/);
});

Deno.test("list_servers: every configured server, and probes of the enabled ones", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.key(); // the probe connects and leaves without a word
  });
  await using client = await connectInProcess(config(server.port, closedPort()));
  const plain = await callTool(client, "list_servers", {});
  const list = (plain.structuredContent as { servers: Record<string, unknown>[] }).servers;
  assert.deepEqual(list.map((s) => [s.name, s.enabled, s.dialect]), [
    ["ios", true, "cisco-ios"],
    ["gone", true, "frr"],
    ["off", false, "frr"],
  ]);
  assert.equal(list[0].probe, undefined);
  assert.equal(server.connections, 0);

  const probed = await callTool(client, "list_servers", { probe: true });
  const servers = (probed.structuredContent as {
    servers: { probe?: { reachable: boolean; connectMs?: number; error?: string } }[];
  }).servers;
  assert.equal(servers[0].probe?.reachable, true);
  assert.equal(typeof servers[0].probe?.connectMs, "number");
  assert.equal(servers[1].probe?.reachable, false);
  assert.match(servers[1].probe?.error ?? "", /refused/i);
  assert.equal(servers[2].probe, undefined); // disabled: not probed
  await server.settled();
  assert.equal(server.connections, 1);
  assert.deepEqual(server.lines, []); // a probe sends nothing
});

Deno.test("a cancelled tool call closes its connection", async () => {
  let eof = false;
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) {
        eof = true;
        return;
      }
      await c.send(`${line}\r\n`);
      if (line === "terminal length 0") await c.send("rv> "); // then never answer the query
    }
  });
  const cfg = parseConfig({
    defaultServer: "slow",
    limits: { commandTimeoutMs: 60_000 },
    servers: [{
      name: "slow",
      host: "127.0.0.1",
      port: server.port,
      dialect: "frr",
      login: "none",
      location: "loopback",
      addressFamilies: ["ipv4"],
      enabled: true,
    }],
  }, "test");
  await using client = await connectInProcess(cfg);
  const controller = new AbortController();
  const call = client.callTool(
    { name: "route_lookup", arguments: { destination: "8.8.8.8" } },
    undefined,
    {
      signal: controller.signal,
    },
  );
  while (!server.lines.some((l) => l.startsWith("show bgp"))) {
    await new Promise((r) => setTimeout(r, 10));
  }
  controller.abort();
  await assert.rejects(call);
  await server.settled();
  assert.equal(eof, true);
});

Deno.test("an old Quagga that refuses `show bgp ipv4 unicast` and json is asked with `show ip bgp`", async () => {
  const answer = Deno.readTextFileSync(
    new URL("../fixtures/frr-rig/route_8.8.8.8.txt", import.meta.url),
  );
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(
      "\r\nHello, this is Quagga (version 0.99.24.1).\r\n\r\nroute-views.saopaulo.routeviews.org> ",
    );
    while (true) {
      const line = await c.line();
      if (line === null || line === "exit") return;
      await c.send(`${line}\r\n`);
      if (line === "show ip bgp 8.8.8.8") await c.send(answer.replaceAll("\n", "\r\n"));
      else if (line !== "terminal length 0" && line !== "") {
        await c.send("% Unknown command.\r\n");
      }
      // Quagga executes CR and LF separately: an extra empty prompt follows every command.
      await c.send(
        "route-views.saopaulo.routeviews.org> \r\nroute-views.saopaulo.routeviews.org> ",
      );
    }
  });
  const cfg = parseConfig({
    defaultServer: "quagga",
    servers: [{
      name: "quagga",
      host: "127.0.0.1",
      port: server.port,
      dialect: "frr",
      login: "none",
      location: "loopback",
      addressFamilies: ["ipv4"],
      enabled: true,
    }],
  }, "test");
  {
    await using client = await connectInProcess(cfg);
    const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
    assert.equal(result.isError, undefined, result.text);
    const data = result.structuredContent as {
      command: string;
      prefix: string;
      paths: { asPath: number[]; best: boolean }[];
      warnings: string[];
    };
    assert.equal(data.command, "show ip bgp 8.8.8.8");
    assert.equal(data.prefix, "8.8.8.0/24");
    assert.deepEqual(data.paths.find((p) => p.best)?.asPath, [15169, 15169]);
    assert.match(
      data.warnings.join(" "),
      /did not accept `show bgp ipv4 unicast 8\.8\.8\.8`; used `show ip bgp 8\.8\.8\.8`/,
    );
  } // closing the client says goodbye to the pooled session (`exit`)
  await server.settled();
  // Every command is followed by the empty line whose extra prompt marks the end of its answer.
  assert.deepEqual(server.lines, [
    "terminal length 0",
    "show bgp ipv4 unicast 8.8.8.8",
    "",
    "show bgp ipv4 unicast 8.8.8.8 json",
    "",
    "show ip bgp 8.8.8.8",
    "",
    "exit",
  ]);
});

Deno.test("a cancelled route_compare closes every connection it opened", async () => {
  const closed: string[] = [];
  const slow = (name: string) => async (c: FakeConnection) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) {
        closed.push(name);
        return;
      }
      await c.send(`${line}\r\n`);
      if (line === "terminal length 0") await c.send("rv> "); // the lookup itself is never answered
    }
  };
  await using a = new FakeTelnetServer(slow("a"));
  await using b = new FakeTelnetServer(slow("b"));
  const entry = (name: string, port: number) => loopbackEntry(name, port);
  const cfg = parseConfig({
    defaultServer: "a",
    limits: { commandTimeoutMs: 60_000 },
    servers: [entry("a", a.port), entry("b", b.port)],
  }, "test");
  await using client = await connectInProcess(cfg);
  const controller = new AbortController();
  const call = client.callTool(
    { name: "route_compare", arguments: { destination: "8.8.8.8", servers: ["a", "b"] } },
    undefined,
    { signal: controller.signal },
  );
  const sent = (s: FakeTelnetServer) => s.lines.some((l) => l.startsWith("show bgp"));
  while (!sent(a) || !sent(b)) await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await assert.rejects(call);
  await a.settled();
  await b.settled();
  assert.deepEqual(closed.sort(), ["a", "b"]);
});

Deno.test("a whole query has a deadline; one answer never downloads more than the budget left", async () => {
  await using slow = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) return;
      await c.send(`${line}\r\n`);
      if (line === "terminal length 0") await c.send("rv> ");
      else await c.send("x".repeat(4000) + "\r\n"); // then silence
    }
  });
  // Two servers: one host:port has one budget, whatever its names.
  await using tight = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) return;
      await c.send(`${line}\r\n`);
      if (line === "terminal length 0") await c.send("rv> ");
      else await c.send("x".repeat(4000) + "\r\n"); // then silence
    }
  });
  const cfg = parseConfig({
    defaultServer: "deadline",
    servers: [
      loopbackEntry("deadline", slow.port, {
        limits: { queryTimeoutMs: 400, commandTimeoutMs: 60_000 },
      }),
      loopbackEntry("budget", tight.port, { quota: { bytesDown: 2500 } }),
    ],
  }, "test");
  await using client = await connectInProcess(cfg);
  const late = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(late.isError, true);
  assert.match(
    late.text,
    /deadline did not answer within 0\.4 s \(waiting for a session, connecting/,
  );
  const capped = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    server: "budget",
  });
  assert.equal(capped.isError, true);
  assert.match(capped.text, /exceeded the (\d+ bytes )?download budget left for today/);
  // Never a byte more than the budget: reads are sized to what is left.
  assert.ok(tight.bytesSent >= 2500);
  assert.ok(client.lg.budget(cfg.servers[1]).used.bytesDown <= 2500);
});

Deno.test("the local config path never appears in tool results or servers://list", async () => {
  const secret = "/home/alice/private-configs/servers.json";
  const base = config(closedPort(), closedPort());
  const withPing = {
    ...base,
    source: secret,
    servers: base.servers.map((s) => s.name === "ios" ? { ...s, supports: ["ping" as const] } : s),
  };
  await using client = await connectInProcess(withPing);
  const texts: string[] = [];
  const v6 = await callTool(client, "route_lookup", {
    destination: "2001:4860::/32",
    server: "ios",
  });
  assert.equal(v6.isError, true);
  assert.match(v6.text, /does not carry IPv6 routes \(per the server list\)/);
  texts.push(v6.text);
  const compared = await callTool(client, "route_compare", {
    destination: "2001:4860::/32",
    servers: ["ios"],
  });
  texts.push(compared.text, JSON.stringify(compared.structuredContent ?? {}));
  assert.match(compared.text, /per the server list/);
  const ping = await callTool(client, "ping", { destination: "2001:4860::1" });
  assert.equal(ping.isError, true);
  assert.match(ping.text, /\(per the server list\)/);
  texts.push(ping.text);
  const list = await client.readResource({ uri: "servers://list" });
  texts.push(...list.contents.map((c) => ("text" in c ? c.text : "")));
  const disabled = await lookupRoute(client.lg, { destination: "8.8.8.8", server: "off" }).then(
    () => "",
    (error: Error) => error.message,
  );
  assert.match(disabled, /is disabled in the server list/);
  texts.push(disabled);
  for (const text of texts) {
    assert.equal(text.includes("private-configs"), false, text);
    assert.equal(text.includes(secret), false, text);
  }
});

Deno.test("route_lookup says how many paths match the filters only when filters were given", async () => {
  const two = [
    "BGP routing table entry for 8.8.8.0/24, version 7",
    "Paths: (2 available, best #2, table default)",
    "  Refresh Epoch 1",
    "  3356 174 15169",
    "    4.68.1.1 from 4.68.1.1 (4.69.184.193)",
    "      Origin IGP, metric 10, localpref 100, valid, external",
    "  Refresh Epoch 1",
    "  6939 15169",
    "    64.71.137.241 from 64.71.137.241 (216.218.252.164)",
    "      Origin IGP, localpref 100, valid, external, best",
  ].join("\n");
  await using server = new FakeTelnetServer(iosScript({ answers: { "show ip bgp 8.8.8.8": two } }));
  await using client = await connectInProcess(config(server.port, closedPort()));
  const all = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(all.isError, undefined, all.text);
  assert.equal((all.structuredContent as { filtered: boolean }).filtered, false);
  assert.doesNotMatch(all.text, /match the filters/);
  const some = await callTool(client, "route_lookup", {
    destination: "8.8.8.8",
    asPathContains: 6939,
  });
  assert.equal((some.structuredContent as { filtered: boolean }).filtered, true);
  assert.match(some.text, /^1 of 2 paths match the filters\.$/m);
  // Whatever the counts, no filter means no such sentence.
  const unfiltered = {
    ...(all.structuredContent as unknown as RouteLookupResult),
    matchedPaths: 1,
    paths: (all.structuredContent as unknown as RouteLookupResult).paths.slice(0, 1),
  };
  assert.doesNotMatch(renderRoute(unfiltered), /match the filters/);
});

Deno.test("6to4 for a private IPv4 address is refused by every tool and prompt; nothing is sent", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  const base = config(server.port, closedPort());
  await using client = await connectInProcess({
    ...base,
    servers: base.servers.map((s) =>
      s.name === "ios"
        ? { ...s, addressFamilies: ["ipv4", "ipv6"], supports: ["ping", "traceroute"] }
        : s
    ),
  });
  const destination = "2002:a00:1::1"; // 6to4 for 10.0.0.1
  for (
    const [tool, args] of [
      ["route_lookup", { destination }],
      ["route_lookup", { destination: "2002:a00::/24", match: "exact" }],
      ["route_compare", { destination, servers: ["ios", "gone"] }],
      ["ping", { destination }],
      ["traceroute", { destination }],
    ] as const
  ) {
    const result = await callTool(client, tool, args);
    assert.equal(result.isError, true, `${tool}: ${result.text}`);
    assert.match(result.text, /6to4 .*IPv4 .*10\.0\.0\.0\/8, private-use space/, tool);
  }
  for (
    const [name, args] of [
      ["diagnose_prefix", { prefix: destination }],
      ["explain_as_path", { destination }],
    ] as const
  ) {
    await assert.rejects(client.getPrompt({ name, arguments: args }), /6to4/);
  }
  // A 6to4 address for a global IPv4 address goes through to the server.
  const global = await callTool(client, "route_lookup", { destination: "2002:808:808::1" });
  assert.match(global.text, /show bgp ipv6 unicast 2002:808:808::1/);
  assert.equal(server.connections, 1);
  assert.equal(server.lines.some((l) => l.includes("2002:a00")), false);
});

Deno.test("refusals quote what was given with DEL, C1, U+2028 and bidi controls escaped", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using client = await connectInProcess(config(server.port, closedPort()));
  const message = (run: () => Promise<unknown>) =>
    run().then(() => "", (error: Error) => error.message);
  const cases: [() => Promise<unknown>, string][] = [
    [
      () =>
        lookupRoute(client.lg, { destination: "8.8.8.8", filters: { community: "1:1\u2028x" } }),
      "\\u2028",
    ],
    [
      () =>
        lookupRoute(client.lg, { destination: "8.8.8.8", filters: { asPathRegex: "174\u0085" } }),
      "\\u0085",
    ],
    [() => lookupRoute(client.lg, { destination: "8.8.8.8", server: "ios\u202e" }), "\\u202e"],
    [() => lookupRoute(client.lg, { destination: "8.8.8.8", server: "ios\u007f" }), "\\u007f"],
    [
      () => compareRoute(client.lg, { destination: "8.8.8.8", servers: ["ios\u009b2J"] }),
      "\\u009b",
    ],
  ];
  const raw = new RegExp("[\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e]");
  for (const [run, escaped] of cases) {
    const text = await message(run);
    assert.ok(text.includes(escaped), `${JSON.stringify(text)} lacks ${escaped}`);
    assert.doesNotMatch(text, raw);
  }
  assert.equal(server.connections, 0);
});
