/**
 * `bogon-asn-in-path`: a special-purpose AS number (AS 0, AS_TRANS 23456,
 * documentation, private-use, reserved) anywhere in a path, AS_SETs
 * included. None of them belongs in the Internet's table: private ASNs
 * should have been removed by the network that used them, and many networks
 * drop paths that carry one. AS 0 must be treated as malformed (RFC 7607).
 *
 * @module
 */

import type { BgpPath } from "../bgp/types.ts";
import {
  answers,
  cleanText,
  count,
  evidencePath,
  firstMatching,
  inAskedOrder,
  listed,
  unique,
} from "./_answers.ts";
import type { Finding, FindingsInput, SpecialAsn } from "./types.ts";

/** The ASNs of a path: its sequence and the members of its AS_SETs. */
export function pathAsns(path: BgpPath): number[] {
  const members: number[] = [];
  for (const [, set] of path.asPathText.matchAll(/\{([^}]*)\}/g)) {
    for (const [word] of set.matchAll(/\d+(?:\.\d+)?/g)) {
      const [high, low] = word.split(".").map(Number);
      const asn = low === undefined ? high : high * 65536 + low;
      if (Number.isSafeInteger(asn) && asn <= 0xffff_ffff) members.push(asn);
    }
  }
  return unique([...path.asPath, ...members]);
}

/** One finding per special ASN seen, with the servers and one path per server. */
export function bogonAsnFindings(input: FindingsInput): Finding[] {
  const found = new Map<number, { special: SpecialAsn; servers: string[]; origin: boolean }>();
  const list = answers(input);
  for (const answer of list) {
    for (const { path } of answer.paths) {
      for (const asn of pathAsns(path)) {
        const special = input.specialAsn(asn);
        if (!special) continue;
        const entry = found.get(asn) ?? { special, servers: [], origin: false };
        found.set(asn, entry);
        if (!entry.servers.includes(answer.server)) entry.servers.push(answer.server);
        if (path.originAs === asn) entry.origin = true;
      }
    }
  }
  const findings: Finding[] = [];
  for (const [asn, { special, servers, origin }] of found) {
    const paths = list.flatMap((answer) => {
      const entry = firstMatching(answer, (e) => pathAsns(e.path).includes(asn));
      return entry ? [evidencePath(answer.server, entry)] : [];
    });
    const what = [special.name, special.kind].filter(Boolean).map((t) => cleanText(t!)).join(
      ", ",
    );
    const why = asn === 0
      ? "AS 0 must never appear in a path: a router treats such an update as withdrawn (RFC 7607)"
      : "a special-purpose ASN does not belong in the Internet's table: the network that used it " +
        "should have removed it, and networks that filter bogon ASNs drop these paths";
    findings.push({
      kind: "bogon-asn-in-path",
      severity: asn === 0 ? "critical" : "warning",
      summary: `AS${asn} (${what}, ${cleanText(special.rfc)}) is in ${
        origin ? "the path, as its origin," : "the path"
      } at ${count(servers.length, "server")} (${listed(servers)}): ${why}.`,
      evidence: {
        servers: inAskedOrder(input, servers),
        prefixes: unique(paths.map((p) => p.prefix).filter((p): p is string => p !== null)),
        paths,
        asns: [asn],
      },
    });
  }
  return findings;
}
