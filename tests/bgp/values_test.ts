import assert from "node:assert/strict";
import {
  normalizeCommunity,
  parseAsn,
  parseAsPathText,
  parseCommunities,
  parseOrigin,
  parseRpkiState,
} from "../../src/bgp/values.ts";

Deno.test("well-known communities become numbers, whatever the spelling", () => {
  const table: [string, string][] = [
    ["no-export", "65535:65281"], // FRR and IOS text
    ["noExport", "65535:65281"], // FRR json list
    ["no-advertise", "65535:65282"],
    ["noAdvertise", "65535:65282"],
    ["local-AS", "65535:65283"],
    ["localAs", "65535:65283"],
    ["no-export-subconfed", "65535:65283"],
    ["no-peer", "65535:65284"],
    ["noPeer", "65535:65284"],
    ["blackhole", "65535:666"],
    ["graceful-shutdown", "65535:0"],
    ["gracefulShutdown", "65535:0"],
    ["gshut", "65535:0"],
    ["accept-own", "65535:1"],
    ["route-filter-translated-v4", "65535:2"],
    ["route-filter-v4", "65535:3"],
    ["route-filter-translated-v6", "65535:4"],
    ["route-filter-v6", "65535:5"],
    ["llgr-stale", "65535:6"],
    ["no-llgr", "65535:7"],
    ["accept-own-nexthop", "65535:8"],
    ["internet", "0:0"],
    ["15169:100", "15169:100"],
    ["00065:010", "65:10"],
    ["4259840100", "65000:100"], // IOS old format
    ["4294967295", "65535:65535"],
  ];
  for (const [input, want] of table) assert.equal(normalizeCommunity(input), want, input);
  for (const bad of ["65536:1", "1:65536", "4294967296", "no-such-name", "1:2:3"]) {
    assert.equal(normalizeCommunity(bad), null, bad);
  }
  assert.deepEqual(parseCommunities(" 15169:100 blackhole  no-export "), [
    "15169:100",
    "65535:666",
    "65535:65281",
  ]);
});

Deno.test("ASNs in asplain and asdot", () => {
  assert.equal(parseAsn("15169"), 15169);
  assert.equal(parseAsn("4200000001"), 4200000001);
  assert.equal(parseAsn("64086.59904"), 64086 * 65536 + 59904);
  assert.equal(parseAsn("4294967296"), null);
  assert.equal(parseAsn("65536.1"), null);
  assert.equal(parseAsn("AS15169"), null);
});

Deno.test("AS paths: sequences, sets, confederations, local", () => {
  assert.deepEqual(parseAsPathText("174 13335"), { asPath: [174, 13335], originAs: 13335 });
  assert.deepEqual(parseAsPathText("64500 {64501,64502}"), { asPath: [64500], originAs: null });
  assert.deepEqual(parseAsPathText("64500 {64501}"), { asPath: [64500], originAs: 64501 });
  assert.deepEqual(parseAsPathText("(65001 65002) 174 13335"), {
    asPath: [174, 13335],
    originAs: 13335,
  });
  assert.deepEqual(parseAsPathText("[65001,65002] 3356"), { asPath: [3356], originAs: 3356 });
  assert.deepEqual(parseAsPathText("1.10 3356"), { asPath: [65546, 3356], originAs: 3356 });
  assert.deepEqual(parseAsPathText("Local"), { asPath: [], originAs: null });
  assert.deepEqual(parseAsPathText(""), { asPath: [], originAs: null });
  assert.equal(parseAsPathText("174 x"), null);
  assert.equal(parseAsPathText("174 {1,x}"), null);
});

Deno.test("origin and RPKI words", () => {
  assert.equal(parseOrigin("IGP"), "IGP");
  assert.equal(parseOrigin("i"), "IGP");
  assert.equal(parseOrigin("EGP"), "EGP");
  assert.equal(parseOrigin("?"), "incomplete");
  assert.equal(parseOrigin("incomplete"), "incomplete");
  assert.equal(parseOrigin("bogus"), null);
  assert.equal(parseRpkiState("not found"), "not-found");
  assert.equal(parseRpkiState("notfound"), "not-found");
  assert.equal(parseRpkiState("valid"), "valid");
  assert.equal(parseRpkiState("Invalid"), "invalid");
  assert.equal(parseRpkiState("unverified"), null);
});
