/**
 * MCP resources: `servers://list` (every configured server with its remaining
 * quota, as JSON) and `servers://{name}` (one server in detail, with its
 * session pool state). Passwords are never shown.
 *
 * @module
 */

import { type McpServer, ResourceTemplate } from "./_sdk.ts";
import { ProtocolError } from "../errors.ts";
import type { ServerConfig } from "../config/schema.ts";
import { engineOf, type LookingGlass } from "../service/looking_glass.ts";
import { quoted } from "../_text.ts";

/**
 * The JSON-RPC error code for a resource that does not exist, as the MCP
 * specification versions this SDK speaks (up to 2025-11-25) define it. SDK
 * 1.32.2 has no constant for it. (The 2026-07-28 revision moves it to -32602
 * and asks clients to accept both.)
 */
export const RESOURCE_NOT_FOUND = -32002;

/** What a resource shows of a server. */
function describeServer(lg: LookingGlass, server: ServerConfig, detailed: boolean) {
  const login = server.login === "none" ? "none" : {
    username: server.login.username,
    password: server.login.password === undefined ? "none" : "(set)",
  };
  return {
    name: server.name,
    host: server.host,
    port: server.port,
    dialect: server.dialect,
    location: server.location,
    addressFamilies: server.addressFamilies,
    enabled: server.enabled,
    supports: server.supports,
    confirmed: server.confirmed,
    ...(server.successor ? { successor: server.successor } : {}),
    budget: lg.budget(server),
    ...(detailed
      ? {
        login,
        preferJson: server.preferJson,
        limits: server.limits,
        sessions: engineOf(lg).pool.stats(server.name),
      }
      : {}),
  };
}

/** Registers the server resources. */
export function registerResources(server: McpServer, lg: LookingGlass): void {
  const { config } = lg;
  server.registerResource(
    "servers",
    "servers://list",
    {
      title: "Route servers",
      description: "Every configured route server: host, dialect, location, address families, " +
        "whether it is enabled, and the quota left over the last 24 h",
      mimeType: "application/json",
    },
    (uri) => ({
      contents: [{
        uri: uri.href,
        mimeType: "application/json",
        text: JSON.stringify(
          {
            defaultServer: config.defaultServer,
            servers: config.servers.map((s) => describeServer(lg, s, false)),
          },
          null,
          2,
        ),
      }],
    }),
  );
  server.registerResource(
    "server",
    new ResourceTemplate("servers://{name}", {
      list: () => ({
        resources: config.servers.map((s) => ({
          uri: `servers://${s.name}`,
          name: s.name,
          title: `${s.name} (${s.location})`,
          mimeType: "application/json",
        })),
      }),
      complete: {
        name: (value) => config.servers.map((s) => s.name).filter((n) => n.startsWith(value)),
      },
    }),
    {
      title: "Route server",
      description: "One route server in detail: login kind, limits, quota use and open sessions",
      mimeType: "application/json",
    },
    (uri, variables) => {
      const name = String(variables.name);
      const found = config.servers.find((s) => s.name === name);
      if (!found) {
        throw new ProtocolError(
          RESOURCE_NOT_FOUND,
          `Resource not found: no server named ${quoted(name)}; see servers://list`,
          { uri: uri.href },
        );
      }
      return {
        contents: [{
          uri: uri.href,
          mimeType: "application/json",
          text: JSON.stringify(describeServer(lg, found, true), null, 2),
        }],
      };
    },
  );
}
