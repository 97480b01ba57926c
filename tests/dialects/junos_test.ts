import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { parseJunosRoute, parseJunosRoutes, parseJunosSummary } from "../../src/dialects/junos.ts";
import { commandRefusal } from "../../src/dialects/mod.ts";
import type { BgpPath } from "../../src/bgp/types.ts";
import { callTool, connectInProcess, FakeTelnetServer, fixture } from "../harness/mod.ts";

Deno.test("junos detail: active route, protocol next hop, communities of every kind, RPKI", () => {
  const route = parseJunosRoute(
    fixture("junos-composed/show_route_detail_two_paths.txt"),
    "inet.0",
  );
  assert.equal(route.prefix, "192.0.2.0/24");
  assert.equal(route.totalPaths, 2);
  const [active, other] = route.paths;
  assert.equal(active.best, true);
  assert.deepEqual(active.asPath, [64500, 64511, 64511]);
  assert.equal(active.originAs, 64511);
  assert.equal(active.origin, "IGP");
  assert.equal(active.nextHop, "198.51.100.10"); // the BGP (protocol) next hop, not the forwarding one
  assert.deepEqual(active.peer, { address: "198.51.100.10", routerId: "198.51.100.10" });
  assert.equal(active.med, 0);
  assert.equal(active.localPref, 120);
  assert.equal(active.rpki, "valid");
  assert.deepEqual(active.communities, ["64496:1000", "64496:3000", "65535:65281"]);
  assert.deepEqual(active.largeCommunities, ["64500:1:2"]);
  assert.deepEqual(active.extendedCommunities, ["target:64500:100"]);
  assert.equal(other.best, false);
  assert.deepEqual(other.asPath, [64501]);
  assert.equal(other.asPathText, "64501 {64510 64511}");
  assert.equal(other.originAs, null);
  assert.equal(other.origin, "EGP");
  assert.equal(other.med, 50);
  assert.equal(other.rpki, "not-found"); // Junos "unknown": no covering ROA
});

Deno.test("junos detail: several prefixes (orlonger), IPv6, incomplete origin, invalid RPKI", () => {
  const entries = parseJunosRoutes(
    fixture("junos-composed/show_route_detail_ipv6_orlonger.txt"),
    "inet6.0",
  );
  assert.deepEqual(entries.map((e) => e.prefix), ["2001:db8:100::/40", "2001:db8:100:8000::/49"]);
  const [first, second] = entries.map((e) => e.paths[0]);
  assert.equal(first.med, undefined); // only Metric2 (the IGP cost) is shown
  assert.equal(first.rpki, undefined); // unverified
  assert.deepEqual([second.asPath, second.origin, second.med, second.rpki], [
    [64503, 64502],
    "incomplete",
    5,
    "invalid",
  ]);
  assert.deepEqual(second.communities, ["64496:666", "65535:666"]);
  assert.deepEqual(
    parseJunosRoutes(fixture("junos-composed/show_route_detail_ipv6_orlonger.txt"), "inet.0"),
    [],
  );
});

Deno.test("junos brief (real sample): BGP routes across tables, confederation path, MED and localpref", () => {
  const text = fixture("junos/show_route_prefix_bgp_multi_table.txt");
  const [inet0] = parseJunosRoutes(text, "inet.0");
  assert.equal(inet0.prefix, "10.36.255.252/32");
  const [path] = inet0.paths; // the OSPF route before it is not BGP
  assert.deepEqual(
    [
      path.best,
      path.med,
      path.localPref,
      path.peer.address,
      path.nextHop,
      path.asPathText,
      path.origin,
    ],
    [false, 16011, 4294967285, "10.34.2.250", "10.169.14.158", "(65161)", "IGP"],
  );
  const [inet3] = parseJunosRoutes(text, "inet.3");
  assert.equal(inet3.paths[0].best, true);
  assert.equal(inet3.paths[0].localPref, 100);
  assert.deepEqual(parseJunosRoutes(text, "inet6.0"), []);
});

Deno.test("junos: not found and refusals", () => {
  assert.deepEqual(parseJunosRoute("\n"), { found: false, prefix: null, paths: [], totalPaths: 0 });
  assert.equal(parseJunosRoute("error: Pattern not found").found, false);
  assert.equal(commandRefusal("error: Pattern not found"), null);
  assert.equal(
    commandRefusal("                  ^\nsyntax error, expecting <command>."),
    "syntax error, expecting <command>.",
  );
  assert.equal(
    commandRefusal("error: command is not valid on the mx480"),
    "error: command is not valid on the mx480",
  );
});

