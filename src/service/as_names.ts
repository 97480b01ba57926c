/**
 * AS names for answers, from the looking glass's offline table: asked for once
 * a query's input is valid, so the first load overlaps the route server's
 * round trip, and awaited when the answer is ready. Names never fail a query:
 * data that cannot be had is one warning on the answer, which then carries
 * no names.
 *
 * @module
 */

import type { BgpPath } from "../bgp/types.ts";
import type { NamesTable } from "../names/table.ts";
import { engineOf, type LookingGlass } from "./looking_glass.ts";

/** The names for one answer: a table, or why there is none. */
export type NamesOutcome =
  | { table: NamesTable; warning?: undefined }
  | { table: null; warning?: string };

/**
 * Starts loading the AS-names table for one query. Resolves to the table, to
 * a warning when it cannot be loaded, or to nothing when names are turned
 * off; never rejects.
 */
export function startNames(lg: LookingGlass): Promise<NamesOutcome> {
  const loader = engineOf(lg).names;
  if (!loader) return Promise.resolve({ table: null });
  return loader.load().then(
    (table) => ({ table }),
    (error: unknown) => ({
      table: null,
      warning: `AS names are left out of this answer: ${(error as Error).message}`,
    }),
  );
}

/** The name of an AS (the dataset's, or IANA's for a special-purpose number), or `null`. */
export function nameOf(table: NamesTable, asn: number): string | null {
  return table.asName(asn).name;
}

/** A path with the names of its AS path, element by element (`null` where none is known). */
export function withPathNames<P extends BgpPath>(path: P, table: NamesTable): P {
  return { ...path, asPathNames: path.asPath.map((asn) => nameOf(table, asn)) };
}
