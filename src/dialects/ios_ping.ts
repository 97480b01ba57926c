/**
 * Cisco IOS / IOS-XE user EXEC `ping` and `traceroute`: pure command builders
 * and parsers for their text output. Nothing here talks to a server.
 *
 * The command builders only ever splice a validated address and integers into
 * fixed templates; anything else is refused with a `RangeError` even though the
 * caller has already validated the address (defence in depth).
 *
 * The parsers tolerate unrelated lines (the echoed command, the prompt, banners
 * such as `Type escape sequence to abort.`) and throw {@linkcode ParseError}
 * (dialect `cisco-ios`) when the answer holds no result, quoting the router's
 * own `% …` message when there is one. They work line by line with linear
 * regular expressions, so arbitrarily large garbage input finishes quickly.
 *
 * @module
 */

import { parseIpv4, parseIpv6 } from "../validation/_ip.ts";
import { ParseError, type ParseErrorOptions } from "../errors.ts";
import { freeText, lineAt, quoted, typedAddress } from "./_typed.ts";
import type { PingResult, TraceHop, TracerouteResult } from "../bgp/types.ts";

/** The dialect named in every {@linkcode ParseError} thrown here. */
const DIALECT = "cisco-ios";

/** Options for {@linkcode iosPingCommand}. */
export interface IosPingOptions {
  /** Number of echo requests, 1 to 2147483647 (IOS `repeat`). */
  count: number;
  /** Seconds to wait for each reply, 0 to 3600 (IOS `timeout`). */
  timeoutSeconds: number;
}

/** Options for {@linkcode iosTracerouteCommand}. */
export interface IosTracerouteOptions {
  /** Highest TTL probed, 1 to 255 (the maximum of IOS `ttl 1 <max>`). */
  maxHops: number;
  /** Seconds to wait for each probe, 0 to 3600 (IOS `timeout`). */
  timeoutSeconds: number;
}

// ---- Command builders ---------------------------------------------------------------------

const ADDRESS_ALPHABET = /^[0-9A-Fa-f.:]+$/;

/**
 * The address checked again before it is spliced into a command: only digits,
 * hex, `.` and `:`, and a well-formed address of the stated family.
 */
function checkedAddress(address: string, family: "ipv4" | "ipv6"): string {
  if (typeof address !== "string" || address.length === 0 || address.length > 45) {
    throw new RangeError("Refused to build a command: the address is empty or too long");
  }
  if (!ADDRESS_ALPHABET.test(address)) {
    throw new RangeError(
      "Refused to build a command: the address may only hold digits, hex letters, '.' and ':'",
    );
  }
  if (family === "ipv4") {
    if (parseIpv4(address) === null) {
      throw new RangeError("Refused to build a command: not an IPv4 address");
    }
  } else if (family === "ipv6") {
    if (!address.includes(":") || parseIpv6(address) === null) {
      throw new RangeError("Refused to build a command: not an IPv6 address");
    }
  } else {
    throw new RangeError("Refused to build a command: the family must be ipv4 or ipv6");
  }
  return address;
}

/** `value` if it is an integer within `min`–`max`, otherwise a `RangeError` naming `what`. */
function checkedInteger(value: number, min: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`Refused to build a command: ${what} must be an integer ${min}–${max}`);
  }
  return value;
}

/**
 * The IOS user EXEC ping command: `ping 8.8.8.8 repeat 5 timeout 2` or
 * `ping ipv6 2001:4860::8888 repeat 5 timeout 2`.
 *
 * @param address a canonical address of `family` (digits, hex, `.`, `:` only)
 * @param family the address family
 * @param options echo count (1–2147483647) and per-reply timeout in seconds (0–3600)
 * @throws {RangeError} when the address has other characters or is not of `family`, or an
 *   option is not an integer in range
 */
export function iosPingCommand(
  address: string,
  family: "ipv4" | "ipv6",
  options: IosPingOptions,
): string {
  const checked = checkedAddress(address, family);
  const count = checkedInteger(options.count, 1, 2147483647, "the count");
  const timeout = checkedInteger(options.timeoutSeconds, 0, 3600, "the timeout");
  const head = family === "ipv4" ? "ping" : "ping ipv6";
  return `${head} ${checked} repeat ${count} timeout ${timeout}`;
}

