/**
 * The connection to Redis for team mode, on npm `@redis/client` (node-redis's
 * core, MIT, no dependencies). The package is imported lazily, by a specifier
 * Deno cannot see ahead of time, so `deno task start` (stdio) never downloads
 * it: only a process started with `--redis` does.
 *
 * One link holds two connections (commands, and a subscriber for pub/sub).
 * Commands never wait in an offline queue: while Redis is unreachable every
 * command fails at once with {@linkcode RedisUnavailableError}, and the client
 * reconnects with exponential backoff (100 ms doubling to 5 s, with jitter).
 * A Redis that stops answering (frozen, partitioned) is noticed by a PING
 * every second and a socket timeout; a command waits at most
 * `commandTimeoutMs` either way, so nothing hangs.
 *
 * @module
 */

import { log } from "../log.ts";
import { RedisReplyError, RedisUnavailableError } from "../errors.ts";

/** The client package, pinned (tests/deno.lock holds its checksum). */
export const REDIS_CLIENT_PACKAGE = "@redis/client@6.3.1";

/** Options for {@linkcode openRedis}. */
export interface RedisOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** Longest wait for the first connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Longest wait for any command's answer (default 5000 ms). */
  commandTimeoutMs?: number;
  /** First reconnect delay (default 100 ms); doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  /** Longest reconnect delay (default 5000 ms). */
  maxReconnectDelayMs?: number;
}

/** The part of a node-redis client this module uses. */
interface NodeRedisClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  duplicate(): NodeRedisClient;
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(
    channel: string,
    listener?: (message: string, channel: string) => void,
  ): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface NodeRedisModule {
  createClient(options: Record<string, unknown>): NodeRedisClient;
  /** The class of Redis's error replies (a script error, WRONGTYPE, NOSCRIPT, OOM …). */
  ErrorReply: new (...args: never[]) => Error;
}

/** A Lua script run with EVALSHA (loaded once per link, again after a Redis restart). */
export class LuaScript {
  /** The script's source. */
  readonly source: string;

  /** Creates a script from its source. */
  constructor(source: string) {
    this.source = source;
  }
}

/** Loads the client package (once per process). */
let loading: Promise<NodeRedisModule> | null = null;
function loadClient(): Promise<NodeRedisModule> {
  // A computed specifier: Deno neither fetches nor locks it until a process needs it.
  loading ??= import(`npm:${REDIS_CLIENT_PACKAGE}`) as Promise<NodeRedisModule>;
  return loading;
}

/**
 * Connects to Redis and waits for the first connection.
 *
 * @throws {RedisUnavailableError} when Redis does not answer within `connectTimeoutMs`
 * @throws {TypeError} for a URL that is not `redis://` or `rediss://`
 */
export async function openRedis(options: RedisOptions): Promise<RedisLink> {
  const url = redactedUrl(options.url);
  const module = await loadClient();
  const link = new RedisLink(module, options, url);
  await link.start();
  return link;
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`--redis ${JSON.stringify(raw.slice(0, 80))} is not a URL`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new TypeError(
      `--redis takes a redis:// or rediss:// URL, not ${JSON.stringify(url.protocol)}`,
    );
  }
  if (url.password !== "") url.password = "***";
  return url.toString();
}

/** A connection to Redis: commands, scripts and pub/sub, failing fast while Redis is away. */
export class RedisLink {
  /** The URL without its password. */
  readonly url: string;
  readonly #client: NodeRedisClient;
  readonly #module: NodeRedisModule;
  readonly #options: RedisOptions;
  #subscriber: NodeRedisClient | null = null;
  #subscribing: Promise<NodeRedisClient> | null = null;
  readonly #shas = new Map<LuaScript, string>();
  readonly #listeners = new Set<(ready: boolean) => void>();
  #lastReason = "not connected yet";
  /** When the client's pending reconnect timer fires (it cannot be cancelled). */
  #retryAt = 0;
  #wasReady = false;
  #closed = false;