Deno.test("junos summary (real sample): peers, uptimes with spaces, received counts per family", () => {
  const summary = parseJunosSummary(fixture("junos/show_bgp_summary.txt"), "ipv4");
  assert.equal(summary.routerId, null);
  assert.equal(summary.localAs, null);
  assert.equal(summary.neighbors.length, 6);
  assert.deepEqual(summary.neighbors[0], {
    address: "192.0.2.254",
    asn: 64496,
    state: "Established",
    established: true,
    uptime: "9w2d 5:23:37",
    prefixesReceived: 224,
  });
  assert.deepEqual(summary.neighbors.map((n) => n.prefixesReceived), [224, 224, 226, 70, 74, 72]);
  const mixed = parseJunosSummary(
    [
      "Groups: 1 Peers: 3 Down peers: 1",
      "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...",
      "192.0.2.1             64500      10000      10000       0       0     1d 2:00:00 5/900/900/0          0/0/0/0",
      "2001:db8::1           64501       5000       5000       0       1     3d 1:00:00 Establ",
      "  inet6.0: 40/80/80/0",
      "192.0.2.9             64509          0          0       0       0        1:02:03 Active",
    ].join("\n"),
    "ipv4",
  );
  assert.deepEqual(mixed.neighbors.map((n) => [n.address, n.state, n.prefixesReceived]), [
    ["192.0.2.1", "Established", 900],
    ["192.0.2.9", "Active", null],
  ]);
  const v6 = parseJunosSummary(
    mixed.neighbors.length
      ? [
        "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...",
        "2001:db8::1           64501       5000       5000       0       1     3d 1:00:00 Establ",
        "  inet6.0: 40/80/80/0",
      ].join("\n")
      : "",
    "ipv6",
  );
  assert.deepEqual(v6.neighbors.map((n) => [n.address, n.prefixesReceived]), [["2001:db8::1", 80]]);
});

/** A Junos route server like AT&T's: login + password, `rviews@…> ` prompt, `---(more)---` pager. */
function junosScript(
  answers: Record<string, string>,
  options: { ignoreScreenLength?: boolean; keysAtPauses?: number[] } = {},
) {
  return async (c: Parameters<ConstructorParameters<typeof FakeTelnetServer>[0]>[0]) => {
    await c.send(new Uint8Array([255, 253, 24, 255, 253, 32, 255, 251, 1, 255, 251, 3]));
    await c.send("\r\nroute-server.ip.att.net (ttyp0)\r\n\r\nlogin: ");
    if ((await c.line()) !== "rviews") return;
    await c.send("Password:");
    if ((await c.line()) !== "rviews") {
      await c.send("\r\nLogin incorrect\r\nlogin: ");
      return;
    }
    await c.send("\r\n--- JUNOS 23.2R1.13 Kernel 64-bit\r\nrviews@route-server.ip.att.net> ");
    // Like the Junos CLI: an empty line reprints the prompt.
    c.prompt = "rviews@route-server.ip.att.net> ";
    let paging = true;
    while (true) {
      const line = await c.command();
      if (line === null || line === "exit") return;
      await c.send(`${line}\r\n`);
      if (line === "set cli screen-length 0") {
        paging = options.ignoreScreenLength === true;
        await c.send("Screen length set to 0\r\n");
      } else if (line in answers) {
        const lines = answers[line].split("\n");
        // Space shows the next page, Return (CR LF) one more line, anything else ends the output.
        let pauseAt = 10;
        for (let i = 0; i < lines.length; i++) {
          if (paging && i > 0 && i === pauseAt) {
            await c.send("---(more 40%)---");
            let key = await c.key();
            options.keysAtPauses?.push(key ?? -1);
            if (key === 13) key = (await c.key()) === null ? null : 10;
            if (key === 0x20) pauseAt = i + 10;
            else if (key === 10) pauseAt = i + 1;
            else break;
            await c.send("\r                \r");
          }
          await c.send(`${lines[i]}\r\n`);
        }
      } else {
        await c.send("                  ^\r\nsyntax error, expecting <command>.\r\n");
      }
      await c.send("\r\nrviews@route-server.ip.att.net> ");
    }
  };
}

function junosConfig(port: number) {
  return parseConfig({
    defaultServer: "att",
    servers: [{
      name: "att",
      host: "127.0.0.1",
      port,
      dialect: "junos",
      login: { username: "rviews", password: "rviews" },
      location: "loopback Junos fake",
      addressFamilies: ["ipv4", "ipv6"],
      enabled: true,
    }],
  }, "test");
}

