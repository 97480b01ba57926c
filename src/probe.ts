/**
 * Reachability probes for `list_servers`: a TCP connect to each server, in
 * parallel with a short timeout, closed at once (no login, no command).
 *
 * @module
 */

import type { ServerConfig } from "./config.ts";
import { hostPort } from "./telnet/session.ts";

/** Result of probing one server. */
export interface ProbeResult {
  /** Whether a TCP connection was accepted. */
  reachable: boolean;
  /** Time to connect, when reachable. */
  connectMs?: number;
  /** Why not, when unreachable. */
  error?: string;
}

/** Most probes in flight at once. */
const CONCURRENCY = 8;

/** Probes every given server; results are in the same order. */
export async function probeServers(
  servers: readonly ServerConfig[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(servers.length);
  let next = 0;
  const worker = async () => {
    while (next < servers.length) {
      const i = next++;
      results[i] = await probe(
        servers[i],
        options.timeoutMs ?? servers[i].limits.probeTimeoutMs,
        options.signal,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, servers.length) }, worker));
  return results;
}

async function probe(
  server: ServerConfig,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if (signal?.aborted) return { reachable: false, error: "cancelled" };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const started = performance.now();
  try {
    const conn = await Deno.connect({
      hostname: server.host,
      port: server.port,
      signal: controller.signal,
    });
    const connectMs = Math.round((performance.now() - started) * 10) / 10;
    conn.close();
    return { reachable: true, connectMs };
  } catch (error) {
    if (controller.signal.aborted) {
      return {
        reachable: false,
        error: signal?.aborted ? "cancelled" : `no answer within ${timeoutMs} ms`,
      };
    }
    if (error instanceof Deno.errors.NotCapable) {
      return {
        reachable: false,
        error: `not allowed: start with --allow-net including ${hostPort(server)}`,
      };
    }
    return { reachable: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
