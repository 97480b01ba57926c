/**
 * `deno task start` downloads only what the server uses. `deno task` first
 * caches every npm package in deno.lock (and every npm entry of deno.json's
 * import map), whatever the task runs; so neither may hold a package the
 * server does not import. Test-only packages (fast-check) live in
 * tests/deno.lock, which the test and check tasks use.
 *
 * Measured with an empty DENO_DIR: before, the first `deno task start`
 * downloaded 96 packages (31 MB) including fast-check; now 94 (29 MB), the
 * SDK's and zod's own dependency trees.
 */

import assert from "node:assert/strict";
import { INSPECTOR, INSPECTOR_NODE } from "./harness/mod.ts";

const root = new URL("..", import.meta.url);

interface Lockfile {
  specifiers: Record<string, string>;
  npm: Record<string, { dependencies?: string[]; optionalDependencies?: string[] }>;
  workspace?: { dependencies?: string[] };
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(new URL(path, root)));
}

/** The npm package a specifier or import-map value names: `npm:/@a/b@1.2/x` → `@a/b`. */
function npmName(specifier: string): string {
  const bare = specifier.replace(/^npm:\/?/, "");
  const parts = bare.split("/");
  const name = bare.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  return name.replace(/(.)@.*$/, "$1");
}

/** Bare and npm: module specifiers imported by the TypeScript files under `dir`. */
async function importedPackages(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const entry of Deno.readDir(new URL(dir, root))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      for (const name of await importedPackages(path)) out.add(name);
    } else if (entry.name.endsWith(".ts")) {
      const text = await Deno.readTextFile(new URL(path, root));
      // Top-level import and export statements (doc comments hold examples, not imports).
      const statements = /^(?:(?:import|export)\b[^;]*?\bfrom\s+|import\s+)"([^"]+)";/gm;
      for (const [, specifier] of text.matchAll(statements)) {
        if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
        if (specifier.startsWith("https:") || specifier.startsWith("file:")) continue;
        out.add(npmName(specifier));
      }
    }
  }
  return out;
}

/** Every package `deno task` caches for a lockfile: the lock's whole npm section, by name. */
function lockedPackages(lock: Lockfile): Set<string> {
  return new Set(Object.keys(lock.npm).map((key) => key.replace(/(.)@.*$/, "$1")));
}

/** The packages reachable from the lockfile's workspace dependencies. */
function reachable(lock: Lockfile): Set<string> {
  const keys = Object.keys(lock.npm);
  const keyFor = (dependency: string) => {
    const exact = keys.find((k) => k === dependency || k.startsWith(`${dependency}_`));
    if (exact) return exact;
    const named = keys.filter((k) => k.replace(/(.)@.*$/, "$1") === dependency);
    return named.length === 1 ? named[0] : undefined;
  };
  const seen = new Set<string>();
  const queue = (lock.workspace?.dependencies ?? []).map((specifier) => {
    const resolved = lock.specifiers[specifier];
    return `${npmName(specifier)}@${resolved}`;
  });
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (seen.has(key) || !(key in lock.npm)) continue;
    seen.add(key);
    const { dependencies = [], optionalDependencies = [] } = lock.npm[key];
    for (const dependency of [...dependencies, ...optionalDependencies]) {
      const next = keyFor(dependency);
      if (next) queue.push(next);
    }
  }
  return new Set([...seen].map((key) => key.replace(/(.)@.*$/, "$1")));
}

Deno.test("deno task start caches only the server's packages, never a test-only one", async () => {
  const denoJson = await readJson<
    { imports: Record<string, string>; tasks: Record<string, string> }
  >(
    "deno.json",
  );
  const lock = await readJson<Lockfile>("deno.lock");
  const server = await importedPackages("src");
  const mapped = new Set(Object.values(denoJson.imports).map(npmName));

  // The import map holds what src/ imports, nothing more: deno task installs all of it.
  assert.deepEqual([...mapped].sort(), [...server].sort());
  // deno.lock holds exactly those packages and their dependencies: deno task caches all of it.
  assert.deepEqual([...lockedPackages(lock)].sort(), [...reachable(lock)].sort());
  assert.deepEqual(
    (lock.workspace?.dependencies ?? []).map(npmName).sort(),
    [...server].sort(),
  );

  // What only the tests use is pinned in tests/deno.lock, which the test and check tasks use.
  const testOnly = [...await importedPackages("tests")].filter((name) => !server.has(name));
  assert.ok(testOnly.includes("fast-check"), `test-only packages: ${testOnly}`);
  const testLock = await readJson<Lockfile>("tests/deno.lock");
  for (const name of testOnly) {
    assert.equal(lockedPackages(lock).has(name), false, `${name} is in deno.lock`);
    assert.ok(lockedPackages(testLock).has(name), `${name} is not pinned in tests/deno.lock`);
  }
  for (const task of ["test", "check", "ok"]) {
    assert.match(denoJson.tasks[task], /--lock=tests\/deno\.lock/, `deno task ${task}`);
  }
});

Deno.test("README's Inspector commands name the version the tests run, and the Node.js it needs", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const uses = [...readme.matchAll(/^npx (@modelcontextprotocol\/inspector\S*)/gm)].map((m) =>
    m[1]
  );
  assert.ok(uses.length >= 2);
  for (const use of uses) assert.equal(use, INSPECTOR);
  assert.match(readme, new RegExp(`Node\\.js ${INSPECTOR_NODE.replace(".", "\\.")} or later`));
});

Deno.test("what runs with the root lockfile (the server, the red-team script, the benches) needs no test-only package", async () => {
  const lock = await readJson<Lockfile>("deno.lock");
  const locked = lockedPackages(lock);
  // `deno task redteam` and the benches run without --lock=tests/deno.lock, so a test-only
  // package in their graph would be written into deno.lock (and downloaded by `deno task start`).
  for (
    const entry of [
      "src/main.ts",
      "scripts/red_team.ts",
      "scripts/dns_allow_net.ts",
      "bench/lookup.ts",
      "bench/fanout.ts",
      "bench/names.ts",
      "bench/names_startup.ts",
    ]
  ) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--no-lock", entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      npmPackages?: Record<string, unknown>;
    };
    const packages = Object.keys(info.npmPackages ?? {}).map((key) => key.replace(/(.)@.*$/, "$1"));
    assert.deepEqual(packages.filter((name) => !locked.has(name)), [], entry);
  }
});
