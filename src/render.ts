/**
 * Compact text renderings of results: the `text` content of tool results and
 * the CLI's default output. All the data is in the structured result; this is
 * what a person (or a model) reads first, in few tokens.
 *
 * @module
 */

import type {
  AsInfo,
  AsInfoResult,
  CompareResult,
  CompareServerResult,
  HostResolutionInfo,
  IpOriginResult,
  PingAnswer,
  RouteLookupResult,
  ServerList,
  ServerListing,
  SummaryResult,
  TracerouteAnswer,
} from "./bgp/results.ts";
import type { BgpPath } from "./bgp/types.ts";
import type { DatasetOriginCheck } from "./bgp/dataset_origin.ts";
import { renderFindings } from "./findings/render.ts";
import { namesLabel } from "./names/attribution.ts";
import { type AddressRange, rangeText } from "./names/table.ts";

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

/** Most ASes named in one legend line (the structured content names every one). */
export const MAX_LEGEND_NAMES = 20;

/**
 * The one line naming the ASes of an answer, in the order they first appear:
 * `AS names as of 2026-06-17: 3356 Level 3 Communications, Inc.; 15169 Google LLC.`
 * Names hold commas, so entries are separated by semicolons. `null` when the
 * answer carries no names.
 */
export function namesLegend(
  date: string | undefined,
  entries: Iterable<readonly [number, string | null | undefined]>,
): string | null {
  if (date === undefined) return null;
  const named = new Map<number, string>();
  const unnamed = new Set<number>();
  for (const [asn, name] of entries) {
    if (name === undefined || named.has(asn) || unnamed.has(asn)) continue;
    if (name === null) unnamed.add(asn);
    else named.set(asn, name);
  }
  if (named.size === 0 && unnamed.size === 0) return null;
  const shown = [...named].slice(0, MAX_LEGEND_NAMES).map(([asn, name]) => `${asn} ${name}`);
  const more = named.size - shown.length;
  if (more > 0) shown.push(`and ${more} more in the structured content`);
  if (unnamed.size > 0) shown.push(`no name known for ${[...unnamed].slice(0, 10).join(", ")}`);
  return fullStop(`${namesLabel(date)}: ${shown.join("; ")}`);
}

/** `text` ending with one full stop (a name may end with its own: `Inc.`). */
function fullStop(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}

/** The ASes of paths with their names, path by path, for {@linkcode namesLegend}. */
function pathEntries(paths: readonly BgpPath[]): [number, string | null | undefined][] {
  return paths.flatMap((p) =>
    p.asPath.map((asn, i) =>
      [asn, p.asPathNames?.[i]] as [
        number,
        string | null | undefined,
      ]
    )
  );
}

/** `github.com resolved to 140.82.112.3, 2606:50c0::1; asked about 140.82.112.3.` */
export function resolutionLine(info: HostResolutionInfo): string {
  const refused = info.refused.length === 0
    ? ""
    : `; refused ${info.refused.map((r) => r.address).join(", ")} (not global unicast)`;
  return `${info.host} resolved to ${info.addresses.join(", ")}${refused} ` +
    `(DNS, ${info.elapsedMs} ms); asked about ${info.asked}.`;
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
  const lines: string[] = result.resolution ? [resolutionLine(result.resolution)] : [];
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
    if (result.findings) lines.push(renderFindings(result.findings));
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
    const legend = namesLegend(result.namesAsOf, pathEntries(result.paths));
    if (legend) lines.push(legend);
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
  if (result.graph) lines.push(mermaidBlock(result.graph.mermaid));
  return lines.join("\n");
}

/** Options for {@linkcode renderCompare}. */
export interface CompareTextOptions {
  /** End with the AS graph as a fenced Mermaid block (default true; the CLI asks with --mermaid). */
  mermaid?: boolean;
}

