/**
 * The connection gate: one per process, shared by everything that connects
 * (the query pool, the ping/traceroute pool, reachability probes). Per server
 * (`host:port`, however many names point at it) at most `maxConcurrent`
 * connections are open at once, whoever holds them. A holder with nothing to
 * do marks its connection idle; a request that waits for room closes the
 * oldest idle connection of another holder.
 *
 * @module
 */

/** What a connection request asks for. */
export interface GateRequest {
  /** Most connections to the server at once, across every holder. */
  limit: number;
  /** Who asks (a pool, the prober): its connections count against `ownerLimit`. */
  owner: object;
  /** Most connections this owner may hold to the server at once (default: no own limit). */
  ownerLimit?: number;
}

/** The right to hold one open connection to a server. */
export class Permit {
  /** The server's `host:port`. */
  readonly key: string;
  /** Who holds it. */
  readonly owner: object;
  readonly #gate: ConnectionGate;
  #evict: (() => void) | null = null;
  #session: { readonly closed: boolean } | null = null;
  #idleSince = 0;
  #released = false;
  readonly #onRelease: (() => void)[] = [];

  /** Created by the gate only. */
  constructor(gate: ConnectionGate, key: string, owner: object) {
    this.#gate = gate;
    this.key = key;
    this.owner = owner;
  }

  /** Whether the connection is idle (and may be closed for another request). */
  get idle(): boolean {
    return this.#evict !== null;
  }

  /** When it became idle (`performance.now()`). */
  get idleSince(): number {
    return this.#idleSince;
  }

  /** Whether it holds a logged-in session that is open (see {@linkcode Permit.attach}). */
  get live(): boolean {
    return !this.#released && this.#session !== null && !this.#session.closed;
  }

  /**
   * Ties the permit to a session that has logged in: while that session is
   * open it counts in {@linkcode ConnectionGate.sessions} (proof that the
   * server answers). A connection still opening or closing never counts.
   */
  attach(session: { readonly closed: boolean }): void {
    this.#session = session;
  }

