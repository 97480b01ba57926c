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
 */

import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import type { VantageOutcome } from "../../src/bgp/consensus.ts";
import { LookingGlass } from "../../src/service/looking_glass.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import { computeFindings, type Finding } from "../../src/findings/mod.ts";
import { buildAsGraph, renderPicture, suspiciousAsns } from "../../src/picture/mod.ts";
import { type RigSpec, rigTest, startRig } from "../harness/frr_rig.ts";
import { testSpecialAsn } from "./_findings_fixtures.ts";

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

    /** What route_compare gathers: each server's parsed answer, or null when it failed. */
    const gather = async (destination: string): Promise<VantageOutcome[]> => {
      const outcomes: VantageOutcome[] = [];
      for (const server of ["rs1", "rs2", "down"]) {
        try {
          const r = await lookupRoute(lg, { destination, server });
          outcomes.push({
            server,
            route: { found: r.found, prefix: r.prefix, paths: r.paths, totalPaths: r.totalPaths },
          });
        } catch {
          outcomes.push({ server, route: null });
        }
      }
      return outcomes;
    };
    const findings = async (destination: string) =>
      computeFindings({
        destination,
        outcomes: await gather(destination),
        specialAsn: testSpecialAsn,
      });
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
      // The picture draws AS666 in the warning colour.
      const graph = buildAsGraph({
        destination: "8.8.8.8",
        outcomes: await gather("8.8.8.8"),
        suspicious: suspiciousAsns(list),
      });
      assert.deepEqual(graph.ases.filter((a) => a.suspicious).map((a) => a.asn), [666]);
      const picture = await renderPicture(graph);
      assert.ok(picture.png && picture.png.png.length > 1000, picture.warnings.join("; "));
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
      assert.match(prepend.summary, /^The origin AS13335 prepends itself 3 times/);
    });

    await t.step(
      "control: an ordinary prefix seen everywhere gives only what FRR cannot say",
      async () => {
        const list = await findings("1.0.0.0/24");
        // FRR without RPKI prints no state: not validated, and never read as valid.
        assert.deepEqual(kinds(list), ["rpki-not-validated"]);
        assert.deepEqual(list[0].evidence.servers, ["rs1", "rs2"]);
      },
    );
  } finally {
    await rig.stop();
  }
});
