/**
 * Runs the real command line (`deno run --no-prompt … src/main.ts …`) as a
 * child process from the project's top directory, bounded in time.
 *
 * @module
 */

import { withDeadline } from "../_deadline.ts";

const ROOT = new URL("../..", import.meta.url);

/** How a CLI run is started. */
export interface CliOptions {
  /** Deno permission flags, placed before `src/main.ts`. */
  allow?: string[];
  /** Text written to its stdin (else stdin is closed). */
  stdin?: string;
  /** Its environment variables (else this process's). */
  env?: Record<string, string>;
}

/** What a CLI run printed, and its exit code. */
export interface CliRun {
  /** The exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `src/main.ts` with `args`; killed after 30 s. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...(options.allow ?? []), "src/main.ts", ...args],
    cwd: ROOT,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.env ? { env: options.env } : {}),
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const output = await withDeadline(
    child.output(),
    30_000,
    `bgp-lg-mcp ${args.join(" ")}`,
    () => child.kill(),
  );
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}
