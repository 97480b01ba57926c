/**
 * The live origin against the dataset's (route_compare's
 * `consensus.datasetOrigins`): pure, with the dataset lookup passed in.
 */

import assert from "node:assert/strict";
import { checkDatasetOrigins, type DatasetOrigin } from "../../src/bgp/dataset_origin.ts";
import type { BgpPath, ParsedRoute } from "../../src/bgp/types.ts";
import type { CompareResult } from "../../src/bgp/results.ts";
import { renderCompare } from "../../src/render.ts";

function path(asPath: number[], options: { valid?: boolean; originAs?: number | null } = {}) {
  return {
    best: false,
    valid: options.valid ?? true,
    asPath,
    asPathText: asPath.join(" "),
    originAs: options.originAs === undefined ? asPath.at(-1) ?? null : options.originAs,
    origin: "IGP",
    nextHop: "198.51.100.1",
    peer: { address: "198.51.100.1" },
    communities: [],
    largeCommunities: [],
    extendedCommunities: [],
  } as BgpPath;
}

function route(prefix: string, ...paths: BgpPath[]): ParsedRoute {
  return { found: true, prefix, paths, totalPaths: paths.length };
}

const DATASET: Record<string, DatasetOrigin[]> = {
  "8.8.8.0/24": [{ asn: 15169, name: "Google LLC", range: "8.8.8.0/24" }],
  "8.8.8.0/25": [{ asn: 15169, name: "Google LLC", range: "8.8.8.0/24" }],
};
const lookup = (prefix: string) => DATASET[prefix] ?? [];

Deno.test("dataset origin: agrees, differs, not in the dataset; most widely seen origin first", () => {
  const checks = checkDatasetOrigins([
    { server: "rs1", route: route("8.8.8.0/24", path([3356, 15169]), path([64666])) },
    { server: "rs2", route: route("8.8.8.0/24", path([174, 64666]), path([15169, 64666])) },
    { server: "rs3", route: route("8.8.8.0/25", path([15169])) },
    { server: "rs4", route: route("203.0.113.0/24", path([64500])) },
    { server: "down", route: null },
    { server: "none", route: { found: false, prefix: null, paths: [], totalPaths: 0 } },
  ], lookup);
  assert.deepEqual(checks, [
    {
      prefix: "8.8.8.0/24",
      // 64666 is seen by two servers (once each, however many paths), 15169 by one.
      liveOrigins: [64666, 15169],
      dataset: DATASET["8.8.8.0/24"],
      verdict: "differs",
    },
    {
      prefix: "8.8.8.0/25",
      liveOrigins: [15169],
      dataset: DATASET["8.8.8.0/25"],
      verdict: "agrees",
    },
    { prefix: "203.0.113.0/24", liveOrigins: [64500], dataset: [], verdict: "not-in-dataset" },
  ]);
});

Deno.test("dataset origin: invalid paths and paths without an origin (AS_SET, local) are not compared", () => {
  const checks = checkDatasetOrigins([
    {
      server: "rs1",
      route: route(
        "8.8.8.0/24",
        path([15169]),
        path([64666], { valid: false }),
        path([], { originAs: null }),
      ),
    },
    { server: "rs2", route: route("8.8.4.0/24", path([], { originAs: null })) },
  ], lookup);
  // 8.8.4.0/24 has no origin to compare: no check at all, rather than a false "not-in-dataset".
  assert.deepEqual(checks, [
    {
      prefix: "8.8.8.0/24",
      liveOrigins: [15169],
      dataset: DATASET["8.8.8.0/24"],
      verdict: "agrees",
    },
  ]);
});

function compare(datasetOrigins: CompareResult["consensus"]["datasetOrigins"]): CompareResult {
  return {
    destination: "8.8.8.0/24",
    results: [],
    consensus: {
      seenBy: ["rs1"],
      missingFrom: [],
      failed: [],
      origins: [{ asn: 15169, servers: ["rs1"], name: "Google LLC" }],
      moas: false,
      upstreams: [],
      prefixes: [{ prefix: "8.8.8.0/24", servers: ["rs1"] }],
      shortestPath: null,
      longestPath: null,
      datasetOrigins,
    },
    findings: [],
    graph: {
      title: "8.8.8.0/24: best paths from 1 vantage point",
      vantagePoints: [],
      ases: [],
      edges: [],
      maxWeight: 1,
      mermaid: "flowchart LR",
    },
    elapsedMs: 1,
    warnings: [],
    namesAsOf: "2026-06-17",
  } as unknown as CompareResult;
}

Deno.test("render compare: one line when the dataset agrees, one per prefix that differs", () => {
  const agrees = renderCompare(compare([
    {
      prefix: "8.8.8.0/24",
      liveOrigins: [15169],
      dataset: DATASET["8.8.8.0/24"],
      verdict: "agrees",
    },
  ]));
  assert.match(
    agrees,
    /\nLive origin AS15169 matches the dataset \(as of 2026-06-17, not a live view\)\.\n/,
  );
  const differs = renderCompare(compare([
    {
      prefix: "8.8.8.0/24",
      liveOrigins: [64666],
      dataset: [1, 2, 3, 4].map((i) => ({ asn: 15169 + i, name: null, range: `8.8.8.${i}/32` })),
      verdict: "differs",
    },
    {
      prefix: "8.8.8.0/25",
      liveOrigins: [15169],
      dataset: DATASET["8.8.8.0/25"],
      verdict: "agrees",
    },
    { prefix: "203.0.113.0/24", liveOrigins: [64500], dataset: [], verdict: "not-in-dataset" },
  ]));
  assert.match(
    differs,
    /\n8\.8\.8\.0\/24: live origin AS64666, but the dataset \(as of 2026-06-17, not a live view\) gives AS15170 \(8\.8\.8\.1\/32\), AS15171 \(8\.8\.8\.2\/32\), AS15172 \(8\.8\.8\.3\/32\) and 1 more\. A recent change, a hijack or a leak, or a stale dataset: check with the prefix holder\.\n/,
  );
  assert.doesNotMatch(differs, /8\.8\.8\.0\/25:/);
  assert.match(
    differs,
    /\n203\.0\.113\.0\/24: the dataset \(as of 2026-06-17, not a live view\) has no range for it \(live origin AS64500\)\.\n/,
  );
  // Names off (no date): no dataset line at all.
  const off = compare(undefined);
  delete (off as { namesAsOf?: string }).namesAsOf;
  assert.doesNotMatch(renderCompare(off), /dataset/);
});
