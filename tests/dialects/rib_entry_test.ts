/** IOS `show ipv6 route <address>`: the prefix of the longest match. */

import assert from "node:assert/strict";
import { ParseError } from "../../src/errors.ts";
import { parseRibEntryPrefix } from "../../src/dialects/_rib_entry.ts";
import { fixture } from "../harness/fixtures.ts";

Deno.test("the routing entry's prefix, canonical (IOS prints upper-case hex)", () => {
  assert.equal(
    parseRibEntryPrefix(fixture("ios-composed/show_ipv6_route_address.txt")),
    "2001:db8:5000::/38",
  );
  assert.equal(parseRibEntryPrefix('Routing entry for ::/0\n  Known via "bgp 6447"'), "::/0");
});

Deno.test("no route is null; anything else is a parse error naming the first line", () => {
  assert.equal(parseRibEntryPrefix("% Route not found\n"), null);
  assert.equal(parseRibEntryPrefix("%Network not in table\n"), null);
  assert.throws(
    () => parseRibEntryPrefix("% Invalid input detected at '^' marker.\n"),
    (e: unknown) => e instanceof ParseError && /Expected a routing entry, got/.test(e.message),
  );
  assert.throws(
    () => parseRibEntryPrefix("Routing entry for 2001:DB8::1/129\n"),
    (e: unknown) => e instanceof ParseError && /is not a prefix/.test(e.message),
  );
});
