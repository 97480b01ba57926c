/**
 * Command-line entry: `serve` (the default) runs the MCP server on stdio, or
 * over Streamable HTTP with `--http`; the other commands run the same queries
 * for people. `--redis URL` puts the quota ledger, the answer cache and the
 * connection limits in a team's Redis, for every command that asks a route
 * server. This file only reads the command line and dispatches to `cli/`.
 *
 * ```sh
 * bgp-lg-mcp [serve] [--config FILE] [--no-names] [--no-dns] [--redis URL]
 * bgp-lg-mcp serve --http HOST:PORT [--tokens FILE] [--redis URL] [--user-share F]
 * bgp-lg-mcp query DEST [--server NAME] [--json]
 * bgp-lg-mcp compare DEST [--servers a,b,…|all] [--max-servers N] [--png FILE] [--mermaid] [--json]
 * bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
 * bgp-lg-mcp servers [--probe] [--json] [--redis URL] [--user NAME]
 * bgp-lg-mcp as ASN | --search TEXT [--limit N] [--json]
 * bgp-lg-mcp origin DEST [--json]
 * bgp-lg-mcp parse route|table|summary --dialect cisco-ios|frr|frr-json|junos [--family ipv4|ipv6] FILE|-
 * bgp-lg-mcp allow-net [--config FILE] [--no-dns] [--dns-server ADDR] [--http HOST:PORT] [--redis URL]
 * ```
 *
 * @module
 */

import { loadCommunityDictionary } from "./bgp/community_dictionary.ts";
import { allowNet } from "./cli/allow_net.ts";
import { readCommandLine, teamOptions } from "./cli/args.ts";
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
import {
  BindRefusedError,
  CliError,
  CommunityDictionaryError,
  ConfigError,
  RedisConfigError,
  TokenFileError,
  UsageError,
} from "./errors.ts";
import { describeError } from "./service/describe_error.ts";
import { setLogLevel } from "./log.ts";
import { serve } from "./cli/serve.ts";
import { flushOnTermination } from "./politeness/shutdown.ts";
import { openLookingGlass } from "./service/looking_glass.ts";
import { runAsUser } from "./politeness/user_context.ts";
import { VERSION } from "./version.ts";
import { quoted } from "./_text.ts";
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
  let line;
  try {
    line = readCommandLine(args);
  } catch (error) {
    return fail(EXIT.usage, `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, command, rest } = line;
  if (values.help) return print(USAGE);
  if (values.version) return print(VERSION);
  if (values.verbose) setLogLevel("debug");

  try {
    if (command === "parse") {
      return await parse(rest, { dialect: values.dialect, family: values.family });
    }
    const team = teamOptions(values, command);
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
    const open = () =>
      openLookingGlass(config, {
        ledgerPath: values.ledger === "memory" ? null : values.ledger,
        communityDictionary,
        ...lookups,
        ...team,
      });
    // A command killed mid-query: what is booked in memory still reaches the ledger.
    const openForCommand = async () => {
      const lg = await open();
      flushOnTermination(() => lg.flush());
      return lg;
    };
    // The offline lookups ask no route server, so they book nothing: no ledger, no Redis.
    const openOffline = () =>
      openLookingGlass(config, { ledgerPath: null, communityDictionary, ...lookups });
    // On the command line the operator may act as one of the team's users (their share applies).
    const asUser = <T>(fn: () => Promise<T>) =>
      values.user === undefined ? fn() : runAsUser(values.user, fn);
    switch (command) {
      case "serve":
        await serve({
          http: values.http,
          tokens: values.tokens,
          allowedHosts: values["allowed-host"],
          allowedOrigins: values["allowed-origin"],
        }, open);
        return EXIT.ok;
      case "allow-net":
        return allowNet(config, { hostNames, dnsServer, http: values.http, redis: values.redis });
      case "query":
        return await asUser(() =>
          query({ rest, server: values.server, json: values.json }, openForCommand)
        );
      case "compare":
        return await asUser(() => compare({ rest, ...values }, openForCommand));
      case "summary":
        return await asUser(() => summary(values, openForCommand));
      case "servers":
        return await asUser(() => servers(values, openForCommand));
      case "as":
        return await asCommand({ rest, ...values }, openOffline);
      case "origin":
        return await origin({ rest, json: values.json }, openOffline);
      default:
        throw new UsageError(`Unknown command ${quoted(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT.usage, `${error.message}\n\n${USAGE}`);
    if (
      error instanceof ConfigError || error instanceof CommunityDictionaryError ||
      error instanceof TokenFileError || error instanceof BindRefusedError
    ) {
      return fail(EXIT.usage, error.message);
    }
    if (error instanceof CliError || error instanceof RedisConfigError) {
      return fail(EXIT.failed, error.message);
    }
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
