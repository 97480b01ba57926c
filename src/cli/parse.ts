/**
 * `parse route|summary --dialect D FILE|-`: runs a dialect's parser on a
 * captured answer, offline, and prints the result as JSON. The parsers and
 * their names come from the dialect registry.
 *
 * @module
 */

import { PARSERS } from "../dialects/mod.ts";
import { CliError, FileReadError, UsageError } from "../errors.ts";
import { readBoundedText, readBoundedTextFile } from "../_files.ts";
import { escaped } from "../_text.ts";
import { print } from "./_output.ts";

/** The `--dialect` names `parse` takes: each dialect's id, and `ID-json` for its JSON form. */
export const PARSE_DIALECTS: readonly string[] = [
  ...new Set(PARSERS.filter((p) => p.kind !== "routes").map((p) => p.cliName)),
];

/** The parser `parse KIND --dialect NAME` runs, from the dialect registry. */
export function parserFor(
  kind: "route" | "summary",
  name: string,
): ((text: string) => unknown) | undefined {
  const entry = PARSERS.find((p) => p.kind === kind && p.cliName === name);
  return entry && ((text: string) => entry.parse(text));
}

/** Largest capture `parse` reads: the most a server's answer may be (`maxOutputBytes` ≤ 64 MiB). */
const MAX_PARSE_BYTES = 64 * 1024 * 1024;

/** Runs `parse`; `rest` holds the positional arguments after `parse`. */
export async function parse(rest: string[], dialect: string | undefined): Promise<number> {
  const [kind, file] = rest;
  if (kind !== "route" && kind !== "summary") throw new UsageError("parse takes route or summary");
  if (file === undefined || rest.length !== 2) {
    throw new UsageError("parse takes one FILE (or - for stdin)");
  }
  const parser = dialect === undefined ? undefined : parserFor(kind, dialect);
  if (parser === undefined) {
    throw new UsageError(`--dialect is one of ${PARSE_DIALECTS.join(", ")}`);
  }
  const text = file === "-" ? await readStdin() : await readInput(file);
  const result = parser(text);
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
