/**
 * The real server process under attack: `deno run --no-prompt` of
 * `src/main.ts` with a scoped `--allow-net` (loopback ports only), driven by
 * the SDK's real client over stdio, like `tests/harness/stdio.ts` — plus what the
 * red team needs on top of that helper: other permission flags (a ledger
 * file), a deadline on `initialize`, a raw view of stdout (only JSON-RPC may
 * appear there), signals, and every child tracked by its handle so that
 * nothing outlives the run (a handle never signals a recycled pid).
 *
 * @module
 */

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/types"
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { type CallToolResult, Client } from "../../tests/harness/mod.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const MAX_STDERR = 256 * 1024;

/** What the raw stdout watcher collected. */
interface StdoutWatch {
  problems: string[];
  pending: string;
  lines: number;
}

/** The handle of a child process that can be signalled (Node's ChildProcess, Deno's). */
interface Killable {
  kill(signal?: Deno.Signal): unknown;
}

/**
 * Every server process started by this module and not yet known to be gone,
 * by handle: a handle never signals a recycled pid (it knows its child exited).
 */
const live = new Set<Killable>();

/** How to start the server. */
export interface SpawnOptions {
  /** The servers.json to serve. */
  config: string;
  /** `host:port` entries for `--allow-net` (loopback only). */
  allowNet: string[];
  /** `--ledger` value: a path, or `memory` (the default). */
  ledger?: string;
  /** Extra `--allow-read` paths (the config is always readable). */
  allowRead?: string[];
  /** `--allow-write` paths. */
  allowWrite?: string[];
  /** Leave out `--no-prompt` (to show that the process never prompts anyway). */
  withoutNoPrompt?: boolean;
  /** Environment beyond HOME, PATH, DENO_DIR, XDG_CACHE_HOME. */
  env?: Record<string, string>;
  /** Deadline for spawn + `initialize` + `tools/list` (default 15 s). */
  startTimeoutMs?: number;
}

/** One tool call's outcome, normalised. */
export interface CallOutcome {
  /** `result`: a CallToolResult; `protocol-error`: a JSON-RPC error (or a result the client refused); `timeout`; `gone`: the connection ended or the call was aborted. */
  kind: "result" | "protocol-error" | "timeout" | "gone";
  /** `isError: true` in the result. */
  isError: boolean;
  /** The result's text content joined, or the error message. */
  text: string;
  /** The result's structuredContent. */
  structured?: unknown;
  /** The whole result. */
  raw?: CallToolResult;
  /** JSON-RPC error code. */
  code?: number;
  /** Wall time. */
  ms: number;
}

/** A request that is not a tool call (prompts, resources, raw requests), normalised. */
export interface RequestOutcome {
  /** Whether a result came back. */
  ok: boolean;
  /** The result. */
  result?: unknown;
  /** JSON-RPC error code when not ok. */
  code?: number;
  /** The error message when not ok. */
  message: string;
}

/** A running server process with a connected SDK client. */
export class ServerProcess implements AsyncDisposable {
  /** The SDK client. */
  readonly client: Client;
  /** The process id. */
  readonly pid: number;
  /** Resolves when the process has exited (its stdio closed). */
  readonly exited: Promise<void>;
  readonly #transport: StdioClientTransport;
  readonly #stdout: StdoutWatch;
  readonly #stderr: { text: string };
  readonly #child: Killable;
  #gone = false;
  #killed = false;

  private constructor(
    client: Client,
    transport: StdioClientTransport,
    child: Killable & { pid: number },
    exited: Promise<void>,
    streams: { stdout: StdoutWatch; stderr: { text: string } },
  ) {
    this.client = client;
    this.#transport = transport;
    this.#child = child;
    this.pid = child.pid;
    this.exited = exited.then(() => {
      this.#gone = true;
      live.delete(child);
    });
    this.#stdout = streams.stdout;
    this.#stderr = streams.stderr;
  }

