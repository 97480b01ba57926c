/**
 * The tools' output schemas, one per result type of `bgp/results.ts`, every
 * field described for the model; and the shared input schema of a server
 * name. Each output schema is checked against its TypeScript type when the
 * project is type-checked (the `Same<…>` lines below): a field added,
 * dropped, renamed or retyped on one side and not the other does not compile.
 *
 * @module
 */

import { z } from "zod";
import type {
  AsInfoResult,
  CompareResult,
  IpOriginResult,
  PingAnswer,
  RouteLookupResult,
  ServerList,
  SummaryResult,
  TracerouteAnswer,
} from "../../bgp/results.ts";
import { type Config, enabledServers } from "../../config/schema.ts";
import { DIALECT_IDS } from "../../dialects/mod.ts";
import { successorMessage } from "../../service/select_server.ts";
import { NOTHING_SENT } from "../../errors.ts";
import { FINDING_KINDS } from "../../findings/types.ts";

/** The result type a zod object shape produces. */
export type Output<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/** `T` with every nested object and array spelled out, so two ways to write one type compare equal. */
type Normalize<T> = T extends readonly (infer U)[] ? Normalize<U>[]
  : T extends object ? { [K in keyof T]: Normalize<T[K]> }
  : T;

/** `true` when `A` and `B` are the same type, field by field, optional fields included. */
type Same<A, B> = (<T>() => T extends Normalize<A> ? 1 : 2) extends
  (<T>() => T extends Normalize<B> ? 1 : 2) ? true : false;

/** Compiles only for `true`. */
type Check<T extends true> = T;

const asn = () => z.number().int();
const family = () => z.enum(["ipv4", "ipv6"]);

/** An AS's name from the offline dataset: `null` when none is known, absent when names are off. */
const asName = (what = "The AS's name from the offline AS-names dataset") =>
  z.string().nullable().optional().describe(
    `${what} (IANA's name for a special-purpose number); null when none is known, absent ` +
      "when names are turned off",
  );

/** The dataset date of the names in an answer. */
const namesAsOf = () =>
  z.string().optional().describe(
    "Build date (YYYY-MM-DD) of the offline AS-names dataset the names come from: names are as " +
      "of then, not live; absent when the answer carries no names",
  );

/** What a host name given as the destination resolved to. */
const resolution = () =>
  z.object({
    host: z.string().describe("The host name as asked (ASCII form, lower case)"),
    addresses: z.array(z.string()).describe(
      "Every address it resolved to that is a valid destination, IPv4 first",
    ),
    refused: z.array(z.object({
      address: z.string().describe("An address the name resolved to"),
      reason: z.string().describe("Why it is not a valid destination"),
    })).describe("Addresses it resolved to that were refused, with the reasons"),
    asked: z.string().describe("The address the query was about"),
    elapsedMs: z.number().describe("How long resolving took, in milliseconds"),
  }).optional().describe(
    "When the destination was a host name: what the system resolver (DNS) resolved it to and " +
      "which address was asked",
  );

/** A special-purpose AS block from the IANA registries. */
const specialAsn = z.object({
  first: z.number().int().describe("First AS number of the block"),
  last: z.number().int().describe("Last AS number of the block (inclusive)"),
  kind: z.enum(["reserved", "as-trans", "documentation", "private-use", "last", "as112"])
    .describe("What IANA sets the block apart for"),
  name: z.string().describe("Its name (Private use, AS_TRANS, …)"),
  reference: z.string().describe("The defining document (RFC 6996), or IANA"),
  bogon: z.boolean().describe("Whether the number never belongs in a public AS path"),
}).optional().describe("The IANA special-purpose block holding the number, if any");

