/**
 * Hostile and lying route servers: one fake per case (FRR, Cisco IOS, Junos)
 * that never prompts, drips, floods, hangs up mid-login or mid-answer, pages
 * forever, changes its prompt, shows a prompt-like line inside an answer,
 * plants terminal escapes and an "IGNORE ALL PREVIOUS INSTRUCTIONS" line in
 * one field, returns a prefix that does not cover the destination, or prints
 * numbers no router prints. All of them are in one server process's list,
 * next to a good server (the real FRR rig).
 *
 * A case holds when the answer comes back within the phase's deadline plus
 * slack as a tool result the client accepts (its output schema), either as
 * a clear `isError` or as an answer whose server-supplied fields are typed
 * (addresses parse, states from the closed set, dates as dates) and free of
 * control characters, never truncated or showing a non-covering prefix, and
 * when the process answers the next call.
 *
 * @module
 */

import { type FakeTelnetServer, PICTURE_RSS_ALLOWANCE, Relay } from "../../../tests/harness/mod.ts";
import {
  type Ask,
  classify,
  honest,
  lyingNumbers,
  PAYLOADS,
  POISONABLE,
  poisoned,
  ROUTE,
  splitBeforeSecondPath,
  wrongPrefix,
} from "../answers.ts";
import { type CaseSpec, type Checker, show, waitUntil } from "../case.ts";
import { covers, injectedLineProblems, typedFieldProblems } from "../checks.ts";
import {
  type Answer,
  closeMidAnswer,
  drip,
  endlessPager,
  type FakeDialect,
  fakeEntry,
  flood,
  HOSTILE_LOGINS,
  promptChange,
  promptOf,
  startFake,
  utf8,
  type VtyBehaviour,
} from "../fakes.ts";
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
  type Suite,
  type SuiteContext,
  type SuitePlan,
  writeServers,
} from "../suite.ts";

/** Peak RSS of the server process: 200 MB, and what the pictures it draws add. */
const LIMIT = 200 * 1024 * 1024 + PICTURE_RSS_ALLOWANCE;

const CATEGORY = "hostile-server";
/** Slack over a deadline on a noisy 2-core machine. */
const SLACK_MS = 2_500;

/** The hostile-server suite. */
export const hostileServer: Suite = { category: CATEGORY, plan };

/** One planned hostile server and the case that attacks through it. */
interface Planned {
  id: string;
  dialect: FakeDialect;
  behaviour: VtyBehaviour;
  /** The tool call that meets it. */
  tool: string;
  args: (name: string) => Record<string, unknown>;
  /** Deadline the answer must meet (before slack). */
  deadlineMs: number;
  /** What makes the outcome held, beyond the invariants every case checks. */
  verdict: (check: Checker, outcome: CallOutcome) => void;
}

/** A refusal whose message matches. */
function refusedWith(names: RegExp) {
  return (check: Checker, outcome: CallOutcome) => {
    if (check.ok(outcome.isError, `accepted: ${show(outcome.text, 200)}`)) {
      check.match(outcome.text, names, "the message");
    }
  };
}

/** A hostile server's answer for one ask and form (other commands: "unknown command"). */
function only(
  { ask, json }: { ask: Ask; json: boolean | null },
  answer: Answer,
): VtyBehaviour {
  return {
    answer: (line) => {
      const c = classify(line);
      if (c.ask !== ask || (json !== null && c.json !== json)) return undefined;
      return answer;
    },
  };
}

function routeArgs(destination = "8.8.8.8", extra: Record<string, unknown> = {}) {
  return (name: string) => ({ destination, server: name, ...extra });
}

function summaryArgs(name: string) {
  return { server: name };
}

