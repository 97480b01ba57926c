import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { TelnetError } from "../../src/errors.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import { LookingGlass } from "../../src/service/looking_glass.ts";
import type { Login } from "../../src/telnet/login.ts";
import { TelnetSession } from "../../src/telnet/session.ts";
import {
  FakeTelnetServer,
  FRR_NEGOTIATION,
  IOS_ERASE,
  IOS_MORE,
  iosScript,
} from "../harness/mod.ts";

/** A route-views–shaped answer (docs/route-servers.md §3.1) with documentation values. */
const IOS_ANSWER = [
  "BGP routing table entry for 192.0.2.0/24, version 1295019693",
  "Paths: (2 available, best #2, table default)",
  "  Not advertised to any peer",
  "  Refresh Epoch 1",
  "  4901 6079 1299 64500",
  "    162.250.137.254 from 162.250.137.254 (162.250.137.254)",
  "      Origin IGP, localpref 100, valid, external",
  "      Community: 65000:10100 65000:10300",
  "      path 7FE0DF658448 RPKI State not found",
  "      rx pathid: 0, tx pathid: 0",
  "  Refresh Epoch 1",
  "  3333 64501 64500, (aggregated by 65500 198.51.100.2)",
  "    193.0.0.56 from 193.0.0.56 (193.0.0.56)",
  "      Origin IGP, metric 0, localpref 100, valid, external, atomic-aggregate, best",
  "      Community: 64500:12420",
  "      path 7FDFFBEF9928 RPKI State valid",
  "      rx pathid: 0, tx pathid: 0x0",
].join("\n");

/** A config whose only server is the fake one (IOS dialect unless given). */
function fakeConfig(
  port: number,
  overrides: { dialect?: "cisco-ios" | "frr"; login?: Login; limits?: Record<string, number> } = {},
) {
  return parseConfig({
    defaultServer: "fake",
    limits: {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 5000,
      commandTimeoutMs: 5000,
      ...overrides.limits,
    },
    servers: [{
      name: "fake",
      host: "127.0.0.1",
      port,
      dialect: overrides.dialect ?? "cisco-ios",
      login: overrides.login ?? { username: "rviews" },
      location: "loopback",
      addressFamilies: ["ipv4", "ipv6"],
      enabled: true,
    }],
  }, "test");
}

const target = (port: number, login: Login = { username: "rviews" }) => ({
  name: "fake",
  host: "127.0.0.1",
  port,
  login,
});
const OPEN = { connectTimeoutMs: 2000, loginTimeoutMs: 5000 };
const COMMAND = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

/** Asserts that `promise` rejects with a TelnetError of the given kind and returns it. */
async function rejectsWith(promise: Promise<unknown>, failure: string): Promise<TelnetError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TelnetError, `expected TelnetError, got ${error}`);
    assert.equal(error.failure, failure, error.message);
    return error;
  }
  assert.fail(`expected a ${failure} failure`);
}

Deno.test("IOS: Username login, prompt learned, paged answer continued with spaces, parsed", async () => {
  await using server = new FakeTelnetServer(iosScript({
    answers: { "show ip bgp 192.0.2.0/24": IOS_ANSWER },
    pageLines: 4,
    ignoreTerminalLength: true, // keep paging so the pager path is exercised
  }));
  // 192.0.2.0/24 is documentation space and refused by validation, so talk to the session directly.
  using session = await TelnetSession.open(target(server.port), OPEN);
  assert.equal(session.prompt, "route-views>");
  await session.command("terminal length 0", COMMAND);
  const output = await session.command("show ip bgp 192.0.2.0/24", COMMAND);
  assert.equal(output, IOS_ANSWER);
  assert.equal(output.includes("More"), false);
  await session.quit();
  await server.settled();
  assert.deepEqual(server.lines, [
    "rviews",
    "terminal length 0",
    "show ip bgp 192.0.2.0/24",
    "exit",
  ]);
  // Four pager pauses: the first takes the empty line typed after the command (Return: one more
  // line), the other three get a space each; never `q`. The answer then ended in one prompt, so
  // the empty line was typed again to mark its end.
  const typed = String.fromCharCode(...server.keys);
  const after = typed.slice(typed.indexOf("show ip bgp 192.0.2.0/24") + 24, typed.indexOf("exit"));
  assert.equal(after, "\r\n\r\n   \r\n");
  assert.equal(server.keys.includes("q".charCodeAt(0)), false);
});

