/**
 * route_compare, session reuse, the cache and the quota ledger against four
 * real FRR route servers with deliberately different views:
 *
 * - rs1 sees 8.8.8.0/24 from AS15169 directly and via AS3356 (the /25 is filtered);
 * - rs2 filters 8.8.8.0/24 and the /25: the prefix is missing there;
 * - rs3 also hears 8.8.8.0/24 originated by AS64666 (MOAS);
 * - rs4 hears only AS3356, which also announces the more-specific 8.8.8.0/25;
 * - `down` is configured but nothing listens.
 */

import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import type { CompareResult } from "../../src/bgp/results.ts";
import {
  callTool,
  connectInProcess,
  Relay,
  type RigSpec,
  rigTest,
  startRig,
} from "../harness/mod.ts";

const SPEC: RigSpec = {
  feeders: [
    {
      id: 2,
      as: 15169,
      routes: [
        "add 8.8.8.0/24 aspath 15169 origin igp",
        "-a ipv6 add 2001:4860::/32 aspath 15169 origin igp",
      ],
    },
    {
      id: 3,
      as: 3356,
      routes: [
        "add 8.8.8.0/24 aspath 174,15169 origin igp med 10",
        "add 8.8.8.0/25 aspath 174,15169 origin igp",
        "add 1.1.1.0/24 aspath 13335 origin igp",
      ],
    },
    { id: 5, as: 64666, routes: ["add 8.8.8.0/24 aspath 64666,64666 origin igp"] },
  ],
  routeServers: [
    {
      name: "rs1",
      address: "127.0.0.11",
      feeders: [2, 3],
      deny: ["8.8.8.0/25"],
      expect: { ipv4: 3, ipv6: 1 },
    },
    {
      name: "rs2",
      address: "127.0.0.12",
      feeders: [2, 3],
      deny: ["8.8.8.0/24", "8.8.8.0/25"],
      expect: { ipv4: 1, ipv6: 1 },
    },
    {
      name: "rs3",
      address: "127.0.0.13",
      feeders: [2, 5],
      deny: ["8.8.8.0/25"],
      expect: { ipv4: 2, ipv6: 1 },
    },
    { name: "rs4", address: "127.0.0.14", feeders: [3], expect: { ipv4: 3, ipv6: 0 } },
  ],
};

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

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

