/**
 * Fake route servers for the red team, built on `tests/harness/fake_telnet.ts`: a vty
 * script per dialect (FRR, Cisco IOS, Junos: greeting, login, prompt, echo,
 * setup commands) whose answers can be anything — a lie, a flood, a drip, a
 * hang-up — plus login-phase hostile behaviours and a meter that adds up what
 * reached every counted socket.
 *
 * @module
 */

import {
  type FakeConnection,
  FakeTelnetServer,
  FRR_NEGOTIATION,
  IOS_ERASE,
  IOS_MORE,
  IOS_NEGOTIATION,
  loopbackEntry,
  type Relay,
  type Script,
} from "../../tests/harness/mod.ts";

/** The dialects a fake can speak. */
export type FakeDialect = "frr" | "cisco-ios" | "junos";

/**
 * The answer to one command: text (sent as UTF-8 after the echo, followed by
 * the prompt), a function that does the whole exchange itself (resolving
 * false hangs up), or `undefined` for the dialect's "unknown command".
 */
export type Answer = string | ((c: FakeConnection, line: string) => Promise<boolean>) | undefined;

/** What a fake vty does. */
export interface VtyBehaviour {
  /** Replaces the greeting and login (a hostile login); resolving false hangs up. */
  login?: (c: FakeConnection) => Promise<boolean>;
  /** The answer to each command after the setup commands. */
  answer(line: string): Answer;
}

const DIALECT = {
  frr: {
    prompt: "rv> ",
    setup: ["terminal length 0"],
    unknown: (line: string) => `% Unknown command: ${line}\r\n`,
  },
  "cisco-ios": {
    prompt: "route-views>",
    setup: ["terminal length 0", "terminal width 512"],
    unknown: () => "                 ^\r\n% Invalid input detected at '^' marker.\r\n\r\n",
  },
  junos: {
    prompt: "\r\nrviews@route-server.ip.att.net> ",
    setup: ["set cli screen-length 0"],
    unknown: () => "                  ^\r\nsyntax error, expecting <command>.\r\n",
  },
} as const;

const JUNOS_NEGOTIATION = new Uint8Array([255, 253, 24, 255, 253, 32, 255, 251, 1, 255, 251, 3]);

/** UTF-8 bytes of a string (the fake server's own `send` writes strings as latin-1). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Greets and logs in the way the dialect's real servers do; false when the client left. */
async function greet(dialect: FakeDialect, c: FakeConnection): Promise<boolean> {
  if (dialect === "frr") {
    await c.send("\r\nHello, this is FRRouting (version 8.4.4).\r\n");
    await c.send(FRR_NEGOTIATION);
    return await c.send(DIALECT.frr.prompt);
  }
  if (dialect === "cisco-ios") {
    await c.send(IOS_NEGOTIATION);
    await c.send(
      '\r\n****\r\n  RouteViews BGP Route Viewer\r\n  To login, use the username "rviews".\r\n' +
        "****\r\n\r\nUser Access Verification\r\n\r\nUsername: ",
    );
    while (true) {
      const user = await c.line();
      if (user === null) return false;
      await c.send(`${user}\r\n`);
      if (user === "rviews") return await c.send(`\r\n${DIALECT["cisco-ios"].prompt}`);
      await c.send("% Login invalid\r\n\r\nUsername: ");
    }
  }
  await c.send(JUNOS_NEGOTIATION);
  await c.send("\r\nroute-server.ip.att.net (ttyp0)\r\n\r\nlogin: ");
  if ((await c.line()) !== "rviews") return false;
  await c.send("Password:");
  if ((await c.line()) !== "rviews") return false;
  return await c.send(`\r\n--- JUNOS 23.2R1.13 Kernel 64-bit${DIALECT.junos.prompt}`);
}