/** One BGP path (`BgpPath`). */
const pathShape = {
  best: z.boolean().describe("The server's best path (> in the text)"),
  valid: z.boolean().describe("Marked valid by the server"),
  asPath: z.array(asn()).describe(
    "ASNs of the AS_SEQUENCE segments, nearest first, origin last (sets and confederations left out)",
  ),
  asPathText: z.string().describe("The AS path exactly as the server printed it, sets included"),
  originAs: asn().nullable().describe(
    "Originating AS: the last ASN; null when local or ending in a multi-member AS_SET",
  ),
  origin: z.enum(["IGP", "EGP", "incomplete"]).describe("ORIGIN attribute"),
  nextHop: z.string().describe("BGP next hop"),
  peer: z.object({
    address: z.string().describe("The BGP neighbour's address"),
    routerId: z.string().optional().describe("Its BGP router ID, when shown"),
  }).describe("The peer the path was learned from"),
  med: z.number().int().optional().describe("MULTI_EXIT_DISC, when present"),
  localPref: z.number().int().optional().describe("LOCAL_PREF, when shown"),
  communities: z.array(z.string()).describe(
    "Standard communities as ASN:VALUE (well-known names converted to numbers)",
  ),
  largeCommunities: z.array(z.string()).describe("Large communities as GA:LD1:LD2"),
  extendedCommunities: z.array(z.string()).describe(
    "Extended communities as the server prints them (RT:65000:100, SoO:0:0)",
  ),
  rpki: z.enum(["valid", "invalid", "not-found"]).optional().describe(
    "RPKI origin validation state, when the server validates",
  ),
  unknownAttributes: z.array(z.object({
    type: z.number().int().describe("Attribute type code"),
    flags: z.number().int().describe("Attribute flags byte (0xC0 optional transitive)"),
    hex: z.string().describe("Its value in hex, as printed"),
  })).optional().describe(
    "Attributes the server printed undecoded (large communities are decoded into largeCommunities)",
  ),
  lastUpdate: z.string().optional().describe(
    "When the path was last updated, ISO 8601: UTC (…Z) from an epoch, else the server's local time",
  ),
  communityDetails: z.array(z.object({
    community: z.string().describe("The community exactly as given"),
    kind: z.enum(["standard", "large", "extended"]).describe("Which attribute it came from"),
    name: z.string().optional().describe(
      "Well-known name (NO_EXPORT) or the user's dictionary name for it",
    ),
    asn: z.number().int().optional().describe("Standard: the first half (the ASN)"),
    value: z.number().int().optional().describe("Standard: the second half (the operator's value)"),
    global: z.number().int().optional().describe("Large: the global administrator (an ASN)"),
    local1: z.number().int().optional().describe("Large: the first local data part"),
    local2: z.number().int().optional().describe("Large: the second local data part"),
    type: z.string().optional().describe(
      "Extended: route-target, route-origin, or the word the router printed",
    ),
    administrator: z.string().optional().describe(
      "Extended route target or origin: the administrator (ASN, asdot or IPv4)",
    ),
    assigned: z.string().optional().describe(
      "Extended: the assigned number, or for other types everything after the type word",
    ),
  })).optional().describe("Every community with its parts and name, when the path has any"),
  asPathNames: z.array(z.string().nullable()).optional().describe(
    "The name of each AS of asPath, in the same order, from the offline AS-names dataset " +
      "(IANA's for special-purpose numbers); null where none is known; absent when names are off",
  ),
};

const pathSchema = z.object(pathShape);

/** Evidence-backed findings. */
const findingsSchema = z.array(z.object({
  kind: z.enum(FINDING_KINDS).describe(
    "What it is about: moas, more-specific-other-origin (the hijack signature), " +
      "origin-differs-from-dataset, bogon-asn-in-path, possible-route-leak, visibility, " +
      "prepending, path-length-outlier, rpki-invalid / rpki-valid / rpki-not-found / " +
      "rpki-not-validated",
  ),
  severity: z.enum(["info", "warning", "critical"]).describe("How much it matters"),
  summary: z.string().describe("One or two plain-language sentences, with the numbers"),
  evidence: z.object({
    servers: z.array(z.string()).describe("Servers whose answers show it, in the order asked"),
    prefixes: z.array(z.string()).describe("Prefixes concerned"),
    paths: z.array(z.object({
      server: z.string().describe("Server whose table holds the path"),
      prefix: z.string().nullable().describe("Prefix the path is for; null when not said"),
      asPath: z.array(asn()).describe("The AS path, nearest first, prepends kept"),
      originAs: asn().nullable().describe("Originating AS; null for an AS_SET or a local route"),
      best: z.boolean().describe("Whether it is the server's best path"),
      rpki: z.enum(["valid", "invalid", "not-found"]).optional().describe(
        "RPKI state, when the server printed one",
      ),
    })).describe("Paths that show it: at most one per server for each origin or prefix"),
    asns: z.array(asn()).describe("ASes it is about (the second origin, the bogon ASN, …)"),
  }).describe("What triggered it: never empty"),
})).describe("Evidence-backed judgements, most severe first");

