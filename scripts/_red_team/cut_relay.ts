/**
 * A relay on 127.0.0.1:0 that forwards to a real server and, once a command
 * containing a trigger has gone up, lets only `afterBytes` of the answer come
 * down before closing both sides: a server that goes away mid-answer. The
 * counting, delaying relay of the tests (`tests/harness/relay.ts`) cannot cut.
 *
 * @module
 */

/** Options for {@linkcode CutRelay}. */
export interface CutRelayOptions {
  /** Where to forward. */
  target: { hostname: string; port: number };
  /** Text in a client line that arms the cut. */
  trigger: string;
  /** Bytes of the answer let through before the cut. */
  afterBytes: number;
  /** How many connections are cut (later ones pass untouched; default 1). */
  times?: number;
}

/** A running cutting relay. Close it with `await relay.close()`. */
export class CutRelay implements AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Connections accepted. */
  connections = 0;
  /** Connections open now. */
  open = 0;
  /** Connections cut so far. */
  cuts = 0;
  readonly #listener: Deno.TcpListener;
  readonly #options: CutRelayOptions;
  readonly #conns = new Set<Deno.TcpConn>();
  readonly #pipes: Promise<void>[] = [];
  readonly #accepting: Promise<void>;

  /** Starts listening. */
  constructor(options: CutRelayOptions) {
    this.#options = options;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accepting = this.#accept();
  }

  async #accept(): Promise<void> {
    while (true) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return;
      }
      this.connections++;
      this.#pipes.push(this.#serve(client));
    }
  }

  async #serve(client: Deno.TcpConn): Promise<void> {
    let server: Deno.TcpConn;
    try {
      server = await Deno.connect(this.#options.target);
    } catch {
      client.close();
      return;
    }
    this.#conns.add(client).add(server);
    this.open++;
    const cut = this.cuts < (this.#options.times ?? 1);
    let armed = false;
    let seen = "";
    let passed = 0;
    const closeBoth = () => {
      for (const conn of [client, server]) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
    };
    const up = (async () => {
      const buffer = new Uint8Array(16 * 1024);
      try {
        while (true) {
          const n = await client.read(buffer);
          if (n === null) break;
          if (cut && !armed) {
            seen = (seen + new TextDecoder().decode(buffer.subarray(0, n))).slice(-4096);
            if (seen.includes(this.#options.trigger)) armed = true;
          }
          await writeAll(server, buffer.subarray(0, n));
        }
      } catch {
        // one side went away
      }
      closeBoth();
    })();
    const down = (async () => {
      const buffer = new Uint8Array(16 * 1024);
      try {
        while (true) {
          const n = await server.read(buffer);
          if (n === null) break;
          if (armed) {
            const room = this.#options.afterBytes - passed;
            if (room <= n) {
              await writeAll(client, buffer.subarray(0, Math.max(0, room)));
              this.cuts++;
              break;
            }
            passed += n;
          }
          await writeAll(client, buffer.subarray(0, n));
        }
      } catch {
        // one side went away
      }
      closeBoth();
    })();
    await Promise.all([up, down]);
    this.open--;
    this.#conns.delete(client);
    this.#conns.delete(server);
  }

  /** Stops accepting, closes every connection and waits for the pipes to end. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    await this.#accepting;
    await Promise.all(this.#pipes);
  }

  /** Same as close(). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}
