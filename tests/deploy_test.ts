/**
 * The team deployment recipes in `deploy/` and README, tested as far as this
 * machine can (docker cannot run here): the systemd unit's settings and the
 * container's are the ones `deploy/serve.sh` needs; the command line the
 * launcher builds from them is one the server accepts, with exactly the
 * permissions it needs; the container's build step runs; compose's Redis
 * command line starts a real redis-server set up as the ledger wants; the
 * launcher really serves a replica on a real Redis; and README's Claude
 * Desktop configuration (`mcp-remote` with a bearer token) really talks to the
 * real process.
 */

import assert from "node:assert/strict";
import { readCommandLine, teamOptions } from "../src/cli/args.ts";
import { checkServeArguments } from "../src/cli/serve.ts";
import { builtinConfig } from "../src/config/load.ts";
import { allowNetList } from "../src/config/permissions.ts";
import {
  callTool,
  Client,
  connectHttp,
  rawCommand,
  redisTest,
  spawnHttpServer,
  startRedis,
  writeTokens,
} from "./harness/mod.ts";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = new URL("..", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, ROOT));

/** A systemd unit's `Key=value` lines, by key (a key may repeat), across its sections. */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.replaceAll("\\\n", " ").split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    settings.set(match[1], [...(settings.get(match[1]) ?? []), match[2]]);
  }
  return settings;
}

/** `Environment=NAME=value` lines as a record. */
function environment(lines: string[]): Record<string, string> {
  return Object.fromEntries(lines.map((line) => {
    const i = line.indexOf("=");
    return [line.slice(0, i), line.slice(i + 1)];
  }));
}

/** The Containerfile's `ENV A=1 B=2` values. */
function containerEnv(text: string): Record<string, string> {
  const line = /^ENV (.*)$/m.exec(text)![1];
  return Object.fromEntries(
    line.split(/\s+/).map((pair) => pair.split("=", 2) as [string, string]),
  );
}

/**
 * Runs `deploy/serve.sh` with `env` and a stand-in for deno that records the
 * command line the launcher finally runs (the `allow-net` call it makes first
 * goes to the real deno). Returns that command line.
 */
