/**
 * Findings over real FRR route servers fed by GoBGP over real BGP: the
 * situations are injected as BGP announcements, the answers are what the real
 * parsers make of FRR's output, and each finding appears — or, for the
 * control prefix, does not.
 *
 * - feeder AS3356 announces 8.8.8.0/24 from AS15169, 9.9.9.0/24 through the
 *   private AS64512, 1.1.1.0/24 with AS13335 prepended three extra times and
 *   the control 1.0.0.0/24 from AS13335;
 * - feeder AS174 announces the more-specific 8.8.8.0/25 from AS666 and the
 *   control 1.0.0.0/24 from AS13335;
 * - rs1 hears both feeders, rs2 only AS3356; `down` is configured but closed.
 *
 * The findings and the graph are the service's (`compareRoute`, `lookupRoute`),
 * with the IANA special-purpose ASNs of `bgp/special_asns.ts`.
 */

import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { LookingGlass } from "../../src/service/looking_glass.ts";
import { compareRoute } from "../../src/service/route_compare.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import type { Finding } from "../../src/findings/mod.ts";
import { renderPicture } from "../../src/picture/mod.ts";
import { type RigSpec, rigTest, startRig } from "../harness/frr_rig.ts";

const SPEC: RigSpec = {
  feeders: [
    {
      id: 2,
      as: 3356,
      routes: [
        "add 8.8.8.0/24 aspath 15169 origin igp",
        "add 9.9.9.0/24 aspath 64512,19281 origin igp",
        "add 1.1.1.0/24 aspath 13335,13335,13335,13335 origin igp",
        "add 1.0.0.0/24 aspath 13335 origin igp",
      ],
    },
    {
      id: 3,
      as: 174,
      routes: ["add 8.8.8.0/25 aspath 666 origin igp", "add 1.0.0.0/24 aspath 13335 origin igp"],
    },
  ],
  routeServers: [
    { name: "rs1", address: "127.0.0.11", feeders: [2, 3], expect: { ipv4: 6, ipv6: 0 } },
    { name: "rs2", address: "127.0.0.12", feeders: [2], expect: { ipv4: 4, ipv6: 0 } },
  ],
};

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

