/**
 * Serving MCP over Streamable HTTP on a running looking glass (`serve --http
 * HOST:PORT`): the HTTP edge (`http.ts`: tokens, Host/Origin checks,
 * `/healthz`, `/metrics`) with one fresh MCP server per request on the shared
 * looking glass — its pools, cache, connection limits and quota ledger, in
 * Redis for a team (`--redis`). `/metrics` is fed with the quota used per
 * server and the cache's counts just before each scrape.
 *
 * @module
 */

import { budgetKey } from "../politeness/budget.ts";
import { announce } from "../log.ts";
import { engineOf, type LookingGlass } from "../service/looking_glass.ts";
import type { Tokens } from "./auth.ts";
import { type HttpServer, serveHttp } from "./http.ts";
import { serverMetrics } from "./metrics.ts";
import { createServer } from "./server.ts";
import { collectTeamMetrics } from "./team_metrics.ts";

/** Options for {@linkcode serveOverHttp}. */
export interface HttpServiceOptions {
  /** Address to listen on (`127.0.0.1`, `::1`, `0.0.0.0` …). */
  hostname: string;
  /** Port (0: any free one; the address is logged). */
  port: number;
  /** Bearer tokens (`--tokens`); without them only a loopback address is allowed. */
  tokens?: Tokens | null;
  /** More names the Host header may carry (`--allowed-host`). */
  allowedHosts?: readonly string[];
  /** Web origins allowed to call (`--allowed-origin`); none by default. */
  allowedOrigins?: readonly string[];
}

/**
 * Starts serving MCP over HTTP at `/mcp` on a running looking glass; resolves
 * once listening. Shut the returned server down before closing the looking glass.
 *
 * @throws {BindRefusedError} for a non-loopback address without tokens (nothing is opened)
 */
export async function serveOverHttp(
  lg: LookingGlass,
  options: HttpServiceOptions,
): Promise<HttpServer> {
  const metrics = serverMetrics();
  const engine = engineOf(lg);
  collectTeamMetrics(metrics, {
    servers: lg.config.servers.map((s) => ({ name: s.name, key: budgetKey(s), quota: s.quota })),
    budget: async (key) => {
      const server = lg.config.servers.find((s) => budgetKey(s) === key)!;
      return (await lg.budgets(server, undefined)).team;
    },
    cacheStats: () => engine.cache.stats,
    sharedStateUp: engine.team ? () => engine.team!.link.ready : undefined,
  });
  const { promise: listening, resolve } = Promise.withResolvers<void>();
  const server = serveHttp({
    hostname: options.hostname,
    port: options.port,
    tokens: options.tokens,
    createServer: () => createServer(lg),
    metrics,
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    onListen: () => resolve(),
  });
  await listening;
  const users = options.tokens
    ? `tokens for ${options.tokens.size} ${options.tokens.size === 1 ? "user" : "users"}`
    : "no tokens";
  announce(
    `serving MCP over HTTP at ${server.url} (stateless: one MCP server per request; ${users}; ` +
      `quota ledger: ${lg.ledgerMode}${engine.team ? ` at ${engine.team.link.url}` : ""}) with ` +
      `${lg.config.servers.length} servers from ${lg.config.source}`,
  );
  return server;
}
