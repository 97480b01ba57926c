/**
 * Corrupt state files: the quota ledger file replaced by text that is not
 * JSON, JSON of the wrong shape or version, malformed fields, timestamps at
 * 1e300 or in the year 2300, absurd counts, a FIFO, a directory, a huge file,
 * a file the process may not read; and the server list with a BOM, broken,
 * or a FIFO. Each case is a fresh server process with the file in place.
 *
 * A ledger case holds when the process starts in time and serves, warns about
 * the file on stderr (once), keeps the bad file (in place or renamed aside,
 * never overwritten), assumes no budget it cannot prove (the reported budget
 * is not the full allowance), gives no "Invalid time value" and no date past
 * tomorrow, and keeps the use it makes afterwards for the next process. The
 * two control cases (no file; a file the product wrote) must keep exact counts.
 *
 * @module
 */

import { classify, honest } from "../answers.ts";
import { type CaseSpec, type Checker, show } from "../case.ts";
import { fakeEntry, startFake } from "../fakes.ts";
import { runBounded, type ServerProcess, StartTimeout } from "../process.ts";
import {
  budgetOf,
  caseIn,
  FAST_LIMITS,
  loopback,
  type ReportedBudget,
  startServer,
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

const CATEGORY = "state-files";
const QUOTA = { connections: 10, bytesDown: 500_000, bytesUp: 100_000 };
const START_MS = 8_000;

/** The state-files suite. */
export const stateFiles: Suite = { category: CATEGORY, plan };

/** How the ledger file is spoiled. */
interface Variant {
  name: string;
  /** Writes the spoiled file at `path`. */
  make(path: string): Promise<void>;
  /** Extra invariant on the reported budget. */
  budget?: (check: Checker, budget: ReportedBudget) => void;
}

function text(content: string | Uint8Array) {
  return (path: string) =>
    typeof content === "string" ? Deno.writeTextFile(path, content) : Deno.writeFile(path, content);
}

function json(value: unknown) {
  return text(JSON.stringify(value));
}

function variants(now: number): Variant[] {
  const minute = Math.floor(now / 60_000) * 60_000;
  const atLeast = (n: number) => (check: Checker, budget: ReportedBudget) =>
    check.ok(
      budget.used.connections >= n,
      `use in the file forgotten: ${budget.used.connections} connections reported, the file held at least ${n}`,
    );
  return [
    { name: "not-json", make: text('{"version":1,"servers":{"s":[[') },
    { name: "empty", make: text("") },
    { name: "null", make: text("null") },
    { name: "array", make: text("[]") },
    {
      name: "binary",
      make: text(new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0xc3, 0x28, 0x7b, 0x00])),
    },
    { name: "wrong-version", make: json({ version: 99, servers: { s: [[minute, 4, 0, 0]] } }) },
    { name: "version-as-text", make: json({ version: "1", servers: { s: [[minute, 4, 0, 0]] } }) },
    { name: "servers-null", make: json({ version: 1, servers: null }) },
    { name: "servers-array", make: json({ version: 1, servers: [[minute, 4, 0, 0]] }) },
    { name: "buckets-not-a-list", make: json({ version: 1, servers: { s: "many" } }) },
    {
      name: "one-malformed-field",
      make: json({
        version: 1,
        servers: { s: [[minute - 120_000, 3, 900, 90], [minute, 5, "x", 100]] },
      }),
      budget: atLeast(8),
    },
    { name: "negative-count", make: json({ version: 1, servers: { s: [[minute, -50, 0, 0]] } }) },
    { name: "absurd-count", make: json({ version: 1, servers: { s: [[minute, 1e300, 0, 0]] } }) },
    { name: "timestamp-1e300", make: json({ version: 1, servers: { s: [[1e300, 10, 0, 0]] } }) },
    {
      name: "timestamp-year-2300",
      make: json({ version: 1, servers: { s: [[Date.UTC(2300, 0, 1), 10, 0, 0]] } }),
    },
    {
      name: "fifo",
      make: async (path) => {
        const made = await new Deno.Command("mkfifo", {
          args: [path],
          stdout: "null",
          stderr: "piped",
        }).output();
        if (!made.success) {
          throw new Error(`mkfifo failed: ${new TextDecoder().decode(made.stderr)}`);
        }
      },
    },
    { name: "directory", make: (path) => Deno.mkdir(path) },
    {
      name: "huge-40MB",
      make: async (path) => {
        // Valid JSON: the server's own bucket, then 40 MB of other servers' buckets.
        const file = await Deno.open(path, { write: true, create: true, truncate: true });
        const encoder = new TextEncoder();
        await file.write(encoder.encode(`{"version":1,"servers":{"s":[[${minute},4,0,0]]`));
        for (let written = 0, n = 0; written < 40 * 1024 * 1024; n++) {
          const chunk = encoder.encode(
            Array.from({ length: 1000 }, (_, i) => `,"x${n}-${i}":[[${minute},1,1,1]]`).join(""),
          );
          await file.write(chunk);
          written += chunk.length;
        }
        await file.write(encoder.encode("}}"));
        file.close();
      },
    },
  ];
}

