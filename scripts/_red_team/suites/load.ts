/**
 * Load: hundreds of concurrent calls through one server process — mixed
 * tools to three "servers" (counting relays in front of the real FRR rig),
 * bad input interleaved with good, a slow server with a short queue, calls
 * cancelled at random times, and floods from hostile servers. Every call is
 * answered (a result, never a hang or a protocol error), answers are right,
 * no server sees more than its session limit, memory stays bounded, and every
 * socket is closed once the client leaves.
 *
 * @module
 */

import { PICTURE_RSS_ALLOWANCE, Relay, RIG_ROUTES } from "../../../tests/harness/mod.ts";
import { classify, honest } from "../answers.ts";
import { type CaseSpec, type Checker, show, sleep, waitUntil } from "../case.ts";
import { fakeEntry, flood, startFake } from "../fakes.ts";
import type { CallOutcome } from "../process.ts";
import {
  caseIn,
  expectAlive,
  FAST_LIMITS,
  loopback,
  ProcessSlot,
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

/** Peak RSS of the server process: 200 MB, and what the pictures it draws add. */
const LIMIT = 200 * 1024 * 1024 + PICTURE_RSS_ALLOWANCE;

const CATEGORY = "load";
const MAX_CONCURRENT = 2;

/** The load suite. */
export const load: Suite = { category: CATEGORY, plan };

async function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const rand = ctx.random;
  const fallback = ctx.rig ? null : startFake("frr", { answer: (l) => honest("frr", classify(l)) });
  const target = { hostname: "127.0.0.1", port: ctx.rig?.vtyPort ?? fallback!.port };
  const best = ctx.rig ? RIG_ROUTES.google.viaGoogle.asPath : [15169, 15169];
  const relays = [0, 1, 2].map(() => new Relay({ target }));
  const slow = new Relay({ target, delayMs: 150 });
  const floods = [0, 1, 2, 3].map(() =>
    startFake("frr", {
      answer: (line) => (classify(line).ask === "route" ? flood(4 * 1024 * 1024) : undefined),
    })
  );
  const config = await writeServers(`${ctx.dir}/servers.json`, {
    defaultServer: "r1",
    limits: {
      ...FAST_LIMITS,
      maxConcurrent: MAX_CONCURRENT,
      queueTimeoutMs: 60_000,
      queryTimeoutMs: 60_000,
      commandTimeoutMs: 20_000,
      loginTimeoutMs: 10_000,
    },
    quota: { connections: 1_000_000, bytesDown: 1e12, bytesUp: 1e12 },
    servers: [
      ...relays.map((r, i) =>
        fakeEntry("frr", { name: `r${i + 1}`, port: r.port, extra: { addressFamilies: ["ipv4"] } })
      ),
      fakeEntry("frr", {
        name: "slow",
        port: slow.port,
        extra: {
          addressFamilies: ["ipv4"],
          limits: { queueTimeoutMs: 1_500 },
        },
      }),
      ...floods.map((f, i) =>
        fakeEntry("frr", {
          name: `flood${i}`,
          port: f.port,
          extra: {
            addressFamilies: ["ipv4"],
            limits: { maxOutputBytes: 64 * 1024, commandTimeoutMs: 5_000 },
          },
        })
      ),
    ],
  });
  const slot = new ProcessSlot({
    config,
    allowNet: loopback(...relays.map((r) => r.port), slow.port, ...floods.map((f) => f.port)),
  });
  const names = ["r1", "r2", "r3"];

  const checkAnswers = (check: Checker, outcomes: CallOutcome[], what: string) => {
    const broken = outcomes.filter((o) => o.kind !== "result");
    check.ok(
      broken.length === 0,
      `${broken.length} of ${outcomes.length} ${what} got no tool result: ${
        show(broken[0]?.text, 160)
      }`,
    );
  };
  const withinLimits = (check: Checker) => {
    for (const [i, relay] of [...relays, slow].entries()) {
      check.ok(
        relay.maxOpen <= MAX_CONCURRENT,
        `server ${i + 1} saw ${relay.maxOpen} sessions at once (limit ${MAX_CONCURRENT})`,
      );
    }
  };
  const foundRight = (check: Checker, outcomes: CallOutcome[]) => {
    let wrong = 0;
    for (const o of outcomes) {
      const data = o.structured as {
        found?: boolean;
        paths?: { best: boolean; asPath: number[] }[];
      } | undefined;
      if (!data?.found) continue;
      const path = data.paths?.find((p) => p.best)?.asPath;
      if (JSON.stringify(path) !== JSON.stringify(best)) wrong++;
    }
    check.equal(wrong, 0, "found answers with a wrong best AS path");
  };

  const cases: CaseSpec[] = [
    caseIn(CATEGORY, {
      id: "500-concurrent-mixed-calls",
      timeoutMs: 180_000,
      run: async (check) => {
        const p = await slot.get();
        const calls = Array.from({ length: 500 }, (_, i) => {
          const server = names[i % 3];
          if (i % 25 === 0) return p.call("bgp_summary", { server }, { timeoutMs: 120_000 });
          if (i % 50 === 1) {
            return p.call("route_compare", { destination: "8.8.8.0/24", servers: names }, {
              timeoutMs: 120_000,
            });
          }
          if (i % 40 === 2) return p.call("list_servers", {}, { timeoutMs: 120_000 });
          const destination = i % 2 ? `8.8.8.${(i % 250) + 1}` : `9.9.${i % 250}.1`;
          return p.call("route_lookup", { destination, server }, { timeoutMs: 120_000 });
        });
        const outcomes = await Promise.all(calls);
        checkAnswers(check, outcomes, "calls");
        const failed = outcomes.filter((o) => o.isError);
        check.ok(
          failed.length === 0,
          `${failed.length} calls failed: ${show(failed[0]?.text, 160)}`,
        );
        check.ok(
          outcomes.filter((o) => (o.structured as { found?: boolean })?.found).length >= 200,
          "fewer than 200 lookups found 8.8.8.0/24",
        );
        foundRight(check, outcomes);
        withinLimits(check);
      },
    }),
    caseIn(CATEGORY, {
      id: "400-bad-and-100-good-calls-at-once",
      timeoutMs: 180_000,
      run: async (check) => {
        const p = await slot.get();
        const bad = [
          "10.0.0.1",
          "2002:a00:1::1",
          "8.8.8.8\u001b[2J",
          "",
          "x".repeat(10_000),
          "fe80::1%eth0",
          "192.0.2.0/24",
          "8.8.8.8/33",
        ];
        const calls = Array.from(
          { length: 500 },
          (_, i) =>
            i % 5 === 0
              ? p.call("route_lookup", {
                destination: `8.8.8.${(i % 250) + 1}`,
                server: names[i % 3],
              }, { timeoutMs: 120_000 })
              : p.call(
                rand.pick(["route_lookup", "route_compare"]),
                { destination: rand.pick(bad) },
                { timeoutMs: 120_000 },
              ),
        );
        const outcomes = await Promise.all(calls);
        checkAnswers(check, outcomes, "calls");
        const good = outcomes.filter((_, i) => i % 5 === 0);
        const refused = outcomes.filter((_, i) => i % 5 !== 0);
        check.equal(
          good.filter((o) => o.isError).length,
          0,
          "good calls that failed among bad ones",
        );
        check.equal(refused.filter((o) => !o.isError).length, 0, "bad calls that were answered");
        foundRight(check, good);
        withinLimits(check);
      },
    }),
    caseIn(CATEGORY, {
      id: "200-calls-to-a-slow-server-with-a-short-queue",
      timeoutMs: 180_000,
      run: async (check) => {
        const p = await slot.get();
        const outcomes = await Promise.all(
          Array.from(
            { length: 200 },
            (_, i) =>
              p.call("route_lookup", { destination: `8.8.8.${(i % 250) + 1}`, server: "slow" }, {
                timeoutMs: 120_000,
              }),
          ),
        );
        checkAnswers(check, outcomes, "calls");
        const unclear = outcomes.filter((o) => o.isError && !/busy|waited/i.test(o.text));
        check.equal(
          unclear.length,
          0,
          `failures other than a clear "busy": ${show(unclear[0]?.text, 160)}`,
        );
        check.ok(outcomes.some((o) => !o.isError), "no call got through");
        foundRight(check, outcomes);
        withinLimits(check);
      },
    }),
    caseIn(CATEGORY, {
      id: "150-calls-cancelled-at-random-times",
      timeoutMs: 120_000,
      run: async (check) => {
        const p = await slot.get();
        const outcomes = await Promise.all(Array.from({ length: 150 }, async (_, i) => {
          const controller = new AbortController();
          const call = p.call("route_lookup", { destination: `9.8.${i}.1`, server: names[i % 3] }, {
            signal: controller.signal,
            timeoutMs: 60_000,
          });
          await sleep(rand.int(0, 300));
          controller.abort();
          return call;
        }));
        check.ok(outcomes.every((o) => o.ms < 5_000), "a cancelled call took more than 5 s to end");
        await expectAlive(check, p, "after the cancellations");
        const settled = await waitUntil(() => relays.every((r) => r.open <= MAX_CONCURRENT), 5_000);
        check.ok(
          settled,
          `sessions left open after the cancellations: ${relays.map((r) => r.open).join(", ")}`,
        );
        withinLimits(check);
      },
    }),
    caseIn(CATEGORY, {
      id: "100-concurrent-route_compare-all",
      timeoutMs: 180_000,
      run: async (check) => {
        const p = await slot.get();
        const outcomes = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            p.call("route_compare", {
              destination: i % 2 ? "8.8.8.0/24" : `9.7.${i}.0/24`,
              servers: names,
            }, { timeoutMs: 120_000 })),
        );
        checkAnswers(check, outcomes, "calls");
        check.equal(outcomes.filter((o) => o.isError).length, 0, "route_compare calls that failed");
        const seen = outcomes.filter((o, i) =>
          i % 2 &&
          (o.structured as { consensus?: { seenBy: string[] } })?.consensus?.seenBy.length === 3
        );
        check.equal(seen.length, 50, "route_compare calls where all three servers saw 8.8.8.0/24");
        withinLimits(check);
      },
    }),
    caseIn(CATEGORY, {
      id: "200-concurrent-floods-stay-bounded",
      timeoutMs: 180_000,
      run: async (check) => {
        const p = await slot.get();
        const outcomes = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            p.call(
              "route_lookup",
              { destination: `8.8.8.${(i % 250) + 1}`, server: `flood${i % 4}` },
              { timeoutMs: 120_000 },
            )),
        );
        checkAnswers(check, outcomes, "calls");
        const unclear = outcomes.filter((o) => !o.isError || !/cap|exceeded|busy/i.test(o.text));
        check.equal(
          unclear.length,
          0,
          `floods not refused clearly: ${show(unclear[0]?.text, 160)}`,
        );
      },
    }),
  ];
  const after: CaseSpec[] = [
    caseIn(CATEGORY, {
      id: "after/memory-bounded",
      timeoutMs: 10_000,
      run: async (check) => {
        const rss = await (await slot.get()).peakRss();
        check.ok(
          rss < LIMIT,
          `peak RSS ${(rss / 1024 / 1024).toFixed(0)} MB under load (limit ${
            LIMIT / 1024 / 1024
          } MB)`,
        );
      },
    }),
    caseIn(CATEGORY, {
      id: "after/every-socket-closed-when-the-client-leaves",
      timeoutMs: 30_000,
      run: async (check) => {
        const p = await slot.get();
        check.ok(await p.close(8_000), "the process did not exit within 8 s of stdin closing");
        const closed = await waitUntil(() => [...relays, slow].every((r) => r.open === 0), 5_000);
        check.ok(closed, `sessions still open: ${[...relays, slow].map((r) => r.open).join(", ")}`);
      },
    }),
  ];
  return {
    cases,
    after,
    concurrency: 1,
    async teardown() {
      await slot.close();
      await Promise.all(
        [...relays, slow, ...floods, ...(fallback ? [fallback] : [])].map((c) => c.close()),
      );
    },
  };
}
