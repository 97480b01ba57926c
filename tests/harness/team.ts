/**
 * A team deployment on loopback, for the team tests and the team benchmark:
 * a real redis-server, the real FRR rig behind a counting relay (what the
 * route server sees: connections, the most open at once, every command), a
 * tokens file with one token per user, and replica processes of the real
 * server (`serve --http 127.0.0.1:0 --tokens … --redis …`) sharing them.
 * Everything is stopped by pid.
 */

import type { Client } from "./mcp.ts";
import { type Rig, rigAvailability, startFrrRig } from "./frr_rig.ts";
import { connectHttp, type HttpServerProcess, spawnHttpServer, writeTokens } from "./http.ts";
import { redisAvailability, type RedisServer, startRedis } from "./redis.ts";
import { Relay } from "./relay.ts";

/** Options for {@linkcode startTeam}. */
export interface TeamSpec {
  /** Replica processes (default 2). */
  replicas?: number;
  /** Users, each with a token (default `user1` … `user10`). */
  users?: number;
  /** `limits` of the server list (merged over the rig's). */
  limits?: Record<string, unknown>;
  /** `quota` of the server list (default: Route Views' policy). */
  quota?: Record<string, unknown>;
  /** More `serve` arguments for every replica (`--user-share 0.2` …). */
  args?: string[];
  /** Keep Redis's data on disk, so it survives a kill and restart. */
  persistRedis?: boolean;
}

/** A running team deployment. */
export interface Team extends AsyncDisposable {
  redis: RedisServer;
  rig: Rig;
  /** The relay in front of the rig's route server, named `rig` in the server list. */
  relay: Relay;
  replicas: HttpServerProcess[];
  /** Users' names, in order. */
  users: string[];
  /** Tokens by user. */
  tokens: Record<string, string>;
  /** An MCP client over HTTP to replica `replica` as `user`. */
  connect(replica: number, user: string): Promise<Client & AsyncDisposable>;
  /** Stops the replicas, the relay, the rig and Redis. */
  stop(): Promise<void>;
}

/** Starts Redis, the rig behind a relay, and the replicas. */
export async function startTeam(spec: TeamSpec = {}): Promise<Team> {
  const redis = await startRedis({ appendonly: spec.persistRedis });
  let rig: Rig | undefined;
  let relay: Relay | undefined;
  const replicas: HttpServerProcess[] = [];
  const stop = async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await relay?.close();
    await rig?.stop();
    await redis.stop();
  };
  try {
    rig = await startFrrRig();
    relay = new Relay({ target: { hostname: "127.0.0.1", port: rig.vtyPort } });
    const config = await rig.writeConfig([], {
      servers: [{
        name: "rig",
        host: "127.0.0.1",
        port: relay.port,
        dialect: "frr",
        login: "none",
        location: "loopback FRR route server behind a counting relay",
        addressFamilies: ["ipv4", "ipv6"],
        enabled: true,
      }],
      top: {
        // As the rig's own servers.json: deadlines a loaded machine cannot hit.
        limits: {
          connectTimeoutMs: 20_000,
          loginTimeoutMs: 30_000,
          commandTimeoutMs: 30_000,
          ...spec.limits,
        },
        ...(spec.quota ? { quota: spec.quota } : {}),
      },
    });
    const users = Array.from({ length: spec.users ?? 10 }, (_, i) => `user${i + 1}`);
    const { path: tokensPath, tokens } = await writeTokens(rig.dir, users);
    const started = await Promise.allSettled(
      Array.from({ length: spec.replicas ?? 2 }, () =>
        spawnHttpServer({
          config,
          tokens: tokensPath,
          allowNet: [`127.0.0.1:${relay!.port}`, `127.0.0.1:${redis.port}`],
          args: ["--redis", redis.url, ...(spec.args ?? [])],
        })),
    );
    for (const result of started) if (result.status === "fulfilled") replicas.push(result.value);
    const failed = started.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return {
      redis,
      rig,
      relay,
      replicas,
      users,
      tokens,
      connect: (replica, user) => connectHttp(replicas[replica].url, tokens[user], user),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Registers a test that needs the FRR rig and redis-server: ignored with the
 * reason where either is missing, but a failure under `CI=true`.
 */
export async function teamTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): Promise<void> {
  const [rig, redis] = await Promise.all([rigAvailability(), redisAvailability()]);
  const reason = [rig, redis].filter((a) => !a.available).map((a) => a.reason).join("; ");
  const ci = Deno.env.get("CI") === "true";
  if (reason !== "" && !ci) {
    Deno.test({ name: `${name} (ignored: ${reason})`, ignore: true, fn() {} });
    return;
  }
  Deno.test({
    name,
    async fn(t) {
      if (reason !== "") throw new Error(`CI=true but the team rig cannot run: ${reason}`);
      await fn(t);
    },
  });
}
