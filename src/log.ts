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
  // One line per message, without control characters that could upset a terminal or a log file.
  // deno-lint-ignore no-control-regex
  const clean = message.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?").replaceAll("\n", " | ");
  // deno-lint-ignore no-console
  console.error(`bgp-lg-mcp ${level}: ${clean}`);
}
