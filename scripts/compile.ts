/**
 * `deno task compile`: builds the `bgp-lg-mcp` binary with `deno compile`,
 * permissions baked in: `--no-prompt` and an `--allow-net` list of exactly the
 * enabled servers of the shipped servers.json (which is compiled in), plus the
 * DNS servers host names are resolved with. The AS-names table is a module
 * and is compiled in too: no `--allow-read` is needed for it.
 *
 * A binary's permissions cannot change after it is built, and the DNS servers
 * of the machine that runs it are not known when it is built, so:
 *
 * - for this machine (no `--target`): the nameservers of this machine's
 *   /etc/resolv.conf on port 53, exactly as `deno task start` allows them;
 * - with `--dns-server ADDR[:PORT]`: that server, allowed and baked in as the
 *   binary's `--dns-server` (the one to use for binaries for other machines);
 * - for another target without `--dns-server`, or with `--no-dns`: none, and
 *   `--no-dns` baked in, so a host name is refused with that reason.
 *
 * ```sh
 * deno task compile                    # host target → dist/bgp-lg-mcp
 * deno task compile --target aarch64-apple-darwin --dns-server 192.0.2.53
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
import { allowNetList } from "../src/config/permissions.ts";
import { dnsAllowNet, dnsServerEntry, parseDnsServer } from "../src/validation/resolve_host.ts";

/** Targets `deno compile --target` accepts. */
export const TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/** How a binary resolves host names. */
export type CompileDns =
  /** The system's resolver, with these `--allow-net` entries (this machine's nameservers). */
  | { system: string[] }
  /** This DNS server, allowed and baked in as `--dns-server`. */
  | { server: { ipAddr: string; port: number } }
  /** None: `--no-dns` baked in. */
  | "off";

/**
 * How the binary for `target` resolves host names: the `--dns-server` given;
 * none for another target or `--no-dns`; else this machine's nameservers
 * (from the text of its /etc/resolv.conf, when there is one).
 */
export function compileDns(
  options: { target?: string; dnsServer?: string; noDns?: boolean; resolvConf?: string },
): CompileDns {
  if (options.noDns) return "off";
  if (options.dnsServer !== undefined) return { server: parseDnsServer(options.dnsServer) };
  if (options.target !== undefined) return "off";
  const system = dnsAllowNet(options.resolvConf ?? "");
  return system.length > 0 ? { system } : "off";
}

/** The `deno` arguments that build one binary. */
export function compileArgs(
  config: Config,
  options: { target?: string; outDir?: string; dns?: CompileDns } = {},
): string[] {
  const outDir = options.outDir ?? "dist";
  const name = options.target
    ? `bgp-lg-mcp-${options.target}${options.target.includes("windows") ? ".exe" : ""}`
    : "bgp-lg-mcp";
  const dns = options.dns ?? "off";
  const allowDns = dns === "off" ? [] : "system" in dns ? dns.system : [dnsServerEntry(dns.server)];
  // Arguments after the script are baked into the binary, before the ones it is run with.
  const baked = dns === "off"
    ? ["--no-dns"]
    : "server" in dns
    ? ["--dns-server", dnsServerEntry(dns.server)]
    : [];
  return [
    "compile",
    "--no-prompt",
    `--allow-net=${[...allowNetList(config), ...allowDns].join(",")}`,
    "--output",
    `${outDir}/${name}`,
    ...(options.target ? ["--target", options.target] : []),
    "src/main.ts",
    ...baked,
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

async function build(target: string | undefined, dns: CompileDns): Promise<boolean> {
  const args = compileArgs(builtinConfig(), { target, dns });
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
    options: {
      target: { type: "string" },
      all: { type: "boolean" },
      "dns-server": { type: "string" },
      "no-dns": { type: "boolean" },
    },
  });
  if (values.target && !TARGETS.includes(values.target)) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(`Unknown target; use one of ${TARGETS.join(", ")}\n`),
    );
    Deno.exit(2);
  }
  const targets = values.all ? [...TARGETS] : [values.target];
  let resolvConf = "";
  try {
    resolvConf = Deno.readTextFileSync("/etc/resolv.conf");
  } catch {
    // No resolver configuration on this machine: its binary resolves no host names.
  }
  let ok = true;
  for (const target of targets) {
    const dns = compileDns({
      target,
      dnsServer: values["dns-server"],
      noDns: values["no-dns"],
      resolvConf,
    });
    const how = dns === "off"
      ? "no host names (--no-dns)"
      : "server" in dns
      ? `host names through ${dnsServerEntry(dns.server)}`
      : `host names through ${dns.system.join(", ")} (this machine's resolvers)`;
    Deno.stderr.writeSync(new TextEncoder().encode(`${target ?? "this machine"}: ${how}\n`));
    ok = (await build(target, dns)) && ok;
  }
  Deno.exit(ok ? 0 : 1);
}
