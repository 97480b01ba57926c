/**
 * Path attributes a router prints without decoding them. IOS-XE 3.16 (route-views
 * main) predates large communities (RFC 8092) and the Only-to-Customer
 * attribute (RFC 9234) and shows them as:
 *
 * ```
 *       unknown transitive attribute: flag 0xE0 type 0x20 length 0x18
 *         value 0000 205B 0000 0000 0000 0001 0000 205B
 *               0000 0005 0000 0001
 * ```
 *
 * (2-byte hex groups, eight per line). Internal: the detail parser reads them
 * line by line with an {@linkcode UnknownAttributeReader}.
 *
 * @module
 */

import type { UnknownAttribute } from "../bgp/types.ts";

/** BGP LARGE_COMMUNITY (RFC 8092). */
export const LARGE_COMMUNITY_TYPE = 0x20;

const HEADER =
  /^unknown (?:non-)?(?:transitive )?attribute: flag 0x([0-9a-f]{1,2}) type 0x([0-9a-f]{1,2}) length 0x([0-9a-f]{1,4})$/i;
const FIRST_VALUE = /^value((?: [0-9a-f]{2,4})+)$/i;
const MORE_VALUE = /^[0-9a-f]{2,4}(?: [0-9a-f]{2,4})*$/i;

/**
 * Decodes a LARGE_COMMUNITY value (12-byte triples of 32-bit numbers) as
 * `GA:LD1:LD2` strings, or `null` when the length is not a whole number of
 * triples.
 */
export function decodeLargeCommunities(hex: string): string[] | null {
  if (hex.length === 0 || hex.length % 24 !== 0 || !/^[0-9a-f]+$/i.test(hex)) return null;
  const out: string[] = [];
  for (let at = 0; at < hex.length; at += 24) {
    const part = (i: number) => parseInt(hex.slice(at + i * 8, at + i * 8 + 8), 16);
    out.push(`${part(0)}:${part(1)}:${part(2)}`);
  }
  return out;
}

/**
 * Reads one path's unknown-attribute lines (trimmed), in order: a header line
 * starts an attribute, `value …` and the hex lines after it fill it, and any
 * other line ends it.
 */
export class UnknownAttributeReader {
  #done: UnknownAttribute[] = [];
  #open: { attribute: UnknownAttribute; length: number; sawValue: boolean } | null = null;

  /**
   * Offers a trimmed line; returns whether it belonged to an unknown attribute
   * (a caller reads lines that did not as usual).
   */
  take(line: string): boolean {
    const header = line.startsWith("unknown ") ? HEADER.exec(line) : null;
    if (header) {
      this.#close();
      this.#open = {
        attribute: { type: parseInt(header[2], 16), flags: parseInt(header[1], 16), hex: "" },
        length: parseInt(header[3], 16),
        sawValue: false,
      };
      return true;
    }
    const open = this.#open;
    if (!open) return false;
    const full = open.attribute.hex.length >= open.length * 2;
    const first = !open.sawValue ? FIRST_VALUE.exec(line) : null;
    if (first) {
      open.sawValue = true;
      open.attribute.hex += first[1].replaceAll(" ", "").toLowerCase();
      return true;
    }
    if (open.sawValue && !full && MORE_VALUE.test(line)) {
      open.attribute.hex += line.replaceAll(" ", "").toLowerCase();
      return true;
    }
    this.#close();
    return false;
  }

  /** Every attribute read, the last one closed. */
  finish(): UnknownAttribute[] {
    this.#close();
    return this.#done;
  }

  #close(): void {
    if (!this.#open) return;
    const { attribute, length } = this.#open;
    // Never more bytes than the header announced (a following line of hex is not this value's).
    attribute.hex = attribute.hex.slice(0, length * 2);
    this.#done.push(attribute);
    this.#open = null;
  }
}
