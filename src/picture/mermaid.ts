/**
 * The picture as Mermaid `flowchart` text, for clients that render it (and
 * a fenced block in the tool's text). Every label is untrusted text (AS
 * names, server names): anything but letters, digits and a few punctuation
 * marks is written as a Mermaid entity code (`#34;`), so no label can close
 * its quotes, start a statement, open a Markdown string, add a link or end
 * the fenced block.
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

/** Characters written as they are inside a quoted Mermaid label. */
const PLAIN = /^[A-Za-z0-9 ,.:/_()+-]$/;

/** One line of label text with every other character as a Mermaid entity code. */
export function mermaidEscape(text: string): string {
  let out = "";
  for (const char of text) out += PLAIN.test(char) ? char : `#${char.codePointAt(0)};`;
  return out;
}

/** A quoted label from lines of text. */
function label(lines: string[]): string {
  return `"${lines.map(mermaidEscape).join("<br/>")}"`;
}

function asStyle(node: AsNode): NodeStyle {
  return node.suspicious ? "suspicious" : node.origin ? "origin" : "transit";
}

function vantageStyle(node: VantageNode): NodeStyle {
  return node.answer === "route" ? "vantage" : "absent";
}

/** The graph as a Mermaid flowchart, left (vantage points) to right (origins). */
export function toMermaid(graph: AsGraph): string {
  const lines = ["flowchart LR"];
  for (const [style, c] of Object.entries(PALETTE)) {
    const dash = style === "absent" ? ",stroke-dasharray:4 3" : "";
    lines.push(
      `  classDef ${style} fill:${c.fill},stroke:${c.stroke},color:${c.text},stroke-width:${c.width}px${dash}`,
    );
  }
  for (const v of graph.vantagePoints) {
    lines.push(`  ${v.id}[${label(vantageLines(v))}]:::${vantageStyle(v)}`);
  }
  for (const a of graph.ases) {
    const shape = a.origin ? [`([`, `])`] : [`(`, `)`];
    lines.push(`  ${a.id}${shape[0]}${label(asNodeLines(a))}${shape[1]}:::${asStyle(a)}`);
  }
  const widths = new Map<number, number[]>();
  graph.edges.forEach((e, i) => {
    const arrow = e.weight > 1 ? `-->|${e.weight}|` : "-->";
    lines.push(`  ${e.from} ${arrow} ${e.to}`);
    const width = edgeWidth(e, graph.maxWeight);
    widths.set(width, [...(widths.get(width) ?? []), i]);
  });
  for (const [width, indexes] of [...widths.entries()].sort((a, b) => a[0] - b[0])) {
    lines.push(`  linkStyle ${indexes.join(",")} stroke:${EDGE_COLOUR},stroke-width:${width}px`);
  }
  return lines.join("\n");
}