Deno.test("IOS: route_lookup path end to end through the dialect (show ip bgp, parsed values)", async () => {
  const answer = IOS_ANSWER.replace("192.0.2.0/24", "8.8.8.0/24");
  await using server = new FakeTelnetServer(iosScript({
    answers: { "show ip bgp 8.8.8.0/24": answer },
    pageLines: 6,
  }));
  const lg = await LookingGlass.open(fakeConfig(server.port), { ledgerPath: null });
  const result = await lookupRoute(lg, { destination: "8.8.8.0/24" });
  await lg.close(); // idle session says goodbye
  assert.equal(result.command, "show ip bgp 8.8.8.0/24 | exclude pathid:|Epoch");
  assert.equal(result.prefix, "8.8.8.0/24");
  assert.equal(result.totalPaths, 2);
  const best = result.paths.find((p) => p.best)!;
  assert.deepEqual(best.asPath, [3333, 64501, 64500]);
  assert.equal(best.nextHop, "193.0.0.56");
  assert.equal(best.rpki, "valid");
  assert.deepEqual(result.paths[0].communities, ["65000:10100", "65000:10300"]);
  // terminal length 0 worked, so no pager key was needed; the session said goodbye.
  await server.settled();
  assert.deepEqual(server.lines, [
    "rviews",
    "terminal length 0",
    "terminal width 512",
    "show ip bgp 8.8.8.0/24 | exclude pathid:|Epoch",
    "exit",
  ]);
});

Deno.test("IOS: an IPv6 lookup uses show bgp ipv6 unicast, never show ip bgp", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using lg = await LookingGlass.open(fakeConfig(server.port), { ledgerPath: null });
  const result = lookupRoute(lg, { destination: "2001:4860::/32" });
  await assert.rejects(
    result,
    /rejected `show bgp ipv6 unicast 2001:4860::\/32 \| exclude pathid:\|Epoch`: % Invalid input/,
  );
  assert.equal(
    server.lines.includes("show bgp ipv6 unicast 2001:4860::/32 | exclude pathid:|Epoch"),
    true,
  );
  assert.equal(server.lines.some((l) => l.startsWith("show ip bgp")), false);
});

Deno.test("FRR pager (marker followed by NUL) is continued and erased", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("\r\nHello, this is FRRouting (version 8.4.4).\r\n");
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    const line = await c.line();
    // FRR runs every line of a read before it pages the output: the empty line typed after the
    // command is answered (echo, prompt) before the first pause.
    assert.equal(await c.line(), "");
    await c.send(`${line}\r\n`);
    await c.send("one\r\ntwo\r\n --More-- \u0000");
    if ((await c.key()) !== 0x20) return;
    await c.send("\b".repeat(10) + " ".repeat(10) + "\b".repeat(10) + "three\r\nrv> \r\nrv> ");
    await c.line();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(session.prompt, "rv>");
  assert.equal(await session.command("show x", COMMAND), "one\ntwo\nthree");
});

Deno.test("the prompt is matched at the end of the buffer, not at the first '>'", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    c.prompt = "rv> ";
    const line = await c.command();
    await c.send(`${line}\r\n`);
    // Output containing '>' characters and even the prompt text mid-line, sent in pieces.
    await c.send("a -> b\r\nrv> is my name\r\n");
    await c.sleep(50);
    await c.send("x > y\r\nrv");
    await c.sleep(50);
    await c.send("> ");
    await c.command();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("show x", COMMAND), "a -> b\nrv> is my name\nx > y");
});

