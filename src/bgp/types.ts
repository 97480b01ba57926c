/**
 * The data model shared by parsers, tools and the CLI. Every field is what a
 * network engineer reads off a router; tool results carry exactly these shapes.
 *
 * @module
 */

import type { CommunityInfo } from "./communities.ts";

/** BGP ORIGIN attribute. */
export type Origin = "IGP" | "EGP" | "incomplete";

/** RPKI route origin validation state, where the server reports one. */
export type RpkiState = "valid" | "invalid" | "not-found";

/** A path attribute the server printed undecoded: its type, flags and value. */
export interface UnknownAttribute {
  /** The attribute type code (32 = LARGE_COMMUNITY). */
  type: number;
  /** The attribute flags byte (0xC0 optional transitive, 0xE0 with the partial bit). */
  flags: number;
  /** Its value, lower-case hex, two digits a byte (as much as the server printed). */
  hex: string;
}

/** The peer a path was learned from. */
export interface PathPeer {
  /** The BGP neighbour's address. */
  address: string;
  /** Its BGP router ID, when shown. */
  routerId?: string;
}

/** One BGP path for a prefix, as the route server holds it. */
export interface BgpPath {
  /** The server's best path. */
  best: boolean;
  /** Marked valid by the server. */
  valid: boolean;
  /** ASNs of the AS_SEQUENCE segments, nearest first (sets and confederation segments left out). */
  asPath: number[];
  /** The AS path exactly as the server printed it, sets and confederations included. */
  asPathText: string;
  /** Originating AS: the last ASN of the path, `null` when local or ending in a multi-member AS_SET. */
  originAs: number | null;
  /** ORIGIN attribute. */
  origin: Origin;
  /** BGP next hop. */
  nextHop: string;
  /** Where the path came from. */
  peer: PathPeer;
  /** MULTI_EXIT_DISC, when present. */
  med?: number;
  /** LOCAL_PREF, when shown. */
  localPref?: number;
  /** Standard communities as `ASN:VALUE` (well-known names converted to numbers). */
  communities: string[];
  /** Large communities as `GA:LD1:LD2`. */
  largeCommunities: string[];
  /** Extended communities as the server prints them (`RT:65000:100`, `SoO:0:0`). */
  extendedCommunities: string[];
  /** RPKI state, when the server validates. */
  rpki?: RpkiState;
  /**
   * Attributes the server printed undecoded (type, flags, value in hex), except the large
   * communities decoded from them into `largeCommunities`.
   */
  unknownAttributes?: UnknownAttribute[];
  /**
   * When the path was last updated, ISO 8601: in UTC (`…Z`) when the server gave an epoch, else
   * the server's local time without an offset (`2026-12-01T21:33:46`); absent when not a date.
   */
  lastUpdate?: string;
  /** Every community with its parts and name (well-known, or from the user's dictionary). */
  communityDetails?: CommunityInfo[];
  /**
   * The name of each AS of `asPath`, in the same order, from the offline
   * dataset (IANA's for special-purpose numbers); `null` where none is known.
   * Absent when names are turned off or could not be loaded.
   */
  asPathNames?: (string | null)[];
}

/** What a route-detail parser extracts from one answer. */
export interface ParsedRoute {
  /** Whether the server has a route for the destination. */
  found: boolean;
  /** The prefix the server matched (`8.8.8.0/24`), `null` when not found. */
  prefix: string | null;
  /** Paths in the order the server listed them. */
  paths: BgpPath[];
  /** Paths the server has: `paths.length` (an answer whose own count differs is refused). */
  totalPaths: number;
  /** Lines of the answer the parser could not read and left out (the rest is complete). */
  warnings?: string[];
}

/**
 * How a destination is matched: `longest` (the most specific route covering an
 * address), `exact` (that prefix only), `orlonger` (that prefix and every more
 * specific one).
 */
export type MatchMode = "longest" | "exact" | "orlonger";

/** One prefix with its paths (an `orlonger` answer holds several). */
export interface RouteEntry {
  /** The prefix. */
  prefix: string;
  /** Its paths as the server listed them. */
  paths: BgpPath[];
  /** Paths the server reports having. */
  totalPaths: number;
  /** Lines the parser could not read and left out (on the first entry of an answer). */
  warnings?: string[];
}

/** One BGP neighbour in a summary. */
export interface BgpNeighbor {
  /** Neighbour address. */
  address: string;
  /** Neighbour AS. */
  asn: number;
  /** `Established`, or the state shown (`Active`, `Idle (Admin)`, …); an FRR session that is up
   * but has no import policy (`(Policy)`) or did not negotiate the family (`NoNeg`) says so. */
  state: string;
  /** Whether the session is up. */
  established: boolean;
  /** Up/down time as the server prints it (`3w0d`, `00:20:06`, `never`). */
  uptime: string;
  /** Prefixes received, for established sessions that report a count; `null` otherwise. */
  prefixesReceived: number | null;
  /** The neighbour AS's name from the offline dataset (`null`: none known; absent: names off). */
  asName?: string | null;
}

/** What a summary parser extracts from one answer. */
export interface ParsedSummary {
  /** The server's BGP router ID (`null` when it lists no neighbour for the family). */
  routerId: string | null;
  /** The server's local AS (`null` when it lists no neighbour for the family). */
  localAs: number | null;
  /** Neighbours in the order the server listed them. */
  neighbors: BgpNeighbor[];
}

/** The outcome of a `ping` (IOS prints it as reply characters and a summary line). */
export interface PingResult {
  /** The address that was pinged. */
  target: string;
  /** Echo requests sent (the denominator of `Success rate is … (r/s)`). */
  sent: number;
  /** Echo replies received (the numerator of `Success rate is … (r/s)`). */
  received: number;
  /** Share of requests without a reply, in percent, rounded to one decimal place. */
  lossPercent: number;
  /** Round-trip times in milliseconds; absent when nothing answered. */
  rttMs?: { min: number; avg: number; max: number };
  /**
   * One character per request as IOS printed it, wrapped lines joined:
   * `!` reply, `.` timeout, `U` unreachable, and IOS's other codes.
   */
  replies: string;
}

/** One hop of a `traceroute`. */
export interface TraceHop {
  /** The hop number (TTL) as printed. */
  hop: number;
  /** Probes in the order printed, across the hop line and its continuation lines. */
  probes: {
    /** The address that answered this probe; absent for a timeout. */
    address?: string;
    /** The reverse-DNS name IOS printed before the address, if any. */
    name?: string;
    /** Round-trip time in milliseconds; absent for a timeout or a bare annotation. */
    rttMs?: number;
    /** Whether the probe timed out (`*`). */
    timeout: boolean;
    /** An error code printed for the probe, e.g. `!H`, `!N`, `!A`, `!U`, `!P`, `?`. */
    annotation?: string;
  }[];
  /** The origin AS from the first `[AS n]` printed for this hop, if any. */
  asn?: number;
  /** The name of `asn` from the offline dataset (`null`: none known; absent: no AS or names off). */
  asName?: string | null;
}

/** The outcome of a `traceroute`. */
export interface TracerouteResult {
  /** The address that was traced. */
  target: string;
  /** Hops in the order printed. */
  hops: TraceHop[];
  /** Whether the last hop was answered by the target address. */
  reached: boolean;
}
