/**
 * `maxConcurrent` is about what the server sees: a server counts a connection
 * until it has noticed our end of it and closed its own, which a busy server
 * does late. So a connection's permit is given back only once the server has
 * closed the connection (bounded), never as soon as our socket closes — for a
 * cancelled query, a query that timed out, a login cancelled half way and a
 * probe. The relay in front of the server here takes 150 ms to notice a
 * client's close and counts the connection until then, like such a server.
 */

import assert from "node:assert/strict";
import type { ServerConfig } from "../../src/config/schema.ts";
import { ConnectionGate } from "../../src/politeness/gate.ts";
import { LedgerStore } from "../../src/politeness/ledger_store.ts";
import { SessionPool } from "../../src/politeness/pool.ts";
import { probeServers } from "../../src/politeness/probe.ts";
import type { Session } from "../../src/session.ts";
import { openTelnetSession } from "../../src/telnet/session.ts";
import { FakeTelnetServer, type Script } from "../harness/fake_telnet.ts";
import { Relay } from "../harness/relay.ts";
import { loopbackServer } from "../harness/servers.ts";

const NOTICE_MS = 150;

/** An FRR-like vty that takes `terminal length 0` and never answers anything else. */
const mute: Script = async (c) => {
  await c.send("rv> ");
  c.prompt = "rv> ";
  while (true) {
    const line = await c.command(); // answers the typed-ahead empty lines with the prompt
    if (line === null) return;
    if (line === "terminal length 0") await c.send(`${line}\r\nrv> `);
  }
};

/** A vty that never shows a prompt (the login never ends) and waits for the client to leave. */
const noPrompt: Script = async (c) => {
  while ((await c.key()) !== null) {
    // nothing to say
  }
};

/** A vty that greets, then waits for the client to leave. */
const greeting: Script = async (c) => {
  await c.send("\r\nHello, this is FRRouting (version 8.4.4).\r\n\r\nUser Access Verification\r\n");
  await noPrompt(c);
};

function server(port: number, limits: Record<string, number> = {}): ServerConfig {
  return loopbackServer("slow", port, {
    limits: { maxConcurrent: 1, queueTimeoutMs: 10_000, loginTimeoutMs: 10_000, ...limits },
  });
}

function pool(): SessionPool {
  return new SessionPool({
    open: openTelnetSession,
    ledger: new LedgerStore(),
    prepare: async (_server, session) => {
      await session.command("terminal length 0", { timeoutMs: 5000, maxBytes: 1 << 20 });
    },
  });
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), `timed out waiting until ${what}`);
}

async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise;
  } catch (error) {
    return error as Error;
  }
}

Deno.test("a cancelled query's connection counts until the server has closed it", async () => {
  await using fake = new FakeTelnetServer(mute);
  await using relay = new Relay({
    target: { hostname: "127.0.0.1", port: fake.port },
    noticeMs: NOTICE_MS,
  });
  await using sessions = pool();
  const rs = server(relay.port);
  const controllers = [0, 1, 2].map(() => new AbortController());
  const runs = controllers.map((controller) =>
    settle(sessions.run(
      rs,
      (session: Session) =>
        session.command("show x", {
          timeoutMs: 10_000,
          maxBytes: 1 << 20,
          signal: controller.signal,
        }),
      controller.signal,
    ))
  );
  for (const [i, controller] of controllers.entries()) {
    await until(
      `query ${i + 1} is at the server`,
      () => fake.lines.filter((l) => l === "show x").length === i + 1,
    );
    controller.abort();
  }
  for (const outcome of await Promise.all(runs)) assert.ok(outcome instanceof Error);
  assert.equal(relay.connections, 3);
  assert.equal(relay.maxOpen, 1, "the server saw more connections at once than maxConcurrent");
});

Deno.test("a query that timed out counts until the server has closed its connection", async () => {
  await using fake = new FakeTelnetServer(mute);
  await using relay = new Relay({
    target: { hostname: "127.0.0.1", port: fake.port },
    noticeMs: NOTICE_MS,
  });
  await using sessions = pool();
  const rs = server(relay.port);
  const outcomes = await Promise.all([0, 1, 2].map(() =>
    settle(sessions.run(
      rs,
      (session: Session) => session.command("show x", { timeoutMs: 100, maxBytes: 1 << 20 }),
    ))
  ));
  for (const outcome of outcomes) assert.match(String(outcome), /did not finish answering/);
  assert.equal(relay.connections, 3);
  assert.equal(relay.maxOpen, 1, "the server saw more connections at once than maxConcurrent");
});

Deno.test("a login cancelled half way counts until the server has closed the connection", async () => {
  await using fake = new FakeTelnetServer(noPrompt);
  await using relay = new Relay({
    target: { hostname: "127.0.0.1", port: fake.port },
    noticeMs: NOTICE_MS,
  });
  await using sessions = pool();
  const rs = server(relay.port);
  const controllers = [0, 1, 2].map(() => new AbortController());
  const runs = controllers.map((controller) =>
    settle(sessions.run(rs, () => Promise.resolve("never"), controller.signal))
  );
  for (const [i, controller] of controllers.entries()) {
    await until(`login ${i + 1} is at the server`, () => fake.connections === i + 1);
    controller.abort();
  }
  for (const outcome of await Promise.all(runs)) assert.ok(outcome instanceof Error);
  assert.equal(relay.connections, 3);
  assert.equal(relay.maxOpen, 1, "the server saw more connections at once than maxConcurrent");
});

Deno.test("a probe's connection counts until the server has closed it; its greeting is booked", async () => {
  await using fake = new FakeTelnetServer(greeting);
  await using relay = new Relay({
    target: { hostname: "127.0.0.1", port: fake.port },
    noticeMs: NOTICE_MS,
  });
  const ledger = new LedgerStore();
  const gate = new ConnectionGate();
  const rs = server(relay.port);
  for (let i = 0; i < 3; i++) {
    const [result] = await probeServers([rs], { gate, ledger });
    assert.equal(result.reachable, true, result.error);
  }
  assert.equal(relay.connections, 3);
  assert.equal(relay.maxOpen, 1, "the server saw more connections at once than maxConcurrent");
  const used = ledger.ledger.usage(`127.0.0.1:${relay.port}`);
  assert.equal(used.connections, 3);
  assert.equal(used.bytesDown, fake.bytesSent, "what the server sent before it saw our end");
});
