/**
 * Property-based tests (fast-check) for destination validation, against an
 * independent oracle written here: its own address parser and block
 * arithmetic (not src/validation/_ip.ts), the URL standard's IPv6
 * serialiser, and the refused-block table read as the code reads it. Any
 * string is refused with InvalidDestinationError or accepted soundly; a
 * generated address or prefix is accepted exactly when it is global unicast.
 */

import assert from "node:assert/strict";
import { InvalidDestinationError } from "../../src/errors.ts";
import { type Destination, parseDestination } from "../../src/validation/destination.ts";
import { IPV4_REFUSED, IPV6_REFUSED } from "../../src/validation/_special_ranges.ts";
import { attempt, describeError, fc, seedProperties } from "../_property.ts";

seedProperties("tests/validation/destination_property_test.ts");

/** An address block in the test's own representation (independent of src/_ip.ts). */
interface TestBlock {
  v6: boolean;
  network: bigint;
  length: number;
}

const BITS = (v6: boolean) => (v6 ? 128 : 32);
const MIN_LENGTH = (v6: boolean) => (v6 ? 16 : 8);
const MAX_V6 = (1n << 128n) - 1n;
const MAX_V4 = (1n << 32n) - 1n;

/** Value of a dotted quad known to be well formed. */
function ipv4Value(text: string): bigint {
  const parts = text.split(".");
  assert.equal(parts.length, 4, `not a dotted quad: ${text}`);
  return parts.reduce((value, part) => value * 256n + BigInt(Number(part)), 0n);
}

