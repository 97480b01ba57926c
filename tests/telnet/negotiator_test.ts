import assert from "node:assert/strict";
import { encodeLine, TELNET, TelnetNegotiator } from "../../src/telnet/negotiator.ts";

const { IAC, DO, DONT, WILL, WONT, SB, SE, ECHO, SGA, TTYPE, NAWS, LINEMODE } = TELNET;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (...values: (number | string)[]) =>
  new Uint8Array(
    values.flatMap((v) => typeof v === "string" ? [...new TextEncoder().encode(v)] : [v]),
  );

/** Feeds `input` split at the given offsets and concatenates the outputs. */
function feed(input: Uint8Array, splits: number[] = []) {
  const negotiator = new TelnetNegotiator();
  const data: number[] = [];
  const replies: number[] = [];
  let start = 0;
  for (const end of [...splits, input.length]) {
    const out = negotiator.push(input.subarray(start, end));
    data.push(...out.data);
    replies.push(...out.replies);
    start = end;
  }
  return { data: new Uint8Array(data), replies: new Uint8Array(replies), negotiator };
}

const IOS_GREETING = bytes(
  IAC,
  WILL,
  ECHO,
  IAC,
  WILL,
  SGA,
  IAC,
  DO,
  TTYPE,
  IAC,
  DO,
  NAWS,
  "\r\nUsername: ",
);
const IOS_REPLIES = bytes(IAC, DO, ECHO, IAC, DO, SGA, IAC, WONT, TTYPE, IAC, WONT, NAWS);
const FRR_GREETING = bytes(
  "\r\nHello, this is FRRouting (version 8.4.4).\r\n",
  IAC,
  WILL,
  ECHO,
  IAC,
  WILL,
  SGA,
  IAC,
  DONT,
  LINEMODE,
  IAC,
  DO,
  NAWS,
  "route-views> ",
);
const FRR_REPLIES = bytes(IAC, DO, ECHO, IAC, DO, SGA, IAC, WONT, NAWS);

Deno.test("negotiator answers the Cisco IOS greeting", () => {
  const { data, replies, negotiator } = feed(IOS_GREETING);
  assert.equal(text(data), "\r\nUsername: ");
  assert.deepEqual(replies, IOS_REPLIES);
  assert.equal(negotiator.serverEchoes, true);
});

Deno.test("negotiator answers the FRR greeting and ignores DONT LINEMODE", () => {
  const { data, replies } = feed(FRR_GREETING);
  assert.equal(text(data), "\r\nHello, this is FRRouting (version 8.4.4).\r\nroute-views> ");
  assert.deepEqual(replies, FRR_REPLIES);
});

Deno.test("negotiator gives the same result for every single split point", () => {
  for (
    const [input, wantData, wantReplies] of [
      [IOS_GREETING, "\r\nUsername: ", IOS_REPLIES],
      [FRR_GREETING, "\r\nHello, this is FRRouting (version 8.4.4).\r\nroute-views> ", FRR_REPLIES],
    ] as const
  ) {
    for (let split = 0; split <= input.length; split++) {
      const { data, replies } = feed(input, [split]);
      assert.equal(text(data), wantData, `split at ${split}`);
      assert.deepEqual(replies, wantReplies, `split at ${split}`);
    }
  }
});

Deno.test("negotiator gives the same result when every byte arrives alone", () => {
  const input = bytes(...FRR_GREETING, IAC, SB, TTYPE, 1, IAC, SE, "x", IAC, IAC, "y");
  const splits = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
  const whole = feed(input);
  const bytewise = feed(input, splits);
  assert.deepEqual(bytewise.data, whole.data);
  assert.deepEqual(bytewise.replies, whole.replies);
  assert.deepEqual([...whole.data.slice(-3)], [0x78, 0xff, 0x79]);
});

Deno.test("negotiator un-doubles IAC IAC into one 0xFF data byte", () => {
  const { data, replies } = feed(bytes("a", IAC, IAC, "b", IAC, IAC, IAC, IAC));
  assert.deepEqual([...data], [0x61, 0xff, 0x62, 0xff, 0xff]);
  assert.equal(replies.length, 0);
});

Deno.test("negotiator skips subnegotiation, including doubled IAC and lone SE inside", () => {
  const input = bytes("A", IAC, SB, TTYPE, 1, IAC, IAC, SE, 7, IAC, SE, "B");
  assert.equal(text(feed(input).data), "AB");
  for (let split = 0; split <= input.length; split++) {
    assert.equal(text(feed(input, [split]).data), "AB", `split at ${split}`);
  }
});

Deno.test("negotiator answers what changes state, never what does not (RFC 1143: no loops)", () => {
  const input = bytes(
    IAC,
    WILL,
    ECHO,
    IAC,
    WILL,
    ECHO, // agreed once; the repeat changes nothing
    IAC,
    DO,
    NAWS,
    IAC,
    DO,
    NAWS, // each request is refused
    IAC,
    WILL,
    39,
    IAC,
    WILL,
    39, // each offer is refused
    IAC,
    DONT,
    NAWS,
    IAC,
    WONT,
    39, // already off: nothing to acknowledge
  );
  const { replies } = feed(input);
  assert.deepEqual(
    replies,
    bytes(IAC, DO, ECHO, IAC, WONT, NAWS, IAC, WONT, NAWS, IAC, DONT, 39, IAC, DONT, 39),
  );
});

Deno.test("negotiator refuses one option at most 16 times, however often it is asked", () => {
  const flood = bytes(...Array.from({ length: 1000 }, () => [IAC, DO, 6]).flat());
  assert.equal(feed(flood).replies.length, 16 * 3);
});

Deno.test("negotiator drops an unterminated subnegotiation after 1 KiB and reads on", () => {
  const input = bytes(IAC, SB, TTYPE, ...Array(1100).fill(65), "tail");
  const text = new TextDecoder().decode(feed(input).data);
  assert.ok(text.endsWith("tail"));
  assert.ok(text.length < 100);
});

Deno.test("negotiator acknowledges WONT for an option it had agreed to, once", () => {
  const { replies, negotiator } = feed(bytes(IAC, WILL, ECHO, IAC, WONT, ECHO, IAC, WONT, ECHO));
  assert.deepEqual(replies, bytes(IAC, DO, ECHO, IAC, DONT, ECHO));
  assert.equal(negotiator.serverEchoes, false);
});

Deno.test("negotiator passes two-byte commands (NOP, GA, DM) silently", () => {
  const { data, replies } = feed(bytes("x", IAC, 241, IAC, 249, IAC, 242, "y"));
  assert.equal(text(data), "xy");
  assert.equal(replies.length, 0);
});

Deno.test("negotiator output is bounded by its input for a flood of garbage", () => {
  const negotiator = new TelnetNegotiator();
  const random = new Uint8Array(64 * 1024);
  crypto.getRandomValues(random);
  let replies = 0;
  let data = 0;
  for (let i = 0; i < 16; i++) {
    const out = negotiator.push(random);
    replies += out.replies.length;
    data += out.data.length;
  }
  // Each option is refused at most once per verb; ECHO/SGA toggles are bounded by the input.
  assert.ok(replies <= 3 * 256 * 2 + random.length * 16 / 3);
  assert.ok(data <= random.length * 16);
});

Deno.test("encodeLine appends CR LF and refuses control characters", () => {
  assert.deepEqual(encodeLine("show ip bgp 8.8.8.8"), bytes("show ip bgp 8.8.8.8\r\n"));
  assert.throws(() => encodeLine("show\nversion"), RangeError);
  assert.throws(() => encodeLine("show\u00ff"), RangeError);
});
