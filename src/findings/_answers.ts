/**
 * Reading the per-server answers for the rules: valid paths with their
 * prefix, best paths, origins per prefix, prepends collapsed, prefix
 * containment, and bounded, clean names for summaries. Internal.
 *
 * @module
 */

import {
  type Block,
  block,
  blockContains,
  type Family,
  FAMILY_BITS,
  parseIpv4,
  parseIpv6,
} from "../validation/_ip.ts";
import { bestPath } from "../bgp/consensus.ts";
import type { BgpPath, ParsedRoute } from "../bgp/types.ts";
import type { AsNameLookup, EvidencePath, FindingsInput } from "./types.ts";

/** A path as an orlonger answer has it: with its own prefix. */
type PrefixedPath = BgpPath & { prefix?: string };

/** One server that answered with a route. */
export interface Answer {
  /** Server name. */
  server: string;
  /** Its parsed answer (found). */
  route: ParsedRoute;
  /** The paths the server marks valid, each with its prefix. */
  paths: { path: BgpPath; prefix: string | null }[];
  /** Its best path (the first when none is marked), with its prefix. */
  best: { path: BgpPath; prefix: string | null } | undefined;
}

/** The servers that have a route, in the order asked. */
export function answers(input: FindingsInput): Answer[] {
  const out: Answer[] = [];
  for (const { server, route } of input.outcomes) {
    if (route === null || !route.found) continue;
    const prefixOf = (path: PrefixedPath) => path.prefix ?? route.prefix;
    const paths = route.paths.filter((p) => p.valid).map((path) => ({
      path,
      prefix: prefixOf(path),
    }));
    const chosen = bestPath(route);
    const best = chosen ? { path: chosen, prefix: prefixOf(chosen) } : undefined;
    out.push({ server, route, paths, best });
  }
  return out;
}

/** A path as evidence. */
export function evidencePath(
  server: string,
  entry: { path: BgpPath; prefix: string | null },
): EvidencePath {
  const { path, prefix } = entry;
  return {
    server,
    prefix,
    asPath: [...path.asPath],
    originAs: path.originAs,
    best: path.best,
    ...(path.rpki ? { rpki: path.rpki } : {}),
  };
}

/** The first of a server's paths that passes `test`, its best path first. */
export function firstMatching(
  answer: Answer,
  test: (entry: { path: BgpPath; prefix: string | null }) => boolean,
): { path: BgpPath; prefix: string | null } | undefined {
  if (answer.best && answer.best.path.valid && test(answer.best)) return answer.best;
  return answer.paths.find(test);
}

/** Servers and one path per server for each origin AS. */
export interface OriginSeen {
  /** Servers with a valid path from this origin, in the order asked. */
  servers: string[];
  /** One such path per server (the best path when it is one). */
  paths: EvidencePath[];
}

/** Origin ASes of the valid paths, per prefix, in the order first seen. */
export function originsByPrefix(list: Answer[]): Map<string, Map<number, OriginSeen>> {
  const byPrefix = new Map<string, Map<number, OriginSeen>>();
  for (const answer of list) {
    const ordered = answer.best ? [answer.best, ...answer.paths] : answer.paths;
    for (const entry of ordered) {
      const { path, prefix } = entry;
      if (prefix === null || path.originAs === null || !path.valid) continue;
      const origins = byPrefix.get(prefix) ?? new Map<number, OriginSeen>();
      byPrefix.set(prefix, origins);
      const seen = origins.get(path.originAs) ?? { servers: [], paths: [] };
      origins.set(path.originAs, seen);
      if (seen.servers.includes(answer.server)) continue;
      seen.servers.push(answer.server);
      seen.paths.push(evidencePath(answer.server, entry));
    }
  }
  return byPrefix;
}

/** The AS path with consecutive repeats (prepends) collapsed. */
export function collapsed(asPath: readonly number[]): number[] {
  return asPath.filter((asn, i) => i === 0 || asn !== asPath[i - 1]);
}

/** A prefix (or an address, as a host block) parsed; `null` when it is not one. */
export function parsePrefix(text: string | null): Block | null {
  if (text === null) return null;
  const withLength = text.includes("/") ? text : `${text}/${text.includes(":") ? 128 : 32}`;
  try {
    return block(withLength);
  } catch {
    return null;
  }
}

/** The addresses a prefix (`a/len`) or a range (`first-last`) spans; `null` when it is neither. */
export function addressSpan(
  text: string,
): { family: Family; first: bigint; last: bigint } | null {
  const dash = text.indexOf("-");
  if (dash < 0) {
    const parsed = parsePrefix(text.trim());
    if (parsed === null) return null;
    const size = 1n << BigInt(FAMILY_BITS[parsed.family] - parsed.length);
    return { family: parsed.family, first: parsed.network, last: parsed.network + size - 1n };
  }
  const [a, b] = [text.slice(0, dash).trim(), text.slice(dash + 1).trim()];
  const v4 = [parseIpv4(a), parseIpv4(b)];
  if (v4[0] !== null && v4[1] !== null) return { family: "ipv4", first: v4[0], last: v4[1] };
  const v6 = [parseIpv6(a), parseIpv6(b)];
  if (v6[0] !== null && v6[1] !== null) return { family: "ipv6", first: v6[0], last: v6[1] };
  return null;
}

/** Whether prefix `inner` is strictly more specific than, and inside, prefix `outer`. */
export function moreSpecific(inner: Block, outer: Block): boolean {
  return inner.length > outer.length && blockContains(outer, inner);
}

/** Distinct values in first-seen order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Servers in the order they were asked. */
export function inAskedOrder(input: FindingsInput, servers: Iterable<string>): string[] {
  const wanted = new Set(servers);
  return input.outcomes.map((o) => o.server).filter((s) => wanted.has(s));
}

/** Longest name shown in a summary. */
const MAX_NAME = 48;
/** Servers named in a summary before "and N more". */
const MAX_LISTED = 6;

/**
 * Text from outside (AS names, server names) fit for a summary: control and
 * format characters replaced by a space, whitespace collapsed, bounded.
 */
export function cleanText(text: string, max = MAX_NAME): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ").replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** `AS15169 (Google)`, or `AS15169` when the name is unknown. */
export function asLabel(asn: number, asName?: AsNameLookup): string {
  const name = asName?.(asn);
  const clean = name ? cleanText(name) : "";
  return clean ? `AS${asn} (${clean})` : `AS${asn}`;
}

/** `a, b and c`; past {@linkcode MAX_LISTED} names, `a, b, … and 4 more`. */
export function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map((n) => cleanText(n));
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** `1 server`, `3 servers`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
