/**
 * `deno task data`: distils the AS-names table from `@ip-location-db/asn`
 * into `src/names/asn_data.ts` (or a data file for `--names-data`).
 *
 * ```sh
 * deno task data                          # the pinned package version from the npm registry
 * deno task data --source DIR             # a directory with asn-ipv4.csv and asn-ipv6.csv
 * deno task data --source FILE.tgz        # an npm-style tarball (package/asn-ipv4.csv …)
 * deno task data --source https://…/x.tgz # the same, downloaded (add its host to --allow-net)
 * deno task data --out asn.bin            # a data file for --names-data instead of the module
 * deno task data --check                  # rebuild and compare with the committed module
 * ```
 *
 * Reproducible: the package version is pinned with its integrity (the
 * tarball's sha512 is checked before anything is read), rows are sorted and
 * compressed deterministically, so the same source gives the same bytes. A
 * copy given with `--source` is not pinned (its sha256 is printed); the date
 * comes from its `package.json` version (`2.3.2026061719` → 2026-06-17) or
 * `--date YYYY-MM-DD`. Every table passes the sanity checks of
 * `scripts/_data/sanity.ts` or is not written.
 *
 * To move to a newer npm version, set {@linkcode VERSION} and
 * {@linkcode INTEGRITY} (`npm view @ip-location-db/asn@VERSION dist.integrity`)
 * and run the task. The package's README says its npm builds have known data
 * bugs and that npm updates are deprecated in favour of GitHub releases; for
 * such a copy, unpack it and use `--source DIR`.
 *
 * @module
 */

import { parseArgs } from "node:util";
// Script-only packages, kept out of the server's import map (pinned in tests/deno.lock).
// deno-lint-ignore no-import-prefix
import { parse as parseCsv } from "npm:csv-parse@7.0.3/sync";
// deno-lint-ignore no-import-prefix
import { gunzipSync } from "npm:fflate@0.8.3";
// deno-lint-ignore no-import-prefix
import { parseTar } from "npm:nanotar@0.3.0";
import { decodeNames } from "../src/names/loader.ts";
import type { DataHeader, DataSource } from "../src/names/format.ts";
import { FORMAT_VERSION } from "../src/names/format.ts";
import { distill } from "./_data/distill.ts";
import { dataModule, encodeContainer, encodePayload } from "./_data/encode.ts";
import { FULL_TABLE, sanityProblems } from "./_data/sanity.ts";

/** The npm package the data comes from. */
export const PACKAGE = "@ip-location-db/asn";

/** The pinned version. */
export const VERSION = "2.3.2026061719";

/** Its tarball's integrity, as the npm registry publishes it. */
export const INTEGRITY =
  "sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ==";

/** Where the committed module lives. */
export const MODULE_PATH = new URL("../src/names/asn_data.ts", import.meta.url);

/** Largest tarball or CSV file read. */
const MAX_INPUT_BYTES = 200 * 1024 * 1024;

/** The npm registry's tarball address for a version. */
export function tarballUrl(version: string): string {
  return `https://registry.npmjs.org/${PACKAGE}/-/asn-${version}.tgz`;
}

/** The build date of a package version: `2.3.2026061719` → `2026-06-17`, or `null`. */
export function dateFromVersion(version: string): string | null {
  const match = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** Subresource integrity of `bytes` (`sha512-…`). */
export async function integrityOf(bytes: Uint8Array, algorithm = "SHA-512"): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>),
  );
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return `${algorithm.toLowerCase().replace("-", "")}-${btoa(binary)}`;
}

