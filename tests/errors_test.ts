/**
 * Errors: every error class lives in src/errors.ts, which logs nothing; an
 * error raised before anything was sent says so in a field, `nothingSent`, and
 * its message ends with the one sentence written for it there; no error names
 * a dialect called "any".
 */

import assert from "node:assert/strict";
import {
  CommandRejectedError,
  InvalidDestinationError,
  InvalidFilterError,
  LedgerBusyError,
  NOTHING_SENT,
  ParseError,
  PoolBusyError,
  QuotaExceededError,
  ServerSelectionError,
  TelnetError,
  UnsupportedQueryError,
} from "../src/errors.ts";
import { parseConfig } from "../src/config/schema.ts";
import { LookingGlass } from "../src/service/looking_glass.ts";
import { lookupRoute } from "../src/service/route_lookup.ts";
import { ping } from "../src/service/measure.ts";
import { parseDestination } from "../src/validation/destination.ts";
import { compileFilters } from "../src/validation/filters.ts";
import { loopbackEntry } from "./harness/mod.ts";

const SRC = new URL("../src/", import.meta.url);

/** Every .ts file under src/, with its text. */
async function sources(dir = SRC): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) out.push(...await sources(url));
    else if (entry.name.endsWith(".ts")) {
      out.push({
        path: url.pathname.slice(SRC.pathname.length),
        text: await Deno.readTextFile(url),
      });
    }
  }
  return out;
}

Deno.test("every error class is in src/errors.ts, and errors.ts logs nothing", async () => {
  const files = await sources();
  const elsewhere = files.filter((f) =>
    f.path !== "errors.ts" && /\bclass \w+ extends (?:\w*Error|DOMException)\b/.test(f.text)
  );
  assert.deepEqual(elsewhere.map((f) => f.path), []);
  const errors = files.find((f) => f.path === "errors.ts")!;
  assert.doesNotMatch(errors.text, /from "\.\/log\.ts"|console\./);
});

Deno.test("the nothing-was-sent sentence is written once, in errors.ts", async () => {
  const files = await sources();
  const typed = files.filter((f) => f.path !== "errors.ts" && /[Nn]othing was sent/.test(f.text));
  assert.deepEqual(typed.map((f) => f.path), []);
});

/** The error `fn` throws (sync or async). */
async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  assert.fail("nothing was thrown");
}

Deno.test("refusals before sending say so in a field and end with the one sentence", async () => {
  const config = parseConfig({
    defaultServer: "rs",
    servers: [loopbackEntry("rs", 9, { supports: ["ping"] })],
  }, "t");
  await using lg = await LookingGlass.open(config, { ledgerPath: null });
  const refusals = [
    await thrown(() => parseDestination("10.0.0.1")),
    await thrown(() => compileFilters({ originAs: -1 })),
    await thrown(() => lookupRoute(lg, { destination: "8.8.8.8", server: "nope" })),
    await thrown(() => lookupRoute(lg, { destination: "2001:4860::/32" })),
    await thrown(() => lookupRoute(lg, { destination: "8.8.0.0/15", match: "orlonger" })),
    await thrown(() => lookupRoute(lg, { destination: "8.8.8.8", match: "orlonger" })),
    await thrown(() => lookupRoute(lg, { destination: "8.8.8.0/24", match: "longest" })),
    await thrown(() => ping(lg, { destination: "8.8.8.0/24" })),
    await thrown(() => ping(lg, { destination: "8.8.8.8" })),
    new PoolBusyError("rs", 10_000, 2),
  ];
  const kinds = [
    InvalidDestinationError,
    InvalidFilterError,
    ServerSelectionError,
    ServerSelectionError,
    UnsupportedQueryError,
    UnsupportedQueryError,
    UnsupportedQueryError,
    UnsupportedQueryError,
    ServerSelectionError,
    PoolBusyError,
  ];
  refusals.forEach((error, i) => {
    assert.ok(error instanceof kinds[i], `${i}: ${error}`);
    assert.equal((error as { nothingSent?: boolean }).nothingSent, true, error.message);
    assert.ok(error.message.endsWith(`. ${NOTHING_SENT}`), error.message);
    assert.equal(error.message.split(NOTHING_SENT).length, 2, error.message);
  });
  // A query no server may be asked names no dialect; one a dialect cannot express names it.
  assert.equal((refusals[4] as UnsupportedQueryError).dialect, undefined);
  assert.equal((refusals[7] as UnsupportedQueryError).dialect, undefined);
  assert.equal((refusals[6] as UnsupportedQueryError).dialect, "frr");
  assert.match(refusals[6].message, /^FRR servers cannot look up the longest match/);
});

Deno.test("errors after sending say that something was sent", () => {
  assert.equal(new ParseError("frr", "x").nothingSent, false);
  assert.equal(new CommandRejectedError("rs", "show x", "% no", "Try another").nothingSent, false);
  assert.equal(new TelnetError("rs", "timeout", "slow").nothingSent, false);
  assert.equal(new TelnetError("rs", "output-limit", "big").nothingSent, false);
  assert.equal(new TelnetError("rs", "closed", "gone").nothingSent, false);
  // Before any command: no connection, no login.
  assert.equal(new TelnetError("rs", "connect", "down").nothingSent, true);
  assert.equal(new TelnetError("rs", "permission", "no").nothingSent, true);
  assert.equal(new TelnetError("rs", "login-refused", "no").nothingSent, true);
  assert.equal(new TelnetError("rs", "login-timeout", "slow").nothingSent, true);
  // Quota and ledger refusals say it in their own first words.
  const quota = new QuotaExceededError("rs", "connections", 100, 100, new Date(0), 86_400_000);
  assert.equal(quota.nothingSent, true);
  assert.match(quota.message, /^Refused before connecting/);
  assert.equal(new LedgerBusyError("/x.lock", 5000).nothingSent, true);
});
