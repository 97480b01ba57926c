/**
 * Property-based tests (fast-check) for the BGP value readers every text
 * parser goes through: AS paths and standard communities, against reference
 * rules written here.
 */

import assert from "node:assert/strict";
import { normalizeCommunity, parseAsPathText } from "../../src/bgp/values.ts";
import { fc, seedProperties } from "../_property.ts";

seedProperties("tests/bgp/values_property_test.ts");

/** The largest 32-bit AS number. */
const MAX_ASN = 4294967295;

Deno.test("bgp values: plain AS paths read as their ASNs, however they are spaced", () => {
  const token = fc.oneof(
    fc.integer({ min: 0, max: MAX_ASN }).map(String),
    fc.constantFrom("0", "4294967295", "4294967296", "9999999999", "00000000001", "0042"),
    fc.stringMatching(/^[0-9]{1,12}$/),
  );
  const separator = fc.constantFrom(" ", "  ", "\t", " \t ");
  fc.assert(
    fc.property(
      fc.array(fc.tuple(token, separator), { maxLength: 40 }),
      fc.constantFrom("", " "),
      (parts, pad) => {
        const tokens = parts.map(([t]) => t);
        // Reference: 1–10 digits and at most 2^32 - 1 each; the last one is the origin.
        const valid = tokens.every((t) => t.length <= 10 && Number(t) <= MAX_ASN);
        const expected = valid
          ? { asPath: tokens.map(Number), originAs: tokens.length ? Number(tokens.at(-1)) : null }
          : null;
        const spaced = pad + tokens.join(" ") + pad;
        const mixed = parts.map(([t, s]) => t + s).join("");
        assert.deepEqual(parseAsPathText(spaced), expected, JSON.stringify(spaced));
        assert.deepEqual(parseAsPathText(mixed), expected, JSON.stringify(mixed));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("bgp values: an A:B community normalises exactly when both halves fit 16 bits", () => {
  const half = fc.oneof(
    fc.integer({ min: 0, max: 70000 }).map(String),
    fc.stringMatching(/^[0-9]{0,7}$/),
  );
  fc.assert(
    fc.property(half, half, (a, b) => {
      const fits = (h: string) => /^[0-9]{1,5}$/.test(h) && Number(h) <= 65535;
      const expected = fits(a) && fits(b) ? `${Number(a)}:${Number(b)}` : null;
      assert.equal(normalizeCommunity(`${a}:${b}`), expected, `${a}:${b}`);
    }),
    { numRuns: 1000 },
  );
});
