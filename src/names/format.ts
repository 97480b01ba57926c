/**
 * The distilled AS-names format, read side. `scripts/data.ts` writes it (see
 * `scripts/_data/encode.ts`); the committed module `asn_data.ts` holds it in
 * base64, and `--names-data FILE` reads it from a file.
 *
 * A container is `BGPLGASN`, a format byte, a little-endian u32 header length,
 * the header (JSON: date, source, counts), then the payload compressed with
 * raw deflate. The payload is unsigned LEB128 varints:
 *
 * ```
 * nAs, nAs × (asn − previous asn), nameBytes, names (UTF-8, joined by "\n")
 * n4, n4 × gap (start − previous end − 1), n4 × (end − start), n4 × AS index
 * n6, n6 × gap of the high 64 bits (start − previous end), n6 × (end − start),
 *     n6 × AS index, nLow, nLow × (index − previous index − 1, start low, end low)
 * ```
 *
 * IPv6 ranges are kept as 64-bit halves: a range's low halves are 0 and
 * 2^64 − 1 unless listed among the `nLow` exceptions.
 *
 * @module
 */

import { NamesDataError } from "../errors.ts";

/** The first bytes of every container. */
export const MAGIC = "BGPLGASN";

/** The container format this code reads and writes. */
export const FORMAT_VERSION = 1;

/** Largest payload accepted once inflated: bounds what a hostile data file can make us allocate. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Largest header accepted. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Where a distilled table came from. */
export interface DataSource {
  /** npm package name, or `file` / a URL for a copy given with `--source`. */
  package: string;
  /** Package version (`2.3.2026061719`), when known. */
  version?: string;
  /** Subresource integrity of the tarball that was read, when it was checked. */
  integrity?: string;
}

/** The container's header. */
export interface DataHeader {
  /** Container format ({@linkcode FORMAT_VERSION}). */
  format: number;
  /** The dataset's build date, `YYYY-MM-DD`. */
  date: string;
  /** Where the rows came from. */
  source: DataSource;
  /** How many ASes and ranges the payload holds. */
  counts: { asns: number; ipv4: number; ipv6: number };
  /** The payload's length once inflated. */
  payloadBytes: number;
  /** What the distiller changed or dropped, by reason (for the record). */
  repairs: Record<string, number>;
}

/** The decoded tables, as typed arrays, sorted for binary search. */
export interface TableData {
  /** AS numbers, ascending. */
  asns: Uint32Array;
  /** Every AS name in UTF-8, joined by `\n`, in `asns` order; an empty name means none. */
  names: Uint8Array;
  /** IPv4 range starts, ascending. */
  v4Start: Uint32Array;
  /** IPv4 range ends (inclusive). */
  v4End: Uint32Array;
  /** Index into `asns` of each IPv4 range's origin. */
  v4As: Uint32Array;
  /** IPv6 range starts, high 64 bits. */
  v6StartHi: BigUint64Array;
  /** IPv6 range starts, low 64 bits. */
  v6StartLo: BigUint64Array;
  /** IPv6 range ends, high 64 bits. */
  v6EndHi: BigUint64Array;
  /** IPv6 range ends, low 64 bits. */
  v6EndLo: BigUint64Array;
  /** Index into `asns` of each IPv6 range's origin. */
  v6As: Uint32Array;
}

const LOW_ALL = 0xffff_ffff_ffff_ffffn;

