/**
 * AS names and origins, offline: the one entry point for tools, the CLI and
 * rendering. Create one {@linkcode NamesLoader} per service (with the
 * `--names-data` file, if any); `await loader.load()` gives the
 * {@linkcode NamesTable} on first use (shared, lazy), and `loader.current` the
 * loaded table for synchronous rendering.
 *
 * ```ts
 * import { NamesLoader, namesLabel } from "./names/mod.ts";
 *
 * const names = new NamesLoader();
 * const table = await names.load();
 * table.asName(3356).name; // "Level 3 Communications, Inc."
 * table.originOf("8.8.8.8").covering?.asn; // 15169
 * table.searchAs("cogent", 5).matches[0].asn; // 174
 * namesLabel(table.date); // "AS names as of 2026-06-17"
 * ```
 *
 * @module
 */

export {
  ATTRIBUTION_TEXT,
  DATA_CREDITS,
  DATA_LICENCE,
  type DataCredit,
  namesLabel,
  originLabel,
} from "./attribution.ts";
export {
  ACCEPTED_ASNS,
  InvalidAsnError,
  InvalidAsSearchError,
  NamesDataError,
  NamesUnavailableError,
  type NamesUnavailableReason,
} from "../errors.ts";
export type { DataHeader, DataSource } from "./format.ts";
export { type DataModule, decodeNames, NamesLoader, type NamesLoaderOptions } from "./loader.ts";
export { MAX_SEARCH_LENGTH, parseAsnInput, parseSearchText } from "./query.ts";
export {
  type AddressRange,
  type AsMatchKind,
  type AsName,
  type AsRangeCounts,
  type AsRangeList,
  type AsSearchMatch,
  type AsSearchResult,
  MAX_LISTED_RANGES,
  MAX_SEARCH_RESULTS,
  NamesTable,
  type OriginAnswer,
} from "./table.ts";