/** The AS graph with its Mermaid text. */
const graphSchema = z.object({
  title: z.string().describe("The destination and the number of vantage points"),
  vantagePoints: z.array(z.object({
    id: z.string().describe("Node id (v0, v1, …)"),
    server: z.string().describe("Route server (for route_lookup: the server via the peer)"),
    answer: z.enum(["route", "no-route", "failed"]).describe(
      "Whether it has a route, has none, or could not be asked",
    ),
    prefix: z.string().nullable().describe("The prefix its best path is for"),
  })).describe("Vantage points, in the order asked"),
  ases: z.array(z.object({
    id: z.string().describe("Node id (a15169, or s0 for an AS_SET)"),
    asn: asn().nullable().describe("The AS number; null for an AS_SET"),
    label: z.string().describe("AS15169, or the AS_SET as printed"),
    name: z.string().optional().describe("Its name from the offline dataset, when known"),
    origin: z.boolean().describe("Whether it originates a best path"),
    suspicious: z.boolean().describe(
      "Drawn in the warning colour: one of several origins, or flagged by a finding",
    ),
    prefixes: z.array(z.string()).describe("Prefixes it originates on the best paths"),
    paths: z.number().int().describe("Best paths through it"),
  })).describe("ASes, in the order first reached"),
  edges: z.array(z.object({
    from: z.string().describe("Node nearer the vantage point"),
    to: z.string().describe("Node nearer the origin"),
    weight: z.number().int().describe("Best paths that use it"),
  })).describe("Links, in the order first used"),
  maxWeight: z.number().int().describe("The largest edge weight (at least 1)"),
  mermaid: z.string().describe(
    "The graph as Mermaid flowchart text (the PNG image content shows the same)",
  ),
});

/** `route_lookup`'s structured content. */
export const ROUTE_LOOKUP_OUTPUT = {
  server: z.string().describe("Server that answered"),
  command: z.string().describe("The command whose answer was parsed"),
  destination: z.string().describe("The destination in canonical form"),
  match: z.enum(["longest", "exact", "orlonger"]).describe("How the destination was matched"),
  prefix: z.string().nullable().describe(
    "The prefix the server matched (the asked prefix for orlonger); null when not found",
  ),
  found: z.boolean().describe("Whether the server has a route"),
  paths: z.array(
    pathSchema.extend({
      prefix: z.string().optional().describe("orlonger: the prefix this path is for"),
    }),
  ).describe("Paths that pass the filters, at most maxPaths"),
  totalPaths: z.number().int().describe("Paths the server reports having (all matched prefixes)"),
  filtered: z.boolean().describe("Whether path filters were given"),
  matchedPaths: z.number().int().describe(
    "Paths that pass the filters (before the maxPaths cut); all paths when none were given",
  ),
  prefixes: z.array(z.object({
    prefix: z.string().describe("The prefix"),
    totalPaths: z.number().int().describe("Paths the server has for it"),
  })).optional().describe("orlonger: the prefixes found, at most maxPrefixes"),
  truncated: z.boolean().describe("Whether paths or prefixes were cut at a limit"),
  findings: findingsSchema.optional().describe(
    "Findings over the paths returned (all kinds but visibility); absent when not found",
  ),
  graph: graphSchema.optional().describe(
    "The AS graph of the paths returned, each from its peer; only for more than one path",
  ),
  elapsedMs: z.number().describe("Wall time of the whole call, in milliseconds"),
  cached: z.boolean().describe(
    "Whether the answer came from the cache (or a concurrent identical query) instead of the server",
  ),
  ageSeconds: z.number().int().describe("Age of the answer in seconds (0 when fresh)"),
  warnings: z.array(z.string()).describe(
    "Things the user should know (normalised input, substituted server, fallbacks)",
  ),
  namesAsOf: namesAsOf(),
  resolution: resolution(),
};
type _RouteLookup = Check<Same<Output<typeof ROUTE_LOOKUP_OUTPUT>, RouteLookupResult>>;

