/**
 * The AS-names loader and data format: one shared lazy load, retry after a
 * failure, the `--names-data FILE` override, damaged data refused with a
 * reason, the real committed module (15169 → Google, 3356 → Level 3/Lumen,
 * 8.8.8.8 → 15169, pinned source), and the permission story in real child
 * processes: the built-in data needs no permission at all, a data file needs
 * `--allow-read` of that file alone.
 */

import assert from "node:assert/strict";
import { NamesDataError, NamesUnavailableError } from "../../src/errors.ts";
import { MAX_PAYLOAD_BYTES, parsePayload, splitContainer } from "../../src/names/format.ts";
import { type DataModule, decodeNames, NamesLoader } from "../../src/names/loader.ts";
import { NamesTable } from "../../src/names/table.ts";
import { toBase64 } from "../../scripts/_data/encode.ts";
import { INTEGRITY, VERSION } from "../../scripts/data.ts";
import { fixtureTable } from "../harness/names_fixture.ts";

const { container } = await fixtureTable();
const ROOT = new URL("../..", import.meta.url);

function moduleOf(bytes: Uint8Array): DataModule {
  return { DATA: toBase64(bytes) };
}

Deno.test("loader: concurrent first callers share one load; later calls reuse it", async () => {
  let imports = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const loader = new NamesLoader({
    importModule: async () => {
      imports++;
      await gate;
      return moduleOf(container);
    },
  });
  assert.equal(loader.current, undefined);
  const calls = [loader.load(), loader.load(), loader.load()];
  release();
  const tables = await Promise.all(calls);
  assert.equal(imports, 1);
  assert.ok(tables.every((t) => t === tables[0]));
  assert.equal(loader.current, tables[0]);
  assert.equal(await loader.load(), tables[0]);
  assert.equal(imports, 1);
  assert.equal(tables[0].asName(15169).name, "Google LLC");
});

Deno.test("loader: absent data is a clear error, and the next call tries again", async () => {
  let imports = 0;
  const loader = new NamesLoader({
    importModule: () => {
      imports++;
      if (imports === 1) return Promise.reject(new TypeError('Module not found "asn_data.ts"'));
      return Promise.resolve(moduleOf(container));
    },
  });
  const [a, b] = await Promise.allSettled([loader.load(), loader.load()]);
  assert.equal(imports, 1);
  for (const result of [a, b]) {
    assert.equal(result.status, "rejected");
    const error = (result as PromiseRejectedResult).reason;
    assert.ok(error instanceof NamesUnavailableError);
    assert.equal(error.reason, "missing");
    assert.match(error.message, /Module not found .*Run `deno task data`.*--names-data FILE$/);
  }
  assert.equal(loader.current, undefined);
  assert.equal((await loader.load()).asName(3356).name, "Level 3 Communications, Inc.");
  assert.equal(imports, 2);
});

Deno.test("loader: a module without DATA, or with damaged DATA, says so", async () => {
  const empty = new NamesLoader({ importModule: () => Promise.resolve({} as DataModule) });
  await assert.rejects(empty.load(), (e: unknown) => {
    assert.ok(e instanceof NamesUnavailableError && e.reason === "damaged");
    assert.match(e.message, /has no DATA: run `deno task data`/);
    return true;
  });
  const cut = new NamesLoader({
    importModule: () => Promise.resolve(moduleOf(container.subarray(0, container.length - 99))),
  });
  await assert.rejects(cut.load(), /The built-in AS-names data is damaged: .*deno task data/);
});

