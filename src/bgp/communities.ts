/**
 * Names for BGP communities, so a network engineer can read a path's
 * communities without a browser open on every operator's community page.
 *
 * Standard communities are named from the IANA "BGP Well-known Communities"
 * registry first, then from an optional per-ASN dictionary file, and finally
 * any other value in the well-known block `65535:*` is called
 * `reserved (RFC 8642)`. Large communities are named from the dictionary only.
 * Extended communities are split into type, administrator and assigned number;
 * they are never named.
 *
 * Nothing here throws on a community it cannot read: unknown shapes are kept
 * as given, with only `community` and `kind` set (a route target or origin
 * whose numbers do not fit keeps its `type` too).
 *
 * @module
 */

import type { CommunityDictionary } from "./community_dictionary.ts";
import type { BgpPath } from "./types.ts";
import { normalizeCommunity, parseAsn } from "./values.ts";
import { WELL_KNOWN_COMMUNITY_NAMES } from "./well_known.ts";

/** A community with what is known about it. Only the fields that apply are present. */
export interface CommunityInfo {
  /** The community exactly as given. */
  community: string;
  /** Which attribute it came from. */
  kind: "standard" | "large" | "extended";
  /** Well-known name (`NO_EXPORT`) or the dictionary's name for it. */
  name?: string;
  /** Standard: the first half (the ASN). */
  asn?: number;
  /** Standard: the second half (the operator's value). */
  value?: number;
  /** Large: the global administrator (an ASN). */
  global?: number;
  /** Large: the first local data part. */
  local1?: number;
  /** Large: the second local data part. */
  local2?: number;
  /** Extended: `route-target`, `route-origin`, or the word the router printed (`bandwidth`, `LB`). */
  type?: string;
  /** Extended route target or origin: the administrator, an ASN (`65000`), asdot (`1.10`) or IPv4. */
  administrator?: string;
  /** Extended: the assigned number, or for other types everything after the type word. */
  assigned?: string;
}

/**
 * Name of a `65535:x` community with no registered name and no dictionary
 * entry: the IANA registry (RFC 1997, RFC 8642) keeps the whole block for
 * communities of global significance, so it is not an operator's value.
 */
const RESERVED_NAME = "reserved (RFC 8642)";

/** The ASN whose values are all reserved for well-known communities. */
const WELL_KNOWN_ASN = 65535;

const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffffffff;

/** Extended community type words routers print, by lower-case spelling. */
const EXTENDED_TYPES: ReadonlyMap<string, string> = new Map([
  ["rt", "route-target"], // FRR, IOS
  ["target", "route-target"], // Junos
  ["route-target", "route-target"],
  ["soo", "route-origin"], // FRR, IOS
  ["origin", "route-origin"], // Junos
  ["route-origin", "route-origin"],
  ["site-of-origin", "route-origin"],
]);

/** Administrator and assigned number of a route target or origin (`65000:100`, `65000L:100`,
 * `1.10:100`, `192.0.2.1:100`); `null` if they do not fit an RFC 4360 / 5668 community. */
function splitAdministrator(rest: string): { administrator: string; assigned: string } | null {
  const parts = /^([^:]+):(\d{1,10})$/.exec(rest);
  if (!parts) return null;
  let administrator: string;
  let fourOctets: boolean;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(parts[1]);
  const as = /^(\d{1,10}|\d{1,5}\.\d{1,5})(L?)$/.exec(parts[1]); // Junos marks 4-octet ASNs with L.
  if (ipv4) {
    const octets = ipv4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return null;
    administrator = octets.join(".");
    fourOctets = true; // the IPv4 address takes four octets of six
  } else if (as && parseAsn(as[1]) !== null) {
    const asn = parseAsn(as[1]) as number;
    const asdot = as[1].includes(".");
    administrator = asdot ? as[1] : String(asn);
    fourOctets = asdot || as[2] === "L" || asn > MAX_UINT16;
  } else return null;
  const assigned = Number(parts[2]);
  if (assigned > (fourOctets ? MAX_UINT16 : MAX_UINT32)) return null;
  return { administrator, assigned: String(assigned) };
}

/** Describes one extended community. */
function describeExtended(community: string): CommunityInfo {
  const info: CommunityInfo = { community, kind: "extended" };
  const word = /^([A-Za-z][A-Za-z0-9_.-]*):(.+)$/s.exec(community);
  if (!word) return info;
  const type = EXTENDED_TYPES.get(word[1].toLowerCase());
  if (type === undefined) return { ...info, type: word[1], assigned: word[2] };
  // A route target or origin we cannot split keeps its type and no parts.
  return { ...info, type, ...splitAdministrator(word[2]) };
}

/** Describes one standard community. */
function describeStandard(
  community: string,
  dictionary: CommunityDictionary | undefined,
): CommunityInfo {
  const normalized = normalizeCommunity(community);
  if (normalized === null) return { community, kind: "standard" };
  const [asn, value] = normalized.split(":").map(Number);
  const name = WELL_KNOWN_COMMUNITY_NAMES.get(normalized) ??
    dictionary?.lookupStandard(asn, value) ??
    (asn === WELL_KNOWN_ASN ? RESERVED_NAME : undefined);
  return name === undefined
    ? { community, kind: "standard", asn, value }
    : { community, kind: "standard", name, asn, value };
}

/** Describes one large community. */
function describeLarge(
  community: string,
  dictionary: CommunityDictionary | undefined,
): CommunityInfo {
  const parts = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(community);
  const numbers = parts?.slice(1).map(Number);
  if (!numbers || numbers.some((n) => n > MAX_UINT32)) return { community, kind: "large" };
  const [global, local1, local2] = numbers;
  const name = dictionary?.lookupLarge(global, local1, local2);
  return name === undefined
    ? { community, kind: "large", global, local1, local2 }
    : { community, kind: "large", name, global, local1, local2 };
}

/**
 * Describes a path's communities: standard ones, then large, then extended,
 * each in the order given, duplicates kept. Never throws; a community that
 * cannot be read keeps only `community` and `kind`.
 *
 * Standard names come from {@link WELL_KNOWN_COMMUNITY_NAMES}, then the
 * dictionary, then `reserved (RFC 8642)` for any other `65535:x`. A standard
 * community still spelled as a name (`no-export`) or as an IOS 32-bit number
 * is read too, and `community` keeps that spelling.
 *
 * @example Usage
 * ```ts
 * import { describeCommunities } from "./communities.ts";
 *
 * const [info] = describeCommunities({
 *   communities: ["65535:666"],
 *   largeCommunities: [],
 *   extendedCommunities: [],
 * });
 * // info.name === "BLACKHOLE"
 * ```
 */
export function describeCommunities(
  path: {
    readonly communities: readonly string[];
    readonly largeCommunities: readonly string[];
    readonly extendedCommunities: readonly string[];
  },
  dictionary?: CommunityDictionary,
): CommunityInfo[] {
  return [
    ...path.communities.map((community) => describeStandard(community, dictionary)),
    ...path.largeCommunities.map((community) => describeLarge(community, dictionary)),
    ...path.extendedCommunities.map(describeExtended),
  ];
}

/** The path with its communities described (names, parts), when it has any. */
export function withCommunityDetails<P extends BgpPath>(
  path: P,
  dictionary?: CommunityDictionary,
): P {
  const details = describeCommunities(path, dictionary);
  return details.length > 0 ? { ...path, communityDetails: details } : path;
}
