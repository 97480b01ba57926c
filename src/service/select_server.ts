/**
 * Which server answers a query: the one named, or the configured default, or
 * (when the default does not carry the family) the first enabled server that
 * does. A refusal says which servers would do.
 *
 * @module
 */

import { type Config, enabledServers, type ServerConfig } from "../config/schema.ts";
import { ServerSelectionError } from "../errors.ts";
import type { Family } from "../validation/destination.ts";
import { quoted } from "../_text.ts";

/**
 * For the name of a disabled entry that names its successor (a renamed or
 * retired collector), the answer to give: which server to use instead.
 * `null` for any other name.
 */
export function successorMessage(config: Config, name: string): string | null {
  const entry = config.servers.find((s) => s.name === name && !s.enabled && s.successor);
  if (!entry?.successor) return null;
  const next = config.servers.find((s) => s.name === entry.successor);
  const where = next?.location ? ` (${next.location})` : "";
  return `${entry.name} is no longer in service under that name: use ${entry.successor}` +
    `${where} instead`;
}

/** The server chosen for a query and why. */
export interface ServerChoice {
  /** The server. */
  server: ServerConfig;
  /** Set when a different server than the default was chosen. */
  warnings: string[];
}

/**
 * Chooses the server for a query: the named one, or the configured default,
 * or (when the default does not carry the family) the first enabled server that does.
 *
 * @throws {ServerSelectionError} for an unknown or disabled name, or a family the server lacks
 */
export function selectServer(
  config: Config,
  name: string | undefined,
  family: Family | undefined,
): ServerChoice {
  const enabled = enabledServers(config);
  const carrying = (f: Family) => enabled.filter((s) => s.addressFamilies.includes(f));
  const label = (f: Family) => (f === "ipv4" ? "IPv4" : "IPv6");
  if (name !== undefined) {
    const server = config.servers.find((s) => s.name === name);
    if (!server) {
      throw new ServerSelectionError(
        `Unknown server ${quoted(name)}. Use list_servers to see the configured servers`,
        name,
      );
    }
    if (!server.enabled) {
      throw new ServerSelectionError(
        successorMessage(config, name) ?? `Server ${quoted(name)} is disabled in the server list`,
        name,
      );
    }
    if (family && !server.addressFamilies.includes(family)) {
      const others = carrying(family).slice(0, 5).map((s) => s.name).join(", ");
      throw new ServerSelectionError(
        `${name} does not carry ${label(family)} routes (per the server list). ` +
          `Servers that do: ${others || "none"}`,
        name,
      );
    }
    return { server, warnings: [] };
  }
  const fallback = enabled.find((s) => s.name === config.defaultServer)!;
  if (!family || fallback.addressFamilies.includes(family)) {
    return { server: fallback, warnings: [] };
  }
  const substitute = carrying(family)[0];
  if (!substitute) {
    throw new ServerSelectionError(`No enabled server carries ${label(family)} routes`);
  }
  return {
    server: substitute,
    warnings: [
      `The default server ${fallback.name} does not carry ${label(family)} routes; ` +
      `asked ${substitute.name} instead`,
    ],
  };
}
