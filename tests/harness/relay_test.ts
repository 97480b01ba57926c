/**
 * The counting relay is the instrument behind every "the server saw at most N
 * sessions" assertion: it must count what a server counts — from the accept
 * to its own close — and a failed write must end a connection, not crash the
 * process hosting it.
 */

import assert from "node:assert/strict";
import { FakeTelnetServer } from "./fake_telnet.ts";
import { pipe, Relay } from "./relay.ts";

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function readToEnd(conn: Deno.TcpConn): Promise<void> {
  const buffer = new Uint8Array(1024);
  while ((await conn.read(buffer)) !== null) {
    // what the server says does not matter here
  }
}

Deno.test("relay: a connection counts from its accept, even when the server behind refuses it", async () => {
  await using relay = new Relay({ target: { hostname: "127.0.0.1", port: closedPort() } });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: relay.port });
  await readToEnd(conn);
  conn.close();
  assert.equal(relay.connections, 1);
  assert.equal(relay.maxOpen, 1, "an accepted connection is open at the server");
  assert.equal(relay.open, 0);
});

Deno.test("relay: a client that has seen its connection closed never finds it still counted", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("hello\r\n");
    while ((await c.key()) !== null) {
      // until the client ends
    }
  });
  await using relay = new Relay({ target: { hostname: "127.0.0.1", port: server.port } });
  for (let i = 0; i < 20; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: relay.port });
    await conn.closeWrite();
    await readToEnd(conn);
    assert.equal(relay.open, 0, `round ${i}: closed at the client, still counted at the relay`);
    conn.close();
  }
  assert.equal(relay.maxOpen, 1);
});

Deno.test("relay: a write that fails ends the connection instead of rejecting unhandled", async () => {
  let ended = 0;
  let reads = 0;
  const from = {
    async read(p: Uint8Array): Promise<number | null> {
      // Chunks keep coming until the connection is ended.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (ended > 0 || reads++ > 200) return null;
      p[0] = 65;
      return 1;
    },
  };
  const to = {
    write(_p: Uint8Array): Promise<number> {
      return Promise.reject(new Deno.errors.BrokenPipe("Broken pipe (os error 32)"));
    },
  };
  await pipe(from, to, { delayMs: 0, closing: () => false, end: () => ended++, seen: () => {} });
  assert.ok(ended >= 1, "the connection was ended");
  assert.ok(reads < 50, `the pipe kept reading after its write failed (${reads} reads)`);
});
