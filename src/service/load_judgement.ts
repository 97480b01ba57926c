/**
 * The findings and the AS graph (`judgement.ts`, the rules of `findings/` and
 * the graph of `picture/`: two dozen modules) are loaded on the first answer
 * that needs them, not at start-up, so `initialize` and `tools/list` do not
 * pay for them. Asked for once a query's input is valid, the load overlaps
 * the route server's round trip. A literal dynamic `import()`, so the
 * compiled binary and the JSR package carry the modules.
 *
 * @module
 */

let loading: Promise<typeof import("./judgement.ts")> | undefined;

/** The judgement module, loaded once and shared (one `import()` per process, not per query). */
export function loadJudgement(): Promise<typeof import("./judgement.ts")> {
  loading ??= import("./judgement.ts");
  return loading;
}
