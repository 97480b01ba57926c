/**
 * A small MRT TABLE_DUMP_V2 writer (RFC 6396 §4.3) for the rig: GoBGP's
 * `gobgp mrt inject global FILE` loads such a file into a feeder's RIB with
 * every path attribute as written here, which its CLI cannot set (AS_SET and
 * confederation segments, ATOMIC_AGGREGATE, extended communities), and a few
 * thousand routes load in one process instead of one process each.
 *
 * Test harness only.
 */

/** One segment of an AS_PATH attribute. */
export interface AsPathSegment {
  /** RFC 4271 / RFC 5065 segment types. */
  type: "set" | "sequence" | "confed-sequence" | "confed-set";
  /** Its ASNs (4-byte: TABLE_DUMP_V2 always carries 4-byte AS numbers). */
  asns: number[];
}

/** The path attributes of one route. */
export interface MrtAttributes {
  origin: "IGP" | "EGP" | "incomplete";
  asPath: AsPathSegment[];
  /** IPv4 next hop (NEXT_HOP) or IPv6 next hop (abbreviated MP_REACH_NLRI). */
  nextHop: string;
  med?: number;
  localPref?: number;
  atomicAggregate?: boolean;
  aggregator?: { asn: number; address: string };
  /** `ASN:VALUE` */
  communities?: string[];
  /** Route targets `ASN:VALUE` with a 2-byte ASN (type 0x00, subtype 0x02). */
  routeTargets?: string[];
  /** `GA:LD1:LD2` */
  largeCommunities?: string[];
}

/** One route: a prefix and its attributes, as one peer sent it. */
export interface MrtRoute {
  /** `192.0.2.0/24` or `2001:db8::/32`. */
  prefix: string;
  attributes: MrtAttributes;
  /** Index of the peer it came from in the file's peer table (default 0). */
  peer?: number;
}

/** A peer of the file's peer index table (IPv4 address, 4-byte AS). */
export interface MrtPeer {
  address: string;
  as: number;
}

const TABLE_DUMP_V2 = 13;
const PEER_INDEX_TABLE = 1;
const RIB_IPV4_UNICAST = 2;
const RIB_IPV6_UNICAST = 4;

const SEGMENT_TYPES = { set: 1, sequence: 2, "confed-set": 4, "confed-sequence": 3 } as const;
const ORIGINS = { IGP: 0, EGP: 1, incomplete: 2 } as const;

/**
 * Encodes routes as one TABLE_DUMP_V2 file: a peer index table, then one RIB
 * record per prefix holding an entry for each route of that prefix (GoBGP keeps
 * the entries of different peers as different paths).
 */
export function encodeMrt(
  routes: readonly MrtRoute[],
  options: { peers: readonly MrtPeer[]; timestamp?: number },
): Uint8Array {
  const timestamp = options.timestamp ?? 1_700_000_000;
  const records: Uint8Array[] = [];
  const peerIndex = concat([
    ipv4Bytes("127.0.0.1"), // collector BGP ID
    u16(0), // view name length
    u16(options.peers.length),
    ...options.peers.map((peer) =>
      concat([
        new Uint8Array([0x02]), // peer type: IPv4 address, 4-byte AS
        ipv4Bytes(peer.address),
        ipv4Bytes(peer.address),
        u32(peer.as),
      ])
    ),
  ]);
  records.push(record(timestamp, PEER_INDEX_TABLE, peerIndex));
  const byPrefix = Map.groupBy(routes, (route) => route.prefix);
  [...byPrefix].forEach(([prefix, entries], sequence) => {
    const [address, lengthText] = prefix.split("/");
    const length = Number(lengthText);
    const v6 = address.includes(":");
    const full = v6 ? ipv6Bytes(address) : ipv4Bytes(address);
    const packed = full.slice(0, Math.ceil(length / 8));
    const body = concat([
      u32(sequence),
      new Uint8Array([length]),
      packed,
      u16(entries.length),
      ...entries.map((route) => {
        const attributes = encodeAttributes(route.attributes, v6, concat([u8(length), packed]));
        return concat([u16(route.peer ?? 0), u32(timestamp), u16(attributes.length), attributes]);
      }),
    ]);
    records.push(record(timestamp, v6 ? RIB_IPV6_UNICAST : RIB_IPV4_UNICAST, body));
  });
  return concat(records);
}

function encodeAttributes(a: MrtAttributes, v6: boolean, nlri: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  parts.push(attribute(0x40, 1, new Uint8Array([ORIGINS[a.origin]])));
  parts.push(attribute(
    0x40,
    2,
    concat(a.asPath.map((segment) =>
      concat([
        new Uint8Array([SEGMENT_TYPES[segment.type], segment.asns.length]),
        ...segment.asns.map(u32),
      ])
    )),
  ));
  if (v6) {
    // RFC 6396 §4.3.4 abbreviates MP_REACH_NLRI in RIB entries to the next hop alone, but GoBGP
    // reads the full RFC 4760 form: AFI 2, SAFI 1, the next hop, a reserved byte, the NLRI.
    const hop = ipv6Bytes(a.nextHop);
    parts.push(attribute(
      0x80,
      14,
      concat([u16(2), new Uint8Array([1, hop.length]), hop, u8(0), nlri]),
    ));
  } else {
    parts.push(attribute(0x40, 3, ipv4Bytes(a.nextHop)));
  }
  if (a.med !== undefined) parts.push(attribute(0x80, 4, u32(a.med)));
  if (a.localPref !== undefined) parts.push(attribute(0x40, 5, u32(a.localPref)));
  if (a.atomicAggregate) parts.push(attribute(0x40, 6, new Uint8Array()));
  if (a.aggregator) {
    parts.push(
      attribute(0xc0, 7, concat([u32(a.aggregator.asn), ipv4Bytes(a.aggregator.address)])),
    );
  }
  if (a.communities?.length) {
    parts.push(attribute(
      0xc0,
      8,
      concat(a.communities.map((c) => {
        const [high, low] = c.split(":").map(Number);
        return concat([u16(high), u16(low)]);
      })),
    ));
  }
  if (a.routeTargets?.length) {
    parts.push(attribute(
      0xc0,
      16,
      concat(a.routeTargets.map((rt) => {
        const [asn, value] = rt.split(":").map(Number);
        return concat([new Uint8Array([0x00, 0x02]), u16(asn), u32(value)]);
      })),
    ));
  }
  if (a.largeCommunities?.length) {
    parts.push(attribute(
      0xc0,
      32,
      concat(a.largeCommunities.map((c) => concat(c.split(":").map((n) => u32(Number(n)))))),
    ));
  }
  return concat(parts);
}

function attribute(flags: number, type: number, value: Uint8Array): Uint8Array {
  if (value.length > 255) {
    return concat([new Uint8Array([flags | 0x10, type]), u16(value.length), value]);
  }
  return concat([new Uint8Array([flags, type, value.length]), value]);
}

function record(timestamp: number, subtype: number, body: Uint8Array): Uint8Array {
  return concat([u32(timestamp), u16(TABLE_DUMP_V2), u16(subtype), u32(body.length), body]);
}

function u8(n: number): Uint8Array {
  return new Uint8Array([n & 0xff]);
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >>> 8) & 0xff, n & 0xff]);
}

function u32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function ipv4Bytes(address: string): Uint8Array {
  return new Uint8Array(address.split(".").map(Number));
}

function ipv6Bytes(address: string): Uint8Array {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = tail === undefined
    ? headGroups
    : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return concat(groups.map((g) => u16(parseInt(g, 16))));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
