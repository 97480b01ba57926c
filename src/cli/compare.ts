/**
 * `compare DEST [--servers a,b,…] [--max-servers N] [--png FILE] [--mermaid] [--json]`:
 * how several route servers see one destination, as `route_compare` gives
 * it — the findings, the verdict and the table, with a progress line per
 * server on stderr while the fan-out runs; the AS graph as Mermaid text
 * (`--mermaid`) and drawn as PNG into a file (`--png`).
 *
 * @module
 */

import { progressMessage, renderCompare } from "../render.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { compareRoute, MAX_COMPARE_SERVERS } from "../service/route_compare.ts";
import { CliError, UsageError } from "../errors.ts";
import { escaped } from "../_text.ts";
import { note, print } from "./_output.ts";

/** What `compare` reads from the command line. */
export interface CompareArguments {
  /** The positional arguments after `compare`. */
  rest: string[];
  /** `--servers a,b,…` or `--servers all`. */
  servers?: string;
  /** `--max-servers N`. */
  "max-servers"?: string;
  /** `--png FILE`. */
  png?: string;
  /** `--mermaid`. */
  mermaid?: boolean;
  /** `--json`. */
  json?: boolean;
}

/** Runs `compare`; `open` starts the looking glass once the arguments are known to be good. */
export async function compare(
  args: CompareArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  if (args.rest.length !== 1) throw new UsageError("compare takes one destination");
  const servers = serversOption(args.servers);
  const maxServers = maxServersOption(args["max-servers"]);
  // Before anything is sent: a PNG that could not be written would waste the queries.
  if (args.png !== undefined) checkWritable(args.png);
  await using lg = await open();
  const result = await compareRoute(lg, { destination: args.rest[0], servers, maxServers }, {
    onResult: (one, done, total) => {
      const took = one.cached ? "cached" : `${one.elapsedMs} ms`;
      note(`[${done}/${total}] ${progressMessage(one)} (${took})`);
    },
  });
  let pictureLine: string | undefined;
  if (args.png !== undefined) {
    const { mermaid: _mermaid, ...graph } = result.graph;
    const { renderPicture } = await import("../picture/render.ts");
    const picture = await renderPicture({ ...graph, warnings: [] });
    result.warnings.push(...picture.warnings);
    if (picture.png) {
      await writePng(args.png, picture.png.png);
      const { width, height, png } = picture.png;
      pictureLine = `Picture: ${escaped(args.png)} (${width}×${height}, ${
        Math.ceil(png.length / 1000)
      } KB)`;
    }
  }
  if (args.json) return print(JSON.stringify(result, null, 2));
  const text = renderCompare(result, { mermaid: args.mermaid ?? false });
  return print(pictureLine ? `${text}\n${pictureLine}` : text);
}

/** `--servers a,b,…` (or `all`) read. */
function serversOption(text: string | undefined): string[] | "all" | undefined {
  if (text === undefined) return undefined;
  if (text === "all") return "all";
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) {
    throw new UsageError("--servers takes server names separated by commas, or all");
  }
  if (names.length > MAX_COMPARE_SERVERS) {
    throw new UsageError(`--servers takes at most ${MAX_COMPARE_SERVERS} servers`);
  }
  return names;
}

/** `--max-servers N` read. */
function maxServersOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_COMPARE_SERVERS) {
    throw new UsageError(`--max-servers is a whole number from 1 to ${MAX_COMPARE_SERVERS}`);
  }
  return value;
}

/** Refuses a `--png` file this process may not write, naming the permission it needs. */
function checkWritable(path: string): void {
  const { state } = Deno.permissions.querySync({ name: "write", path });
  if (state !== "granted") {
    throw new CliError(
      `Cannot write the picture to ${escaped(path)}: run with --allow-write=${
        escaped(path)
      }. No route server was asked`,
    );
  }
}

async function writePng(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await Deno.writeFile(path, bytes);
  } catch (error) {
    throw new CliError(
      `Cannot write the picture to ${escaped(path)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