/**
 * The IOS traceroute command with options: `traceroute 8.8.8.8 timeout 2 ttl 1 15` or
 * `traceroute ipv6 2001:4860::8888 timeout 2 ttl 1 15`.
 *
 * Not every IOS release accepts these keywords in user EXEC mode. The caller
 * sends this form first and, when the router rejects it (`% Invalid input …`),
 * falls back to {@linkcode iosTracerouteCommandPlain}.
 *
 * @param address a canonical address of `family` (digits, hex, `.`, `:` only)
 * @param family the address family
 * @param options highest TTL (1–255) and per-probe timeout in seconds (0–3600)
 * @throws {RangeError} when the address has other characters or is not of `family`, or an
 *   option is not an integer in range
 */
export function iosTracerouteCommand(
  address: string,
  family: "ipv4" | "ipv6",
  options: IosTracerouteOptions,
): string {
  const checked = checkedAddress(address, family);
  const maxHops = checkedInteger(options.maxHops, 1, 255, "the hop limit");
  const timeout = checkedInteger(options.timeoutSeconds, 0, 3600, "the timeout");
  const head = family === "ipv4" ? "traceroute" : "traceroute ipv6";
  return `${head} ${checked} timeout ${timeout} ttl 1 ${maxHops}`;
}

/**
 * The IOS traceroute command without options: `traceroute 8.8.8.8` or
 * `traceroute ipv6 2001:4860::8888`. The fallback for releases whose user
 * EXEC mode rejects the option form of {@linkcode iosTracerouteCommand}, which
 * the caller tries first; this one runs with the router's defaults (30 hops,
 * 3 s per probe), so allow for a longer wait.
 *
 * @param address a canonical address of `family` (digits, hex, `.`, `:` only)
 * @param family the address family
 * @throws {RangeError} when the address has other characters or is not of `family`
 */
export function iosTracerouteCommandPlain(address: string, family: "ipv4" | "ipv6"): string {
  const checked = checkedAddress(address, family);
  return family === "ipv4" ? `traceroute ${checked}` : `traceroute ipv6 ${checked}`;
}

// ---- Shared parsing helpers ---------------------------------------------------------------

/** Splits router output into lines, whatever the line ends. */
function lines(text: string): string[] {
  if (typeof text !== "string") throw new ParseError(DIALECT, "The answer is not text");
  return text.split(/\r\n|\r|\n/);
}

/** The first `% …` line (the router's own error message), stripped of controls and shortened. */
function routerError(all: string[]): string | undefined {
  for (const line of all) {
    const trimmed = line.trim();
    if (trimmed.length > 1 && trimmed.startsWith("%")) return freeText(trimmed, 160);
  }
  return undefined;
}

/** The error for an answer that holds no result. */
function noResult(all: string[], what: string): ParseError {
  const refusal = routerError(all);
  if (refusal !== undefined) {
    return new ParseError(DIALECT, `The router answered the ${what} with "${refusal}"`);
  }
  return new ParseError(DIALECT, `No ${what} result found in the router's answer`);
}

// ---- ping ---------------------------------------------------------------------------------

const SUCCESS_RATE =
  /^\s*([!.UQM?&ABCDHINPRSTX@]*)\s*Success rate is (\d{1,3}) percent \((\d{1,10})\/(\d{1,10})\)(?:, round-trip min\/avg\/max = (\d{1,9}(?:\.\d{1,6})?)\/(\d{1,9}(?:\.\d{1,6})?)\/(\d{1,9}(?:\.\d{1,6})?) ms)?/;

/**
 * A line holding only reply characters: `!` reply, `.` timeout, `U` unreachable,
 * `Q` source quench, `M` could not fragment, `?` unknown, `&` lifetime exceeded,
 * and the IPv6 codes (`A`, `B`, `H`, `N`, `P`, `R`, `S`, `X`, `@`, …).
 */
const REPLY_LINE = /^\s*([!.UQM?&ABCDHINPRSTX@]+)\s*$/;

/**
 * Parses the output of an IOS `ping`: the reply characters (wrapped lines
 * joined) and the `Success rate is … (r/s), round-trip min/avg/max = a/b/c ms`
 * summary.
 *
 * @param text the router's answer, possibly with the echoed command and prompt
 * @param target the address that was pinged, copied into the result
 * @throws {ParseError} when there is no summary line (quoting the router's `% …`
 *   message if it sent one) or its numbers are inconsistent
 */
