/**
 * Typed values at the parse boundary. A route server is untrusted input: every
 * field a parser takes from an answer goes through one of these helpers, so a
 * result holds only addresses that parse as addresses (in canonical form),
 * prefixes that parse as prefixes, ASNs and counts as numbers, session states
 * from a closed set, dates as ISO 8601 dates, and free text stripped of
 * control characters and bounded. Each helper returns `null` for a value that
 * does not have its type; the parser decides whether that fails the answer.
 * Internal: the dialect parsers use it.
 *
 * @module
 */

import {
  type Block,
  formatAddress,
  formatIpv6Groups,
  parseIpv4Octets,
  parseIpv6Groups,
  parsePrefix,
} from "../validation/_ip.ts";
import type { ParseErrorOptions } from "../errors.ts";
import { freeText, quoted } from "../_text.ts";
import { parseAsn, parseAsPathText, type ParsedAsPath } from "../bgp/values.ts";

export { freeText, quoted };

/**
 * Where a parse error is: line `index` (0-based) of the answer's
 * lines, as the error's 1-based `lineNumber` and the line itself; nothing for
 * an index outside the answer.
 */
export function lineAt(lines: readonly string[], index: number): ParseErrorOptions {
  return index >= 0 && index < lines.length ? { lineNumber: index + 1, line: lines[index] } : {};
}

/** Longest address text considered (an IPv6 address with an embedded IPv4 is 45). */
const MAX_ADDRESS_TEXT = 45;

/** An IPv4 or IPv6 address in canonical form (`8.8.8.8`, `2001:db8::1`); `null` if not one. */
export function typedAddress(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ADDRESS_TEXT) {
    return null;
  }
  if (!value.includes(":")) return typedIpv4(value);
  const groups = parseIpv6Groups(value);
  return groups === null ? null : formatIpv6Groups(groups);
}

/** A dotted-quad IPv4 address (a BGP router ID); `null` if not one. */
export function typedIpv4(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 15) return null;
  // A strict dotted quad (no leading zeros) is already in canonical form.
  return parseIpv4Octets(value) === null ? null : value;
}

/** A prefix read from an answer: its canonical text and its block. */
export interface TypedPrefix {
  /** Canonical text: `8.8.8.0/24`, `2001:4860::/32`. */
  text: string;
  /** The address block. */
  block: Block;
}

/**
 * A prefix (`8.8.8.0/24`, `2001:4860::/32`) in canonical form; `null` if the
 * text is not a prefix or has host bits set.
 */
export function typedPrefix(value: unknown): TypedPrefix | null {
  const block = typeof value === "string" ? parsePrefix(value) : null;
  if (block === null) return null;
  return { text: `${formatAddress(block.family, block.network)}/${block.length}`, block };
}

/** An AS number from a number or an asplain/asdot string; `null` if not one. */
export function typedAsn(value: unknown): number | null {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
  }
  return typeof value === "string" ? parseAsn(value) : null;
}

/** A whole number from 0 to 4294967295 (MED, local preference, counts), from a number or digits. */
export function typedUint32(value: unknown): number | null {
  const number = typeof value === "number"
    ? value
    : typeof value === "string" && /^\d{1,10}$/.test(value)
    ? Number(value)
    : NaN;
  return Number.isInteger(number) && number >= 0 && number <= 0xffffffff ? number : null;
}

/** BGP session states (RFC 4271 and FRR's two extra ones), by the spellings routers print. */
const SESSION_STATES: ReadonlyMap<string, string> = new Map([
  ["idle", "Idle"],
  ["connect", "Connect"],
  ["active", "Active"],
  ["opensent", "OpenSent"],
  ["openconfirm", "OpenConfirm"],
  ["established", "Established"],
  ["establ", "Established"], // Junos
  ["clearing", "Clearing"],
  ["deleted", "Deleted"],
]);

/** Why a session is in its state, as IOS and FRR print it after the state (`Idle (Admin)`). */
const STATE_REASONS: ReadonlyMap<string, string> = new Map([
  ["admin", "Admin"],
  ["pfxct", "PfxCt"],
  ["noneg", "NoNeg"],
  ["policy", "Policy"],
  ["passive", "Passive"],
  ["bfd", "BFD"],
]);

