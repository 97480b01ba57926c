/**
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP, node:dgram) for the
 * resolver tests: it answers A and AAAA questions from a fixed table, NXDOMAIN
 * for names it does not know, SERVFAIL or silence where told to, and records
 * every question it was asked. It never forwards anything anywhere.
 *
 * @module
 */

import dgram from "node:dgram";

/** What the responder answers for one name. */
export interface Zone {
  /** IPv4 answers. */
  A?: string[];
  /** IPv6 answers (full or compressed text). */
  AAAA?: string[];
  /** Answer with this response code instead (2 SERVFAIL, 5 REFUSED). */
  rcode?: number;
  /** Do not answer at all. */
  silent?: boolean;
}

/** One question the responder received. */
export interface Question {
  /** The name, lower case, without the trailing dot. */
  name: string;
  /** `A`, `AAAA` or the numeric type. */
  type: string;
}

/** A running responder. */
export interface DnsResponder {
  /** Its UDP port on 127.0.0.1. */
  port: number;
  /** Every question received, in order. */
  questions: Question[];
  /** Stops it. */
  close(): Promise<void>;
}

function ipv4Bytes(text: string): number[] {
  return text.split(".").map(Number);
}

function ipv6Bytes(text: string): number[] {
  const [head, tail = ""] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = text.includes("::") && tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function answer(
  query: Uint8Array,
  zones: Record<string, Zone>,
  asked: Question[],
): Uint8Array | null {
  if (query.length < 12) return null;
  let at = 12;
  const labels: string[] = [];
  while (at < query.length && query[at] !== 0) {
    const length = query[at];
    labels.push(new TextDecoder().decode(query.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  const questionEnd = at + 5;
  if (questionEnd > query.length) return null;
  const qtype = (query[at + 1] << 8) | query[at + 2];
  const name = labels.join(".").toLowerCase();
  asked.push({ name, type: qtype === 1 ? "A" : qtype === 28 ? "AAAA" : String(qtype) });
  const zone = zones[name];
  if (zone?.silent) return null;
  const records = zone === undefined
    ? []
    : qtype === 1
    ? (zone.A ?? []).map(ipv4Bytes)
    : qtype === 28
    ? (zone.AAAA ?? []).map(ipv6Bytes)
    : [];
  const rcode = zone === undefined ? 3 : zone.rcode ?? 0;
  const header = [
    query[0],
    query[1],
    0x84 | (query[2] & 0x01), // QR, AA, RD copied
    0x80 | rcode, // RA
    0,
    1,
    0,
    rcode === 0 ? records.length : 0,
    0,
    0,
    0,
    0,
  ];
  const question = [...query.subarray(12, questionEnd)];
  const rrs = rcode === 0
    ? records.flatMap((rdata) => [
      0xc0,
      0x0c,
      0,
      qtype,
      0,
      1,
      0,
      0,
      0,
      60,
      0,
      rdata.length,
      ...rdata,
    ])
    : [];
  return new Uint8Array([...header, ...question, ...rrs]);
}

/** Starts a responder on 127.0.0.1 answering from `zones` (names without the trailing dot). */
export async function startDnsResponder(zones: Record<string, Zone>): Promise<DnsResponder> {
  const socket = dgram.createSocket("udp4");
  const questions: Question[] = [];
  socket.on("message", (message: Uint8Array, remote: { port: number; address: string }) => {
    const reply = answer(new Uint8Array(message), zones, questions);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const { port } = socket.address() as { port: number };
  return {
    port,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
