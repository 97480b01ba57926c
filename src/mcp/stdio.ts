/**
 * Serving MCP on stdio: the server on a running looking glass, connected to
 * the process's stdin and stdout, until the client closes stdin; then idle
 * sessions are closed politely and the quota ledger is saved.
 *
 * @module
 */

import process from "node:process";
import type { CommunityDictionary } from "../bgp/community_dictionary.ts";
import type { Config } from "../config/schema.ts";
import { log } from "../log.ts";
import { flushOnTermination } from "../politeness/shutdown.ts";
import { LookingGlass } from "../service/looking_glass.ts";
import { StdioServerTransport } from "./_sdk.ts";
import { createServer } from "./server.ts";

/** Options for {@linkcode serveStdio}. */
export interface ServeOptions {
  /** Quota ledger file; `undefined` uses the user's state directory, `null` keeps it in memory. */
  ledgerPath?: string | null;
  /** Names for operators' communities. */
  communityDictionary?: CommunityDictionary;
  /** Name ASes from the offline dataset (default: the server list's `asNames`, true). */
  asNames?: boolean;
  /** An AS-names data file instead of the built-in table. */
  namesData?: string;
  /** Accept host names as destinations (default: the server list's `hostNames`, true). */
  hostNames?: boolean;
  /** The DNS server to ask instead of the system's. */
  dnsServer?: { ipAddr: string; port: number };
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

/** Serves MCP on stdio on a running looking glass; resolves once serving. */
export async function serve(lg: LookingGlass): Promise<void> {
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
}