/**
 * A BGP session state from the closed set `Idle`, `Connect`, `Active`,
 * `OpenSent`, `OpenConfirm`, `Established`, `Clearing`, `Deleted`, optionally
 * with a known reason (`Idle (Admin)`, `Idle (PfxCt)`); `null` for anything else.
 */
export function typedSessionState(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 40) return null;
  const match = /^([A-Za-z]+)(?:\s*\(([A-Za-z]+)\))?$/.exec(value.trim());
  if (!match) return null;
  const state = SESSION_STATES.get(match[1].toLowerCase());
  if (!state) return null;
  if (match[2] === undefined) return state;
  const reason = STATE_REASONS.get(match[2].toLowerCase());
  return reason ? `${state} (${reason})` : null;
}

/**
 * A session up/down time as routers print it (`3w0d`, `1y10w`, `00:20:06`,
 * `1d02h03m`, `9w2d 5:23:37`, `never`); `null` for anything else.
 */
export function typedUptime(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim().replace(/\s+/g, " ");
  if (text.toLowerCase() === "never") return "never";
  return text.length <= 24 && /^[0-9][0-9ywdhms: ]*$/.test(text) ? text : null;
}

/** Dates accepted: after the first BGP RFC and before 2200 (a bucket at 1e300 is not a date). */
const EARLIEST = Date.UTC(1989, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** An epoch in seconds as an ISO 8601 UTC date (`2026-12-01T21:33:46.000Z`); `null` if not one. */
export function typedEpoch(value: unknown): string | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  const ms = value * 1000;
  return ms >= EARLIEST && ms < LATEST ? new Date(ms).toISOString() : null;
}

const MONTHS: ReadonlyMap<string, number> = new Map(
  ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map((
    name,
    i,
  ) => [name, i + 1]),
);
/** `Tue Dec  1 21:33:46 2026` (FRR, C `ctime`). */
const CTIME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})$/;
/** `Jan 31 2022 22:43:03 PST` (IOS `Updated on`); the zone name is not an offset and is dropped. */
const IOS_DATE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{4}) (\d\d):(\d\d):(\d\d)(?: [A-Z]{1,5})?$/;

/**
 * A date a router printed in its own local time, as ISO 8601 without an offset
 * (`2026-12-01T21:33:46`: the server's local time, zone unknown); `null` if the
 * text is not one of the known date forms or not a real date.
 */
export function typedDateText(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 40) return null;
  const text = value.trim();
  const ctime = CTIME.exec(text);
  const ios = ctime ? null : IOS_DATE.exec(text);
  const parts = ctime
    ? [ctime[6], ctime[1], ctime[2], ctime[3], ctime[4], ctime[5]]
    : ios
    ? [ios[3], ios[1], ios[2], ios[4], ios[5], ios[6]]
    : null;
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = [
    Number(parts[0]),
    MONTHS.get(parts[1]) ?? 0,
    Number(parts[2]),
    Number(parts[3]),
    Number(parts[4]),
    Number(parts[5]),
  ];
  // A real date (no Feb 30, no 25:00) within the accepted years.
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (
    month === 0 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59 ||
    year < 1989 || year >= 2200
  ) {
    return null;
  }
  const two = (n: number) => String(n).padStart(2, "0");
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
}

/** An AS path with its text in one canonical spacing. */
export interface TypedAsPath extends ParsedAsPath {
  /** The path as printed, runs of whitespace made one space (`Local` is empty). */
  text: string;
}

/**
 * An AS path (see `parseAsPathText`) with its text: only ASNs, brackets, commas
 * and single spaces; `null` if a token is not an ASN.
 */
export function typedAsPath(value: unknown): TypedAsPath | null {
  if (typeof value !== "string") return null;
  const parsed = parseAsPathText(value);
  if (!parsed) return null;
  const text = value.trim() === "Local" ? "" : value.replace(/\s+/g, " ").trim();
  return { ...parsed, text };
}
