/**
 * Destination validation: turns user text into a canonical global unicast
 * address or prefix, or refuses it with a reason. Commands are built only from
 * fixed templates plus the canonical form produced here, so raw user text never
 * reaches a socket.
 *
 * @module
 */

import {
  type Block,
  blockContains,
  blocksOverlap,
  type Family,
  FAMILY_BITS,
  formatAddress,
  maskFor,
  parseIpv4,
  parseIpv6,
} from "./_ip.ts";
import { IPV4_REFUSED, IPV6_GLOBAL_UNICAST, IPV6_REFUSED } from "./_special_ranges.ts";
import { InvalidDestinationError } from "./errors.ts";

export type { Family } from "./_ip.ts";

/** A validated destination in canonical form. */
export interface Destination {
  /** Address family. */
  family: Family;
  /** `address` for a host (longest match), `prefix` for a network (exact match). */
  kind: "address" | "prefix";
  /** Canonical address: the host, or the network address of the prefix. */
  address: string;
  /** Prefix length (32 or 128 for an address). */
  length: number;
  /** Canonical text sent to servers: `8.8.8.8`, `8.8.8.0/24`, `2001:4860::/32`. */
  canonical: string;
  /** Notes about normalisation, e.g. host bits that were cleared. */
  warnings: string[];
}

/** Longest destination text accepted. */
export const MAX_DESTINATION_LENGTH = 64;

/** Shortest prefix accepted per family (longer tables walk too much of a public server). */
export const MIN_PREFIX_LENGTH: Readonly<Record<Family, number>> = { ipv4: 8, ipv6: 16 };

const ADDRESS_ALPHABET = /^[0-9A-Fa-f:./]+$/;

/**
 * Validates a destination and returns its canonical form.
 *
 * @throws {InvalidDestinationError} with a message naming the problem and what is accepted
 */
export function parseDestination(input: string): Destination {
  const shown = display(input);
  if (input.length === 0) throw new InvalidDestinationError(input, "The destination is empty");
  if (input.length > MAX_DESTINATION_LENGTH) {
    throw new InvalidDestinationError(
      input,
      `The destination is ${input.length} characters long; the limit is ${MAX_DESTINATION_LENGTH}`,
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) {
    throw new InvalidDestinationError(input, `${shown} contains control characters`);
  }
  if (/\s/.test(input)) throw new InvalidDestinationError(input, `${shown} contains whitespace`);
  if (input.includes("%")) {
    throw new InvalidDestinationError(
      input,
      `${shown} has a zone id (%…); zone ids are local to one host and never valid on a route server`,
    );
  }
  if (!ADDRESS_ALPHABET.test(input)) {
    throw new InvalidDestinationError(
      input,
      `${shown} is not an IP address or prefix (host names are not resolved)`,
    );
  }

  const slash = input.indexOf("/");
  const addressText = slash < 0 ? input : input.slice(0, slash);
  const v4 = parseIpv4(addressText);
  const v6 = v4 === null ? parseIpv6(addressText) : null;
  if (v4 === null && v6 === null) {
    throw new InvalidDestinationError(input, `${shown} is not a valid IPv4 or IPv6 address`);
  }
  const family: Family = v4 !== null ? "ipv4" : "ipv6";
  const value = (v4 ?? v6) as bigint;
  const bits = FAMILY_BITS[family];

  let length = bits;
  if (slash >= 0) {
    const lengthText = input.slice(slash + 1);
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(lengthText)) {
      throw new InvalidDestinationError(input, `${shown} has an invalid prefix length`);
    }
    length = Number(lengthText);
    const min = MIN_PREFIX_LENGTH[family];
    if (length < min || length > bits) {
      throw new InvalidDestinationError(
        input,
        `Prefix length /${length} is out of range: ${family === "ipv4" ? "IPv4" : "IPv6"} ` +
          `prefixes must be /${min} to /${bits}`,
      );
    }
  }

  const warnings: string[] = [];
  const network = value & maskFor(family, length);
  if (network !== value) {
    warnings.push(
      `${input} has host bits set; looked up ${formatAddress(family, network)}/${length} instead`,
    );
  }
  const candidate: Block = { family, network, length };
  refuseNonGlobal(input, shown, candidate);

  const address = formatAddress(family, network);
  const kind = slash < 0 ? "address" : "prefix";
  return {
    family,
    kind,
    address,
    length,
    canonical: kind === "address" ? address : `${address}/${length}`,
    warnings,
  };
}

function refuseNonGlobal(input: string, shown: string, candidate: Block): void {
  const table = candidate.family === "ipv4" ? IPV4_REFUSED : IPV6_REFUSED;
  for (const entry of table) {
    if (!blocksOverlap(entry.block, candidate)) continue;
    if (entry.except.some((allowed) => blockContains(allowed, candidate))) continue;
    const relation = blockContains(entry.block, candidate) ? "is inside" : "overlaps";
    throw new InvalidDestinationError(
      input,
      `${shown} ${relation} ${entry.cidr}, ${entry.name}, which is not routed on the public internet`,
    );
  }
  if (candidate.family === "ipv6" && !blockContains(IPV6_GLOBAL_UNICAST, candidate)) {
    throw new InvalidDestinationError(
      input,
      `${shown} is outside 2000::/3, the IPv6 global unicast space`,
    );
  }
}

/** Shows user input safely inside a message: quoted, escaped, shortened. */
function display(input: string): string {
  const short = input.length > 70 ? `${input.slice(0, 70)}…` : input;
  return JSON.stringify(short);
}
