/**
 * A child process for the permission tests: loads the AS-names table (the
 * built-in module, or the file given as the first argument) and prints what
 * it answers, or the error, as one JSON line.
 *
 * @module
 */

import { NamesLoader } from "../../src/names/loader.ts";
import { NamesUnavailableError } from "../../src/errors.ts";

const file = Deno.args[0];
try {
  const table = await new NamesLoader(file ? { file } : {}).load();
  const out = {
    date: table.date,
    as15169: table.asName(15169).name,
    origin: table.originOf("8.8.8.8").covering?.asn,
  };
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(out)}\n`));
} catch (error) {
  const reason = error instanceof NamesUnavailableError ? error.reason : "other";
  const out = { error: (error as Error).name, reason, message: (error as Error).message };
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(out)}\n`));
}
