/**
 * `parse route|summary --dialect D FILE|-`: runs a dialect's parser on a
 * captured answer, offline, and prints the result as JSON.
 *
 * @module
 */

import { parseIosRoute, parseIosSummary } from "../dialects/cisco_ios.ts";
import { parseFrrRoute, parseFrrSummary } from "../dialects/frr.ts";
import { parseFrrRouteJson, parseFrrSummaryJson } from "../dialects/frr_json.ts";
import { parseJunosRoute, parseJunosSummary } from "../dialects/junos.ts";
import { FileReadError, readBoundedText, readBoundedTextFile } from "../_files.ts";
import { escaped } from "../_text.ts";
import { CliError, print, UsageError } from "./_output.ts";

const PARSERS = {
  route: {
    "cisco-ios": parseIosRoute,
    frr: parseFrrRoute,
    "frr-json": parseFrrRouteJson,
    junos: (text: string) => parseJunosRoute(text),
  },
  summary: {
    "cisco-ios": parseIosSummary,
    frr: parseFrrSummary,
    "frr-json": parseFrrSummaryJson,
    junos: (text: string) => parseJunosSummary(text),
  },
} as const;

/** Largest capture `parse` reads: the most a server's answer may be (`maxOutputBytes` ≤ 64 MiB). */
const MAX_PARSE_BYTES = 64 * 1024 * 1024;

/** Runs `parse`; `rest` holds the positional arguments after `parse`. */
export async function parse(rest: string[], dialect: string | undefined): Promise<number> {
  const [kind, file] = rest;
  if (kind !== "route" && kind !== "summary") throw new UsageError("parse takes route or summary");
  if (file === undefined || rest.length !== 2) {
    throw new UsageError("parse takes one FILE (or - for stdin)");
  }
  const parsers = PARSERS[kind];
  if (dialect === undefined || !(dialect in parsers)) {
    throw new UsageError(`--dialect is one of ${Object.keys(parsers).join(", ")}`);
  }
  const text = file === "-" ? await readStdin() : await readInput(file);
  const result = parsers[dialect as keyof typeof parsers](text);
  return print(JSON.stringify(result, null, 2));
}

/**
 * Reads a file for `parse`: a regular file of at most 64 MiB (a FIFO is never
 * opened); one that cannot be read is a one-line {@linkcode CliError}.
 */
async function readInput(file: string): Promise<string> {
  try {
    return await readBoundedTextFile(file, MAX_PARSE_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    throw new CliError(`Cannot read ${escaped(file)}: ${reason}`, { cause: error });
  }
}

/** Reads `parse -` input from stdin, at most 64 MiB. */
async function readStdin(): Promise<string> {
  try {
    return await readBoundedText(Deno.stdin.readable, MAX_PARSE_BYTES);
  } catch (error) {
    throw new CliError(`Cannot read stdin: ${(error as Error).message}`, { cause: error });
  }
}