Deno.test("junos end to end: login and password, screen-length, route_lookup and bgp_summary", async () => {
  const detail = fixture("junos-composed/show_route_detail_two_paths.txt").replaceAll(
    "192.0.2.0/24",
    "8.8.8.0/24",
  );
  await using server = new FakeTelnetServer(junosScript({
    "show route 8.8.8.8 protocol bgp table inet.0 detail": detail,
    "show route 8.8.8.0/24 exact protocol bgp table inet.0 detail": detail,
    "show route 9.9.9.9 protocol bgp table inet.0 detail":
      "\ninet.0: 929432 destinations, 1837610 routes (929409 active, 0 holddown, 0 hidden)\n",
    "show bgp summary": fixture("junos/show_bgp_summary.txt"),
  }));
  await using client = await connectInProcess(junosConfig(server.port));
  const longest = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(longest.isError, undefined, longest.text);
  const data = longest.structuredContent as { command: string; prefix: string; paths: BgpPath[] };
  assert.equal(data.command, "show route 8.8.8.8 protocol bgp table inet.0 detail");
  assert.equal(data.prefix, "8.8.8.0/24");
  assert.deepEqual(data.paths.map((p) => [p.best, p.asPath, p.nextHop]), [
    [true, [64500, 64511, 64511], "198.51.100.10"],
    [false, [64501], "198.51.100.20"],
  ]);
  assert.match(
    longest.text,
    /64496:1000 64496:3000 65535:65281 \(NO_EXPORT\) 64500:1:2 target:64500:100/,
  );

  const exact = (await callTool(client, "route_lookup", { destination: "8.8.8.0/24" }))
    .structuredContent as {
      command: string;
    };
  assert.equal(exact.command, "show route 8.8.8.0/24 exact protocol bgp table inet.0 detail");
  const missing = (await callTool(client, "route_lookup", { destination: "9.9.9.9" }))
    .structuredContent as {
      found: boolean;
    };
  assert.equal(missing.found, false);

  const summary = await callTool(client, "bgp_summary", {});
  const totals = (summary.structuredContent as { totals: Record<string, number> }).totals;
  assert.deepEqual(totals, {
    neighbors: 6,
    established: 6,
    prefixes: 224 + 224 + 226 + 70 + 74 + 72,
  });
  assert.match(summary.text, /^att, IPv4 unicast: 6 of 6 neighbours established/);
  assert.deepEqual(server.lines.slice(0, 3), ["rviews", "rviews", "set cli screen-length 0"]);
});

Deno.test("junos: the pager is continued with a space when screen-length is not taken", async () => {
  const detail = fixture("junos-composed/show_route_detail_two_paths.txt").replaceAll(
    "192.0.2.0/24",
    "8.8.8.0/24",
  );
  const keysAtPauses: number[] = [];
  await using server = new FakeTelnetServer(junosScript({
    "show route 8.8.8.0/24 orlonger protocol bgp table inet.0 detail": detail,
  }, { ignoreScreenLength: true, keysAtPauses }));
  const cfg = junosConfig(server.port);
  await using client = await connectInProcess(cfg);
  const result = await callTool(client, "route_lookup", {
    destination: "8.8.8.0/24",
    match: "orlonger",
  });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { prefixes: { prefix: string }[]; paths: BgpPath[] };
  assert.deepEqual(data.prefixes.map((p) => p.prefix), ["8.8.8.0/24"]);
  assert.equal(data.paths.length, 2);
  assert.deepEqual(data.paths.map((p) => p.localPref), [120, 100]); // lines after every pause were read
  // The first pause took the empty line typed after the command (Return: one more line); every
  // other pause got exactly one space: never `q`, never a second key.
  assert.ok(keysAtPauses.length >= 4);
  assert.deepEqual(keysAtPauses, [13, ...Array(keysAtPauses.length - 1).fill(0x20)]);
});

Deno.test("junos end to end: `AS path: Recorded` lines cost nothing; an unknown one is a warning", async () => {
  const detail = fixture("junos-composed/show_route_detail_as_path_recorded.txt")
    .replaceAll("192.0.2.0/24", "8.8.8.0/24")
    .replace("AS path: Recorded", "AS path: Recorded again");
  await using server = new FakeTelnetServer(junosScript({
    "show route 8.8.8.8 protocol bgp table inet.0 detail": detail,
  }));
  await using client = await connectInProcess(junosConfig(server.port));
  const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(result.isError, undefined, result.text);
  const data = result.structuredContent as { paths: BgpPath[]; warnings: string[] };
  assert.deepEqual(data.paths.map((p) => [p.best, p.asPath, p.nextHop]), [
    [true, [64500, 64511], "198.51.100.10"],
    [false, [64501, 64502, 64511], "198.51.100.20"],
    [false, [64503, 64504], "198.51.100.30"],
  ]);
  assert.deepEqual(data.warnings, [
    'Left out line 21 "AS path: Recorded again" of the route from 198.51.100.10: a second AS ' +
    "path line",
  ]);
  assert.match(result.text, /Left out line 21/);
});
