/**
 * `deno task compile`: builds the `bgp-lg-mcp` binary with `deno compile`,
 * permissions baked in: `--no-prompt` and an `--allow-net` list of exactly the
 * enabled servers of the shipped servers.json (which is compiled in).
 *
 * ```sh
 * deno task compile                    # host target → dist/bgp-lg-mcp
 * deno task compile --target aarch64-apple-darwin
 * deno task compile --all              # every target deno compile supports
 * ```
 *
 * `deno compile` downloads the Deno runtime for the target once; without
 * internet access the task fails with a message saying so.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { builtinConfig } from "../src/config/load.ts";
import type { Config } from "../src/config/schema.ts";
import { allowNetFlag } from "../src/config/permissions.ts";

/** Targets `deno compile --target` accepts. */
export const TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/** The `deno` arguments that build one binary. */
export function compileArgs(
  config: Config,
  options: { target?: string; outDir?: string } = {},
): string[] {
  const outDir = options.outDir ?? "dist";
  const name = options.target
    ? `bgp-lg-mcp-${options.target}${options.target.includes("windows") ? ".exe" : ""}`
    : "bgp-lg-mcp";
  return [
    "compile",
    "--no-prompt",
    allowNetFlag(config),
    "--output",
    `${outDir}/${name}`,
    ...(options.target ? ["--target", options.target] : []),
    "src/main.ts",
  ];
}

/** Turns `deno compile`'s failure output into a message that says what to do. */
export function explainCompileFailure(stderr: string, target: string): string {
  if (
    /dl\.deno\.land|denort|download|error sending request|dns error|failed to lookup/i.test(stderr)
  ) {
    return `deno compile could not download the Deno runtime for ${target}: it needs internet access ` +
      "(dl.deno.land) once per target and version. Build on a machine that has it, or run the " +
      "server with `deno task start` instead.";
  }
  return `deno compile failed for ${target}:\n${stderr.trim()}`;
}

async function build(target: string | undefined): Promise<boolean> {
  const args = compileArgs(builtinConfig(), { target });
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("..", import.meta.url),
    stdout: "inherit",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  const label = target ?? "this machine";
  if (!output.success) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${explainCompileFailure(stderr, label)}\n`));
    return false;
  }
  Deno.stderr.writeSync(new TextEncoder().encode(stderr));
  return true;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { target: { type: "string" }, all: { type: "boolean" } },
  });
  if (values.target && !TARGETS.includes(values.target)) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(`Unknown target; use one of ${TARGETS.join(", ")}\n`),
    );
    Deno.exit(2);
  }
  const targets = values.all ? [...TARGETS] : [values.target];
  let ok = true;
  for (const target of targets) ok = (await build(target)) && ok;
  Deno.exit(ok ? 0 : 1);
}