  /**
   * Starts the process and connects; rejects (after killing it) when it does
   * not answer `initialize` and `tools/list` within the deadline.
   */
  static async start(options: SpawnOptions): Promise<ServerProcess> {
    const args = [
      "run",
      ...(options.withoutNoPrompt ? [] : ["--no-prompt"]),
      "--v8-flags=--liftoff-only", // as deno task start: the picture renderer's peak memory
      `--allow-net=${options.allowNet.join(",")}`,
      `--allow-read=${[options.config, ...(options.allowRead ?? [])].join(",")}`,
      ...(options.allowWrite?.length ? [`--allow-write=${options.allowWrite.join(",")}`] : []),
      "src/main.ts",
      "--config",
      options.config,
      "--ledger",
      options.ledger ?? "memory",
    ];
    const env: Record<string, string> = Object.fromEntries(
      ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((k) => {
        const v = Deno.env.get(k);
        return v === undefined ? [] : [[k, v]];
      }),
    );
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args,
      cwd: ROOT,
      env: { ...env, NO_COLOR: "1", ...options.env },
      stderr: "pipe",
    });
    const stderr = { text: "" };
    transport.stderr?.on("data", (chunk: Uint8Array) => {
      if (stderr.text.length < MAX_STDERR) stderr.text += new TextDecoder().decode(chunk);
    });
    const stdout: StdoutWatch = { problems: [], pending: "", lines: 0 };
    // Watch the raw stdout next to the SDK's reader: every line must be a JSON-RPC message.
    // Keep the child's handle: signals go through it, never through a bare pid.
    let child: (Killable & { pid: number }) | undefined;
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      const spawned = (transport as unknown as {
        _process?: Killable & {
          pid: number;
          stdin?: { setMaxListeners?(n: number): void };
          stdout?: { on(e: string, f: (c: Uint8Array) => void): void };
        };
      })._process;
      child = spawned;
      // Hundreds of calls at once each wait for a "drain" on stdin: not a leak.
      spawned?.stdin?.setMaxListeners?.(0);
      if (spawned) live.add(spawned);
      const decoder = new TextDecoder();
      spawned?.stdout?.on("data", (chunk: Uint8Array) => {
        stdout.pending += decoder.decode(chunk, { stream: true });
        const lines = stdout.pending.split("\n");
        stdout.pending = lines.pop()!;
        for (const line of lines) {
          stdout.lines++;
          if (!isJsonRpc(line) && stdout.problems.length < 5) {
            stdout.problems.push(line.slice(0, 120));
          }
        }
      });
    };
    const client = new Client({ name: "bgp-lg-mcp-red-team", version: "0.0.0" });
    let resolveExit: () => void = () => {};
    const exited = new Promise<void>((resolve) => (resolveExit = resolve));
    client.onclose = () => resolveExit();
    client.onerror = () => {}; // late answers to timed-out calls; stdout is checked separately
    const deadline = options.startTimeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connecting = (async () => {
      await client.connect(transport);
      await client.listTools(); // caches the output schemas: the client then validates results
    })();
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), deadline);
    });
    let outcome: "timeout" | void;
    try {
      outcome = await Promise.race([connecting, timedOut]);
    } catch (error) {
      clearTimeout(timer);
      kill(child, "SIGKILL");
      throw new Error(
        `the server did not start: ${(error as Error).message}; stderr: ${
          stderr.text.slice(0, 400)
        }`,
      );
    }
    clearTimeout(timer);
    if (outcome === "timeout" || child === undefined) {
      kill(child, "SIGKILL");
      connecting.catch(() => {});
      transport.close().catch(() => {});
      throw new StartTimeout(deadline, stderr.text);
    }
    return new ServerProcess(client, transport, child, exited, { stdout, stderr });
  }

  /** Everything the process wrote to stderr so far (first 256 KiB). */
  stderr(): string {
    return this.#stderr.text;
  }

  /** Lines on stdout that were not JSON-RPC messages (at most 5), and how many lines there were. */
  stdoutReport(): { problems: readonly string[]; lines: number } {
    const trailing = this.#stdout.pending.trim() === "" ? [] : [this.#stdout.pending.slice(0, 120)];
    return {
      problems: [...this.#stdout.problems, ...(this.#gone ? trailing : [])],
      lines: this.#stdout.lines,
    };
  }

  /** Whether the process has exited (or was sent SIGKILL). */
  get gone(): boolean {
    return this.#gone || this.#killed;
  }

  /** Calls a tool with a deadline; never throws. */
  async call(
    name: string,
    args: unknown,
    options: { timeoutMs?: number; signal?: AbortSignal; progress?: boolean } = {},
  ): Promise<CallOutcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const result = (await this.client.callTool(
        { name, arguments: args as Record<string, unknown> },
        undefined,
        {
          timeout: options.timeoutMs ?? 30_000,
          signal: options.signal,
          ...(options.progress ? { onprogress: () => {} } : {}),
        },
      )) as CallToolResult;
      const text = (result.content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n");
      return {
        kind: "result",
        isError: result.isError === true,
        text,
        structured: result.structuredContent,
        raw: result,
        ms: ms(),
      };
    } catch (error) {
      if (error instanceof McpError) {
        return {
          kind: error.code === -32001 ? "timeout" : "protocol-error",
          isError: true,
          text: error.message,
          code: error.code,
          ms: ms(),
        };
      }
      return {
        kind: "gone",
        isError: true,
        text: String((error as Error)?.message ?? error),
        ms: ms(),
      };
    }
  }

  /** Gets a prompt; never throws. */
  prompt(
    name: string,
    args: Record<string, unknown>,
    options: { timeoutMs?: number } = {},
  ): Promise<RequestOutcome> {
    return outcomeOf(
      this.client.getPrompt({ name, arguments: args as Record<string, string> }, {
        timeout: options.timeoutMs ?? 10_000,
      }),
    );
  }

  /** Reads a resource; never throws. */
  resource(uri: string, timeoutMs = 10_000): Promise<RequestOutcome> {
    return outcomeOf(this.client.readResource({ uri }, { timeout: timeoutMs }));
  }

  /** Sends any request (a malformed one, an unknown method); never throws. */
  raw(
    method: string,
    params: unknown,
    options: { timeoutMs?: number } = {},
  ): Promise<RequestOutcome> {
    return outcomeOf(
      this.client.request(
        { method, params } as never,
        // Any JSON object is accepted as a result: the question is whether an error comes back.
        {
          parse: (v: unknown) => v,
          safeParse: (v: unknown) => ({ success: true, data: v }),
        } as never,
        { timeout: options.timeoutMs ?? 10_000 },
      ),
    );
  }

  /** Peak resident set size so far, in bytes (Linux), or NaN once gone. */
  async peakRss(): Promise<number> {
    // Deno wants --allow-all to read /proc directly; `cat` needs only --allow-run.
    const output = await new Deno.Command("cat", {
      args: [`/proc/${this.pid}/status`],
      stdout: "piped",
      stderr: "null",
    }).output();
    const status = new TextDecoder().decode(output.stdout);
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  }

  /** Sends a signal through the child's handle; resolves to whether it was sent. */
  signal(signal: Deno.Signal): boolean {
    if (this.#gone) return false;
    if (signal === "SIGKILL") this.#killed = true;
    return kill(this.#child, signal);
  }

  /**
   * Ends the session like a client does (stdin closed) and waits up to
   * `graceMs` for the exit; then kills it by pid. Resolves to whether it
   * exited on its own.
   */
  async close(graceMs = 5_000): Promise<boolean> {
    if (this.#gone) return true;
    if (this.#killed) {
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      return false;
    }
    this.#transport.close().catch(() => {});
    const exited = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs)),
    ]);
    if (!exited) {
      kill(this.#child, "SIGKILL");
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    }
    return exited;
  }

  /** Same as close(). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** `initialize` did not complete in time. */
