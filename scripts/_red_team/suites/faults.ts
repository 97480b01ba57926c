/**
 * Faults: the real FRR rig behind a delaying relay (slow but within the
 * deadlines: right answers; slower than them: a clear timeout in time), the
 * rig going away mid-answer (a cutting relay), a server that closes idle
 * sessions, one that is down, cancellation of calls in flight and in the
 * queue, and the client closing stdin mid-query.
 *
 * @module
 */

import {
  FakeTelnetServer,
  fixture,
  frrScript,
  Relay,
  RIG_ROUTES,
} from "../../../tests/harness/mod.ts";
import { classify, honest } from "../answers.ts";
import { type CaseSpec, type Checker, show, sleep, waitUntil } from "../case.ts";
import { CutRelay } from "../cut_relay.ts";
import { drip, fakeEntry, slowAnswer, startFake } from "../fakes.ts";
import type { CallOutcome } from "../process.ts";
import {
  BIG_QUOTA,
  budgetOf,
  caseIn,
  expectAlive,
  expectClean,
  expectResult,
  FAST_LIMITS,
  loopback,
  ProcessSlot,
  startServer,
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

const CATEGORY = "faults";
const SLACK_MS = 2_500;

/** The faults suite. */
export const faults: Suite = { category: CATEGORY, plan };

type Closable = { port: number; close(): Promise<void> };

async function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const rand = ctx.random;
  const closables: Closable[] = [];
  const keep = <T extends Closable>(c: T): T => (closables.push(c), c);
  // The real route server, or an honest fake without the rig.
  const origin = ctx.rig ? { hostname: "127.0.0.1", port: ctx.rig.vtyPort } : {
    hostname: "127.0.0.1",
    port: keep(startFake("frr", { answer: (l) => honest("frr", classify(l)) }))
      .port,
  };
  const expected = ctx.rig
    ? { asPath: RIG_ROUTES.google.viaGoogle.asPath, nextHop: RIG_ROUTES.google.viaGoogle.nextHop }
    : { asPath: [15169, 15169], nextHop: "198.51.100.2" };
  const servers: Record<string, unknown>[] = [];
  const cases: CaseSpec[] = [];
  const entry = (
    name: string,
    { port, limits = {} }: { port: number; limits?: Record<string, unknown> },
  ) => servers.push(fakeEntry("frr", { name, port, extra: { limits } }));

  const bestPathHolds = (check: Checker, outcome: CallOutcome) => {
    if (!expectResult(check, outcome, "route_lookup")) return;
    if (!check.ok(!outcome.isError, `refused: ${show(outcome.text, 200)}`)) return;
    const best =
      (outcome.structured as { paths: { best: boolean; asPath: number[]; nextHop: string }[] })
        .paths.find((p) => p.best);
    check.equal(JSON.stringify(best?.asPath), JSON.stringify(expected.asPath), "best AS path");
    check.equal(best?.nextHop, expected.nextHop, "best next hop");
    expectClean(check, outcome, "route_lookup");
  };

  // 1. Slow but within the deadlines: right answers.
  const slow = [40, 120, 250].map((delayMs) => {
    const relay = keep(new Relay({ target: origin, delayMs }));
    entry(`slow${delayMs}`, {
      port: relay.port,
      limits: {
        commandTimeoutMs: 10_000,
        loginTimeoutMs: 10_000,
        queryTimeoutMs: 30_000,
      },
    });
    return { delayMs, relay };
  });
  for (const { delayMs } of slow) {
    const name = `slow${delayMs}`;
    cases.push(
      caseIn(CATEGORY, {
        id: `slow/${delayMs}ms/route_lookup`,
        timeoutMs: 30_000,
        run: async (check) => {
          const outcome = await (await slot.get()).call("route_lookup", {
            destination: "8.8.8.8",
            server: name,
          });
          bestPathHolds(check, outcome);
        },
      }),
    );
    cases.push(
      caseIn(CATEGORY, {
        id: `slow/${delayMs}ms/bgp_summary`,
        timeoutMs: 30_000,
        run: async (check) => {
          const outcome = await (await slot.get()).call("bgp_summary", { server: name });
          if (
            !expectResult(check, outcome, "bgp_summary") ||
            !check.ok(!outcome.isError, show(outcome.text, 200))
          ) return;
          const totals =
            (outcome.structured as { totals: { established: number; neighbors: number } }).totals;
          if (ctx.rig) check.equal(totals.established, 2, "established neighbours");
        },
      }),
    );
  }
  cases.push(
    caseIn(CATEGORY, {
      id: "slow/route_compare-fast-and-slow",
      timeoutMs: 30_000,
      run: async (check) => {
        const outcome = await (await slot.get()).call("route_compare", {
          destination: "8.8.8.0/24",
          servers: ["slow40", "slow250"],
        });
        if (
          !expectResult(check, outcome, "route_compare") ||
          !check.ok(!outcome.isError, show(outcome.text, 200))
        ) return;
        const seen = (outcome.structured as { consensus: { seenBy: string[] } }).consensus.seenBy;
        check.equal(
          JSON.stringify([...seen].sort()),
          JSON.stringify(["slow250", "slow40"]),
          "seen by",
        );
      },
    }),
  );

  // 2. Slower than the deadlines: a clear timeout, in time.
  const tooSlowLogin = keep(new Relay({ target: origin, delayMs: 1_600 }));
  entry("too-slow-login", { port: tooSlowLogin.port, limits: { loginTimeoutMs: 1_000 } });
  const tooSlowCommand = keep(new Relay({ target: origin, delayMs: 700 }));
  entry("too-slow-command", {
    port: tooSlowCommand.port,
    limits: {
      loginTimeoutMs: 8_000,
      commandTimeoutMs: 1_000,
      queryTimeoutMs: 15_000,
    },
  });
  for (
    const [name, deadline, names] of [["too-slow-login", 1_000, /prompt|within/], [
      "too-slow-command",
      1_000,
      /did not finish|within/,
    ]] as const
  ) {
    cases.push(caseIn(CATEGORY, {
      id: `timeout/${name}`,
      timeoutMs: 30_000,
      run: async (check) => {
        const process = await slot.get();
        const outcome = await process.call("route_lookup", {
          destination: "1.1.1.1",
          server: name,
        });
        if (!expectResult(check, outcome, "route_lookup")) return;
        if (check.ok(outcome.isError, `answered: ${show(outcome.text, 120)}`)) {
          check.match(outcome.text, names, "the message");
        }
        // The login of a too-slow command server takes 1.5 round trips (about 2.1 s) first.
        const bound = deadline + SLACK_MS + (name === "too-slow-command" ? 2_800 : 0);
        check.ok(outcome.ms <= bound, `answered after ${outcome.ms} ms (bound ${bound} ms)`);
        await expectAlive(check, process, "route_lookup");
      },
    }));
  }

  // 3. The real server goes away mid-answer; the next call gets a fresh session.
  const cuts = Array.from({ length: 4 }, (_, i) => {
    // Inside the text answer (about 500 bytes after the command's echo), so every cut is made.
    const afterBytes = rand.int(60, 420);
    const relay = keep(new CutRelay({ target: origin, trigger: "8.8.8.8", afterBytes }));
    entry(`cut${i}`, { port: relay.port });
    return { name: `cut${i}`, afterBytes, relay };
  });
  for (const { name, afterBytes, relay } of cuts) {
    cases.push(
      caseIn(CATEGORY, {
        id: `gone-mid-answer/after-${afterBytes}-bytes`,
        timeoutMs: 30_000,
        run: async (check) => {
          const process = await slot.get();
          const outcome = await process.call("route_lookup", {
            destination: "8.8.8.8",
            server: name,
          });
          if (expectResult(check, outcome, "route_lookup")) {
            if (check.ok(outcome.isError, `a cut answer passed: ${show(outcome.text, 160)}`)) {
              check.match(outcome.text, /closed|lost/, "the message");
              check.ok(outcome.structured === undefined, "partial output was returned");
            }
            check.ok(
              outcome.ms <= FAST_LIMITS.commandTimeoutMs + SLACK_MS,
              `answered after ${outcome.ms} ms`,
            );
          }
          check.equal(relay.cuts, 1, "cuts made");
          const again = await process.call("route_lookup", {
            destination: "8.8.8.8",
            server: name,
          });
          bestPathHolds(check, again);
        },
      }),
    );
  }

  // 4. A server that closes sessions between calls (idle timeout): the next call reconnects.
  for (const goodbye of [undefined, "Vty connection is timed out."]) {
    const fake = keep(
      new FakeTelnetServer(frrScript({
        answers: {
          "show bgp ipv4 unicast 8.8.8.8": fixture("frr-rig/route_8.8.8.8.txt"),
        },
        closeAfter: 1,
        goodbye,
      })),
    );
    const name = goodbye ? "closes-with-goodbye" : "closes-silently";
    entry(name, { port: fake.port });
    cases.push(
      caseIn(CATEGORY, {
        id: `idle-close/${name}`,
        timeoutMs: 30_000,
        run: async (check) => {
          const process = await slot.get();
          for (let i = 0; i < 3; i++) {
            const outcome = await process.call("route_lookup", {
              destination: "8.8.8.8",
              server: name,
            });
            if (!expectResult(check, outcome, `call ${i + 1}`)) return;
            check.ok(
              !outcome.isError,
              `call ${i + 1} failed after the server closed the idle session: ${
                show(outcome.text, 160)
              }`,
            );
            await sleep(150);
          }
          check.equal(fake.connections, 3, "connections (one per call)");
        },
      }),
    );
  }

  // 5. A server that is down.
  const down = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const downPort = down.addr.port;
  down.close();
  entry("down", { port: downPort });
  cases.push(caseIn(CATEGORY, {
    id: "down/route_lookup",
    timeoutMs: 20_000,
    run: async (check) => {
      const process = await slot.get();
      const outcome = await process.call("route_lookup", {
        destination: "8.8.8.8",
        server: "down",
      });
      if (expectResult(check, outcome, "route_lookup") && check.ok(outcome.isError, "answered")) {
        check.match(outcome.text, /connect/i, "the message");
      }
      check.ok(outcome.ms < 3_000, `took ${outcome.ms} ms`);
      await expectAlive(check, process, "route_lookup");
    },
  }));
  cases.push(caseIn(CATEGORY, {
    id: "down/route_compare",
    timeoutMs: 20_000,
    run: async (check) => {
      const outcome = await (await slot.get()).call("route_compare", {
        destination: "8.8.8.8",
        servers: ["down", "slow40"],
      });
      if (
        !expectResult(check, outcome, "route_compare") ||
        !check.ok(!outcome.isError, show(outcome.text, 160))
      ) return;
      const consensus =
        (outcome.structured as { consensus: { failed: string[]; seenBy: string[] } }).consensus;
      check.equal(JSON.stringify(consensus.failed), '["down"]', "failed");
      check.equal(JSON.stringify(consensus.seenBy), '["slow40"]', "seen by");
    },
  }));

  // 6. Cancellation of calls in flight: the connection closes, the use is booked, the process serves.
  const cancels = Array.from({ length: 6 }, (_, i) => {
    const fake = keep(startFake("frr", {
      answer: (
        line,
      ) => (classify(line).ask === "route"
        ? drip("frr", { text: honest("frr", { ask: "route", json: classify(line).json })!, ms: 10 })
        : undefined),
    }));
    const name = `cancel${i}`;
    entry(name, { port: fake.port, limits: { commandTimeoutMs: 20_000, queryTimeoutMs: 30_000 } });
    return { name, fake, atMs: rand.int(20, 700) };
  });
  for (const { name, fake, atMs } of cancels) {
    cases.push(
      caseIn(CATEGORY, {
        id: `cancel/in-flight-after-${atMs}ms`,
        timeoutMs: 30_000,
        run: async (check) => {
          const process = await slot.get();
          const controller = new AbortController();
          const call = process.call("route_lookup", { destination: "8.8.8.8", server: name }, {
            signal: controller.signal,
          });
          await sleep(atMs);
          controller.abort("the user gave up");
          const outcome = await call;
          check.ok(
            outcome.ms < atMs + 1_000,
            `the cancelled call took ${outcome.ms} ms to end on the client`,
          );
          const closed = await waitUntil(() => fake.open === 0, 3_000);
          check.ok(
            closed,
            `the connection to the server was still open 3 s after the cancellation`,
          );
          await expectAlive(check, process, "after cancel");
          const budget = await budgetOf(process, name);
          check.equal(
            budget?.used.connections,
            fake.connections,
            "ledger connections vs the server's count",
          );
        },
      }),
    );
  }
  const queued = keep(startFake("frr", {
    answer: (
      line,
    ) => (classify(line).ask === "route"
      ? slowAnswer("frr", {
        text: honest("frr", { ask: "route", json: classify(line).json })!,
        ms: 1_200,
      })
      : undefined),
  }));
  entry("queued", {
    port: queued.port,
    limits: {
      maxConcurrent: 1,
      commandTimeoutMs: 10_000,
      queryTimeoutMs: 30_000,
    },
  });
  cases.push(
    caseIn(CATEGORY, {
      id: "cancel/while-queued",
      timeoutMs: 30_000,
      run: async (check) => {
        const process = await slot.get();
        const first = process.call("route_lookup", { destination: "8.8.8.8", server: "queued" });
        await sleep(200);
        const controller = new AbortController();
        const second = process.call("route_lookup", { destination: "8.8.4.4", server: "queued" }, {
          signal: controller.signal,
        });
        await sleep(200);
        controller.abort();
        const cancelled = await second;
        check.ok(cancelled.ms < 1_000, `the queued call took ${cancelled.ms} ms to end`);
        const done = await first;
        check.ok(
          done.kind === "result" && !done.isError,
          `the call holding the session failed: ${show(done.text, 160)}`,
        );
        const third = await process.call("route_lookup", {
          destination: "8.8.8.8",
          server: "queued",
        });
        check.ok(
          third.kind === "result" && !third.isError,
          `the next call failed: ${show(third.text, 160)}`,
        );
        check.ok(
          queued.maxOpen <= 1,
          `the server saw ${queued.maxOpen} sessions at once (limit 1)`,
        );
      },
    }),
  );

  // 7. The client closes stdin mid-query: the process ends, closing its connection.
  const config = await writeServers(`${ctx.dir}/servers.json`, {
    defaultServer: servers.length ? "slow40" : "",
    limits: { ...FAST_LIMITS, cacheTtlMs: 0 },
    quota: BIG_QUOTA,
    servers,
  });
  const allow = loopback(...servers.map((s) => s.port as number));
  const slot = new ProcessSlot({ config, allowNet: allow });
  for (let i = 0; i < 2; i++) {
    const fake = keep(startFake("frr", {
      answer: (
        line,
      ) => (classify(line).ask === "route"
        ? slowAnswer("frr", {
          text: honest("frr", { ask: "route", json: classify(line).json })!,
          ms: 4_000,
        })
        : undefined),
    }));
    // The relay sees the client's side of the TCP connection close (the fake only on its next read).
    const relay = keep(new Relay({ target: { hostname: "127.0.0.1", port: fake.port } }));
    const atMs = rand.int(100, 800);
    cases.push(
      caseIn(CATEGORY, {
        id: `stdin-closed/mid-query-after-${atMs}ms`,
        timeoutMs: 30_000,
        run: async (check) => {
          const own = await writeServers(`${ctx.dir}/stdin-${i}.json`, {
            defaultServer: "stuck",
            limits: { ...FAST_LIMITS, commandTimeoutMs: 20_000, queryTimeoutMs: 30_000 },
            quota: BIG_QUOTA,
            servers: [fakeEntry("frr", { name: "stuck", port: relay.port })],
          });
          const process = await startServer({ config: own, allowNet: loopback(relay.port) });
          const call = process.call("route_lookup", { destination: "8.8.8.8" }, {
            timeoutMs: 20_000,
          });
          if (
            !await waitUntil(() => relay.connections > 0, 15_000)
          ) {
            check.fail("the query did not reach the server within 15 s (nothing in flight)");
            await process.close();
            return;
          }
          await sleep(atMs);
          const exited = await process.close(5_000);
          check.ok(exited, "the process did not exit within 5 s of stdin closing (killed)");
          await call;
          check.ok(
            await waitUntil(() => relay.open === 0, 3_000),
            "its connection to the server stayed open",
          );
        },
      }),
    );
  }

  return {
    cases,
    concurrency: 4,
    async teardown() {
      await slot.close();
      await Promise.all(closables.map((c) => c.close()));
    },
  };
}
