/**
 * The colours of the picture, shared by the Mermaid and DOT renderings:
 * vantage points blue, transit ASes white, origins green, a suspicious
 * origin or AS red, servers without a path grey and dashed.
 *
 * @module
 */

/** Fill, stroke and text colour of one kind of node. */
export interface NodeColours {
  /** Fill. */
  fill: string;
  /** Border. */
  stroke: string;
  /** Text. */
  text: string;
  /** Border width in pixels. */
  width: number;
}

/** The node kinds of the picture. */
export type NodeStyle = "vantage" | "transit" | "origin" | "suspicious" | "absent";

/** Colours per node kind. */
export const PALETTE: Readonly<Record<NodeStyle, NodeColours>> = {
  vantage: { fill: "#e8f0fe", stroke: "#1a56db", text: "#1e3a8a", width: 1 },
  transit: { fill: "#ffffff", stroke: "#6b7280", text: "#111827", width: 1 },
  origin: { fill: "#def7ec", stroke: "#057a55", text: "#014737", width: 2 },
  suspicious: { fill: "#fde8e8", stroke: "#c81e1e", text: "#771d1d", width: 3 },
  absent: { fill: "#f3f4f6", stroke: "#9ca3af", text: "#6b7280", width: 1 },
};

/** Edge colour. */
export const EDGE_COLOUR = "#6b7280";
