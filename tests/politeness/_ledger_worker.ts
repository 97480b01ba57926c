/**
 * A process of its own sharing a quota ledger file, for tests: opens the
 * service on a config and a ledger, says `ready` on stdout, waits for one line
 * on stdin (so that every worker starts at once), then runs `count` route
 * lookups and prints `{answered, refused, unavailable, failed}` as JSON (refused:
 * over budget; unavailable: the ledger file could not be used).
 *
 * ```sh
 * deno run … tests/politeness/_ledger_worker.ts CONFIG LEDGER COUNT FIRST
 * ```
 */

import { loadConfig } from "../../src/config/load.ts";
import { LookingGlass } from "../../src/service/looking_glass.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";

const [configPath, ledgerPath, countText, firstText] = Deno.args;
const config = await loadConfig(configPath);
const lg = await LookingGlass.open(config, { ledgerPath });
const encoder = new TextEncoder();
await Deno.stdout.write(encoder.encode("ready\n"));
const reader = Deno.stdin.readable.getReader();
await reader.read();
reader.releaseLock();

const outcome = { answered: 0, refused: 0, unavailable: 0, failed: [] as string[] };
for (let i = 0; i < Number(countText); i++) {
  try {
    await lookupRoute(lg, { destination: `8.8.${Number(firstText) + i}.0/24` });
    outcome.answered++;
  } catch (error) {
    if ((error as Error).name === "QuotaExceededError") outcome.refused++;
    else if ((error as Error).name === "LedgerUnavailableError") outcome.unavailable++;
    else outcome.failed.push(String(error));
  }
}
await lg.close();
await Deno.stdout.write(encoder.encode(JSON.stringify(outcome) + "\n"));
