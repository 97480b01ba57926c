/**
 * The server list's shape (servers.json): the types every layer reads, the
 * defaults, and the validation that turns parsed JSON into a configuration. A
 * bad file stops the program with a message naming the file, the entry and
 * the field.
 *
 * @module
 */

import { z } from "zod";
import type { Family } from "../validation/destination.ts";
import { DIALECT_IDS, type DialectId } from "../dialects/mod.ts";
import type { Login } from "../telnet/login.ts";
import { type QuotaLimits, ROUTE_VIEWS_QUOTA } from "../politeness/ledger.ts";
import { ConfigError } from "../errors.ts";
import { escaped, hasUnsafeCharacters, quoted } from "../_text.ts";

/** Diagnostics a server may allow. */
export type Diagnostic = "ping" | "traceroute";

/**
 * What a server offers beyond route lookups: the diagnostics the public may run
 * there, and `rpki` for a server that prints each path's RPKI validation state
 * (route-views main), so that "not validated here" is told from "valid".
 */
export type Capability = Diagnostic | "rpki";

export type { DialectId } from "../dialects/mod.ts";

/** Time and size limits for talking to a server. */
export interface Limits {
  /** TCP connect timeout. */
  connectTimeoutMs: number;
  /** Time from connection to the first prompt (banner and login). */
  loginTimeoutMs: number;
  /** Deadline for one command's complete answer. */
  commandTimeoutMs: number;
  /** Largest answer accepted for one command. */
  maxOutputBytes: number;
  /** Connect timeout used by `list_servers` probes. */
  probeTimeoutMs: number;
  /** Sessions open at once to this server (one command at a time each). */
  maxConcurrent: number;
  /** An idle session is closed after this long (Route Views closes them at 120 s). */
  idleTimeoutMs: number;
  /** How long a query waits for a free session before giving up. */
  queueTimeoutMs: number;
  /** How long an answer is served from the cache (0 disables caching). */
  cacheTtlMs: number;
  /** Deadline for a whole query: waiting for a session, connecting, logging in, every command. */
  queryTimeoutMs: number;
}

/** One route server. */
export interface ServerConfig {
  /** Short unique name used by tools (`route-views2`). */
  name: string;
  /** Host name or IP literal. */
  host: string;
  /** Telnet port. */
  port: number;
  /** CLI dialect. */
  dialect: DialectId;
  /** Login flow. */
  login: Login;
  /** Where the server is, for people. */
  location: string;
  /** Address families it carries. */
  addressFamilies: Family[];
  /** Whether tools may use it. */
  enabled: boolean;
  /**
   * FRR: ask for the `json` form first (default false: the text form gives the same answer for
   * a third to a quarter of the bytes; json is its fallback).
   */
  preferJson: boolean;
  /**
   * Diagnostic commands the server lets the public run (route-views main: ping, traceroute),
   * and `rpki` where it prints RPKI validation states.
   */
  supports: Capability[];
  /**
   * Whether a public source confirms that the server offers telnet (false: its operator lists
   * it, but no transcript shows it answering; the first use tells).
   */
  confirmed: boolean;
  /** A disabled entry's replacement: a query naming it is told to use that server instead. */
  successor?: string;
  /** Limits for this server (the file's `limits` with this entry's overrides). */
  limits: Limits;
  /** Allowance over a sliding 24 h (the file's `quota` with this entry's overrides). */
  quota: QuotaLimits;
}

/** A validated configuration. */
export interface Config {
  /** Where it came from (a path, or `servers.json (built in)`). */
  source: string;
  /** Server used when a tool call names none. */
  defaultServer: string;
  /** All servers, enabled or not, in file order. */
  servers: ServerConfig[];
  /** Name the ASes in answers from the offline dataset (`"asNames": false` turns it off). */
  asNames: boolean;
  /** Accept host names as destinations, resolved with DNS (`"hostNames": false` turns it off). */
  hostNames: boolean;
}

/** Built-in default limits (Route Views closes idle sessions after 120 s; answers are a few KiB). */
export const DEFAULT_LIMITS: Readonly<Limits> = {
  connectTimeoutMs: 5_000,
  loginTimeoutMs: 10_000,
  commandTimeoutMs: 20_000,
  maxOutputBytes: 1024 * 1024,
  probeTimeoutMs: 3_000,
  maxConcurrent: 2,
  idleTimeoutMs: 90_000,
  queueTimeoutMs: 10_000,
  cacheTtlMs: 60_000,
  queryTimeoutMs: 45_000,
};

const milliseconds = z.number().int().min(100).max(600_000);
const limitsSchema = z.object({
  connectTimeoutMs: milliseconds,
  loginTimeoutMs: milliseconds,
  commandTimeoutMs: milliseconds,
  maxOutputBytes: z.number().int().min(1024).max(64 * 1024 * 1024),
  probeTimeoutMs: milliseconds,
  maxConcurrent: z.number().int().min(1).max(20),
  idleTimeoutMs: milliseconds,
  queueTimeoutMs: milliseconds,
  cacheTtlMs: z.number().int().min(0).max(86_400_000),
  queryTimeoutMs: milliseconds,
}).partial().strict();