Deno.test("a refused login fails at once, without waiting for the login timeout", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  const error = await rejectsWith(
    TelnetSession.open(target(server.port, { username: "wrong" }), {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 60_000, // a test that waited for this would hit the test runner's patience
    }),
    "login-refused",
  );
  assert.match(
    error.message,
    /fake refused the login: it asked for the username again after "wrong" \("% Login invalid"\)/,
  );
});

Deno.test("a server that asks for a username when none is configured is refused at once", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  const error = await rejectsWith(
    TelnetSession.open(target(server.port, "none"), {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 60_000,
    }),
    "login-refused",
  );
  assert.match(error.message, /asked for a username but servers.json configures no login/);
  assert.deepEqual(server.lines, []); // nothing was typed at it
});

Deno.test("a password prompt without a configured password is refused; a configured one is sent", async () => {
  const script = async (c: Parameters<ConstructorParameters<typeof FakeTelnetServer>[0]>[0]) => {
    await c.send("login: ");
    await c.line();
    await c.send("Password:");
    const password = await c.line();
    if (password !== "secret") {
      await c.send("\r\nLogin incorrect\r\nlogin: ");
      await c.line();
      return;
    }
    await c.send("\r\n--- JUNOS\r\nrviews@rs> ");
    await c.line();
  };
  await using server = new FakeTelnetServer(script);
  await rejectsWith(
    TelnetSession.open(target(server.port, { username: "rviews" }), {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 60_000,
    }),
    "login-refused",
  );
  const wrong = await rejectsWith(
    TelnetSession.open(target(server.port, { username: "rviews", password: "nope" }), {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 60_000,
    }),
    "login-refused",
  );
  assert.match(wrong.message, /Login incorrect/);
  using session = await TelnetSession.open(
    target(server.port, { username: "rviews", password: "secret" }),
    OPEN,
  );
  assert.equal(session.prompt, "rviews@rs>");
});

Deno.test("hostile: a server that never shows a prompt hits the login timeout", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("Welcome, but no prompt follows\r\n");
    await c.sleep(10_000);
  });
  const error = await rejectsWith(
    TelnetSession.open(target(server.port, "none"), {
      connectTimeoutMs: 2000,
      loginTimeoutMs: 300,
    }),
    "login-timeout",
  );
  assert.match(error.message, /did not show a prompt within 0\.3 s/);
});

Deno.test("hostile: a server that closes mid-login", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("Username: ");
    await c.line();
  });
  const error = await rejectsWith(TelnetSession.open(target(server.port), OPEN), "closed");
  assert.match(error.message, /closed the connection during login/);
});

Deno.test("hostile: an answer dripping one byte a second hits the command deadline", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line();
    for (const char of "show x\r\nBGP routing table entry for 8.8.8.0/24\r\n") {
      if (!(await c.send(char))) return;
      await c.sleep(1000);
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  const error = await rejectsWith(
    session.command("show x", { timeoutMs: 1500, maxBytes: 1 << 20 }),
    "timeout",
  );
  assert.match(
    error.message,
    /did not finish answering `show x` within 1\.5 s; no partial output is shown/,
  );
  assert.equal(session.closed, true);
});

Deno.test("hostile: a 10 MiB flood is cut at the byte cap", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line();
    const chunk = "x".repeat(1023) + "\n";
    for (let i = 0; i < 10 * 1024; i++) {
      if (!(await c.send(chunk))) return;
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  const error = await rejectsWith(
    session.command("show x", { timeoutMs: 10_000, maxBytes: 1024 * 1024 }),
    "output-limit",
  );
  assert.match(error.message, /exceeded the 1 MiB output cap/);
  assert.ok(session.bytesReceived < 2 * 1024 * 1024, `read ${session.bytesReceived} bytes`);
});

Deno.test("hostile: endless pager is bounded by the byte cap", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line();
    while (true) {
      if (!(await c.send("line of output\r\n".repeat(128) + IOS_MORE))) return;
      if ((await c.key()) === null) return;
      await c.send(IOS_ERASE);
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  await rejectsWith(
    session.command("show x", { timeoutMs: 10_000, maxBytes: 64 * 1024 }),
    "output-limit",
  );
});

