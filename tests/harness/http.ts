/**
 * Spawns the real server process serving MCP over Streamable HTTP
 * (`src/main.ts serve --http 127.0.0.1:0 …`) with network access limited to
 * the given loopback addresses, waits for the address it announces, and
 * connects the SDK's real `StreamableHTTPClientTransport` to it with a
 * bearer token. Every process is stopped by its pid.
 */

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client } from "./mcp.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Options for {@linkcode spawnHttpServer}. */
export interface HttpServerSpec {
  /** servers.json to use. */
  config: string;
  /** `--allow-net` entries besides the listening address (route servers, Redis). */
  allowNet: string[];
  /** The tokens file, if any (also given `--allow-read`). */
  tokens?: string;
  /** More arguments after `serve --http …` (`--redis URL`, `--ledger memory` …). */
  args?: string[];
  /** Address to listen on (default `127.0.0.1:0`). */
  listen?: string;
  /** More paths the process may read (a ledger file). */
  allowRead?: string[];
  /** Paths the process may write (a ledger file). */
  allowWrite?: string[];
}

/** A running HTTP server process. */
export interface HttpServerProcess extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** The process id. */
  pid: number;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Peak resident set size of the process so far, in bytes (Linux). */
  peakRss(): Promise<number>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

/** Starts the process and waits (up to 30 s) until it says where it listens. */
export async function spawnHttpServer(spec: HttpServerSpec): Promise<HttpServerProcess> {
  const listen = spec.listen ?? "127.0.0.1:0";
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--lock=tests/deno.lock",
      `--allow-net=${[listen.replace(/:0$/, ""), ...spec.allowNet].join(",")}`,
      `--allow-read=${
        [spec.config, ...(spec.tokens ? [spec.tokens] : []), ...(spec.allowRead ?? [])].join(",")
      }`,
      ...(spec.allowWrite?.length ? [`--allow-write=${spec.allowWrite.join(",")}`] : []),
      "src/main.ts",
      "serve",
      "--http",
      listen,
      "--config",
      spec.config,
      ...(spec.tokens ? ["--tokens", spec.tokens] : []),
      ...(spec.args ?? []),
    ],
    cwd: ROOT,
    env: Object.fromEntries(
      ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME", "NO_COLOR"].flatMap((k) => {
        const v = Deno.env.get(k);
        return v === undefined ? [] : [[k, v]];
      }),
    ),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let announced: (url: string) => void = () => {};
  const found = new Promise<string>((resolve) => (announced = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      const match = /serving MCP over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) announced(match[1]);
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    found,
    child.status.then((status) => {
      throw new Error(`the server exited with ${status.code} at start:\n${stderr}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no listening address in 30 s:\n${stderr}`)),
        30_000,
      );
    }),
  ]).catch(async (error) => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await reading;
    throw error;
  }).finally(() => clearTimeout(timer));
  let stopped: Promise<Deno.CommandStatus> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      // A server that does not stop within 10 s is killed (and the test sees the status).
      const kill = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // gone meanwhile
        }
      }, 10_000);
      const status = await child.status;
      clearTimeout(kill);
      await reading;
      return status;
    })();
    return stopped;
  };
  return {
    url,
    pid: child.pid,
    stderr: () => stderr,
    async peakRss() {
      const output = await new Deno.Command("cat", {
        args: [`/proc/${child.pid}/status`],
        stdout: "piped",
      }).output();
      const status = new TextDecoder().decode(output.stdout);
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
    },
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/** Runs the process to its end (for one that must refuse to start): exit code and stderr. */
export async function runServerCommand(args: string[], allow: string[] = []) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--lock=tests/deno.lock", ...allow, "src/main.ts", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** An MCP client over Streamable HTTP with a bearer token (none when `token` is undefined). */
export async function connectHttp(
  url: string,
  token?: string,
  name = "bgp-lg-mcp-tests",
): Promise<Client & AsyncDisposable> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name, version: "0.0.0" });
  await client.connect(transport);
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

/** A tokens file with one random token per user, mode 600; returns its path and the tokens. */
export async function writeTokens(
  dir: string,
  users: string[],
): Promise<{ path: string; tokens: Record<string, string> }> {
  const tokens: Record<string, string> = {};
  for (const user of users) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    tokens[user] = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  const path = `${dir}/tokens`;
  await Deno.writeTextFile(
    path,
    Object.entries(tokens).map(([user, token]) => `${user}:${token}\n`).join(""),
    { mode: 0o600 },
  );
  await Deno.chmod(path, 0o600);
  return { path, tokens };
}
