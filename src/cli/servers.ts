/**
 * `servers [--probe] [--json] [--user NAME]`: the server list with the quota
 * left (the team's, and with `--user` that user's share), probed for
 * reachability on request — the same implementation as `list_servers`
 * (`service/list_servers.ts`), which books every probe in the quota ledger.
 *
 * @module
 */

import { ledgerNote, renderServers } from "../render.ts";
import { listServers } from "../service/list_servers.ts";
import type { LookingGlass } from "../service/looking_glass.ts";
import { print } from "./_output.ts";

/** What `servers` reads from the command line. */
export interface ServersArguments {
  /** `--probe`. */
  probe?: boolean;
  /** `--json`. */
  json?: boolean;
}

/** Runs `servers`. */
export async function servers(
  args: ServersArguments,
  open: () => Promise<LookingGlass>,
): Promise<number> {
  await using lg = await open();
  const list = await listServers(lg, { probe: args.probe });
  if (args.json) {
    const servers = lg.config.servers.map((s, i) => ({
      ...s,
      // Never print a password.
      login: s.login === "none" || s.login.password === undefined
        ? s.login
        : { ...s.login, password: "(set)" },
      budget: list.servers[i].budget,
      yourShare: list.servers[i].yourShare,
      probe: list.servers[i].probe,
    }));
    const { defaultServer, ledger, user, userShare, sharedState } = list;
    return print(
      JSON.stringify(
        { defaultServer, ledger, user, userShare, sharedState, servers },
        null,
        2,
      ),
    );
  }
  return print(
    `Default server: ${list.defaultServer}. ${ledgerNote(list)}\n${renderServers(list)}`,
  );
}