/** Value of an IPv6 address known to be well formed, without an embedded dotted quad. */
function ipv6Value(text: string): bigint {
  const [left, right] = text.includes("::") ? text.split("::") : [text, undefined];
  const head = left === "" ? [] : left.split(":");
  const tail = right === undefined || right === "" ? [] : right.split(":");
  const groups = right === undefined
    ? head
    : [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
  assert.equal(groups.length, 8, `not an IPv6 address: ${text}`);
  return groups.reduce((value, group) => value * 65536n + BigInt(parseInt(group, 16)), 0n);
}

function parseCidr(cidr: string): TestBlock {
  const [address, length] = cidr.split("/");
  const v6 = address.includes(":");
  return { v6, network: v6 ? ipv6Value(address) : ipv4Value(address), length: Number(length) };
}

/** Whether `inner` lies inside `outer`: same family, and the same leading `outer.length` bits. */
function within(outer: TestBlock, inner: TestBlock): boolean {
  if (outer.v6 !== inner.v6 || inner.length < outer.length) return false;
  const shift = BigInt(BITS(outer.v6) - outer.length);
  return inner.network >> shift === outer.network >> shift;
}

function overlaps(a: TestBlock, b: TestBlock): boolean {
  return within(a, b) || within(b, a);
}

const REFUSED_TABLE = [...IPV4_REFUSED, ...IPV6_REFUSED].map((entry) => ({
  cidr: entry.cidr,
  block: parseCidr(entry.cidr),
  except: entry.except.map((x): TestBlock => ({
    v6: x.family === "ipv6",
    network: x.network,
    length: x.length,
  })),
}));
const GLOBAL_UNICAST_V6 = parseCidr("2000::/3");

/** The refused block a candidate conflicts with, or null when it is global unicast. */
function refusedBy(candidate: TestBlock): string | null {
  for (const entry of REFUSED_TABLE) {
    if (!overlaps(entry.block, candidate)) continue;
    if (entry.except.some((allowed) => within(allowed, candidate))) continue;
    return entry.cidr;
  }
  if (candidate.v6 && !within(GLOBAL_UNICAST_V6, candidate)) return "outside 2000::/3";
  return null;
}

function formatIpv4(value: bigint): string {
  return [3, 2, 1, 0].map((i) => String((value >> BigInt(8 * i)) & 255n)).join(".");
}

function groupsOf(value: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
}

/** RFC 5952 §4: lowercase, no leading zeros, longest run (≥ 2, first on a tie) compressed. */
function rfc5952(value: bigint): string {
  const groups = groupsOf(value);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** The URL standard's parse and serialisation of an IPv6 address; null if it refuses it. */
function urlIpv6(text: string): string | null {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/**
 * What parseDestination must answer for an address of known value and an optional length text:
 * null (refused) or the canonical form and whether host bits were cleared.
 */
function expectedDestination(
  v6: boolean,
  value: bigint,
  lengthText: string | undefined,
): { canonical: string; hostBits: boolean } | null {
  let length = BITS(v6);
  if (lengthText !== undefined) {
    if (!/^(?:0|[1-9][0-9]*)$/.test(lengthText)) return null;
    length = Number(lengthText);
    if (length < MIN_LENGTH(v6) || length > BITS(v6)) return null;
  }
  const shift = BigInt(BITS(v6) - length);
  const network = (value >> shift) << shift;
  if (refusedBy({ v6, network, length }) !== null) return null;
  const address = v6 ? rfc5952(network) : formatIpv4(network);
  return {
    canonical: lengthText === undefined ? address : `${address}/${length}`,
    hostBits: network !== value,
  };
}

const STRICT_IPV4 =
  /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

/** Everything an accepted destination must satisfy, checked without src/_ip.ts. */
function checkAccepted(input: string, d: Destination): void {
  assert.ok(/^[0-9a-f:./]+$/.test(d.canonical), `canonical ${JSON.stringify(d.canonical)}`);
  // Nothing but address characters gets through: no zone id, space, control, | ; and so on.
  assert.ok(/^[0-9A-Fa-f:./]+$/.test(input), `accepted ${JSON.stringify(input)}`);
  assert.ok(input.length <= 64);

  const slash = input.indexOf("/");
  const addressText = slash < 0 ? input : input.slice(0, slash);
  const lengthText = slash < 0 ? undefined : input.slice(slash + 1);
  const v6 = addressText.includes(":");
  assert.equal(d.family, v6 ? "ipv6" : "ipv4");
  let value: bigint;
  if (v6) {
    const normalised = urlIpv6(addressText);
    assert.ok(normalised !== null, `accepted ${JSON.stringify(input)}, not an IPv6 address`);
    value = ipv6Value(normalised);
  } else {
    assert.ok(STRICT_IPV4.test(addressText), `accepted ${JSON.stringify(input)}, not IPv4`);
    value = ipv4Value(addressText);
  }
  const expected = expectedDestination(v6, value, lengthText);
  assert.ok(expected !== null, `accepted ${JSON.stringify(input)}, which should be refused`);
  assert.equal(d.canonical, expected.canonical);
  assert.equal(d.warnings.length > 0, expected.hostBits, "a warning iff host bits were cleared");

  // Shape, global unicast and length range, checked directly as well.
  assert.equal(d.kind, slash < 0 ? "address" : "prefix");
  assert.equal(d.canonical, d.kind === "address" ? d.address : `${d.address}/${d.length}`);
  if (d.kind === "address") assert.equal(d.length, BITS(v6));
  assert.ok(d.length >= MIN_LENGTH(v6) && d.length <= BITS(v6), `length ${d.length}`);
  const network = v6 ? ipv6Value(d.address) : ipv4Value(d.address);
  assert.equal(refusedBy({ v6, network, length: d.length }), null);
  if (v6) {
    assert.equal(d.address, urlIpv6(d.address), "canonical IPv6 is the RFC 5952 form");
    assert.equal(d.address, rfc5952(network));
  } else {
    assert.equal(d.address, formatIpv4(network));
  }
  // The canonical form is a fixed point.
  const again = parseDestination(d.canonical);
  assert.deepEqual(again, { ...d, warnings: [] });
}

/** parseDestination never throws anything but InvalidDestinationError. */
function validate(input: string): Destination | null {
  const outcome = attempt(() => parseDestination(input));
  if (outcome.ok) return outcome.value;
  assert.ok(
    outcome.error instanceof InvalidDestinationError,
    `${JSON.stringify(input)} threw ${describeError(outcome.error)}`,
  );
  return null;
}

/** An address text with its value and whether the text is a valid RFC 4291 / dotted-quad form. */
interface AddressText {
  text: string;
  v6: boolean;
  value: bigint;
  valid: boolean;
}

/** Addresses anywhere, and near (inside, just below, just above) every listed block. */
function addressValue(v6: boolean): fc.Arbitrary<bigint> {
  const max = v6 ? MAX_V6 : MAX_V4;
  const anchors = [
    ...REFUSED_TABLE.filter((e) => e.block.v6 === v6).flatMap((e) => [e.block, ...e.except]),
    ...(v6 ? [GLOBAL_UNICAST_V6, parseCidr("2001:4860::/32"), parseCidr("2a00::/12")] : []),
  ];
  const near = fc.tuple(fc.constantFrom(...anchors), fc.bigInt({ min: 0n, max }), fc.nat(9)).map(
    ([block, random, where]) => {
      const size = 1n << BigInt(BITS(v6) - block.length);
      if (where === 0) return (block.network - 1n) & max;
      if (where === 1) return (block.network + size) & max;
      return block.network + (random % size);
    },
  );
  return fc.oneof(fc.bigInt({ min: 0n, max }), near);
}

/** Usually null; the value one time in eight. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

const ipv4Text: fc.Arbitrary<AddressText> = fc.tuple(
  addressValue(false),
  rarely(fc.nat(3)),
).map(([value, padded]) => {
  const octets = formatIpv4(value).split(".");
  if (padded !== null) octets[padded] = `0${octets[padded]}`; // leading zeros are refused
  return { text: octets.join("."), v6: false, value, valid: padded === null };
});

/** How to spell an IPv6 value: case, padding, which zero run to compress, a dotted-quad tail. */
const ipv6Spelling = fc.record({
  upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  pad: fc.array(fc.nat(3), { minLength: 8, maxLength: 8 }),
  compress: fc.option(fc.tuple(fc.nat(), fc.nat())),
  dottedTail: fc.boolean(),
  breakage: rarely(
    fc.constantFrom(
      "fiveDigits",
      "dropGroup",
      "extraGroup",
      "leadingColon",
      "trailingColon",
      "twoCompressions",
      "tailLeadingZero",
    ),
  ),
});

const ipv6Text: fc.Arbitrary<AddressText> = fc.tuple(addressValue(true), ipv6Spelling).map(
  ([value, spelling]) => {
    const groups = groupsOf(value);
    let valid = true;
    const spelled = groups.map((g, i) => {
      const hex = g.toString(16);
      const padded = "0".repeat(Math.min(spelling.pad[i], 4 - hex.length)) + hex;
      return spelling.upper[i] ? padded.toUpperCase() : padded;
    });
    const breakage = spelling.breakage;
    // The dotted-quad tail stands for groups 6 and 7.
    const tailCount = spelling.dottedTail ? 2 : 0;
    const body = spelled.slice(0, 8 - tailCount);
    let tail = "";
    if (spelling.dottedTail) {
      const quad = [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].map(String);
      if (breakage === "tailLeadingZero") {
        quad[1] = `0${quad[1]}`;
        valid = false;
      }
      tail = quad.join(".");
    }
    // Compress a run of one or more zero groups, chosen among the spelled (non-tail) groups.
    let text: string;
    const zeros = body.map((_, i) => i).filter((i) => groups[i] === 0);
    if (spelling.compress !== null && zeros.length > 0) {
      const start = zeros[spelling.compress[0] % zeros.length];
      let end = start + 1;
      while (end < body.length && groups[end] === 0 && end - start <= spelling.compress[1] % 8) {
        end++;
      }
      const left = body.slice(0, start).join(":");
      const right = [...body.slice(end), ...(tail ? [tail] : [])].join(":");
      text = `${left}::${right}`;
      if (breakage === "twoCompressions") {
        text = text.endsWith("::") ? `${text}1::1` : `${text}::1`;
        valid = false;
      }
    } else {
      const parts = [...body, ...(tail ? [tail] : [])];
      if (breakage === "dropGroup") {
        parts.splice(1, 1);
        valid = false;
      }
      if (breakage === "extraGroup") {
        parts.splice(1, 0, "1");
        valid = false;
      }
      text = parts.join(":");
    }
    if (breakage === "fiveDigits") {
      text = `00000${text}`; // the first group gets five or more digits
      valid = false;
    }
    if (breakage === "leadingColon") {
      text = `:${text}`;
      valid = false;
    }
    if (breakage === "trailingColon") {
      text = `${text}:`;
      valid = false;
    }
    return { text, v6: true, value, valid };
  },
);

const lengthText = fc.option(
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 140 }).map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "08", "00", "0", "-1", "1e2", "+24", "024", "9999"),
    },
  ),
  { freq: 2 },
);

