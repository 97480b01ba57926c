/**
 * The Redis client costs stdio users nothing: `deno task start` pre-caches
 * every npm package of the import map and deno.lock, so @redis/client is in
 * neither; src/politeness/redis_client.ts imports it by a computed specifier
 * that Deno does not fetch ahead of time, only when a process opens Redis.
 * The version is pinned in tests/deno.lock (the tests load it).
 *
 * Measured with an empty DENO_DIR: the first `deno task start` downloads 94
 * packages (29 MB in the npm cache); with @redis/client in the import map it
 * would be 95 packages and 43 MB (its 825 KB tarball unpacks to 12 MB, and
 * Deno fetches the metadata of its two optional peers as well).
 */

import assert from "node:assert/strict";
import { REDIS_CLIENT_PACKAGE } from "../../src/politeness/redis_client.ts";

const root = new URL("../..", import.meta.url);

Deno.test("the Redis client is loaded lazily and pinned for the tests", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  assert.ok(!JSON.stringify(denoJson.imports).includes("@redis/"), "not in the import map");
  const lock = JSON.parse(await Deno.readTextFile(new URL("deno.lock", root)));
  assert.ok(!JSON.stringify(lock).includes("@redis/"), "not in deno.lock");
  const testLock = JSON.parse(await Deno.readTextFile(new URL("tests/deno.lock", root)));
  assert.ok(`npm:${REDIS_CLIENT_PACKAGE}` in testLock.specifiers, "pinned in tests/deno.lock");

  // Deno's own view of what the modules that open Redis depend on: no npm package of Redis.
  for (const entry of ["src/main.ts", "src/politeness/team_state.ts", "src/mcp/http.ts"]) {
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--lock=tests/deno.lock", entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(info.success, new TextDecoder().decode(info.stderr));
    const graph = JSON.parse(new TextDecoder().decode(info.stdout));
    // The graph's own modules (`npmPackages` lists the whole lock file, not the graph).
    const modules = graph.modules as { specifier: string; npmPackage?: string }[];
    assert.ok(modules.length > 3, `${entry}: a graph`);
    const redis = modules.filter((m) => `${m.specifier} ${m.npmPackage ?? ""}`.includes("@redis/"));
    assert.deepEqual(redis, [], entry);
  }
});
