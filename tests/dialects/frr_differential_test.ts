/**
 * The FRR text parser and the FRR json parser give the same answer, on a real
 * FRR route server holding a few thousand varied routes.
 *
 * Three GoBGP speakers feed FRR over real BGP: AS15169 and AS3356 (eBGP) and an
 * iBGP speaker in AS6447. Each loads its routes from an MRT file written by
 * `harness/mrt.ts` (seeded), so that the paths carry what GoBGP's CLI cannot set:
 * AS_SET and confederation segments, prepends, 4-byte ASNs, standard
 * (well-known included), large and extended communities, MED, local
 * preference, ATOMIC_AGGREGATE and AGGREGATOR. FRR is configured for
 * multipath (`maximum-paths`, `as-path multipath-relax`) and gives a link-local
 * next hop to the IPv6 routes marked 64999:6 (`set ipv6 next-hop local`).
 *
 * Every prefix is then asked twice over telnet, `show bgp <afi> unicast
 * <prefix>` and the same with `json`; both answers are parsed and must be
 * equal field by field, and equal to what was injected (AS path, origin, MED,
 * local preference, communities, next hop, peer). The bytes of both forms are
 * added up: the figures behind the FRR text-first choice (see README,
 * Performance).
 */

import assert from "node:assert/strict";
import { parseFrrRoute } from "../../src/dialects/frr.ts";
import { parseFrrRouteJson } from "../../src/dialects/frr_json.ts";
import { TelnetSession } from "../../src/telnet/session.ts";
import type { BgpPath, ParsedRoute } from "../../src/bgp/types.ts";
import {
  type AsPathSegment,
  encodeMrt,
  type MrtRoute,
  prng,
  rigAvailability,
  type RigSpec,
  startRig,
  testSeed,
} from "../harness/mod.ts";

const IPV4_PREFIXES = 1500;
const IPV6_PREFIXES = 500;

/** Feeders: id (address 127.0.0.id, next hops 198.51.100.id / 2001:db8::id) and AS. */
const FEEDERS = [
  { id: 2, as: 15169, ebgp: true },
  { id: 3, as: 3356, ebgp: true },
  { id: 4, as: 6447, ebgp: false },
] as const;

/** Marks the IPv6 routes that FRR gives a link-local next hop. */
const LINK_LOCAL_COMMUNITY = "64999:6";
const LINK_LOCAL = "fe80::4:6";

/** What one feeder announces for one prefix. */
interface Announcement {
  feeder: (typeof FEEDERS)[number];
  route: MrtRoute;
}

