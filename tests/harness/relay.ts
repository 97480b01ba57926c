/**
 * A counting TCP relay on 127.0.0.1:0 in front of a real server: counts the
 * connections it accepted, the most open at once, the bytes each way and the
 * command lines the client sent; optionally delays each chunk by a one-way
 * latency (the kernel here has no netem). It counts what a server counts: a
 * connection is open from the moment it is accepted until the relay closes
 * it (when either side ended it), and it is uncounted before it is closed, so
 * a client that has seen the close never finds it still counted.
 */

/** Options for {@linkcode Relay}. */
export interface RelayOptions {
  /** Where to forward. */
  target: { hostname: string; port: number };
  /** One-way delay added to every chunk, each direction. */
  delayMs?: number;
  /**
   * How long the relay takes to notice that a client ended its side (a busy
   * server): the connection stays open — and counted — that much longer, and
   * the server behind learns of it only then.
   */
  noticeMs?: number;
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
  readonly #ends = new Set<() => void>();
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
    // A connection is the server's from the moment it is accepted until the server closes it:
    // counted from here, and uncounted just before the relay closes it (so a client that has
    // seen the close can never see the count still up).
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    let server: Deno.TcpConn | null = null;
    let ended = false;
    let lag: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(lag);
      this.#ends.delete(end);
      this.open--;
      for (const conn of [client, server]) {
        try {
          conn?.close();
        } catch {
          // already closed
        }
      }
    };
    this.#ends.add(end);
    const noticeMs = this.#options.noticeMs ?? 0;
    const clientEnded = noticeMs > 0
      ? () => {
        if (!ended && lag === undefined) lag = setTimeout(end, noticeMs);
      }
      : end;
    try {
      server = await Deno.connect(this.#options.target);
    } catch {
      end();
      return;
    }
    if (ended) {
      // The relay was closed while connecting.
      server.close();
      return;
    }
    client.setNoDelay(true);
    server.setNoDelay(true);
    let pending = "";
    const delayMs = this.#options.delayMs ?? 0;
    const closing = () => this.#closed;
    const up = pipe(client, server, {
      delayMs,
      closing,
      end: clientEnded,
      seen: (chunk) => {
        this.bytesUp += chunk.length;
        pending += stripTelnet(chunk);
        const parts = pending.split(/\r\n|\r\0|\n/);
        pending = parts.pop()!;
        this.lines.push(...parts);
      },
    });
    const down = pipe(server, client, {
      delayMs,
      closing,
      end,
      seen: (chunk) => (this.bytesDown += chunk.length),
    });
    await Promise.all([up, down]);
  }

  /** Stops accepting, closes every connection and waits for the pipes to end. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
    }
    for (const end of [...this.#ends]) end();
    await this.#accepting;
    await Promise.all(this.#pipes);
  }

  /** Same as close(). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Options for {@linkcode pipe}. */
export interface PipeOptions {
  /** One-way delay added to every chunk. */
  delayMs: number;
  /** Whether the relay is closing (then chunks are no longer delayed). */
  closing: () => boolean;
  /** Ends the connection (closes both sides); called once either side ends or a write fails. */
  end: () => void;
  /** Sees every chunk read. */
  seen: (chunk: Uint8Array) => void;
}

/**
 * Copies `from` to `to` until either side ends (or a write fails), then
 * calls `end`, which closes both. With a delay, each chunk is delivered
 * `delayMs` after it arrived (a latency, not a bandwidth limit: chunks in
 * flight overlap). Never rejects: a failed write (the other side reset,
 * `BrokenPipe`) ends the connection instead of rejecting unhandled.
 */
export async function pipe(
  from: Pick<Deno.Conn, "read">,
  to: Pick<Deno.Conn, "write">,
  options: PipeOptions,
): Promise<void> {
  const { delayMs, end } = options;
  const queue: { due: number; chunk: Uint8Array | null }[] = [];
  let wake: (() => void) | null = null;
  const push = (chunk: Uint8Array | null) => {
    queue.push({ due: performance.now() + delayMs, chunk });
    wake?.();
  };
  const writer = (async () => {
    while (true) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const { due, chunk } = queue.shift()!;
      if (chunk === null) return;
      const wait = due - performance.now();
      if (wait > 0 && !options.closing()) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      for (let offset = 0; offset < chunk.length;) {
        offset += await to.write(chunk.subarray(offset));
      }
    }
  })().catch(() => end());
  const buffer = new Uint8Array(32 * 1024);
  try {
    while (true) {
      const n = await from.read(buffer);
      if (n === null) break;
      const chunk = buffer.slice(0, n);
      options.seen(chunk);
      push(chunk);
    }
  } catch {
    // one side went away
  }
  push(null);
  await writer;
  end();
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
