/**
 * Property-based tests (fast-check) for the telnet negotiator: well-formed
 * streams decode to their data however they are split, rough streams match a
 * reference decoder written here, and arbitrary bytes never throw and stay
 * bounded (RFC 1143 policy: accept ECHO and SGA, refuse the rest, capped).
 */

import assert from "node:assert/strict";
import { TELNET, TelnetNegotiator } from "../../src/telnet/negotiator.ts";
import { describeError, fc, seedProperties, timed } from "../_property.ts";

seedProperties("tests/telnet/negotiator_property_test.ts");

const { IAC, DO, DONT, WILL, WONT, SB, SE, ECHO, SGA, TTYPE, NAWS, LINEMODE } = TELNET;

/** A piece of a server stream and the data bytes it must decode to. */
interface Piece {
  wire: number[];
  data: number[];
  iacIac?: boolean;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function assertSameBytes(actual: Uint8Array, expected: ArrayLike<number>, what: string): void {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    if (actual[i] !== expected[i]) {
      assert.fail(
        `${what}: differs at byte ${i} of ${actual.length} (expected ${expected.length}): ` +
          `got ${actual[i]}, expected ${expected[i]}`,
      );
    }
  }
}

/** Feeds `input` to a fresh negotiator, cut at `cuts`, and concatenates the outputs. */
function feed(
  input: Uint8Array,
  cuts: readonly number[],
): { data: Uint8Array; replies: Uint8Array } {
  const negotiator = new TelnetNegotiator();
  const data: Uint8Array[] = [];
  const replies: Uint8Array[] = [];
  let start = 0;
  for (const end of [...cuts, input.length]) {
    const out = negotiator.push(input.subarray(start, end));
    assert.ok(out.data.length <= end - start, "a chunk decoded to more data than it held");
    assert.ok(out.replies.length <= 3 * (end - start), "a chunk produced too many replies");
    data.push(out.data.slice());
    replies.push(out.replies.slice());
    start = end;
  }
  return { data: concatBytes(data), replies: concatBytes(replies) };
}

/** Sorted cut positions in 0..length from arbitrary naturals (duplicates give empty chunks). */
function cutsFor(raw: readonly number[], length: number): number[] {
  return raw.map((n) => n % (length + 1)).sort((a, b) => a - b);
}

function everyByte(length: number): number[] {
  return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
}

/** Documented in negotiator.ts: an unterminated subnegotiation is dropped after 1 KiB. */
const SUBNEGOTIATION_LIMIT = 1024;
/** Documented in negotiator.ts: refusals per option are capped. */
const MAX_REFUSALS = 16;

/**
 * Reference decoder over the whole stream at once (not a state machine): data bytes and the
 * (verb, option) negotiations, in order. A command cut off by the end of the stream is dropped.
 */
function referenceDecode(input: Uint8Array): { data: number[]; negotiations: number[][] } {
  const data: number[] = [];
  const negotiations: number[][] = [];
  let i = 0;
  while (i < input.length) {
    if (input[i] !== IAC) {
      data.push(input[i]);
      i += 1;
      continue;
    }
    if (i + 1 >= input.length) break;
    const command = input[i + 1];
    if (command === IAC) {
      data.push(IAC);
      i += 2;
    } else if (command === WILL || command === WONT || command === DO || command === DONT) {
      if (i + 2 >= input.length) break;
      negotiations.push([command, input[i + 2]]);
      i += 3;
    } else if (command === SB) {
      i = endOfSubnegotiation(input, i + 2);
    } else {
      i += 2; // NOP, GA, DM, a stray SE, …: two-byte commands without data
    }
  }
  return { data, negotiations };
}

/**
 * Index just after a subnegotiation whose body starts at `from`: after its IAC SE, or after the
 * byte that takes its body past the limit (the stream is data again from there). Escaped bytes
 * (IAC x) are skipped as pairs and, as in the negotiator, not counted against the limit.
 */