export function parseIosPing(text: string, target: string): PingResult {
  const all = lines(text);
  let summaryAt = -1;
  let summary: RegExpExecArray | null = null;
  for (let i = 0; i < all.length; i++) {
    // A cheap test first keeps huge garbage lines away from the full expression.
    if (!all[i].includes("Success rate is")) continue;
    summary = SUCCESS_RATE.exec(all[i]);
    if (summary) {
      summaryAt = i;
      break;
    }
  }
  if (summary === null) throw noResult(all, "ping");

  const received = Number(summary[3]);
  const sent = Number(summary[4]);
  if (sent === 0 || received > sent) {
    throw new ParseError(
      DIALECT,
      `The ping summary counts ${received} replies to ${sent} requests, which is impossible`,
      lineAt(all, summaryAt),
    );
  }

  // The reply characters are the run of reply-only lines just above the summary
  // (IOS wraps them at 70 per line), plus any that share the summary's line.
  const parts: string[] = [summary[1]];
  for (let i = summaryAt - 1; i >= 0; i--) {
    const match = REPLY_LINE.exec(all[i]);
    if (!match) break;
    parts.push(match[1]);
  }
  const replies = parts.reverse().join("");

  const result: PingResult = {
    target,
    sent,
    received,
    lossPercent: Math.round(((sent - received) / sent) * 1000) / 10,
    replies,
  };
  if (summary[5] !== undefined) {
    result.rttMs = { min: Number(summary[5]), avg: Number(summary[6]), max: Number(summary[7]) };
  }
  return result;
}

// ---- traceroute ---------------------------------------------------------------------------

type Probe = TraceHop["probes"][number];

const TRACE_HEADER = /^\s*Tracing the route to\s/;
const HOP_LINE = /^\s*(\d{1,3})\s+(\S.*)$/;
const AS_TAG = /\[AS (\d{1,10})\]/g;
/** Any other bracketed tag (`[MPLS: Label 16 Exp 0]`, `[MPLS: Labels 16/24 Exp 0]`, …). */
const OTHER_TAG = /\[[^[\]]*\]/g;
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/;
const PAREN_ADDRESS = /^\(([0-9A-Fa-f.:]{2,45})\)$/;
const RTT = /^\d{1,9}(?:\.\d{1,6})?$/;
const RTT_UNIT = /^(?:msec|ms)$/;
/** Probe error codes: `!H`, `!N`, `!P`, `!A`, `!U`, `!Q`, …, `?`, and the bare letters. */
const ANNOTATION = /^(?:![A-Z]|\?|[AHNPQU])$/;

/** Whether `token` is an IPv4 or IPv6 address. */
function isAddress(token: string): boolean {
  if (token.length > 45) return false;
  return parseIpv4(token) !== null || (token.includes(":") && parseIpv6(token) !== null);
}

/** Whether two address texts name the same address (case and IPv6 spelling ignored). */
function sameAddress(a: string, b: string): boolean {
  const a4 = parseIpv4(a);
  if (a4 !== null) return a4 === parseIpv4(b);
  const a6 = a.includes(":") ? parseIpv6(a) : null;
  if (a6 !== null) return b.includes(":") && a6 === parseIpv6(b);
  return a.toLowerCase() === b.toLowerCase();
}

/** A responder at `tokens[i]`: `addr`, or `name (addr)`; with how many tokens it used. */
function readResponder(
  tokens: string[],
  i: number,
): { address: string; name?: string; used: number } | null {
  const token = tokens[i];
  if (token === undefined) return null;
  if (isAddress(token)) return { address: typedAddress(token)!, used: 1 };
  const next = tokens[i + 1];
  if (next === undefined || !HOST_NAME.test(token)) return null;
  const paren = PAREN_ADDRESS.exec(next);
  if (paren === null || !isAddress(paren[1])) return null;
  return { address: typedAddress(paren[1])!, name: token, used: 2 };
}

/** The tokens of a hop or continuation line, with `[AS n]` taken out and other tags dropped. */
function lineTokens(body: string): { tokens: string[]; asn?: number } {
  let asn: number | undefined;
  const withoutAs = body.replace(AS_TAG, (_, digits: string) => {
    const value = Number(digits);
    if (asn === undefined && value <= 4294967295) asn = value;
    return " ";
  });
  const tokens = withoutAs.replace(OTHER_TAG, " ").split(/\s+/).filter((t) => t !== "");
  return asn === undefined ? { tokens } : { tokens, asn };
}

