/**
 * A counting TCP relay on 127.0.0.1:0 in front of a real server: counts the
 * connections it accepted, the most open at once, the bytes each way and the
 * command lines the client sent; optionally delays each chunk by a one-way
 * latency (the kernel here has no netem).
 */

/** Options for {@linkcode Relay}. */
export interface RelayOptions {
  /** Where to forward. */
  target: { hostname: string; port: number };
  /** One-way delay added to every chunk, each direction. */
  delayMs?: number;
}

/** A running relay. Close it with `await relay.close()`. */
export class Relay implements AsyncDisposable {
  readonly port: number;
  /** Connections accepted so far. */
  connections = 0;
  /** Connections open now. */
  open = 0;
  /** Most connections open at the same time. */
  maxOpen = 0;
  /** Bytes client → server and server → client. */
  bytesUp = 0;
  bytesDown = 0;
  /** Command lines the clients sent (telnet option bytes removed). */
  readonly lines: string[] = [];
  readonly #listener: Deno.TcpListener;
  readonly #options: RelayOptions;
  readonly #conns = new Set<Deno.TcpConn>();
  readonly #pipes: Promise<void>[] = [];
  readonly #accepting: Promise<void>;
  #closed = false;

  constructor(options: RelayOptions) {
    this.#options = options;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accepting = this.#accept();
  }

  /** Number of command lines equal to `line`. */
  count(line: string): number {
    return this.lines.filter((l) => l === line).length;
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
    client.setNoDelay(true);
    server.setNoDelay(true);
    this.#conns.add(client).add(server);
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    let pending = "";
    const up = this.#pipe(client, server, (chunk) => {
      this.bytesUp += chunk.length;
      pending += stripTelnet(chunk);
      const parts = pending.split(/\r\n|\r\0|\n/);
      pending = parts.pop()!;
      this.lines.push(...parts);
    });
    const down = this.#pipe(server, client, (chunk) => (this.bytesDown += chunk.length));
    await Promise.all([up, down]);
    this.open--;
    this.#conns.delete(client);
    this.#conns.delete(server);
  }

  /**
   * Copies `from` to `to` until either side ends, then closes both. With a
   * delay, each chunk is delivered `delayMs` after it arrived (a latency, not a
   * bandwidth limit: chunks in flight overlap).
   */
  async #pipe(
    from: Deno.TcpConn,
    to: Deno.TcpConn,
    seen: (chunk: Uint8Array) => void,
  ): Promise<void> {
    const delay = this.#options.delayMs ?? 0;
    const queue: { due: number; chunk: Uint8Array | null }[] = [];
    let wake: (() => void) | null = null;
    const push = (chunk: Uint8Array | null) => {
      queue.push({ due: performance.now() + delay, chunk });
      wake?.();
    };
    const writer = (async () => {
      while (true) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const { due, chunk } = queue.shift()!;
        if (chunk === null) return;
        const wait = due - performance.now();
        if (wait > 0 && !this.#closed) await new Promise((resolve) => setTimeout(resolve, wait));
        for (let offset = 0; offset < chunk.length;) {
          offset += await to.write(chunk.subarray(offset));
        }
      }
    })();
    const buffer = new Uint8Array(32 * 1024);
    try {
      while (true) {
        const n = await from.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        seen(chunk);
        push(chunk);
      }
    } catch {
      // one side went away
    }
    push(null);
    await writer.catch(() => {});
    for (const conn of [from, to]) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }

  /** Stops accepting, closes every connection and waits for the pipes to end. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
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

/** Drops `IAC x y` option sequences and NULs so that only typed text remains. */
function stripTelnet(chunk: Uint8Array): string {
  let text = "";
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 255) {
      i += 2;
      continue;
    }
    text += String.fromCharCode(chunk[i]);
  }
  return text;
}
