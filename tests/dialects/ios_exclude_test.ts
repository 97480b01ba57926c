/**
 * The IOS output filter `| exclude pathid:|Epoch` (as hyperglass sends it)
 * removes only lines the parser does not read: every IOS detail answer parses
 * to exactly the same result with and without the lines it drops, and no
 * single dropped line changes the result either.
 */

import assert from "node:assert/strict";
import { IOS_DETAIL_FILTER, parseIosRoute } from "../../src/dialects/cisco_ios.ts";
import { fixture } from "../harness/fixtures.ts";

/** What IOS removes for the dialect's `| exclude REGEXP`: the lines the regexp matches. */
const EXCLUDED = new RegExp(/^ \| exclude (.+)$/.exec(IOS_DETAIL_FILTER)![1]);

Deno.test("IOS detail commands carry the filter", () => {
  assert.equal(IOS_DETAIL_FILTER, " | exclude pathid:|Epoch");
  assert.equal(EXCLUDED.source, "pathid:|Epoch");
});

const ANSWERS = [
  "cisco-ios/show_bgp_prefix_detail_ipv4_rr.txt",
  "ios-composed/show_ip_bgp_prefix_large_community.txt",
  "ios-composed/show_bgp_ipv6_unicast_prefix.txt",
];

for (const file of ANSWERS) {
  Deno.test(`| exclude pathid:|Epoch loses nothing parsed: ${file}`, () => {
    const text = fixture(file);
    const lines = text.split("\n");
    const dropped = lines.filter((line) => EXCLUDED.test(line));
    assert.ok(dropped.length >= 2, "the answer has lines the filter drops");
    const full = parseIosRoute(text);
    assert.equal(full.found, true);
    assert.deepEqual(parseIosRoute(lines.filter((l) => !EXCLUDED.test(l)).join("\n")), full);
    lines.forEach((line, i) => {
      if (!EXCLUDED.test(line)) return;
      assert.deepEqual(parseIosRoute(lines.toSpliced(i, 1).join("\n")), full, line);
    });
    // And it saves bytes: the share of the answer the filter removes.
    const saved = dropped.reduce((n, l) => n + l.length + 2, 0) / (text.length + lines.length);
    assert.ok(saved > 0.1, `${(saved * 100).toFixed(0)} % of the answer`);
  });
}