  /** Created by {@linkcode openRedis}. */
  constructor(module: NodeRedisModule, options: RedisOptions, url: string) {
    this.url = url;
    this.#module = module;
    this.#options = options;
    const initial = options.reconnectDelayMs ?? 100;
    const ceiling = options.maxReconnectDelayMs ?? 5000;
    this.#client = module.createClient({
      url: options.url,
      // Never queue a command while disconnected: it is refused at once.
      disableOfflineQueue: true,
      // A Redis Enterprise feature; its handshake reads environment variables, which the
      // server's permissions do not include (--allow-env is not needed).
      maintNotifications: "disabled",
      pingInterval: 1000,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 5000,
        // No answer (not even to PING) for this long: the socket is closed and rebuilt.
        socketTimeout: Math.max(2000, (options.commandTimeoutMs ?? 5000) + 1000),
        reconnectStrategy: (retries: number) => {
          if (this.#closed) return false;
          const delay = Math.min(ceiling, initial * 2 ** Math.min(retries, 16));
          const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
          this.#retryAt = Date.now() + jittered;
          return jittered;
        },
      },
    });
    this.#watch(this.#client, "commands");
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return !this.#closed && this.#client.isReady;
  }

  /** Waits for the first connection (used by {@linkcode openRedis}). */
  async start(): Promise<void> {
    const timeoutMs = this.#options.connectTimeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(resolve, timeoutMs, "late")));
    const connecting = this.#client.connect();
    connecting.catch(() => {});
    try {
      const outcome = await Promise.race([connecting, late]);
      if (outcome === "late") {
        const last = this.#lastReason === "not connected yet" ? "" : `; ${this.#lastReason}`;
        throw this.unavailable(`no connection within ${timeoutMs} ms${last}`);
      }
    } catch (error) {
      this.#closed = true;
      try {
        this.#client.destroy();
      } catch {
        // not open
      }
      await this.#settled();
      if (error instanceof RedisUnavailableError) throw error;
      throw this.unavailable(message(error), error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits out the client's reconnect timer, if one is pending (at most the longest delay). */
  async #settled(): Promise<void> {
    const wait = this.#retryAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 20));
  }

  /** Calls `listener` with `true` when the link becomes ready and `false` when it is lost. */
  onReadyChange(listener: (ready: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The error for "Redis cannot be used now", with the last reason seen. */
  unavailable(reason: string = this.#lastReason, cause?: unknown): RedisUnavailableError {
    return new RedisUnavailableError(this.url, reason, cause === undefined ? undefined : { cause });
  }

  /**
   * Sends one command and returns Redis's reply.
   *
   * @throws {RedisUnavailableError} when Redis is away, does not answer in time or answers with an error
   */
  async command<T = unknown>(args: string[]): Promise<T> {
    if (!this.ready) throw this.unavailable();
    const timeoutMs = this.#options.commandTimeoutMs ?? 5000;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(this.unavailable(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const sent = this.#client.sendCommand(args, { abortSignal: controller.signal });
    sent.catch(() => {});
    try {
      return (await Promise.race([sent, late])) as T;
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      if (error instanceof this.#module.ErrorReply) throw new RedisReplyError(message(error));
      throw this.unavailable(message(error), error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs a Lua script (EVALSHA, loading it first when Redis does not know it).
   *
   * @throws {RedisUnavailableError} when Redis is away or does not answer in time
   * @throws {RedisReplyError} when the script fails
   */
  async script<T = unknown>(script: LuaScript, keys: string[], args: string[]): Promise<T> {
    for (let attempt = 0;; attempt++) {
      let sha = this.#shas.get(script);
      if (sha === undefined) {
        sha = await this.command<string>(["SCRIPT", "LOAD", script.source]);
        this.#shas.set(script, sha);
      }
      try {
        return await this.command<T>(["EVALSHA", sha, String(keys.length), ...keys, ...args]);
      } catch (error) {
        // A restarted (or flushed) Redis forgot the script: load it again, once.
        if (
          error instanceof RedisReplyError && error.message.startsWith("NOSCRIPT") && attempt === 0
        ) {
          this.#shas.delete(script);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Subscribes to a channel on the subscriber connection (made on first use;
   * it subscribes again by itself after a reconnect). Returns the unsubscribe.
   *
   * @throws {RedisUnavailableError} when Redis is away
   */
  async subscribe(
    channel: string,
    listener: (message: string) => void,
  ): Promise<() => Promise<void>> {
    const subscriber = await this.#subscriberClient();
    const handler = (text: string) => listener(text);
    try {
      await subscriber.subscribe(channel, handler);
    } catch (error) {
      throw this.unavailable(message(error), error);
    }
    return async () => {
      try {
        if (subscriber.isOpen) await subscriber.unsubscribe(channel, handler);
      } catch {
        // gone with the connection: nothing to undo
      }
    };
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscriber = this.#subscribing ? await this.#subscribing.catch(() => null) : null;
    for (const client of [subscriber, this.#client]) {
      if (!client) continue;
      try {
        if (client.isReady) await client.close();
        else client.destroy();
      } catch {
        try {
          client.destroy();
        } catch {
          // already closed
        }
      }
    }
    await this.#settled();
  }

  #subscriberClient(): Promise<NodeRedisClient> {
    if (this.#closed) return Promise.reject(this.unavailable("the link is closed"));
    if (!this.#subscribing) {
      const subscriber = this.#client.duplicate();
      this.#watch(subscriber, "subscriber");
      this.#subscribing = subscriber.connect().then(() => {
        this.#subscriber = subscriber;
        return subscriber;
      }, (error) => {
        this.#subscribing = null;
        try {
          subscriber.destroy();
        } catch {
          // not open
        }
        throw this.unavailable(message(error), error);
      });
    }
    return this.#subscribing;
  }

  #watch(client: NodeRedisClient, role: "commands" | "subscriber"): void {
    client.on("error", (error) => {
      this.#lastReason = message(error);
    });
    if (role !== "commands") return;
    client.on("ready", () => {
      if (this.#wasReady) log("info", `redis ${this.url}: connected again`);
      this.#wasReady = true;
      for (const listener of this.#listeners) listener(true);
    });
    client.on("reconnecting", () => {
      if (this.#closed) return;
      if (this.#wasReady) {
        log(
          "warn",
          `redis ${this.url}: connection lost (${this.#lastReason}); route-server queries are ` +
            "refused until it is back; reconnecting with backoff",
        );
      }
      this.#wasReady = false;
      for (const listener of this.#listeners) listener(false);
    });
  }

  /** The subscriber connection, if one was made (tests). */
  get subscriberOpen(): boolean {
    return this.#subscriber?.isOpen ?? false;
  }
}

function message(error: unknown): string {
  const text = (error as Error)?.message ?? String(error);
  return text === "" ? String((error as Error)?.name ?? "unknown error") : text;
}