async function launcherCommandLine(env: Record<string, string>, args: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-deploy-" });
  try {
    const fake = `${dir}/deno`;
    await Deno.writeTextFile(
      fake,
      `#!/bin/sh\ncase "$*" in *" src/main.ts allow-net "*) exec "${Deno.execPath()}" "$@";; esac\n` +
        `for a in "$@"; do printf '%s\\0' "$a"; done > "${dir}/args"\n`,
    );
    await Deno.chmod(fake, 0o755);
    const output = await new Deno.Command("sh", {
      args: ["deploy/serve.sh", ...args],
      cwd: ROOT,
      env: { ...env, DENO: fake },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return (await Deno.readTextFile(`${dir}/args`)).split("\0").slice(0, -1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Checks a launcher command line: the flags the server accepts, and exactly the permissions needed. */
function checkLauncherLine(
  line: string[],
  expected: { listen: string; tokens: string; redis: string },
) {
  const main = line.indexOf("src/main.ts");
  const deno = line.slice(0, main);
  assert.deepEqual(deno.slice(0, 5), [
    "run",
    "--no-prompt",
    "--frozen",
    "--lock=tests/deno.lock",
    "--cached-only",
  ]);
  const allowNet = deno.find((a) => a.startsWith("--allow-net="))!.slice("--allow-net=".length);
  const redis = new URL(expected.redis);
  assert.deepEqual(allowNet.split(","), [
    ...allowNetList(builtinConfig()),
    expected.listen,
    `${redis.hostname}:${redis.port || 6379}`,
  ]);
  assert.deepEqual(deno.filter((a) => a.startsWith("--allow-") && !a.startsWith("--allow-net")), [
    `--allow-read=${expected.tokens}`,
  ]);
  const { values, command } = readCommandLine(line.slice(main + 1));
  assert.equal(command, "serve");
  assert.deepEqual(teamOptions(values, command), { redis: { redisUrl: expected.redis } });
  const listen = checkServeArguments({
    http: values.http,
    tokens: values.tokens,
    allowedHosts: values["allowed-host"],
    allowedOrigins: values["allowed-origin"],
  });
  assert.ok(listen !== null);
  assert.equal(values.tokens, expected.tokens);
}

Deno.test("deploy: the systemd unit and README show the same unit; it runs the launcher as a user", () => {
  const unit = read("deploy/bgp-lg-mcp.service");
  assert.ok(read("README.md").includes("```ini\n" + unit + "```"), "README's copy of the unit");
  const settings = unitSettings(unit);
  const one = (key: string) => settings.get(key)?.[0];
  assert.equal(one("WorkingDirectory"), "/opt/bgp-lg-mcp");
  assert.match(one("ExecStart")!, /^\/opt\/bgp-lg-mcp\/deploy\/serve\.sh( |$)/);
  assert.notEqual(one("User"), "root");
  assert.equal(one("KillSignal"), "SIGTERM");
  assert.ok(Number.parseInt(one("TimeoutStopSec")!) >= 15);
  assert.equal(one("NoNewPrivileges"), "yes");
  const env = environment(settings.get("Environment")!);
  // The module cache is the writable directory systemd makes for the service.
  assert.equal(env.DENO_DIR, `/var/cache/${one("CacheDirectory")}`);
  assert.deepEqual(Object.keys(env).sort(), [
    "DENO",
    "DENO_DIR",
    "LISTEN",
    "NO_COLOR",
    "REDIS_URL",
    "TOKENS",
  ]);
});

Deno.test("deploy: the launcher's command line, from the unit's and the container's settings", async () => {
  const unit = unitSettings(read("deploy/bgp-lg-mcp.service"));
  const unitEnv = environment(unit.get("Environment")!);
  const extra = unit.get("ExecStart")![0].split(/\s+/).slice(1);
  assert.deepEqual(extra, ["--allowed-host", "lg.example.net"]);
  const fromUnit = await launcherCommandLine(
    { LISTEN: unitEnv.LISTEN, TOKENS: unitEnv.TOKENS, REDIS_URL: unitEnv.REDIS_URL },
    extra,
  );
  checkLauncherLine(fromUnit, {
    listen: unitEnv.LISTEN,
    tokens: unitEnv.TOKENS,
    redis: unitEnv.REDIS_URL,
  });
  assert.deepEqual(fromUnit.slice(-2), extra);

  const containerfile = read("deploy/Containerfile");
  assert.match(containerfile, /^ENTRYPOINT \["\/app\/deploy\/serve\.sh"\]$/m);
  const env = containerEnv(containerfile);
  const fromContainer = await launcherCommandLine(
    { LISTEN: env.LISTEN, TOKENS: env.TOKENS, REDIS_URL: env.REDIS_URL },
    [],
  );
  checkLauncherLine(fromContainer, {
    listen: env.LISTEN,
    tokens: env.TOKENS,
    redis: env.REDIS_URL,
  });
  // compose gives the replicas the secret where the container reads it, and its Redis.
  const compose = read("deploy/compose.yaml");
  assert.equal(env.TOKENS, "/run/secrets/tokens");
  assert.match(compose, /secrets: \[tokens\]/);
  assert.match(compose, new RegExp(`REDIS_URL: "${env.REDIS_URL}"`));
  // The tokens never go into the image.
  assert.match(read("deploy/Containerfile.dockerignore"), /^deploy\/tokens$/m);
});

Deno.test("deploy: the container's build step caches every package against the lock, changing nothing", async () => {
  const step = /^RUN (deno cache .*)$/m.exec(read("deploy/Containerfile"))![1].split(" ");
  const before = await Deno.readTextFile(new URL("tests/deno.lock", ROOT));
  const output = await new Deno.Command(Deno.execPath(), {
    args: step.slice(1),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(await Deno.readTextFile(new URL("tests/deno.lock", ROOT)), before);
});

await redisTest(
  "deploy: compose's Redis command line starts a Redis the ledger accepts",
  async () => {
    const command = JSON.parse(
      /command: (\[.*\])/.exec(read("deploy/compose.yaml"))![1],
    ) as string[];
    assert.equal(command[0], "redis-server");
    await using probe = await startRedis(); // a free port, and redis-server is there
    const port = probe.port;
    await probe.stop();
    const dir = await Deno.makeTempDir({ prefix: "bgp-lg-compose-redis-" });
    const child = new Deno.Command("redis-server", {
      args: [...command.slice(1), "--port", String(port), "--bind", "127.0.0.1", "--dir", dir],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      let pong = "";
      for (let i = 0; i < 100 && !pong.startsWith("+PONG"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        pong = await rawCommand(port, "PING").catch(() => "");
      }
      assert.match(pong, /^\+PONG/);
      assert.match(await rawCommand(port, "CONFIG", "GET", "appendonly"), /\r\nyes\r\n$/);
      assert.match(
        await rawCommand(port, "CONFIG", "GET", "maxmemory-policy"),
        /\r\nnoeviction\r\n$/,
      );
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
);

await redisTest(
  "deploy: the launcher really serves a replica on a real Redis, and stops on SIGTERM",
  async () => {
    await using redis = await startRedis();
    const dir = await Deno.makeTempDir({ prefix: "bgp-lg-launcher-" });
    try {
      const { path: tokens, tokens: secrets } = await writeTokens(dir, ["alice"]);
      const unitEnv = environment(
        unitSettings(read("deploy/bgp-lg-mcp.service")).get("Environment")!,
      );
      const child = new Deno.Command("sh", {
        args: ["deploy/serve.sh"],
        cwd: ROOT,
        env: {
          LISTEN: "127.0.0.1:0",
          TOKENS: tokens,
          REDIS_URL: redis.url,
          DENO: Deno.execPath(),
          NO_COLOR: unitEnv.NO_COLOR,
        },
        stdout: "null",
        stderr: "piped",
      }).spawn();
      let stderr = "";
      const reader = (async () => {
        for await (const chunk of child.stderr) stderr += new TextDecoder().decode(chunk);
      })();
      try {
        let url: string | undefined;
        for (let i = 0; i < 300 && url === undefined; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          url = /serving MCP over HTTP at (\S+\/mcp)/.exec(stderr)?.[1];
        }
        assert.ok(url, stderr);
        assert.match(stderr, /quota ledger: redis at redis:\/\/127\.0\.0\.1/);
        const health = await fetch(url.replace(/\/mcp$/, "/healthz"));
        assert.equal(await health.text(), "ok\n");
        await using client = await connectHttp(url, secrets.alice);
        const list = await callTool(client, "list_servers", {});
        const data = list.structuredContent as { ledger: string; user: string; userShare: number };
        assert.deepEqual([data.ledger, data.user, data.userShare], ["redis", "alice", 0.5]);
      } finally {
        child.kill("SIGTERM");
        const status = await child.status;
        await reader;
        assert.equal(status.code, 143, stderr);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("deploy: README's Claude Desktop configuration (mcp-remote with a token) talks to the real process", async () => {
  const readme = read("README.md");
  const block =
    /Claude Desktop talks to local servers over stdio[\s\S]*?```json\n([\s\S]*?)```/.exec(
      readme,
    )![1];
  const entry = JSON.parse(block).mcpServers["bgp-looking-glass"] as {
    command: string;
    args: string[];
    env: Record<string, string>;
  };
  assert.equal(entry.command, "npx");
  assert.match(
    entry.args.join(" "),
    /^-y mcp-remote@\d+\.\d+\.\d+ https:\/\/\S+\/mcp --header Authorization:\$\{AUTH_HEADER\}$/,
  );
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-remote-" });
  try {
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        defaultServer: "rv",
        servers: [{
          name: "rv",
          host: "127.0.0.1",
          port: 9,
          dialect: "frr",
          login: "none",
          location: "nowhere",
          addressFamilies: ["ipv4"],
          enabled: true,
        }],
      }),
    );
    const { path: tokens, tokens: secrets } = await writeTokens(dir, ["alice"]);
    await using server = await spawnHttpServer({
      config,
      tokens,
      allowNet: [],
      args: ["--ledger", "memory"],
    });
    // The configuration as Claude Desktop runs it, with the team's URL replaced by the test's.
    const args = entry.args.map((a) => (a.startsWith("https://") ? server.url : a));
    const transport = new StdioClientTransport({
      command: entry.command,
      args: [...args, "--allow-http", "--transport", "http-only"],
      env: {
        ...Object.fromEntries(
          ["HOME", "PATH", "npm_config_cache"].flatMap((k) => {
            const v = Deno.env.get(k);
            return v === undefined ? [] : [[k, v]];
          }),
        ),
        AUTH_HEADER: entry.env.AUTH_HEADER.replace("<your token>", secrets.alice),
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on(
      "data",
      (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)),
    );
    const client = new Client({ name: "claude-desktop-stand-in", version: "0.0.0" });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === "route_lookup"), stderr);
      const list = await callTool(client, "list_servers", {});
      assert.equal(list.isError, undefined, list.text);
      assert.equal((list.structuredContent as { user: string }).user, "alice");
    } finally {
      await client.close();
      // StdioClientTransport.close() leaves a 2 s timer behind; let it fire (op sanitizer).
      await new Promise((resolve) => setTimeout(resolve, 2100));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
