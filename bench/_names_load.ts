/**
 * One first use of the AS-names table in a fresh process, for bench/names.ts:
 * prints the time to load it (import and decode) and the process's RSS
 * before and after, as one JSON line.
 *
 * @module
 */

import { NamesLoader } from "../src/names/loader.ts";

const rss = () => Deno.memoryUsage().rss / 1048576;

const before = rss();
const started = performance.now();
const table = await new NamesLoader().load();
const loadMs = performance.now() - started;
const after = rss();
// The answer is used, so nothing is optimised away.
const check = table.asName(15169).name;
Deno.stdout.writeSync(
  new TextEncoder().encode(
    `${JSON.stringify({ loadMs, before, after, check })}\n`,
  ),
);