/** `bgp_summary`'s structured content. */
export const SUMMARY_OUTPUT = {
  server: z.string().describe("Server that answered"),
  command: z.string().describe("The command whose answer was parsed"),
  addressFamily: family().describe("Address family summarised"),
  routerId: z.string().nullable().describe(
    "The server's BGP router ID (null when it has no neighbour for the family)",
  ),
  localAs: z.number().int().nullable().describe(
    "The server's local AS (null when it has no neighbour for the family)",
  ),
  localAsName: asName("The local AS's name"),
  neighbors: z.array(z.object({
    address: z.string().describe("Neighbour address"),
    asn: z.number().int().describe("Neighbour AS"),
    state: z.string().describe(
      "Established, or the state shown (Active, Idle (Admin), …); Established (Policy) or (NoNeg) when up without a count",
    ),
    established: z.boolean().describe("Whether the session is up"),
    uptime: z.string().describe("Up/down time as the server prints it (3w0d, 00:20:06, never)"),
    prefixesReceived: z.number().int().nullable().describe(
      "Prefixes received, for established sessions that report a count; null otherwise",
    ),
    asName: asName("The neighbour AS's name"),
  })).describe("Neighbours, at most limit of them"),
  totals: z.object({
    neighbors: z.number().int().describe("Neighbours the server lists for the family"),
    established: z.number().int().describe("Of those, the ones whose session is up"),
    prefixes: z.number().int().describe("Prefixes received over the established sessions"),
  }).describe("Counts over all neighbours, not only the ones listed"),
  truncated: z.boolean().describe("Whether neighbors was cut at the limit"),
  elapsedMs: z.number().describe("Wall time of the whole call, in milliseconds"),
  cached: z.boolean().describe(
    "Whether the answer came from the cache (or a concurrent identical query)",
  ),
  ageSeconds: z.number().int().describe("Age of the answer in seconds (0 when fresh)"),
  warnings: z.array(z.string()).describe("Things the user should know"),
  namesAsOf: namesAsOf(),
};
type _Summary = Check<Same<Output<typeof SUMMARY_OUTPUT>, SummaryResult>>;

const asnServers = (what: string) =>
  z.array(z.object({
    asn: z.number().int().describe("The AS number"),
    servers: z.array(z.string()).describe("Servers that saw it, in the order asked"),
    name: asName(),
  })).describe(what);

const datasetOrigin = z.object({
  asn: z.number().int().describe("The origin AS per the dataset"),
  name: z.string().nullable().describe("Its name, when known"),
  range: z.string().describe("The dataset's range: a prefix, or first-last when not one block"),
});

const notablePath = (what: string) =>
  z.object({
    server: z.string().describe("Server whose best path it is"),
    asPath: z.array(z.number().int()).describe("The AS path (prepends kept)"),
    length: z.number().int().describe("Its length, as BGP counts it"),
    asPathNames: z.array(z.string().nullable()).optional().describe(
      "The name of each AS of asPath, in the same order, from the offline AS-names dataset; " +
        "null where none is known; absent when names are off",
    ),
  }).nullable().describe(what);