function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const now = Date.now();
  const fakes: { close(): Promise<void> }[] = [];
  const cases: CaseSpec[] = [];
  let n = 0;

  /** A fresh directory with a state dir, a counted honest FRR fake and a servers.json. */
  const setup = async () => {
    const dir = `${ctx.dir}/case-${n++}`;
    await Deno.mkdir(`${dir}/state`, { recursive: true });
    const fake = startFake("frr", {
      answer: (l) => honest("frr", classify(l)),
    });
    fakes.push(fake);
    const config = await writeServers(`${dir}/servers.json`, {
      defaultServer: "s",
      limits: FAST_LIMITS,
      quota: QUOTA,
      servers: [fakeEntry("frr", { name: "s", port: fake.port })],
    });
    const ledger = `${dir}/state/ledger.json`;
    const start = (readable = true) =>
      startServer({
        config,
        allowNet: loopback(fake.port),
        ledger,
        allowRead: readable ? [`${dir}/state`] : [],
        allowWrite: [`${dir}/state`],
        startTimeoutMs: START_MS,
      });
    return { dir, fake, config, ledger, start };
  };

  for (const variant of variants(now)) {
    cases.push(
      caseIn(CATEGORY, {
        id: `ledger/${variant.name}`,
        timeoutMs: 60_000,
        run: async (check) => {
          const { dir, fake, ledger, start } = await setup();
          await variant.make(ledger);
          const original = await fingerprint(ledger);
          let process: ServerProcess;
          const started = performance.now();
          try {
            process = await start();
          } catch (error) {
            check.fail(
              error instanceof StartTimeout
                ? `initialize did not complete within ${START_MS} ms`
                : `did not start: ${show(String(error), 200)}`,
            );
            return;
          }
          const startMs = performance.now() - started;
          try {
            check.ok(startMs < 5_000, `initialize took ${Math.round(startMs)} ms`);
            const budget = await budgetOf(process, "s");
            if (check.ok(budget !== null, "list_servers gave no budget for the server")) {
              // Full: the whole allowance of every kind is left (nothing used, nothing unknown).
              const full = budget!.remaining.connections >= budget!.limits.connections &&
                budget!.remaining.bytesDown >= budget!.limits.bytesDown &&
                budget!.remaining.bytesUp >= budget!.limits.bytesUp;
              check.ok(
                !full,
                `a bad ledger file gave the full budget (${budget!.remaining.connections} of ${
                  budget!.limits.connections
                } connections left)`,
              );
              variant.budget?.(check, budget!);
            }
            const answer = await process.call("route_lookup", { destination: "8.8.8.8" }, {
              timeoutMs: 10_000,
            });
            checkDates(check, answer.text);
            if (variant.name === "huge-40MB") {
              const rss = await process.peakRss();
              check.ok(
                rss < 300 * 1024 * 1024,
                `peak RSS ${(rss / 1024 / 1024).toFixed(0)} MB reading the ledger`,
              );
            }
          } finally {
            await process.close();
          }
          const warnings = process.stderr().split("\n").filter((l) =>
            /ledger/i.test(l) &&
            /corrupt|unreadable|invalid|malformed|not a |cannot|refus|special|too (?:large|big)|aside|unknown|permission/i
              .test(l)
          );
          check.ok(
            warnings.length >= 1,
            `no warning about the ledger on stderr: ${show(process.stderr().slice(0, 300))}`,
          );
          check.ok(
            warnings.length <= 2,
            `${warnings.length} warnings about the ledger (warn once)`,
          );
          check.ok(
            await keptSomewhere(`${dir}/state`, original),
            "the bad ledger file was overwritten or removed (keep it aside)",
          );
          // The use made after the corruption is known to the next process.
          if (fake.connections > 0) {
            try {
              const next = await start();
              const after = await budgetOf(next, "s");
              await next.close();
              check.ok(
                (after?.used.connections ?? 0) >= fake.connections,
                `the next process forgot this one's ${fake.connections} connection(s): it reports ${after?.used.connections}`,
              );
            } catch (error) {
              check.fail(`the next process did not start: ${show(String(error), 160)}`);
            }
          }
        },
      }),
    );
  }

  // Unreadable: the file exists but the process may not read it (as root, file modes do not stop reads).
  cases.push(caseIn(CATEGORY, {
    id: "ledger/unreadable",
    timeoutMs: 60_000,
    run: async (check) => {
      const { dir, start } = await setup();
      await Deno.writeTextFile(
        `${dir}/state/ledger.json`,
        JSON.stringify({
          version: 1,
          servers: { s: [[Math.floor(now / 60_000) * 60_000, 9, 0, 0]] },
        }),
      );
      const process = await start(false);
      try {
        const budget = await budgetOf(process, "s");
        check.ok(
          budget !== null && budget.remaining.connections < QUOTA.connections,
          `an unreadable ledger gave the full budget (${budget?.remaining.connections} of ${QUOTA.connections} left)`,
        );
      } finally {
        await process.close();
      }
      check.ok(/ledger/i.test(process.stderr()), "no warning about the ledger on stderr");
    },
  }));

  // Controls: exact counts when the state is sound.
  cases.push(
    caseIn(CATEGORY, {
      id: "ledger/control-no-file",
      timeoutMs: 60_000,
      run: async (check) => {
        const { fake, start } = await setup();
        const first = await start();
        const before = await budgetOf(first, "s");
        check.equal(before?.used.connections, 0, "a fresh ledger's use");
        await first.call("route_lookup", { destination: "8.8.8.8" });
        await first.close();
        const second = await start();
        const after = await budgetOf(second, "s");
        await second.close();
        check.equal(
          after?.used.connections,
          fake.connections,
          "connections kept across a restart vs the server's count",
        );
      },
    }),
  );
  cases.push(
    caseIn(CATEGORY, {
      id: "ledger/control-restarts",
      timeoutMs: 60_000,
      run: async (check) => {
        const { fake, start } = await setup();
        for (let i = 0; i < 3; i++) {
          const process = await start();
          await process.call("route_lookup", { destination: "8.8.8.8" });
          await process.close();
        }
        const last = await start();
        const budget = await budgetOf(last, "s");
        await last.close();
        check.equal(
          budget?.used.connections,
          fake.connections,
          "connections over three restarts vs the server's count",
        );
      },
    }),
  );

  // The server list: a BOM is accepted; broken files end the process at once with one clear line.
  cases.push(caseIn(CATEGORY, {
    id: "config/utf8-bom",
    timeoutMs: 30_000,
    run: async (check) => {
      const { dir, fake } = await setup();
      const path = `${dir}/bom.json`;
      await Deno.writeTextFile(
        path,
        "\ufeff" +
          JSON.stringify({
            defaultServer: "s",
            servers: [fakeEntry("frr", { name: "s", port: fake.port })],
          }),
      );
      try {
        const process = await startServer({
          config: path,
          allowNet: loopback(fake.port),
          startTimeoutMs: START_MS,
        });
        await process.close();
      } catch (error) {
        check.fail(
          `a server list with a UTF-8 BOM was refused: ${
            show(error instanceof StartTimeout ? error.stderr : String(error), 200)
          }`,
        );
      }
    },
  }));
  const brokenConfigs: [string, (path: string) => Promise<void>][] = [
    ["not-json", text('{ "servers": [')],
    [
      "wrong-field",
      json({ defaultServer: "s", servers: [{ name: "s", host: "127.0.0.1", port: "23" }] }),
    ],
    ["no-servers", json({ defaultServer: "s", servers: [] })],
    ["missing", () => Promise.resolve()],
    ["directory", (path) => Deno.mkdir(path)],
    ["fifo", async (path) => void await new Deno.Command("mkfifo", { args: [path] }).output()],
  ];
  for (const [name, make] of brokenConfigs) {
    cases.push(caseIn(CATEGORY, {
      id: `config/${name}`,
      timeoutMs: 30_000,
      run: async (check) => {
        const dir = `${ctx.dir}/config-${name}`;
        await Deno.mkdir(dir, { recursive: true });
        const path = `${dir}/servers.json`;
        await make(path);
        const run = await runBounded([
          "run",
          "--no-prompt",
          `--allow-read=${dir}`,
          "src/main.ts",
          "--config",
          path,
        ], { timeoutMs: 8_000 });
        if (!check.ok(!run.timedOut, "the process neither started nor exited within 8 s")) return;
        check.ok(run.code !== 0, "exited 0 on a broken server list");
        check.equal(run.stdout, "", "stdout");
        const lines = run.stderr.trim().split("\n");
        check.ok(
          lines.length <= 2 && !/^\s+at /m.test(run.stderr),
          `not one clear line: ${show(run.stderr, 200)}`,
        );
        check.ok(
          /servers?|config|JSON|field|file/i.test(run.stderr),
          `the message does not say what is wrong: ${show(run.stderr, 200)}`,
        );
      },
    }));
  }

  return Promise.resolve({
    cases,
    concurrency: 3,
    async teardown() {
      await Promise.all(fakes.map((f) => f.close()));
    },
  });
}

