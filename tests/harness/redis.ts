/**
 * A real `redis-server` (the Debian package) for tests: started here in the
 * foreground on a free loopback port, with no persistence and its own empty
 * directory, and stopped by its pid. {@linkcode redisTest} registers a test
 * that needs it: shown as ignored, with the reason in its name, where
 * redis-server is missing, and a failure under `CI=true` (never a silent skip).
 */

const REDIS_SERVER = "redis-server";

/** Whether redis-server can run here, and why not. */
export async function redisAvailability(): Promise<{ available: boolean; reason: string }> {
  try {
    const { success } = await new Deno.Command(REDIS_SERVER, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (success) return { available: true, reason: "" };
    return { available: false, reason: "redis-server --version failed" };
  } catch {
    return { available: false, reason: "redis-server is missing (apt-get install redis-server)" };
  }
}

/**
 * Registers a test that needs redis-server: ignored with the reason where it
 * is missing, but a failure under `CI=true`.
 */
export async function redisTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): Promise<void> {
  const { available, reason } = await redisAvailability();
  const ci = Deno.env.get("CI") === "true";
  if (!available && !ci) {
    Deno.test({ name: `${name} (ignored: ${reason})`, ignore: true, fn() {} });
    return;
  }
  Deno.test({
    name,
    async fn(t) {
      if (!available) throw new Error(`CI=true but redis-server cannot run: ${reason}`);
      await fn(t);
    },
  });
}

/** A running redis-server. Dispose of it (or call `stop`) when done. */
export interface RedisServer extends AsyncDisposable {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** The loopback port. */
  port: number;
  /** The process id of the running server (changes on `restart`). */
  pid(): number;
  /** Kills the server at once (SIGKILL), as a crash would; the port stays reserved for `restart`. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Starts the server again on the same port (after `kill`): empty, or from its append-only file. */
  restart(): Promise<void>;
  /** Stops the server (SIGTERM) and removes its directory. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startRedis}. */
export interface RedisStartOptions {
  /** Keep an append-only file, so that `restart` after `kill` finds the data again (default: nothing on disk). */
  appendonly?: boolean;
}

/** Starts redis-server on a free loopback port and waits until it answers PING. */
export async function startRedis(options: RedisStartOptions = {}): Promise<RedisServer> {
  const appendonly = options.appendonly ?? false;
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-redis-" });
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    let child = spawn(port, dir, appendonly);
    try {
      await waitForPing(port, child);
    } catch (error) {
      lastError = error;
      await end(child);
      continue;
    }
    let frozen = false;
    const server: RedisServer = {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: () => child.pid,
      async kill() {
        if (frozen) server.thaw();
        await end(child, "SIGKILL");
      },
      freeze() {
        child.kill("SIGSTOP");
        frozen = true;
      },
      thaw() {
        child.kill("SIGCONT");
        frozen = false;
      },
      async restart() {
        await end(child, "SIGKILL");
        child = spawn(port, dir, appendonly);
        await waitForPing(port, child);
      },
      async stop() {
        if (frozen) server.thaw();
        await end(child);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      },
      [Symbol.asyncDispose]() {
        return server.stop();
      },
    };
    return server;
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  throw new Error(`redis-server did not start: ${(lastError as Error)?.message ?? lastError}`);
}

/** Sends one raw RESP command to the server (no client library) and returns the reply text. */
export async function rawCommand(port: number, ...args: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const encoder = new TextEncoder();
    let request = `*${args.length}\r\n`;
    for (const arg of args) request += `$${encoder.encode(arg).length}\r\n${arg}\r\n`;
    await conn.write(encoder.encode(request));
    const buffer = new Uint8Array(64 * 1024);
    const timer = setTimeout(() => conn.close(), 5000);
    try {
      const n = await conn.read(buffer);
      return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
    } finally {
      clearTimeout(timer);
    }
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}

function spawn(port: number, dir: string, appendonly: boolean): Deno.ChildProcess {
  return new Deno.Command(REDIS_SERVER, {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      appendonly ? "yes" : "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function end(child: Deno.ChildProcess, signal: Deno.Signal = "SIGTERM"): Promise<void> {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
  await child.status;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPing(port: number, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => (exited = true));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server exited at start (port ${port})`);
    try {
      if ((await rawCommand(port, "PING")).startsWith("+PONG")) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
}
