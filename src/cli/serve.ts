/**
 * `serve`: MCP on stdio (the default), or over Streamable HTTP with
 * `--http HOST:PORT` (tokens from `--tokens FILE`, Host and Origin checks),
 * until the client closes stdin or the process is told to stop. The flags
 * that only make sense for HTTP are refused without `--http`, before
 * anything is opened.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { log } from "../log.ts";
import { loadTokens } from "../mcp/auth.ts";
import { serveOverHttp } from "../mcp/serve_http.ts";
import { serve as serveStdio } from "../mcp/stdio.ts";
import { flushOnTermination } from "../politeness/shutdown.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { quoted } from "../_text.ts";

/** What `serve` reads from the command line. */
export interface ServeArguments {
  /** `--http HOST:PORT`. */
  http?: string;
  /** `--tokens FILE`. */
  tokens?: string;
  /** `--allowed-host NAME`, repeatable. */
  allowedHosts?: string[];
  /** `--allowed-origin ORIGIN`, repeatable. */
  allowedOrigins?: string[];
}

/** A listening address from `--http`. */
export interface ListenAddress {
  /** Host name or IP literal (IPv6 without brackets). */
  hostname: string;
  /** Port, 0 to 65535 (0: any free one). */
  port: number;
}

/**
 * Reads `HOST:PORT` (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0`).
 *
 * @throws {UsageError} for anything else
 */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !(port >= 0 && port <= 65535)) {
    throw new UsageError(
      `--http takes HOST:PORT (127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080), not ${quoted(text)}`,
    );
  }
  return { hostname: match[1] ?? match[2], port };
}

/**
 * Checks the HTTP-only flags (before the looking glass is opened).
 *
 * @throws {UsageError} for `--tokens`, `--allowed-host` or `--allowed-origin` without `--http`
 */
export function checkServeArguments(args: ServeArguments): ListenAddress | null {
  if (args.http === undefined) {
    const stray = [
      args.tokens !== undefined && "--tokens",
      args.allowedHosts?.length && "--allowed-host",
      args.allowedOrigins?.length && "--allowed-origin",
    ].filter(Boolean);
    if (stray.length > 0) {
      throw new UsageError(
        `${stray.join(", ")} only ${
          stray.length === 1 ? "applies" : "apply"
        } to serve --http HOST:PORT`,
      );
    }
    return null;
  }
  for (const origin of args.allowedOrigins ?? []) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // refused below
    }
    if (parsed === null || parsed.origin !== origin) {
      throw new UsageError(
        `--allowed-origin takes an origin such as https://app.example.net (scheme, host and ` +
          `port, no path), not ${quoted(origin)}`,
      );
    }
  }
  return parseListenAddress(args.http);
}

/**
 * Runs `serve`; `open` starts the looking glass once the arguments are known
 * to be good. Resolves once serving (the process keeps running).
 */
export async function serve(
  args: ServeArguments,
  open: () => Promise<LookingGlass>,
): Promise<void> {
  const listen = checkServeArguments(args);
  if (listen === null) {
    const lg = await open();
    // Killed mid-query: what is booked in memory still reaches the ledger.
    flushOnTermination(() => lg.flush());
    await serveStdio(lg);
    return;
  }
  const tokens = args.tokens === undefined ? null : await loadTokens(args.tokens);
  const lg = await open();
  let server;
  try {
    server = await serveOverHttp(lg, {
      ...listen,
      tokens,
      allowedHosts: args.allowedHosts,
      allowedOrigins: args.allowedOrigins,
    });
  } catch (error) {
    await lg.close();
    throw error;
  }
  // Stopped: no new requests, the ones in flight end, idle sessions say goodbye, the ledger
  // is written and Redis is let go.
  flushOnTermination(async () => {
    await server.shutdown();
    await lg.close();
    log("info", "stopped serving MCP over HTTP");
  });
}