/** A vty of the given dialect: real greeting and login (unless replaced), echo, setup, answers. */
export function vty(dialect: FakeDialect, behaviour: VtyBehaviour): Script {
  const { prompt, setup, unknown } = DIALECT[dialect];
  return async (c) => {
    const loggedIn = behaviour.login ? await behaviour.login(c) : await greet(dialect, c);
    if (!loggedIn) return;
    while (true) {
      const line = await c.line();
      if (line === null || line === "exit" || line === "quit") return;
      if ((setup as readonly string[]).includes(line)) {
        const said = dialect === "junos" ? "Screen length set to 0\r\n" : "";
        if (!(await c.send(`${line}\r\n${said}${prompt}`))) return;
        continue;
      }
      if (line === "") {
        if (!(await c.send(`\r\n${prompt}`))) return;
        continue;
      }
      const answer = behaviour.answer(line);
      if (typeof answer === "function") {
        if (!(await answer(c, line))) return;
        continue;
      }
      const body = answer === undefined
        ? unknown(line)
        : `${answer.replaceAll(/\r?\n/g, "\r\n")}\r\n`;
      if (!(await c.send(utf8(`${line}\r\n${body}${prompt}`)))) return;
    }
  };
}

/** The prompt a dialect's fake shows (for answers that write it themselves). */
export function promptOf(dialect: FakeDialect): string {
  return DIALECT[dialect].prompt;
}

/** A servers.json entry for a fake of the given dialect on 127.0.0.1. */
export function fakeEntry(
  dialect: FakeDialect,
  entry: { name: string; port: number; extra?: Record<string, unknown> },
): Record<string, unknown> {
  const { name, port, extra = {} } = entry;
  const login = dialect === "frr"
    ? "none"
    : dialect === "cisco-ios"
    ? { username: "rviews" }
    : { username: "rviews", password: "rviews" };
  return loopbackEntry(name, port, {
    dialect,
    login,
    addressFamilies: ["ipv4", "ipv6"],
    ...(dialect === "cisco-ios" ? { supports: ["ping", "traceroute"] } : {}),
    ...extra,
  });
}

// ---- Login-phase hostile behaviour ------------------------------------------------------

/** Hostile ways to greet a client, by name. */
export const HOSTILE_LOGINS: Record<string, (c: FakeConnection) => Promise<boolean>> = {
  /** Accepts and never says anything (reads until the client hangs up). */
  "silent": async (c) => {
    while ((await c.key()) !== null) { /* ignore what the client types */ }
    return false;
  },
  /** A banner one byte every 100 ms, never a prompt. */
  "drip-banner": async (c) => {
    for (let i = 0; i < 10_000; i++) {
      await c.sleep(100);
      if (!(await c.send("Welcome to the route server. "[i % 29]))) return false;
    }
    return false;
  },
  /** Endless telnet option offers. */
  "iac-flood": async (c) => {
    const flood = new Uint8Array(4095);
    for (let i = 0; i < flood.length; i += 3) flood.set([255, 251 + (i % 4), (i / 3) % 256], i);
    for (let i = 0; i < 2_000; i++) if (!(await c.send(flood))) return false;
    return false;
  },
  /** A subnegotiation that never ends, then data forever. */
  "sb-without-se": async (c) => {
    await c.send(new Uint8Array([255, 250, 24]));
    const chunk = new Uint8Array(4096).fill(65);
    for (let i = 0; i < 2_000; i++) if (!(await c.send(chunk))) return false;
    return false;
  },
  /** Half a banner, then the connection is closed. */
  "close-mid-login": async (c) => {
    await c.send("\r\nHello, this is FRRouting (vers");
    return false;
  },
  /** Accepts and closes at once. */
  "close-at-once": () => Promise.resolve(false),
  /** Binary noise (never a prompt). */
  "binary-noise": async (c) => {
    let x = 0x2545f491;
    const chunk = new Uint8Array(4096);
    for (let i = 0; i < 1_000; i++) {
      for (let j = 0; j < chunk.length; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        // No IAC bytes and no '>', '#', ':' that could look like a prompt or a question.
        const b = (x >>> 0) & 0xff;
        chunk[j] = b === 255 || b === 0x3e || b === 0x23 || b === 0x3a ? 0x2e : b;
      }
      if (!(await c.send(chunk))) return false;
    }
    return false;
  },
  /** Asks for the username again and again. */
  "username-loop": async (c) => {
    await c.send(IOS_NEGOTIATION);
    for (let i = 0; i < 1_000; i++) {
      if (!(await c.send("\r\nUsername: "))) return false;
      if ((await c.line()) === null) return false;
    }
    return false;
  },
  /** Asks for a password the configuration does not have. */
  "password-question": async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("\r\nUser Access Verification\r\n\r\nPassword: ");
    return (await c.line()) !== null && false;
  },
};

