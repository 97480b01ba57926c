/**
 * Starting with `--redis` when Redis cannot be reached: the real process
 * says in one line that it cannot start and why, exits 1, and neither
 * listens nor contacts a route server.
 */

import assert from "node:assert/strict";
import { redisTest, startRedis } from "../harness/mod.ts";

const root = new URL("../..", import.meta.url);

await redisTest("serve --redis with Redis down: it cannot start, says why, exits 1", async () => {
  // A port where a Redis was and is no more.
  const redis = await startRedis();
  const url = redis.url;
  await redis.stop();
  // stdio and HTTP, at once (each waits out the connect timeout).
  await Promise.all([["serve"], ["serve", "--http", "127.0.0.1:0"]].map(async (serve) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--lock=tests/deno.lock",
        "--allow-net=127.0.0.1",
        "--allow-read=servers.json",
        "src/main.ts",
        ...serve,
        "--redis",
        url,
      ],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 1, stderr);
    assert.equal(output.stdout.length, 0);
    assert.match(
      stderr.trim(),
      new RegExp(
        `^Cannot start: the team's shared budget and cache in Redis \\(${
          url.replace(/[.]/g, "\\.")
        }/?\\) cannot be used \\(.*ECONNREFUSED.*\\)\\. Start Redis, or check --redis ` +
          "\\(host, port, password\\); nothing was sent to any route server$",
      ),
    );
    assert.doesNotMatch(stderr, /serving MCP|try again in a moment/);
  }));
});
