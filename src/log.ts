/**
 * Logging to stderr only: stdout carries the MCP protocol.
 *
 * @module
 */

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
  // deno-lint-ignore no-console
  console.error(`bgp-lg-mcp ${level}: ${message}`);
}
