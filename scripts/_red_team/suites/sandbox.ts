/**
 * The sandbox: the process reaches nothing outside its `--allow-net` — not
 * another port on the same host, not another loopback address, not the same
 * port by another name — through any tool; it answers with the permission
 * named and books no connection; it never prompts (even without
 * `--no-prompt`); without `--allow-write` it writes no state file; and every
 * server process of the whole run wrote nothing on stdout but JSON-RPC.
 *
 * @module
 */

import { classify, honest } from "../answers.ts";
import { type CaseOutcome, type CaseSpec, type Checker, show } from "../case.ts";
import { fakeEntry, startFake } from "../fakes.ts";
import type { ServerProcess } from "../process.ts";
import {
  budgetOf,
  caseIn,
  expectAlive,
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

const CATEGORY = "sandbox";

/** The sandbox suite. */
export const sandbox: Suite = { category: CATEGORY, plan };

/** A listener on any loopback address that only counts the connections it accepts. */
class CountingListener {
  readonly port: number;
  connections = 0;
  readonly #listener: Deno.TcpListener;
  readonly #accepting: Promise<void>;

  constructor(hostname: string) {
    const listener = Deno.listen({ hostname, port: 0 });
    this.#listener = listener;
    this.port = listener.addr.port;
    this.#accepting = (async () => {
      for await (const conn of listener) {
        this.connections++;
        conn.close();
      }
    })().catch(() => {});
  }

  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // closed
    }
    await this.#accepting;
  }
}