/** `route_compare`'s structured content. */
export const COMPARE_OUTPUT = {
  destination: z.string().describe("The destination in canonical form"),
  results: z.array(z.object({
    server: z.string().describe("Server name"),
    found: z.boolean().describe("Whether it has a route"),
    prefix: z.string().optional().describe("The prefix it matched"),
    bestPath: pathSchema.optional().describe("Its best path"),
    pathCount: z.number().int().describe("Paths it has"),
    rpki: z.enum(["valid", "invalid", "not-found", "not-validated"]).optional().describe(
      "RPKI state of its best path; not-validated: this server does not validate (never read " +
        "that as valid)",
    ),
    error: z.string().optional().describe("Why it could not answer"),
    cached: z.boolean().describe("Whether the answer came from the cache"),
    ageSeconds: z.number().int().optional().describe("Age of a cached answer, in seconds"),
    elapsedMs: z.number().describe("Time this server took in this call, in milliseconds"),
  })).describe("One entry per server asked, in the order chosen; the ones not asked after them"),
  consensus: z.object({
    seenBy: z.array(z.string()).describe("Servers that have a route"),
    missingFrom: z.array(z.string()).describe("Servers that answered but have no route"),
    failed: z.array(z.string()).describe("Servers that could not be asked or did not answer"),
    origins: asnServers("Origin ASes over all valid paths, most widely seen first"),
    moas: z.boolean().describe(
      "Multiple-origin AS conflict: one prefix announced by more than one origin AS",
    ),
    upstreams: asnServers(
      "The AS adjacent to the origin on each server's best path (prepends collapsed)",
    ),
    prefixes: z.array(z.object({
      prefix: z.string().describe("A prefix the servers matched"),
      servers: z.array(z.string()).describe("Servers that matched it"),
    })).describe("The prefixes the servers matched (different most-specifics show up here)"),
    shortestPath: notablePath("Shortest best path"),
    longestPath: notablePath("Longest best path"),
    datasetOrigins: z.array(z.object({
      prefix: z.string().describe("A prefix the servers matched"),
      liveOrigins: z.array(z.number().int()).describe(
        "Origin ASes seen live on valid paths for it, most widely seen first",
      ),
      dataset: z.array(datasetOrigin).describe(
        "The dataset's origin: the range holding the prefix, or the ranges overlapping it (≤ 20)",
      ),
      verdict: z.enum(["agrees", "differs", "not-in-dataset"]).describe(
        "agrees: every live origin is one the dataset gives; differs: one is not (evidence of a " +
          "change, a hijack or a leak, or a stale dataset); not-in-dataset: no range for it",
      ),
    })).optional().describe(
      "The live origin of each prefix against the offline dataset's; absent when names are off",
    ),
  }).describe("The verdict over every server"),
  findings: findingsSchema,
  graph: graphSchema.describe("The AS graph of the servers' best paths"),
  elapsedMs: z.number().describe("Wall time of the whole comparison, in milliseconds"),
  warnings: z.array(z.string()).describe("Things the user should know"),
  namesAsOf: namesAsOf(),
  resolution: resolution(),
};
type _Compare = Check<Same<Output<typeof COMPARE_OUTPUT>, CompareResult>>;

/** `ping`'s structured content. */
export const PING_OUTPUT = {
  server: z.string().describe("Server that pinged"),
  command: z.string().describe("The command sent"),
  target: z.string().describe("The address that was pinged"),
  sent: z.number().int().describe("Echo requests sent"),
  received: z.number().int().describe("Echo replies received"),
  lossPercent: z.number().describe("Share of requests without a reply, in percent"),
  rttMs: z.object({
    min: z.number().describe("Shortest round trip"),
    avg: z.number().describe("Average round trip"),
    max: z.number().describe("Longest round trip"),
  }).optional().describe("Round-trip times in milliseconds; absent when nothing answered"),
  replies: z.string().describe(
    "One character per request as the router printed it: ! reply, . timeout, U unreachable, …",
  ),
  elapsedMs: z.number().describe("Wall time of the whole call, in milliseconds"),
  resolution: resolution(),
};
type _Ping = Check<Same<Output<typeof PING_OUTPUT>, PingAnswer>>;

/** `traceroute`'s structured content. */
export const TRACEROUTE_OUTPUT = {
  server: z.string().describe("Server that traced"),
  command: z.string().describe("The command sent"),
  target: z.string().describe("The address that was traced"),
  reached: z.boolean().describe("Whether the last hop was answered by the target address"),
  hops: z.array(z.object({
    hop: z.number().int().describe("The hop number (TTL)"),
    asn: z.number().int().optional().describe("The origin AS the router printed for the hop"),
    asName: asName("The name of that AS"),
    probes: z.array(z.object({
      address: z.string().optional().describe("The address that answered; absent for a timeout"),
      name: z.string().optional().describe("The reverse-DNS name printed, if any"),
      rttMs: z.number().optional().describe("Round-trip time in milliseconds"),
      timeout: z.boolean().describe("Whether the probe timed out (*)"),
      annotation: z.string().optional().describe("An error code printed for the probe (!H, !N, …)"),
    })).describe("Probes in the order printed"),
  })).describe("Hops in the order printed"),
  elapsedMs: z.number().describe("Wall time of the whole call, in milliseconds"),
  namesAsOf: namesAsOf(),
  warnings: z.array(z.string()).optional().describe(
    "Things the user should know (AS names left out, …); absent when there is nothing",
  ),
  resolution: resolution(),
};
type _Traceroute = Check<Same<Output<typeof TRACEROUTE_OUTPUT>, TracerouteAnswer>>;

