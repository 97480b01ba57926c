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
  formatIpv4,
  maskFor,
  parseIpv4,
  parseIpv6,
  parsePrefix,
} from "./_ip.ts";
import {
  IPV4_REFUSED,
  IPV6_GLOBAL_UNICAST,
  IPV6_REFUSED,
  type RefusedBlock,
  SIX_TO_FOUR,
} from "./_special_ranges.ts";
import { quoted } from "../_text.ts";
import { InvalidDestinationError } from "../errors.ts";

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
    const hint = looksLikeHostName(input) ? " (host names are not resolved here)" : "";
    throw new InvalidDestinationError(input, `${shown} is not an IP address or prefix${hint}`);
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

/**
 * Whether text is shaped like a host name rather than an address: letters,
 * digits, marks, dots and hyphens only, with at least one letter (so no
 * colon, slash, space or control character, and not an IPv4 address).
 */
export function looksLikeHostName(input: string): boolean {
  return /^[\p{L}\p{N}\p{M}.-]+$/u.test(input) && /\p{L}/u.test(input);
}

function refuseNonGlobal(input: string, shown: string, candidate: Block): void {
  const hit = refusal(candidate);
  if (hit) {
    const { entry, relation } = hit;
    const note = entry.embeds === "nat64"
      ? nat64Note(candidate)
      : entry.embeds === "teredo"
      ? teredoNote(candidate)
      : ", which is not routed on the public internet";
    throw new InvalidDestinationError(
      input,
      `${shown} ${relation} ${entry.cidr}, ${entry.name}${note}`,
    );
  }
  if (candidate.family === "ipv6" && !blockContains(IPV6_GLOBAL_UNICAST, candidate)) {
    throw new InvalidDestinationError(
      input,
      `${shown} is outside 2000::/3, the IPv6 global unicast space`,
    );
  }
  // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 is the site of the IPv4 address A.B.C.D, so the IPv4
  // rules apply to the embedded address (or, for a shorter prefix, to the IPv4 block it covers).
  if (candidate.family === "ipv6" && blockContains(SIX_TO_FOUR, candidate)) {
    const embedded: Block = {
      family: "ipv4",
      network: (candidate.network >> 80n) & 0xffffffffn,
      length: Math.min(32, candidate.length - 16),
    };
    const v4 = refusal(embedded);
    if (v4) {
      throw new InvalidDestinationError(
        input,
        `${shown} is 6to4 space (2002::/16, RFC 3056) for the IPv4 ${describeBlock(embedded)}, ` +
          `which ${v4.relation} ${v4.entry.cidr}, ${v4.entry.name}, not routed on the public ` +
          "internet; 6to4 destinations are checked like the IPv4 space they embed",
      );
    }
  }
}

/**
 * The refused block a candidate falls in (or overlaps). A block that holds the
 * whole candidate wins over one that only overlaps it, and among those the
 * most specific (Teredo's 2001::/32 over 2001::/23).
 */
function refusal(candidate: Block): { entry: RefusedBlock; relation: string } | null {
  const table = candidate.family === "ipv4" ? IPV4_REFUSED : IPV6_REFUSED;
  let overlapping: RefusedBlock | null = null;
  let containing: RefusedBlock | null = null;
  for (const entry of table) {
    if (!blocksOverlap(entry.block, candidate)) continue;
    if (entry.except.some((allowed) => blockContains(allowed, candidate))) continue;
    if (blockContains(entry.block, candidate)) {
      if (!containing || entry.block.length > containing.block.length) containing = entry;
    } else overlapping ??= entry;
  }
  if (containing) return { entry: containing, relation: "is inside" };
  return overlapping ? { entry: overlapping, relation: "overlaps" } : null;
}

/** `address 8.8.8.8` or `block 8.8.0.0/16`. */
function describeBlock(block: Block): string {
  const bits = FAMILY_BITS[block.family];
  const address = formatAddress(block.family, block.network);
  return block.length === bits ? `address ${address}` : `block ${address}/${block.length}`;
}

/** What a NAT64 well-known-prefix destination stands for, and what to ask instead. */
function nat64Note(candidate: Block): string {
  if (candidate.length < 96) return "";
  const embedded: Block = {
    family: "ipv4",
    network: candidate.network & 0xffffffffn,
    length: candidate.length - 96,
  };
  const v4 = refusal(embedded);
  return v4
    ? `; this one stands for the IPv4 ${describeBlock(embedded)}, which ${v4.relation} ` +
      `${v4.entry.cidr}, ${v4.entry.name}`
    : `; this one stands for the IPv4 ${describeBlock(embedded)}: query that instead`;
}

/** The IPv4 addresses a Teredo address embeds (RFC 4380 section 4): its server and its client. */
function teredoNote(candidate: Block): string {
  if (candidate.length !== 128) return "";
  const server = formatIpv4((candidate.network >> 64n) & 0xffffffffn);
  const client = formatIpv4((candidate.network & 0xffffffffn) ^ 0xffffffffn);
  return `; this one names the Teredo server ${server} and the client's public IPv4 address ` +
    `${client}: query one of those IPv4 addresses instead`;
}

/** Shows user input safely inside a message: quoted, escaped, shortened. */
function display(input: string): string {
  return quoted(input, 71);
}

/**
 * Whether a prefix a server answered with is about the destination asked
 * for: for `exact`, that very prefix; for `longest`, one that covers it; for
 * `orlonger`, one inside it. Text that is not a prefix is about nothing.
 */
export function answerFits(
  destination: Destination,
  match: "longest" | "exact" | "orlonger",
  prefix: string,
): boolean {
  const asked = parsePrefix(`${destination.address}/${destination.length}`)!;
  const answered = parsePrefix(prefix);
  if (answered === null) return false;
  return match === "exact"
    ? blockContains(answered, asked) && answered.length === asked.length
    : match === "longest"
    ? blockContains(answered, asked)
    : blockContains(asked, answered);
}
