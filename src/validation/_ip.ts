/**
 * Strict IP address parsing and RFC 5952 formatting, over bigints.
 * Internal: the public entry point is `parseDestination` in `destination.ts`.
 *
 * @module
 */

/** An IP address family. */
export type Family = "ipv4" | "ipv6";

/** Bits in an address of each family. */
export const FAMILY_BITS: Readonly<Record<Family, number>> = { ipv4: 32, ipv6: 128 };

const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses a dotted-quad IPv4 address; `null` if it is not one (leading zeros refused). */
export function parseIpv4(text: string): bigint | null {
  const octets = parseIpv4Octets(text);
  if (octets === null) return null;
  return BigInt(((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]);
}

/** The four octets of a dotted-quad IPv4 address; `null` if it is not one (leading zeros refused). */
export function parseIpv4Octets(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    octets.push(octet);
  }
  return octets;
}

/** Parses an IPv6 address in any RFC 4291 text form; `null` if it is not one. */
export function parseIpv6(text: string): bigint | null {
  const groups = parseIpv6Groups(text);
  if (groups === null) return null;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** The eight 16-bit groups of an IPv6 address in any RFC 4291 text form; `null` if not one. */
export function parseIpv6Groups(text: string): number[] | null {
  if (text.length < 2) return null;
  let body = text;
  // An embedded dotted quad stands for the last two groups.
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.includes(".", lastColon)) {
    const v4 = parseIpv4Octets(text.slice(lastColon + 1));
    if (v4 === null) return null;
    body = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${
      ((v4[2] << 8) | v4[3]).toString(16)
    }`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const rest = halves.length === 2 ? (halves[1] === "" ? [] : halves[1].split(":")) : [];
  const groupCount = head.length + rest.length;
  if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return null;
  const texts = [...head, ...Array(8 - groupCount).fill("0"), ...rest];
  const groups: number[] = [];
  for (const group of texts) {
    if (!IPV6_GROUP.test(group)) return null;
    groups.push(parseInt(group, 16));
  }
  return groups;
}

/** Formats an IPv4 address as a dotted quad. */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** Formats an IPv6 address in RFC 5952 canonical text form. */
function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  return formatIpv6Groups(groups);
}

/** Formats eight 16-bit groups in RFC 5952 canonical text form. */
export function formatIpv6Groups(groups: readonly number[]): string {
  // The longest run of two or more zero groups is compressed; the first one wins a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}

/** Formats an address of the given family. */
export function formatAddress(family: Family, value: bigint): string {
  return family === "ipv4" ? formatIpv4(value) : formatIpv6(value);
}

/** The network mask for a prefix length in a family. */
export function maskFor(family: Family, length: number): bigint {
  const bits = BigInt(FAMILY_BITS[family]);
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(length))) - 1n);
}

/** An address block: a network address and a prefix length. */
export interface Block {
  family: Family;
  network: bigint;
  length: number;
}

/** Whether block `inner` lies entirely inside block `outer` (same family). */
export function blockContains(outer: Block, inner: Block): boolean {
  return outer.family === inner.family && inner.length >= outer.length &&
    (inner.network & maskFor(outer.family, outer.length)) === outer.network;
}

/** Whether two blocks share any address. */
export function blocksOverlap(a: Block, b: Block): boolean {
  return blockContains(a, b) || blockContains(b, a);
}

/**
 * Parses `a.b.c.d/len` or `x::y/len` written by us (trusted constants).
 *
 * @throws {SyntaxError} if the text is not a valid block
 */
export function block(text: string): Block {
  const [address, length] = text.split("/");
  const v4 = parseIpv4(address);
  const family: Family = v4 === null ? "ipv6" : "ipv4";
  const value = v4 ?? parseIpv6(address);
  const bits = Number(length);
  if (value === null || !Number.isInteger(bits) || bits < 0 || bits > FAMILY_BITS[family]) {
    throw new SyntaxError(`Invalid address block ${text}`);
  }
  return { family, network: value & maskFor(family, bits), length: bits };
}

/** Longest prefix text considered: an IPv6 address with an embedded IPv4 (45) and `/128`. */
const MAX_PREFIX_TEXT = 49;

/**
 * Parses a network prefix written `address/length` with no host bits set
 * (`8.8.8.0/24`, `2001:4860::/32`); `null` for anything else.
 */
export function parsePrefix(text: string): Block | null {
  if (text.length > MAX_PREFIX_TEXT) return null;
  const slash = text.indexOf("/");
  if (slash < 0 || !/^(?:0|[1-9]\d{0,2})$/.test(text.slice(slash + 1))) return null;
  const address = text.slice(0, slash);
  const v4 = parseIpv4(address);
  const family: Family = v4 !== null ? "ipv4" : "ipv6";
  const network = v4 ?? (address.includes(":") ? parseIpv6(address) : null);
  const length = Number(text.slice(slash + 1));
  if (network === null || length > FAMILY_BITS[family]) return null;
  if ((network & maskFor(family, length)) !== network) return null;
  return { family, network, length };
}
