/**
 * Address space that is not global unicast, from the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (entries with "Globally Reachable: False"),
 * the multicast and reserved blocks, and for IPv6 everything outside 2000::/3.
 * Internal to `destination.ts`.
 *
 * @module
 */

import { type Block, block } from "./_ip.ts";

/** How an IPv6 block embeds an IPv4 address, for the refusal message. */
export type Embedding = "nat64" | "teredo";

/** A block refused as a destination, with the reason a user reads. */
export interface RefusedBlock {
  block: Block;
  cidr: string;
  name: string;
  /** More-specific blocks inside this one that the registry marks globally reachable. */
  except: Block[];
  /** Set for blocks whose addresses embed IPv4 addresses; the message names them. */
  embeds?: Embedding;
}

function refused(
  cidr: string,
  name: string,
  except: string[] = [],
  embeds?: Embedding,
): RefusedBlock {
  return {
    block: block(cidr),
    cidr,
    name,
    except: except.map(block),
    ...(embeds ? { embeds } : {}),
  };
}

/** IPv4 blocks that are not global unicast. */
export const IPV4_REFUSED: readonly RefusedBlock[] = [
  refused("0.0.0.0/8", '"this network" (RFC 791)'),
  refused("10.0.0.0/8", "private-use space (RFC 1918)"),
  refused("100.64.0.0/10", "shared address space for carrier-grade NAT (RFC 6598)"),
  refused("127.0.0.0/8", "loopback (RFC 1122)"),
  refused("169.254.0.0/16", "link-local (RFC 3927)"),
  refused("172.16.0.0/12", "private-use space (RFC 1918)"),
  // 192.0.0.9 (PCP anycast) and 192.0.0.10 (TURN anycast) are globally reachable.
  refused("192.0.0.0/24", "IETF protocol assignments (RFC 6890)", [
    "192.0.0.9/32",
    "192.0.0.10/32",
  ]),
  refused("192.0.2.0/24", "documentation space TEST-NET-1 (RFC 5737)"),
  refused("192.168.0.0/16", "private-use space (RFC 1918)"),
  refused("198.18.0.0/15", "benchmarking space (RFC 2544)"),
  refused("198.51.100.0/24", "documentation space TEST-NET-2 (RFC 5737)"),
  refused("203.0.113.0/24", "documentation space TEST-NET-3 (RFC 5737)"),
  refused("224.0.0.0/4", "multicast (RFC 5771)"),
  refused(
    "240.0.0.0/4",
    "reserved space, including the limited broadcast address (RFC 1112, RFC 919)",
  ),
];

/** IPv6 blocks that are not global unicast. Checked before the 2000::/3 rule. */
export const IPV6_REFUSED: readonly RefusedBlock[] = [
  refused("::/128", "the unspecified address (RFC 4291)"),
  refused("::1/128", "loopback (RFC 4291)"),
  refused("::ffff:0:0/96", "IPv4-mapped addresses (RFC 4291); query the IPv4 address instead"),
  // The NAT64 well-known prefix stands for IPv4 addresses behind a translator; it is not routed
  // between networks (RFC 6052 section 3.1), so the message points to the embedded IPv4 address.
  refused(
    "64:ff9b::/96",
    "the NAT64 well-known prefix (RFC 6052), which stands for an IPv4 address behind a NAT64 " +
      "gateway and is not routed between networks",
    [],
    "nat64",
  ),
  refused("64:ff9b:1::/48", "local-use NAT64 space (RFC 8215)"),
  refused("100::/64", "discard-only space (RFC 6666)"),
  // Inside 2001::/23 a few assignments are globally reachable.
  refused("2001::/23", "IETF protocol assignments (RFC 2928)", [
    "2001:1::1/128",
    "2001:1::2/128",
    "2001:1::3/128",
    "2001:3::/32",
    "2001:4:112::/48",
    "2001:20::/28",
    "2001:30::/28",
  ]),
  // Teredo addresses name single hosts tunnelled through a NAT, reached through relays that
  // announce all of 2001::/32; they are refused, and the message names the embedded IPv4 addresses.
  refused(
    "2001::/32",
    "Teredo (RFC 4380), addresses of single hosts tunnelled over IPv4 through a NAT",
    [],
    "teredo",
  ),
  refused("2001:db8::/32", "documentation space (RFC 3849)"),
  refused("3fff::/20", "documentation space (RFC 9637)"),
  refused("5f00::/16", "SRv6 SIDs (RFC 9602)"),
  refused("fc00::/7", "unique local addresses (RFC 4193)"),
  refused("fe80::/10", "link-local unicast (RFC 4291)"),
  refused("ff00::/8", "multicast (RFC 4291)"),
];

/** IPv6 global unicast space (IANA IPv6 Address Space registry). */
export const IPV6_GLOBAL_UNICAST: Block = block("2000::/3");

/**
 * 6to4 (RFC 3056): `2002:V4HI:V4LO::/48` belongs to the IPv4 address in bits
 * 16–47. Accepted or refused by the IPv4 rules applied to that address.
 */
export const SIX_TO_FOUR: Block = block("2002::/16");
