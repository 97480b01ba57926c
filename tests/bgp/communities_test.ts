import assert from "node:assert/strict";
import { type CommunityInfo, describeCommunities } from "../../src/bgp/communities.ts";
import {
  CommunityDictionary,
  loadCommunityDictionary,
} from "../../src/bgp/community_dictionary.ts";
import { CommunityDictionaryError } from "../../src/errors.ts";
import { WELL_KNOWN_COMMUNITY_NAMES } from "../../src/bgp/well_known.ts";

/** Describes standard communities only. */
function standard(communities: string[], dictionary?: CommunityDictionary): CommunityInfo[] {
  return describeCommunities(
    { communities, largeCommunities: [], extendedCommunities: [] },
    dictionary,
  );
}

/** The name a dictionary gives standard community `text`. */
function nameOf(dictionary: CommunityDictionary, text: string): string | undefined {
  const [asn, value] = text.split(":").map(Number);
  return dictionary.lookupStandard(asn, value);
}

/** Expects `CommunityDictionary.parse` to refuse `json`, and returns the error. */
function refused(json: unknown, source = "dict.json"): CommunityDictionaryError {
  try {
    CommunityDictionary.parse(json, source);
  } catch (error) {
    assert.ok(error instanceof CommunityDictionaryError, String(error));
    assert.ok(error instanceof SyntaxError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(json)}`);
}

const LUMEN = {
  "3356": {
    "3": "Lumen: learned in North America",
    "2xx": "Lumen: learned in region 2xx",
    "500-599": "Lumen: customer",
    "*": "Lumen (other)",
  },
  "174": { "21000-21999": "Cogent: learned in NA", "70": "Cogent: lower local-pref" },
  "large:13335": { "1:*": "Cloudflare: example", "*:2": "Cloudflare: any function, 2" },
};

Deno.test("well-known standard communities are named as in the IANA registry", () => {
  const table: [string, string][] = [
    ["0:0", "internet"],
    ["65535:0", "GRACEFUL_SHUTDOWN"],
    ["65535:1", "ACCEPT_OWN"],
    ["65535:2", "ROUTE_FILTER_TRANSLATED_v4"],
    ["65535:3", "ROUTE_FILTER_v4"],
    ["65535:4", "ROUTE_FILTER_TRANSLATED_v6"],
    ["65535:5", "ROUTE_FILTER_v6"],
    ["65535:6", "LLGR_STALE"],
    ["65535:7", "NO_LLGR"],
    ["65535:8", "accept-own-nexthop"],
    ["65535:9", "Standby PE"],
    ["65535:666", "BLACKHOLE"],
    ["65535:65281", "NO_EXPORT"],
    ["65535:65282", "NO_ADVERTISE"],
    ["65535:65283", "NO_EXPORT_SUBCONFED"],
    ["65535:65284", "NOPEER"],
  ];
  assert.equal(WELL_KNOWN_COMMUNITY_NAMES.size, table.length);
  for (const [community, name] of table) {
    assert.equal(WELL_KNOWN_COMMUNITY_NAMES.get(community), name, community);
    const [asn, value] = community.split(":").map(Number);
    assert.deepEqual(standard([community]), [{ community, kind: "standard", name, asn, value }]);
  }
});

Deno.test("other 65535:x values are reserved; 0:x and private values get no name", () => {
  const table: [string, string | undefined][] = [
    ["65535:10", "reserved (RFC 8642)"],
    ["65535:65535", "reserved (RFC 8642)"],
    ["0:6939", undefined], // route server "do not announce to" action, not well-known
    ["3356:3", undefined],
    ["65534:666", undefined],
  ];
  for (const [community, name] of table) assert.equal(standard([community])[0].name, name);
  assert.equal("name" in standard(["3356:3"])[0], false, "no undefined keys");
});

Deno.test("names and IOS 32-bit numbers that were not normalised are still read", () => {
  assert.deepEqual(standard(["no-export", "4259840100", "local-AS"]), [
    { community: "no-export", kind: "standard", name: "NO_EXPORT", asn: 65535, value: 65281 },
    { community: "4259840100", kind: "standard", asn: 65000, value: 100 },
    {
      community: "local-AS",
      kind: "standard",
      name: "NO_EXPORT_SUBCONFED",
      asn: 65535,
      value: 65283,
    },
  ]);
});

Deno.test("well-known names win over the dictionary, the dictionary over reserved", () => {
  const dictionary = CommunityDictionary.parse(
    { "65535": { "666": "my blackhole", "*": "my 65535" }, "0": { "*": "zero" } },
    "dict.json",
  );
  const names = standard(["65535:666", "65535:65281", "65535:12345", "0:0", "0:6939"], dictionary)
    .map((info) => info.name);
  assert.deepEqual(names, ["BLACKHOLE", "NO_EXPORT", "my 65535", "internet", "zero"]);
  // The dictionary itself still answers: precedence is describeCommunities' business.
  assert.equal(dictionary.lookupStandard(65535, 666), "my blackhole");
});

Deno.test("dictionary: exact beats x-pattern beats range beats *", () => {
  const dictionary = CommunityDictionary.parse(LUMEN, "dict.json");
  assert.equal(dictionary.size, 8);
  const table: [string, string | undefined][] = [
    ["3356:3", "Lumen: learned in North America"],
    ["3356:200", "Lumen: learned in region 2xx"],
    ["3356:299", "Lumen: learned in region 2xx"],
    ["3356:2000", "Lumen (other)"], // 2xx needs exactly three digits
    ["3356:20", "Lumen (other)"],
    ["3356:500", "Lumen: customer"],
    ["3356:599", "Lumen: customer"],
    ["3356:600", "Lumen (other)"],
    ["3356:0", "Lumen (other)"],
    ["3356:65535", "Lumen (other)"],
    ["174:70", "Cogent: lower local-pref"],
    ["174:21500", "Cogent: learned in NA"],
    ["174:22000", undefined],
    ["1299:3", undefined],
  ];
  for (const [community, name] of table) assert.equal(nameOf(dictionary, community), name);
  const info = standard(["3356:501"], dictionary);
  assert.deepEqual(info, [
    { community: "3356:501", kind: "standard", name: "Lumen: customer", asn: 3356, value: 501 },
  ]);
});

Deno.test("dictionary: the most specific of overlapping patterns wins", () => {
  const dictionary = CommunityDictionary.parse({
    "64500": {
      "250": "exact",
      "25x": "one x, long prefix",
      "2x5": "one x, short prefix",
      "2xx": "two x",
      "xxx": "three x",
      "200-299": "hundred",
      "240-260": "twenty",
      "100-400": "three hundred",
      "x": "one digit",
      "xx": "two digits",
      "*": "any",
    },
  }, "dict.json");
  const table: [number, string][] = [
    [250, "exact"],
    [251, "one x, long prefix"],
    [205, "one x, short prefix"],
    [215, "one x, short prefix"],
    [216, "two x"],
    [999, "three x"],
    [7, "one digit"],
    [0, "one digit"],
    [10, "two digits"],
    [99, "two digits"],
    [1000, "any"],
    [65535, "any"],
  ];
  for (const [value, name] of table) {
    assert.equal(dictionary.lookupStandard(64500, value), name, String(value));
  }
  const ranges = CommunityDictionary.parse({
    "64500": { "200-299": "hundred", "240-260": "twenty", "100-400": "three hundred", "7": "7" },
  }, "dict.json");
  const rangeTable: [number, string | undefined][] = [
    [250, "twenty"],
    [240, "twenty"],
    [260, "twenty"],
    [239, "hundred"],
    [261, "hundred"],
    [300, "three hundred"],
    [100, "three hundred"],
    [400, "three hundred"],
    [99, undefined],
    [401, undefined],
  ];
  for (const [value, name] of rangeTable) {
    assert.equal(ranges.lookupStandard(64500, value), name, String(value));
  }
  // Equally wide ranges: the lower start wins.
  const tie = CommunityDictionary.parse({ "1": { "20-30": "high", "10-20": "low" } }, "d.json");
  assert.equal(tie.lookupStandard(1, 20), "low");
});

Deno.test("dictionary: lookups outside the number space answer nothing", () => {
  const dictionary = CommunityDictionary.parse({ "1": { "*": "any" } }, "dict.json");
  assert.equal(dictionary.lookupStandard(1, 65535), "any");
  for (const value of [-1, 65536, 1.5, NaN]) {
    assert.equal(dictionary.lookupStandard(1, value), undefined, String(value));
  }
  assert.equal(dictionary.lookupStandard(2, 1), undefined);
  assert.equal(dictionary.lookupLarge(1, 1, 1), undefined);
  assert.equal(CommunityDictionary.parse({}, "empty.json").size, 0);
});

Deno.test("dictionary: many nested ranges and x-patterns still pick the narrowest", () => {
  const patterns: Record<string, string> = {};
  for (let i = 0; i < 4000; i++) patterns[`${i}-${60000 - i}`] = `nest ${i}`;
  for (let i = 0; i < 4000; i++) patterns[`${30000 + i * 5}-${30000 + i * 5 + 4}`] = `five ${i}`;
  for (let i = 0; i < 1000; i++) patterns[`${1000 + i}x`] = `x ${i}`;
  for (let i = 0; i < 100; i++) patterns[`2${String(i).padStart(2, "0")}xx`] = `xx ${i}`;
  const dictionary = CommunityDictionary.parse({ "64512": patterns }, "big.json");
  assert.equal(dictionary.size, 9100);
  assert.equal(dictionary.lookupStandard(64512, 30007), "five 1");
  assert.equal(dictionary.lookupStandard(64512, 10007), "x 0");
  assert.equal(dictionary.lookupStandard(64512, 20789), "xx 7");
  assert.equal(dictionary.lookupStandard(64512, 5000), "nest 3999");
  assert.equal(dictionary.lookupStandard(64512, 0), "nest 0");
  assert.equal(dictionary.lookupStandard(64512, 60001), undefined);
  for (let value = 0; value <= 65535; value += 7) dictionary.lookupStandard(64512, value);
});

Deno.test("large dictionary: L1 decides first, and falls through when L2 does not match", () => {
  const dictionary = CommunityDictionary.parse({
    "large:13335": { "1:*": "Cloudflare: example", "*:2": "Cloudflare: any function, 2" },
    "large:4200000000": {
      "1:100": "exact",
      "1:1xx": "x",
      "1-9:100": "range 100",
      "1-9:200-299": "range 2xx",
      "*:200": "any 200",
      "*:*": "anything",
    },
  }, "dict.json");
  const table: [number, number, number, string | undefined][] = [
    [13335, 1, 2, "Cloudflare: example"], // L1 exact beats L1 *
    [13335, 1, 7, "Cloudflare: example"],
    [13335, 5, 2, "Cloudflare: any function, 2"],
    [13335, 5, 3, undefined],
    [4200000000, 1, 100, "exact"],
    [4200000000, 1, 150, "x"],
    [4200000000, 3, 100, "range 100"],
    [4200000000, 3, 200, "range 2xx"], // L1 range beats L1 *, even with an exact L2 under *
    [4200000000, 1, 200, "range 2xx"], // L1 1 has no L2 200: falls through to 1-9
    [4200000000, 10, 200, "any 200"],
    [4200000000, 3, 300, "anything"],
    [4200000000, 4294967295, 4294967295, "anything"],
    [64500, 1, 2, undefined],
  ];
  for (const [global, local1, local2, name] of table) {
    assert.equal(
      dictionary.lookupLarge(global, local1, local2),
      name,
      `${global}:${local1}:${local2}`,
    );
  }
  // Overlapping L1 ranges are tried narrowest first until one has a matching L2.
  const nested = CommunityDictionary.parse({
    "large:64500": {
      "1-9:5": "narrow",
      "0-99:6": "middle",
      "0-999:7": "wide",
      "0-999:6": "wide 6",
      "3x:5": "x",
    },
  }, "nested.json");
  const nestedTable: [number, number, string | undefined][] = [
    [3, 5, "narrow"],
    [3, 6, "middle"],
    [3, 7, "wide"],
    [50, 6, "middle"],
    [500, 6, "wide 6"],
    [35, 5, "x"],
    [35, 7, "wide"],
    [3, 8, undefined],
    [1000, 7, undefined],
  ];
  for (const [local1, local2, name] of nestedTable) {
    assert.equal(nested.lookupLarge(64500, local1, local2), name, `${local1}:${local2}`);
  }
  const infos = describeCommunities(
    { communities: [], largeCommunities: ["13335:1:2", "64500:1:2"], extendedCommunities: [] },
    dictionary,
  );
  assert.deepEqual(infos, [
    {
      community: "13335:1:2",
      kind: "large",
      name: "Cloudflare: example",
      global: 13335,
      local1: 1,
      local2: 2,
    },
    { community: "64500:1:2", kind: "large", global: 64500, local1: 1, local2: 2 },
  ]);
});

Deno.test("extended communities: FRR, IOS and Junos spellings", () => {
  const table: [string, Omit<CommunityInfo, "community" | "kind">][] = [
    ["RT:65000:100", { type: "route-target", administrator: "65000", assigned: "100" }],
    ["rt:65000:100", { type: "route-target", administrator: "65000", assigned: "100" }],
    ["target:65000:100", { type: "route-target", administrator: "65000", assigned: "100" }],
    ["RT:192.0.2.1:100", { type: "route-target", administrator: "192.0.2.1", assigned: "100" }],
    ["target:192.0.2.1:7", { type: "route-target", administrator: "192.0.2.1", assigned: "7" }],
    ["RT:1.10:100", { type: "route-target", administrator: "1.10", assigned: "100" }],
    [
      "RT:4200000001:65535",
      { type: "route-target", administrator: "4200000001", assigned: "65535" },
    ],
    ["target:65000L:100", { type: "route-target", administrator: "65000", assigned: "100" }],
    ["RT:65000:4294967295", {
      type: "route-target",
      administrator: "65000",
      assigned: "4294967295",
    }],
    ["SoO:0:0", { type: "route-origin", administrator: "0", assigned: "0" }],
    ["SoO:65000:1", { type: "route-origin", administrator: "65000", assigned: "1" }],
    ["origin:65000:1", { type: "route-origin", administrator: "65000", assigned: "1" }],
    ["origin:10.0.0.1:3", { type: "route-origin", administrator: "10.0.0.1", assigned: "3" }],
    // Other types: the word and everything after it.
    ["bandwidth:65000:1000", { type: "bandwidth", assigned: "65000:1000" }],
    ["LB:65001:1250000", { type: "LB", assigned: "65001:1250000" }],
    ["ET:8", { type: "ET", assigned: "8" }],
    ["RMAC:00:11:22:33:44:55", { type: "RMAC", assigned: "00:11:22:33:44:55" }],
    ["domain-id:192.0.2.1:0", { type: "domain-id", assigned: "192.0.2.1:0" }],
    ["color:0:100", { type: "color", assigned: "0:100" }],
    // Route targets that do not fit six octets keep their type only.
    ["RT:192.0.2.1:65536", { type: "route-target" }],
    ["RT:4200000001:65536", { type: "route-target" }],
    ["target:65000L:65536", { type: "route-target" }],
    ["RT:1.10:65536", { type: "route-target" }],
    ["RT:300.0.0.1:1", { type: "route-target" }],
    ["RT:4294967296:1", { type: "route-target" }],
    ["RT:65000", { type: "route-target" }],
    ["target:a:b", { type: "route-target" }],
    // Anything else: kind only.
    ["(10.000", {}],
    ["Mbps)", {}],
    ["0x0002:1:2", {}],
    ["RT:", {}],
    ["", {}],
  ];
  for (const [community, parts] of table) {
    const infos = describeCommunities({
      communities: [],
      largeCommunities: [],
      extendedCommunities: [community],
    });
    assert.deepEqual(infos, [{ community, kind: "extended", ...parts }], community);
  }
});

Deno.test("unknown shapes are kept, in order, and never throw", () => {
  const dictionary = CommunityDictionary.parse(LUMEN, "dict.json");
  const infos = describeCommunities({
    communities: ["foo", "3356:70000", "", "3356:3", "3356:3"],
    largeCommunities: ["1:2", "4294967296:1:1", "1:2:3:4", "x:y:z", "0:0:0"],
    extendedCommunities: ["what?"],
  }, dictionary);
  assert.deepEqual(infos, [
    { community: "foo", kind: "standard" },
    { community: "3356:70000", kind: "standard" },
    { community: "", kind: "standard" },
    {
      community: "3356:3",
      kind: "standard",
      name: "Lumen: learned in North America",
      asn: 3356,
      value: 3,
    },
    {
      community: "3356:3",
      kind: "standard",
      name: "Lumen: learned in North America",
      asn: 3356,
      value: 3,
    },
    { community: "1:2", kind: "large" },
    { community: "4294967296:1:1", kind: "large" },
    { community: "1:2:3:4", kind: "large" },
    { community: "x:y:z", kind: "large" },
    { community: "0:0:0", kind: "large", global: 0, local1: 0, local2: 0 },
    { community: "what?", kind: "extended" },
  ]);
  assert.deepEqual(
    describeCommunities({ communities: [], largeCommunities: [], extendedCommunities: [] }),
    [],
  );
});

Deno.test("invalid dictionaries name the file and the entry", () => {
  const long = "n".repeat(201);
  const table: [unknown, string[], string][] = [
    // Wrong types.
    [[], [], "the top level must be an object mapping ASNs to patterns, not an array"],
    [null, [], "the top level must be an object mapping ASNs to patterns, not null"],
    ["3356", [], "the top level must be an object mapping ASNs to patterns, not a string"],
    [{ "3356": "Lumen" }, ["3356"], "must be an object mapping patterns to names, not a string"],
    [{ "3356": ["a"] }, ["3356"], "must be an object mapping patterns to names, not an array"],
    [{ "3356": null }, ["3356"], "must be an object mapping patterns to names, not null"],
    [{ "3356": { "3": 3 } }, ["3356", "3"], "name must be a string, not a number"],
    [{ "3356": { "3": { a: 1 } } }, ["3356", "3"], "name must be a string, not an object"],
    [{ "3356": { "3": true } }, ["3356", "3"], "name must be a string, not a boolean"],
    // Bad ASNs.
    [{ "65536": {} }, ["65536"], "a key must be an ASN from 0 to 65535"],
    [{ "-1": {} }, ["-1"], "a key must be an ASN from 0 to 65535"],
    [{ "03356": {} }, ["03356"], "without leading zeros"],
    [{ "AS3356": {} }, ["AS3356"], "a key must be an ASN from 0 to 65535"],
    [{ "": {} }, [""], "a key must be an ASN from 0 to 65535"],
    [JSON.parse('{ "__proto__": {} }'), ["__proto__"], "a key must be an ASN from 0 to 65535"],
    [{ "large:4294967296": {} }, ["large:4294967296"], "large: and an ASN from 0 to 4294967295"],
    [{ "large:": {} }, ["large:"], "large: and an ASN from 0 to 4294967295"],
    // Bad patterns.
    [{ "3356": { "65536": "x" } }, ["3356", "65536"], "number 65536 is above 65535"],
    [{ "3356": { "03": "x" } }, ["3356", "03"], "number 03 has a leading zero"],
    [
      { "3356": { "599-500": "x" } },
      ["3356", "599-500"],
      "range start 599 is greater than its end 500",
    ],
    [{ "3356": { "1-70000": "x" } }, ["3356", "1-70000"], "number 70000 is above 65535"],
    [{ "3356": { "7xxxx": "x" } }, ["3356", "7xxxx"], "pattern 7xxxx matches no value up to"],
    [{ "3356": { "xxxxxx": "x" } }, ["3356", "xxxxxx"], "has more digits than 65535"],
    [{ "3356": { "0x": "x" } }, ["3356", "0x"], "starts with 0 and so matches no value"],
    [{ "3356": { "2XX": "x" } }, ["3356", "2XX"], "is not a number, a range N-M"],
    [{ "3356": { " 3": "x" } }, ["3356", " 3"], "is not a number, a range N-M"],
    [{ "3356": { "1-": "x" } }, ["3356", "1-"], "is not a number, a range N-M"],
    [{ "3356": { "**": "x" } }, ["3356", "**"], "is not a number, a range N-M"],
    [{ "large:1": { "1": "x" } }, ["large:1", "1"], "must be two patterns L1:L2"],
    [{ "large:1": { "1:2:3": "x" } }, ["large:1", "1:2:3"], "must be two patterns L1:L2"],
    [
      { "large:1": { "4294967296:1": "x" } },
      ["large:1", "4294967296:1"],
      "L1: number 4294967296 is above 4294967295",
    ],
    [{ "large:1": { "1:9-8": "x" } }, ["large:1", "1:9-8"], "L2: range start 9 is greater"],
    // Bad names.
    [{ "3356": { "3": "" } }, ["3356", "3"], "name is empty"],
    [{ "3356": { "3": "   " } }, ["3356", "3"], "name is empty"],
    [{ "3356": { "3": long } }, ["3356", "3"], "name is 201 characters long, more than 200"],
    [{ "3356": { "3": "a\nb" } }, ["3356", "3"], "name contains a control character"],
    [{ "large:1": { "1:2": "" } }, ["large:1", "1:2"], "name is empty"],
  ];
  for (const [json, entry, problem] of table) {
    const error = refused(json, "/etc/bgp/communities.json");
    const label = JSON.stringify(json).slice(0, 80);
    assert.equal(error.name, "CommunityDictionaryError");
    assert.equal(error.source, "/etc/bgp/communities.json");
    assert.deepEqual(error.entry, entry, label);
    const where = entry.length === 0
      ? ""
      : `, entry ${entry.map((key) => `[${JSON.stringify(key)}]`).join("")}`;
    assert.ok(
      error.message.startsWith(`Community dictionary /etc/bgp/communities.json${where}: `),
      `${label}: ${error.message}`,
    );
    assert.ok(error.message.includes(problem), `${label}: ${error.message}`);
    assert.ok(!error.message.endsWith("."), error.message);
  }
  assert.equal(
    refused({ "3356": { "500-499": "Lumen" } }).message,
    'Community dictionary dict.json, entry ["3356"]["500-499"]: ' +
      "range start 500 is greater than its end 499",
  );
});

Deno.test("a huge key is shortened in the message", () => {
  const key = "9".repeat(500);
  const error = refused({ [key]: {} });
  assert.equal(error.entry[0], key);
  assert.ok(error.message.length < 250, error.message);
  assert.ok(error.message.includes(`["${"9".repeat(40)}…"]`), error.message);
  const pattern = refused({ "1": { [key]: "n" } });
  assert.deepEqual(pattern.entry, ["1", key]);
  assert.ok(pattern.message.length < 250, pattern.message);
});

Deno.test("a dictionary with more than 10,000 patterns is refused", () => {
  const patterns = (from: number, count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [String(from + i), "n"]));
  assert.equal(
    CommunityDictionary.parse({ "1": patterns(0, 5000), "2": patterns(0, 5000) }, "d.json").size,
    10_000,
  );
  const error = refused({ "1": patterns(0, 5000), "2": patterns(0, 5000), "3": patterns(0, 1) });
  assert.deepEqual(error.entry, ["3"]);
  assert.match(error.message, /more than 10000 patterns/);
  const keys = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`large:${i}`, {}]));
  assert.match(refused(keys).message, /^Community dictionary dict\.json: the dictionary has 10001/);
});

Deno.test("loadCommunityDictionary reads a file and names it in errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "community_names_test_" });
  try {
    const good = `${dir}/communities.json`;
    await Deno.writeTextFile(good, `\uFEFF${JSON.stringify(LUMEN, null, 2)}\n`);
    const dictionary = await loadCommunityDictionary(good);
    assert.equal(dictionary.size, 8);
    assert.equal(dictionary.lookupStandard(3356, 250), "Lumen: learned in region 2xx");
    assert.equal(dictionary.lookupLarge(13335, 1, 99), "Cloudflare: example");

    const broken = `${dir}/broken.json`;
    await Deno.writeTextFile(broken, '{ "3356": { "3": "Lumen", } }');
    await assert.rejects(loadCommunityDictionary(broken), (error: unknown) => {
      assert.ok(error instanceof CommunityDictionaryError);
      assert.equal(error.source, broken);
      assert.deepEqual(error.entry, []);
      assert.ok(error.message.startsWith(`Community dictionary ${broken}: not valid JSON: `));
      return true;
    });

    const invalid = `${dir}/invalid.json`;
    await Deno.writeTextFile(invalid, '{ "3356": { "2xx": "" } }');
    await assert.rejects(loadCommunityDictionary(invalid), {
      name: "CommunityDictionaryError",
      message: `Community dictionary ${invalid}, entry ["3356"]["2xx"]: name is empty`,
    });

    await assert.rejects(loadCommunityDictionary(dir), {
      name: "CommunityDictionaryError",
      message: `Community dictionary ${dir}: not a regular file`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadCommunityDictionary on a missing file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "community_names_test_" });
  try {
    const missing = `${dir}/missing.json`;
    await assert.rejects(loadCommunityDictionary(missing), (error: unknown) => {
      assert.ok(error instanceof CommunityDictionaryError);
      assert.equal(error.source, missing);
      assert.equal(error.message, `Community dictionary ${missing}: file not found`);
      assert.ok(error.cause instanceof Deno.errors.NotFound);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
