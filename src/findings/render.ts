/**
 * The findings as a short plain-language block for the top of a tool's
 * text: one line per finding, most severe first.
 *
 * @module
 */

import type { Finding, Severity } from "./types.ts";

const TAG: Readonly<Record<Severity, string>> = {
  critical: "CRITICAL",
  warning: "WARNING ",
  info: "info    ",
};

/** `Findings (1 critical, 2 info):` and a line per finding; `Findings: none.` for none. */
export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Findings: none.";
  const counts = (["critical", "warning", "info"] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return [
    `Findings (${counts.join(", ")}):`,
    ...findings.map((f) => `  ${TAG[f.severity]} ${f.kind}: ${f.summary}`),
  ].join("\n");
}
