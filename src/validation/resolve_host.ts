/**
 * Host names as destinations: a name is checked, resolved with the system's
 * DNS servers (`Deno.resolveDns`, A and AAAA at once, bounded in time,
 * cancelled with the caller's signal), and every address it resolves to is
 * validated exactly as a typed address (`parseDestination`), so a name that
 * points into private or other non-global space is refused with that reason.
 * The answer says which name resolved to which addresses.
 *
 * This is the one query besides the route server's that leaves the machine.
 * `Deno.resolveDns` checks the net permission of each DNS server it asks:
 * `--allow-net=<server>:53` for each `nameserver` of /etc/resolv.conf (e.g.
 * `--allow-net=127.0.0.53:53` with systemd-resolved), nothing broader. It does
 * not read /etc/hosts. {@linkcode dnsAllowNet} prints the entries.
 *
 * @module
 */

import { type Family, parseIpv4, parseIpv6 } from "./_ip.ts";
import {
  HostResolutionError,
  InvalidDestinationError,
  InvalidHostNameError,
  type RefusedAddress,
} from "../errors.ts";
import { type Destination, looksLikeHostName, parseDestination } from "./destination.ts";
import { quoted } from "../_text.ts";

/** Longest host name accepted (RFC 1035, without the trailing dot). */
export const MAX_HOST_NAME_LENGTH = 253;

/** Default time allowed for resolving one name, both record types at once. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 3000;

/** Most addresses kept per record type. */
export const MAX_ADDRESSES_PER_FAMILY = 16;

/**
 * Special-use domain names the public DNS does not answer (or must not be
 * asked): they are refused before anything is sent.
 */
export const SPECIAL_USE_DOMAINS: readonly { suffix: string; reference: string }[] = [
  { suffix: "localhost", reference: "RFC 6761" },
  { suffix: "local", reference: "RFC 6762, multicast DNS" },
  { suffix: "test", reference: "RFC 6761" },
  { suffix: "invalid", reference: "RFC 6761" },
  { suffix: "example", reference: "RFC 6761" },
  { suffix: "onion", reference: "RFC 7686" },
  { suffix: "home.arpa", reference: "RFC 8375" },
  { suffix: "alt", reference: "RFC 9476" },
  { suffix: "internal", reference: "ICANN, for private use" },
  { suffix: "arpa", reference: "RFC 3172, infrastructure names" },
];

/** What the user asked about: a validated address or prefix, or a host name still to resolve. */
export type Target =
  | { destination: Destination; host?: undefined }
  | { host: string; destination?: undefined };

/**
 * Reads a destination as typed: text shaped like a host name is checked as
 * one (and refused when host names are turned off); anything else must be a
 * global unicast address or prefix. Nothing is resolved here.
 *
 * @throws {InvalidHostNameError} for a name that is not one, or may not be resolved
 * @throws {InvalidDestinationError} for anything else that is not a valid destination, or a
 *   host name when `hostNames` is false
 */
export function readTarget(input: string, options: { hostNames: boolean }): Target {
  if (!looksLikeHostName(input)) return { destination: parseDestination(input) };
  if (!options.hostNames) {
    throw new InvalidDestinationError(
      input,
      `${quoted(input, 71)} is a host name, and host names are turned off (--no-dns, or ` +
        '"hostNames": false in the server list); give its address',
    );
  }
  return { host: parseHostName(input) };
}

/** What a name resolved to. */
export interface HostResolution {
  /** The name as asked (ASCII form, lower case, without a trailing dot). */
  host: string;
  /** The accepted addresses as destinations: IPv4 first, then IPv6, in the resolver's order. */
  addresses: Destination[];
  /** Addresses refused, with the reasons. */
  refused: RefusedAddress[];
  /** For a record type that gave nothing: why (`no AAAA record`). */
  missing: Partial<Record<Family, string>>;
  /** How long resolving took, in milliseconds. */
  elapsedMs: number;
}

/** The subset of `Deno.resolveDns` used here (tests inject their own). */
export type ResolveDns = (
  query: string,
  recordType: "A" | "AAAA",
  options: Deno.ResolveDnsOptions,
) => Promise<string[]>;