// ---- Command-phase hostile answers ------------------------------------------------------

/** Sends the echo and then `text` one character per `ms`, then the prompt. */
export function drip(dialect: FakeDialect, options: { text: string; ms: number }): Answer {
  const { text, ms } = options;
  return async (c, line) => {
    await c.send(`${line}\r\n`);
    for (const char of `${text}\r\n${promptOf(dialect)}`) {
      await c.sleep(ms);
      if (!(await c.send(utf8(char)))) return false;
    }
    return true;
  };
}

/** Sends the echo and then `bytes` of table-like lines (far past any cap), then hangs up. */
export function flood(bytes: number): Answer {
  return async (c, line) => {
    await c.send(`${line}\r\n`);
    const row = "*> 8.8.8.0/24       198.51.100.2             0             0 15169 i\r\n";
    const block = row.repeat(64);
    for (let sent = 0; sent < bytes; sent += block.length) {
      if (!(await c.send(block))) return false;
    }
    return false;
  };
}

/** An IOS-style pager that never ends. */
export function endlessPager(): Answer {
  return async (c, line) => {
    await c.send(`${line}\r\n`);
    for (let i = 0; i < 100_000; i++) {
      if (!(await c.send("x".repeat(200) + "\r\n" + IOS_MORE))) return false;
      if ((await c.key()) === null) return false;
      await c.send(IOS_ERASE);
    }
    return false;
  };
}

/** The echo and the first `fraction` of the answer, then the connection is closed. */
export function closeMidAnswer(text: string, fraction: number): Answer {
  return async (c, line) => {
    await c.send(utf8(`${line}\r\n${text.slice(0, Math.floor(text.length * fraction))}`));
    return false;
  };
}

/** A complete answer followed by a different prompt (as if the router changed mode). */
export function promptChange(text: string): Answer {
  return async (c, line) => {
    await c.send(utf8(`${line}\r\n${text}\r\nother-router# `));
    return true;
  };
}

/** Answers, then waits `ms` before the prompt (a slow but honest server). */
export function slowAnswer(dialect: FakeDialect, options: { text: string; ms: number }): Answer {
  const { text, ms } = options;
  return async (c, line) => {
    await c.send(`${line}\r\n`);
    await c.sleep(ms);
    return await c.send(utf8(`${text.replaceAll(/\r?\n/g, "\r\n")}\r\n${promptOf(dialect)}`));
  };
}

/** Sums what reached a set of counted sockets (fake servers and relays). */
export class Meter {
  readonly #fakes: FakeTelnetServer[] = [];
  readonly #relays: Relay[] = [];

  /** Counts a fake server's connections and received bytes. */
  addFake(fake: FakeTelnetServer): FakeTelnetServer {
    this.#fakes.push(fake);
    return fake;
  }

  /** Counts a relay's connections and bytes up. */
  addRelay(relay: Relay): Relay {
    this.#relays.push(relay);
    return relay;
  }

  /** Connections accepted and bytes received so far, over every counted socket. */
  snapshot(): { connections: number; bytes: number } {
    let connections = 0;
    let bytes = 0;
    for (const fake of this.#fakes) {
      connections += fake.connections;
      bytes += fake.keys.length;
    }
    for (const relay of this.#relays) {
      connections += relay.connections;
      bytes += relay.bytesUp;
    }
    return { connections, bytes };
  }
}

/** Starts a fake of `dialect` with `behaviour`. */
export function startFake(dialect: FakeDialect, behaviour: VtyBehaviour): FakeTelnetServer {
  return new FakeTelnetServer(vty(dialect, behaviour));
}

/** Answers honestly, then closes the connection (every query then needs a new one). */
export function answerThenHangUp(dialect: FakeDialect, text: string): Answer {
  return async (c, line) => {
    await c.send(utf8(`${line}\r\n${text.replaceAll(/\r?\n/g, "\r\n")}\r\n${promptOf(dialect)}`));
    return false;
  };
}