const quotaSchema = z.object({
  connections: z.number().int().min(0),
  bytesDown: z.number().int().min(0),
  bytesUp: z.number().int().min(0),
}).partial().strict();

const printable = /^[\x21-\x7e]+$/;
const loginSchema = z.union([
  z.literal("none"),
  z.object({
    username: z.string().regex(printable, "must be printable ASCII without spaces"),
    password: z.string().regex(printable, "must be printable ASCII without spaces").optional(),
  }).strict(),
]);

const serverSchema = z.object({
  name: z.string().regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    "must be 1-63 lower-case letters, digits, dots, dashes or underscores",
  ),
  host: z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/, "must be a host name or an IP literal"),
  port: z.number().int().min(1).max(65535),
  dialect: z.enum(DIALECT_IDS),
  login: loginSchema,
  location: z.string().max(200).refine(
    (text) => !hasUnsafeCharacters(text),
    "must not hold control, line-separator or bidi characters",
  ),
  addressFamilies: z.array(z.enum(["ipv4", "ipv6"])).min(1),
  enabled: z.boolean(),
  preferJson: z.boolean().optional(),
  supports: z.array(z.enum(["ping", "traceroute", "rpki"])).optional(),
  confirmed: z.boolean().optional(),
  successor: z.string().max(63).optional(),
  limits: limitsSchema.optional(),
  quota: quotaSchema.optional(),
}).strict();

const fileSchema = z.object({
  $schema: z.string().optional(),
  defaultServer: z.string(),
  limits: limitsSchema.optional(),
  quota: quotaSchema.optional(),
  servers: z.array(serverSchema).min(1),
  asNames: z.boolean().optional(),
  hostNames: z.boolean().optional(),
}).strict();

/**
 * Validates parsed JSON as a configuration.
 *
 * @throws {ConfigError} naming the entry and field that are wrong
 */
export function parseConfig(json: unknown, source: string): Config {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(source, `${describePath(json, issue.path)}: ${issue.message}`);
  }
  const file = parsed.data;
  const base: Limits = { ...DEFAULT_LIMITS, ...file.limits };
  const baseQuota: QuotaLimits = { ...ROUTE_VIEWS_QUOTA, ...file.quota };
  const seen = new Set<string>();
  const servers = file.servers.map((server, i): ServerConfig => {
    if (seen.has(server.name)) {
      throw new ConfigError(source, `servers[${i}] (${server.name}): the name is used twice`);
    }
    seen.add(server.name);
    return {
      ...server,
      addressFamilies: [...new Set(server.addressFamilies)],
      preferJson: server.preferJson ?? false,
      supports: [...new Set(server.supports ?? [])],
      confirmed: server.confirmed ?? true,
      limits: { ...base, ...server.limits },
      quota: { ...baseQuota, ...server.quota },
    };
  });
  servers.forEach((server, i) => {
    if (server.successor === undefined) return;
    const where = `servers[${i}] (${server.name}) field "successor"`;
    if (server.enabled) {
      throw new ConfigError(source, `${where}: only a disabled server names a successor`);
    }
    if (!servers.some((s) => s.name === server.successor && s.enabled)) {
      throw new ConfigError(
        source,
        `${where}: ${quoted(server.successor)} is not the name of an enabled server in the file`,
      );
    }
  });
  const enabled = servers.filter((s) => s.enabled);
  if (enabled.length === 0) throw new ConfigError(source, "no server is enabled");
  const fallback = servers.find((s) => s.name === file.defaultServer);
  if (!fallback) {
    throw new ConfigError(
      source,
      `defaultServer: ${quoted(file.defaultServer)} is not the name of a server in the file`,
    );
  }
  if (!fallback.enabled) {
    throw new ConfigError(source, `defaultServer: ${quoted(file.defaultServer)} is not enabled`);
  }
  return {
    source,
    defaultServer: file.defaultServer,
    servers,
    asNames: file.asNames ?? true,
    hostNames: file.hostNames ?? true,
  };
}

/** Servers tools may use. */
export function enabledServers(config: Config): ServerConfig[] {
  return config.servers.filter((s) => s.enabled);
}

/** `servers[3] (route-views.linx) field "port"` for an issue path. */
function describePath(json: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return "the file";
  if (path[0] === "servers" && typeof path[1] === "number") {
    const entry = (json as { servers?: { name?: unknown }[] }).servers?.[path[1]];
    const name = typeof entry?.name === "string" ? ` (${escaped(entry.name, 70)})` : "";
    const field = path.slice(2).map(String).join(".");
    return `servers[${path[1]}]${name}${field ? ` field "${field}"` : ""}`;
  }
  return `field "${path.map(String).join(".")}"`;
}