  /** Whether it was given back. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Marks the connection idle. `evict` is called when another request needs
   * the room: it must close the connection and release the permit.
   */
  markIdle(evict: () => void): void {
    if (this.#released) return;
    this.#evict = evict;
    this.#idleSince = performance.now();
    this.#gate.changed(this.key);
  }

  /** Marks the connection in use again. */
  markBusy(): void {
    this.#evict = null;
  }

  /** Asks the holder to close the idle connection. */
  evict(): void {
    const evict = this.#evict;
    this.#evict = null;
    evict?.();
  }

  /**
   * Runs `fn` once when the permit is given back (at once if it was): what
   * else the connection holds (a slot of the team's limit in Redis) goes with it.
   */
  onRelease(fn: () => void): void {
    if (this.#released) fn();
    else this.#onRelease.push(fn);
  }

  /** Gives the permit back (the connection is closed). Safe to call more than once. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#evict = null;
    this.#gate.removed(this);
    for (const fn of this.#onRelease.splice(0)) fn();
  }
}

interface Waiting {
  request: GateRequest;
  /** Hands over a permit; returns false when the waiter no longer wants it. */
  grant: (permit: Permit) => boolean;
}

interface Entry {
  permits: Set<Permit>;
  queue: Waiting[];
}

/** Per-server connection limits across every holder in the process. */
export class ConnectionGate {
  readonly #entries = new Map<string, Entry>();
  readonly #peaks = new Map<string, number>();
  #pumping = false;
  readonly #again = new Set<string>();

  /** Connections open now to a server. */
  open(key: string): number {
    return this.#entries.get(key)?.permits.size ?? 0;
  }

  /** Logged-in sessions with a server open now (permits with a live session attached). */
  sessions(key: string): number {
    let live = 0;
    for (const permit of this.#entries.get(key)?.permits ?? []) if (permit.live) live++;
    return live;
  }

  /** Most connections that were open at once to a server since the gate was created. */
  peak(key: string): number {
    return this.#peaks.get(key) ?? 0;
  }

  /** A permit now if there is room (and nobody is waiting ahead), else `null`. */
  tryAcquire(key: string, request: GateRequest): Permit | null {
    const entry = this.#entry(key);
    if (entry.queue.length > 0 || !this.#fits(entry, request)) return null;
    return this.#issue(key, entry, request.owner);
  }

  /**
   * Queues a request; `grant` is called once when there is room (never
   * before this returns). Returns a function that withdraws the request.
   */
  request(key: string, request: GateRequest, grant: (permit: Permit) => boolean): () => void {
    const entry = this.#entry(key);
    const waiting: Waiting = { request, grant };
    entry.queue.push(waiting);
    queueMicrotask(() => this.changed(key));
    return () => {
      const i = entry.queue.indexOf(waiting);
      if (i >= 0) entry.queue.splice(i, 1);
      this.#drop(key, entry);
    };
  }

  /**
   * Waits for a permit, up to `timeoutMs`; `null` when none came in time.
   *
   * @throws the signal's reason when it aborts
   */
  acquire(
    key: string,
    request: GateRequest,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<Permit | null> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.tryAcquire(key, request);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        withdraw();
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const withdraw = this.request(key, request, (permit) => {
        if (done) return false;
        finish();
        resolve(permit);
        return true;
      });
      const timer = setTimeout(() => {
        if (done) return;
        finish();
        resolve(null);
      }, options.timeoutMs);
      const onAbort = () => {
        if (done) return;
        finish();
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Asks the holder of the longest-idle connection to a server to close it
   * (another replica of the team waits for room); false when none is idle.
   */
  evictIdle(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    const victim = [...entry.permits]
      .filter((p) => p.idle)
      .sort((a, b) => a.idleSince - b.idleSince)[0];
    victim?.evict();
    return victim !== undefined;
  }

  /** Something changed for a server (a permit released or gone idle): serve the queue. */
  changed(key: string): void {
    if (this.#pumping) {
      this.#again.add(key);
      return;
    }
    this.#pumping = true;
    try {
      this.#again.add(key);
      while (this.#again.size > 0) {
        const [next] = this.#again;
        this.#again.delete(next);
        this.#pump(next);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Called by a permit when it is released. */
  removed(permit: Permit): void {
    const entry = this.#entries.get(permit.key);
    if (!entry) return;
    entry.permits.delete(permit);
    this.changed(permit.key);
    this.#drop(permit.key, entry);
  }

  #pump(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    for (const waiting of [...entry.queue]) {
      if (this.#fits(entry, waiting.request)) {
        entry.queue.splice(entry.queue.indexOf(waiting), 1);
        const permit = this.#issue(key, entry, waiting.request.owner);
        if (!waiting.grant(permit)) permit.release();
        continue;
      }
      // Make room: close the longest-idle connection whose closing lets this request in.
      const victim = [...entry.permits]
        .filter((p) => p.idle && this.#fitsWithout(entry, waiting.request, p))
        .sort((a, b) => a.idleSince - b.idleSince)[0];
      if (victim) {
        victim.evict();
        return; // its release serves the queue again
      }
    }
    this.#drop(key, entry);
  }

  #fits(entry: Entry, request: GateRequest): boolean {
    return this.#fitsWithout(entry, request, null);
  }

  #fitsWithout(entry: Entry, request: GateRequest, leaving: Permit | null): boolean {
    const open = entry.permits.size - (leaving ? 1 : 0);
    let owned = 0;
    for (const p of entry.permits) if (p !== leaving && p.owner === request.owner) owned++;
    return open < request.limit && owned < (request.ownerLimit ?? Infinity);
  }

  #issue(key: string, entry: Entry, owner: object): Permit {
    const permit = new Permit(this, key, owner);
    entry.permits.add(permit);
    this.#peaks.set(key, Math.max(this.#peaks.get(key) ?? 0, entry.permits.size));
    return permit;
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { permits: new Set(), queue: [] };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #drop(key: string, entry: Entry): void {
    if (entry.permits.size === 0 && entry.queue.length === 0) this.#entries.delete(key);
  }
}
