/**
 * Pictures: the AS-level graph of one query (vantage points → ASes →
 * origin), as Mermaid text, Graphviz DOT and a PNG. Importing this module is
 * cheap: the PNG renderer is loaded on the first picture that asks for one.
 *
 * ```ts
 * import { buildAsGraph, renderPicture, suspiciousAsns } from "./mod.ts";
 * const graph = buildAsGraph({ destination, outcomes, suspicious: suspiciousAsns(findings) });
 * const picture = await renderPicture(graph); // picture.png?.png: PNG bytes
 * ```
 *
 * @module
 */

export {
  type AsGraph,
  type AsNode,
  buildAsGraph,
  type GraphEdge,
  type GraphInput,
  MAX_AS_NODES,
  peersAsVantagePoints,
  type VantageNode,
} from "./graph.ts";
export { mermaidEscape, toMermaid } from "./mermaid.ts";
export { dotEscape, type DotOptions, toDot } from "./dot.ts";
export {
  loadBundledEngine,
  type Picture,
  type PictureOptions,
  type Png,
  type PngEngine,
  type PngOptions,
  renderPicture,
} from "./render.ts";
export { suspiciousAsns } from "./suspicious.ts";
export { type ImageContent, imageContent, mermaidFence, toBase64 } from "./content.ts";
export { coverText, FONT_RANGES, inFont } from "./font_coverage.ts";
