/**
 * The AS-names table built from the committed slice of the real dataset
 * (`tests/fixtures/asn/`, see its SOURCES.md), through the same distil,
 * encode and decode steps as `deno task data`.
 *
 * @module
 */

// csv-parse is for the data script and tests only (pinned in tests/deno.lock).
// deno-lint-ignore no-import-prefix
import { parse as parseCsv } from "npm:csv-parse@7.0.3/sync";
import { distill, type Distilled } from "../../scripts/_data/distill.ts";
import { encodeContainer, encodePayload } from "../../scripts/_data/encode.ts";
import { type DataHeader, FORMAT_VERSION } from "../../src/names/format.ts";
import { decodeNames } from "../../src/names/loader.ts";
import type { NamesTable } from "../../src/names/table.ts";

const DIR = new URL("../fixtures/asn/", import.meta.url);

/** The fixture's two CSV texts. */
export async function fixtureCsv(): Promise<{ ipv4: string; ipv6: string }> {
  return {
    ipv4: await Deno.readTextFile(new URL("asn-ipv4.csv", DIR)),
    ipv6: await Deno.readTextFile(new URL("asn-ipv6.csv", DIR)),
  };
}

/** Distils CSV text as the data script does. */
export function distilCsv(csv: { ipv4: string; ipv6: string }): Distilled {
  const rows = (text: string) => parseCsv(text) as string[][];
  return distill(rows(csv.ipv4), rows(csv.ipv6));
}

/** A container for a distilled table, dated `date`. */
export function containerOf(distilled: Distilled, date = "2026-06-17"): Uint8Array {
  const payload = encodePayload(distilled);
  const header: DataHeader = {
    format: FORMAT_VERSION,
    date,
    source: { package: "@ip-location-db/asn", version: "2.3.2026061719" },
    counts: {
      asns: distilled.asns.length,
      ipv4: distilled.ipv4.length,
      ipv6: distilled.ipv6.length,
    },
    payloadBytes: payload.length,
    repairs: distilled.repairs,
  };
  return encodeContainer(header, payload);
}

/** The fixture distilled, encoded and decoded. */
export async function fixtureTable(): Promise<
  { table: NamesTable; distilled: Distilled; container: Uint8Array }
> {
  const distilled = distilCsv(await fixtureCsv());
  const container = containerOf(distilled);
  return { table: await decodeNames(container), distilled, container };
}
