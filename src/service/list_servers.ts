/**
 * `list_servers` and the CLI's `servers`: the configured route servers with
 * the quota left to each, and on request a reachability probe of every
 * enabled one. One implementation for both edges, so both probe the same way:
 * through the connection gate, each probe booked in the quota ledger before it
 * connects and refused when the budget is spent (see `politeness/probe.ts`).
 *
 * @module
 */

import type { ServerList, ServerListing } from "../bgp/results.ts";
import type { ServerConfig } from "../config/schema.ts";
import { dialectMismatch } from "../telnet/banner.ts";
import type { ProbeResult } from "../politeness/probe.ts";
import { currentUser } from "../politeness/user_context.ts";
import { engineOf, type LookingGlass, type QueryOptions } from "./looking_glass.ts";

/**
 * The server list with every server's budget — the team's, and the caller's
 * share of it when the call is for a user — probing the enabled servers when
 * `request.probe` is set.
 */
export async function listServers(
  lg: LookingGlass,
  request: { probe?: boolean } = {},
  options: QueryOptions = {},
): Promise<ServerList> {
  const { config } = lg;
  let probes: (ProbeResult | undefined)[] | undefined;
  if (request.probe) {
    // A probe is a connection too: booked first, refused over budget, within maxConcurrent.
    const enabled = config.servers.filter((s) => s.enabled);
    const results = await engineOf(lg).probe(enabled, { signal: options.signal });
    probes = config.servers.map((s) => (s.enabled ? results[enabled.indexOf(s)] : undefined));
  }
  // In team mode the budgets are read from Redis (as of its last answer while it is away): this
  // needs no route server, so it works whatever state the shared budget is in.
  const user = currentUser();
  const budgets = await Promise.all(config.servers.map((s) => lg.budgets(s, user)));
  const share = budgets.find((b) => b.share !== undefined)?.share;
  const sharedState = lg.sharedState();
  return {
    defaultServer: config.defaultServer,
    ledger: lg.ledgerMode,
    ...(user !== undefined && share !== undefined ? { user, userShare: share } : {}),
    ...(sharedState ? { sharedState } : {}),
    servers: config.servers.map((s, i) => ({
      name: s.name,
      host: s.host,
      port: s.port,
      dialect: s.dialect,
      location: s.location,
      addressFamilies: s.addressFamilies,
      enabled: s.enabled,
      supports: s.supports,
      confirmed: s.confirmed,
      ...(s.successor ? { successor: s.successor } : {}),
      ...seenOf(lg, s),
      budget: budgets[i].team,
      ...(budgets[i].user ? { yourShare: budgets[i].user } : {}),
      ...(probes?.[i] ? { probe: probes[i] } : {}),
    })),
  };
}

/** What the server's greeting showed in this process, and whether it fits the dialect. */
function seenOf(lg: LookingGlass, server: ServerConfig): Pick<ServerListing, "seen"> {
  const contact = engineOf(lg).contacts.get(server.name);
  if (!contact) return {};
  const { software } = contact;
  const mismatch = dialectMismatch(software, server.dialect);
  return {
    seen: {
      at: contact.at,
      ...(software ? { software: software.software } : {}),
      ...(software?.version ? { version: software.version } : {}),
      ...(mismatch ? { mismatch } : {}),
    },
  };
}
