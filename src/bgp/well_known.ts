/**
 * The well-known BGP communities: one table, from the IANA "BGP Well-known
 * Communities" registry (RFC 1997, 3765, 7611, 7999, 8326, 8642, 9026, 9494
 * and drafts), with the registry's spelling, plus `0:0`, which FRR prints as
 * `internet`. Both directions are read from it: a community's name for
 * people ({@linkcode WELL_KNOWN_COMMUNITY_NAMES}), and the number behind a
 * name a router prints or a user types ({@linkcode wellKnownCommunity}).
 *
 * @module
 */

/** One well-known community. */
export interface WellKnownCommunity {
  /** `ASN:VALUE`. */
  community: string;
  /** The registry's name for it. */
  name: string;
  /** Other names routers print or users type for it (`gshut`, `local-AS`). */
  aliases?: readonly string[];
}

/** Every well-known community, in registry order. */
export const WELL_KNOWN_COMMUNITIES: readonly WellKnownCommunity[] = [
  { community: "0:0", name: "internet" },
  { community: "65535:0", name: "GRACEFUL_SHUTDOWN", aliases: ["gshut", "planned-shut"] },
  { community: "65535:1", name: "ACCEPT_OWN" },
  { community: "65535:2", name: "ROUTE_FILTER_TRANSLATED_v4" },
  { community: "65535:3", name: "ROUTE_FILTER_v4" },
  { community: "65535:4", name: "ROUTE_FILTER_TRANSLATED_v6" },
  { community: "65535:5", name: "ROUTE_FILTER_v6" },
  { community: "65535:6", name: "LLGR_STALE" },
  { community: "65535:7", name: "NO_LLGR" },
  { community: "65535:8", name: "accept-own-nexthop" },
  { community: "65535:9", name: "Standby PE" },
  { community: "65535:666", name: "BLACKHOLE" },
  { community: "65535:65281", name: "NO_EXPORT" },
  { community: "65535:65282", name: "NO_ADVERTISE" },
  { community: "65535:65283", name: "NO_EXPORT_SUBCONFED", aliases: ["local-AS"] },
  { community: "65535:65284", name: "NOPEER" },
];

/** Well-known standard communities by `ASN:VALUE`, with the registry's spelling. */
export const WELL_KNOWN_COMMUNITY_NAMES: ReadonlyMap<string, string> = new Map(
  WELL_KNOWN_COMMUNITIES.map(({ community, name }) => [community, name]),
);

/** A name as it is looked up: lower case, without spaces, dashes or underscores. */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[-_ ]/g, "");
}

const BY_NAME: ReadonlyMap<string, string> = new Map(
  WELL_KNOWN_COMMUNITIES.flatMap(({ community, name, aliases = [] }) =>
    [name, ...aliases].map((spelling) => [nameKey(spelling), community] as const)
  ),
);

/**
 * The `ASN:VALUE` of a well-known community given by name, however it is
 * spelled (`no-export`, `NO_EXPORT`, `noexport`); `null` for any other text.
 */
export function wellKnownCommunity(name: string): string | null {
  return BY_NAME.get(name.toLowerCase().replace(/[-_]/g, "")) ?? null;
}