function endOfSubnegotiation(input: Uint8Array, from: number): number {
  let counted = 0;
  let j = from;
  while (j < input.length) {
    if (input[j] === IAC) {
      if (j + 1 < input.length && input[j + 1] === SE) return j + 2;
      j += 2;
      continue;
    }
    counted += 1;
    j += 1;
    if (counted > SUBNEGOTIATION_LIMIT) return j;
  }
  return input.length;
}

/** The documented policy (RFC 1143 style): accept ECHO and SGA, refuse all else, capped. */
function referenceReplies(negotiations: readonly number[][]): number[] {
  const enabled = new Set<number>();
  const refused = new Map<string, number>();
  const refuse = (key: string): boolean => {
    const sent = refused.get(key) ?? 0;
    if (sent >= MAX_REFUSALS) return false;
    refused.set(key, sent + 1);
    return true;
  };
  const out: number[] = [];
  for (const [verb, option] of negotiations) {
    if (verb === WILL) {
      if (option === ECHO || option === SGA) {
        if (!enabled.has(option)) {
          enabled.add(option);
          out.push(IAC, DO, option);
        }
      } else if (refuse(`remote ${option}`)) out.push(IAC, DONT, option);
    } else if (verb === WONT) {
      if (enabled.delete(option)) out.push(IAC, DONT, option);
    } else if (verb === DO) {
      if (refuse(`local ${option}`)) out.push(IAC, WONT, option);
    }
    // DONT: our options are always off; nothing to acknowledge.
  }
  return out;
}

function assertReplyShape(replies: Uint8Array): void {
  assert.equal(replies.length % 3, 0, "replies are whole IAC verb option triples");
  for (let i = 0; i < replies.length; i += 3) {
    assert.equal(replies[i], IAC);
    const verb = replies[i + 1];
    assert.ok(verb === DO || verb === DONT || verb === WONT, `reply verb ${verb}`);
    if (replies[i + 1] === DO) assert.ok(replies[i + 2] === ECHO || replies[i + 2] === SGA);
  }
}

const anyByte = fc.integer({ min: 0, max: 255 });
const dataByte = fc.integer({ min: 0, max: 254 });
const optionByte = fc.oneof(fc.constantFrom(ECHO, SGA, TTYPE, NAWS, LINEMODE), anyByte);

function escapeIac(bytes: readonly number[]): number[] {
  return bytes.flatMap((b) => (b === IAC ? [IAC, IAC] : [b]));
}

function subnegotiation(body: readonly number[], terminated = true): number[] {
  return [IAC, SB, ...escapeIac(body), ...(terminated ? [IAC, SE] : [])];
}

