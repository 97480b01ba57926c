/**
 * User input for the AS-name lookups: an AS number (asplain, `AS3356`, asdot)
 * or a name fragment, validated with a reason for every refusal. Pure.
 *
 * @module
 */

import { parseAsn } from "../bgp/values.ts";
import { MAX_ASN } from "../bgp/special_asns.ts";
import { InvalidAsnError, InvalidAsSearchError } from "../errors.ts";

/** Longest name fragment searched for. */
export const MAX_SEARCH_LENGTH = 100;

/**
 * Parses an AS number given as a number or as text (`3356`, `AS3356`,
 * `as3356`, asdot `1.10`).
 *
 * @throws {InvalidAsnError} saying what is wrong and what is accepted
 */
export function parseAsnInput(input: number | string): number {
  if (typeof input === "number") {
    const shown = String(input);
    if (!Number.isFinite(input)) throw new InvalidAsnError(shown, `${shown} is not an AS number`);
    if (!Number.isInteger(input)) {
      throw new InvalidAsnError(shown, `${shown} is not a whole number`);
    }
    if (input < 0 || input > MAX_ASN) {
      throw new InvalidAsnError(shown, `${shown} is out of range`);
    }
    return input;
  }
  const text = input.trim();
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  if (text === "") throw new InvalidAsnError(input, "The AS number is empty");
  const bare = /^as/i.test(text) ? text.slice(2) : text;
  if (/^-\d+$/.test(bare)) throw new InvalidAsnError(input, `${shown} is out of range`);
  if (/^\d+$/.test(bare)) {
    const value = bare.length <= 10 ? Number(bare) : Infinity;
    if (value > MAX_ASN) throw new InvalidAsnError(input, `${shown} is out of range`);
    return value;
  }
  const asn = parseAsn(bare);
  if (asn === null) throw new InvalidAsnError(input, `${shown} is not an AS number`);
  return asn;
}

/**
 * A name fragment folded for searching: Unicode compatibility form without
 * accents, lower case, runs of white space as one space, trimmed.
 *
 * @throws {InvalidAsSearchError} if it is empty, too long, or holds control characters
 */
export function parseSearchText(input: string): string {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) {
    throw new InvalidAsSearchError("The search text contains control characters");
  }
  const folded = foldForSearch(input).replace(/\s+/g, " ").trim();
  if (folded === "") throw new InvalidAsSearchError("The search text is empty");
  if (folded.length > MAX_SEARCH_LENGTH) {
    throw new InvalidAsSearchError(
      `The search text is ${folded.length} characters long; the limit is ${MAX_SEARCH_LENGTH}`,
    );
  }
  return folded;
}

/** Folds text for searching without changing where a `\n` separates names. */
export function foldForSearch(text: string): string {
  // deno-lint-ignore no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text);
  const base = ascii ? text : text.normalize("NFKD").replace(/\p{M}/gu, "");
  return base.toLowerCase();
}
