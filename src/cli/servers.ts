/**
 * `servers [--probe] [--json]`: the server list with the quota left, probed
 * for reachability on request.
 *
 * @module
 */

import { renderServers } from "../render.ts";
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
  const { config } = lg;
  const enabled = config.servers.filter((s) => s.enabled);
  const probes = args.probe ? await lg.probe(enabled) : undefined;
  const byServer = probes && config.servers.map((s) => probes[enabled.indexOf(s)]);
  const budgets = config.servers.map((s) => lg.budget(s));
  if (args.json) {
    const servers = config.servers.map((s, i) => ({
      ...s,
      // Never print a password.
      login: s.login === "none" || s.login.password === undefined
        ? s.login
        : { ...s.login, password: "(set)" },
      budget: budgets[i],
      probe: byServer?.[i],
    }));
    return print(JSON.stringify({ defaultServer: config.defaultServer, servers }, null, 2));
  }
  return print(
    `Default server: ${config.defaultServer}\n${renderServers(config.servers, byServer, budgets)}`,
  );
}
