/**
 * Attributes IOS-XE prints undecoded (`unknown transitive attribute: …` and hex
 * `value` lines): read whole, large communities decoded per RFC 8092.
 */

import assert from "node:assert/strict";
import {
  decodeLargeCommunities,
  UnknownAttributeReader,
} from "../../src/dialects/_unknown_attributes.ts";

function read(lines: string[]): { attributes: unknown[]; rest: string[] } {
  const reader = new UnknownAttributeReader();
  const rest = lines.filter((line) => !reader.take(line.trim()));
  return { attributes: reader.finish(), rest };
}

Deno.test("large communities: 12-byte triples of 32-bit numbers", () => {
  assert.deepEqual(
    decodeLargeCommunities("0000205b000000000000000100002" + "05b0000000500000001"),
    ["8283:0:1", "8283:5:1"],
  );
  assert.deepEqual(decodeLargeCommunities("FFFFFFFF" + "00000000" + "fa56ea00"), [
    "4294967295:0:4200000000",
  ]);
  // Not a whole number of triples, not hex, empty: not large communities.
  assert.equal(decodeLargeCommunities("0000205b00000000000000"), null);
  assert.equal(decodeLargeCommunities("zz00205b0000000000000001"), null);
  assert.equal(decodeLargeCommunities(""), null);
});

Deno.test("an unknown attribute with its value lines, as route-views main prints it", () => {
  const { attributes, rest } = read([
    "      Community: 8283:1 8283:101",
    "      unknown transitive attribute: flag 0xE0 type 0x20 length 0x18",
    "        value 0000 205B 0000 0000 0000 0001 0000 205B",
    "              0000 0005 0000 0001",
    "      path 7FE03C1D9A08 RPKI State valid",
  ]);
  assert.deepEqual(attributes, [{
    type: 0x20,
    flags: 0xe0,
    hex: "0000205b000000000000000100002" + "05b0000000500000001",
  }]);
  assert.deepEqual(rest.map((l) => l.trim()), [
    "Community: 8283:1 8283:101",
    "path 7FE03C1D9A08 RPKI State valid",
  ]);
});

Deno.test("several attributes, an odd length, and hex after a full value is not taken", () => {
  const { attributes, rest } = read([
    "unknown transitive attribute: flag 0xC0 type 0x23 length 0x4",
    "value 0000 FBF5",
    "unknown transitive attribute: flag 0xC0 type 0xF1 length 0x5",
    "value 0102 0304 05",
    "0000 0001",
  ]);
  assert.deepEqual(attributes, [
    { type: 0x23, flags: 0xc0, hex: "0000fbf5" },
    { type: 0xf1, flags: 0xc0, hex: "0102030405" },
  ]);
  assert.deepEqual(rest, ["0000 0001"]);
});

Deno.test("a header without value lines, or a value cut short, keeps what was printed", () => {
  assert.deepEqual(
    read(["unknown transitive attribute: flag 0xC0 type 0x99 length 0x2", "Origin IGP"]),
    { attributes: [{ type: 0x99, flags: 0xc0, hex: "" }], rest: ["Origin IGP"] },
  );
  assert.deepEqual(
    read([
      "unknown transitive attribute: flag 0xE0 type 0x20 length 0x18",
      "value 0000 205B 0000 0000",
    ]).attributes,
    [{ type: 0x20, flags: 0xe0, hex: "0000205b00000000" }],
  );
  // A longer value than announced is cut to the announced length.
  assert.deepEqual(
    read(["unknown transitive attribute: flag 0xC0 type 0x23 length 0x2", "value 0000 FBF5"])
      .attributes,
    [{ type: 0x23, flags: 0xc0, hex: "0000" }],
  );
});

Deno.test("lines that only look alike are not attributes", () => {
  const lines = [
    "unknown attribute flag 0xC0",
    "value 0000 FBF5",
    "0000 0001",
    "Unknown transitive attribute: flag 0xZZ type 0x20 length 0x4",
  ];
  assert.deepEqual(read(lines), { attributes: [], rest: lines });
});
