/**
 * What every CLI command shares: exit codes, the two CLI-only failures, the
 * wording of core messages on the command line, and writing whole lines to
 * stdout and stderr.
 *
 * @module
 */

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A message from the shared core as the CLI says it: the core names the MCP
 * tool `list_servers`, which on the command line is the `servers` command.
 */
export function cliWording(message: string): string {
  return message.replaceAll(/\blist_servers\b/g, "the servers command");
}

/** Prints `text` and a newline on stdout; exit code 0. */
export function print(text: string): number {
  writeAll(Deno.stdout, `${text}\n`);
  return EXIT.ok;
}

/** Prints `message` and a newline on stderr; returns `code`. */
export function fail(code: number, message: string): number {
  writeAll(Deno.stderr, `${message}\n`);
  return code;
}

/** Writes `text` and a newline on stderr (progress, notes): stdout keeps the answer alone. */
export function note(text: string): void {
  writeAll(Deno.stderr, `${text}\n`);
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) offset += stream.writeSync(bytes.subarray(offset));
}
