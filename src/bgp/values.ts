/**
 * Pure parsers for BGP attribute values shared by every dialect: ASNs (asplain
 * and asdot), AS paths, communities (well-known names to numbers, from
 * `well_known.ts`), origin and RPKI state words.
 *
 * @module
 */

import type { Origin, RpkiState } from "./types.ts";
import { wellKnownCommunity } from "./well_known.ts";

/** Longest AS path text accepted (real paths are far shorter; this bounds the work). */
const MAX_AS_PATH_TEXT = 4096;

/** Parses an ASN in asplain (`4200000001`) or asdot (`64086.59904`) notation; `null` if invalid. */
export function parseAsn(text: string): number | null {
  if (/^\d{1,10}$/.test(text)) {
    const value = Number(text);
    return value <= 0xffffffff ? value : null;
  }
  const dot = /^(\d{1,5})\.(\d{1,5})$/.exec(text);
  if (dot) {
    const high = Number(dot[1]);
    const low = Number(dot[2]);
    if (high <= 0xffff && low <= 0xffff) return high * 65536 + low;
  }
  return null;
}

/** An AS path split into what the tools report. */
export interface ParsedAsPath {
  /** ASNs of AS_SEQUENCE segments in order. */
  asPath: number[];
  /** Last ASN of the path, or the only member of a final AS_SET; `null` otherwise. */
  originAs: number | null;
}

/**
 * Parses an AS path as routers print it: `174 13335`, `64500 {64501,64502}`,
 * `(65001 65002) 174 13335`, `[65001,65002]`, asdot ASNs, or `Local`/empty.
 * Returns `null` if a token is not an ASN.
 */
export function parseAsPathText(text: string): ParsedAsPath | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "Local") return { asPath: [], originAs: null };
  if (trimmed.length > MAX_AS_PATH_TEXT) return null;
  // The common case, plain ASNs separated by spaces, without regular expressions.
  if (/^[\d ]+$/.test(trimmed)) return plainAsPath(trimmed);
  const asPath: number[] = [];
  let originAs: number | null = null;
  // Segments: {set}, (confed sequence), [confed set], or a plain ASN.
  // Bracket bodies exclude every bracket, so an unclosed one cannot make the scan quadratic.
  const tokens = trimmed.match(/\{[^{}()[\]]*\}|\([^{}()[\]]*\)|\[[^{}()[\]]*\]|[^\s{}()[\]]+/g) ??
    [];
  // Anything the tokens do not cover (an unclosed bracket) makes the path unreadable.
  if (tokens.join("").replace(/\s+/g, "").length !== trimmed.replace(/\s+/g, "").length) {
    return null;
  }
  for (const token of tokens) {
    const open = token[0];
    if (open === "{" || open === "(" || open === "[") {
      const members = token.slice(1, -1).split(/[\s,]+/).filter(Boolean).map(parseAsn);
      if (members.some((m) => m === null)) return null;
      if (open === "{") originAs = members.length === 1 ? members[0] : null;
      // Confederation segments are internal to the neighbour's confederation: not an origin.
      continue;
    }
    const asn = parseAsn(token);
    if (asn === null) return null;
    asPath.push(asn);
    originAs = asn;
  }
  return { asPath, originAs };
}

/** A path of plain asplain ASNs (`174 13335`); `null` if one is out of range. */
function plainAsPath(text: string): ParsedAsPath | null {
  const asPath: number[] = [];
  for (const token of text.split(" ")) {
    if (token === "") continue;
    if (token.length > 10) return null;
    const asn = Number(token);
    if (asn > 0xffffffff) return null;
    asPath.push(asn);
  }
  return { asPath, originAs: asPath.at(-1) ?? null };
}

/** Normalises a standard community to `ASN:VALUE`; `null` if it is not one. */
export function normalizeCommunity(token: string): string | null {
  // Fast path: already `A:B` with both halves in range and no leading zeros.
  const colon = token.indexOf(":");
  if (colon > 0 && colon < 6 && token.length - colon - 1 <= 5 && token.length - colon > 1) {
    let plain = true;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      if (i !== colon && (c < 48 || c > 57)) {
        plain = false;
        break;
      }
    }
    if (plain) {
      const high = Number(token.slice(0, colon));
      const low = Number(token.slice(colon + 1));
      if (high <= 0xffff && low <= 0xffff) {
        const canonical = `${high}:${low}`;
        return canonical;
      }
      return null;
    }
  }
  const pair = /^(\d{1,5}):(\d{1,5})$/.exec(token);
  if (pair) {
    const high = Number(pair[1]);
    const low = Number(pair[2]);
    return high <= 0xffff && low <= 0xffff ? `${high}:${low}` : null;
  }
  // IOS without `ip bgp-community new-format` prints the 32-bit value.
  if (/^\d{1,10}$/.test(token)) {
    const value = Number(token);
    return value <= 0xffffffff ? `${Math.floor(value / 65536)}:${value % 65536}` : null;
  }
  return wellKnownCommunity(token);
}

/**
 * Splits a community list on whitespace and normalises every entry; tokens that
 * are not communities (garbage, or text a server slipped in) are left out.
 */
export function parseCommunities(text: string): string[] {
  return text.trim().split(/\s+/).map(normalizeCommunity).filter((c): c is string => c !== null);
}

/** A large community `GA:LD1:LD2`, each part 0 to 4294967295, in canonical form; `null` if not one. */
export function normalizeLargeCommunity(token: string): string | null {
  const parts = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(token);
  if (!parts) return null;
  const numbers = parts.slice(1).map(Number);
  return numbers.every((n) => n <= 0xffffffff) ? numbers.join(":") : null;
}

/** Splits a large community list, keeping well-formed `GA:LD1:LD2` entries. */
export function parseLargeCommunities(text: string): string[] {
  return text.trim().split(/\s+/).map(normalizeLargeCommunity).filter((c): c is string =>
    c !== null
  );
}

/**
 * An extended community as routers print it, `TYPE:VALUE` (`RT:65000:100`,
 * `SoO:0:0`, `target:64500:100`, `LB:65000:125000`); `null` for anything else
 * (including the free-text notes some versions print after one, `(1.000 Gbps)`).
 */
export function normalizeExtendedCommunity(token: string): string | null {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,23}:[A-Za-z0-9.:_/+-]{1,64}$/.test(token) ? token : null;
}

/** Splits an extended community list (`RT:65000:100 SoO:0:0`), keeping `TYPE:VALUE` tokens. */
export function parseExtendedCommunities(text: string): string[] {
  return text.trim().split(/\s+/).map(normalizeExtendedCommunity).filter((c): c is string =>
    c !== null
  );
}

/** Parses an ORIGIN word (`IGP`, `EGP`, `incomplete`, or the codes `i`, `e`, `?`). */
export function parseOrigin(text: string): Origin | null {
  switch (text.trim().toLowerCase()) {
    case "igp":
    case "i":
      return "IGP";
    case "egp":
    case "e":
      return "EGP";
    case "incomplete":
    case "?":
      return "incomplete";
    default:
      return null;
  }
}

/** Parses an RPKI state as printed by IOS (`not found`), FRR (`notfound`, `not found`) and others. */
export function parseRpkiState(text: string): RpkiState | null {
  const word = text.trim().toLowerCase().replace(/[\s_-]/g, "");
  if (word === "valid") return "valid";
  if (word === "invalid") return "invalid";
  if (word === "notfound") return "not-found";
  return null;
}
