/**
 * The tools and the CLI against a real FRR 8.4 route server fed by GoBGP over
 * real BGP sessions (tests/harness/frr_rig.ts).
 */

import assert from "node:assert/strict";
import { loadConfig } from "../src/config/load.ts";
import { TelnetSession } from "../src/telnet/session.ts";
import type { BgpPath } from "../src/bgp/types.ts";
import {
  callTool,
  connectInProcess,
  Relay,
  RIG_ROUTES,
  rigTest,
  startFrrRig,
} from "./harness/mod.ts";

/** The best path of an answer. */
function best(data: { paths: BgpPath[] }): BgpPath {
  return data.paths.find((p) => p.best)!;
}

type RouteData = {
  server: string;
  command: string;
  prefix: string | null;
  found: boolean;
  paths: BgpPath[];
  totalPaths: number;
  warnings: string[];
};

await rigTest(
  "FRR route server: route_lookup, bgp_summary, list_servers and the CLI",
  async (t) => {
    const rig = await startFrrRig();
    try {
      const configPath = await rig.writeConfig();
      const config = await loadConfig(configPath);
      await using client = await connectInProcess(config);

      await t.step(
        "route_lookup 8.8.8.8: both paths with the injected AS paths, MED and communities",
        async () => {
          const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
          assert.equal(result.isError, undefined, result.text);
          const data = result.structuredContent as RouteData;
          const { google } = RIG_ROUTES;
          assert.equal(data.server, "rig");
          assert.equal(data.command, "show bgp ipv4 unicast 8.8.8.8");
          assert.equal(data.prefix, google.prefix);
          assert.equal(data.totalPaths, 2);
          const best = data.paths.find((p) => p.best)!;
          const other = data.paths.find((p) => !p.best)!;
          // GoBGP prepends its own AS; FRR prefers the shorter path.
          assert.deepEqual(best.asPath, google.viaGoogle.asPath);
          assert.equal(best.originAs, 15169);
          assert.equal(best.origin, "IGP");
          assert.equal(best.nextHop, google.viaGoogle.nextHop);
          assert.deepEqual(best.peer, { address: "127.0.0.2", routerId: "127.0.0.2" });
          // FRR adds no-export to blackhole routes (RFC 7999).
          assert.deepEqual(best.communities, [...google.viaGoogle.communities, "65535:65281"]);
          assert.deepEqual(other.asPath, google.viaLevel3.asPath);
          assert.equal(other.med, google.viaLevel3.med);
          assert.equal(other.nextHop, google.viaLevel3.nextHop);
          assert.deepEqual(other.communities, []);
          assert.match(result.text, />\s+15169 15169\s+198\.51\.100\.2/);
        },
      );

      await t.step(
        "AS names on the real paths: 15169 is Google, 3356 Level 3 (Lumen), 174 Cogent",
        async () => {
          const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
          const data = result.structuredContent as RouteData & { namesAsOf?: string };
          const names = new Map(data.paths.map((p) => [p.asPath.join(" "), p.asPathNames]));
          assert.deepEqual(names.get("15169 15169"), ["Google LLC", "Google LLC"]);
          assert.deepEqual(names.get("3356 174 15169"), [
            "Level 3 Communications, Inc.",
            "Cogent Communications",
            "Google LLC",
          ]);
          assert.match(data.namesAsOf ?? "", /^\d{4}-\d{2}-\d{2}$/);
          assert.match(
            result.text,
            /\nAS names as of \d{4}-\d{2}-\d{2}: 3356 Level 3 Communications, Inc\.; 174 Cogent Communications; 15169 Google LLC\.\n/,
          );
          const cloudflare = (await callTool(client, "route_lookup", { destination: "1.1.1.1" }))
            .structuredContent as RouteData;
          assert.deepEqual(cloudflare.paths[0].asPathNames, [
            "Level 3 Communications, Inc.",
            "Cloudflare, Inc.",
          ]);
          const summary = (await callTool(client, "bgp_summary", {})).structuredContent as {
            localAsName: string;
            neighbors: { asn: number; asName: string | null }[];
          };
          assert.equal(summary.localAsName, "University of Oregon");
          assert.deepEqual(summary.neighbors.map((n) => [n.asn, n.asName]), [
            [15169, "Google LLC"],
            [3356, "Level 3 Communications, Inc."],
            [64999, "Private use"],
          ]);
          // The dataset's view of the same prefix agrees with the live origin.
          const origin = (await callTool(client, "ip_origin", { address: "8.8.8.0/24" }))
            .structuredContent as { covering: { asn: number } };
          assert.equal(origin.covering.asn, best(data).originAs);
        },
      );

      await t.step("route_lookup of the exact prefix and of a large-community route", async () => {
        const exact = (await callTool(client, "route_lookup", { destination: "8.8.8.0/24" }))
          .structuredContent as RouteData;
        assert.equal(exact.command, "show bgp ipv4 unicast 8.8.8.0/24");
        assert.equal(exact.totalPaths, 2);
        const cloudflare = (await callTool(client, "route_lookup", { destination: "1.1.1.1" }))
          .structuredContent as RouteData;
        assert.equal(cloudflare.prefix, RIG_ROUTES.cloudflare.prefix);
        assert.deepEqual(cloudflare.paths[0].asPath, RIG_ROUTES.cloudflare.asPath);
        assert.deepEqual(
          cloudflare.paths[0].largeCommunities,
          RIG_ROUTES.cloudflare.largeCommunities,
        );
      });

      await t.step(
        "route_lookup IPv6 uses show bgp ipv6 unicast and returns both paths",
        async () => {
          const result = await callTool(client, "route_lookup", {
            destination: "2001:4860:4860::8888",
          });
          const data = result.structuredContent as RouteData;
          const { googleV6 } = RIG_ROUTES;
          assert.equal(data.command, "show bgp ipv6 unicast 2001:4860:4860::8888");
          assert.equal(data.prefix, googleV6.prefix);
          const best = data.paths.find((p) => p.best)!;
          const other = data.paths.find((p) => !p.best)!;
          assert.deepEqual(best.asPath, googleV6.viaGoogle.asPath);
          assert.equal(best.nextHop, googleV6.viaGoogle.nextHop);
          assert.deepEqual(best.communities, googleV6.viaGoogle.communities);
          assert.deepEqual(other.asPath, googleV6.viaLevel3.asPath);
          assert.equal(other.nextHop, googleV6.viaLevel3.nextHop);
          assert.equal(other.med, googleV6.viaLevel3.med);
        },
      );

      await t.step("a prefix the server does not have is found: false, not an error", async () => {
        const result = await callTool(client, "route_lookup", { destination: "9.9.9.0/24" });
        assert.equal(result.isError, undefined);
        const data = result.structuredContent as RouteData;
        assert.equal(data.found, false);
        assert.equal(data.prefix, null);
        assert.deepEqual(data.paths, []);
        assert.match(result.text, /rig has no route for 9\.9\.9\.0\/24/);
      });

      await t.step(
        "bgp_summary: both feeders established with their prefix counts, the absent peer Active",
        async () => {
          const result = await callTool(client, "bgp_summary", {});
          const data = result.structuredContent as {
            routerId: string;
            localAs: number;
            neighbors: {
              address: string;
              asn: number;
              state: string;
              established: boolean;
              prefixesReceived: number | null;
            }[];
            totals: { neighbors: number; established: number; prefixes: number };
          };
          assert.equal(data.routerId, "127.0.0.1");
          assert.equal(data.localAs, 6447);
          assert.deepEqual(
            data.neighbors.map((n) => [n.address, n.asn, n.established, n.prefixesReceived]),
            [
              ["127.0.0.2", 15169, true, 2],
              ["127.0.0.3", 3356, true, 3],
              ["127.0.0.4", 64999, false, null],
            ],
          );
          assert.notEqual(data.neighbors[2].state, "Established");
          assert.deepEqual(data.totals, { neighbors: 3, established: 2, prefixes: 5 });
          const v6 = (await callTool(client, "bgp_summary", { addressFamily: "ipv6" }))
            .structuredContent as typeof data;
          assert.deepEqual(v6.neighbors.map((n) => [n.address, n.prefixesReceived]), [
            ["127.0.0.2", 2],
            ["127.0.0.3", 1],
          ]);
        },
      );

      await t.step("list_servers probe reaches the route server", async () => {
        const result = await callTool(client, "list_servers", { probe: true });
        const [rigServer] = (result.structuredContent as {
          servers: { name: string; probe: { reachable: boolean } }[];
        }).servers;
        assert.equal(rigServer.name, "rig");
        assert.equal(rigServer.probe.reachable, true);
      });

      await t.step(
        "orlonger: the prefix and its more specifics, in the table's text form",
        async () => {
          type Data = RouteData & {
            match: string;
            prefixes: { prefix: string; totalPaths: number }[];
          };
          const json = (await callTool(client, "route_lookup", {
            destination: "1.1.1.0/24",
            match: "orlonger",
          }))
            .structuredContent as Data;
          // Text first even with preferJson: a third of the bytes, and readable when cut.
          assert.equal(json.command, "show bgp ipv4 unicast 1.1.1.0/24 longer-prefixes");
          const expected = [
            { prefix: "1.1.1.0/24", asPath: RIG_ROUTES.cloudflare.asPath },
            ...RIG_ROUTES.cloudflareMoreSpecific.map(({ prefix, asPath }) => ({ prefix, asPath })),
          ];
          assert.deepEqual(json.prefixes.map((p) => p.prefix), expected.map((e) => e.prefix));
          const asPaths = (data: Data) =>
            data.paths.map((p) => ({
              prefix: (p as { prefix?: string }).prefix,
              asPath: p.asPath,
            }));
          assert.deepEqual(asPaths(json), expected);
          assert.deepEqual(
            json.paths.find((p) => (p as { prefix?: string }).prefix === "1.1.1.128/25")!
              .communities,
            [], // the table form carries no communities
          );
          // The same question on a server with preferJson: true gives the same answer (tables are
          // asked in text first whatever preferJson says).
          const textConfig = await loadConfig(
            await rig.writeConfig([], {
              servers: [{
                name: "rig-text",
                host: "127.0.0.1",
                port: rig.vtyPort,
                dialect: "frr",
                login: "none",
                location: "loopback",
                addressFamilies: ["ipv4", "ipv6"],
                enabled: true,
                preferJson: true,
              }],
            }),
          );
          await using textClient = await connectInProcess(textConfig);
          const text = (await callTool(textClient, "route_lookup", {
            destination: "1.1.1.0/24",
            match: "orlonger",
          }))
            .structuredContent as Data;
          assert.equal(text.command, "show bgp ipv4 unicast 1.1.1.0/24 longer-prefixes");
          assert.deepEqual(asPaths(text), expected);
          assert.deepEqual(text.paths.map((p) => p.best), json.paths.map((p) => p.best));

          const v6 = (await callTool(client, "route_lookup", {
            destination: "2001:4860::/32",
            match: "orlonger",
          }))
            .structuredContent as Data;
          assert.deepEqual(v6.prefixes.map((p) => p.prefix), [
            "2001:4860::/32",
            RIG_ROUTES.googleV6MoreSpecific.prefix,
          ]);

          const capped = await callTool(client, "route_lookup", {
            destination: "1.1.1.0/24",
            match: "orlonger",
            maxPrefixes: 2,
          });
          const cappedData = capped.structuredContent as Data & { truncated: boolean };
          assert.equal(cappedData.truncated, true);
          assert.equal(cappedData.prefixes.length, 2);
          assert.match(capped.text, /3 prefixes match; showing the first 2/);
          // Filters look at every prefix first; maxPrefixes then counts only prefixes that matched.
          const via6939 = (await callTool(client, "route_lookup", {
            destination: "1.1.1.0/24",
            match: "orlonger",
            asPathRegex: "_6939_",
            maxPrefixes: 1,
          }))
            .structuredContent as Data & { truncated: boolean; matchedPaths: number };
          assert.deepEqual(via6939.prefixes.map((p) => p.prefix), ["1.1.1.192/26"]);
          assert.deepEqual(asPaths(via6939), [expected[2]]);
          assert.equal(via6939.matchedPaths, 1);
          assert.equal(via6939.truncated, false);
        },
      );

      await t.step("match modes that cannot be asked are refused before sending", async () => {
        const wide = await callTool(client, "route_lookup", {
          destination: "1.0.0.0/8",
          match: "orlonger",
        });
        assert.equal(wide.isError, true);
        assert.match(wide.text, /limited to prefixes of \/16 or longer for IPv4/);
        const wide6 = await callTool(client, "route_lookup", {
          destination: "2001::/16",
          match: "orlonger",
        });
        assert.equal(wide6.isError, true); // 2001::/16 overlaps special-purpose space first
        const wider6 = await callTool(client, "route_lookup", {
          destination: "2a00::/24",
          match: "orlonger",
        });
        assert.match(wider6.text, /\/32 or longer for IPv6/);
        const longest = await callTool(client, "route_lookup", {
          destination: "8.8.8.0/24",
          match: "longest",
        });
        assert.equal(longest.isError, true);
        assert.match(longest.text, /FRR servers cannot look up the longest match for a prefix/);
        const host =
          (await callTool(client, "route_lookup", { destination: "8.8.8.8", match: "exact" }))
            .structuredContent as RouteData;
        assert.equal(host.command, "show bgp ipv4 unicast 8.8.8.8/32");
        assert.equal(host.found, false);
      });

      await t.step("filters narrow the fetched paths and say how many matched", async () => {
        const run = async (args: Record<string, unknown>) => {
          const result = await callTool(client, "route_lookup", {
            destination: "8.8.8.0/24",
            ...args,
          });
          assert.equal(result.isError, undefined, result.text);
          return result as typeof result & {
            structuredContent: RouteData & { matchedPaths: number };
          };
        };
        const origin = await run({ originAs: 15169 });
        assert.equal(origin.structuredContent.matchedPaths, 2);
        const via174 = await run({ asPathContains: 174 });
        assert.deepEqual(via174.structuredContent.paths.map((p) => p.asPath), [[3356, 174, 15169]]);
        assert.match(via174.text, /1 of 2 paths match the filters/);
        const regex = await run({ asPathRegex: "^15169_" });
        assert.deepEqual(regex.structuredContent.paths.map((p) => p.asPath), [[15169, 15169]]);
        const blackhole = await run({ community: "blackhole" });
        assert.deepEqual(blackhole.structuredContent.paths.map((p) => p.nextHop), ["198.51.100.2"]);
        const best = await run({ bestOnly: true });
        assert.deepEqual(best.structuredContent.paths.map((p) => p.best), [true]);
        const none = await run({ originAs: 64666 });
        assert.equal(none.structuredContent.matchedPaths, 0);
        assert.equal(none.structuredContent.totalPaths, 2);
        const bad = await callTool(client, "route_lookup", {
          destination: "8.8.8.0/24",
          asPathRegex: "(0*",
        });
        assert.equal(bad.isError, true);
        assert.match(bad.text, /Unclosed group/);
      });

      await t.step(
        "FRR answers the empty line typed after a command with its prompt again",
        async () => {
          // The raw bytes: the answer, the prompt, and the prompt again for the empty line.
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: rig.vtyPort });
          try {
            const raw = async (until: (text: string) => boolean) => {
              const buffer = new Uint8Array(65536);
              let text = "";
              const deadline = Date.now() + 5000;
              while (!until(text) && Date.now() < deadline) {
                const n = await conn.read(buffer);
                if (n === null) break;
                text += new TextDecoder().decode(buffer.subarray(0, n).filter((b) => b < 128));
              }
              return text;
            };
            await raw((text) => text.endsWith("route-views> "));
            await conn.write(
              new TextEncoder().encode("terminal length 0\r\nshow ip bgp 8.8.8.8\r\n\r\n"),
            );
            const answer = await raw((text) =>
              text.includes("Last update") && text.endsWith("route-views> \r\nroute-views> ")
            );
            assert.match(answer, /best \(AS Path\)[\s\S]*\r\nroute-views> \r\nroute-views> $/);
          } finally {
            conn.close();
          }
          // Through the session: every answer is exactly what vtysh prints, whole.
          using session = await TelnetSession.open(
            { name: "rig", host: "127.0.0.1", port: rig.vtyPort, login: "none" },
            { connectTimeoutMs: 20_000, loginTimeoutMs: 30_000 },
          );
          await session.typeAhead("terminal length 0");
          for (
            const command of [
              "show ip bgp 8.8.8.8",
              "show bgp ipv4 unicast 1.1.1.0/24 longer-prefixes",
              "show bgp ipv4 unicast summary",
              "show bgp ipv6 unicast 2001:4860::/32 json",
            ]
          ) {
            // Up/down times and FRR's epochs (now minus age) may tick between the two reads.
            const steady = (text: string) =>
              text.replace(/\d\d:\d\d:\d\d/g, "hh:mm:ss").replace(/"epoch":\d+/g, '"epoch":0');
            // bgpd may still be sending updates to its peers (MsgSent, PfxSnt): the answer is
            // what vtysh printed just before it or just after it.
            const before = steady((await rig.vtysh(command)).trimEnd());
            const answer = steady(
              await session.command(command, { timeoutMs: 5000, maxBytes: 1 << 20 }),
            );
            if (answer !== before) {
              assert.equal(answer, steady((await rig.vtysh(command)).trimEnd()), command);
            }
          }
          await session.quit();
        },
      );

      await t.step(
        "orlonger with a community filter: refused before sending, never a false negative",
        async () => {
          // The table form carries no communities: 1.1.1.128/25 has 13335:10, its exact lookup
          // shows it, and a filter on the table would have said "0 of 3 paths match".
          await using relay = new Relay({ target: { hostname: "127.0.0.1", port: rig.vtyPort } });
          const config = await loadConfig(
            await rig.writeConfig([], {
              servers: [{
                name: "relayed",
                host: "127.0.0.1",
                port: relay.port,
                dialect: "frr",
                login: "none",
                location: "loopback",
                addressFamilies: ["ipv4", "ipv6"],
                enabled: true,
              }],
            }),
          );
          await using relayed = await connectInProcess(config);
          const refused = await callTool(relayed, "route_lookup", {
            destination: "1.1.1.0/24",
            match: "orlonger",
            community: "13335:10",
          });
          assert.equal(refused.isError, true);
          assert.match(
            refused.text,
            /orlonger" with a community filter cannot be answered on relayed: its FRR table form .* carries no communities.*Ask each prefix with match "exact".*Nothing was sent to any server/,
          );
          assert.equal(relay.connections, 0);
          const exact = (await callTool(relayed, "route_lookup", {
            destination: "1.1.1.128/25",
            community: "13335:10",
          })).structuredContent as RouteData & { matchedPaths: number };
          assert.equal(exact.matchedPaths, 1);
          assert.deepEqual(exact.paths[0].communities, ["13335:10"]);
        },
      );

      await t.step(
        "preferJson: json first, and a json answer over the cap falls back to text",
        async () => {
          const entry = (name: string, limits: Record<string, number> = {}) => ({
            name,
            host: "127.0.0.1",
            port: rig.vtyPort,
            dialect: "frr",
            login: "none",
            location: "loopback",
            addressFamilies: ["ipv4", "ipv6"],
            enabled: true,
            preferJson: true,
            limits: { cacheTtlMs: 0, ...limits },
          });
          const config = await loadConfig(
            await rig.writeConfig([], {
              // 8.8.8.8 is about 2.6 KB in json and 800 bytes in text.
              servers: [entry("json"), entry("capped", { maxOutputBytes: 1500 })],
            }),
          );
          await using jsonClient = await connectInProcess(config);
          const json = await callTool(jsonClient, "route_lookup", {
            destination: "8.8.8.8",
            server: "json",
          });
          const jsonData = json.structuredContent as RouteData;
          assert.equal(jsonData.command, "show bgp ipv4 unicast 8.8.8.8 json");
          const capped = await callTool(jsonClient, "route_lookup", {
            destination: "8.8.8.8",
            server: "capped",
          });
          assert.equal(capped.isError, undefined, capped.text);
          const cappedData = capped.structuredContent as RouteData;
          assert.equal(cappedData.command, "show bgp ipv4 unicast 8.8.8.8");
          assert.deepEqual(
            cappedData.paths.map((p) => [p.best, p.asPath, p.nextHop, p.med]),
            jsonData.paths.map((p) => [p.best, p.asPath, p.nextHop, p.med]),
          );
          assert.ok(
            cappedData.warnings.some((w) =>
              /The answer to `show bgp ipv4 unicast 8\.8\.8\.8 json` was over this query's byte cap, which ended that session; asked `show bgp ipv4 unicast 8\.8\.8\.8` on a new one instead/
                .test(w)
            ),
            cappedData.warnings.join("; "),
          );
        },
      );

      await t.step("the CLI gives the same answers (query, compare, summary, parse)", async () => {
        const cli = async (...args: string[]) => {
          const output = await new Deno.Command(Deno.execPath(), {
            args: [
              "run",
              "--no-prompt",
              `--allow-net=127.0.0.1:${rig.vtyPort}`,
              `--allow-read=${configPath}`,
              "src/main.ts",
              ...args,
            ],
            cwd: new URL("..", import.meta.url),
            stdout: "piped",
            stderr: "piped",
          }).output();
          return {
            code: output.code,
            stdout: new TextDecoder().decode(output.stdout),
            stderr: new TextDecoder().decode(output.stderr),
          };
        };
        const query = await cli("query", "8.8.8.8", "--json", "--config", configPath);
        assert.equal(query.code, 0, query.stderr);
        const route = JSON.parse(query.stdout) as RouteData;
        assert.deepEqual(route.paths.find((p) => p.best)!.asPath, [15169, 15169]);
        const text = await cli("query", "8.8.8.8", "--config", configPath);
        assert.match(text.stdout, /rig: 8\.8\.8\.0\/24 has 2 paths/);
        // Names in the CLI's output, from the same offline table (no extra permission).
        assert.match(
          text.stdout,
          /\nAS names as of \S+: 3356 Level 3 Communications, Inc\.; 174 Cogent Communications; 15169 Google LLC\.\n/,
        );
        const bare = await cli("query", "8.8.8.8", "--no-names", "--config", configPath);
        assert.doesNotMatch(bare.stdout, /AS names/);
        assert.equal(
          JSON.parse(
            (await cli("query", "8.8.8.8", "--json", "--no-names", "--config", configPath)).stdout,
          ).namesAsOf,
          undefined,
        );
        // compare: the findings, the consensus and one legend line, as route_compare gives them.
        const compared = await cli(
          "compare",
          "8.8.8.8",
          "--servers",
          "rig",
          "--config",
          configPath,
        );
        assert.equal(compared.code, 0, compared.stderr);
        // After the findings block (issue 13).
        assert.match(
          compared.stdout,
          /^Findings [^\n]*\n(?: {2}[^\n]*\n)*8\.8\.8\.0\/24: seen by 1\/1, origin AS15169 everywhere\.\n/,
        );
        assert.match(
          compared.stdout,
          /\nLive origin AS15169 matches the dataset \(as of \S+, not a live view\)\.\n/,
        );
        assert.match(compared.stdout, /\nAS names as of \S+: 15169 Google LLC\.\n/);
        const comparedJson = JSON.parse(
          (await cli("compare", "8.8.8.8", "--json", "--config", configPath)).stdout,
        );
        assert.deepEqual(comparedJson.consensus.origins, [
          { asn: 15169, servers: ["rig"], name: "Google LLC" },
        ]);
        const badCompare = await cli("compare", "8.8.8.8", "--max-servers", "0");
        assert.equal(badCompare.code, 2);
        assert.match(badCompare.stderr, /^--max-servers is a whole number from 1 to 40/);
        const summary = await cli("summary", "--config", configPath);
        assert.match(summary.stdout, /2 of 3 neighbours established, 5 prefixes received/);
        const refused = await cli("query", "192.168.1.1", "--config", configPath);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /192\.168\.0\.0\/16, private-use space/);
        assert.equal(refused.stdout, "");
      });
    } finally {
      await rig.stop();
    }
  },
);