/** The two CSV texts and the package version found in an npm-style tarball. */
export function readTarball(tgz: Uint8Array): { ipv4: string; ipv6: string; version?: string } {
  const files = new Map(
    parseTar(gunzipSync(tgz)).map((f) => [f.name.replace(/^[^/]+\//, ""), f.data]),
  );
  const text = (name: string) => {
    const data = files.get(name);
    if (!data) throw new Error(`The tarball has no ${name}`);
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  };
  const manifest = files.get("package.json");
  const version = manifest
    ? (JSON.parse(new TextDecoder().decode(manifest)) as { version?: string }).version
    : undefined;
  return { ipv4: text("asn-ipv4.csv"), ipv6: text("asn-ipv6.csv"), version };
}

/** Distils two CSV texts into a container, checked by decoding it and running the sanity checks. */
export async function build(
  csv: { ipv4: string; ipv6: string },
  meta: { date: string; source: DataSource },
): Promise<{ container: Uint8Array; header: DataHeader; problems: string[] }> {
  const rows = (text: string) => parseCsv(text, { relax_quotes: false }) as string[][];
  const distilled = distill(rows(csv.ipv4), rows(csv.ipv6));
  const header: DataHeader = {
    format: FORMAT_VERSION,
    date: meta.date,
    source: meta.source,
    counts: {
      asns: distilled.asns.length,
      ipv4: distilled.ipv4.length,
      ipv6: distilled.ipv6.length,
    },
    payloadBytes: 0,
    repairs: Object.fromEntries(
      Object.entries(distilled.repairs).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
  const payload = encodePayload(distilled);
  header.payloadBytes = payload.length;
  const container = encodeContainer(header, payload);
  const table = await decodeNames(container);
  return { container, header, problems: sanityProblems(distilled, table, FULL_TABLE) };
}

async function readLimited(path: string): Promise<Uint8Array> {
  const info = await Deno.stat(path);
  if (info.size > MAX_INPUT_BYTES) throw new Error(`${path} is larger than 200 MiB`);
  return await Deno.readFile(path);
}

async function download(url: string): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_INPUT_BYTES) throw new Error(`${url} is larger than 200 MiB`);
  return bytes;
}

async function readSource(
  source: string | undefined,
  date: string | undefined,
): Promise<{ csv: { ipv4: string; ipv6: string }; date: string; source: DataSource }> {
  const dated = (version: string | undefined) => {
    const found = date ?? (version ? dateFromVersion(version) : null);
    if (!found) {
      throw new Error(
        "The build date is not known: give --date YYYY-MM-DD (or a package.json with the version)",
      );
    }
    return found;
  };
  if (source === undefined) {
    const url = tarballUrl(VERSION);
    const tgz = await download(url);
    const integrity = await integrityOf(tgz);
    if (integrity !== INTEGRITY) {
      throw new Error(
        `${url} has integrity ${integrity}, not the pinned ${INTEGRITY}: nothing was written. ` +
          "If the registry changed the file, check it and update INTEGRITY in scripts/data.ts",
      );
    }
    const { ipv4, ipv6 } = readTarball(tgz);
    return {
      csv: { ipv4, ipv6 },
      date: dated(VERSION),
      source: { package: PACKAGE, version: VERSION, integrity },
    };
  }
  if (/^https?:\/\//.test(source) || source.endsWith(".tgz")) {
    const tgz = /^https?:\/\//.test(source) ? await download(source) : await readLimited(source);
    const { ipv4, ipv6, version } = readTarball(tgz);
    const integrity = await integrityOf(tgz, "SHA-256");
    log(`${source}: ${integrity} (not pinned)`);
    return {
      csv: { ipv4, ipv6 },
      date: dated(version),
      source: { package: PACKAGE, ...(version ? { version } : {}), integrity },
    };
  }
  const read = async (name: string) =>
    new TextDecoder("utf-8", { fatal: true }).decode(await readLimited(`${source}/${name}`));
  let version: string | undefined;
  try {
    version = (JSON.parse(await Deno.readTextFile(`${source}/package.json`)) as {
      version?: string;
    }).version;
  } catch {
    version = undefined;
  }
  return {
    csv: { ipv4: await read("asn-ipv4.csv"), ipv6: await read("asn-ipv6.csv") },
    date: dated(version),
    source: { package: PACKAGE, ...(version ? { version } : {}) },
  };
}

function log(message: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`data: ${message}\n`));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      source: { type: "string" },
      date: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean" },
    },
  });
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
    log("--date must be YYYY-MM-DD");
    return 2;
  }
  const started = performance.now();
  const input = await readSource(values.source, values.date);
  const { container, header, problems } = await build(input.csv, input);
  log(
    `${header.counts.asns} ASes, ${header.counts.ipv4} IPv4 and ${header.counts.ipv6} IPv6 ` +
      `ranges, dated ${header.date}; repairs ${JSON.stringify(header.repairs)}`,
  );
  if (problems.length > 0) {
    log(`the table fails its sanity checks; nothing was written:\n  ${problems.join("\n  ")}`);
    return 1;
  }
  if (values.out !== undefined) {
    await Deno.writeFile(values.out, container);
    log(`wrote ${values.out} (${container.length} bytes)`);
    return 0;
  }
  const text = dataModule(header, container);
  if (values.check) {
    const committed = await Deno.readTextFile(MODULE_PATH);
    if (committed !== text) {
      log("the rebuilt module differs from the committed src/names/asn_data.ts");
      return 1;
    }
    log("the rebuilt module is identical to the committed one");
    return 0;
  }
  await Deno.writeTextFile(MODULE_PATH, text);
  log(
    `wrote src/names/asn_data.ts (${text.length} bytes; container ${container.length} bytes) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