async function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const rand = ctx.random;
  const planned: Planned[] = [];
  const forms: [FakeDialect, boolean][] = [["frr", true], ["frr", false], ["cisco-ios", false], [
    "junos",
    false,
  ]];
  const formName = (
    d: FakeDialect,
    json: boolean,
  ) => (d === "frr" ? (json ? "frr-json" : "frr-text") : d);

  // A. Hostile logins, for every dialect's login expectations, through a random tool.
  const loginNames: Record<string, RegExp> = {
    "silent": /prompt|within/,
    "drip-banner": /prompt|within/,
    "iac-flood": /prompt|KiB|router CLI/,
    "sb-without-se": /prompt|KiB|router CLI/,
    "close-mid-login": /closed|lost/,
    "close-at-once": /closed|lost/,
    "binary-noise": /prompt|KiB|router CLI/,
    "username-loop": /login|username|prompt/,
    "password-question": /password|login|prompt/,
  };
  for (const [name, login] of Object.entries(HOSTILE_LOGINS)) {
    for (const dialect of ["frr", "cisco-ios", "junos"] as FakeDialect[]) {
      const tool = rand.pick(
        dialect === "cisco-ios"
          ? ["route_lookup", "bgp_summary", "ping"]
          : ["route_lookup", "bgp_summary"],
      );
      planned.push({
        id: `login/${name}/${dialect}/${tool}`,
        dialect,
        behaviour: { login, answer: () => undefined },
        tool,
        args: tool === "bgp_summary"
          ? summaryArgs
          : tool === "ping"
          ? routeArgs("8.8.8.8", { count: 1, timeoutSeconds: 1 })
          : routeArgs(),
        deadlineMs: FAST_LIMITS.loginTimeoutMs,
        verdict: refusedWith(loginNames[name]),
      });
    }
    // route_compare: the hostile server fails alone; the good one still answers.
    planned.push({
      id: `login/${name}/route_compare`,
      dialect: "frr",
      behaviour: { login, answer: () => undefined },
      tool: "route_compare",
      args: (n) => ({ destination: "8.8.8.8", servers: ["good", n] }),
      deadlineMs: FAST_LIMITS.loginTimeoutMs,
      verdict: compareVerdict,
    });
  }

  // B. Hostile answers, per dialect and form.
  for (const [dialect, json] of forms) {
    const form = formName(dialect, json);
    for (const ask of ["route", "summary"] as const) {
      const text = honest(dialect, { ask, json })!;
      const args = ask === "route" ? routeArgs() : summaryArgs;
      const tool = ask === "route" ? "route_lookup" : "bgp_summary";
      const cmd = FAST_LIMITS.commandTimeoutMs;
      planned.push(
        {
          id: `answer/drip/${form}/${ask}`,
          dialect,
          behaviour: only({ ask, json }, drip(dialect, { text, ms: 25 })),
          tool,
          args,
          deadlineMs: cmd,
          verdict: refusedWith(/did not finish|within/),
        },
        {
          id: `answer/flood/${form}/${ask}`,
          dialect,
          behaviour: only({ ask, json }, flood(4 * 1024 * 1024)),
          tool,
          args,
          deadlineMs: cmd,
          verdict: refusedWith(/cap|exceeded|KiB/),
        },
        {
          id: `answer/endless-pager/${form}/${ask}`,
          dialect,
          behaviour: only({ ask, json }, endlessPager()),
          tool,
          args,
          deadlineMs: cmd,
          verdict: refusedWith(/cap|exceeded|paged|did not finish/),
        },
        {
          id: `answer/close-mid-answer/${form}/${ask}`,
          dialect,
          behaviour: only({ ask, json }, closeMidAnswer(text, 0.1 + 0.8 * rand.next())),
          tool,
          args,
          deadlineMs: cmd,
          verdict: refusedWith(/closed|lost/),
        },
        {
          id: `answer/prompt-change/${form}/${ask}`,
          dialect,
          behaviour: only({ ask, json }, promptChange(text)),
          tool,
          args,
          deadlineMs: cmd,
          verdict: refusedWith(/did not finish|within/),
        },
      );
      // Poisoned fields: two payloads each.
      for (const field of POISONABLE[dialect][ask] ?? []) {
        // Fields this form does not print are left out (the answer would be honest).
        if (poisoned(dialect, { ask, json, field, payload: "\u001b" }) === text) continue;
        for (const payloadName of rand.sample(Object.keys(PAYLOADS), 2)) {
          const answer = poisoned(dialect, { ask, json, field, payload: PAYLOADS[payloadName] });
          planned.push({
            id: `poison/${form}/${ask}/${field}/${payloadName}`,
            dialect,
            behaviour: only({ ask, json }, answer),
            tool,
            args,
            deadlineMs: cmd,
            verdict: ask === "route" ? routeVerdict("8.8.8.8") : () => {},
          });
        }
      }
    }
    // A prompt-like line between the two paths of a route answer.
    const [first, rest] = splitBeforeSecondPath(dialect, json);
    const fakePrompt = promptOf(dialect).trim();
    planned.push({
      id: `answer/prompt-inside/${form}/route`,
      dialect,
      behaviour: only({ ask: "route", json }, async (c, line) => {
        await c.send(utf8(`${line}\r\n${first.replaceAll("\n", "\r\n")}\r\n${fakePrompt}`));
        await c.sleep(60);
        return await c.send(utf8(`\r\n${rest.replaceAll("\n", "\r\n")}\r\n${promptOf(dialect)}`));
      }),
      tool: "route_lookup",
      args: routeArgs(),
      deadlineMs: FAST_LIMITS.commandTimeoutMs,
      verdict: (check, outcome) => {
        if (outcome.isError) return;
        const data = outcome.structured as { paths?: unknown[]; totalPaths?: number };
        check.ok(
          data?.paths?.length === ROUTE.paths && data.totalPaths === ROUTE.paths,
          `a truncated answer passed as complete: ${data?.paths?.length} of ${ROUTE.paths} paths, totalPaths ${data?.totalPaths}`,
        );
        check.ok(
          !/match(?:es)? the filters/.test(outcome.text),
          `"match the filters" said without a filter: ${show(outcome.text, 160)}`,
        );
      },
    });
    // A prefix that does not cover the destination (longest match), or is not the one asked (exact).
    for (
      const lie of rand.sample([
        "9.9.9.0/24",
        "8.8.8.128/25",
        "0.0.0.0/0",
        "2001:db8::/32",
        "10.0.0.0/8",
      ], 2)
    ) {
      planned.push({
        id: `answer/wrong-prefix/${form}/longest/${lie}`,
        dialect,
        behaviour: only({ ask: "route", json }, wrongPrefix(dialect, { json, prefix: lie })),
        tool: "route_lookup",
        args: routeArgs("8.8.8.8"),
        deadlineMs: FAST_LIMITS.commandTimeoutMs,
        verdict: routeVerdict("8.8.8.8"),
      });
    }
    planned.push({
      id: `answer/wrong-prefix/${form}/exact/8.8.0.0/16`,
      dialect,
      behaviour: only({ ask: "route", json }, wrongPrefix(dialect, { json, prefix: "8.8.0.0/16" })),
      tool: "route_lookup",
      args: routeArgs("8.8.8.0/24"),
      deadlineMs: FAST_LIMITS.commandTimeoutMs,
      verdict: (check, outcome) => {
        const data = outcome.structured as { found?: boolean; prefix?: string | null };
        if (outcome.isError || !data?.found) return;
        check.equal(data.prefix, "8.8.8.0/24", "exact match answered with another prefix");
      },
    });
  }

  // C. Numbers no router prints (FRR json).
  for (const ask of ["route", "summary"] as const) {
    for (let variant = 0; variant < 6; variant++) {
      planned.push({
        id: `answer/lying-numbers/frr-json/${ask}/${variant}`,
        dialect: "frr",
        behaviour: only({ ask, json: true }, lyingNumbers(ask, variant)),
        tool: ask === "route" ? "route_lookup" : "bgp_summary",
        args: ask === "route" ? routeArgs() : summaryArgs,
        deadlineMs: FAST_LIMITS.commandTimeoutMs,
        verdict: (check, outcome) => {
          check.ok(
            !/\bNaN\b|Infinity|e\+\d{2,}/.test(outcome.text),
            `nonsense number in the text: ${show(outcome.text, 200)}`,
          );
        },
      });
    }
  }

  // D. Noise around an honest answer (NUL, ANSI colour, invalid UTF-8 in a line nobody reads).
  const quiet: Record<string, string> = {
    "frr-json": '"hostname":"vm"',
    "frr-text": "Not advertised to any peer",
    "cisco-ios": "Not advertised to any peer",
    "junos": "Announcement bits",
  };
  for (const [dialect, json] of forms) {
    const form = formName(dialect, json);
    const text = honest(dialect, { ask: "route", json })!.replaceAll("\n", "\r\n\0");
    const at = text.indexOf(quiet[form]) + 4;
    const noisy = new Uint8Array([
      ...utf8("\x1b[1m"),
      ...utf8(text.slice(0, at)),
      0xc3,
      0x28,
      ...utf8(text.slice(at)),
      ...utf8("\x1b[0m\r\n"),
    ]);
    const best = dialect === "junos" ? [64500, 64511, 64511] : ROUTE.bestAsPath;
    planned.push({
      id: `answer/noise/${form}/route`,
      dialect,
      behaviour: only({ ask: "route", json }, async (c, line) => {
        await c.send(`${line}\r\n`);
        await c.send(noisy);
        return await c.send(promptOf(dialect));
      }),
      tool: "route_lookup",
      args: routeArgs(),
      deadlineMs: FAST_LIMITS.commandTimeoutMs,
      verdict: (check, outcome) => {
        if (
          !check.ok(
            !outcome.isError,
            `an honest answer with noise was refused: ${show(outcome.text, 200)}`,
          )
        ) return;
        const paths =
          (outcome.structured as { paths?: { best: boolean; asPath: number[] }[] })?.paths ?? [];
        check.equal(
          JSON.stringify(paths.find((p) => p.best)?.asPath),
          JSON.stringify(best),
          "best AS path",
        );
      },
    });
  }

  // E. ping and traceroute from a lying or hostile IOS server.
  for (const [tool, ask] of [["ping", "ping"], ["traceroute", "traceroute"]] as const) {
    const text = honest("cisco-ios", { ask, json: false })!;
    const args = routeArgs(
      "8.8.8.8",
      tool === "ping" ? { count: 1, timeoutSeconds: 1 } : { maxHops: 2, timeoutSeconds: 1 },
    );
    const runFor = tool === "ping" ? 11_000 : 280_000;
    planned.push(
      {
        id: `answer/flood/cisco-ios/${tool}`,
        dialect: "cisco-ios",
        behaviour: only({ ask, json: null }, flood(4 * 1024 * 1024)),
        tool,
        args,
        deadlineMs: FAST_LIMITS.commandTimeoutMs,
        verdict: refusedWith(/cap|exceeded|KiB/),
      },
      {
        id: `answer/close-mid-answer/cisco-ios/${tool}`,
        dialect: "cisco-ios",
        behaviour: only({ ask, json: null }, closeMidAnswer(text, 0.5)),
        tool,
        args,
        deadlineMs: FAST_LIMITS.commandTimeoutMs,
        verdict: refusedWith(/closed|lost/),
      },
    );
    void runFor;
  }

  // The fakes, the config and one server process for all of them.
  const good = ctx.rig
    ? new Relay({ target: { hostname: "127.0.0.1", port: ctx.rig.vtyPort } })
    : startFake("frr", {
      answer: (line) => honest("frr", classify(line)),
    });
  const fakes: FakeTelnetServer[] = planned.map((p) => startFake(p.dialect, p.behaviour));
  const names = planned.map((_, i) => `h${i}`);
  const config = await writeServers(`${ctx.dir}/servers.json`, {
    defaultServer: "good",
    limits: FAST_LIMITS,
    quota: BIG_QUOTA,
    servers: [
      fakeEntry("frr", {
        name: "good",
        port: good.port,
        extra: {
          limits: { commandTimeoutMs: 10_000, queryTimeoutMs: 20_000 },
        },
      }),
      ...planned.map((p, i) => fakeEntry(p.dialect, { name: names[i], port: fakes[i].port })),
    ],
  });
  const slot = new ProcessSlot({
    config,
    allowNet: loopback(good.port, ...fakes.map((f) => f.port)),
  });

  const cases: CaseSpec[] = planned.map((p, i) =>
    caseIn(CATEGORY, {
      id: p.id,
      timeoutMs: p.deadlineMs + 25_000,
      run: async (check) => {
        const process = await slot.get();
        const outcome = await process.call(p.tool, p.args(names[i]), { timeoutMs: 20_000 });
        const bound = (p.tool === "ping" || p.tool === "traceroute") && !p.id.startsWith("login/")
          ? p.deadlineMs + 12_000
          : p.deadlineMs + SLACK_MS;
        check.ok(
          outcome.ms <= bound,
          `answered after ${outcome.ms} ms (deadline ${p.deadlineMs} ms + slack)`,
        );
        if (expectResult(check, outcome, p.tool)) {
          expectClean(check, outcome, p.tool);
          check.all(typedFieldProblems(outcome.structured));
          check.all(injectedLineProblems(outcome.text, `${p.tool} text`));
          p.verdict(check, outcome);
        }
        await expectAlive(check, process, p.tool);
      },
    })
  );

  const after: CaseSpec[] = [
    caseIn(CATEGORY, {
      id: "after/memory-bounded",
      timeoutMs: 10_000,
      run: async (check) => {
        const process = await slot.get();
        const rss = await process.peakRss();
        check.ok(
          rss < LIMIT,
          `peak RSS ${(rss / 1024 / 1024).toFixed(0)} MB over the suite (limit ${
            LIMIT / 1024 / 1024
          } MB)`,
        );
      },
    }),
    caseIn(CATEGORY, {
      id: "after/ledger-counts-every-connection",
      timeoutMs: 20_000,
      run: async (check) => {
        const process = await slot.get();
        const wrong: string[] = [];
        for (const [i, fake] of fakes.entries()) {
          const budget = await budgetOf(process, names[i]);
          if (budget && budget.used.connections !== fake.connections) {
            wrong.push(
              `${planned[i].id}: server saw ${fake.connections}, ledger ${budget.used.connections}`,
            );
          }
        }
        check.ok(
          wrong.length === 0,
          `the ledger missed connections on ${wrong.length} servers: ${
            wrong.slice(0, 3).join("; ")
          }`,
        );
      },
    }),
    caseIn(CATEGORY, {
      id: "after/no-socket-left-open",
      timeoutMs: 20_000,
      run: async (check) => {
        const process = await slot.get();
        const exited = await process.close(8_000);
        check.ok(exited, "the process did not exit within 8 s of stdin closing");
        const closed = await waitUntil(() => fakes.every((f) => f.open === 0), 5_000);
        const open = fakes.map((f, i) => [planned[i].id, f.open] as const).filter(([, n]) => n > 0);
        check.ok(
          closed,
          `sockets still open at ${open.length} servers after the exit: ${
            open.slice(0, 3).map(([id]) => id).join(", ")
          }`,
        );
      },
    }),
  ];

  return {
    cases,
    concurrency: 6,
    after,
    async teardown() {
      await slot.close();
      await Promise.all([good.close(), ...fakes.map((f) => f.close())]);
    },
  };
}

/** A route answer holds when it is refused, or found with a prefix covering the destination. */
function routeVerdict(destination: string) {
  return (check: Checker, outcome: CallOutcome) => {
    const data = outcome.structured as {
      found?: boolean;
      prefix?: string | null;
      paths?: { prefix?: string }[];
    };
    if (outcome.isError || !data?.found) return;
    check.ok(
      typeof data.prefix === "string" && covers(data.prefix, destination),
      `shown prefix ${show(data.prefix)} does not cover ${destination}`,
    );
  };
}

/** route_compare with one hostile server: no error overall, the hostile one failed, the good one answered. */
function compareVerdict(check: Checker, outcome: CallOutcome): void {
  if (!check.ok(!outcome.isError, `route_compare failed as a whole: ${show(outcome.text, 200)}`)) {
    return;
  }
  const data = outcome.structured as {
    results?: { server: string; found: boolean; error?: string }[];
    consensus?: { failed: string[] };
  };
  const good = data?.results?.find((r) => r.server === "good");
  check.ok(
    good !== undefined && good.error === undefined,
    `the good server did not answer: ${show(good)}`,
  );
  check.ok(
    (data?.consensus?.failed ?? []).some((s) => s !== "good"),
    "the hostile server is not listed as failed",
  );
}