/** A 2- or 4-byte ASN that is none of the rig's own (a path holding 6447 would be a loop). */
function randomAsn(random: () => number): number {
  while (true) {
    const asn = random() < 0.6
      ? 1 + Math.floor(random() * 64000)
      : 131072 + Math.floor(random() * 4_199_000_000);
    if (![6447, 15169, 3356, 23456].includes(asn)) return asn;
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** About `length` ASNs, with prepends (the same ASN two to five times) unless `exact`. */
function randomSequence(random: () => number, length: number, exact: boolean): number[] {
  const asns: number[] = [];
  while (asns.length < length) {
    const asn = randomAsn(random);
    const times = !exact && random() < 0.2 ? 2 + Math.floor(random() * 4) : 1;
    for (let i = 0; i < times && asns.length < length + 4; i++) asns.push(asn);
  }
  return asns;
}

/**
 * An AS path with `length` sequence members (plus sets and, over iBGP, confederation
 * segments); `exact` keeps it to that length, for multipath.
 */
function randomAsPath(
  random: () => number,
  length: number,
  options: { ibgp: boolean; exact: boolean },
): AsPathSegment[] {
  const { ibgp, exact } = options;
  const segments: AsPathSegment[] = [];
  if (ibgp && random() < 0.4) {
    // Confederation segments come first, as a confederation member prepends them.
    segments.push({
      type: random() < 0.8 ? "confed-sequence" : "confed-set",
      asns: [64512 + Math.floor(random() * 500), 64512 + Math.floor(random() * 500)],
    });
  }
  if (length > 0) segments.push({ type: "sequence", asns: randomSequence(random, length, exact) });
  if (length > 0 && !exact && random() < 0.12) {
    const members = 1 + Math.floor(random() * 4);
    segments.push({
      type: "set",
      asns: [...new Set(Array.from({ length: members }, () => randomAsn(random)))],
    });
  }
  return segments;
}

/**
 * Well-known communities a feeder may send: a speaker keeps NO_ADVERTISE routes to itself, and
 * NO_EXPORT and NO_EXPORT_SUBCONFED routes from eBGP peers, so only the iBGP feeder sends those.
 */
const WELL_KNOWN = {
  ebgp: ["65535:666", "65535:0", "65535:1"],
  ibgp: ["65535:666", "65535:0", "65535:1", "65535:65281", "65535:65283"],
};

function randomCommunities(random: () => number, ebgp: boolean): string[] {
  const count = Math.floor(random() * 7);
  const list = Array.from(
    { length: count },
    () =>
      random() < 0.15
        ? pick(random, WELL_KNOWN[ebgp ? "ebgp" : "ibgp"])
        : `${Math.floor(random() * 65536)}:${Math.floor(random() * 65536)}`,
  );
  return [...new Set(list)];
}

function randomLarge(random: () => number): string[] {
  const count = random() < 0.6 ? 0 : 1 + Math.floor(random() * 3);
  const u32 = () => Math.floor(random() * 4294967296);
  return [...new Set(Array.from({ length: count }, () => `${u32()}:${u32()}:${u32()}`))];
}

/** Seeded announcements: every prefix from one to three feeders, many with equal path lengths. */
function generate(seed: number): Announcement[] {
  const random = prng(seed);
  const announcements: Announcement[] = [];
  const lengths = [16, 19, 20, 22, 23, 24];
  for (let i = 0; i < IPV4_PREFIXES + IPV6_PREFIXES; i++) {
    const v6 = i >= IPV4_PREFIXES;
    const n = v6 ? i - IPV4_PREFIXES : i;
    const prefix = v6
      ? `2001:db8:${(0x1000 + n).toString(16)}::/48`
      : `${20 + Math.floor(n / 200)}.${n % 200}.0.0/${pick(random, lengths)}`;
    const carriers = FEEDERS.filter(() => random() < 0.55);
    if (carriers.length === 0) carriers.push(pick(random, FEEDERS));
    // Equal lengths and origins from different neighbour ASes make multipath candidates.
    const shared = random() < 0.5
      ? {
        length: 1 + Math.floor(random() * 5),
        origin: pick(random, ["IGP", "IGP", "EGP", "incomplete"] as const),
      }
      : undefined;
    for (const feeder of carriers) {
      const multipath = feeder.ebgp ? shared : undefined;
      const length = feeder.ebgp
        ? multipath?.length ?? 1 + Math.floor(random() * 6)
        : (random() < 0.1 ? 0 : 1 + Math.floor(random() * 6)); // iBGP: sometimes Local
      const communities = randomCommunities(random, feeder.ebgp);
      if (v6 && random() < 0.3) communities.push(LINK_LOCAL_COMMUNITY);
      const aggregated = random() < 0.1;
      const route: MrtRoute = {
        prefix,
        attributes: {
          origin: multipath?.origin ?? pick(random, ["IGP", "IGP", "EGP", "incomplete"] as const),
          asPath: randomAsPath(random, length, { ibgp: !feeder.ebgp, exact: !!multipath }),
          nextHop: v6 ? `2001:db8::${feeder.id}` : `198.51.100.${feeder.id}`,
          ...(random() < 0.4
            ? { med: pick(random, [0, 10, 4294967295, Math.floor(random() * 100000)]) }
            : {}),
          ...(!feeder.ebgp && random() < 0.7
            ? { localPref: pick(random, [50, 100, 200, 4294967295]) }
            : {}),
          ...(aggregated
            ? {
              atomicAggregate: random() < 0.7,
              aggregator: { asn: randomAsn(random), address: "192.0.2.77" },
            }
            : {}),
          communities,
          largeCommunities: randomLarge(random),
          routeTargets: random() < 0.2 ? [`${1 + Math.floor(random() * 65000)}:100`] : [],
        },
      };
      announcements.push({ feeder, route });
    }
  }
  return announcements;
}

/** The AS_SEQUENCE members FRR shows: the eBGP feeder's own AS first. */
function expectedAsPath(a: Announcement): number[] {
  const sequences = a.route.attributes.asPath.filter((s) => s.type === "sequence")
    .flatMap((s) => s.asns);
  return a.feeder.ebgp ? [a.feeder.as, ...sequences] : sequences;
}

/** `origin` as the parsers give it: the last sequence ASN, or a one-member set's. */
function expectedOriginAs(a: Announcement): number | null {
  const segments = a.route.attributes.asPath;
  const last = segments.at(-1);
  if (!last || last.type.startsWith("confed")) {
    return a.feeder.ebgp ? a.feeder.as : null;
  }
  if (last.type === "set") return last.asns.length === 1 ? last.asns[0] : null;
  return last.asns.at(-1)!;
}

/** Both forms of one answer. */
interface Pair {
  prefix: string;
  text: ParsedRoute;
  json: ParsedRoute;
}

/** The local wall-clock time of an instant, as the text parser reads FRR's `Last update:`. */
function localIso(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The json path as the text parser would give it, and the text path's
 * `lastUpdate` where it is within a second of the json one: the one difference
 * by design. The json `lastUpdate` is an epoch (UTC, `Z`), the text's FRR's
 * local time; and FRR computes both as "now minus the path's age" when it
 * answers, so two answers a moment apart may be a second apart.
 */
function comparable(text: BgpPath, json: BgpPath): [BgpPath, BgpPath] {
  if (!json.lastUpdate?.endsWith("Z") || !text.lastUpdate) return [text, json];
  const local = localIso(json.lastUpdate);
  const apart = Math.abs(Date.parse(local) - Date.parse(text.lastUpdate));
  return [apart <= 1000 ? { ...text, lastUpdate: local } : text, { ...json, lastUpdate: local }];
}

const { available, reason } = await rigAvailability();
const ci = Deno.env.get("CI") === "true";

Deno.test({
  name: "FRR text and json parsers give identical answers for every one of 2000 varied prefixes",
  ignore: !available && !ci,
  // A few thousand commands over telnet: longer than the default per-test deadline.
  timeout: 600_000,
  async fn(t) {
    if (!available) throw new Error(`CI=true but the FRR rig cannot run: ${reason}`);
    const seed = testSeed();
    const announcements = generate(seed);
    const count = (v6: boolean) =>
      announcements.filter((a) => a.route.prefix.includes(":") === v6).length;
    const spec: RigSpec = {
      feeders: FEEDERS.map((f) => {
        const routes = announcements.filter((a) => a.feeder === f).map((a) => a.route);
        const prefixes = (v6: boolean) =>
          routes.filter((r) => r.prefix.includes(":") === v6).length;
        return {
          id: f.id,
          as: f.as,
          routes: [],
          mrt: {
            bytes: encodeMrt(routes, { peers: [{ address: `127.0.0.${f.id}`, as: f.as }] }),
            ipv4: prefixes(false),
            ipv6: prefixes(true),
          },
        };
      }),
      routeServers: [{
        name: "rig",
        address: "127.0.0.1",
        feeders: FEEDERS.map((f) => f.id),
        expect: { ipv4: count(false), ipv6: count(true) },
        // Multipath, and a link-local next hop for the IPv6 routes marked 64999:6.
        config: {
          global: [
            `bgp community-list standard RIG-LL permit ${LINK_LOCAL_COMMUNITY}`,
            "route-map RIG-V6-IN permit 10",
            " match community RIG-LL",
            ` set ipv6 next-hop local ${LINK_LOCAL}`,
            "route-map RIG-V6-IN permit 20",
          ],
          router: ["bgp bestpath as-path multipath-relax"],
          ipv4: ["maximum-paths 8", "maximum-paths ibgp 8"],
          ipv6: [
            "maximum-paths 8",
            "maximum-paths ibgp 8",
            ...FEEDERS.map((f) => `neighbor 127.0.0.${f.id} route-map RIG-V6-IN in`),
          ],
        },
      }],
    };
    const rig = await startRig(spec);
    try {
      const prefixes = [...new Set(announcements.map((a) => a.route.prefix))];
      const bytes = { text: 0, json: 0 };
      /** Answers showing FRR did what the configuration asks (so the run covers it). */
      const seen = { multipath: 0, linkLocal: 0 };
      const pairs: Pair[] = [];
      await t.step(
        `ask ${prefixes.length} prefixes in text and in json (seed ${seed})`,
        async () => {
          const open = async () => {
            const session = await TelnetSession.open(
              { name: "rig", host: "127.0.0.1", port: rig.vtyPort, login: "none" },
              { connectTimeoutMs: 20_000, loginTimeoutMs: 30_000 },
            );
            await session.typeAhead("terminal length 0");
            return session;
          };
          using text = await open();
          using json = await open();
          const limits = { timeoutMs: 10_000, maxBytes: 1 << 20 };
          for (const prefix of prefixes) {
            const afi = prefix.includes(":") ? "ipv6" : "ipv4";
            const [textAnswer, jsonAnswer] = await Promise.all([
              text.command(`show bgp ${afi} unicast ${prefix}`, limits),
              json.command(`show bgp ${afi} unicast ${prefix} json`, limits),
            ]);
            bytes.text += new TextEncoder().encode(textAnswer).length;
            bytes.json += new TextEncoder().encode(jsonAnswer).length;
            if (/, multipath/.test(textAnswer)) seen.multipath++;
            if (jsonAnswer.includes(`"${LINK_LOCAL}"`) && textAnswer.includes(`(${LINK_LOCAL})`)) {
              seen.linkLocal++;
            }
            pairs.push({
              prefix,
              text: parseFrrRoute(textAnswer),
              json: parseFrrRouteJson(jsonAnswer),
            });
          }
          await Promise.all([text.quit(), json.quit()]);
        },
      );

      await t.step("text and json: the same prefix, paths and values, in the same order", () => {
        for (const { prefix, text, json } of pairs) {
          assert.equal(text.paths.length, json.paths.length, prefix);
          const both = text.paths.map((path, i) => comparable(path, json.paths[i]));
          assert.deepEqual(
            { ...text, paths: both.map(([t]) => t) },
            { ...json, paths: both.map(([, j]) => j) },
            prefix,
          );
        }
      });

      await t.step("both equal what was injected", () => {
        const byPrefix = Map.groupBy(announcements, (a) => a.route.prefix);
        let multipathCandidates = 0;
        for (const { prefix, text } of pairs) {
          const sent = byPrefix.get(prefix)!;
          assert.equal(text.found, true, prefix);
          assert.equal(text.prefix, prefix);
          assert.equal(text.totalPaths, sent.length, prefix);
          assert.equal(text.paths.filter((p) => p.best).length, 1, prefix);
          for (const a of sent) {
            const path = text.paths.find((p) => p.peer.address === `127.0.0.${a.feeder.id}`);
            assert.ok(path, `${prefix} from 127.0.0.${a.feeder.id}`);
            const at = a.route.attributes;
            const where = `${prefix} from AS${a.feeder.as}`;
            assert.deepEqual(path.asPath, expectedAsPath(a), where);
            assert.equal(path.originAs, expectedOriginAs(a), where);
            assert.equal(path.origin, at.origin, where);
            assert.equal(path.med, at.med, where);
            if (!a.feeder.ebgp) assert.equal(path.localPref, at.localPref ?? 100, where);
            // FRR adds NO_EXPORT to a BLACKHOLE route from an eBGP peer (RFC 7999).
            const blackhole = a.feeder.ebgp && at.communities!.includes("65535:666")
              ? ["65535:65281"]
              : [];
            assert.deepEqual(
              [...path.communities].sort(),
              [...new Set([...at.communities!, ...blackhole])].sort(),
              where,
            );
            assert.deepEqual([...path.largeCommunities].sort(), [...at.largeCommunities!].sort());
            assert.deepEqual(
              path.extendedCommunities,
              at.routeTargets!.map((rt) => `RT:${rt}`),
              where,
            );
            assert.equal(path.nextHop, at.nextHop, where);
          }
          if (sent.filter((a) => a.feeder.ebgp).length > 1) multipathCandidates++;
        }
        // The run covered what it claims to.
        const all = announcements.map((a) => a.route.attributes);
        assert.ok(multipathCandidates > 100, `${multipathCandidates} multipath candidates`);
        assert.ok(seen.multipath > 50, `${seen.multipath} answers with multipath paths`);
        assert.ok(seen.linkLocal > 50, `${seen.linkLocal} answers with a link-local next hop`);
        assert.ok(all.filter((a) => a.asPath.some((s) => s.type === "set")).length > 50);
        assert.ok(all.filter((a) => a.asPath.some((s) => s.type.startsWith("confed"))).length > 50);
        assert.ok(all.filter((a) => a.atomicAggregate).length > 50);
      });

      await t.step("bytes of the two forms", () => {
        const ratio = bytes.json / bytes.text;
        // deno-lint-ignore no-console
        console.error(
          `FRR differential: ${pairs.length} lookups (${seen.multipath} with multipath, ` +
            `${seen.linkLocal} with a link-local next hop), text ${bytes.text} B, ` +
            `json ${bytes.json} B (json / text = ${ratio.toFixed(2)})`,
        );
        assert.ok(ratio > 1, "json is the larger form");
      });
    } finally {
      await rig.stop();
    }
  },
});
