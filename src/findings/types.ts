/**
 * The shape of a finding: a judgement over the per-server answers of one
 * query (`route_compare`, or `route_lookup` where one server suffices), with
 * the evidence that triggered it. A finding is never made without evidence.
 *
 * @module
 */

import type { VantageOutcome } from "../bgp/consensus.ts";
import type { RpkiState } from "../bgp/types.ts";

/** How much a finding matters to the owner of the prefix. */
export type Severity = "info" | "warning" | "critical";

/** Every kind of finding, in the order the rules run. */
export const FINDING_KINDS = [
  "rpki-invalid",
  "moas",
  "more-specific-other-origin",
  "origin-differs-from-dataset",
  "bogon-asn-in-path",
  "possible-route-leak",
  "visibility",
  "prepending",
  "path-length-outlier",
  "rpki-valid",
  "rpki-not-found",
  "rpki-not-validated",
] as const;

/** What a finding is about. */
export type FindingKind = typeof FINDING_KINDS[number];

/** One path that shows what a finding says. */
export interface EvidencePath {
  /** Server whose table holds the path. */
  server: string;
  /** Prefix the path is for (`null` when the server did not say). */
  prefix: string | null;
  /** The AS path, nearest first, prepends kept. */
  asPath: number[];
  /** Originating AS (`null` when the path ends in an AS_SET or is local). */
  originAs: number | null;
  /** Whether it is the server's best path. */
  best: boolean;
  /** RPKI state, when the server printed one. */
  rpki?: RpkiState;
}

/** What triggered a finding: never empty. */
export interface Evidence {
  /** Servers whose answers show it, in the order they were asked. */
  servers: string[];
  /** Prefixes concerned. */
  prefixes: string[];
  /** Paths that show it: at most one per server for each origin or prefix concerned (its best path when that one shows it). */
  paths: EvidencePath[];
  /** ASes the finding is about (the second origin, the bogon ASN, the leaker…). */
  asns: number[];
}

/** One judgement with its evidence. */
export interface Finding {
  /** What it is about. */
  kind: FindingKind;
  /** How much it matters. */
  severity: Severity;
  /** One or two plain-language sentences, with the numbers. */
  summary: string;
  /** What triggered it. */
  evidence: Evidence;
}

/** A special-purpose AS number as the IANA registries describe it. */
export interface SpecialAsn {
  /** Its kind, e.g. `private-use`, `documentation`, `reserved`, `as-trans`. */
  kind: string;
  /** The RFC that reserves it, e.g. `RFC 6996`. */
  rfc: string;
  /** A short name, e.g. `AS_TRANS`. */
  name?: string;
}

/** Names a special-purpose ASN, `undefined` for an ordinary one. */
export type SpecialAsnLookup = (asn: number) => SpecialAsn | undefined;

/** The offline dataset's origin for a prefix. */
export interface DatasetOrigin {
  /** Origin AS per the dataset. */
  asn: number;
  /** Its name per the dataset. */
  name?: string;
  /** The dataset's range that covers the prefix (a prefix, or `first-last`). */
  range: string;
}

/** The offline dataset's origin for a prefix, `undefined` when it maps none. */
export type DatasetOriginLookup = (prefix: string) => DatasetOrigin | undefined;

/** An AS name for summaries, `undefined` when unknown. */
export type AsNameLookup = (asn: number) => string | undefined;

/** What the rules look at. */
export interface FindingsInput {
  /** The destination asked, in canonical form (`8.8.8.8`, `8.8.8.0/24`). */
  destination: string;
  /**
   * Per server, the parsed answer or `null` when the query failed, in the order asked
   * (what `route_compare` gathers). A path may carry its own `prefix` (orlonger answers).
   */
  outcomes: readonly VantageOutcome[];
  /** Special-purpose ASNs (`bogon-asn-in-path`). */
  specialAsn: SpecialAsnLookup;
  /** The offline dataset's origins; without it no `origin-differs-from-dataset`. */
  datasetOrigin?: DatasetOriginLookup;
  /** How summaries name the dataset, e.g. `the dataset (as of 2026-06-17)`. */
  datasetLabel?: string;
  /** AS names for summaries. */
  asName?: AsNameLookup;
}
