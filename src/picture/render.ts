/**
 * The picture in every form a client can use: Mermaid text always, and a
 * PNG when the renderer loads. The renderer (Graphviz and resvg, both
 * WebAssembly, a few MB) is imported on the first picture only, so start-up
 * and `tools/list` never pay for it. A picture that cannot be drawn comes
 * back as the Mermaid text with a warning, never as a failure.
 *
 * @module
 */

import { toDot } from "./dot.ts";
import { coverText } from "./font_coverage.ts";
import type { AsGraph } from "./graph.ts";
import { toMermaid } from "./mermaid.ts";

/** A PNG with its size in pixels. */
export interface Png {
  /** The PNG bytes. */
  png: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Size options for a PNG. */
export interface PngOptions {
  /** Pixels per SVG pixel (Graphviz points are 4/3 of a pixel); default 1 (11 pt labels are 15 px high). */
  scale?: number;
  /** Longest side in pixels (default 1600, about what a model looks at): a bigger picture is scaled down to fit. */
  maxSide?: number;
}

/** Lays out DOT and draws it as PNG. */
export interface PngEngine {
  /** The Graphviz version inside. */
  readonly graphvizVersion: string;
  /**
   * DOT in, PNG out.
   *
   * @throws {SyntaxError} when Graphviz cannot lay the DOT out
   */
  render(dot: string, options?: PngOptions): Png;
}

/** The picture. */
export interface Picture {
  /** Mermaid `flowchart` text (always there). */
  mermaid: string;
  /** The DOT the PNG was laid out from (glyphs the font lacks shown as U+FFFD). */
  dot: string;
  /** The PNG, unless it was not asked for or could not be drawn. */
  png?: Png;
  /** The graph's own warnings, and why there is no PNG when one was asked for. */
  warnings: string[];
}

/** Options for {@linkcode renderPicture}. */
export interface PictureOptions extends PngOptions {
  /** Draw a PNG (default true); false gives the Mermaid text alone and loads nothing. */
  png?: boolean;
  /** Where the renderer comes from (default: the bundled one, loaded once, lazily). */
  loadEngine?: () => Promise<PngEngine>;
}

let bundled: Promise<PngEngine> | undefined;

/**
 * The bundled renderer, imported and started on the first call and shared
 * after; a failed load is tried again on the next call.
 */
export function loadBundledEngine(): Promise<PngEngine> {
  if (bundled) return bundled;
  const loading = import("./_engine.ts").then((m) => m.createEngine());
  bundled = loading;
  loading.catch(() => {
    if (bundled === loading) bundled = undefined;
  });
  return loading;
}

/** Longest reason shown in the warning. */
const MAX_REASON = 200;

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ").replace(/\s+/g, " ").trim();
  return flat.length <= MAX_REASON ? flat : `${flat.slice(0, MAX_REASON - 1)}…`;
}

/** Mermaid text, and a PNG when asked for and the renderer works. */
export async function renderPicture(
  graph: AsGraph,
  options: PictureOptions = {},
): Promise<Picture> {
  const mermaid = toMermaid(graph);
  const dot = toDot(graph, { text: coverText });
  const warnings = [...graph.warnings];
  if (options.png === false) return { mermaid, dot, warnings };
  try {
    const engine = await (options.loadEngine ?? loadBundledEngine)();
    const png = engine.render(dot, { scale: options.scale, maxSide: options.maxSide });
    return { mermaid, dot, png, warnings };
  } catch (error) {
    warnings.push(
      `The picture could not be drawn as PNG (${reason(error)}); the Mermaid text shows it instead`,
    );
    return { mermaid, dot, warnings };
  }
}
