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
import type { Destination, Family } from "../validation/destination.ts";
import type { Target } from "../validation/resolve_host.ts";
import { nameOf, startNames } from "./as_names.ts";
import { type AskedDestination, resolveTarget, targetOf } from "./resolve_target.ts";

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
 * Pings an address (or a host name's address) from a server.
 *
 * @throws {InvalidDestinationError} for anything but one global unicast address or host name
 * @throws {HostResolutionError} before any route server is asked, for a name with no usable address
 * @throws {ServerSelectionError} for a server that does not allow ping
 */
export async function ping(
  lg: LookingGlass,
  request: { destination: string; server?: string; count?: number; timeoutSeconds?: number },
  options: QueryOptions = {},
): Promise<PingAnswer> {
  const started = performance.now();
  const count = bounded(request.count, PING_LIMITS.count);
  const timeoutSeconds = bounded(request.timeoutSeconds, PING_LIMITS.timeoutSeconds);
  const target = measured(lg, request, "ping");
  const { destination, resolution }: AskedDestination = target.destination
    ? { destination: target.destination }
    : await resolveTarget(lg, target, { signal: options.signal, families: target.families });
  const server = diagnosticServer(lg, request.server, "ping", destination.family);
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
    ...(resolution ? { resolution } : {}),
  };
}

/**
 * Traces the route to an address (or a host name's address) from a server,
 * with the AS of each hop named.
 *
 * @throws {InvalidDestinationError} for anything but one global unicast address or host name
 * @throws {HostResolutionError} before any route server is asked, for a name with no usable address
 * @throws {ServerSelectionError} for a server that does not allow traceroute
 */
export async function traceroute(
  lg: LookingGlass,
  request: { destination: string; server?: string; maxHops?: number; timeoutSeconds?: number },
  options: QueryOptions = {},
): Promise<TracerouteAnswer> {
  const started = performance.now();
  const maxHops = bounded(request.maxHops, TRACEROUTE_LIMITS.maxHops);
  const timeoutSeconds = bounded(request.timeoutSeconds, TRACEROUTE_LIMITS.timeoutSeconds);
  const target = measured(lg, request, "traceroute");
  const { destination, resolution }: AskedDestination = target.destination
    ? { destination: target.destination }
    : await resolveTarget(lg, target, { signal: options.signal, families: target.families });
  const server = diagnosticServer(lg, request.server, "traceroute", destination.family);
  const plan = DIALECTS[server.dialect].traceroute!(destination, { maxHops, timeoutSeconds });
  const names = startNames(lg);
  const answer = await runPlan(lg, withDeadline(server, plan.runForMs), {
    steps: plan.steps,
    signal: options.signal ?? new AbortController().signal,
    pool: engineOf(lg).diagnosticsPool,
  });
  const { table, warning } = await names;
  const hops = table
    ? answer.parsed.hops.map((hop) =>
      hop.asn === undefined ? hop : { ...hop, asName: nameOf(table, hop.asn) }
    )
    : answer.parsed.hops;
  return {
    ...answer.parsed,
    hops,
    server: server.name,
    command: answer.command,
    elapsedMs: Math.round(performance.now() - started),
    ...(table ? { namesAsOf: table.date } : {}),
    ...(warning ? { warnings: [warning] } : {}),
    ...(resolution ? { resolution } : {}),
  };
}

/**
 * The one address a measurement is about, checked, and the server named
 * checked, before a host name is resolved (to an address of a family that an
 * allowed server has: `families`).
 */
function measured(
  lg: LookingGlass,
  request: { destination: string; server?: string },
  kind: "ping" | "traceroute",
): Target & { families: Family[] } {
  const target = targetOf(lg, request.destination);
  singleAddress(target);
  return { ...target, families: familiesFor(lg, request.server, kind, target.destination?.family) };
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

/** Refuses a prefix: a measurement is about one address (a host name is one). */
function singleAddress(target: Target): void {
  const destination: Destination | undefined = target.destination;
  if (destination && destination.kind !== "address") {
    throw new UnsupportedQueryError(
      `Ping and traceroute take one address, not a prefix (${destination.canonical})`,
    );
  }
}

/**
 * The families a measurement can be asked in, for a host name: those of a
 * server that allows it (the one named, or any), IPv4 first. For a typed
 * address, its own family, checked here so that the server named is refused
 * before anything is resolved.
 */
function familiesFor(
  lg: LookingGlass,
  name: string | undefined,
  kind: "ping" | "traceroute",
  family: Family | undefined,
): Family[] {
  if (family) return [family];
  const allowed = diagnosticServers(lg, kind).filter((s) => name === undefined || s.name === name);
  const families = (["ipv4", "ipv6"] as const).filter((f) =>
    allowed.some((s) => s.addressFamilies.includes(f))
  );
  if (families.length === 0) diagnosticServer(lg, name, kind, "ipv4"); // throws, naming the servers
  return families;
}

function diagnosticServer(
  lg: LookingGlass,
  name: string | undefined,
  kind: "ping" | "traceroute",
  family: Family,
): ServerConfig {
  const candidates = diagnosticServers(lg, kind).filter((s) => s.addressFamilies.includes(family));
  const server = name === undefined ? candidates[0] : candidates.find((s) => s.name === name);
  if (!server) {
    const instead = name === undefined ? null : successorMessage(lg.config, name);
    if (instead) throw new ServerSelectionError(instead, name);
    const list = candidates.map((s) => s.name).join(", ") || "none";
    throw new ServerSelectionError(
      `${name ?? "No server"} ${name ? "does not allow" : "allows"} ${kind} for ${
        family === "ipv4" ? "IPv4" : "IPv6"
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