/** Characters outside the address alphabet, with the injection-relevant ones spelled out. */
const foreignText = fc.oneof(
  fc.constantFrom(
    "%",
    "%eth0",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\0",
    "\x1b",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\ufeff",
    "|",
    ";",
    "&",
    "`",
    "$",
    "(",
    ")",
    "<",
    ">",
    "'",
    '"',
    "\\",
    "#",
    "!",
    "*",
    "?",
    "~",
    "[",
    "]",
    ",",
    "=",
    "+",
    "@",
    "-",
    "_",
    "g",
    "x",
    "\uff11", // fullwidth digit one
    "\u0660", // Arabic-Indic digit zero
    " longer-prefixes",
    "; show run",
    " | include",
  ),
  fc.string({ unit: "binary", minLength: 1, maxLength: 3 }).filter((s) =>
    /[^0-9A-Fa-f:./]/.test(s)
  ),
);

Deno.test("validation: the test's block oracle reads the refused table as the code does", () => {
  for (const entry of [...IPV4_REFUSED, ...IPV6_REFUSED]) {
    const mine = parseCidr(entry.cidr);
    assert.equal(mine.network, entry.block.network, entry.cidr);
    assert.equal(mine.length, entry.block.length, entry.cidr);
  }
});

Deno.test("validation: any string is refused with InvalidDestinationError or accepted soundly", () => {
  const addressAlphabet = fc.constantFrom(..."0123456789abcdefABCDEF:./");
  const nearMiss = fc.tuple(fc.oneof(ipv4Text, ipv6Text), lengthText, fc.nat(), fc.nat(3)).map(
    ([address, length, at, edit]) => {
      const text = length === null ? address.text : `${address.text}/${length}`;
      const i = at % (text.length + 1);
      if (edit === 0) return text.slice(0, i) + text.slice(i + 1); // drop a character
      if (edit === 1) return text.slice(0, i) + text.slice(Math.max(0, i - 1)); // repeat some
      if (edit === 2) return text.slice(0, i) + ":" + text.slice(i);
      return text.slice(0, i) + "." + text.slice(i);
    },
  );
  const input = fc.oneof(
    fc.string({ maxLength: 70 }),
    fc.string({ unit: "binary", maxLength: 70 }),
    fc.string({ unit: "binary-ascii", maxLength: 70 }),
    fc.string({ unit: addressAlphabet, maxLength: 70 }),
    nearMiss,
  );
  fc.assert(
    fc.property(input, (text) => {
      const d = validate(text);
      if (d !== null) checkAccepted(text, d);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("validation: generated addresses and prefixes are accepted exactly when global", () => {
  fc.assert(
    fc.property(fc.oneof(ipv4Text, ipv6Text), lengthText, (address, length) => {
      const text = length === null ? address.text : `${address.text}/${length}`;
      if (address.v6 && address.valid) {
        // The generator's own spelling agrees with the URL standard's parser.
        assert.equal(urlIpv6(address.text), rfc5952(address.value), address.text);
      }
      const expected = address.valid
        ? expectedDestination(address.v6, address.value, length ?? undefined)
        : null;
      const d = validate(text);
      if (expected === null) {
        assert.equal(d, null, `${JSON.stringify(text)} accepted as ${d?.canonical}`);
        return;
      }
      assert.ok(d !== null, `${JSON.stringify(text)} refused; expected ${expected.canonical}`);
      assert.equal(d.family, address.v6 ? "ipv6" : "ipv4");
      assert.equal(d.canonical, expected.canonical);
      checkAccepted(text, d);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("validation: fast-check's ipV4/ipV6 agree with the URL standard and the block table", () => {
  const address = fc.oneof(
    fc.ipV4().map((text) => ({ text, v6: false })),
    fc.ipV6().map((text) => ({ text, v6: true })),
  );
  fc.assert(
    fc.property(address, lengthText, ({ text, v6 }, length) => {
      const input = length === null ? text : `${text}/${length}`;
      let value: bigint | null;
      if (v6) {
        const normalised = urlIpv6(text);
        value = normalised === null ? null : ipv6Value(normalised);
      } else {
        value = STRICT_IPV4.test(text) ? ipv4Value(text) : null;
      }
      const expected = value === null ? null : expectedDestination(v6, value, length ?? undefined);
      const d = validate(input);
      if (expected === null) {
        assert.equal(d, null, `${JSON.stringify(input)} accepted as ${d?.canonical}`);
        return;
      }
      assert.ok(d !== null, `${JSON.stringify(input)} refused; expected ${expected.canonical}`);
      assert.equal(d.canonical, expected.canonical);
      checkAccepted(input, d);
    }),
    { numRuns: 500 },
  );
});

Deno.test("validation: any foreign character (%, space, control, | ; …) anywhere is refused", () => {
  fc.assert(
    fc.property(fc.oneof(ipv4Text, ipv6Text), lengthText, foreignText, fc.nat(), (
      address,
      length,
      foreign,
      at,
    ) => {
      const text = length === null ? address.text : `${address.text}/${length}`;
      const i = at % (text.length + 1);
      const input = text.slice(0, i) + foreign + text.slice(i);
      const outcome = attempt(() => parseDestination(input));
      assert.ok(!outcome.ok, `${JSON.stringify(input)} was accepted`);
      assert.ok(outcome.error instanceof InvalidDestinationError, describeError(outcome.error));
    }),
    { numRuns: 500 },
  );
});
