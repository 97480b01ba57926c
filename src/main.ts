/**
 * Command-line entry: `serve` (the default) runs the MCP server on stdio; the
 * other commands run the same queries for people. This file only reads the
 * command line and dispatches to `cli/` (and to `mcp/stdio.ts` for `serve`).
 *
 * ```sh
 * bgp-lg-mcp [serve] [--config FILE] [--no-names] [--no-dns]
 * bgp-lg-mcp query DEST [--server NAME] [--json]
 * bgp-lg-mcp compare DEST [--servers a,b,…|all] [--max-servers N] [--png FILE] [--mermaid] [--json]
 * bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
 * bgp-lg-mcp servers [--probe] [--json]
 * bgp-lg-mcp as ASN | --search TEXT [--limit N] [--json]
 * bgp-lg-mcp origin DEST [--json]
 * bgp-lg-mcp parse route|table|summary --dialect cisco-ios|frr|frr-json|junos [--family ipv4|ipv6] FILE|-
 * bgp-lg-mcp allow-net [--config FILE] [--no-dns] [--dns-server ADDR]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadCommunityDictionary } from "./bgp/community_dictionary.ts";
import { allowNet } from "./cli/allow_net.ts";
import { asCommand } from "./cli/as.ts";
import { compare } from "./cli/compare.ts";
import { origin } from "./cli/origin.ts";
import { cliWording, EXIT, fail, print } from "./cli/_output.ts";
import { parse } from "./cli/parse.ts";
import { query } from "./cli/query.ts";
import { servers } from "./cli/servers.ts";
import { summary } from "./cli/summary.ts";
import { USAGE } from "./cli/usage.ts";
import { builtinConfig, loadConfig } from "./config/load.ts";
import { CliError, CommunityDictionaryError, ConfigError, UsageError } from "./errors.ts";
import { describeError } from "./service/describe_error.ts";
import { setLogLevel } from "./log.ts";
import { serve } from "./mcp/stdio.ts";
import { flushOnTermination } from "./politeness/shutdown.ts";
import { LookingGlass } from "./service/looking_glass.ts";
import { VERSION } from "./version.ts";
import { escaped, quoted } from "./_text.ts";
import { parseDnsServer } from "./validation/resolve_host.ts";

export { type ServeOptions, serveStdio } from "./mcp/stdio.ts";
// What serveStdio takes, so that this entry point documents itself.
export type {
  Capability,
  Config,
  Diagnostic,
  DialectId,
  Limits,
  ServerConfig,
} from "./config/schema.ts";
export type { Family } from "./validation/destination.ts";
export type { Login } from "./telnet/login.ts";
export type { QuotaLimits } from "./politeness/ledger.ts";
export type { CommunityDictionary } from "./bgp/community_dictionary.ts";

/** Runs the CLI with the given arguments; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string" },
        ledger: { type: "string" },
        communities: { type: "string" },
        server: { type: "string" },
        servers: { type: "string" },
        "max-servers": { type: "string" },
        png: { type: "string" },
        mermaid: { type: "boolean" },
        family: { type: "string" },
        limit: { type: "string" },
        dialect: { type: "string" },
        json: { type: "boolean" },
        probe: { type: "boolean" },
        search: { type: "string" },
        "no-names": { type: "boolean" },
        "names-data": { type: "string" },
        "no-dns": { type: "boolean" },
        "dns-server": { type: "string" },
        verbose: { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return fail(EXIT.usage, `${escaped((error as Error).message)}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return print(USAGE);
  if (values.version) return print(VERSION);
  if (values.verbose) setLogLevel("debug");
  const [command = "serve", ...rest] = positionals;

  try {
    if (command === "parse") {
      return await parse(rest, { dialect: values.dialect, family: values.family });
    }
    const config = values.config ? await loadConfig(values.config) : builtinConfig();
    const communityDictionary = values.communities
      ? await loadCommunityDictionary(values.communities)
      : undefined;
    const dnsServer = dnsServerOption(values["dns-server"]);
    const hostNames = !values["no-dns"] && config.hostNames;
    const lookups = {
      asNames: !values["no-names"] && config.asNames,
      namesData: values["names-data"],
      hostNames,
      dnsServer,
    };
    const open = async () => {
      const lg = await LookingGlass.open(config, {
        ledgerPath: values.ledger === "memory" ? null : values.ledger,
        communityDictionary,
        ...lookups,
      });
      // Killed mid-query: what is booked in memory still reaches the state file.
      flushOnTermination(() => lg.flush());
      return lg;
    };
    // The offline lookups ask no route server, so they book nothing: no ledger file.
    const openOffline = () => LookingGlass.open(config, { ledgerPath: null, ...lookups });
    switch (command) {
      case "serve":
        await serve(await open());
        return EXIT.ok;
      case "allow-net":
        return allowNet(config, { hostNames, dnsServer });
      case "query":
        return await query({ rest, server: values.server, json: values.json }, open);
      case "compare":
        return await compare({ rest, ...values }, open);
      case "summary":
        return await summary(values, open);
      case "servers":
        return await servers(values, open);
      case "as":
        return await asCommand({ rest, ...values }, openOffline);
      case "origin":
        return await origin({ rest, json: values.json }, openOffline);
      default:
        throw new UsageError(`Unknown command ${quoted(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT.usage, `${error.message}\n\n${USAGE}`);
    if (error instanceof ConfigError || error instanceof CommunityDictionaryError) {
      return fail(EXIT.usage, error.message);
    }
    if (error instanceof CliError) return fail(EXIT.failed, error.message);
    return fail(EXIT.failed, cliWording(describeError(error)));
  }
}

/** `--dns-server ADDR[:PORT]`, read. */
function dnsServerOption(text: string | undefined): { ipAddr: string; port: number } | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDnsServer(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

if (import.meta.main) {
  // `serve` returns once connected and keeps running while stdin is open.
  Deno.exitCode = await main(Deno.args);
}
