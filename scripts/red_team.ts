/**
 * The red team: drives the real stdio server process with the SDK's client
 * through hundreds of seeded hostile cases (bad input, hostile and lying
 * servers, faults, corrupt state files, budget and politeness, load, the
 * sandbox), checks the invariant that makes each case "held", and prints
 * `category | tried | held` with every case that did not hold and why.
 *
 * ```sh
 * deno task redteam                      # everything, a random seed (printed)
 * deno task redteam --seed 42            # replay a run (or RED_TEAM_SEED=42)
 * deno task redteam --only budget,faults --json report.json
 * deno task redteam --per-category 5 --no-rig   # a quick subset without FRR
 * ```
 *
 * Exit code: 0 when every case held, 1 when some did not, 2 for a usage error,
 * 3 when the run had to be cut short by its watchdog, 130/143 on SIGINT/SIGTERM.
 * Only loopback addresses are used; every process started is stopped by pid.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CATEGORIES, type Category, show } from "./_red_team/case.ts";
import { renderReport } from "./_red_team/report.ts";
import { runRedTeam, stopNow } from "./_red_team/run.ts";

const USAGE = `Usage: deno task redteam [--seed N] [--only CATEGORY,…] [--per-category N]
                         [--case TEXT]… [--no-rig] [--json FILE] [--time-limit SECONDS] [--quiet]

  --seed N            replay a run (default: $RED_TEAM_SEED, else random; printed first)
  --only A,B          only these categories
  --per-category N    at most N cases per category, spread over its list
  --case TEXT         only cases whose id contains TEXT (repeatable)
  --no-rig            do not start the FRR rig (honest fakes stand in for the real server)
  --json FILE         also write the whole report as JSON
  --time-limit S      stop starting cases after S seconds (default 480)
  --quiet             no progress on stderr

Categories: ${CATEGORIES.join(", ")}`;

function write(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) offset += stream.writeSync(bytes.subarray(offset));
}

async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        seed: { type: "string" },
        only: { type: "string" },
        "per-category": { type: "string" },
        case: { type: "string", multiple: true },
        "no-rig": { type: "boolean" },
        json: { type: "string" },
        "time-limit": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    write(Deno.stderr, `${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    write(Deno.stdout, `${USAGE}\n`);
    return 0;
  }
  const seedText = values.seed ?? Deno.env.get("RED_TEAM_SEED");
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    write(Deno.stderr, `the seed must be a whole number from 0 to 4294967295\n`);
    return 2;
  }
  const only = values.only?.split(",").map((c) => c.trim()).filter(Boolean) as
    | Category[]
    | undefined;
  const unknown = only?.filter((c) => !CATEGORIES.includes(c));
  if (unknown?.length) {
    write(Deno.stderr, `unknown categories: ${unknown.join(", ")}\n\n${USAGE}\n`);
    return 2;
  }
  const perCategory = values["per-category"] === undefined
    ? undefined
    : Number(values["per-category"]);
  if (perCategory !== undefined && !(Number.isInteger(perCategory) && perCategory > 0)) {
    write(Deno.stderr, "--per-category is a positive whole number\n");
    return 2;
  }
  const limit = values["time-limit"] === undefined ? 480 : Number(values["time-limit"]);
  if (!(limit > 0)) {
    write(Deno.stderr, "--time-limit is a positive number of seconds\n");
    return 2;
  }
  write(
    Deno.stderr,
    `red team seed ${seed} (replay with RED_TEAM_SEED=${seed} or --seed ${seed})\n`,
  );
  const quiet = values.quiet === true;
  // Interrupted (Ctrl-C, a test's deadline): stop every process the run started, then exit.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      write(Deno.stderr, `red team: ${signal}; stopping its processes\n`);
      stopNow().finally(() => Deno.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  // A hard stop well after the case deadline: whatever hangs, the run ends.
  const watchdog = setTimeout(() => {
    write(Deno.stderr, "red team: the run did not end in time; killing its server processes\n");
    stopNow().finally(() => Deno.exit(3));
  }, (limit + 120) * 1000);
  const report = await runRedTeam({
    seed,
    only,
    perCategory,
    cases: values.case,
    rig: values["no-rig"] !== true,
    deadlineMs: limit * 1000,
    log: (m) => quiet || write(Deno.stderr, `  ${m}\n`),
    onOutcome: (o) => {
      if (!quiet && o.status === "failed") {
        write(Deno.stderr, `  not held: ${o.id}: ${show(o.why[0], 200)}\n`);
      }
    },
  });
  clearTimeout(watchdog);
  write(Deno.stdout, `${renderReport(report)}\n`);
  if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(report, null, 2));
  return report.outcomes.some((o) => o.status === "failed") ? 1 : 0;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
  // The SDK's stdio transport leaves short timers behind; nothing else is pending.
  setTimeout(() => Deno.exit(), 100);
}
