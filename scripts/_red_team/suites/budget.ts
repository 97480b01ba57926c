/**
 * Budget and politeness — what the public route servers ask of us. Several
 * real processes share one ledger file; probe storms against
 * `maxConcurrent`; lookups, ping, traceroute and probes against one
 * per-server limit; SIGTERM, SIGINT and stdin close mid-query; two names for
 * one host:port; an orlonger near the end of the byte budget; the quota
 * running out; identical questions sharing one query.
 *
 * The server's own count is the truth: connections accepted and most open at
 * once (a counting relay in front of the fake), never above the limits, and
 * equal to what the ledger reports — read back through a fresh process, so
 * the invariant holds whatever the ledger's file format.
 *
 * @module
 */

import { Relay } from "../../../tests/harness/mod.ts";
import { bigTable, classify, honest } from "../answers.ts";
import { type CaseSpec, type Checker, show, sleep, waitUntil } from "../case.ts";
import { answerThenHangUp, fakeEntry, slowAnswer, startFake } from "../fakes.ts";
import {
  budgetOf,
  caseIn,
  FAST_LIMITS,
  loopback,
  startServer,
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

const CATEGORY = "budget";

/** The budget suite. */
export const budget: Suite = { category: CATEGORY, plan };

type Closable = { close(): Promise<void> };

function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const rand = ctx.random;
  const closables: Closable[] = [];
  const cases: CaseSpec[] = [];
  let n = 0;

  /**
   * A fresh world: a fake FRR (or IOS) server behind a counting relay, a
   * servers.json with the given quota and limits, a state directory, and a
   * way to start processes that share its ledger file.
   */
  const world = async (options: {
    quota: Record<string, number>;
    limits?: Record<string, unknown>;
    dialect?: "frr" | "cisco-ios";
    answer?: (line: string) => ReturnType<Parameters<typeof startFake>[1]["answer"]>;
    names?: string[];
  }) => {
    const dir = `${ctx.dir}/world-${n++}`;
    await Deno.mkdir(`${dir}/state`, { recursive: true });
    const dialect = options.dialect ?? "frr";
    const fake = startFake(dialect, {
      answer: options.answer ?? ((line) => {
        const { ask, json } = classify(line);
        return ask === "route"
          ? answerThenHangUp(dialect, json ? "{}" : "% Network not in table")
          : honest(dialect, { ask, json });
      }),
    });
    const relay = new Relay({ target: { hostname: "127.0.0.1", port: fake.port } });
    closables.push(relay, fake);
    const names = options.names ?? ["s"];
    const config = await writeServers(`${dir}/servers.json`, {
      defaultServer: names[0],
      limits: {
        ...FAST_LIMITS,
        queueTimeoutMs: 30_000,
        queryTimeoutMs: 30_000,
        commandTimeoutMs: 10_000,
        ...options.limits,
      },
      quota: options.quota,
      servers: names.map((name) => fakeEntry(dialect, { name, port: relay.port })),
    });
    const ledger = `${dir}/state/ledger.json`;
    const start = () =>
      startServer({
        config,
        allowNet: loopback(relay.port),
        ledger,
        allowRead: [`${dir}/state`],
        allowWrite: [`${dir}/state`],
      });
    /** What the ledger says, read by a fresh process (whatever the file format). */
    const ledgerSays = async (name = names[0]) => {
      const reader = await start();
      try {
        return await budgetOf(reader, name);
      } finally {
        await reader.close();
      }
    };
    return { dir, fake, relay, start, ledgerSays };
  };

  /** The server's count equals the ledger's, and stays within the quota. */
  const countsAgree = (
    check: Checker,
    { seen, booked, quota }: { seen: number; booked: number | undefined; quota: number },
  ) => {
    check.ok(seen <= quota, `the server saw ${seen} connections against a quota of ${quota}`);
    check.equal(booked, seen, "connections in the ledger vs connections the server accepted");
  };

  // 1. Several processes share one ledger file: their use adds up, exactly once, within the quota.
  const shared: [number, number][] = [[2, 1], [3, 1], [4, 1], [2, 5], [3, 4]];
  for (const [processes, parallel] of shared) {
    const quota = 10;
    cases.push(
      caseIn(CATEGORY, {
        id: `shared-ledger/${processes}-processes-${parallel}-at-a-time`,
        timeoutMs: 90_000,
        run: async (check) => {
          const w = await world({ quota: { connections: quota, bytesDown: 1e9, bytesUp: 1e9 } });
          const started = await Promise.all(Array.from({ length: processes }, () => w.start()));
          await Promise.all(started.map(async (p, i) => {
            // Each process tries to use the whole quota on its own.
            for (let q = 0; q < quota; q += parallel) {
              await Promise.all(
                Array.from(
                  { length: parallel },
                  (_, k) =>
                    p.call("route_lookup", { destination: `8.8.${i}.${q + k + 1}` }, {
                      timeoutMs: 20_000,
                    }),
                ),
              );
            }
          }));
          await Promise.all(started.map((p) => p.close()));
          const booked = await w.ledgerSays();
          countsAgree(check, {
            seen: w.relay.connections,
            booked: booked?.used.connections,
            quota,
          });
        },
      }),
    );
  }

  // 2. list_servers probe storms: within maxConcurrent and the quota, every probe booked.
  for (const storm of [20, 50, 80]) {
    cases.push(
      caseIn(CATEGORY, {
        id: `probe-storm/${storm}-calls`,
        timeoutMs: 60_000,
        run: async (check) => {
          const quota = 10;
          const w = await world({
            quota: { connections: quota, bytesDown: 1e9, bytesUp: 1e9 },
            limits: { maxConcurrent: 2 },
          });
          const p = await w.start();
          await Promise.all(
            Array.from(
              { length: storm },
              () => p.call("list_servers", { probe: true }, { timeoutMs: 30_000 }),
            ),
          );
          await p.close();
          check.ok(
            w.relay.maxOpen <= 2,
            `${w.relay.maxOpen} connections open at once (maxConcurrent 2)`,
          );
          const booked = await w.ledgerSays();
          countsAgree(check, {
            seen: w.relay.connections,
            booked: booked?.used.connections,
            quota,
          });
        },
      }),
    );
  }

  // 3. Lookups, ping, traceroute and probes at once: one per-server limit over everything.
  for (
    const mix of [{ lookups: 6, pings: 3, traces: 2, probes: 3 }, {
      lookups: 3,
      pings: 4,
      traces: 3,
      probes: 6,
    }]
  ) {
    const id =
      `one-limit/${mix.lookups}-lookups-${mix.pings}-pings-${mix.traces}-traceroutes-${mix.probes}-probes`;
    cases.push(caseIn(CATEGORY, {
      id,
      timeoutMs: 90_000,
      run: async (check) => {
        const w = await world({
          quota: { connections: 1000, bytesDown: 1e9, bytesUp: 1e9 },
          limits: { maxConcurrent: 2, commandTimeoutMs: 20_000 },
          dialect: "cisco-ios",
          answer: (line) => {
            const { ask } = classify(line);
            const text = ask === "route"
              ? "% Network not in table"
              : honest("cisco-ios", { ask, json: false });
            return text === undefined ? undefined : slowAnswer("cisco-ios", { text, ms: 400 });
          },
        });
        const p = await w.start();
        const calls = [
          ...Array.from(
            { length: mix.lookups },
            (_, i) =>
              p.call("route_lookup", { destination: `8.8.9.${i + 1}` }, { timeoutMs: 60_000 }),
          ),
          ...Array.from(
            { length: mix.pings },
            () =>
              p.call("ping", { destination: "8.8.8.8", count: 1, timeoutSeconds: 1 }, {
                timeoutMs: 60_000,
              }),
          ),
          ...Array.from(
            { length: mix.traces },
            () =>
              p.call("traceroute", { destination: "8.8.8.8", maxHops: 2, timeoutSeconds: 1 }, {
                timeoutMs: 60_000,
              }),
          ),
          ...Array.from(
            { length: mix.probes },
            () => p.call("list_servers", { probe: true }, { timeoutMs: 60_000 }),
          ),
        ];
        await Promise.all(calls);
        await p.close();
        check.ok(
          w.relay.maxOpen <= 2,
          `${w.relay.maxOpen} connections open at once to one server (maxConcurrent 2)`,
        );
      },
    }));
  }

  // 4. Killed mid-query: the connection in flight is still in the ledger.
  const kills: [string, Deno.Signal | "stdin"][] = [
    ...Array.from({ length: 5 }, () => ["SIGTERM", "SIGTERM"] as [string, Deno.Signal]),
    ["SIGINT", "SIGINT"],
    ["stdin-closed", "stdin"],
  ];
  for (const [i, [label, how]] of kills.entries()) {
    const afterMs = rand.int(20, 600);
    cases.push(
      caseIn(CATEGORY, {
        id: `killed-mid-query/${label}-${i}-after-${afterMs}ms`,
        timeoutMs: 60_000,
        run: async (check) => {
          const w = await world({
            quota: { connections: 100, bytesDown: 1e9, bytesUp: 1e9 },
            answer: (
              line,
            ) => (classify(line).ask === "route"
              ? slowAnswer("frr", { text: "{}", ms: 4_000 })
              : undefined),
          });
          const p = await w.start();
          const call = p.call("route_lookup", { destination: "8.8.8.8" }, { timeoutMs: 20_000 });
          // The kill must come while the query is on the wire, or the case proves nothing.
          if (!await waitUntil(() => w.relay.connections > 0, 15_000)) {
            check.fail(
              "the query did not reach the server within 15 s (nothing to kill mid-query)",
            );
            await p.close();
            return;
          }
          await sleep(afterMs);
          if (how === "stdin") {
            check.ok(await p.close(5_000), "the process did not exit within 5 s of stdin closing");
          } else {
            p.signal(how);
            const exited = await Promise.race([
              p.exited.then(() => true),
              sleep(5_000).then(() => false),
            ]);
            check.ok(exited, `the process did not exit within 5 s of ${how}`);
            await p.close(1_000);
          }
          await call;
          const booked = await w.ledgerSays();
          check.equal(
            booked?.used.connections,
            w.relay.connections,
            "connections in the ledger after the kill vs the server's count",
          );
        },
      }),
    );
  }

  // 5. Two names for one host:port share one budget.
  for (const together of [false, true]) {
    cases.push(
      caseIn(CATEGORY, {
        id: `two-names-one-server/${together ? "at-once" : "one-after-the-other"}`,
        timeoutMs: 60_000,
        run: async (check) => {
          const quota = 5;
          const w = await world({
            quota: { connections: quota, bytesDown: 1e9, bytesUp: 1e9 },
            names: ["a", "b"],
          });
          const p = await w.start();
          const run = async (name: string) => {
            for (let i = 0; i < quota; i++) {
              await p.call("route_lookup", { destination: `8.8.7.${i + 1}`, server: name }, {
                timeoutMs: 20_000,
              });
            }
          };
          if (together) await Promise.all([run("a"), run("b")]);
          else {
            await run("a");
            await run("b");
          }
          await p.close();
          check.ok(
            w.relay.connections <= quota,
            `the server saw ${w.relay.connections} connections through two names, quota ${quota}`,
          );
        },
      }),
    );
  }

  // 6. An orlonger near the end of the download budget must not overshoot it.
  for (
    const [left, json] of [[5_000, true], [20_000, true], [50_000, true], [20_000, false]] as const
  ) {
    cases.push(
      caseIn(CATEGORY, {
        id: `orlonger-near-budget-end/${left}-bytes-left/${json ? "json" : "text"}`,
        timeoutMs: 90_000,
        run: async (check) => {
          const limit = 150_000;
          const padded = honest("frr", { ask: "route", json: true })! + " ".repeat(8_000);
          const w = await world({
            quota: { connections: 1000, bytesDown: limit, bytesUp: 1e9 },
            limits: { maxOutputBytes: 1024 * 1024 },
            answer: (line) => {
              const c = classify(line);
              if (c.ask === "orlonger") {
                return c.json === json ? bigTable(json, 65_000) : undefined;
              }
              if (c.ask === "route") return c.json ? padded : undefined;
              return honest("frr", { ask: c.ask, json: c.json });
            },
          });
          const p = await w.start();
          let budget = await budgetOf(p, "s");
          for (let i = 0; budget && budget.remaining.bytesDown > left + 10_500 && i < 40; i++) {
            await p.call("route_lookup", { destination: `8.8.6.${i + 1}` });
            budget = await budgetOf(p, "s");
          }
          const before = budget?.remaining.bytesDown ?? 0;
          const outcome = await p.call("route_lookup", {
            destination: "9.9.0.0/16",
            match: "orlonger",
          }, { timeoutMs: 30_000 });
          const after = await budgetOf(p, "s");
          await p.close();
          check.ok(
            (after?.used.bytesDown ?? Infinity) <= limit,
            `downloaded ${after?.used.bytesDown} bytes against a budget of ${limit} (${before} were left before the orlonger)`,
          );
          if (outcome.isError) check.match(outcome.text, /budget|quota|download/i, "the refusal");
        },
      }),
    );
  }

  // 7. The quota runs out: refused before connecting, with the budget and a date within a day.
  cases.push(
    caseIn(CATEGORY, {
      id: "quota-runs-out/refused-before-connecting",
      timeoutMs: 60_000,
      run: async (check) => {
        const quota = 3;
        const w = await world({ quota: { connections: quota, bytesDown: 1e9, bytesUp: 1e9 } });
        const p = await w.start();
        const outcomes = [];
        for (let i = 0; i < quota + 2; i++) {
          outcomes.push(await p.call("route_lookup", { destination: `8.8.5.${i + 1}` }));
        }
        const booked = await budgetOf(p, "s");
        await p.close();
        countsAgree(check, { seen: w.relay.connections, booked: booked?.used.connections, quota });
        for (const refused of outcomes.slice(quota)) {
          if (
            !check.ok(
              refused.isError,
              `a query over the quota was answered: ${show(refused.text, 120)}`,
            )
          ) continue;
          check.match(refused.text, /connection budget|connections/i, "the refusal");
          const iso = /frees up at (\S+?)\.?\s/.exec(refused.text)?.[1];
          check.ok(
            iso !== undefined && Date.parse(iso) <= Date.now() + 25 * 3_600_000,
            `no sensible "frees up at" date: ${show(refused.text, 200)}`,
          );
        }
      },
    }),
  );

  // 8. Identical questions share one query (single flight, then the cache).
  cases.push(
    caseIn(CATEGORY, {
      id: "politeness/identical-concurrent-calls-one-query",
      timeoutMs: 60_000,
      run: async (check) => {
        const w = await world({
          quota: { connections: 100, bytesDown: 1e9, bytesUp: 1e9 },
          limits: { cacheTtlMs: 60_000 },
          answer: (
            line,
          ) => (classify(line).ask === "route"
            ? slowAnswer("frr", {
              text: honest("frr", { ask: "route", json: classify(line).json })!,
              ms: 300,
            })
            : undefined),
        });
        const p = await w.start();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => p.call("route_lookup", { destination: "8.8.8.8" })),
        );
        const later = await p.call("route_lookup", { destination: "8.8.8.8" });
        await p.close();
        check.ok(
          results.every((r) => !r.isError) && !later.isError,
          "some identical calls failed",
        );
        const asked = w.fake.lines.filter((l) => l.includes("8.8.8.8")).length;
        check.equal(asked, 1, "commands the server received for 21 identical calls");
      },
    }),
  );

  return Promise.resolve({
    cases,
    concurrency: 3,
    async teardown() {
      await Promise.all(closables.map((c) => c.close()));
    },
  });
}
