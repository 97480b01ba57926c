/**
 * The TCP connection to a route server: `Deno.connect` within a timeout and
 * cancellable (politely: see {@linkcode ConnectOptions.signal}), with failures that say what happened and what to do (a
 * missing `--allow-net` entry names the exact `host:port` to add).
 *
 * @module
 */

import { abortError, TelnetError } from "../errors.ts";
import { deadlineSignal } from "../_async.ts";
import type { ByteMeter } from "../politeness/budget.ts";
import { hangUp } from "./hang_up.ts";

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
  /**
   * Cancels the connection attempt. The attempt itself is not cut short (a
   * connection the server's kernel has completed is one the server counts):
   * it runs to its end within `connectTimeoutMs`, and a connection it made is
   * hung up (`hang_up.ts`) — handed to `lingering` if given, else waited for
   * before the signal's reason is thrown.
   */
  signal?: AbortSignal;
  /** Books what the server sends while a cancelled connection is hung up. */
  meter?: ByteMeter;
  /**
   * Takes a connection that outlives a cancelled attempt: its promise resolves
   * once that connection is gone at the server. With it, a cancel throws at
   * once.
   */
  lingering?: (gone: Promise<void>) => void;
}

const CANCELLED = Symbol("cancelled");

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
  const { signal, lingering, meter } = options;
  if (signal?.aborted) throw abortError(signal);
  const deadline = deadlineSignal(options.connectTimeoutMs);
  const attempt = Deno.connect({
    hostname: target.host,
    port: target.port,
    signal: deadline.signal,
  }).finally(() => deadline[Symbol.dispose]());
  const cancelled = Promise.withResolvers<typeof CANCELLED>();
  const onAbort = () => cancelled.resolve(CANCELLED);
  signal?.addEventListener("abort", onAbort, { once: true });
  let conn: Deno.TcpConn | typeof CANCELLED;
  try {
    conn = lingering ? await Promise.race([attempt, cancelled.promise]) : await attempt;
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
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (conn === CANCELLED) {
    lingering!(attempt.then((late) => hangUp(late, { meter }), () => {}));
    throw abortError(signal!);
  }
  if (signal?.aborted) {
    const gone = hangUp(conn, { meter });
    if (lingering) lingering(gone);
    else await gone;
    throw abortError(signal);
  }
  return conn;
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