await rigTest("findings over real FRR route servers fed by GoBGP", async (t) => {
  const rig = await startRig(SPEC);
  try {
    const down = {
      name: "down",
      host: "127.0.0.1",
      port: closedPort(),
      dialect: "frr",
      login: "none",
      location: "loopback down",
      addressFamilies: ["ipv4", "ipv6"],
      enabled: true,
    };
    const config = await loadConfig(await rig.writeConfig([down]));
    await using lg = await LookingGlass.open(config, { ledgerPath: null });

    const compare = (destination: string) =>
      compareRoute(lg, { destination, servers: ["rs1", "rs2", "down"] });
    const findings = async (destination: string) => (await compare(destination)).findings;
    const kinds = (list: Finding[]) => list.map((f) => f.kind);

    await t.step("a more-specific from another origin: rs1 has AS666's /25", async () => {
      const list = await findings("8.8.8.8");
      const hijack = list.find((f) => f.kind === "more-specific-other-origin");
      assert.ok(hijack, kinds(list).join(", "));
      assert.equal(hijack.severity, "warning");
      assert.deepEqual(hijack.evidence.asns, [666]);
      assert.deepEqual(hijack.evidence.prefixes, ["8.8.8.0/24", "8.8.8.0/25"]);
      assert.deepEqual(hijack.evidence.paths.map((p) => [p.server, p.prefix, p.asPath]), [
        ["rs1", "8.8.8.0/25", [174, 666]],
        ["rs2", "8.8.8.0/24", [3356, 15169]],
      ]);
      const visibility = list.filter((f) => f.kind === "visibility");
      assert.deepEqual(visibility.map((f) => [f.severity, f.evidence.servers]), [["info", [
        "rs2",
      ]]]);
      assert.match(visibility[0].summary, /rs2 has only the covering 8\.8\.8\.0\/24/);
      // The picture draws AS666 in the warning colour, and the PNG is drawn from it.
      const { graph } = await compare("8.8.8.8");
      assert.deepEqual(graph.ases.filter((a) => a.suspicious).map((a) => a.asn), [666]);
      assert.match(graph.mermaid, /^flowchart LR/);
      assert.match(graph.mermaid, /a666\(\["AS666/);
      const picture = await renderPicture({ ...graph, warnings: [] });
      assert.ok(picture.png && picture.png.png.length > 1000, picture.warnings.join("; "));
    });

    await t.step("route_lookup: one server's paths, each from its peer", async () => {
      const result = await lookupRoute(lg, { destination: "8.8.8.0/24", server: "rs1" });
      assert.equal(result.paths.length, 1);
      // One path: findings, no picture.
      assert.deepEqual(result.findings?.map((f) => f.kind), ["rpki-not-validated"]);
      assert.equal(result.graph, undefined);
      const both = await lookupRoute(lg, {
        destination: "8.8.8.0/24",
        server: "rs1",
        match: "orlonger",
      });
      assert.equal(both.paths.length, 2);
      const hijack = both.findings?.find((f) => f.kind === "more-specific-other-origin");
      assert.ok(hijack, both.findings?.map((f) => f.kind).join(", "));
      assert.deepEqual(hijack.evidence.asns, [666]);
      assert.ok(both.graph);
      assert.deepEqual(both.graph.vantagePoints.map((v) => v.prefix), ["8.8.8.0/24", "8.8.8.0/25"]);
      assert.deepEqual(both.graph.ases.filter((a) => a.suspicious).map((a) => a.asn), [666]);
    });

    await t.step("a private ASN in the path", async () => {
      const list = await findings("9.9.9.0/24");
      const bogon = list.find((f) => f.kind === "bogon-asn-in-path");
      assert.ok(bogon, kinds(list).join(", "));
      assert.deepEqual(bogon.evidence.asns, [64512]);
      assert.deepEqual(bogon.evidence.servers, ["rs1", "rs2"]);
      assert.deepEqual(bogon.evidence.paths.map((p) => p.asPath), [
        [3356, 64512, 19281],
        [3356, 64512, 19281],
      ]);
      assert.match(bogon.summary, /AS64512 \(private-use, RFC 6996\)/);
      // The route_lookup of one server finds it too.
      const one = await lookupRoute(lg, { destination: "9.9.9.0/24", server: "rs2" });
      assert.deepEqual(
        one.findings?.filter((f) => f.kind === "bogon-asn-in-path").map((f) => f.evidence.asns),
        [[64512]],
      );
    });

    await t.step("a heavily prepended best path", async () => {
      const list = await findings("1.1.1.0/24");
      const prepend = list.find((f) => f.kind === "prepending");
      assert.ok(prepend, kinds(list).join(", "));
      assert.deepEqual(prepend.evidence.asns, [13335]);
      assert.deepEqual(prepend.evidence.paths.map((p) => p.asPath), [
        [3356, 13335, 13335, 13335, 13335],
        [3356, 13335, 13335, 13335, 13335],
      ]);
      assert.match(
        prepend.summary,
        /^The origin AS13335 \(Cloudflare, Inc\.\) prepends itself 3 times/,
      );
    });

    await t.step(
      "control: an ordinary prefix seen everywhere gives only what FRR cannot say",
      async () => {
        const list = await findings("1.0.0.0/24");
        // FRR without RPKI prints no state: not validated, and never read as valid.
        assert.deepEqual(kinds(list), ["rpki-not-validated"]);
        assert.deepEqual(list[0].evidence.servers, ["rs1", "rs2"]);
        const { graph } = await compare("1.0.0.0/24");
        assert.deepEqual(graph.ases.filter((a) => a.suspicious), []);
      },
    );
  } finally {
    await rig.stop();
  }
});
