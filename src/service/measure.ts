/**
 * `ping` and `traceroute` from a route server, for the servers whose
 * configuration says they allow it and whose dialect has the commands
 * (route-views main, Cisco IOS user mode).
 * Targets are validated like destinations: one global unicast address.
 *
 * @module
 */

import type { ServerConfig } from "../config/schema.ts";
import { successorMessage } from "./select_server.ts";
import { DIALECTS } from "../dialects/mod.ts";
import type { PingAnswer, TracerouteAnswer } from "../bgp/results.ts";
import { ServerSelectionError, UnsupportedQueryError } from "../errors.ts";
import { engineOf, type LookingGlass, type QueryOptions } from "./looking_glass.ts";
import { runPlan } from "./run_plan.ts";
import { type Destination, parseDestination } from "../validation/destination.ts";

/** Bounds for `ping`. */
export const PING_LIMITS = {
  count: { default: 5, max: 10 },
  timeoutSeconds: { default: 2, max: 5 },
} as const;

/** Bounds for `traceroute`. */
export const TRACEROUTE_LIMITS = {
  maxHops: { default: 15, max: 30 },
  timeoutSeconds: { default: 2, max: 5 },
} as const;

/**
 * Pings an address from a server.
 *
 * @throws {InvalidDestinationError} for anything but one global unicast address
 * @throws {ServerSelectionError} for a server that does not allow ping
 */
export async function ping(
  lg: LookingGlass,
  request: { destination: string; server?: string; count?: number; timeoutSeconds?: number },
  options: QueryOptions = {},
): Promise<PingAnswer> {
  const started = performance.now();
  const destination = singleAddress(request.destination);
  const count = bounded(request.count, PING_LIMITS.count);
  const timeoutSeconds = bounded(request.timeoutSeconds, PING_LIMITS.timeoutSeconds);
  const server = diagnosticServer(lg, request.server, "ping", destination);
  const plan = DIALECTS[server.dialect].ping!(destination, { count, timeoutSeconds });
  const answer = await runPlan(lg, withDeadline(server, plan.runForMs), {
    steps: plan.steps,
    signal: options.signal ?? new AbortController().signal,
    pool: engineOf(lg).diagnosticsPool,
  });
  return {
    ...answer.parsed,
    server: server.name,
    command: answer.command,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Traces the route to an address from a server.
 *
 * @throws {InvalidDestinationError} for anything but one global unicast address
 * @throws {ServerSelectionError} for a server that does not allow traceroute
 */
export async function traceroute(
  lg: LookingGlass,
  request: { destination: string; server?: string; maxHops?: number; timeoutSeconds?: number },
  options: QueryOptions = {},
): Promise<TracerouteAnswer> {
  const started = performance.now();
  const destination = singleAddress(request.destination);
  const maxHops = bounded(request.maxHops, TRACEROUTE_LIMITS.maxHops);
  const timeoutSeconds = bounded(request.timeoutSeconds, TRACEROUTE_LIMITS.timeoutSeconds);
  const server = diagnosticServer(lg, request.server, "traceroute", destination);
  const plan = DIALECTS[server.dialect].traceroute!(destination, { maxHops, timeoutSeconds });
  const answer = await runPlan(lg, withDeadline(server, plan.runForMs), {
    steps: plan.steps,
    signal: options.signal ?? new AbortController().signal,
    pool: engineOf(lg).diagnosticsPool,
  });
  return {
    ...answer.parsed,
    server: server.name,
    command: answer.command,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Servers that allow a measurement: enabled, allowing it in the server list
 * (`supports`), and of a dialect that has the commands for it (the registry).
 */
export function diagnosticServers(lg: LookingGlass, kind: "ping" | "traceroute"): ServerConfig[] {
  return lg.config.servers.filter((s) =>
    s.enabled && s.supports.includes(kind) && DIALECTS[s.dialect][kind] !== undefined
  );
}

function singleAddress(input: string): Destination {
  const destination = parseDestination(input);
  if (destination.kind !== "address") {
    throw new UnsupportedQueryError(
      `Ping and traceroute take one address, not a prefix (${destination.canonical})`,
    );
  }
  return destination;
}

function diagnosticServer(
  lg: LookingGlass,
  name: string | undefined,
  kind: "ping" | "traceroute",
  destination: Destination,
): ServerConfig {
  const candidates = diagnosticServers(lg, kind).filter((s) =>
    s.addressFamilies.includes(destination.family)
  );
  const server = name === undefined ? candidates[0] : candidates.find((s) => s.name === name);
  if (!server) {
    const instead = name === undefined ? null : successorMessage(lg.config, name);
    if (instead) throw new ServerSelectionError(instead, name);
    const list = candidates.map((s) => s.name).join(", ") || "none";
    throw new ServerSelectionError(
      `${name ?? "No server"} ${name ? "does not allow" : "allows"} ${kind} for ${
        destination.family === "ipv4" ? "IPv4" : "IPv6"
      } (per the server list). Servers that do: ${list}`,
      name,
    );
  }
  return server;
}

/**
 * The server with command and query deadlines long enough for a measurement
 * that runs this long. Measurements never go through the cache; they run in
 * the diagnostics pool (one session per server, within the server's
 * `maxConcurrent`, shared with everything else).
 */
function withDeadline(server: ServerConfig, runForMs: number): ServerConfig {
  return {
    ...server,
    limits: {
      ...server.limits,
      commandTimeoutMs: Math.max(server.limits.commandTimeoutMs, runForMs),
      queryTimeoutMs: Math.max(server.limits.queryTimeoutMs, runForMs + 15_000),
    },
  };
}

function bounded(value: number | undefined, limits: { default: number; max: number }): number {
  return Math.min(limits.max, Math.max(1, Math.floor(value ?? limits.default)));
}
