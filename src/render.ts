/**
 * Compact text renderings of results: the `text` content of tool results and
 * the CLI's default output. All the data is in the structured result; this is
 * what a person (or a model) reads first, in few tokens.
 *
 * @module
 */

import type { ServerConfig } from "./config.ts";
import type { RouteLookupResult, SummaryResult } from "./lookup.ts";
import type { ProbeResult } from "./probe.ts";
import type { BgpPath } from "./types.ts";

/** Lays out rows as left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function communityText(path: BgpPath): string {
  const all = [
    ...path.communities,
    ...path.largeCommunities,
    ...path.extendedCommunities,
  ];
  return all.length > 0 ? all.join(" ") : "-";
}

/** Renders a route lookup: a headline, one line per path (`>` marks the best), warnings. */
export function renderRoute(result: RouteLookupResult): string {
  const how = `\`${result.command}\`, ${result.elapsedMs} ms`;
  const lines: string[] = [];
  if (!result.found) {
    lines.push(`${result.server} has no route for ${result.destination} (${how}).`);
  } else {
    const plural = result.totalPaths === 1 ? "path" : "paths";
    const shown = result.paths.length < result.totalPaths ? `, ${result.paths.length} shown` : "";
    lines.push(
      `${result.server}: ${result.prefix} has ${result.totalPaths} ${plural}${shown} ` +
        `(asked for ${result.destination}; ${how}).`,
    );
    const withLocalPref = result.paths.some((p) => p.localPref !== undefined);
    const withRpki = result.paths.some((p) => p.rpki !== undefined);
    const header = [
      "",
      "AS path",
      "next hop",
      "peer",
      "origin",
      "MED",
      ...(withLocalPref ? ["LP"] : []),
      ...(withRpki ? ["RPKI"] : []),
      "communities",
    ];
    const rows = result.paths.map((p) => [
      p.best ? ">" : p.valid ? "*" : "",
      p.asPathText || "(local)",
      p.nextHop,
      p.peer.address,
      p.origin,
      p.med === undefined ? "-" : String(p.med),
      ...(withLocalPref ? [p.localPref === undefined ? "-" : String(p.localPref)] : []),
      ...(withRpki ? [p.rpki ?? "-"] : []),
      communityText(p),
    ]);
    lines.push(table(header, rows));
    const best = result.paths.find((p) => p.best);
    if (best) {
      const origin = best.originAs === null ? "none (local or AS_SET)" : `AS${best.originAs}`;
      lines.push(`Best path (>): via ${best.nextHop} from ${best.peer.address}; origin ${origin}.`);
    } else {
      lines.push("No best path selected.");
    }
  }
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

/** Renders a neighbour summary. */
export function renderSummary(result: SummaryResult): string {
  const family = result.addressFamily === "ipv4" ? "IPv4" : "IPv6";
  const { totals } = result;
  const lines = [
    `${result.server} (AS${result.localAs}, router ID ${result.routerId}), ${family} unicast: ` +
    `${totals.established} of ${totals.neighbors} neighbours established, ` +
    `${totals.prefixes} prefixes received (\`${result.command}\`, ${result.elapsedMs} ms).`,
  ];
  if (result.neighbors.length > 0) {
    lines.push(table(
      ["neighbour", "AS", "state", "up/down", "prefixes"],
      result.neighbors.map((n) => [
        n.address,
        String(n.asn),
        n.state,
        n.uptime,
        n.prefixesReceived === null ? "-" : String(n.prefixesReceived),
      ]),
    ));
  }
  if (result.truncated) {
    lines.push(
      `Showing ${result.neighbors.length} of ${totals.neighbors}; raise limit to see more.`,
    );
  }
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

/** Renders the server list, with probe results when present. */
export function renderServers(
  servers: readonly ServerConfig[],
  probes?: readonly (ProbeResult | undefined)[],
): string {
  const header = ["name", "dialect", "families", "enabled", "location"];
  if (probes) header.push("probe");
  const rows = servers.map((s, i) => {
    const row = [
      s.name,
      s.dialect,
      s.addressFamilies.join("+"),
      s.enabled ? "yes" : "no",
      s.location,
    ];
    if (probes) {
      const p = probes[i];
      row.push(!p ? "-" : p.reachable ? `up ${p.connectMs} ms` : `down: ${p.error}`);
    }
    return row;
  });
  return table(header, rows);
}
