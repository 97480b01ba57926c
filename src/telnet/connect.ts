/**
 * The TCP connection to a route server: `Deno.connect` within a timeout and
 * cancellable, with failures that say what happened and what to do (a
 * missing `--allow-net` entry names the exact `host:port` to add).
 *
 * @module
 */

import { abortError, TelnetError } from "../errors.ts";
import { deadlineSignal } from "../_async.ts";

/** Where to connect. */
export interface ConnectTarget {
  /** Configured server name, used in messages. */
  name: string;
  /** Host name or IP literal, exactly as allowed by `--allow-net`. */
  host: string;
  /** TCP port. */
  port: number;
}

/** Options for {@linkcode connectTcp}. */
export interface ConnectOptions {
  /** Time allowed for the TCP connection. */
  connectTimeoutMs: number;
  /** Cancels the connection attempt. */
  signal?: AbortSignal;
}

/**
 * Opens the TCP connection to a server within `connectTimeoutMs`.
 *
 * @throws {TelnetError} `permission` when `--allow-net` does not include the server,
 * `connect` when it cannot be reached in time; the signal's reason when it aborts
 */
export async function connectTcp(
  target: ConnectTarget,
  options: ConnectOptions,
): Promise<Deno.TcpConn> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  using deadline = deadlineSignal(options.connectTimeoutMs, { signal });
  try {
    return await Deno.connect({
      hostname: target.host,
      port: target.port,
      signal: deadline.signal,
    });
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    const where = `${target.name} (${target.host}:${target.port})`;
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new TelnetError(
        target.name,
        "permission",
        `This process is not allowed to connect to ${where}: ${error.message}. ` +
          `Start it with --allow-net that includes ${hostPort(target)}`,
        { cause: error },
      );
    }
    if (deadline.expired) {
      throw new TelnetError(
        target.name,
        "connect",
        `Could not connect to ${where} within ${seconds(options.connectTimeoutMs)}. ` +
          "The server may be down or unreachable from here; try another server",
        { cause: error },
      );
    }
    throw new TelnetError(
      target.name,
      "connect",
      `Could not connect to ${where}: ${(error as Error).message}. ` +
        "The server may be down or unreachable from here; try another server",
      { cause: error },
    );
  }
}

/** `host:port` as written in `--allow-net` (IPv6 literals in brackets). */
export function hostPort(target: { host: string; port: number }): string {
  return target.host.includes(":")
    ? `[${target.host}]:${target.port}`
    : `${target.host}:${target.port}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
