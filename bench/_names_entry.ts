/**
 * The server's entry point as it will be once AS names are integrated: the
 * names loader is imported at startup (so the data module is in the module
 * graph), but nothing is loaded until the first lookup. bench/names.ts times
 * `initialize` through this and through src/main.ts.
 *
 * @module
 */

import { NamesLoader } from "../src/names/loader.ts";
import { main } from "../src/main.ts";

/** The service's loader: created at startup, loaded on first use. */
export const names: NamesLoader = new NamesLoader();

Deno.exitCode = await main(Deno.args);