/** How to resolve. */
export interface ResolveHostOptions {
  /** Cancels the lookup (the tool call's signal). */
  signal?: AbortSignal;
  /** Time allowed (default {@linkcode DEFAULT_RESOLVE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** A DNS server to ask instead of the system's (tests use one on loopback). */
  nameServer?: { ipAddr: string; port?: number };
  /** The resolver (default `Deno.resolveDns`). */
  resolveDns?: ResolveDns;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Shows user input safely inside a message: quoted, escaped, shortened. */
function display(input: string): string {
  return JSON.stringify(input.length > 70 ? `${input.slice(0, 70)}…` : input);
}

/**
 * Checks a host name and returns its ASCII form (IDNA, lower case, without a
 * trailing dot).
 *
 * @throws {InvalidHostNameError} saying what is wrong
 */
export function parseHostName(input: string): string {
  const shown = display(input);
  if (input === "") throw new InvalidHostNameError(input, "The host name is empty");
  if (input.length > MAX_HOST_NAME_LENGTH + 1) {
    throw new InvalidHostNameError(
      input,
      `The host name is ${input.length} characters long; the limit is ${MAX_HOST_NAME_LENGTH}`,
    );
  }
  if (!/^[\p{L}\p{N}\p{M}.-]+$/u.test(input)) {
    throw new InvalidHostNameError(
      input,
      `${shown} is not a host name (letters, digits, hyphens and dots only)`,
    );
  }
  if (parseIpv4(input) === null && /(?:^|\.)\d+\.?$/.test(input)) {
    // Checked before the URL parser, which would read it as a malformed IPv4 address.
    throw new InvalidHostNameError(
      input,
      `${shown} is not a valid IP address, and it ends in a number, so it is not a host name either`,
    );
  }
  let ascii: string;
  try {
    ascii = new URL(`http://${input}/`).hostname;
  } catch {
    throw new InvalidHostNameError(input, `${shown} is not a valid host name`);
  }
  if (ascii.endsWith(".")) ascii = ascii.slice(0, -1);
  if (parseIpv4(input) !== null || parseIpv6(input) !== null) {
    throw new InvalidHostNameError(input, `${shown} is an address, not a host name`);
  }
  if (parseIpv4(ascii) !== null || ascii.startsWith("[")) {
    // A hexadecimal, octal or shortened form that a URL parser reads as an address.
    throw new InvalidHostNameError(
      input,
      `${shown} is not a valid IP address (an IPv4 address is four decimal numbers, like ` +
        "8.8.8.8) and not a host name either",
    );
  }
  const labels = ascii.split(".");
  if (ascii.length > MAX_HOST_NAME_LENGTH || labels.some((label) => !LABEL.test(label))) {
    throw new InvalidHostNameError(
      input,
      `${shown} is not a valid host name (each label 1 to 63 letters, digits or inner hyphens)`,
    );
  }
  if (labels.length < 2) {
    throw new InvalidHostNameError(
      input,
      `${shown} is a single label; give the full name (github.com), which is never completed ` +
        "with a local search domain",
    );
  }
  const special = SPECIAL_USE_DOMAINS.find((d) =>
    ascii === d.suffix || ascii.endsWith(`.${d.suffix}`)
  );
  if (special) {
    throw new InvalidHostNameError(
      input,
      `${shown} is under .${special.suffix}, a special-use name (${special.reference}) that ` +
        "the public DNS does not answer",
    );
  }
  return ascii;
}

/**
 * Resolves a host name to validated destinations.
 *
 * @throws {InvalidHostNameError} before anything is sent, for a name that is not one
 * @throws {HostResolutionError} when no usable address came back (not found, timed out, not
 *   permitted, or only refused addresses)
 * @throws the signal's reason when the caller cancels
 */
export async function resolveHost(
  input: string,
  options: ResolveHostOptions = {},
): Promise<HostResolution> {
  const host = parseHostName(input);
  const timeoutMs = options.timeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const resolve = options.resolveDns ?? Deno.resolveDns;
  const query = `${host}.`; // fully qualified: never completed with a search domain
  const started = performance.now();
  const ask = (type: "A" | "AAAA") =>
    resolve(query, type, {
      signal,
      ...(options.nameServer ? { nameServer: options.nameServer } : {}),
    });
  const [v4, v6] = await Promise.allSettled([ask("A"), ask("AAAA")]);
  const elapsedMs = performance.now() - started;
  options.signal?.throwIfAborted();

  const missing: Partial<Record<Family, string>> = {};
  const found: string[] = [];
  for (const [family, result] of [["ipv4", v4], ["ipv6", v6]] as const) {
    const type = family === "ipv4" ? "A" : "AAAA";
    if (result.status === "fulfilled") {
      if (result.value.length === 0) missing[family] = `no ${type} record`;
      found.push(...result.value.slice(0, MAX_ADDRESSES_PER_FAMILY));
      continue;
    }
    const error = result.reason as Error;
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      const server = /"([^"]+)"/.exec(error.message)?.[1];
      throw new HostResolutionError(
        host,
        "permission",
        `Resolving ${host} needs permission to ask the DNS server${server ? ` ${server}` : ""}: ` +
          `add --allow-net=${server ?? "<DNS server>:53"} (or --no-dns to turn host names off)`,
        { cause: error },
      );
    }
    if (timeout.aborted || error instanceof Deno.errors.TimedOut) {
      throw new HostResolutionError(
        host,
        "timeout",
        `Resolving ${host} took longer than ${timeoutMs / 1000} s. Try again, or give the address`,
        { cause: error },
      );
    }
    if (error instanceof Deno.errors.NotFound) {
      missing[family] = `no ${type} record`;
      continue;
    }
    throw new HostResolutionError(
      host,
      "failed",
      `Resolving ${host} failed: ${error.message}. Try again, or give the address`,
      { cause: error },
    );
  }

  const addresses: Destination[] = [];
  const refused: RefusedAddress[] = [];
  const seen = new Set<string>();
  for (const address of found) {
    if (seen.has(address)) continue;
    seen.add(address);
    try {
      const destination = parseDestination(address);
      if (destination.kind !== "address") throw new RangeError(`${address} is not an address`);
      seen.add(destination.canonical);
      addresses.push(destination);
    } catch (error) {
      refused.push({
        address,
        reason: error instanceof InvalidDestinationError ? error.reason : (error as Error).message,
      });
    }
  }
  if (addresses.length === 0 && refused.length === 0) {
    throw new HostResolutionError(
      host,
      "not-found",
      // Deno.resolveDns reports NXDOMAIN, no data and SERVFAIL alike.
      `${host} has no A or AAAA record (the DNS server found none, or failed). Check the name, ` +
        "or give the address",
    );
  }
  if (addresses.length === 0) {
    throw new HostResolutionError(
      host,
      "all-refused",
      `${host} resolves only to addresses that are not global unicast: ` +
        refused.map((r) => `${r.address} (${r.reason})`).join("; "),
      { refused },
    );
  }
  return { host, addresses, refused, missing, elapsedMs };
}