Deno.test("loader: --names-data reads the file; missing or damaged files are refused with what to do", async () => {
  const read: string[] = [];
  const ok = new NamesLoader({
    file: "/data/asn.bin",
    importModule: () => Promise.reject(new Error("the built-in module must not be loaded")),
    readFile: (path) => {
      read.push(path);
      return Promise.resolve(container);
    },
  });
  assert.equal((await ok.load()).originOf("8.8.8.8").covering?.asn, 15169);
  assert.deepEqual(read, ["/data/asn.bin"]);
  assert.equal(ok.file, "/data/asn.bin");

  const failing = (error: Error) =>
    new NamesLoader({ file: "/data/asn.bin", readFile: () => Promise.reject(error) });
  await assert.rejects(failing(new Deno.errors.NotFound("nope")).load(), (e: unknown) => {
    assert.ok(e instanceof NamesUnavailableError);
    assert.equal(e.reason, "unreadable");
    assert.equal(e.file, "/data/asn.bin");
    assert.match(
      e.message,
      /\/data\/asn\.bin does not exist\. Write one with `deno task data --out/,
    );
    return true;
  });
  await assert.rejects(failing(new Deno.errors.NotCapable("no")).load(), (e: unknown) => {
    assert.ok(e instanceof NamesUnavailableError && e.reason === "permission");
    assert.match(e.message, /add --allow-read=\/data\/asn\.bin$/);
    return true;
  });
  const garbage = new NamesLoader({
    file: "/data/asn.bin",
    readFile: () => Promise.resolve(new TextEncoder().encode("not a data file")),
  });
  await assert.rejects(garbage.load(), (e: unknown) => {
    assert.ok(e instanceof NamesUnavailableError && e.reason === "damaged");
    assert.match(e.message, /cannot be used: This is not an AS-names data file/);
    return true;
  });
});

Deno.test("format: every kind of damage is refused, never half-read", async () => {
  const bytes = (edit: (b: Uint8Array) => Uint8Array) => edit(container.slice());
  const { header } = splitContainer(container);
  const headerEnd = 13 + new DataView(container.buffer).getUint32(9, true);
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /does not start with BGPLGASN/],
    ["other magic", bytes((b) => (b[0] = 0x41, b)), /does not start with BGPLGASN/],
    ["other format", bytes((b) => (b[8] = 2, b)), /in format 2; this version reads format 1/],
    ["header cut", container.subarray(0, 40), /header is incomplete/],
    ["header not JSON", bytes((b) => (b[13] = 0x7e, b)), /header is not valid JSON/],
    ["payload cut", container.subarray(0, container.length - 1000), /damaged|less than/],
    ["payload garbage", bytes((b) => (b.fill(0x55, headerEnd + 10), b)), /damaged|inconsistent/],
  ];
  for (const [what, data, message] of cases) {
    await assert.rejects(decodeNames(data), (e: unknown) => {
      assert.ok(e instanceof NamesDataError, what);
      assert.match(e.message, message, what);
      return true;
    });
  }
  // A header that claims more than the cap is refused before anything is inflated.
  const json = JSON.stringify({ ...header, payloadBytes: MAX_PAYLOAD_BYTES + 1 });
  const head = new TextEncoder().encode(json);
  const big = new Uint8Array(13 + head.length);
  big.set(container.subarray(0, 9));
  new DataView(big.buffer).setUint32(9, head.length, true);
  big.set(head, 13);
  assert.throws(() => splitContainer(big), /lacks its date, source, counts or size/);
  // Payload invariants: ranges must be in order and name ASes that exist.
  const payload = new Uint8Array([1, 5, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
  assert.throws(() => parsePayload(payload), /IPv6 ranges|AS that is not in the table|truncated/);
  assert.throws(() => parsePayload(new Uint8Array([2, 5, 0, 0])), /out of order/);
  assert.throws(
    () => parsePayload(new Uint8Array([1, 5, 0, 0, 0, 0, 9])),
    /trailing bytes/,
  );
});

Deno.test("real data: the committed module loads and names the big networks", async () => {
  const loader = new NamesLoader();
  const started = performance.now();
  const table = await loader.load();
  const ms = performance.now() - started;
  assert.ok(table instanceof NamesTable);
  assert.equal(table.date, "2026-06-17");
  assert.deepEqual(table.header.source, {
    package: "@ip-location-db/asn",
    version: VERSION,
    integrity: INTEGRITY,
  });
  assert.match(table.asName(15169).name!, /^Google/);
  assert.match(table.asName(3356).name!, /Level 3|Lumen/);
  assert.match(table.asName(174).name!, /Cogent/);
  assert.equal(table.originOf("8.8.8.8").covering?.asn, 15169);
  assert.equal(table.originOf("2001:4860:4860::8888").covering?.asn, 15169);
  assert.equal(table.originOf("1.1.1.1").covering?.asn, 13335);
  assert.equal(table.searchAs("cogent").matches[0].asn, 174);
  assert.ok(
    table.counts.asns > 80_000 && table.counts.ipv4 > 400_000,
    JSON.stringify(table.counts),
  );
  const { DATA_DATE } = await import("../../src/names/asn_data.ts");
  assert.equal(DATA_DATE, table.date);
  // Speed is a benchmark figure (bench/names.ts); this only reports it.
  Deno.stderr.writeSync(new TextEncoder().encode(`  loaded in ${ms.toFixed(0)} ms\n`));
});

Deno.test("real data: the data module is a literal dynamic import, so compile and JSR carry it", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/names/loader.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(output.success);
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string; dependencies?: { specifier: string; isDynamic?: boolean }[] }[];
  };
  const loader = info.modules.find((m) => m.specifier.endsWith("/src/names/loader.ts"))!;
  const data = loader.dependencies?.find((d) => d.specifier === "./asn_data.ts");
  assert.equal(data?.isDynamic, true);
  assert.ok(info.modules.some((m) => m.specifier.endsWith("/src/names/asn_data.ts")));
});

async function child(args: string[]): Promise<Record<string, unknown>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(text);
}

Deno.test("permissions: the built-in data loads with no permission at all", async () => {
  assert.deepEqual(await child(["tests/names/_names_child.ts"]), {
    date: "2026-06-17",
    as15169: "Google LLC",
    origin: 15169,
  });
});

Deno.test("permissions: a data file needs --allow-read of that file alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/asn.bin`;
    await Deno.writeFile(file, container);
    assert.deepEqual(await child([`--allow-read=${file}`, "tests/names/_names_child.ts", file]), {
      date: "2026-06-17",
      as15169: "Google LLC",
      origin: 15169,
    });
    const refused = await child(["tests/names/_names_child.ts", file]);
    assert.equal(refused.reason, "permission");
    assert.equal(
      refused.message,
      `This process may not read the AS-names data file ${file}: add --allow-read=${file}`,
    );
    // Read access to another file does not reach this one.
    const other = await child([
      `--allow-read=${dir}/other.bin`,
      "tests/names/_names_child.ts",
      file,
    ]);
    assert.equal(other.reason, "permission");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