await rigTest("four FRR route servers: compare, reuse, cache, single flight, quota", async (t) => {
  const rig = await startRig(SPEC);
  try {
    const down = entry("down", closedPort());
    const config = await loadConfig(await rig.writeConfig([down]));

    await t.step("route_compare gives the exact consensus, with progress per server", async () => {
      await using client = await connectInProcess(config);
      const progress: { progress: number; total?: number; message?: string }[] = [];
      const result = await client.callTool(
        {
          name: "route_compare",
          arguments: { destination: "8.8.8.8", servers: ["rs1", "rs2", "rs3", "rs4", "down"] },
        },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      assert.equal(result.isError, undefined, JSON.stringify(result.content));
      const data = result.structuredContent as unknown as CompareResult;
      const c = data.consensus;
      // What each server answered, should the consensus be off.
      const answers = JSON.stringify(data.results.map((r) => [r.server, r.prefix, r.error]));
      assert.deepEqual(c.seenBy, ["rs1", "rs3", "rs4"], answers);
      assert.deepEqual(c.missingFrom, ["rs2"]);
      assert.deepEqual(c.failed, ["down"]);
      // Every AS named from the offline dataset; the private 64666 by IANA.
      assert.deepEqual(c.origins, [
        { asn: 15169, servers: ["rs1", "rs3", "rs4"], name: "Google LLC" },
        { asn: 64666, servers: ["rs3"], name: "Private use" },
      ]);
      assert.equal(c.moas, true);
      // The live origins against the dataset's: rs3's AS64666 is not the dataset's origin of
      // 8.8.8.0/24; rs4's more-specific /25 lies in the dataset's /24 of AS15169.
      assert.deepEqual(c.datasetOrigins, [
        {
          prefix: "8.8.8.0/24",
          liveOrigins: [15169, 64666],
          dataset: [{ asn: 15169, name: "Google LLC", range: "8.8.8.0/24" }],
          verdict: "differs",
        },
        {
          prefix: "8.8.8.0/25",
          liveOrigins: [15169],
          dataset: [{ asn: 15169, name: "Google LLC", range: "8.8.8.0/24" }],
          verdict: "agrees",
        },
      ]);
      assert.match(data.namesAsOf ?? "", /^\d{4}-\d{2}-\d{2}$/);
      assert.deepEqual(c.prefixes, [
        { prefix: "8.8.8.0/24", servers: ["rs1", "rs3"] },
        { prefix: "8.8.8.0/25", servers: ["rs4"] },
      ]);
      // rs1 and rs3 prefer the path straight from AS15169; rs4 only has it via 3356 174.
      assert.deepEqual(c.upstreams, [
        { asn: 174, servers: ["rs4"], name: "Cogent Communications" },
      ]);
      assert.deepEqual(c.shortestPath, {
        server: "rs1",
        asPath: [15169, 15169],
        length: 2,
        asPathNames: ["Google LLC", "Google LLC"],
      });
      assert.deepEqual(c.longestPath, {
        server: "rs4",
        asPath: [3356, 174, 15169],
        length: 3,
        asPathNames: ["Level 3 Communications, Inc.", "Cogent Communications", "Google LLC"],
      });

      const byServer = Object.fromEntries(data.results.map((r) => [r.server, r]));
      assert.deepEqual(data.results.map((r) => r.server), ["rs1", "rs2", "rs3", "rs4", "down"]);
      assert.deepEqual(byServer.rs1.bestPath?.asPath, [15169, 15169]);
      assert.deepEqual(byServer.rs4.bestPath?.asPathNames, [
        "Level 3 Communications, Inc.",
        "Cogent Communications",
        "Google LLC",
      ]);
      assert.equal(byServer.rs1.pathCount, 2);
      assert.equal(byServer.rs3.pathCount, 2);
      assert.equal(byServer.rs2.found, false);
      assert.equal(byServer.rs2.error, undefined);
      assert.match(byServer.down.error ?? "", /Could not connect to down/);
      assert.equal(byServer.rs4.prefix, "8.8.8.0/25");

      assert.equal(progress.length, 5);
      assert.deepEqual(progress.map((p) => p.progress), [1, 2, 3, 4, 5]);
      assert.ok(progress.every((p) => p.total === 5));

      const text = result.content as { type: string; text: string }[];
      assert.match(text[0].text, /seen by 3\/5; missing from rs2; no answer from down\./);
      assert.match(text[0].text, /MOAS: 2 origin ASes: AS15169 \(rs1, rs3, rs4\), AS64666 \(rs3\)/);
      assert.match(
        text[0].text,
        /Different prefixes match: 8\.8\.8\.0\/24 \(rs1, rs3\), 8\.8\.8\.0\/25 \(rs4\)/,
      );
      assert.match(
        text[0].text,
        /\n8\.8\.8\.0\/24: live origin AS15169, AS64666, but the dataset \(as of \S+, not a live view\) gives AS15169 \(8\.8\.8\.0\/24\)\. A recent change, a hijack or a leak/,
      );
      // One legend line names the ASes of the answer, with the dataset's date.
      assert.match(
        text[0].text,
        /\nAS names as of \d{4}-\d{2}-\d{2}: 15169 Google LLC; 3356 Level 3 Communications, Inc\.; 174 Cogent Communications; 64666 Private use\.\n/,
      );
    });

    await t.step("IPv6 compare: rs4 carries no IPv6 route and is reported missing", async () => {
      await using client = await connectInProcess(config);
      const result = await callTool(client, "route_compare", {
        destination: "2001:4860::/32",
        servers: ["rs1", "rs4"],
      });
      const c = (result.structuredContent as unknown as CompareResult).consensus;
      assert.deepEqual([c.seenBy, c.missingFrom, c.moas], [["rs1"], ["rs4"], false]);
      assert.deepEqual(c.origins, [{ asn: 15169, servers: ["rs1"], name: "Google LLC" }]);
    });

    // A counting relay in front of rs1 shows what the server really sees.
    await using relay = new Relay({ target: { hostname: "127.0.0.1", port: rig.vtyPorts.rs1 } });
    const relayed = await loadConfig(
      await rig.writeConfig([], { servers: [entry("relayed", relay.port)] }),
    );

    await t.step("session reuse: 10 sequential lookups, one TCP connection", async () => {
      await using client = await connectInProcess(relayed);
      const destinations = [
        "8.8.8.8",
        "8.8.8.0/24",
        "1.1.1.1",
        "1.1.1.0/24",
        "2001:4860::1",
        "2001:4860::/32",
        "9.9.9.9",
        "2001:4860:4860::8888",
        "8.8.4.4",
        "1.1.1.2",
      ];
      for (const destination of destinations) {
        const result = await callTool(client, "route_lookup", { destination });
        assert.equal(result.isError, undefined, result.text);
        assert.equal((result.structuredContent as { cached: boolean }).cached, false);
      }
      assert.equal(relay.connections, 1);
      assert.equal(relay.count("terminal length 0"), 1);
    });

    await t.step("cache: 10 identical lookups, one server command, ages reported", async () => {
      const before = relay.connections;
      await using client = await connectInProcess(relayed);
      const results = [];
      for (let i = 0; i < 10; i++) {
        results.push(
          (await callTool(client, "route_lookup", { destination: "1.1.1.0/24" }))
            .structuredContent as {
              cached: boolean;
              ageSeconds: number;
              paths: { asPath: number[] }[];
            },
        );
      }
      assert.equal(relay.count("show bgp ipv4 unicast 1.1.1.0/24"), 1 + 1); // once in the reuse step
      assert.deepEqual(results.map((r) => r.cached), [false, ...Array(9).fill(true)]);
      assert.ok(results.every((r) => r.ageSeconds >= 0 && r.ageSeconds < 60));
      assert.deepEqual(results[9].paths[0].asPath, [3356, 13335]);
      assert.equal(relay.connections, before + 1);
    });

    await t.step("single flight: 20 concurrent identical calls, one server command", async () => {
      await using client = await connectInProcess(relayed);
      const calls = Array.from(
        { length: 20 },
        () => callTool(client, "route_lookup", { destination: "8.8.8.0/25" }),
      );
      const results = await Promise.all(calls);
      assert.ok(results.every((r) => r.isError === undefined));
      assert.equal(relay.count("show bgp ipv4 unicast 8.8.8.0/25"), 1);
      assert.equal(
        results.filter((r) => !(r.structuredContent as { cached: boolean }).cached).length,
        1,
      );
    });

    await t.step(
      "quota: low limits are enforced before connecting, reported, and survive a restart",
      async () => {
        const ledgerPath = `${rig.dir}/ledger.json`;
        const tight = await loadConfig(
          await rig.writeConfig([], {
            servers: [entry("relayed", relay.port, {
              limits: { idleTimeoutMs: 100, cacheTtlMs: 0 },
              quota: { connections: 2 },
            })],
          }),
        );
        const start = relay.connections;
        {
          await using client = await connectInProcess(tight, { ledgerPath });
          for (let i = 0; i < 2; i++) {
            const ok = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
            assert.equal(ok.isError, undefined, ok.text);
            await new Promise((resolve) => setTimeout(resolve, 300)); // the idle session closes
          }
          const refused = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
          assert.equal(refused.isError, true);
          assert.match(
            refused.text,
            /Refused before connecting: the connection budget for relayed is used up/,
          );
          assert.match(
            refused.text,
            /\(2 of 2 connections in the last 24 h\)\. Budget frees up at \d{4}-/,
          );
          const list = await callTool(client, "list_servers", {});
          const [server] = (list.structuredContent as {
            ledger: string;
            servers: {
              budget: {
                used: { connections: number; bytesDown: number };
                remaining: { connections: number };
              };
            }[];
          }).servers;
          assert.equal(server.budget.used.connections, 2);
          assert.equal(server.budget.remaining.connections, 0);
          assert.ok(server.budget.used.bytesDown > 0);
          assert.equal((list.structuredContent as { ledger: string }).ledger, "file");
        }
        assert.equal(relay.connections, start + 2);

        // A restart reads the ledger back: still refused, nothing sent.
        {
          await using client = await connectInProcess(tight, { ledgerPath });
          const refused = await callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
          assert.equal(refused.isError, true);
          assert.match(refused.text, /connection budget for relayed is used up/);
        }
        assert.equal(relay.connections, start + 2);

        // A corrupt ledger is not fatal, but its use is unknown: it is kept aside, and the
        // budget counts as spent (never as full) until that use leaves the window.
        await Deno.writeTextFile(ledgerPath, "\u0000garbage{");
        {
          await using client = await connectInProcess(tight, { ledgerPath });
          const refused = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
          assert.equal(refused.isError, true);
          assert.match(refused.text, /connection use for relayed is unknown since/);
        }
        assert.equal(relay.connections, start + 2);
        const aside = [...Deno.readDirSync(rig.dir)].filter((e) =>
          e.name.startsWith("ledger.json.corrupt-")
        );
        assert.equal(aside.length, 1);
        assert.equal(
          await Deno.readTextFile(`${rig.dir}/${aside[0].name}`),
          "\u0000garbage{",
        );
      },
    );

    await t.step(
      "quota: a spent download budget is never overrun, and then refuses before sending",
      async () => {
        await using client = await connectInProcess(
          await loadConfig(
            await rig.writeConfig([], {
              servers: [
                entry("relayed", relay.port, {
                  limits: { cacheTtlMs: 0 },
                  quota: { bytesDown: 6000 },
                }),
              ],
            }),
          ),
        );
        let answered = 0;
        let failure = "";
        for (let i = 0; i < 20 && !failure; i++) {
          const result = await callTool(client, "route_lookup", { destination: "1.1.1.1" });
          if (result.isError) failure = result.text;
          else answered++;
        }
        assert.ok(answered >= 2, `only ${answered} lookups fit in 6000 bytes`);
        // The last answer that did not fit was cut at the budget (or refused outright).
        assert.match(failure, /download budget (left for today|for relayed is used up)/);
        const commands = relay.lines.length;
        const refused = await callTool(client, "route_lookup", { destination: "1.1.1.1" });
        assert.equal(refused.isError, true);
        assert.match(
          refused.text,
          /Refused before connecting: the download budget for relayed is used up/,
        );
        assert.equal(relay.lines.length, commands); // nothing was sent
        const list = await callTool(client, "list_servers", {});
        const [budget] =
          (list.structuredContent as { servers: { budget: { used: { bytesDown: number } } }[] })
            .servers;
        // A cut answer stops within one read of the budget.
        assert.ok(budget.budget.used.bytesDown < 6000 + 16 * 1024);
      },
    );
  } finally {
    await rig.stop();
  }
});
