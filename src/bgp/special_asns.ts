/**
 * Special-purpose AS numbers, from the IANA registries rather than from any
 * dataset: the "Special-Purpose AS Numbers" registry (iana-as-numbers-special-
 * registry) and the reserved blocks of the "16-bit/32-bit Autonomous System
 * Numbers" registries. Pure table and lookup.
 *
 * `bogon` marks numbers that never belong in a public AS path: reserved,
 * documentation, private-use and AS_TRANS (which a 4-byte speaker replaces
 * with the real ASN from AS4_PATH). AS112 is in the special registry but is
 * a real, announced AS, so it is not a bogon.
 *
 * @module
 */

/** Why IANA sets an AS number apart. */
export type SpecialAsnKind =
  | "reserved"
  | "as-trans"
  | "documentation"
  | "private-use"
  | "last"
  | "as112";

/** One block of special-purpose AS numbers. */
export interface SpecialAsn {
  /** First AS number of the block. */
  first: number;
  /** Last AS number of the block (inclusive). */
  last: number;
  /** What the block is for. */
  kind: SpecialAsnKind;
  /** Its name, as a user reads it (`Private use`, `AS_TRANS`). */
  name: string;
  /** The defining document (`RFC 6996`), or `IANA` for a reservation without one. */
  reference: string;
  /** Whether the number never belongs in a public AS path. */
  bogon: boolean;
}

/** Every special-purpose AS number block, in order; blocks do not overlap. */
export const SPECIAL_ASNS: readonly SpecialAsn[] = [
  {
    first: 0,
    last: 0,
    kind: "reserved",
    name: "Reserved: no AS may use AS 0",
    reference: "RFC 7607",
    bogon: true,
  },
  {
    first: 112,
    last: 112,
    kind: "as112",
    name: "AS112 project: sinks misdirected reverse DNS queries",
    reference: "RFC 7534",
    bogon: false,
  },
  {
    first: 23456,
    last: 23456,
    kind: "as-trans",
    name: "AS_TRANS: stands in for a 4-byte ASN towards 2-byte speakers",
    reference: "RFC 6793",
    bogon: true,
  },
  {
    first: 64496,
    last: 64511,
    kind: "documentation",
    name: "Documentation and sample code",
    reference: "RFC 5398",
    bogon: true,
  },
  {
    first: 64512,
    last: 65534,
    kind: "private-use",
    name: "Private use",
    reference: "RFC 6996",
    bogon: true,
  },
  {
    first: 65535,
    last: 65535,
    kind: "last",
    name: "Reserved: last 16-bit AS number",
    reference: "RFC 7300",
    bogon: true,
  },
  {
    first: 65536,
    last: 65551,
    kind: "documentation",
    name: "Documentation and sample code",
    reference: "RFC 5398",
    bogon: true,
  },
  {
    first: 65552,
    last: 131071,
    kind: "reserved",
    name: "Reserved by IANA",
    reference: "IANA",
    bogon: true,
  },
  {
    first: 4200000000,
    last: 4294967294,
    kind: "private-use",
    name: "Private use",
    reference: "RFC 6996",
    bogon: true,
  },
  {
    first: 4294967295,
    last: 4294967295,
    kind: "last",
    name: "Reserved: last 32-bit AS number",
    reference: "RFC 7300",
    bogon: true,
  },
];

/** The highest AS number: 2^32 - 1. */
export const MAX_ASN = 4294967295;

/**
 * The special-purpose block holding `asn`, or `undefined` for an ordinary AS
 * number.
 *
 * @throws {RangeError} if `asn` is not an integer from 0 to 4294967295
 */
export function specialAsn(asn: number): SpecialAsn | undefined {
  if (!Number.isInteger(asn) || asn < 0 || asn > MAX_ASN) {
    throw new RangeError(`AS number ${asn} is out of range: AS numbers are 0 to ${MAX_ASN}`);
  }
  let low = 0;
  let high = SPECIAL_ASNS.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const entry = SPECIAL_ASNS[middle];
    if (asn < entry.first) high = middle - 1;
    else if (asn > entry.last) low = middle + 1;
    else return entry;
  }
  return undefined;
}

/** Whether `asn` never belongs in a public AS path (reserved, documentation, private, AS_TRANS). */
export function isBogonAsn(asn: number): boolean {
  return specialAsn(asn)?.bogon ?? false;
}

/** `Private use (RFC 6996)`: the block's name with its reference, for a legend or a table cell. */
export function describeSpecialAsn(entry: SpecialAsn): string {
  return `${entry.name} (${entry.reference})`;
}
