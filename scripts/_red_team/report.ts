/**
 * The red team's report: per category `tried | held`, the failing cases with
 * why, and the JSON form.
 *
 * @module
 */

import { type CaseOutcome, CATEGORIES, type Category } from "./case.ts";

/** One category's figures. */
export interface CategoryFigures {
  category: Category;
  /** Cases run (skipped ones not counted). */
  tried: number;
  /** Cases whose every invariant held. */
  held: number;
  /** Cases not run here, with their reasons. */
  skipped: number;
}

/** The whole run. */
export interface Report {
  /** The seed (set RED_TEAM_SEED or --seed to replay). */
  seed: number;
  /** ISO time the run started. */
  startedAt: string;
  /** Wall time of the run. */
  ms: number;
  /** Whether the real FRR rig ran, or why not. */
  rig: string;
  /** Per category. */
  figures: CategoryFigures[];
  /** Every case. */
  outcomes: CaseOutcome[];
}

/** Per-category figures of a list of outcomes, in report order. */
export function figuresOf(
  outcomes: readonly CaseOutcome[],
  only?: readonly Category[],
): CategoryFigures[] {
  return CATEGORIES.filter((c) => !only || only.includes(c)).map((category) => {
    const mine = outcomes.filter((o) => o.category === category);
    return {
      category,
      tried: mine.filter((o) => o.status !== "skipped").length,
      held: mine.filter((o) => o.status === "held").length,
      skipped: mine.filter((o) => o.status === "skipped").length,
    };
  });
}

/** The table, the failing cases with why, and the skipped ones, as text. */
export function renderReport(report: Report): string {
  const rows = report.figures.map((
    f,
  ) => [f.category, String(f.tried), String(f.held), f.skipped ? String(f.skipped) : ""]);
  const total = report.figures.reduce(
    (t, f) => ({ tried: t.tried + f.tried, held: t.held + f.held, skipped: t.skipped + f.skipped }),
    { tried: 0, held: 0, skipped: 0 },
  );
  rows.push([
    "total",
    String(total.tried),
    String(total.held),
    total.skipped ? String(total.skipped) : "",
  ]);
  const header = ["category", "tried", "held", "skipped"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")
      .trimEnd();
  const out = [
    `red team: seed ${report.seed}, ${(report.ms / 1000).toFixed(1)} s, FRR rig: ${report.rig}`,
    "",
    line(header),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...rows.slice(0, -1).map(line),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    line(rows.at(-1)!),
  ];
  const failed = report.outcomes.filter((o) => o.status === "failed");
  if (failed.length > 0) {
    out.push("", `not held (${failed.length}):`);
    for (const o of failed) {
      out.push(`  ${o.id}`);
      for (const why of o.why.slice(0, 4)) out.push(`      ${why}`);
      if (o.why.length > 4) out.push(`      … and ${o.why.length - 4} more`);
    }
  }
  const skipped = report.outcomes.filter((o) => o.status === "skipped");
  if (skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const o of skipped) reasons.set(o.why[0], (reasons.get(o.why[0]) ?? 0) + 1);
    out.push("", `skipped (${skipped.length}):`);
    for (const [why, n] of reasons) out.push(`  ${n} × ${why}`);
  }
  return out.join("\n");
}
