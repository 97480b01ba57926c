/**
 * Parser for the `show ip bgp summary` / `show bgp … summary` text shared by
 * Cisco IOS/IOS-XE and FRR/Quagga. Internal: the dialect modules expose it.
 *
 * Rows are split on whitespace, not fixed columns (wide numbers run together),
 * and a long IPv6 neighbour address may sit alone on a line with the rest of
 * its row on the next.
 *
 * @module
 */

import { ParseError, type ParseErrorOptions } from "../errors.ts";
import type { BgpNeighbor, ParsedSummary } from "../bgp/types.ts";
import {
  lineAt,
  quoted,
  typedAddress,
  typedAsn,
  typedIpv4,
  typedSessionState,
  typedUint32,
  typedUptime,
} from "./_typed.ts";

const IDENTITY = /BGP router identifier (\S+), local AS number (\S+)/;
/** FRR's answers when a family has no neighbours. */
const NO_NEIGHBORS =
  /No BGP neighbors found|No \S+ neighbor is configured|No \S+ \S+ neighbor is configured/i;
/** Up, but FRR shows why no prefixes are counted. */
const UP_WITHOUT_COUNT: Readonly<Record<string, string>> = {
  "(Policy)": "Established (Policy)",
  "NoNeg": "Established (NoNeg)",
};
const TABLE_HEADER = /^\s*Neighbor\s+V\s+AS\s/;
/** FRR's footer: `Total number of neighbors 3`. */
const FOOTER = /^Total number of neighbors (\d+)/;
const ADDRESS = /^[0-9A-Fa-f.:]+$/;

/**
 * Parses the first address-family block of a summary.
 *
 * @throws {ParseError} when the router identity or the neighbour table is missing
 */
export function parseSummaryText(text: string, dialect: string): ParsedSummary {
  const lines = text.replaceAll("\r", "").split("\n");
  const identityAt = lines.findIndex((line) => IDENTITY.test(line));
  if (identityAt < 0 && NO_NEIGHBORS.test(text)) {
    return { routerId: null, localAs: null, neighbors: [] };
  }
  if (identityAt < 0) {
    throw new ParseError(
      dialect,
      "Expected `BGP router identifier …, local AS number …` in the summary",
    );
  }
  const identity = IDENTITY.exec(lines[identityAt])!;
  const localAs = typedAsn(identity[2]);
  if (localAs === null) {
    throw new ParseError(
      dialect,
      `Cannot read the local AS ${quoted(identity[2])}`,
      lineAt(lines, identityAt),
    );
  }
  const routerId = typedIpv4(identity[1]);
  if (routerId === null) {
    throw new ParseError(
      dialect,
      `The router identifier ${quoted(identity[1])} is not an IPv4 address`,
      lineAt(lines, identityAt),
    );
  }
  const headerAt = lines.findIndex((line, i) => i > identityAt && TABLE_HEADER.test(line));
  const neighbors: BgpNeighbor[] = [];
  if (headerAt < 0) {
    // No neighbours configured for this family: FRR prints a notice and no table.
    return { routerId, localAs, neighbors };
  }
  let pending = "";
  let end = lines.length;
  for (const [i, line] of lines.entries()) {
    if (i <= headerAt) continue;
    const trimmed = line.trim();
    if (trimmed === "" || IDENTITY.test(line) || /^For address family/.test(trimmed)) {
      end = i;
      break;
    }
    if (pending === "" && ADDRESS.test(trimmed)) {
      pending = trimmed; // the address wrapped; the row continues on the next line
      continue;
    }
    const row = pending ? `${pending} ${trimmed}` : trimmed;
    pending = "";
    neighbors.push(parseRow(row, { dialect, where: { lineNumber: i + 1, line: row } }));
  }
  // FRR counts the neighbours after the table: a table cut short is not shown.
  const footerAt = lines.findIndex((line, i) => i >= end && FOOTER.test(line.trim()));
  const footer = footerAt < 0 ? null : FOOTER.exec(lines[footerAt].trim())!;
  if (footer && Number(footer[1]) !== neighbors.length) {
    throw new ParseError(
      dialect,
      `The summary lists ${neighbors.length} of the ${footer[1]} neighbours it counts, so it is ` +
        "incomplete; nothing of it is shown",
      lineAt(lines, footerAt),
    );
  }
  return { routerId, localAs, neighbors };
}

/** `10.0.0.1  4  65000 2746767 2396274 512185206 0 0 3w0d 558720 [PfxSnt Desc]` */
function parseRow(
  row: string,
  { dialect, where }: { dialect: string; where: ParseErrorOptions },
): BgpNeighbor {
  const fields = row.split(/\s+/);
  const asn = typedAsn(fields[2] ?? "");
  const address = typedAddress(fields[0]);
  if (fields.length < 10 || !ADDRESS.test(fields[0]) || address === null || asn === null) {
    throw new ParseError(dialect, `Cannot read the neighbour row ${quoted(row, 120)}`, where);
  }
  const uptime = typedUptime(fields[8]);
  if (uptime === null) {
    throw new ParseError(
      dialect,
      `The up/down time ${quoted(fields[8])} of ${address} is not a time`,
      where,
    );
  }
  const stateField = fields[9];
  if (stateField in UP_WITHOUT_COUNT) {
    return {
      address,
      asn,
      state: UP_WITHOUT_COUNT[stateField],
      established: true,
      uptime,
      prefixesReceived: null,
    };
  }
  const count = typedUint32(stateField);
  if (count !== null) {
    return {
      address,
      asn,
      state: "Established",
      established: true,
      uptime,
      prefixesReceived: count,
    };
  }
  // `Idle (Admin)`, `Idle (PfxCt)`: a state word with a parenthesised reason.
  let stateText = stateField;
  if (fields[10]?.startsWith("(")) {
    const close = fields.findIndex((field, i) => i >= 10 && field.endsWith(")"));
    if (close >= 10) stateText = fields.slice(9, close + 1).join(" ");
  }
  const state = typedSessionState(stateText);
  if (state === null) {
    throw new ParseError(
      dialect,
      `The state ${quoted(stateText)} of ${address} is not a BGP state`,
      where,
    );
  }
  const established = state.startsWith("Established");
  return { address, asn, state, established, uptime, prefixesReceived: null };
}
