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

import { ParseError } from "../errors.ts";
import type { BgpNeighbor, ParsedSummary } from "../types.ts";
import { parseAsn } from "./bgp_values.ts";

const IDENTITY = /BGP router identifier (\S+), local AS number (\S+)/;
/** FRR's answers when a family has no neighbours. */
const NO_NEIGHBORS =
  /No BGP neighbors found|No \S+ neighbor is configured|No \S+ \S+ neighbor is configured/i;
/** Up, but FRR shows why no prefixes are counted. */
const UP_WITHOUT_COUNT: Readonly<Record<string, string>> = {
  "(Policy)": "Established (Policy)",
  "NoNeg": "Established (NoNeg)",
};
/** Session states that may carry a parenthesised reason (`Idle (Admin)`). */
const STATE_WORDS = /^(?:Idle|Active|Connect|OpenSent|OpenConfirm|Established|Clearing|Deleted)$/;
const TABLE_HEADER = /^\s*Neighbor\s+V\s+AS\s/;
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
  const localAs = parseAsn(identity[2]);
  if (localAs === null) throw new ParseError(dialect, `Cannot read the local AS ${identity[2]}`);
  const headerAt = lines.findIndex((line, i) => i > identityAt && TABLE_HEADER.test(line));
  const neighbors: BgpNeighbor[] = [];
  if (headerAt < 0) {
    // No neighbours configured for this family: FRR prints a notice and no table.
    return { routerId: identity[1], localAs, neighbors };
  }
  let pending = "";
  for (const line of lines.slice(headerAt + 1)) {
    const trimmed = line.trim();
    if (trimmed === "" || IDENTITY.test(line) || /^For address family/.test(trimmed)) break;
    if (pending === "" && ADDRESS.test(trimmed)) {
      pending = trimmed; // the address wrapped; the row continues on the next line
      continue;
    }
    const row = pending ? `${pending} ${trimmed}` : trimmed;
    pending = "";
    neighbors.push(parseRow(row, dialect));
  }
  return { routerId: identity[1], localAs, neighbors };
}

/** `10.0.0.1  4  65000 2746767 2396274 512185206 0 0 3w0d 558720 [PfxSnt Desc]` */
function parseRow(row: string, dialect: string): BgpNeighbor {
  const fields = row.split(/\s+/);
  const asn = parseAsn(fields[2] ?? "");
  if (fields.length < 10 || !ADDRESS.test(fields[0]) || asn === null) {
    throw new ParseError(dialect, `Cannot read the neighbour row ${JSON.stringify(row)}`);
  }
  const uptime = fields[8];
  const stateField = fields[9];
  if (stateField in UP_WITHOUT_COUNT) {
    return {
      address: fields[0],
      asn,
      state: UP_WITHOUT_COUNT[stateField],
      established: true,
      uptime,
      prefixesReceived: null,
    };
  }
  if (/^\d+$/.test(stateField)) {
    return {
      address: fields[0],
      asn,
      state: "Established",
      established: true,
      uptime,
      prefixesReceived: Number(stateField),
    };
  }
  // `Idle (Admin)`, `Idle (PfxCt)`: a state word with a parenthesised reason.
  let state = stateField;
  if (STATE_WORDS.test(stateField) && fields[10]?.startsWith("(")) {
    const close = fields.findIndex((field, i) => i >= 10 && field.endsWith(")"));
    if (close >= 10) state = fields.slice(9, close + 1).join(" ");
  }
  return { address: fields[0], asn, state, established: false, uptime, prefixesReceived: null };
}