/**
 * Reads the probes of one line into `hop`. Each address (or `name (address)`)
 * on the line becomes the responder of the probes after it; a line starts
 * with none, so a continuation line names its own at the start.
 *
 * @throws {ParseError} on a token that is neither a responder nor a probe
 */
function readProbes(
  tokens: string[],
  hop: TraceHop,
  { line, where }: { line: string; where: ParseErrorOptions },
): void {
  let responder: { address: string; name?: string } | undefined;
  let last: Probe | undefined; // the previous probe, while an annotation may still attach to it
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === "*") {
      hop.probes.push({ timeout: true });
      last = undefined;
      i++;
      continue;
    }
    if (RTT.test(token) && tokens[i + 1] !== undefined && RTT_UNIT.test(tokens[i + 1])) {
      const probe: Probe = { timeout: false, rttMs: Number(token) };
      if (responder) {
        probe.address = responder.address;
        if (responder.name !== undefined) probe.name = responder.name;
      }
      hop.probes.push(probe);
      last = probe;
      i += 2;
      continue;
    }
    const found = readResponder(tokens, i);
    if (found !== null) {
      responder = found.name === undefined
        ? { address: found.address }
        : { address: found.address, name: found.name };
      last = undefined;
      i += found.used;
      continue;
    }
    if (ANNOTATION.test(token)) {
      if (last !== undefined && last.annotation === undefined) {
        last.annotation = token;
      } else {
        // A code printed in place of a time (`!A * !A`): a probe of its own.
        const probe: Probe = { timeout: false, annotation: token };
        if (responder) {
          probe.address = responder.address;
          if (responder.name !== undefined) probe.name = responder.name;
        }
        hop.probes.push(probe);
        last = undefined;
      }
      i++;
      continue;
    }
    throw new ParseError(
      DIALECT,
      `Cannot read traceroute hop ${hop.hop}: unexpected ${quoted(token, 160)} in ${
        quoted(line.trim(), 160)
      }`,
      where,
    );
  }
}

/**
 * Parses the output of an IOS `traceroute`. Hops start after the
 * `Tracing the route to …` header; a hop line starts with its number, and a
 * more deeply indented line that starts with an address adds the probes that
 * a different router answered for the same hop. `[AS n]` gives the hop's
 * `asn`; `[MPLS: …]` tags and lines are ignored, as are unrelated lines such
 * as `VRF info:` and the prompt.
 *
 * @param text the router's answer, possibly with the echoed command and prompt
 * @param target the address that was traced; `reached` compares the last hop with it
 * @throws {ParseError} when there is no header or no hop (quoting the router's `% …`
 *   message if it sent one), a hop line holds an unknown token, or hop numbers go backwards
 */
export function parseIosTraceroute(text: string, target: string): TracerouteResult {
  const all = lines(text);
  const start = all.findIndex((line) => TRACE_HEADER.test(line));
  if (start < 0) throw noResult(all, "traceroute");

  const hops: TraceHop[] = [];
  for (let i = start + 1; i < all.length; i++) {
    const line = all[i];
    const hopMatch = HOP_LINE.exec(line);
    if (hopMatch) {
      const number = Number(hopMatch[1]);
      const previous = hops.at(-1);
      if (previous !== undefined && number <= previous.hop) {
        throw new ParseError(
          DIALECT,
          `Traceroute hop ${number} follows hop ${previous.hop}; the answer is out of order`,
          lineAt(all, i),
        );
      }
      const { tokens, asn } = lineTokens(hopMatch[2]);
      const hop: TraceHop = { hop: number, probes: [] };
      if (asn !== undefined) hop.asn = asn;
      readProbes(tokens, hop, { line, where: lineAt(all, i) });
      hops.push(hop);
      continue;
    }
    // A continuation line: indented, no hop number, starting with an address.
    const current = hops.at(-1);
    if (current === undefined || !/^\s/.test(line)) continue;
    const { tokens, asn } = lineTokens(line);
    if (readResponder(tokens, 0) === null) continue; // `VRF info:`, MPLS-only lines, …
    if (current.asn === undefined && asn !== undefined) current.asn = asn;
    readProbes(tokens, current, { line, where: lineAt(all, i) });
  }

  if (hops.length === 0) throw noResult(all, "traceroute");
  const lastHop = hops[hops.length - 1];
  const reached = lastHop.probes.some((p) =>
    p.address !== undefined && sameAddress(p.address, target)
  );
  return { target, hops, reached };
}
