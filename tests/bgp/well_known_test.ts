/**
 * The one well-known community table read both ways: names for people, and the
 * numbers behind the names routers print and users type (filters, Junos).
 */

import assert from "node:assert/strict";
import { normalizeCommunity } from "../../src/bgp/values.ts";
import {
  WELL_KNOWN_COMMUNITIES,
  WELL_KNOWN_COMMUNITY_NAMES,
  wellKnownCommunity,
} from "../../src/bgp/well_known.ts";

/**
 * The name → number table the parsers used before there was one table (keys
 * lower case, without dashes or underscores): every one of them must still read.
 */
const NAMES_READ_BEFORE: Record<string, string> = {
  internet: "0:0",
  gracefulshutdown: "65535:0",
  gshut: "65535:0",
  plannedshut: "65535:0",
  acceptown: "65535:1",
  routefiltertranslatedv4: "65535:2",
  routefilterv4: "65535:3",
  routefiltertranslatedv6: "65535:4",
  routefilterv6: "65535:5",
  llgrstale: "65535:6",
  nollgr: "65535:7",
  acceptownnexthop: "65535:8",
  standbype: "65535:9",
  blackhole: "65535:666",
  noexport: "65535:65281",
  noadvertise: "65535:65282",
  localas: "65535:65283",
  noexportsubconfed: "65535:65283",
  nopeer: "65535:65284",
};

Deno.test("well-known: every name read before reads to the same number, and no other", () => {
  for (const [name, community] of Object.entries(NAMES_READ_BEFORE)) {
    assert.equal(wellKnownCommunity(name), community, name);
    assert.equal(normalizeCommunity(name), community, name);
  }
  // Every spelling the table knows is one of those: nothing new is read as a community.
  const known = new Set(Object.keys(NAMES_READ_BEFORE));
  for (const { name, aliases = [] } of WELL_KNOWN_COMMUNITIES) {
    for (const spelling of [name, ...aliases]) {
      assert.ok(known.has(spelling.toLowerCase().replace(/[-_ ]/g, "")), spelling);
    }
  }
});

Deno.test("well-known: names as routers and users spell them", () => {
  assert.equal(wellKnownCommunity("no-export"), "65535:65281");
  assert.equal(wellKnownCommunity("NO_EXPORT"), "65535:65281");
  assert.equal(wellKnownCommunity("local-AS"), "65535:65283");
  assert.equal(wellKnownCommunity("GRACEFUL_SHUTDOWN"), "65535:0");
  assert.equal(wellKnownCommunity("accept-own-nexthop"), "65535:8");
  assert.equal(wellKnownCommunity("no export"), null);
  assert.equal(wellKnownCommunity("3356:3"), null);
  assert.equal(wellKnownCommunity(""), null);
});

Deno.test("well-known: one name per community, in the registry's spelling", () => {
  assert.equal(WELL_KNOWN_COMMUNITY_NAMES.size, WELL_KNOWN_COMMUNITIES.length);
  assert.equal(WELL_KNOWN_COMMUNITY_NAMES.get("65535:65281"), "NO_EXPORT");
  assert.equal(WELL_KNOWN_COMMUNITY_NAMES.get("65535:9"), "Standby PE");
  assert.equal(WELL_KNOWN_COMMUNITY_NAMES.get("0:0"), "internet");
  // Each entry's own name reads back to its number.
  for (const [community, name] of WELL_KNOWN_COMMUNITY_NAMES) {
    assert.equal(wellKnownCommunity(name.replaceAll(" ", "")), community, name);
  }
});
