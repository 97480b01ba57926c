/**
 * Command-line entry: `serve` (the default) runs the MCP server on stdio; the
 * other commands run the same queries for people.
 *
 * ```sh
 * bgp-lg-mcp [serve] [--config FILE]
 * bgp-lg-mcp query DEST [--server NAME] [--json]
 * bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
 * bgp-lg-mcp servers [--probe] [--json]
 * bgp-lg-mcp parse route|summary --dialect cisco-ios|frr|frr-json|junos FILE|-
 * bgp-lg-mcp allow-net [--config FILE]
 * ```
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { StdioServerTransport } from "./mcp/_sdk.ts";
import {
  type CommunityDictionary,
  CommunityDictionaryError,
  loadCommunityDictionary,
} from "./bgp/communities.ts";
import { builtinConfig, type Config, ConfigError, loadConfig } from "./config/schema.ts";
import { describeError } from "./errors.ts";
import { parseIosRoute, parseIosSummary } from "./dialects/cisco_ios.ts";
import { parseFrrRoute, parseFrrSummary } from "./dialects/frr.ts";
import { parseFrrRouteJson, parseFrrSummaryJson } from "./dialects/frr_json.ts";
import { parseJunosRoute, parseJunosSummary } from "./dialects/junos.ts";
import { log, setLogLevel } from "./log.ts";
import { fetchSummary, lookupRoute } from "./service/lookup.ts";
import { LookingGlass } from "./service/looking_glass.ts";
import { allowNetFlag } from "./config/permissions.ts";
import { renderRoute, renderServers, renderSummary } from "./render.ts";
import { createServer } from "./mcp/server.ts";
import { flushOnTermination } from "./politeness/shutdown.ts";
import type { Family } from "./validation/destination.ts";
import { VERSION } from "./version.ts";
import { FileReadError, readBoundedText, readBoundedTextFile } from "./_files.ts";
import { escaped, quoted } from "./_text.ts";

const USAGE = `bgp-lg-mcp ${VERSION}: a BGP looking glass for MCP clients (Route Views over telnet)

Usage:
  bgp-lg-mcp [serve] [--config FILE]          serve MCP on stdio (default)
  bgp-lg-mcp query DEST [--server NAME] [--json]
  bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
  bgp-lg-mcp servers [--probe] [--json]
  bgp-lg-mcp parse route|summary --dialect cisco-ios|frr|frr-json|junos FILE|-
  bgp-lg-mcp allow-net [--config FILE]        print --allow-net=… for the enabled servers

Options:
  --config FILE   server list to use instead of the built-in servers.json
  --communities FILE  names for operators' communities (JSON; see README)
  --ledger FILE   quota ledger file (default: ledger.json in $XDG_STATE_HOME/bgp-lg-mcp
                  or ~/.local/state/bgp-lg-mcp, the first this process may read and
                  write); "memory" keeps it in memory only
  --verbose       log connections and commands to stderr
  --version       print the version
  --help          print this help`;

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

/** Exit codes. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

/** A failure the CLI reports in one line (no usage, no stack): exit code 1. */
class CliError extends Error {}

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
        family: { type: "string" },
        limit: { type: "string" },
        dialect: { type: "string" },
        json: { type: "boolean" },
        probe: { type: "boolean" },
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
    if (command === "parse") return await parse(rest, values.dialect);
    const config = values.config ? await loadConfig(values.config) : builtinConfig();
    const communityDictionary = values.communities
      ? await loadCommunityDictionary(values.communities)
      : undefined;
    const open = async () => {
      const lg = await LookingGlass.open(config, {
        ledgerPath: values.ledger === "memory" ? null : values.ledger,
        communityDictionary,
      });
      // Killed mid-query: what is booked in memory still reaches the state file.
      flushOnTermination(() => lg.flush());
      return lg;
    };
    switch (command) {
      case "serve":
        return await serve(await open());
      case "allow-net":
        return print(allowNetFlag(config));
      case "query": {
        if (rest.length !== 1) throw new UsageError("query takes one destination");
        await using lg = await open();
        const result = await lookupRoute(lg, { destination: rest[0], server: values.server });
        return print(values.json ? JSON.stringify(result, null, 2) : renderRoute(result));
      }
      case "summary": {
        const family = values.family ?? "ipv4";
        if (family !== "ipv4" && family !== "ipv6") {
          throw new UsageError("--family is ipv4 or ipv6");
        }
        const limit = values.limit === undefined ? undefined : Number(values.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
          throw new UsageError("--limit is a positive whole number");
        }
        await using lg = await open();
        const result = await fetchSummary(lg, {
          server: values.server,
          addressFamily: family as Family,
          limit,
        });
        return print(values.json ? JSON.stringify(result, null, 2) : renderSummary(result));
      }
      case "servers": {
        await using lg = await open();
        const enabled = config.servers.filter((s) => s.enabled);
        const probes = values.probe ? await lg.probe(enabled) : undefined;
        const byServer = probes && config.servers.map((s) => probes[enabled.indexOf(s)]);
        const budgets = config.servers.map((s) => lg.budget(s));
        if (values.json) {
          const servers = config.servers.map((s, i) => ({
            ...s,
            // Never print a password.
            login: s.login === "none" || s.login.password === undefined
              ? s.login
              : { ...s.login, password: "(set)" },
            budget: budgets[i],
            probe: byServer?.[i],
          }));
          return print(JSON.stringify({ defaultServer: config.defaultServer, servers }, null, 2));
        }
        return print(
          `Default server: ${config.defaultServer}\n${
            renderServers(config.servers, byServer, budgets)
          }`,
        );
      }
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

export type { Config } from "./config/schema.ts";
export type { CommunityDictionary } from "./bgp/communities.ts";

/** Options for {@linkcode serveStdio}. */
export interface ServeOptions {
  /** Quota ledger file; `undefined` uses the user's state directory, `null` keeps it in memory. */
  ledgerPath?: string | null;
  /** Names for operators' communities. */
  communityDictionary?: CommunityDictionary;
}

/**
 * Serves MCP on stdio for a configuration until the client closes stdin; then
 * says goodbye to idle sessions and saves the quota ledger. Resolves once serving.
 */
export async function serveStdio(config: Config, options: ServeOptions = {}): Promise<void> {
  const lg = await LookingGlass.open(config, options);
  flushOnTermination(() => lg.flush());
  await serve(lg);
}

async function serve(lg: LookingGlass): Promise<number> {
  const server = createServer(lg);
  await server.connect(new StdioServerTransport());
  // The client closing our stdin is the end of the session: say goodbye to idle
  // sessions, save the ledger, and stop so the process can exit.
  process.stdin.once("end", () => {
    log("info", "stdin closed; shutting down");
    server.close().finally(() => lg.close()).catch(() => {});
  });
  const { config } = lg;
  log("info", `serving MCP on stdio with ${config.servers.length} servers from ${config.source}`);
  return EXIT.ok;
}

async function parse(rest: string[], dialect: string | undefined): Promise<number> {
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

/** Largest capture `parse` reads: the most a server's answer may be (`maxOutputBytes` ≤ 64 MiB). */
const MAX_PARSE_BYTES = 64 * 1024 * 1024;

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

/**
 * A message from the shared core as the CLI says it: the core names the MCP
 * tool `list_servers`, which on the command line is the `servers` command.
 */
function cliWording(message: string): string {
  return message.replaceAll(/\blist_servers\b/g, "the servers command");
}

function print(text: string): number {
  writeAll(Deno.stdout, `${text}\n`);
  return EXIT.ok;
}

function fail(code: number, message: string): number {
  writeAll(Deno.stderr, `${message}\n`);
  return code;
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) offset += stream.writeSync(bytes.subarray(offset));
}

if (import.meta.main) {
  // `serve` returns once connected and keeps running while stdin is open.
  Deno.exitCode = await main(Deno.args);
}
