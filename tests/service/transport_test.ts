/**
 * The session pool and the query engine depend on the `Session` interface
 * (src/session.ts), not on telnet: a transport that is not telnet — here a
 * scripted one that answers from captured output, the way an HTTP looking
 * glass would — plugs into `openLookingGlass` and carries whole queries, with
 * sessions reused, every byte booked through its meter, and a connection that
 * was never made given back to the budget.
 */

import assert from "node:assert/strict";
import type { BgpPath } from "../../src/bgp/types.ts";
import { parseConfig } from "../../src/config/schema.ts";
import { TelnetError } from "../../src/errors.ts";
import type { ByteMeter } from "../../src/politeness/budget.ts";
import type { CommandOptions, OpenSession, PartialAnswer, Session } from "../../src/session.ts";
import { fetchSummary } from "../../src/service/bgp_summary.ts";
import { openLookingGlass } from "../../src/service/looking_glass.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import { fixture, loopbackEntry } from "../harness/mod.ts";

/** A session that answers from a table, reading and writing through its meter like a real one. */
class ScriptedSession implements Session {
  closed = false;
  answerStarted = false;
  bytesReceived = 0;
  readonly sent: string[] = [];
  readonly #answers: Record<string, string>;
  readonly #meter: ByteMeter;

  constructor(answers: Record<string, string>, meter: ByteMeter) {
    this.#answers = answers;
    this.#meter = meter;
  }

  async command(line: string, options: CommandOptions): Promise<string> {
    return (await this.commandUpTo(line, options)).output;
  }

  async commandUpTo(line: string, options: CommandOptions): Promise<PartialAnswer> {
    if (this.closed) throw new TelnetError("scripted", "closed", "The session is closed");
    await this.#meter.sending(line.length + 2);
    this.sent.push(line);
    const answer = new TextEncoder().encode(this.#answers[line] ?? `% Unknown command: ${line}`);
    this.answerStarted = true;
    let read = 0;
    while (read < answer.length) {
      const room = await this.#meter.allowDown(Math.min(16 * 1024, answer.length - read));
      this.#meter.received(room);
      read += room;
      this.bytesReceived += room;
      if (read > options.maxBytes) throw new Error("read past the cap");
    }
    this.#meter.settle();
    return { output: new TextDecoder().decode(answer), complete: true };
  }

  async typeAhead(line: string): Promise<void> {
    await this.#meter.sending(line.length + 2);
    this.sent.push(line);
  }

  async quit(): Promise<void> {
    await Promise.resolve();
    this.close();
  }

  close(): void {
    this.closed = true;
  }

  get gone(): Promise<void> {
    return Promise.resolve();
  }
}

const ANSWERS = {
  "show bgp ipv4 unicast 8.8.8.8": fixture("frr-rig/route_8.8.8.8.txt"),
  "show bgp ipv4 unicast summary": fixture("frr-rig/summary_ipv4.txt"),
};

function config() {
  return parseConfig(
    { defaultServer: "rs", servers: [loopbackEntry("rs", 2605)] },
    "scripted transport",
  );
}

Deno.test("a transport that is not telnet carries whole queries through the pool and the engine", async () => {
  const sessions: ScriptedSession[] = [];
  const openSession: OpenSession = async (_server, { meter }) => {
    await Promise.resolve();
    const session = new ScriptedSession(ANSWERS, meter);
    sessions.push(session);
    return session;
  };
  await using lg = await openLookingGlass(config(), { ledgerPath: null, openSession });
  const [server] = lg.config.servers;

  const route = await lookupRoute(lg, { destination: "8.8.8.8" });
  assert.equal(route.prefix, "8.8.8.0/24");
  const best = route.paths.find((p: BgpPath) => p.best)!;
  assert.deepEqual(best.asPath, [15169, 15169]);
  assert.equal(best.nextHop, "198.51.100.2");
  const summary = await fetchSummary(lg, {});
  assert.equal(summary.totals.neighbors, 3);

  // One session for both queries, set up once (paging off), each query in its dialect's words.
  assert.equal(sessions.length, 1);
  assert.deepEqual(sessions[0].sent, [
    "terminal length 0",
    "show bgp ipv4 unicast 8.8.8.8",
    "show bgp ipv4 unicast summary",
  ]);
  // The ledger knows the connection and every byte, through the transport's meter.
  const { used } = lg.budget(server);
  assert.equal(used.connections, 1);
  assert.equal(used.bytesDown, sessions[0].bytesReceived);
  const up = sessions[0].sent.reduce((sum, line) => sum + line.length + 2, 0);
  assert.equal(used.bytesUp, up);
});

Deno.test("a transport that could not connect gives the booked connection back", async () => {
  const openSession: OpenSession = () =>
    Promise.reject(new TelnetError("rs", "connect", "Could not connect to rs: refused"));
  await using lg = await openLookingGlass(config(), { ledgerPath: null, openSession });
  await assert.rejects(lookupRoute(lg, { destination: "8.8.8.8" }), /Could not connect to rs/);
  assert.equal(lg.budget(lg.config.servers[0]).used.connections, 0);
});
