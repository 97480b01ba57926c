/**
 * Compact text renderings of results: the `text` content of tool results and
 * the CLI's default output. All the data is in the structured result; this is
 * what a person (or a model) reads first, in few tokens.
 *
 * @module
 */

import type {
  CompareResult,
  PingAnswer,
  RouteLookupResult,
  ServerList,
  ServerListing,
  SummaryResult,
  TracerouteAnswer,
} from "./bgp/results.ts";
import type { BgpPath } from "./bgp/types.ts";

/** Lays out rows as left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** `count` and the noun, singular or plural: "1 AS", "3 ASes". */
function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Longest error message shown in a text rendering (the structured result has it whole). */
const MAX_MESSAGE = 400;

/** `text`, or its first words up to `max` characters and an ellipsis: never cut mid-word. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(" ", max - 2);
  return `${text.slice(0, cut > 0 ? cut : max - 2).trimEnd()} …`;
}

function communityText(path: BgpPath): string {
  if (path.communityDetails) {
    const shown = path.communityDetails.map((
      c,
    ) => (c.name ? `${c.community} (${c.name})` : c.community));
    return shown.length > 0 ? shown.join(" ") : "-";
  }
  const all = [
    ...path.communities,
    ...path.largeCommunities,
    ...path.extendedCommunities,
  ];
  return all.length > 0 ? all.join(" ") : "-";
}

/** Renders a route lookup: a headline, one line per path (`>` marks the best), warnings. */
export function renderRoute(result: RouteLookupResult): string {
  const how = result.cached
    ? `\`${result.command}\`, cached answer ${result.ageSeconds} s old`
    : `\`${result.command}\`, ${result.elapsedMs} ms`;
  const lines: string[] = [];
  const orlonger = result.match === "orlonger";
  if (!result.found) {
    const what = orlonger
      ? `${result.destination} or any more specific prefix`
      : result.destination;
    lines.push(`${result.server} has no route for ${what} (${how}).`);
  } else {
    const plural = result.totalPaths === 1 ? "path" : "paths";
    if (orlonger) {
      const count = result.prefixes?.length ?? 0;
      lines.push(
        `${result.server}: ${count} prefix${
          count === 1 ? "" : "es"
        } at or under ${result.destination}, ` +
          `${result.totalPaths} ${plural} (${how}).`,
      );
    } else {
      lines.push(
        `${result.server}: ${result.prefix} has ${result.totalPaths} ${plural} ` +
          `(asked for ${result.destination}; ${how}).`,
      );
    }
    if (result.filtered) {
      lines.push(`${result.matchedPaths} of ${result.totalPaths} paths match the filters.`);
    }
    if (result.paths.length < result.matchedPaths) {
      lines.push(`Showing the first ${result.paths.length}.`);
    }
    const withLocalPref = result.paths.some((p) => p.localPref !== undefined);
    const withRpki = result.paths.some((p) => p.rpki !== undefined);
    const withPeer = result.paths.some((p) => p.peer.address !== "");
    const header = [
      "",
      ...(orlonger ? ["prefix"] : []),
      "AS path",
      "next hop",
      ...(withPeer ? ["peer"] : []),
      "origin",
      "MED",
      ...(withLocalPref ? ["LP"] : []),
      ...(withRpki ? ["RPKI"] : []),
      "communities",
    ];
    const rows = result.paths.map((p) => [
      p.best ? ">" : p.valid ? "*" : "",
      ...(orlonger ? [p.prefix ?? ""] : []),
      p.asPathText || "(local)",
      p.nextHop,
      ...(withPeer ? [p.peer.address] : []),
      p.origin,
      p.med === undefined ? "-" : String(p.med),
      ...(withLocalPref ? [p.localPref === undefined ? "-" : String(p.localPref)] : []),
      ...(withRpki ? [p.rpki ?? "-"] : []),
      communityText(p),
    ]);
    if (rows.length > 0) lines.push(table(header, rows));
    const best = result.paths.find((p) => p.best);
    if (best && !orlonger) {
      const origin = best.originAs === null ? "none (local or AS_SET)" : `AS${best.originAs}`;
      const from = best.peer.address ? ` from ${best.peer.address}` : "";
      lines.push(`Best path (>): via ${best.nextHop}${from}; origin ${origin}.`);
    } else if (!orlonger && result.paths.length > 0) {
      lines.push("No best path among the paths shown.");
    }
  }
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

/** Renders a neighbour summary. */
export function renderSummary(result: SummaryResult): string {
  const family = result.addressFamily === "ipv4" ? "IPv4" : "IPv6";
  const { totals } = result;
  const how = `\`${result.command}\`, ${
    result.cached ? `cached answer ${result.ageSeconds} s old` : `${result.elapsedMs} ms`
  }`;
  const identity = result.localAs === null
    ? result.server
    : `${result.server} (AS${result.localAs}, router ID ${result.routerId})`;
  const lines = [
    totals.neighbors === 0
      ? `${identity} has no ${family} unicast neighbours (${how}).`
      : `${identity}, ${family} unicast: ${totals.established} of ${totals.neighbors} neighbours ` +
        `established, ${totals.prefixes} prefixes received (${how}).`,
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

/**
 * Renders a `list_servers` answer: the default server, whether quota use is
 * remembered, then {@linkcode renderServers}.
 */
export function renderServerList(list: ServerList): string {
  return `Default server: ${list.defaultServer}. ${ledgerNote(list)}\n${renderServers(list)}`;
}

/** Where quota use is kept, whose share is shown, and whether Redis is there. */
export function ledgerNote(list: ServerList): string {
  const notes = [
    list.ledger === "file"
      ? "Quota use is remembered across restarts."
      : list.ledger === "redis"
      ? `Quota use is the whole team's, shared in Redis (${list.sharedState?.redis ?? "?"}).`
      : "Quota use is kept in memory only (no writable state directory).",
  ];
  if (list.user !== undefined && list.userShare !== undefined) {
    notes.push(
      `You are ${list.user}; each user may take ${Math.round(list.userShare * 100)}% of a ` +
        'server\'s budget ("yours").',
    );
  }
  if (list.sharedState?.note) notes.push(`${list.sharedState.note}.`);
  return notes.join(" ");
}

/**
 * Renders the servers as a table with the budget left, and the probe results
 * when the list was probed (every enabled server then has one).
 */
export function renderServers(list: ServerList): string {
  const probed = list.servers.some((s) => s.probe !== undefined);
  const shares = list.servers.some((s) => s.yourShare !== undefined);
  const header = [
    "name",
    "dialect",
    "families",
    "enabled",
    "location",
    shares ? "team budget left (24 h)" : "budget left (24 h)",
  ];
  if (shares) header.push("yours left");
  if (probed) header.push("probe");
  header.push("notes");
  const rows = list.servers.map((s) => {
    const row = [
      s.name,
      s.dialect,
      s.addressFamilies.join("+"),
      s.enabled ? "yes" : "no",
      s.location,
    ];
    row.push(budgetLeft(s.budget));
    if (shares) row.push(s.yourShare ? budgetLeft(s.yourShare) : "-");
    if (probed) {
      const p = s.probe;
      row.push(
        !p
          ? "-"
          : !p.reachable
          ? `down: ${p.error}`
          : p.connectMs === undefined
          ? "up (session open)"
          : `up ${p.connectMs} ms`,
      );
    }
    row.push(serverNotes(s));
    return row;
  });
  return table(header, rows);
}

function budgetLeft({ remaining, unknownUntil }: ServerListing["budget"]): string {
  return unknownUntil
    ? `unknown until ${unknownUntil}`
    : `${remaining.connections} conn, ${formatKb(remaining.bytesDown)} down`;
}

/**
 * A server's notes: the one to use instead of a renamed one, whether telnet
 * is unconfirmed, the software its greeting showed (and a mismatch), RPKI.
 */
function serverNotes(s: ServerListing): string {
  const notes: string[] = [];
  if (!s.enabled && s.successor) notes.push(`use ${s.successor}`);
  if (s.seen?.mismatch) notes.push(`MISMATCH: ${s.seen.mismatch}`);
  else if (s.seen?.software) {
    notes.push(`greeting: ${s.seen.software}${s.seen.version ? ` ${s.seen.version}` : ""}`);
  }
  if (s.enabled && !s.confirmed && !s.seen) notes.push("telnet not confirmed yet");
  if (s.supports.includes("rpki")) notes.push("RPKI");
  return notes.join("; ");
}

function formatKb(bytes: number): string {
  return `${Math.floor(bytes / 1000)} KB`;
}

/** Renders a comparison: a short verdict, then one line per server. */
export function renderCompare(result: CompareResult): string {
  const { consensus: c, results } = result;
  const asked = results.length;
  const lines: string[] = [];
  const prefix = c.prefixes.length === 1 ? c.prefixes[0].prefix : result.destination;
  let verdict = `${prefix}: seen by ${c.seenBy.length}/${asked}`;
  if (c.origins.length === 1) {
    const [origin] = c.origins;
    verdict += origin.servers.length === c.seenBy.length
      ? `, origin AS${origin.asn} everywhere`
      : `, origin AS${origin.asn} (${counted(origin.servers.length, "server", "servers")})`;
  }
  if (c.missingFrom.length > 0) verdict += `; missing from ${c.missingFrom.join(", ")}`;
  if (c.failed.length > 0) verdict += `; no answer from ${c.failed.join(", ")}`;
  lines.push(`${verdict}.`);
  if (c.moas) {
    lines.push(
      `MOAS: ${counted(c.origins.length, "origin AS", "origin ASes")}: ` +
        c.origins.map((o) => `AS${o.asn} (${o.servers.join(", ")})`).join(", ") +
        ". A hijack or leak, or a deliberate multi-origin setup: check with the prefix holder.",
    );
  }
  if (c.prefixes.length > 1) {
    lines.push(
      "Different prefixes match: " +
        c.prefixes.map((p) => `${p.prefix} (${p.servers.join(", ")})`).join(", ") + ".",
    );
  }
  if (c.upstreams.length > 0) {
    lines.push(
      "Upstreams of the origin on best paths: " +
        c.upstreams.map((u) => `AS${u.asn} (${u.servers.length})`).join(", ") + ".",
    );
  }
  if (c.shortestPath && c.longestPath && c.longestPath.length !== c.shortestPath.length) {
    lines.push(
      `Best paths range from ${counted(c.shortestPath.length, "AS", "ASes")} ` +
        `(${c.shortestPath.server}) to ${c.longestPath.length} (${c.longestPath.server}).`,
    );
  }
  // RPKI only where some server validates: "not validated" elsewhere, never a blank read as valid.
  const withRpki = results.some((r) => r.rpki !== undefined && r.rpki !== "not-validated");
  lines.push(table(
    [
      "server",
      "result",
      "prefix",
      "best AS path",
      "next hop",
      ...(withRpki ? ["RPKI"] : []),
      "paths",
      "answer",
    ],
    results.map((r) => [
      r.server,
      r.error ? "error" : r.found ? "seen" : "missing",
      r.prefix ?? "-",
      r.bestPath ? r.bestPath.asPathText || "(local)" : "-",
      r.bestPath?.nextHop ?? "-",
      ...(withRpki ? [r.rpki === "not-validated" ? "not validated" : r.rpki ?? "-"] : []),
      String(r.pathCount),
      r.error ? "see below" : r.cached ? `cached ${r.ageSeconds ?? 0} s` : `${r.elapsedMs} ms`,
    ]),
  ));
  // Whole sentences under the table, where a long message does not stretch every row.
  for (const r of results) if (r.error) lines.push(`${r.server}: ${clip(r.error, MAX_MESSAGE)}`);
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

/** Renders a ping: replies, loss, round-trip times and the reply characters, in one line. */
export function renderPing(result: PingAnswer): string {
  const rtt = result.rttMs
    ? `, round-trip min/avg/max ${result.rttMs.min}/${result.rttMs.avg}/${result.rttMs.max} ms`
    : "";
  return `${result.server} → ${result.target}: ${result.received}/${result.sent} replies ` +
    `(${result.lossPercent}% loss)${rtt} [${result.replies}] (\`${result.command}\`).`;
}

/**
 * Renders a traceroute: a verdict, then one row per responder of each hop, in
 * the order printed. A hop that more than one router answered gets a row for
 * each, with the round-trip times of its own probes; a timeout belongs to the
 * responder printed before it.
 */
export function renderTraceroute(result: TracerouteAnswer): string {
  const rows: string[][] = [];
  for (const hop of result.hops) {
    const groups: { who: string; times: string[] }[] = [];
    for (const probe of hop.probes) {
      const who = probe.address === undefined
        ? undefined
        : probe.name
        ? `${probe.name} (${probe.address})`
        : probe.address;
      const time = probe.timeout
        ? "*"
        : probe.rttMs === undefined
        ? probe.annotation ?? "?"
        : `${probe.rttMs}${probe.annotation ? ` ${probe.annotation}` : ""}`;
      const last = groups.at(-1);
      if (last && (who === undefined || who === last.who)) last.times.push(time);
      else groups.push({ who: who ?? "*", times: [time] });
    }
    if (groups.length === 0) groups.push({ who: "*", times: [] });
    groups.forEach((group, i) =>
      rows.push([
        i === 0 ? String(hop.hop) : "",
        group.who,
        i > 0 ? "" : hop.asn === undefined ? "-" : `AS${hop.asn}`,
        group.times.join(" "),
      ])
    );
  }
  const verdict = result.reached ? "reached" : "not reached";
  return `${result.server} → ${result.target}: ${verdict} in ` +
    `${counted(result.hops.length, "hop", "hops")} (\`${result.command}\`).\n` +
    table(["hop", "address", "AS", "ms"], rows);
}
