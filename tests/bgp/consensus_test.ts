import assert from "node:assert/strict";
import { consensus, upstreamOf } from "../../src/bgp/consensus.ts";
import type { BgpPath, ParsedRoute } from "../../src/bgp/types.ts";

function path(
  asPath: number[],
  best = false,
  originAs: number | null = asPath.at(-1) ?? null,
): BgpPath {
  return {
    best,
    valid: true,
    asPath,
    asPathText: asPath.join(" "),
    originAs,
    origin: "IGP",
    nextHop: "198.51.100.1",
    peer: { address: "198.51.100.1" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  };
}

function route(prefix: string, ...paths: BgpPath[]): ParsedRoute {
  return { found: true, prefix, paths, totalPaths: paths.length };
}

const NOT_FOUND: ParsedRoute = { found: false, prefix: null, paths: [], totalPaths: 0 };

Deno.test("consensus: seen, missing, failed, MOAS, more-specific, upstreams, path lengths", () => {
  const c = consensus([
    {
      server: "rs1",
      route: route("8.8.8.0/24", path([3356, 174, 15169]), path([15169, 15169], true)),
    },
    { server: "rs2", route: NOT_FOUND },
    { server: "rs3", route: route("8.8.8.0/24", path([15169, 15169], true), path([64666, 64666])) },
    { server: "rs4", route: route("8.8.8.0/25", path([3356, 174, 15169], true)) },
    { server: "down", route: null },
  ]);
  assert.deepEqual(c.seenBy, ["rs1", "rs3", "rs4"]);
  assert.deepEqual(c.missingFrom, ["rs2"]);
  assert.deepEqual(c.failed, ["down"]);
  assert.deepEqual(c.origins, [{ asn: 15169, servers: ["rs1", "rs3", "rs4"] }, {
    asn: 64666,
    servers: ["rs3"],
  }]);
  assert.equal(c.moas, true);
  assert.deepEqual(c.prefixes, [
    { prefix: "8.8.8.0/24", servers: ["rs1", "rs3"] },
    { prefix: "8.8.8.0/25", servers: ["rs4"] },
  ]);
  // Best paths: rs1 and rs3 learn it straight from 15169 (no upstream), rs4 via 174.
  assert.deepEqual(c.upstreams, [{ asn: 174, servers: ["rs4"] }]);
  assert.deepEqual(c.shortestPath, { server: "rs1", asPath: [15169, 15169], length: 2 });
  assert.deepEqual(c.longestPath, { server: "rs4", asPath: [3356, 174, 15169], length: 3 });
});

Deno.test("consensus: one origin everywhere is not MOAS; nothing seen gives empty lists", () => {
  const one = consensus([
    { server: "a", route: route("1.1.1.0/24", path([3356, 13335], true)) },
    { server: "b", route: route("1.1.1.0/24", path([6939, 13335], true)) },
  ]);
  assert.equal(one.moas, false);
  assert.deepEqual(one.origins, [{ asn: 13335, servers: ["a", "b"] }]);
  assert.deepEqual(one.upstreams, [{ asn: 3356, servers: ["a"] }, { asn: 6939, servers: ["b"] }]);
  const none = consensus([{ server: "a", route: NOT_FOUND }, { server: "b", route: null }]);
  assert.deepEqual([none.seenBy, none.origins, none.prefixes, none.shortestPath], [
    [],
    [],
    [],
    null,
  ]);
});

Deno.test("upstream: prepends collapsed, AS_SET origins, single-AS paths", () => {
  assert.equal(upstreamOf(path([6939, 3356, 3356, 15169, 15169, 15169])), 3356);
  assert.equal(upstreamOf(path([15169, 15169])), null);
  assert.equal(upstreamOf(path([174, 64500], false, 64501)), 64500); // ends in {64501}
  assert.equal(upstreamOf(path([174, 64500], false, null)), null); // multi-member AS_SET
});

Deno.test("consensus: different origins for different prefixes, or on invalid paths, are not MOAS", () => {
  const invalid = { ...path([64666], false), valid: false };
  const c = consensus([
    { server: "a", route: route("8.8.8.0/24", path([3356, 15169], true), invalid) },
    { server: "b", route: route("8.0.0.0/9", path([3356], true)) },
  ]);
  assert.equal(c.moas, false);
  assert.deepEqual(c.origins, [{ asn: 15169, servers: ["a"] }, { asn: 3356, servers: ["b"] }]);
  assert.deepEqual(c.prefixes.map((p) => p.prefix), ["8.8.8.0/24", "8.0.0.0/9"]);
});

Deno.test("consensus: an AS_SET counts as one AS in path lengths", () => {
  const withSet = { ...path([64500], true, null), asPathText: "64500 {64501,64502}" };
  const c = consensus([
    { server: "a", route: route("203.0.113.0/24", withSet) },
    { server: "b", route: route("203.0.113.0/24", path([64500, 64510, 64511], true)) },
  ]);
  assert.deepEqual(c.shortestPath, { server: "a", asPath: [64500], length: 2 });
  assert.deepEqual(c.longestPath, { server: "b", asPath: [64500, 64510, 64511], length: 3 });
});