/** What identifies the bad file: its kind, size and (for regular files) content. */
interface Fingerprint {
  kind: "file" | "fifo" | "directory" | "missing";
  size: number;
  bytes?: Uint8Array;
}

async function fingerprint(path: string): Promise<Fingerprint> {
  try {
    const info = await Deno.lstat(path);
    if (info.isFile) {
      const bytes = info.size <= 1024 * 1024 ? await Deno.readFile(path) : undefined;
      return { kind: "file", size: info.size, bytes };
    }
    return { kind: info.isDirectory ? "directory" : "fifo", size: 0 };
  } catch {
    return { kind: "missing", size: 0 };
  }
}

/** Whether something in `dir` is still the bad file (never opens a FIFO). */
async function keptSomewhere(dir: string, original: Fingerprint): Promise<boolean> {
  for await (const entry of Deno.readDir(dir)) {
    const found = await fingerprint(`${dir}/${entry.name}`);
    if (found.kind !== original.kind) continue;
    if (found.kind !== "file") return true;
    if (found.size !== original.size) continue;
    if (!original.bytes || (found.bytes && equal(found.bytes, original.bytes))) return true;
  }
  return false;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** No broken date maths in an answer: no "Invalid time value", every stated time before tomorrow. */
function checkDates(check: Checker, text: string): void {
  check.ok(
    !/Invalid time value|Invalid Date|Unexpected error/.test(text),
    `broken date maths: ${show(text, 200)}`,
  );
  check.ok(!/\bNaN\b|Infinity|\de\+\d/.test(text), `a nonsense number: ${show(text, 200)}`);
  for (const iso of text.match(/\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g) ?? []) {
    const at = Date.parse(iso);
    check.ok(
      Number.isFinite(at) && at <= Date.now() + 25 * 3_600_000,
      `the budget frees up at ${iso}, past tomorrow`,
    );
  }
}
