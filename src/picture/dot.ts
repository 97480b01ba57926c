/**
 * The picture as Graphviz DOT, for the PNG (laid out by Graphviz) and for
 * anyone who wants to lay it out another way. Labels are untrusted text:
 * quotes and backslashes are escaped (so no label can close its string or
 * start a Graphviz escape such as `\N`), `&` is written `&amp;` (Graphviz
 * reads HTML entities in labels) and `<`, `>` as entities too.
 *
 * @module
 */

import {
  type AsGraph,
  type AsNode,
  asNodeLines,
  edgeWidth,
  vantageLines,
  type VantageNode,
} from "./graph.ts";
import { EDGE_COLOUR, type NodeStyle, PALETTE } from "./palette.ts";

/** Options for {@linkcode toDot}. */
export interface DotOptions {
  /** Font family for every label (default `DejaVu Sans`, the font the PNG renderer ships). */
  fontname?: string;
  /** Applied to every line of label text before escaping (the PNG maps glyphs its font lacks). */
  text?: (line: string) => string;
}

/** What the colours and numbers mean, under the title. */
export const LEGEND =
  "blue: route servers   green: origin   red: suspicious   dashed: no route   numbers: best paths";

/** One line of label text inside a DOT double-quoted string. */
export function dotEscape(text: string): string {
  return text.replace(
    /[\\"&<>]/g,
    (c) =>
      c === "\\" ? "\\\\" : c === '"' ? '\\"' : c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;",
  );
}

function attributes(style: NodeStyle, extra: string[] = []): string {
  const c = PALETTE[style];
  const dashed = style === "absent" ? ",dashed" : "";
  return [
    `fillcolor="${c.fill}"`,
    `color="${c.stroke}"`,
    `fontcolor="${c.text}"`,
    `penwidth=${c.width}`,
    `style="filled,rounded${dashed}"`,
    ...extra,
  ].join(", ");
}

function asStyle(node: AsNode): NodeStyle {
  return node.suspicious ? "suspicious" : node.origin ? "origin" : "transit";
}

function vantageStyle(node: VantageNode): NodeStyle {
  return node.answer === "route" ? "vantage" : "absent";
}

/** The graph as a DOT digraph, left (vantage points) to right (origins). */
export function toDot(graph: AsGraph, options: DotOptions = {}): string {
  const font = dotEscape(options.fontname ?? "DejaVu Sans");
  const map = options.text ?? ((line: string) => line);
  const label = (lines: string[]) => `"${lines.map((l) => dotEscape(map(l))).join("\\n")}"`;
  // The title and the legend, each line left-justified (`\l`).
  const heading = `"${[graph.title, LEGEND].map((l) => `${dotEscape(map(l))}\\l`).join("")}"`;
  const out = [
    "digraph as_paths {",
    `  graph [rankdir=LR, bgcolor="white", pad=0.25, nodesep=0.25, ranksep=0.6, ` +
    `fontname="${font}", fontsize=13, labelloc=t, labeljust=l, label=${heading}];`,
    `  node [shape=box, fontname="${font}", fontsize=11, margin="0.12,0.06", height=0.3];`,
    `  edge [color="${EDGE_COLOUR}", arrowsize=0.6, fontname="${font}", fontsize=10, ` +
    `fontcolor="${EDGE_COLOUR}"];`,
  ];
  if (graph.vantagePoints.length > 0) {
    out.push("  { rank=source;");
    for (const v of graph.vantagePoints) {
      out.push(`    ${v.id} [label=${label(vantageLines(v))}, ${attributes(vantageStyle(v))}];`);
    }
    out.push("  }");
  }
  for (const a of graph.ases) {
    out.push(`  ${a.id} [label=${label(asNodeLines(a))}, ${attributes(asStyle(a))}];`);
  }
  for (const e of graph.edges) {
    const width = edgeWidth(e, graph.maxWeight);
    const weightLabel = e.weight > 1 ? `, label="${e.weight}"` : "";
    out.push(`  ${e.from} -> ${e.to} [penwidth=${width}, weight=${e.weight}${weightLabel}];`);
  }
  out.push("}");
  return out.join("\n");
}
