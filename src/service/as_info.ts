/**
 * `as_info`: one AS as the offline dataset knows it (name, where the name
 * comes from, the IANA block of a special-purpose number, how many ranges
 * the dataset maps to it, with a few of them), or the best matches of a name
 * search. Offline: nothing leaves the machine.
 *
 * @module
 */

import type { AsInfo, AsInfoResult } from "../bgp/results.ts";
import { NamesUnavailableError, UnsupportedQueryError } from "../errors.ts";
import { originLabel } from "../names/attribution.ts";
import { parseAsnInput, parseSearchText } from "../names/query.ts";
import type { AsName, NamesTable } from "../names/table.ts";
import { engineOf, type LookingGlass } from "./looking_glass.ts";

/** What `as_info` asks: an AS number or a name fragment, not both. */
export interface AsInfoRequest {
  /** An AS number: 3356, `"AS3356"`, asdot `"1.10"`. */
  asn?: number | string;
  /** A part of an AS or organisation name (`cogent`). */
  query?: string;
  /** Most search matches (default 10, at most 50) or ranges listed per family (default 5). */
  limit?: number;
}

/** Default and largest number of search matches. */
export const SEARCH_LIMITS = { default: 10, max: 50 } as const;
/** Default and largest number of ranges listed per family. */
export const RANGE_LIMITS = { default: 5, max: 20 } as const;

/**
 * Names an AS, or searches the AS names.
 *
 * @throws {UnsupportedQueryError} when neither or both of `asn` and `query` are given
 * @throws {InvalidAsnError} for an AS number that is not one (-1, 2^32, text)
 * @throws {InvalidAsSearchError} for an empty, too long or control-character search
 * @throws {NamesUnavailableError} when names are turned off or the data cannot be loaded
 */
export async function asInfo(lg: LookingGlass, request: AsInfoRequest): Promise<AsInfoResult> {
  const hasAsn = request.asn !== undefined;
  const hasQuery = request.query !== undefined;
  if (hasAsn === hasQuery) {
    throw new UnsupportedQueryError(
      hasAsn
        ? "as_info takes asn or query, not both"
        : "as_info takes asn (an AS number, e.g. 3356) or query (a part of a name, e.g. cogent)",
    );
  }
  // Input is checked before the data is loaded.
  const asn = hasAsn ? parseAsnInput(request.asn!) : undefined;
  const query = hasQuery ? parseSearchText(request.query!) : undefined;
  const table = await namesTable(lg);
  const note = originLabel(table.date);
  if (asn !== undefined) {
    const limit = bounded(request.limit, RANGE_LIMITS);
    const ranges = table.rangesOf(asn, limit);
    return {
      as: view(table.asName(asn)),
      examples: { ipv4: ranges.ipv4, ipv6: ranges.ipv6 },
      namesAsOf: table.date,
      note,
    };
  }
  const found = table.searchAs(query!, bounded(request.limit, SEARCH_LIMITS));
  return {
    search: {
      query: found.query,
      matches: found.matches.map((m) => ({ ...view(m), match: m.match })),
      total: found.total,
    },
    namesAsOf: table.date,
    note,
  };
}

/**
 * The looking glass's AS-names table, loaded on first use.
 *
 * @throws {NamesUnavailableError} when names are turned off or the data cannot be loaded
 */
export function namesTable(lg: LookingGlass): Promise<NamesTable> {
  const loader = engineOf(lg).names;
  if (!loader) {
    return Promise.reject(
      new NamesUnavailableError(
        "off",
        'AS names are turned off (--no-names, or "asNames": false in the server list), so ' +
          "there is no dataset to ask. Start without it to use as_info and ip_origin",
      ),
    );
  }
  return loader.load();
}

/** An AS as the answer shows it (the table's fields, nothing else). */
function view(name: AsName): AsInfo {
  return {
    asn: name.asn,
    name: name.name,
    source: name.source,
    ...(name.special ? { special: name.special } : {}),
    inDataset: name.inDataset,
    ranges: name.ranges,
  };
}

function bounded(value: number | undefined, limits: { default: number; max: number }): number {
  return Math.min(limits.max, Math.max(1, Math.floor(value ?? limits.default)));
}