/** The AS graph as a fenced Mermaid block a client can draw (the text holds no backtick). */
function mermaidBlock(mermaid: string): string {
  return "AS graph (Mermaid):\n```mermaid\n" + mermaid + "\n```";
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
  const legend = namesLegend(result.namesAsOf, [
    ...(result.localAs === null ? [] : [[result.localAs, result.localAsName] as const]),
    ...result.neighbors.map((n) => [n.asn, n.asName] as const),
  ]);
  if (legend) lines.push(legend);
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

/** One server's answer in a comparison as a progress message: `rv2 sees 8.8.8.0/24`. */
export function progressMessage(one: CompareServerResult): string {
  const what = one.error ? "failed" : one.found ? `sees ${one.prefix}` : "has no route";
  return `${one.server} ${what}`;
}

/** Renders a comparison: findings, a short verdict, one line per server, the AS graph. */
export function renderCompare(result: CompareResult, options: CompareTextOptions = {}): string {
  const { consensus: c, results } = result;
  const asked = results.length;
  const lines: string[] = result.resolution ? [resolutionLine(result.resolution)] : [];
  lines.push(renderFindings(result.findings));
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
  if (c.datasetOrigins && result.namesAsOf) {
    lines.push(...datasetOriginLines(c.datasetOrigins, result.namesAsOf));
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
  const legend = namesLegend(result.namesAsOf, [
    ...pathEntries(results.flatMap((r) => (r.bestPath ? [r.bestPath] : []))),
    ...c.origins.map((o) => [o.asn, o.name] as const),
    ...c.upstreams.map((u) => [u.asn, u.name] as const),
  ]);
  if (legend) lines.push(legend);
  // Whole sentences under the table, where a long message does not stretch every row.
  for (const r of results) if (r.error) lines.push(`${r.server}: ${clip(r.error, MAX_MESSAGE)}`);
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  if (options.mermaid ?? true) lines.push(mermaidBlock(result.graph.mermaid));
  return lines.join("\n");
}

/**
 * The live origins against the dataset's: one line when every prefix agrees,
 * one line per prefix that differs or that the dataset does not have.
 */
function datasetOriginLines(checks: readonly DatasetOriginCheck[], date: string): string[] {
  if (checks.length === 0) return [];
  const label = `the dataset (as of ${date}, not a live view)`;
  const asList = (asns: readonly number[]) => asns.map((a) => `AS${a}`).join(", ");
  const datasetText = (check: DatasetOriginCheck) =>
    check.dataset.slice(0, 3).map((d) => `AS${d.asn} (${d.range})`).join(", ") +
    (check.dataset.length > 3 ? ` and ${check.dataset.length - 3} more` : "");
  if (checks.every((check) => check.verdict === "agrees")) {
    const origins = [...new Set(checks.flatMap((check) => check.liveOrigins))];
    return [`Live origin ${asList(origins)} matches ${label}.`];
  }
  return checks.flatMap((check) => {
    if (check.verdict === "agrees") return [];
    if (check.verdict === "not-in-dataset") {
      return [
        `${check.prefix}: ${label} has no range for it (live origin ${asList(check.liveOrigins)}).`,
      ];
    }
    return [
      `${check.prefix}: live origin ${asList(check.liveOrigins)}, but ${label} gives ` +
      `${datasetText(check)}. A recent change, a hijack or a leak, or a stale dataset: check ` +
      "with the prefix holder.",
    ];
  });
}

/** Renders a ping: replies, loss, round-trip times and the reply characters, in one line. */
export function renderPing(result: PingAnswer): string {
  const rtt = result.rttMs
    ? `, round-trip min/avg/max ${result.rttMs.min}/${result.rttMs.avg}/${result.rttMs.max} ms`
    : "";
  const line = `${result.server} → ${result.target}: ${result.received}/${result.sent} replies ` +
    `(${result.lossPercent}% loss)${rtt} [${result.replies}] (\`${result.command}\`).`;
  return result.resolution ? `${resolutionLine(result.resolution)}\n${line}` : line;
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
  const lines = result.resolution ? [resolutionLine(result.resolution)] : [];
  lines.push(
    `${result.server} → ${result.target}: ${verdict} in ` +
      `${counted(result.hops.length, "hop", "hops")} (\`${result.command}\`).`,
    table(["hop", "address", "AS", "ms"], rows),
  );
  const legend = namesLegend(
    result.namesAsOf,
    result.hops.flatMap((hop) => (hop.asn === undefined ? [] : [[hop.asn, hop.asName] as const])),
  );
  if (legend) lines.push(legend);
  for (const warning of result.warnings ?? []) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

/** `AS3356 Level 3 Communications, Inc.`, with the IANA block of a special-purpose number. */
function asLine(as: AsInfo): string {
  const name = as.name ?? "no name known";
  const special = as.special && as.source !== "iana"
    ? ` (${as.special.name}, ${as.special.reference})`
    : as.special
    ? ` (${as.special.reference}${as.special.bogon ? "; never in a public AS path" : ""})`
    : "";
  return `AS${as.asn} ${name}${special}`;
}

/** One range: `8.8.8.0/24 AS15169 Google LLC`, or `first-last (N prefixes) …`. */
function rangeLine(range: AddressRange): string {
  const blocks = range.prefixCount > 1 ? ` (${range.prefixCount} prefixes)` : "";
  return `${rangeText(range)}${blocks} AS${range.asn} ${range.name ?? "(no name known)"}`;
}

/** Renders an `as_info` answer: the AS and a few of its ranges, or the search's best matches. */
export function renderAsInfo(result: AsInfoResult): string {
  const lines: string[] = [];
  if (result.as) {
    const as = result.as;
    lines.push(fullStop(asLine(as)));
    if (!as.inDataset) {
      lines.push("The dataset maps no address range to it.");
    } else {
      lines.push(
        `The dataset maps ${counted(as.ranges.ipv4, "IPv4 range", "IPv4 ranges")} and ` +
          `${counted(as.ranges.ipv6, "IPv6 range", "IPv6 ranges")} to it.`,
      );
      const examples = [...(result.examples?.ipv4 ?? []), ...(result.examples?.ipv6 ?? [])];
      if (examples.length > 0) {
        lines.push(`For example: ${examples.map((r) => rangeText(r)).join(", ")}.`);
      }
    }
  }
  if (result.search) {
    const { matches, total, query } = result.search;
    lines.push(
      total === 0
        ? `No AS name contains "${query}".`
        : `${counted(total, "AS matches", "ASes match")} "${query}"` +
          (matches.length < total ? `; the best ${matches.length}:` : ":"),
    );
    if (matches.length > 0) {
      lines.push(table(
        ["AS", "name", "ranges (v4/v6)"],
        matches.map((m) => [
          String(m.asn),
          m.name ?? "-",
          `${m.ranges.ipv4}/${m.ranges.ipv6}`,
        ]),
      ));
    }
  }
  lines.push(`${capitalised(result.note)}.`);
  return lines.join("\n");
}

/** Renders an `ip_origin` answer, labelled as the dataset's view. */
export function renderIpOrigin(result: IpOriginResult): string {
  const lines = result.resolution ? [resolutionLine(result.resolution)] : [];
  if (result.covering) {
    lines.push(fullStop(`${result.destination}: in ${rangeLine(result.covering)}`));
  } else if (result.overlappingCount > 0) {
    lines.push(
      `${result.destination}: no one range holds it; it overlaps ` +
        `${counted(result.overlappingCount, "range", "ranges")}:`,
    );
    lines.push(...result.overlapping.map((r) => `  ${rangeLine(r)}`));
    if (result.overlapping.length < result.overlappingCount) {
      lines.push(`  … and ${result.overlappingCount - result.overlapping.length} more.`);
    }
  } else {
    lines.push(`${result.destination}: the dataset maps no range to it.`);
  }
  lines.push(`${capitalised(result.note)}.`);
  for (const warning of result.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n");
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
