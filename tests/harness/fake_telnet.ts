/**
 * A scriptable fake telnet server on 127.0.0.1:0 for what cannot run here
 * (Cisco IOS) and for hostile behaviour. Each connection runs the given script;
 * the server records connections and every line and key the client sent.
 */

const IAC = 255;
const SB = 250;
const SE = 240;

/** One accepted connection, from the server's side. */
export class FakeConnection {
  readonly #conn: Deno.TcpConn;
  readonly #server: FakeTelnetServer;
  #pending: number[] = [];
  #closed = false;

  constructor(conn: Deno.TcpConn, server: FakeTelnetServer) {
    this.#conn = conn;
    this.#server = server;
  }

  /** Sends text (as latin-1 bytes) or raw bytes; resolves false once the client is gone. */
  async send(data: string | Uint8Array): Promise<boolean> {
    const bytes = typeof data === "string" ? latin1(data) : data;
    try {
      for (let offset = 0; offset < bytes.length;) {
        offset += await this.#conn.write(bytes.subarray(offset));
      }
      this.#server.bytesSent += bytes.length;
      return true;
    } catch {
      return false;
    }
  }

  /** The next data byte from the client (telnet commands skipped), or null at EOF. */
  async key(): Promise<number | null> {
    while (true) {
      const byte = await this.#byte();
      if (byte === null) return null;
      if (byte !== IAC) return byte;
      const verb = await this.#byte();
      if (verb === IAC) return IAC;
      if (verb === SB) {
        while (true) {
          const b = await this.#byte();
          if (b === null) return null;
          if (b === IAC && (await this.#byte()) === SE) break;
        }
        continue;
      }
      await this.#byte(); // the option
    }
  }

  /** The next line from the client (CR LF stripped), or null at EOF. Recorded on the server. */
  async line(): Promise<string | null> {
    const text = await this.#readLine();
    if (text !== null) this.#server.lines.push(text);
    return text;
  }

  /**
   * The prompt this connection's CLI shows. When set, {@linkcode command}
   * answers an empty line the way IOS, FRR and Junos do: echo, prompt again.
   */
  prompt: string | null = null;

  /**
   * The next command line, read like a router CLI reads it: an empty line
   * (the client's end-of-answer sentinel) is echoed and answered with the
   * prompt again, and reading goes on. Non-empty lines are recorded on the
   * server; empty ones are counted in `emptyLines`.
   */
  async command(): Promise<string | null> {
    while (true) {
      const text = await this.#readLine();
      if (text === null) return null;
      if (text !== "" || this.prompt === null) {
        this.#server.lines.push(text);
        return text;
      }
      this.#server.emptyLines++;
      if (!(await this.send(`\r\n${this.prompt}`))) return null;
    }
  }

  /**
   * Answers the empty lines already received (and only those: never waits), as
   * a CLI that runs every line of a read before it does anything else: FRR
   * answers the client's typed-ahead empty line before an idle close.
   */
  async answerBufferedEmptyLines(): Promise<void> {
    while (this.prompt !== null) {
      const length = this.#pending[0] === 13 && this.#pending[1] === 10
        ? 2
        : this.#pending[0] === 10
        ? 1
        : 0;
      if (length === 0) return;
      this.#pending.splice(0, length);
      this.#server.emptyLines++;
      await this.send(`\r\n${this.prompt}`);
    }
  }

  async #readLine(): Promise<string | null> {
    let text = "";
    while (true) {
      const byte = await this.key();
      if (byte === null) return null;
      if (byte === 10) break;
      if (byte !== 13 && byte !== 0) text += String.fromCharCode(byte);
    }
    return text;
  }

  /** Sleeps, unless the server is closing. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#server.onClose(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already gone
    }
  }

  async #byte(): Promise<number | null> {
    if (this.#pending.length === 0) {
      const buffer = new Uint8Array(4096);
      let n: number | null;
      try {
        n = await this.#conn.read(buffer);
      } catch {
        return null;
      }
      if (n === null) return null;
      this.#pending = [...buffer.subarray(0, n)];
      this.#server.keys.push(...buffer.subarray(0, n));
    }
    return this.#pending.shift()!;
  }
}

/** The script run for every connection. */
export type Script = (connection: FakeConnection) => Promise<void>;

/** A fake telnet server. Close it with `await server.close()`. */
export class FakeTelnetServer implements AsyncDisposable {
  readonly port: number;
  /** Connections accepted so far. */
  connections = 0;
  /** Connections open now, and the most open at once. */
  open = 0;
  maxOpen = 0;
  /** Bytes the server sent. */
  bytesSent = 0;
  /** Lines the clients sent, in order (empty lines read by `command()` are only counted). */
  readonly lines: string[] = [];
  /** Empty lines `command()` answered with the prompt. */
  emptyLines = 0;
  /** Every raw byte the clients sent. */
  readonly keys: number[] = [];
  readonly #listener: Deno.TcpListener;
  readonly #open = new Set<FakeConnection>();
  readonly #scripts: Promise<void>[] = [];
  readonly #closers: (() => void)[] = [];
  readonly #accepting: Promise<void>;
  #closing = false;

  constructor(script: Script) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accepting = this.#accept(script);
  }

  /** Registers a callback run when the server closes. */
  onClose(callback: () => void): void {
    this.#closers.push(callback);
  }

  async #accept(script: Script): Promise<void> {
    while (true) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.connections++;
      this.maxOpen = Math.max(this.maxOpen, ++this.open);
      conn.setNoDelay(true);
      const connection = new FakeConnection(conn, this);
      this.#open.add(connection);
      this.#scripts.push(
        script(connection).catch(() => {}).finally(() => {
          connection.close();
          this.#open.delete(connection);
          this.open--;
        }),
      );
    }
  }

  /** Waits until every connection's script has ended on its own. */
  async settled(): Promise<void> {
    let count = -1;
    while (count !== this.#scripts.length) {
      count = this.#scripts.length;
      await Promise.all(this.#scripts);
    }
  }

  /** Stops accepting, closes every connection and waits for the scripts to end. Idempotent. */
  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#listener.close();
    }
    for (const callback of this.#closers.splice(0)) callback();
    for (const connection of this.#open) connection.close();
    await this.#accepting;
    await Promise.all(this.#scripts);
  }

  /** Same as close(). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** Cisco IOS vty greeting: WILL ECHO, WILL SGA, DO TTYPE, DO NAWS. */
export const IOS_NEGOTIATION = new Uint8Array([
  255,
  251,
  1,
  255,
  251,
  3,
  255,
  253,
  24,
  255,
  253,
  31,
]);
/** FRR vty greeting options: WILL ECHO, WILL SGA, DONT LINEMODE, DO NAWS. */
export const FRR_NEGOTIATION = new Uint8Array([
  255,
  251,
  1,
  255,
  251,
  3,
  255,
  254,
  34,
  255,
  253,
  31,
]);

/** The IOS pager marker and the erase sequence IOS sends after a key. */
export const IOS_MORE = " --More-- ";
export const IOS_ERASE = "\b".repeat(9) + " ".repeat(8) + "\b".repeat(9);

/** Options for {@linkcode iosScript}. */
export interface IosOptions {
  /** Answers by command line. */
  answers: Record<string, string>;
  /** Lines per page; 0 disables the pager. */
  pageLines?: number;
  /** Pretend `terminal length 0` did not work (keep paging). */
  ignoreTerminalLength?: boolean;
  /** Delay before each answer (not before setup commands). */
  delayMs?: number;
}

/**
 * A route-views–like Cisco IOS vty: negotiation bytes, banner, `Username:`
 * (accepts `rviews`, no password), prompt `route-views>`, echo, pager.
 */
export function iosScript(options: IosOptions): Script {
  return async (c) => {
    await c.send(IOS_NEGOTIATION);
    await c.send(
      'C\r\n****\r\n  RouteViews BGP Route Viewer\r\n  To login, use the username "rviews".\r\n****\r\n' +
        "\r\nUser Access Verification\r\n\r\nUsername: ",
    );
    while (true) {
      const user = await c.line();
      if (user === null) return;
      await c.send(`${user}\r\n`);
      if (user === "rviews") break;
      await c.send("% Login invalid\r\n\r\nUsername: ");
    }
    await c.send("\r\nroute-views>");
    c.prompt = "route-views>";
    let paging = (options.pageLines ?? 0) > 0;
    while (true) {
      const line = await c.command();
      if (line === null || line === "exit") return;
      await c.send(`${line}\r\n`);
      if (line === "terminal length 0") {
        if (!options.ignoreTerminalLength) paging = false;
      } else if (line === "terminal width 512") {
        // accepted silently, like IOS
      } else if (iosAnswer(options.answers, line) !== null) {
        if (options.delayMs) await c.sleep(options.delayMs);
        const lines = iosAnswer(options.answers, line)!;
        if (!(await pagedLines(c, lines, paging ? options.pageLines! : 0, IOS_MORE, IOS_ERASE))) {
          return;
        }
      } else if (/^show bgp ipv6 unicast [0-9a-f:]+(?: \|.*)?$/i.test(line)) {
        // IOS wants a prefix here: an address alone is an incomplete command.
        await c.send("% Incomplete command.\r\n\r\n");
      } else if (line !== "") {
        await c.send(`                 ^\r\n% Invalid input detected at '^' marker.\r\n\r\n`);
      }
      await c.send("route-views>");
    }
  };
}

/**
 * What a scripted IOS answers to `line`: the answer scripted for it, or the
 * answer scripted for the command before an output modifier, through it
 * (`| exclude REGEXP` drops the lines the regexp matches, `| include REGEXP`
 * keeps them, `| count REGEXP` counts them), as IOS applies them on the
 * server. `null` when nothing is scripted.
 */
export function iosAnswer(answers: Record<string, string>, line: string): string[] | null {
  if (line in answers) return answers[line].split("\n");
  const pipe = /^(.*?) \| (exclude|include|count) (.+)$/.exec(line);
  if (!pipe || !(pipe[1] in answers)) return null;
  const regexp = new RegExp(pipe[3]);
  const lines = answers[pipe[1]].split("\n");
  if (pipe[2] === "count") {
    return [`Number of lines which match regexp = ${lines.filter((l) => regexp.test(l)).length}`];
  }
  return lines.filter((l) => regexp.test(l) === (pipe[2] === "include"));
}

/**
 * Sends `lines` through a pager that pauses every `pageLines` lines (0: never)
 * the way IOS and Junos do: space shows the next page, Return (CR LF, such as
 * the client's typed-ahead empty line) one more line, any other key ends the
 * output. Resolves false when the client went away.
 */
export async function pagedLines(
  c: FakeConnection,
  lines: string[],
  pageLines: number,
  marker: string,
  erase: string,
): Promise<boolean> {
  let pauseAt = pageLines;
  for (let i = 0; i < lines.length; i++) {
    if (pageLines > 0 && i > 0 && i === pauseAt) {
      await c.send(marker);
      const key = await c.key();
      if (key === null) return false;
      if (key === 0x20) pauseAt = i + pageLines;
      else if (key === 13 || key === 10) {
        if (key === 13 && (await c.key()) === null) return false; // the LF of CR LF
        pauseAt = i + 1;
      } else return true; // anything else aborts the output, like IOS
      await c.send(erase);
    }
    if (!(await c.send(`${lines[i]}\r\n`))) return false;
  }
  return true;
}

/** Options for {@linkcode frrScript}. */
export interface FrrOptions {
  /** Answers by command line; anything else gets `% Unknown command`. */
  answers: Record<string, string>;
  /** Delay before each answer. */
  delayMs?: number;
  /** Close the connection after this many answered commands (a server-side idle close). */
  closeAfter?: number;
  /** A line sent a moment after the last answer, before closing (FRR's "Vty connection is timed out."). */
  goodbye?: string;
}

/** An FRR-like vty: greeting, options, prompt `rv> `, echo, answers. */
export function frrScript(options: FrrOptions): Script {
  return async (c) => {
    await c.send("\r\nHello, this is FRRouting (version 8.4.4).\r\n");
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> ";
    let answered = 0;
    while (true) {
      const line = await c.command();
      if (line === null || line === "exit") return;
      if (options.delayMs) await c.sleep(options.delayMs);
      const answer = line === "terminal length 0"
        ? ""
        : line in options.answers
        ? `${options.answers[line].replaceAll("\n", "\r\n")}\r\n`
        : `% Unknown command: ${line}\r\n`;
      await c.send(`${line}\r\n${answer}rv> `);
      if (
        line !== "terminal length 0" && options.closeAfter !== undefined &&
        ++answered >= options.closeAfter
      ) {
        await c.answerBufferedEmptyLines();
        if (options.goodbye !== undefined) {
          await c.sleep(50);
          await c.send(`\r\n${options.goodbye}\r\n`);
        }
        return;
      }
    }
  };
}
