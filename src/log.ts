/**
 * Logging to stderr only: stdout carries the MCP protocol.
 *
 * @module
 */

import { escaped } from "./_text.ts";

/** Log levels, least to most verbose. */
export type LogLevel = "error" | "warn" | "info" | "debug";

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
let threshold: LogLevel = "warn";

/** Sets the most verbose level that is printed. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Writes one line to stderr if `level` is enabled. */
export function log(level: LogLevel, message: string): void {
  if (ORDER[level] > ORDER[threshold]) return;
  // One line per message, every control or invisible formatting character escaped: paths and
  // names in messages come from the user or a server, and must not act on a terminal or a log.
  const clean = escaped(message.replaceAll("\n", " | "), Infinity);
  // deno-lint-ignore no-console
  console.error(`bgp-lg-mcp ${level}: ${clean}`);
}

/**
 * Writes one line to stderr whatever the level: what an operator must see,
 * such as the address a server listens on.
 */
export function announce(message: string): void {
  const clean = escaped(message.replaceAll("\n", " | "), Infinity);
  // deno-lint-ignore no-console
  console.error(`bgp-lg-mcp: ${clean}`);
}