/** Well-formed telnet pieces whose data is known by construction. */
const wellFormedPiece: fc.Arbitrary<Piece> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(dataByte, { minLength: 1, maxLength: 24 }).map((d) => ({
      wire: d,
      data: d,
    })),
  },
  { weight: 2, arbitrary: fc.constant<Piece>({ wire: [IAC, IAC], data: [IAC], iacIac: true }) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(WILL, WONT, DO, DONT), optionByte).map((
      [verb, option],
    ) => ({ wire: [IAC, verb, option], data: [] })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 240, max: 249 }).map((command) => ({
      wire: [IAC, command],
      data: [],
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(optionByte, fc.array(anyByte, { maxLength: 40 })).map(([option, body]) => ({
      wire: subnegotiation([option, ...body]),
      data: [],
    })),
  },
  {
    // Up to exactly the limit: 1024 counted bytes (the option and 1023 payload bytes).
    weight: 1,
    arbitrary: fc.tuple(dataByte, fc.integer({ min: 1000, max: 1023 }), fc.nat()).map((
      [option, length, seed],
    ) => ({
      wire: subnegotiation([option, ...Array.from({ length }, (_, i) => (seed + i * 7) % 255)]),
      data: [],
    })),
  },
);

/** Pieces with no known data: garbage, over-long and unterminated subnegotiations, cut pieces. */
const roughPiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: wellFormedPiece },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(anyByte, fc.constant(IAC)), { minLength: 1, maxLength: 8 }).map((
      b,
    ) => ({ wire: b, data: [] })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.integer({ min: 1020, max: 1100 }),
      fc.array(anyByte, { maxLength: 10 }),
      fc.boolean(),
    ).map(([length, extra, terminated]) => ({
      wire: subnegotiation([...Array.from({ length }, (_, i) => i % 250), ...extra], terminated),
      data: [],
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(wellFormedPiece, fc.nat()).map(([piece, cut]) => ({
      wire: piece.wire.slice(0, cut % (piece.wire.length + 1)),
      data: [],
    })),
  },
);

Deno.test("negotiator: well-formed streams decode to their data however they are split", () => {
  fc.assert(
    fc.property(
      fc.array(wellFormedPiece, { maxLength: 40, size: "medium" }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (pieces, rawCuts) => {
        const input = Uint8Array.from(pieces.flatMap((p) => p.wire));
        const expected = pieces.flatMap((p) => p.data);
        const whole = feed(input, []);
        assertSameBytes(whole.data, expected, "data vs construction");
        // Every IAC IAC is one 0xFF data byte, and only those give 0xFF.
        assert.equal(
          whole.data.filter((b) => b === IAC).length,
          pieces.filter((p) => p.iacIac).length,
        );
        const reference = referenceDecode(input);
        assertSameBytes(whole.data, reference.data, "data vs reference decoder");
        assertSameBytes(whole.replies, referenceReplies(reference.negotiations), "replies");
        assertReplyShape(whole.replies);
        for (const cuts of [cutsFor(rawCuts, input.length), everyByte(input.length)]) {
          const split = feed(input, cuts);
          assertSameBytes(split.data, whole.data, "split data");
          assertSameBytes(split.replies, whole.replies, "split replies");
        }
        // After a well-formed stream the decoder is between commands: IAC IAC is one 0xFF.
        const negotiator = new TelnetNegotiator();
        negotiator.push(input);
        const after = negotiator.push(new Uint8Array([IAC, IAC]));
        assertSameBytes(after.data, [IAC], "IAC IAC after a well-formed stream");
        assert.equal(after.replies.length, 0);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("negotiator: rough streams match the reference decoder however they are split", () => {
  fc.assert(
    fc.property(
      fc.array(roughPiece, { maxLength: 40, size: "medium" }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (pieces, rawCuts) => {
        const input = Uint8Array.from(pieces.flatMap((p) => p.wire));
        const whole = feed(input, []);
        const reference = referenceDecode(input);
        assertSameBytes(whole.data, reference.data, "data vs reference decoder");
        assertSameBytes(whole.replies, referenceReplies(reference.negotiations), "replies");
        assertReplyShape(whole.replies);
        for (const cuts of [cutsFor(rawCuts, input.length), everyByte(input.length)]) {
          const split = feed(input, cuts);
          assertSameBytes(split.data, whole.data, "split data");
          assertSameBytes(split.replies, whole.replies, "split replies");
        }
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("negotiator: arbitrary bytes up to 64 KiB never throw and stay bounded", () => {
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 65536, size: "max" }),
    // Dense in command bytes (240–255), so most bytes are IAC or a verb.
    fc.uint8Array({ min: 240, max: 255, maxLength: 8192, size: "max" }),
  );
  fc.assert(
    fc.property(garbage, fc.array(fc.nat(), { maxLength: 20 }), (input, rawCuts) => {
      const whole = timed("TelnetNegotiator.push", input.length, () => feed(input, []));
      assert.ok(whole.ok, whole.ok ? "" : describeError(whole.error));
      const { data, replies } = whole.value;
      assert.ok(data.length <= input.length);
      const iacs = input.reduce((n, b) => n + (b === IAC ? 1 : 0), 0);
      assert.ok(replies.length <= 3 * iacs, `${replies.length} reply bytes for ${iacs} IACs`);
      assertReplyShape(replies);
      const reference = referenceDecode(input);
      assertSameBytes(data, reference.data, "data vs reference decoder");
      assertSameBytes(replies, referenceReplies(reference.negotiations), "replies");
      const split = feed(input, cutsFor(rawCuts, input.length));
      assertSameBytes(split.data, data, "split data");
      assertSameBytes(split.replies, replies, "split replies");
    }),
    { numRuns: 60 },
  );
});