/** The address to ask about: the first of the preferred families that the name has. */
export function chooseAddress(
  resolution: HostResolution,
  prefer: readonly Family[] = ["ipv4", "ipv6"],
): Destination | undefined {
  for (const family of prefer) {
    const found = resolution.addresses.find((d) => d.family === family);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads `--dns-server ADDR[:PORT]`: an IPv4 address, an IPv6 address (in
 * brackets when a port follows), and a port (default 53).
 *
 * @throws {RangeError} saying what is accepted
 */
export function parseDnsServer(text: string): { ipAddr: string; port: number } {
  let address: string | undefined;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    [, address, portText] = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text) ?? [];
  } else if (text.split(":").length > 2) {
    address = text; // a bare IPv6 address: its last group cannot be a port
  } else {
    [, address, portText] = /^([^:]+)(?::(\d{1,5}))?$/.exec(text) ?? [];
  }
  const port = Number(portText ?? 53);
  const valid = address !== undefined &&
    (parseIpv4(address) !== null || parseIpv6(address) !== null);
  if (!valid || port < 1 || port > 65535) {
    throw new RangeError(
      "--dns-server takes an IP address and an optional port (127.0.0.53, 192.0.2.53:5353, " +
        `[2001:db8::53]:53), not ${quoted(text)}`,
    );
  }
  return { ipAddr: address!, port };
}

/** The `--allow-net` entry for a DNS server: `192.0.2.53:53`, `[2001:db8::53]:53`. */
export function dnsServerEntry(server: { ipAddr: string; port: number }): string {
  return server.ipAddr.includes(":")
    ? `[${server.ipAddr}]:${server.port}`
    : `${server.ipAddr}:${server.port}`;
}

/**
 * The `--allow-net` entries `Deno.resolveDns` needs with the system's
 * resolver: `<nameserver>:53` for each `nameserver` line of a resolv.conf
 * text (IPv6 in brackets; zone ids dropped).
 */
export function dnsAllowNet(resolvConf: string): string[] {
  const out: string[] = [];
  for (const line of resolvConf.split(/\r?\n/)) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!match) continue;
    const address = match[1].replace(/%.*$/, "");
    const entry = address.includes(":") ? `[${address}]:53` : `${address}:53`;
    if ((parseIpv4(address) !== null || parseIpv6(address) !== null) && !out.includes(entry)) {
      out.push(entry);
    }
  }
  return out;
}