Deno.test("hostile: connection reset mid-command", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line();
    await c.send("show x\r\nhalf an ans");
    c.close();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  const error = await rejectsWith(session.command("show x", COMMAND), "closed");
  assert.match(error.message, /closed the connection/);
});

Deno.test("cancellation closes the connection at once", async () => {
  let sawEof = false;
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line();
    await c.line(); // the empty line typed after the command
    sawEof = (await c.key()) === null; // waits until the client goes away
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  const controller = new AbortController();
  const pending = session.command("show x", {
    ...COMMAND,
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, (error: Error) => error.name === "AbortError");
  assert.equal(session.closed, true);
  await server.close();
  assert.equal(sawEof, true);
});

Deno.test("nothing listening: a clear connect error", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const error = await rejectsWith(TelnetSession.open(target(port, "none"), OPEN), "connect");
  assert.match(error.message, /Could not connect to fake \(127\.0\.0\.1:\d+\)/);
});

Deno.test("an old Quagga's extra prompt arriving late is not taken for the next answer", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("\r\nHello, this is Quagga (version 0.99.21).\r\n");
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    let n = 0;
    while (true) {
      const line = await c.line();
      if (line === null) return;
      await c.sleep(20);
      // The empty line typed after each command gets its own prompt (CR), and one more (LF).
      await c.send(line === "" ? "\r\nrv> " : `${line}\r\nanswer ${++n}\r\nrv> `);
      await c.sleep(60); // the second prompt (from the LF) comes after the client sent its next line
      await c.send("\r\nrv> ");
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("one", COMMAND), "answer 1");
  assert.equal(await session.command("two", COMMAND), "answer 2");
  assert.equal(await session.command("three", COMMAND), "answer 3");
});

Deno.test("hostile: a flood before any prompt is cut during login", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    const chunk = "banner ".repeat(146) + "\r\n";
    for (let i = 0; i < 10_000; i++) {
      if (!(await c.send(chunk))) return;
    }
  });
  const error = await rejectsWith(
    TelnetSession.open(target(server.port, "none"), OPEN),
    "output-limit",
  );
  assert.match(error.message, /sent more than 256 KiB without showing a prompt/);
});

Deno.test("text a server sent while the session was idle is not taken for the next answer", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> ";
    let first = true;
    while (true) {
      const line = await c.command();
      if (line === null) return;
      if (!first) {
        // Chatter that arrives after the client sent its command, before the echo.
        await c.send("\r\n%NOTICE: maintenance at 02:00\r\nrv> ");
        await c.sleep(50);
      }
      first = false;
      await c.send(`${line}\r\nanswer to ${line}\r\nrv> `);
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("one", COMMAND), "answer to one");
  assert.equal(await session.command("two", COMMAND), "answer to two");
});

Deno.test("a pager marker whose NUL arrives in a later read gets exactly one key", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    const line = await c.line();
    assert.equal(await c.line(), ""); // FRR answers the typed-ahead empty line before paging
    await c.send(`${line}\r\none\r\n --More-- `);
    await c.sleep(30);
    await c.send("\u0000");
    await c.sleep(30);
    await c.send(new Uint8Array([255, 241])); // IAC NOP: a read with no data at all
    if ((await c.key()) !== 0x20) return;
    await c.send("\b".repeat(10) + " ".repeat(10) + "\b".repeat(10) + "two\r\nrv> \r\nrv> ");
    await c.sleep(100); // a second key would arrive now
    await c.send("done");
    await c.line();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("show x", COMMAND), "one\ntwo");
  const spaces = server.keys.filter((k) => k === 0x20).length - "show x".split(" ").length + 1;
  assert.equal(spaces, 1);
});

Deno.test("the prompt right after a pager erase ends the answer (no timeout)", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    const line = await c.line();
    assert.equal(await c.line(), ""); // FRR answers the typed-ahead empty line before paging
    await c.send(`${line}\r\nlast line\r\n --More-- \u0000`);
    if ((await c.key()) !== 0x20) return;
    await c.send("\b".repeat(10) + " ".repeat(10) + "\b".repeat(10) + "rv> \r\nrv> ");
    await c.line();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(
    await session.command("show x", { timeoutMs: 3000, maxBytes: 1 << 20 }),
    "last line",
  );
});