/** Splits a container into its header and its (still compressed) payload. */
export function splitContainer(bytes: Uint8Array): { header: DataHeader; payload: Uint8Array } {
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length + 5 || magic.some((b, i) => bytes[i] !== b)) {
    throw new NamesDataError("This is not an AS-names data file (it does not start with BGPLGASN)");
  }
  const format = bytes[magic.length];
  if (format !== FORMAT_VERSION) {
    throw new NamesDataError(
      `The AS-names data is in format ${format}; this version reads format ${FORMAT_VERSION}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(magic.length + 1, true);
  const headerStart = magic.length + 5;
  if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > bytes.length) {
    throw new NamesDataError("The AS-names data is truncated (its header is incomplete)");
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(
        bytes.subarray(headerStart, headerStart + headerLength),
      ),
    );
  } catch {
    throw new NamesDataError("The AS-names data header is not valid JSON");
  }
  return { header: checkHeader(header), payload: bytes.subarray(headerStart + headerLength) };
}

function checkHeader(value: unknown): DataHeader {
  const h = value as Partial<DataHeader> | null;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (
    typeof h !== "object" || h === null || h.format !== FORMAT_VERSION ||
    typeof h.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(h.date) ||
    typeof h.source !== "object" || h.source === null || typeof h.source.package !== "string" ||
    typeof h.counts !== "object" || h.counts === null || !count(h.counts.asns) ||
    !count(h.counts.ipv4) || !count(h.counts.ipv6) || !count(h.payloadBytes) ||
    (h.payloadBytes as number) > MAX_PAYLOAD_BYTES
  ) {
    throw new NamesDataError("The AS-names data header lacks its date, source, counts or size");
  }
  return {
    format: h.format,
    date: h.date,
    source: { ...h.source },
    counts: { asns: h.counts.asns, ipv4: h.counts.ipv4, ipv6: h.counts.ipv6 },
    payloadBytes: h.payloadBytes as number,
    repairs: typeof h.repairs === "object" && h.repairs !== null ? { ...h.repairs } : {},
  };
}

/** Inflates a raw-deflate payload of exactly `size` bytes (one allocation, no copies). */
export async function inflate(payload: Uint8Array, size: number): Promise<Uint8Array> {
  const stream = new Blob([payload as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw"));
  const out = new Uint8Array(size);
  let at = 0;
  try {
    for await (const chunk of stream) {
      if (at + chunk.length > size) {
        throw new NamesDataError("The AS-names data inflates to more than its header says");
      }
      out.set(chunk, at);
      at += chunk.length;
    }
  } catch (error) {
    if (error instanceof NamesDataError) throw error;
    throw new NamesDataError(`The AS-names data is damaged: ${(error as Error).message}`);
  }
  if (at !== size) {
    throw new NamesDataError("The AS-names data inflates to less than its header says");
  }
  return out;
}

/** Reads unsigned LEB128 varints from a byte array, with bounds checks. */
class Reader {
  #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get offset(): number {
    return this.#at;
  }

  /** A varint below 2^53. */
  uint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.#at >= this.#bytes.length) throw truncated();
      const byte = this.#bytes[this.#at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= 128;
    }
    throw new NamesDataError("The AS-names data holds a number that is too large");
  }

  /** A varint below 2^64, as a bigint. */
  big(): bigint {
    // The first 49 bits in a number (fast), the rest, rarely, in a bigint.
    let low = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.#at >= this.#bytes.length) throw truncated();
      const byte = this.#bytes[this.#at++];
      low += (byte & 0x7f) * scale;
      if (byte < 0x80) return BigInt(low);
      scale *= 128;
    }
    let value = BigInt(low);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (this.#at >= this.#bytes.length) throw truncated();
      const byte = this.#bytes[this.#at++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) {
        if (value > LOW_ALL) break;
        return value;
      }
      shift += 7n;
    }
    throw new NamesDataError("The AS-names data holds a number that is too large");
  }

  bytes(length: number): Uint8Array {
    if (this.#at + length > this.#bytes.length) throw truncated();
    const out = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return out;
  }
}

function truncated(): NamesDataError {
  return new NamesDataError("The AS-names data is truncated");
}

function bad(what: string): NamesDataError {
  return new NamesDataError(`The AS-names data is inconsistent: ${what}`);
}

/** Decodes an inflated payload into sorted typed arrays, checking every invariant lookups rely on. */
export function parsePayload(payload: Uint8Array, counts?: DataHeader["counts"]): TableData {
  const reader = new Reader(payload);
  const nAs = reader.uint();
  if (nAs > payload.length) throw bad("the AS count is larger than the data");
  const asns = new Uint32Array(nAs);
  let asn = 0;
  for (let i = 0; i < nAs; i++) {
    asn += reader.uint();
    if ((i > 0 && asn <= asns[i - 1]) || asn > 0xffff_ffff) throw bad("AS numbers out of order");
    asns[i] = asn;
  }
  // A copy, so that the inflated payload can be freed.
  const names = reader.bytes(reader.uint()).slice();
  let separators = 0;
  for (let i = names.indexOf(0x0a); i >= 0; i = names.indexOf(0x0a, i + 1)) separators++;
  if (nAs > 0 && separators !== nAs - 1) throw bad("names do not match AS numbers");

  const n4 = reader.uint();
  if (n4 > payload.length) throw bad("the IPv4 range count is larger than the data");
  const v4Start = new Uint32Array(n4);
  const v4End = new Uint32Array(n4);
  const v4As = new Uint32Array(n4);
  // Columns: gaps, then spans, then AS indexes; gaps are kept in v4Start and spans in v4End
  // until both are read.
  for (let i = 0; i < n4; i++) v4Start[i] = u32(reader.uint());
  for (let i = 0; i < n4; i++) v4End[i] = u32(reader.uint());
  for (let i = 0; i < n4; i++) v4As[i] = asIndex(reader.uint(), nAs);
  let previousEnd = -1;
  for (let i = 0; i < n4; i++) {
    const start = previousEnd + 1 + v4Start[i];
    const end = start + v4End[i];
    if (end > 0xffff_ffff) throw bad("an IPv4 range goes beyond 255.255.255.255");
    v4Start[i] = start;
    v4End[i] = end;
    previousEnd = end;
  }

  const n6 = reader.uint();
  if (n6 > payload.length) throw bad("the IPv6 range count is larger than the data");
  const v6StartHi = new BigUint64Array(n6);
  const v6StartLo = new BigUint64Array(n6);
  const v6EndHi = new BigUint64Array(n6);
  const v6EndLo = new BigUint64Array(n6).fill(LOW_ALL);
  const v6As = new Uint32Array(n6);
  // Gaps are kept in v6StartHi and spans in v6EndHi until both are read.
  for (let i = 0; i < n6; i++) v6StartHi[i] = reader.big();
  for (let i = 0; i < n6; i++) v6EndHi[i] = reader.big();
  for (let i = 0; i < n6; i++) v6As[i] = asIndex(reader.uint(), nAs);
  const nLow = reader.uint();
  if (nLow > n6) throw bad("IPv6 exception count");
  let index = -1;
  const lows: [number, bigint, bigint][] = [];
  for (let i = 0; i < nLow; i++) {
    index += reader.uint() + 1;
    if (index >= n6) throw bad("IPv6 exception index");
    lows.push([index, reader.big(), reader.big()]);
  }
  for (const [i, startLo, endLo] of lows) {
    v6StartLo[i] = startLo;
    v6EndLo[i] = endLo;
  }
  let previousHi = 0n;
  for (let i = 0; i < n6; i++) {
    const span = v6EndHi[i];
    const startHi = previousHi + v6StartHi[i];
    const endHi = startHi + span;
    if (endHi > LOW_ALL) throw bad("IPv6 range beyond ffff:…");
    v6StartHi[i] = startHi;
    v6EndHi[i] = endHi;
    previousHi = endHi;
    if (i > 0 && !after(startHi, v6StartLo[i], v6EndHi[i - 1], v6EndLo[i - 1])) {
      throw bad("IPv6 ranges overlap");
    }
    if (span === 0n && v6StartLo[i] > v6EndLo[i]) throw bad("IPv6 range ends before it starts");
  }
  if (reader.offset !== payload.length) throw bad("trailing bytes");
  if (counts && (counts.asns !== nAs || counts.ipv4 !== n4 || counts.ipv6 !== n6)) {
    throw bad("counts differ from the header");
  }
  return { asns, names, v4Start, v4End, v4As, v6StartHi, v6StartLo, v6EndHi, v6EndLo, v6As };
}

function u32(value: number): number {
  if (value > 0xffff_ffff) throw bad("an IPv4 number is too large");
  return value;
}

function asIndex(value: number, nAs: number): number {
  if (value >= nAs) throw bad("a range names an AS that is not in the table");
  return value;
}

/** Whether (hi, lo) is strictly after (prevHi, prevLo). */
function after(hi: bigint, lo: bigint, prevHi: bigint, prevLo: bigint): boolean {
  return hi > prevHi || (hi === prevHi && lo > prevLo);
}
