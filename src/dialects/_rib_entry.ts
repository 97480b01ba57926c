/**
 * Cisco IOS `show ipv6 route <address>`: the longest match IOS does give for
 * an IPv6 address (its `show bgp ipv6 unicast` wants a prefix and answers a
 * bare address with `% Incomplete command.`):
 *
 * ```
 * Routing entry for 2001:DB8:5000::/38
 *   Known via "bgp 6447", distance 20, metric 0, type external
 * ```
 *
 * Internal: the IOS dialect reads the prefix, then asks BGP for it.
 *
 * @module
 */

import { ParseError } from "../errors.ts";
import { quoted, typedPrefix } from "./_typed.ts";

const ENTRY = /^\s*Routing entry for (\S+)/;
const NOT_FOUND = /^\s*% ?(?:Route not found|Network not in table)/i;

/**
 * The prefix of the routing entry (canonical, lower case), or `null` when the
 * router has no route for the address.
 *
 * @throws {ParseError} when the text is neither
 */
export function parseRibEntryPrefix(text: string): string | null {
  for (const line of text.replaceAll("\r", "").split("\n")) {
    if (NOT_FOUND.test(line)) return null;
    const entry = line.includes("Routing entry for") ? ENTRY.exec(line) : null;
    if (!entry) continue;
    const prefix = typedPrefix(entry[1]);
    if (!prefix) {
      throw new ParseError("cisco-ios", `The routing entry ${quoted(entry[1])} is not a prefix`);
    }
    return prefix.text;
  }
  const first = text.trim().split("\n")[0] ?? "";
  throw new ParseError("cisco-ios", `Expected a routing entry, got: ${quoted(first, 120)}`);
}