const asInfo = {
  asn: z.number().int().describe("The AS number"),
  name: z.string().nullable().describe(
    "Its name: the dataset's organisation name, or IANA's for a special-purpose number; null " +
      "when nobody names it",
  ),
  source: z.enum(["dataset", "iana", "none"]).describe("Where the name comes from"),
  special: specialAsn,
  inDataset: z.boolean().describe("Whether the dataset knows the number at all"),
  ranges: z.object({
    ipv4: z.number().int().describe("IPv4 ranges"),
    ipv6: z.number().int().describe("IPv6 ranges"),
  }).describe("How many address ranges the dataset maps to it"),
};

/** One dataset range (`AddressRange`). */
const addressRange = z.object({
  family: family().describe("Address family"),
  start: z.string().describe("First address"),
  end: z.string().describe("Last address (inclusive)"),
  prefixes: z.array(z.string()).describe("The CIDR prefixes that make up the range (≤ 8 listed)"),
  prefixCount: z.number().int().describe("How many CIDR prefixes make up the range"),
  asn: z.number().int().describe("Origin AS per the dataset"),
  name: z.string().nullable().describe("Its name, when known"),
  special: specialAsn,
});

const datasetNote = () =>
  z.string().describe(
    "What the answer is: the offline dataset as of its build date, not a live view",
  );

/** `as_info`'s structured content. */
export const AS_INFO_OUTPUT = {
  as: z.object(asInfo).optional().describe("The AS asked about (for asn)"),
  examples: z.object({
    ipv4: z.array(addressRange).describe("Its first IPv4 ranges, in address order"),
    ipv6: z.array(addressRange).describe("Its first IPv6 ranges, in address order"),
  }).optional().describe("A few of its ranges (for asn; the counts are in as.ranges)"),
  search: z.object({
    query: z.string().describe("The search text as folded for matching"),
    matches: z.array(z.object({
      ...asInfo,
      match: z.enum(["asn", "exact", "prefix", "word", "substring"]).describe(
        "How it matched: the AS number itself, the whole name, its start, a word's start, anywhere",
      ),
    })).describe("The best matches, best first"),
    total: z.number().int().describe("How many ASes matched in all"),
  }).optional().describe("The name search (for query)"),
  namesAsOf: z.string().describe("Build date (YYYY-MM-DD) of the offline AS-names dataset"),
  note: datasetNote(),
};
type _AsInfo = Check<Same<Output<typeof AS_INFO_OUTPUT>, AsInfoResult>>;

/** `ip_origin`'s structured content. */
export const IP_ORIGIN_OUTPUT = {
  destination: z.string().describe("The destination in canonical form"),
  family: family().describe("Address family"),
  covering: addressRange.nullable().describe(
    "The dataset range holding the whole address or prefix, with its origin AS; null when none",
  ),
  overlapping: z.array(addressRange).describe(
    "For a prefix no single range holds: the ranges overlapping it (at most 20 listed)",
  ),
  overlappingCount: z.number().int().describe(
    "How many ranges overlap it (0 when covering is set)",
  ),
  namesAsOf: z.string().describe("Build date (YYYY-MM-DD) of the offline AS-names dataset"),
  note: datasetNote(),
  warnings: z.array(z.string()).describe("Things the user should know (normalised input)"),
  resolution: resolution(),
};
type _IpOrigin = Check<Same<Output<typeof IP_ORIGIN_OUTPUT>, IpOriginResult>>;

const amounts = (what: string) =>
  z.object({
    connections: z.number().int().describe("TCP connections"),
    bytesDown: z.number().int().describe("Bytes received from the server"),
    bytesUp: z.number().int().describe("Bytes sent to the server"),
  }).describe(what);

/** A budget: limits, use and what is left. */
function budgetSchema(what: string) {
  return z.object({
    limits: amounts("The allowance over a sliding 24 h"),
    used: amounts("Known use in the current window"),
    remaining: amounts("What is left (0 for a kind whose use is unknown)"),
    unknownUntil: z.string().optional().describe(
      "When use that cannot be known stops counting as the whole budget (ISO 8601)",
    ),
  }).describe(what);
}

