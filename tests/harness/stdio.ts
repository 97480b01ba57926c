/**
 * Spawns the real server process over stdio with the SDK's client, with
 * network access limited to the given loopback ports and read access to its
 * config file only.
 */

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Client } from "./mcp.ts";

/**
 * Peak RSS a server process may add once the AS-names table is loaded (the
 * first answer loads it): the ceiling issue 12 sets; README's Performance
 * table has the measured figure. Memory bounds of whole processes add it.
 */
export const NAMES_RSS_ALLOWANCE = 80 * 1024 * 1024;

/**
 * Peak RSS a server process may add once it has drawn pictures (issue 13):
 * Graphviz and resvg WebAssembly compiled by the baseline compiler
 * (`--v8-flags=--liftoff-only`, as `deno task start` runs) and their memory,
 * which does not shrink; `deno task bench:picture` measures about +60 MB.
 */
export const PICTURE_RSS_ALLOWANCE = 70 * 1024 * 1024;

/** A running server process with a connected client. */
export interface StdioServer extends AsyncDisposable {
  client: Client;
  /** The server process id. */
  pid: number;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Peak resident set size of the process so far, in bytes (Linux). */
  peakRss(): Promise<number>;
}

/**
 * Starts `src/main.ts --config <config>` with `--allow-net` for exactly
 * `allowNet`. Host names are off (`--no-dns`) unless `extraArgs` name a
 * loopback `--dns-server`: no test asks the system's resolver.
 */
export async function spawnServer(
  config: string,
  allowNet: string[],
  extraArgs: string[] = [],
): Promise<StdioServer> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [
      "run",
      "--no-prompt",
      `--allow-net=${allowNet.join(",")}`,
      `--allow-read=${config}`,
      "src/main.ts",
      "--config",
      config,
      ...(extraArgs.includes("--dns-server") ? [] : ["--no-dns"]),
      ...extraArgs,
    ],
    cwd: new URL("../..", import.meta.url).pathname,
    env: Object.fromEntries(
      ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((k) => {
        const v = Deno.env.get(k);
        return v === undefined ? [] : [[k, v]];
      }),
    ),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
  const client = new Client({ name: "bgp-lg-mcp-tests", version: "0.0.0" });
  await client.connect(transport);
  const pid = transport.pid!;
  return {
    client,
    pid,
    stderr: () => stderr,
    async peakRss() {
      // Deno asks for full access to read /proc directly; `cat` needs only --allow-run.
      const output = await new Deno.Command("cat", {
        args: [`/proc/${pid}/status`],
        stdout: "piped",
      }).output();
      const status = new TextDecoder().decode(output.stdout);
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
      return kb * 1024;
    },
    async [Symbol.asyncDispose]() {
      await client.close();
      // StdioClientTransport.close() leaves a 2 s timer behind; let it fire (op sanitizer).
      await new Promise((resolve) => setTimeout(resolve, 2100));
    },
  };
}
