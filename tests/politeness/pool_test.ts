import assert from "node:assert/strict";
import type { ServerConfig } from "../../src/config/schema.ts";
import { PoolBusyError, QuotaExceededError } from "../../src/errors.ts";
import { LedgerStore } from "../../src/politeness/ledger_store.ts";
import { SessionPool } from "../../src/politeness/pool.ts";
import type { Session } from "../../src/session.ts";
import { openTelnetSession } from "../../src/telnet/session.ts";
import { FakeTelnetServer, frrScript, loopbackServer } from "../harness/mod.ts";

function server(
  port: number,
  limits: Record<string, number> = {},
  quota: Record<string, number> = {},
): ServerConfig {
  return loopbackServer("fake", port, { limits: { commandTimeoutMs: 5000, ...limits }, quota });
}

const ask = (command: string) => (session: Session) =>
  session.command(command, { timeoutMs: 5000, maxBytes: 1 << 20 });

function pool(ledger = new LedgerStore()) {
  return new SessionPool({
    open: openTelnetSession,
    ledger,
    prepare: async (_server, session) => {
      await session.command("terminal length 0", { timeoutMs: 5000, maxBytes: 1 << 20 });
    },
  });
}

const ANSWERS = { "show x": "x answer", "show y": "y answer" };

Deno.test("ten sequential queries use one connection", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS }));
  await using sessions = pool();
  const rs = server(fake.port);
  for (let i = 0; i < 10; i++) {
    assert.equal(
      await sessions.run(rs, ask(i % 2 ? "show x" : "show y")),
      i % 2 ? "x answer" : "y answer",
    );
  }
  assert.equal(fake.connections, 1);
  assert.deepEqual(sessions.stats("fake"), { open: 1, busy: 0, queued: 0, opened: 1 });
  assert.equal(fake.lines.filter((l) => l === "terminal length 0").length, 1);
});

Deno.test("no more than maxConcurrent sessions per server; the rest queue", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS, delayMs: 50 }));
  await using sessions = pool();
  const rs = server(fake.port, { maxConcurrent: 2 });
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => sessions.run(rs, ask("show x"))),
  );
  assert.deepEqual(answers, Array(6).fill("x answer"));
  assert.equal(fake.maxOpen, 2);
  assert.equal(fake.connections, 2);
});

Deno.test("a query that waits longer than queueTimeoutMs gets PoolBusyError, nothing sent", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS, delayMs: 600 }));
  await using sessions = pool();
  const rs = server(fake.port, { maxConcurrent: 1, queueTimeoutMs: 150 });
  const first = sessions.run(rs, ask("show x"));
  await assert.rejects(sessions.run(rs, ask("show y")), (error: unknown) => {
    assert.ok(error instanceof PoolBusyError);
    assert.match(error.message, /fake is busy: 1 queries already in flight .* Try again/);
    return true;
  });
  assert.equal(await first, "x answer");
  assert.equal(fake.lines.includes("show y"), false);
});

Deno.test("an idle session is closed with exit after idleTimeoutMs", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS }));
  await using sessions = pool();
  const rs = server(fake.port, { idleTimeoutMs: 150 });
  await sessions.run(rs, ask("show x"));
  await fake.settled(); // the script ends when it reads `exit`
  assert.equal(fake.lines.at(-1), "exit");
  assert.equal(sessions.stats("fake").open, 0);
  await sessions.run(rs, ask("show y")); // a new connection is opened on demand
  assert.equal(fake.connections, 2);
});

Deno.test("a session the server closed while idle is replaced transparently", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS, closeAfter: 1 }));
  await using sessions = pool();
  const rs = server(fake.port);
  assert.equal(await sessions.run(rs, ask("show x")), "x answer");
  await fake.settled();
  assert.equal(await sessions.run(rs, ask("show y")), "y answer");
  assert.equal(fake.connections, 2);
});

Deno.test("every connection and byte is booked; a spent connection budget refuses before connecting", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS, closeAfter: 1 }));
  const ledger = new LedgerStore();
  await using sessions = pool(ledger);
  const rs = server(fake.port, {}, { connections: 1 });
  await sessions.run(rs, ask("show x"));
  await fake.settled();
  const used = ledger.ledger.usage(`127.0.0.1:${fake.port}`);
  assert.equal(used.connections, 1);
  assert.equal(used.bytesDown, fake.bytesSent); // every byte the server sent, greeting included
  assert.equal(used.bytesUp, fake.keys.length); // every byte we sent, option replies included
  await assert.rejects(sessions.run(rs, ask("show y")), (error: unknown) => {
    assert.ok(error instanceof QuotaExceededError);
    assert.equal(error.kind, "connections");
    return true;
  });
  assert.equal(fake.connections, 1);
});

Deno.test("closing the pool says exit to idle sessions", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS }));
  const sessions = pool();
  await sessions.run(server(fake.port), ask("show x"));
  await sessions.close();
  await fake.settled();
  assert.equal(fake.lines.at(-1), "exit");
  await assert.rejects(sessions.run(server(fake.port), ask("show x")), /closed/);
});

Deno.test("a session the server closes mid-answer is not retried (the query is not repeated)", async () => {
  await using fake = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    while (true) {
      const line = await c.line();
      if (line === null) return;
      if (line === "show x") {
        await c.send("show x\r\nhalf an ans");
        return; // gone mid-answer
      }
      await c.send(`${line}\r\nrv> `);
    }
  });
  await using sessions = pool();
  const rs = server(fake.port);
  await sessions.run(rs, ask("show y")); // now pooled and idle
  await assert.rejects(sessions.run(rs, ask("show x")), /closed the connection/);
  await fake.settled();
  assert.equal(fake.lines.filter((l) => l === "show x").length, 1);
  assert.equal(fake.connections, 1);
});

Deno.test("an idle session the server closed with a goodbye line is replaced; the query is sent once per connection", async () => {
  await using fake = new FakeTelnetServer(
    frrScript({ answers: ANSWERS, closeAfter: 1, goodbye: "Vty connection is timed out." }),
  );
  await using sessions = pool();
  const rs = server(fake.port);
  assert.equal(await sessions.run(rs, ask("show x")), "x answer");
  await fake.settled();
  assert.equal(await sessions.run(rs, ask("show x")), "x answer");
  assert.equal(fake.connections, 2);
  assert.equal(fake.lines.filter((l) => l === "show x").length, 2);
});

Deno.test("an answer the caller could not use leaves the session open for the next query", async () => {
  await using fake = new FakeTelnetServer(frrScript({ answers: ANSWERS }));
  await using sessions = pool();
  const rs = server(fake.port);
  await assert.rejects(
    sessions.run(rs, async (session) => {
      await ask("show x")(session);
      throw new SyntaxError("unparseable answer");
    }),
    SyntaxError,
  );
  assert.equal(await sessions.run(rs, ask("show y")), "y answer");
  assert.equal(fake.connections, 1);
});