/** `list_servers`' structured content. */
export const SERVER_LIST_OUTPUT = {
  defaultServer: z.string().describe("Server used when a call names none"),
  ledger: z.enum(["file", "memory", "redis"]).describe(
    "Where quota use is kept: a state file (remembered across restarts), memory only, or the " +
      "team's Redis (shared by every replica)",
  ),
  user: z.string().optional().describe("The user this call is for (a bearer token's name)"),
  userShare: z.number().optional().describe(
    "The fraction of each server's budget one user may take (the per-user fairness rule)",
  ),
  sharedState: z.object({
    redis: z.string().describe("The team's Redis URL, without its password"),
    reachable: z.boolean().describe(
      "Whether Redis answers now; while it does not, route-server queries are refused",
    ),
    note: z.string().optional().describe("What that means for the budgets shown"),
  }).optional().describe("The team's shared state, when the ledger is in Redis"),
  servers: z.array(z.object({
    name: z.string().describe("Short unique name the tools take"),
    host: z.string().describe("Host name or IP literal"),
    port: z.number().int().describe("Telnet port"),
    dialect: z.enum(DIALECT_IDS).describe("CLI dialect"),
    location: z.string().describe("Where the server is"),
    addressFamilies: z.array(family()).describe("Address families it carries"),
    enabled: z.boolean().describe("Whether the tools may use it"),
    supports: z.array(z.enum(["ping", "traceroute", "rpki"])).describe(
      "What it offers beyond route lookups (rpki: it prints each path's RPKI state)",
    ),
    confirmed: z.boolean().describe(
      "Whether a public source confirms it offers telnet (false: listed by its operator, never " +
        "seen answering; the first use tells)",
    ),
    successor: z.string().optional().describe("For a renamed or retired server: the one to use"),
    seen: z.object({
      at: z.string().describe("When a session was last opened with it (ISO 8601)"),
      software: z.string().optional().describe("The software its greeting showed"),
      version: z.string().optional().describe("Its version, when printed"),
      mismatch: z.string().optional().describe(
        "Set when that software is not what the configured dialect speaks",
      ),
    }).optional().describe("What its greeting showed, once contacted by this process"),
    budget: budgetSchema(
      "Quota over the last 24 h, shared by every name for its host:port (in team mode, the " +
        "whole team's)",
    ),
    yourShare: budgetSchema(
      "Your share of that quota (the per-user fairness rule): your allowance, your use, what " +
        "you have left",
    ).optional(),
    probe: z.object({
      reachable: z.boolean().describe(
        "Whether a TCP connection was accepted (or a session with it is open now)",
      ),
      connectMs: z.number().optional().describe("Time to connect, when a connection was made"),
      error: z.string().optional().describe("Why not, when unreachable or not probed"),
      note: z.string().optional().describe("How the answer was found without connecting"),
    }).optional().describe("Reachability, when probe was asked (enabled servers only)"),
  })).describe("Every configured server, enabled or not, in file order"),
};
type _ServerList = Check<Same<Output<typeof SERVER_LIST_OUTPUT>, ServerList>>;

/**
 * What a tool says for a `server` argument that is not an enabled server's
 * name: the server to use instead of a renamed or retired one, else the
 * enabled names.
 */
export function serverNameError(config: Config, input: unknown): string {
  const instead = typeof input === "string" ? successorMessage(config, input) : null;
  // The SDK appends " at <argument>" to this message.
  if (instead) return `${NOTHING_SENT}: ${instead}`;
  const names = enabledServers(config).map((s) => s.name);
  return `Unknown or disabled server. Enabled servers: ${names.join(", ")} (list_servers ` +
    "describes them)";
}

/** The `server` argument: one of the enabled servers' names, optional. */
export function serverNameSchema(config: Config) {
  const names = enabledServers(config).map((s) => s.name) as [string, ...string[]];
  return z.enum(names, { error: (issue) => serverNameError(config, issue.input) }).optional()
    .describe(
      `Route server to ask (default: ${config.defaultServer}). Use list_servers to see where each one is.`,
    );
}
