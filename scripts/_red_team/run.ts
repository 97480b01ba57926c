/**
 * Runs the red team: starts the real FRR rig once (when a selected suite can
 * use it and the machine has it), plans each suite, runs its cases with their
 * deadlines, tears it down, and collects the report. Everything started here
 * is stopped here; server processes left over are killed by pid.
 *
 * @module
 */

import { type Rig, rigAvailability, startFrrRig } from "../../tests/harness/mod.ts";
import { type CaseOutcome, type CaseSpec, type Category, describe, runCases } from "./case.ts";
import { killLeftovers } from "./process.ts";
import { Random } from "./random.ts";
import { figuresOf, type Report } from "./report.ts";
import { STARTED, type Suite, type SuitePlan } from "./suite.ts";
import { badInput } from "./suites/bad_input.ts";
import { budget } from "./suites/budget.ts";
import { faults } from "./suites/faults.ts";
import { hostileServer } from "./suites/hostile_server.ts";
import { load } from "./suites/load.ts";
import { sandbox, stdoutVerdict } from "./suites/sandbox.ts";
import { stateFiles } from "./suites/state_files.ts";

/** Every suite, in report order. */
export const SUITES: readonly Suite[] = [
  badInput,
  hostileServer,
  faults,
  stateFiles,
  budget,
  load,
  sandbox,
];

/** The rig and the suite directory of the run in progress, for {@linkcode stopNow}. */
let runningRig: Rig | null = null;
let runningDir: string | null = null;

/**
 * Stops what the run in progress started — its server processes (by their
 * handles) and the FRR rig — and removes its scratch directory, for a signal
 * handler that is about to exit.
 */
export async function stopNow(): Promise<void> {
  killLeftovers();
  await runningRig?.stop();
  runningRig = null;
  if (runningDir) await Deno.remove(runningDir, { recursive: true }).catch(() => {});
  runningDir = null;
}

/** How to run. */
export interface RunOptions {
  /** The seed for every generated case. */
  seed: number;
  /** Only these categories (default: all). */
  only?: readonly Category[];
  /** At most this many cases per category, spread evenly over its list (default: all). */
  perCategory?: number;
  /** Only cases whose id contains one of these (the suite's closing cases too). */
  cases?: readonly string[];
  /** Use the real FRR rig when this machine has it (default true). */
  rig?: boolean;
  /** Stop starting cases after this long (default 8 min); the run then ends. */
  deadlineMs?: number;
  /** Progress lines (stderr). */
  log?: (message: string) => void;
  /** Called with every case outcome as it is known. */
  onOutcome?: (outcome: CaseOutcome) => void;
}

/** Runs the selected suites and returns the report. */
export async function runRedTeam(options: RunOptions): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const suites = SUITES.filter((s) => !options.only || options.only.includes(s.category));
  const stop = new AbortController();
  const deadline = setTimeout(() => {
    log("time limit reached: remaining cases are skipped");
    stop.abort();
  }, options.deadlineMs ?? 8 * 60_000);
  const outcomes: CaseOutcome[] = [];
  // The test helpers' relay (tests/harness/relay.ts) attaches its writer's rejection handler only when
  // the reading side ends: a client that hangs up mid-write (a probe, a killed process) makes
  // that a rejection no one handles yet, which would end this whole run. Such socket errors are
  // the attacks working, not harness failures: count them and carry on.
  let socketErrors = 0;
  const onRejection = (event: PromiseRejectionEvent) => {
    const error = event.reason;
    if (
      error instanceof Deno.errors.BrokenPipe || error instanceof Deno.errors.ConnectionReset ||
      error instanceof Deno.errors.BadResource || error instanceof Deno.errors.NotConnected
    ) {
      event.preventDefault();
      socketErrors++;
    }
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  let rig: Rig | null = null;
  let noRig = "not wanted (--no-rig)";
  try {
    if (options.rig !== false) {
      const availability = await rigAvailability();
      if (availability.available) {
        log("starting the FRR rig (bgpd + two GoBGP speakers)");
        try {
          rig = await startFrrRig();
          runningRig = rig;
        } catch (error) {
          noRig = `did not start: ${describe(error)}`;
        }
      } else noRig = availability.reason;
    }
    const rigLabel = rig ? "real bgpd" : `none (${noRig})`;
    for (const suite of suites) {
      if (stop.signal.aborted) break;
      const dir = await Deno.makeTempDir({ prefix: `bgp-lg-redteam-${suite.category}-` });
      runningDir = dir;
      const ctx = {
        seed: options.seed,
        random: new Random(options.seed, suite.category),
        rig,
        noRig,
        dir,
        log: (m: string) => log(`${suite.category}: ${m}`),
      };
      let plan: SuitePlan | null = null;
      try {
        plan = await suite.plan(ctx);
        const wanted = (c: CaseSpec) =>
          !options.cases || options.cases.some((s) => c.id.includes(s));
        const cases = spread(unique(plan.cases).filter(wanted), options.perCategory);
        const after = (plan.after ?? []).filter(wanted);
        // The sandbox's stdout verdict (below) is one case more.
        const verdicts = suite === sandbox ? 1 : 0;
        log(`${suite.category}: ${cases.length + after.length + verdicts} cases`);
        const results = await runCases(cases, {
          concurrency: plan.concurrency,
          stop: stop.signal,
          onOutcome: options.onOutcome,
        });
        outcomes.push(...results);
        if (after.length > 0) {
          outcomes.push(...await runCases(after, { concurrency: 1, onOutcome: options.onOutcome }));
        }
        if (suite === sandbox) outcomes.push(await stdoutVerdict(STARTED));
      } catch (error) {
        outcomes.push({
          id: `${suite.category}/(suite setup)`,
          category: suite.category,
          status: "failed",
          why: [`the suite could not run: ${describe(error)}`],
          ms: 0,
        });
      } finally {
        await bounded(plan?.teardown() ?? Promise.resolve(), 30_000);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        runningDir = null;
      }
    }
    return {
      seed: options.seed,
      startedAt,
      ms: Math.round(performance.now() - started),
      rig: rigLabel,
      figures: figuresOf(outcomes, suites.map((s) => s.category)),
      outcomes,
    };
  } finally {
    clearTimeout(deadline);
    globalThis.removeEventListener("unhandledrejection", onRejection);
    if (socketErrors > 0) {
      log(`${socketErrors} late socket errors in relays were ignored (clients that hung up)`);
    }
    await bounded(Promise.all(STARTED.map((p) => p.close(2_000))), 20_000);
    const killed = killLeftovers();
    if (killed > 0) log(`killed ${killed} leftover server processes by pid`);
    await rig?.stop();
    runningRig = null;
  }
}

/** The cases with duplicate ids numbered (`…#2`), so that every id names one case. */
function unique(cases: CaseSpec[]): CaseSpec[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return n === 1 ? c : { ...c, id: `${c.id}#${n}` };
  });
}

/** At most `n` cases, evenly spread over the list so that every kind of case is represented. */
function spread(cases: CaseSpec[], n: number | undefined): CaseSpec[] {
  if (n === undefined || n >= cases.length) return cases;
  const step = cases.length / n;
  return Array.from({ length: n }, (_, i) => cases[Math.floor(i * step)]);
}

async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}
