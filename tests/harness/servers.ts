/**
 * servers.json entries for loopback test servers (fake telnet servers, relays).
 *
 * @module
 */

import { parseConfig, type ServerConfig } from "../../src/config/schema.ts";

/** An enabled, IPv4-only, login-less FRR server on 127.0.0.1; `extra` adds or overrides fields. */
export function loopbackEntry(
  name: string,
  port: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    host: "127.0.0.1",
    port,
    dialect: "frr",
    login: "none",
    location: name,
    addressFamilies: ["ipv4"],
    enabled: true,
    ...extra,
  };
}

/**
 * The checked configuration of one {@linkcode loopbackEntry} (located at
 * "loopback"), as a server list holding only it gives it.
 */
export function loopbackServer(
  name: string,
  port: number,
  extra: Record<string, unknown> = {},
): ServerConfig {
  return parseConfig({
    defaultServer: name,
    servers: [loopbackEntry(name, port, { location: "loopback", ...extra })],
  }, "test").servers[0];
}
