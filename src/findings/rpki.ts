/**
 * RPKI route origin validation of each server's best path: `rpki-invalid`
 * (critical: networks that drop invalids will not carry it), `rpki-valid`,
 * `rpki-not-found` (no ROA covers it) and `rpki-not-validated` — a server
 * that prints no RPKI state has not validated the path, which says nothing
 * either way and is never read as valid.
 *
 * @module
 */

import { answers, asLabel, count, evidencePath, listed, unique } from "./_answers.ts";
import type { EvidencePath, Finding, FindingsInput } from "./types.ts";

/** What each server's best path is, as far as RPKI goes. */
type State = "invalid" | "valid" | "not-found" | "not-validated";

/** Up to four findings: one per RPKI state that some server's best path has. */
export function rpkiFindings(input: FindingsInput): Finding[] {
  const groups = new Map<State, EvidencePath[]>();
  for (const answer of answers(input)) {
    if (!answer.best) continue;
    const state: State = answer.best.path.rpki ?? "not-validated";
    const list = groups.get(state) ?? [];
    groups.set(state, list);
    list.push(evidencePath(answer.server, answer.best));
  }
  const findings: Finding[] = [];
  const servers = (paths: EvidencePath[]) => paths.map((p) => p.server);
  const evidence = (paths: EvidencePath[]) => ({
    servers: servers(paths),
    prefixes: unique(paths.map((p) => p.prefix).filter((p): p is string => p !== null)),
    paths,
    asns: unique(paths.map((p) => p.originAs).filter((a): a is number => a !== null)),
  });
  const at = (paths: EvidencePath[]) =>
    `at ${count(paths.length, "server")} (${listed(servers(paths))})`;
  const origins = (paths: EvidencePath[]) =>
    evidence(paths).asns.map((asn) => asLabel(asn, input.asName)).join(", ") || "no origin";

  const invalid = groups.get("invalid");
  if (invalid) {
    const valid = groups.get("valid")?.length ?? 0;
    findings.push({
      kind: "rpki-invalid",
      severity: "critical",
      summary: `The best path is RPKI invalid ${at(invalid)}, origin ${origins(invalid)}` +
        `${
          valid > 0
            ? `, while ${count(valid, "server")} ${valid === 1 ? "reports" : "report"} it valid`
            : ""
        }: networks ` +
        `that drop invalid routes will not carry it. Check the ROAs for the prefix: the ` +
        `origin AS and the maximum length.`,
      evidence: evidence(invalid),
    });
  }
  const valid = groups.get("valid");
  if (valid) {
    findings.push({
      kind: "rpki-valid",
      severity: "info",
      summary: `The best path is RPKI valid ${at(valid)}, origin ${origins(valid)}.`,
      evidence: evidence(valid),
    });
  }
  const notFound = groups.get("not-found");
  if (notFound) {
    findings.push({
      kind: "rpki-not-found",
      severity: "info",
      summary: `No ROA covers the best path ${at(notFound)} (RPKI not-found), origin ` +
        `${origins(notFound)}: a ROA would let networks that validate reject a hijack.`,
      evidence: evidence(notFound),
    });
  }
  const unvalidated = groups.get("not-validated");
  if (unvalidated) {
    findings.push({
      kind: "rpki-not-validated",
      severity: "info",
      summary: `${listed(servers(unvalidated))} ${unvalidated.length === 1 ? "prints" : "print"} ` +
        `no RPKI state: the best path is not validated there, which says nothing about ` +
        `whether it is valid.`,
      evidence: evidence(unvalidated),
    });
  }
  return findings;
}
