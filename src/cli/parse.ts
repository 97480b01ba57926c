/**
 * `parse route|table|summary --dialect D [--family ipv4|ipv6] FILE|-`: runs a
 * dialect's parser on a captured answer, offline, and prints the result as
 * JSON. `table` is the parser of `orlonger` answers (a BGP table). The parsers
 * and their names come from the dialect registry, so every parser is reachable.
 *
 * @module
 */

import { type ParserKind, PARSERS } from "../dialects/mod.ts";
import { CliError, FileReadError, ParseError, UsageError } from "../errors.ts";
import type { Family } from "../validation/destination.ts";
import { readBoundedText, readBoundedTextFile } from "../_files.ts";
import { escaped } from "../_text.ts";
import { print } from "./_output.ts";

/** The `--dialect` names `parse` takes: each dialect's id, and `ID-json` for its JSON form. */
export const PARSE_DIALECTS: readonly string[] = [...new Set(PARSERS.map((p) => p.cliName))];

/** What `parse` reads, by its CLI name: one prefix, a table (`orlonger`), the summary. */
export const PARSE_KINDS: Readonly<Record<string, ParserKind>> = Object.freeze({
  route: "route",
  table: "routes",
  summary: "summary",
});

/** A parser `parse` runs: the function and whether `--family` changes what it reads. */
export interface CliParser {
  /** Parses the text (for `family`'s table, where the answer holds several). */
  parse(text: string, family?: Family): unknown;
  /** Whether `--family` applies (Junos: `inet.0` or `inet6.0`). */
  byFamily: boolean;
}

/** The parser `parse KIND --dialect NAME` runs (KIND: `route`, `table`, `summary`), from the registry. */
export function parserFor(kind: string, name: string): CliParser | undefined {
  const registered = Object.hasOwn(PARSE_KINDS, kind) ? PARSE_KINDS[kind] : undefined;
  const entry = PARSERS.find((p) => p.kind === registered && p.cliName === name);
  return entry && {
    parse: (text: string, family?: Family) => entry.parse(text, family),
    byFamily: entry.byFamily === true,
  };
}

/** Largest capture `parse` reads: the most a server's answer may be (`maxOutputBytes` ≤ 64 MiB). */
const MAX_PARSE_BYTES = 64 * 1024 * 1024;

/** `parse`'s options. */
export interface ParseArgs {
  /** `--dialect`. */
  dialect?: string;
  /** `--family`: `ipv4` or `ipv6`. */
  family?: string;
}

/** Runs `parse`; `rest` holds the positional arguments after `parse`. */
export async function parse(rest: string[], args: ParseArgs): Promise<number> {
  const [kind, file] = rest;
  if (kind === undefined || !Object.hasOwn(PARSE_KINDS, kind)) {
    throw new UsageError(`parse takes ${Object.keys(PARSE_KINDS).join(", ")}`);
  }
  if (file === undefined || rest.length !== 2) {
    throw new UsageError("parse takes one FILE (or - for stdin)");
  }
  const parser = args.dialect === undefined ? undefined : parserFor(kind, args.dialect);
  if (parser === undefined) {
    const names = [
      ...new Set(PARSERS.filter((p) => p.kind === PARSE_KINDS[kind]).map((p) => p.cliName)),
    ];
    throw new UsageError(`--dialect for parse ${kind} is one of ${names.join(", ")}`);
  }
  const { family } = args;
  if (family !== undefined) {
    if (family !== "ipv4" && family !== "ipv6") throw new UsageError("--family is ipv4 or ipv6");
    if (!parser.byFamily) {
      throw new UsageError(
        `--family does not apply to --dialect ${args.dialect}: its ${kind} answers hold one family`,
      );
    }
  }
  const text = file === "-" ? await readStdin() : await readInput(file);
  let result: unknown;
  try {
    result = parser.parse(text, family);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const where = error.lineNumber === undefined
      ? ""
      : `, line ${error.lineNumber}${error.line === undefined ? "" : ` "${error.line}"`}`;
    throw new CliError(
      `Cannot parse ${
        file === "-" ? "stdin" : escaped(file)
      } as ${args.dialect} ${kind}${where}: ` +
        error.message,
      { cause: error },
    );
  }
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
    if (error instanceof FileReadError && error.cause instanceof Deno.errors.NotCapable) {
      // `deno task cli` takes no more permissions: stdin is the way in for any file.
      throw new CliError(
        `Cannot read ${escaped(file)}: no permission to read it; give it on stdin instead ` +
          `(\`parse … - < ${escaped(file)}\`), or run with deno run --allow-read=${escaped(file)}`,
        { cause: error },
      );
    }
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
