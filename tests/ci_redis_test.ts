/**
 * redis-server on CI: `.ci/run` on a machine without it installs it with
 * apt-get (after `apt-get update`, with FRR and GoBGP), and under `CI=true` a
 * test that needs it fails when it is missing instead of being skipped.
 */

import assert from "node:assert/strict";

const root = new URL("../", import.meta.url).pathname;

async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Where a tool is on this machine (for a PATH of chosen tools only). */
async function which(tool: string): Promise<string> {
  const { stdout } = await run("/bin/sh", ["-c", `command -v ${tool}`], {
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
  });
  const path = stdout.trim();
  assert.ok(path.startsWith("/"), `${tool} is needed to run .ci/run here`);
  return path;
}

Deno.test(".ci/run on a machine without redis-server installs it with apt-get after an update", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-ci-redis-" });
  try {
    await Deno.mkdir(`${dir}/.ci`);
    await Deno.mkdir(`${dir}/bin`);
    await Deno.copyFile(`${root}.ci/run`, `${dir}/.ci/run`);
    // Only the tools the script uses: no redis-server, no gobgpd, a fake apt-get and deno.
    for (
      const tool of ["bash", "sh", "dirname", "id", "mktemp", "timeout", "tee", "grep", "sed"]
    ) {
      await Deno.symlink(await which(tool), `${dir}/bin/${tool}`);
    }
    for (const tool of ["rm", "tail", "cat", "sleep"]) {
      await Deno.symlink(await which(tool), `${dir}/bin/${tool}`);
    }
    const fake = (name: string, body: string) =>
      Deno.writeTextFile(`${dir}/bin/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    await fake("apt-get", `echo "$*" >> "${dir}/apt.log"`);
    await fake("sudo", `"$@"`);
    await fake(
      "deno",
      [
        `if [ "$1" = "--version" ]; then echo "deno 2.9.6 (fake)"; exit 0; fi`,
        `echo "ok | 1 passed | 0 failed (1ms)"`,
      ].join("\n"),
    );
    const result = await run(`${dir}/bin/bash`, [`${dir}/.ci/run`], {
      env: { PATH: `${dir}/bin` },
    });
    assert.equal(result.stdout.trimEnd().split("\n").at(-1), "1 passed, 0 failed", result.stderr);
    const apt = (await Deno.readTextFile(`${dir}/apt.log`)).trimEnd().split("\n");
    assert.equal(apt[0], "update");
    assert.match(apt[1], /^install -y .*\bredis-server\b/);
    assert.match(apt[1], /\bfrr\b.*\bgobgpd\b/);
    assert.equal(apt.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a Redis test with redis-server missing: a failure under CI=true, ignored otherwise", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-ci-redis-" });
  try {
    await Deno.writeTextFile(
      `${dir}/needs_redis_test.ts`,
      `import { redisTest } from "${root}tests/harness/redis.ts";\n` +
        `await redisTest("needs redis", () => Promise.resolve());\n`,
    );
    const args = ["test", "--no-config", "--no-check", "--allow-run", "--allow-env", "."];
    // An empty PATH: no redis-server to be found.
    const env: Record<string, string> = { PATH: `${dir}/nothing`, NO_COLOR: "1" };
    for (const name of ["HOME", "DENO_DIR"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
    const ci = await run(Deno.execPath(), args, { cwd: dir, env: { ...env, CI: "true" } });
    const ciOut = ci.stdout + ci.stderr;
    assert.notEqual(ci.code, 0, ciOut);
    assert.match(ciOut, /^needs redis \.\.\. FAILED/m);
    assert.match(ciOut, /CI=true but redis-server cannot run: redis-server is missing/);
    const local = await run(Deno.execPath(), args, { cwd: dir, env });
    const localOut = local.stdout + local.stderr;
    assert.equal(local.code, 0, localOut);
    assert.match(localOut, /^needs redis \(ignored: redis-server is missing.*\) \.\.\. ignored/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