export class StartTimeout extends Error {
  /** What the process wrote to stderr. */
  readonly stderr: string;

  /** Creates the error. */
  constructor(ms: number, stderr: string) {
    super(`the server did not answer initialize within ${ms} ms`);
    this.name = "StartTimeout";
    this.stderr = stderr;
  }
}

async function outcomeOf(request: Promise<unknown>): Promise<RequestOutcome> {
  try {
    return { ok: true, result: await request, message: "" };
  } catch (error) {
    if (error instanceof McpError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, message: String((error as Error)?.message ?? error) };
  }
}

function isJsonRpc(line: string): boolean {
  if (line.trim() === "") return false;
  try {
    const message = JSON.parse(line);
    return typeof message === "object" && message !== null && message.jsonrpc === "2.0";
  } catch {
    return false;
  }
}

function kill(child: Killable | undefined, signal: Deno.Signal): boolean {
  if (!child) return false;
  try {
    return child.kill(signal) !== false;
  } catch {
    return false; // already exited
  }
}

/** Kills every server process this run started that is still running; returns how many. */
export function killLeftovers(): number {
  let killed = 0;
  for (const child of live) {
    if (kill(child, "SIGKILL")) killed++;
    live.delete(child);
  }
  return killed;
}

/** Runs a short command (e.g. the CLI on a broken config) with a deadline; kills it past that. */
export async function runBounded(
  args: string[],
  options: { timeoutMs: number; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean; ms: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  live.add(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill(child, "SIGKILL");
  }, options.timeoutMs);
  const output = await child.output();
  clearTimeout(timer);
  live.delete(child);
  return {
    code: timedOut ? null : output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
    timedOut,
    ms: Math.round(performance.now() - started),
  };
}