async function plan(ctx: SuiteContext): Promise<SuitePlan> {
  const honestAnswer = { answer: (l: string) => honest("frr", classify(l)) };
  const inside = startFake("frr", honestAnswer);
  // Listening, but not in --allow-net: another port on 127.0.0.1, and another loopback address.
  const otherPort = startFake("frr", honestAnswer);
  const otherAddress = new CountingListener("127.0.0.2");
  const config = await writeServers(`${ctx.dir}/servers.json`, {
    defaultServer: "inside",
    limits: FAST_LIMITS,
    servers: [
      fakeEntry("frr", { name: "inside", port: inside.port }),
      fakeEntry("frr", { name: "other-port", port: otherPort.port }),
      fakeEntry("frr", {
        name: "other-address",
        port: otherAddress.port,
        extra: { host: "127.0.0.2" },
      }),
      fakeEntry("frr", { name: "other-name", port: inside.port, extra: { host: "localhost" } }),
    ],
  });
  const allowNet = loopback(inside.port);
  const slot = new ProcessSlot({ config, allowNet });
  const outsideConnections = () => otherPort.connections + otherAddress.connections;
  const insideBefore = { connections: 0 };

  const refusedByPermission = (check: Checker, text: string, what: string) =>
    check.ok(
      /not allowed|allow-net|permission/i.test(text),
      `${what}: the permission is not named: ${show(text, 200)}`,
    );

  const cases: CaseSpec[] = [];
  for (const outside of ["other-port", "other-address", "other-name"]) {
    for (
      const [tool, args] of [
        ["route_lookup", { destination: "8.8.8.8", server: outside }],
        ["bgp_summary", { server: outside }],
      ] as const
    ) {
      cases.push(
        caseIn(CATEGORY, {
          id: `outside-allow-net/${outside}/${tool}`,
          timeoutMs: 30_000,
          run: async (check) => {
            const p = await slot.get();
            const before = outsideConnections();
            insideBefore.connections = inside.connections;
            const outcome = await p.call(tool, args);
            if (
              expectResult(check, outcome, tool) &&
              check.ok(outcome.isError, `answered: ${show(outcome.text, 120)}`)
            ) {
              refusedByPermission(check, outcome.text, tool);
            }
            check.equal(
              outsideConnections() - before,
              0,
              "connections that reached a server outside --allow-net",
            );
            if (outside === "other-name") {
              check.equal(
                inside.connections - insideBefore.connections,
                0,
                "connections through another name for the allowed port",
              );
            }
            const budget = await budgetOf(p, outside);
            check.equal(
              budget?.used.connections,
              0,
              "connections booked for a server it may not reach",
            );
            await expectAlive(check, p, tool);
          },
        }),
      );
    }
  }
  cases.push(
    caseIn(CATEGORY, {
      id: "outside-allow-net/route_compare-all",
      timeoutMs: 30_000,
      run: async (check) => {
        const p = await slot.get();
        const before = outsideConnections();
        const outcome = await p.call("route_compare", { destination: "8.8.8.8", servers: "all" });
        if (
          expectResult(check, outcome, "route_compare") &&
          check.ok(!outcome.isError, show(outcome.text, 160))
        ) {
          const failed =
            (outcome.structured as { consensus: { failed: string[] } }).consensus.failed;
          check.equal(
            JSON.stringify([...failed].sort()),
            JSON.stringify(["other-address", "other-name", "other-port"]),
            "servers that failed",
          );
          refusedByPermission(check, outcome.text, "route_compare");
        }
        check.equal(
          outsideConnections() - before,
          0,
          "connections that reached a server outside --allow-net",
        );
      },
    }),
  );
  cases.push(
    caseIn(CATEGORY, {
      id: "outside-allow-net/list_servers-probe",
      timeoutMs: 30_000,
      run: async (check) => {
        const p = await slot.get();
        const before = outsideConnections();
        const outcome = await p.call("list_servers", { probe: true });
        if (expectResult(check, outcome, "list_servers")) {
          const probes = (outcome.structured as {
            servers: { name: string; probe?: { reachable: boolean; error?: string } }[];
          }).servers;
          for (
            const s of probes.filter((s) => s.name !== "inside")
          ) {
            check.ok(s.probe?.reachable === false, `${s.name} probed as reachable`);
            refusedByPermission(check, s.probe?.error ?? "", `${s.name} probe`);
          }
        }
        check.equal(
          outsideConnections() - before,
          0,
          "connections that reached a server outside --allow-net",
        );
      },
    }),
  );

  // Never a prompt, even without --no-prompt (stdin is the MCP channel, not a terminal).
  cases.push(
    caseIn(CATEGORY, {
      id: "no-prompt-without---no-prompt",
      timeoutMs: 30_000,
      run: async (check) => {
        const p = await startServer({ config, allowNet, withoutNoPrompt: true });
        try {
          const outcome = await p.call(
            "route_lookup",
            { destination: "8.8.8.8", server: "other-port" },
            { timeoutMs: 10_000 },
          );
          if (expectResult(check, outcome, "route_lookup")) {
            refusedByPermission(check, outcome.text, "route_lookup");
          }
          await expectAlive(check, p, "route_lookup");
        } finally {
          await p.close();
        }
        check.ok(
          !/Deno requests|Allow\?|\[y\/n/i.test(p.stderr()),
          `a permission prompt on stderr: ${show(p.stderr().slice(0, 200))}`,
        );
      },
    }),
  );

  // Without --allow-write nothing is written, and nothing is asked: the ledger cannot be used.
  cases.push(
    caseIn(CATEGORY, {
      id: "no-write-without---allow-write",
      timeoutMs: 30_000,
      run: async (check) => {
        const state = `${ctx.dir}/no-write`;
        await Deno.mkdir(state);
        const p = await startServer({
          config,
          allowNet,
          ledger: `${state}/ledger.json`,
          allowRead: [state],
        });
        const result = await p.call("route_lookup", { destination: "8.8.8.8" });
        await p.close();
        const written = [...Deno.readDirSync(state)].map((e) => e.name);
        check.equal(
          written.length,
          0,
          `files written without --allow-write (${written.join(", ")})`,
        );
        check.ok(
          /quota ledger .* cannot be used/.test(p.stderr()),
          "it did not say the ledger cannot be used",
        );
        check.ok(
          result.isError === true && /cannot be used/.test(result.text),
          `the lookup was not refused for the ledger: ${result.text}`,
        );
      },
    }),
  );

  return {
    cases,
    concurrency: 1,
    async teardown() {
      await slot.close();
      await Promise.all([inside.close(), otherPort.close(), otherAddress.close()]);
    },
  };
}

/** One case over every server process the run started: stdout carried nothing but JSON-RPC. */
export function stdoutVerdict(processes: readonly ServerProcess[]): Promise<CaseOutcome> {
  const why: string[] = [];
  let lines = 0;
  for (const p of processes) {
    const report = p.stdoutReport();
    lines += report.lines;
    for (const line of report.problems) {
      why.push(`process ${p.pid} wrote a non-JSON-RPC line on stdout: ${show(line, 120)}`);
    }
  }
  return Promise.resolve({
    id: `${CATEGORY}/stdout-only-json-rpc`,
    category: CATEGORY,
    status: why.length === 0 && processes.length > 0 ? "held" : "failed",
    why: processes.length === 0 ? ["no server process was started"] : why.length > 0
      ? [
        `${why.length} bad lines in ${lines} lines from ${processes.length} processes`,
        ...why.slice(0, 10),
      ]
      : [],
    ms: 0,
  });
}