Deno.test("a prompt whose trailing space comes in a later read is learned and matched", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("\r\nHello\r\nrv>");
    await c.sleep(50);
    await c.send(" ");
    c.prompt = "rv> ";
    const line = await c.command();
    await c.send(`${line}\r\nanswer\r\nrv> `);
    await c.command();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(session.prompt, "rv>");
  assert.equal(await session.command("show x", { timeoutMs: 3000, maxBytes: 1 << 20 }), "answer");
});

Deno.test("a banner that says 'access denied' before the prompt is not a refused login", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("Username: ");
    await c.line();
    await c.send("\r\nUnauthorized access denied; all sessions are logged.\r\nroute-views>");
    await c.line();
  });
  using session = await TelnetSession.open(target(server.port), OPEN);
  assert.equal(session.prompt, "route-views>");
});

Deno.test("a server that does not echo: a late extra prompt is not taken for the answer", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    let n = 0;
    while (true) {
      const line = await c.line();
      if (line === null) return;
      await c.sleep(30);
      // No echo: the prompt for the empty line typed after each command follows on the same line.
      await c.send(line === "" ? "rv> " : `answer ${++n}\r\nrv> `);
      await c.sleep(60);
      await c.send("\r\nrv> ");
    }
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("one", COMMAND), "answer 1");
  assert.equal(await session.command("two", COMMAND), "answer 2");
});

Deno.test("a 900 KB answer in small pieces comes back whole", async () => {
  const row = "*> 192.0.2.0/24      198.51.100.1      0 64500 64501 i";
  const rows = Array.from({ length: 16_000 }, (_, i) => `${row} ${i}`);
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> ";
    const line = await c.command();
    await c.send(`${line}\r\n`);
    const body = rows.join("\r\n") + "\r\nrv> ";
    for (let i = 0; i < body.length; i += 1400) await c.send(body.slice(i, i + 1400));
    await c.command();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  const answer = await session.command("show x", { timeoutMs: 30_000, maxBytes: 2 << 20 });
  assert.equal(answer, rows.join("\n"));
});

Deno.test("a prompt-like line inside an answer, at a read boundary, does not end it", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> ";
    const line = await c.command();
    await c.send(`${line}\r\npath 1\r\nrv> `);
    await c.sleep(150); // the client has read up to the prompt-like line by now
    await c.send("\r\npath 2\r\nrv> ");
    await c.command();
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.equal(await session.command("show x", COMMAND), "path 1\nrv> \npath 2");
  assert.equal(server.emptyLines, 1); // the empty line typed after the command, answered once
});

Deno.test("commandUpTo: a prompt-like line is no end; a cut answer is never complete, a whole one is", async () => {
  await using server = new FakeTelnetServer(async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> ";
    // A whole answer: complete once the prompt came twice (for the command and the empty line).
    const first = await c.command();
    await c.send(`${first}\r\nrow 1\r\nrow 2\r\nrv> `);
    // A prompt-like line, then more than the cap: cut, never taken for the end.
    const second = await c.command();
    await c.send(`${second}\r\nrow 1\r\nrv> `);
    await c.sleep(150);
    await c.send(`\r\n${"row 2\r\n".repeat(400)}rv> `);
    await c.sleep(2000);
  });
  using session = await TelnetSession.open(target(server.port, "none"), OPEN);
  assert.deepEqual(await session.commandUpTo("show a", COMMAND), {
    output: "row 1\nrow 2",
    complete: true,
  });
  const cut = await session.commandUpTo("show b", { timeoutMs: 5000, maxBytes: 1000 });
  assert.equal(cut.complete, false);
  assert.match(cut.cutReason ?? "", /1000 bytes output cap/);
  assert.ok(cut.output.startsWith("row 1\nrv> \nrow 2\n"), JSON.stringify(cut.output.slice(0, 40)));
  assert.ok(session.closed);
});
