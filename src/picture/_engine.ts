/**
 * The PNG renderer's heavy half, imported only on the first picture
 * (`render.ts` loads it with a dynamic `import()`): Graphviz compiled to
 * WebAssembly (npm `@viz-js/viz`, MIT; its WASM is inside its JavaScript)
 * lays the DOT out as SVG, and resvg compiled to WebAssembly (npm
 * `@resvg/resvg-wasm`, MPL-2.0) draws the SVG as PNG with the font of
 * `_font_data.ts` and no system fonts. The resvg WASM is imported as a
 * WebAssembly module (`import source`), so neither part needs a file or
 * network permission and `deno compile` embeds both.
 *
 * @module
 */

import { instance } from "@viz-js/viz";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import resvgModule from "./_resvg_wasm.js";
import { FONT_BASE64, FONT_FAMILY } from "./_font_data.ts";
import type { Png, PngEngine, PngOptions } from "./render.ts";

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The size Graphviz gives the SVG, in pixels. */
function svgSize(svg: string): { width: number; height: number } {
  const tag = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const size = (name: string) => {
    const m = new RegExp(`\\b${name}="([\\d.]+)(pt|px)?"`).exec(tag);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === "pt" ? 4 / 3 : 1);
  };
  return { width: size("width"), height: size("height") };
}

/** Loads Graphviz, resvg and the font (once per process: resvg's WASM starts only once). */
export async function createEngine(): Promise<PngEngine> {
  const [viz] = await Promise.all([instance(), initWasm(resvgModule)]);
  const font = decodeBase64(FONT_BASE64);
  return {
    graphvizVersion: viz.graphvizVersion,
    render(dot: string, options: PngOptions = {}): Png {
      const result = viz.render(dot, { format: "svg" });
      if (result.status !== "success") {
        const why = result.errors.map((e) => e.message).join("; ");
        throw new SyntaxError(`Graphviz could not lay the picture out: ${why}`);
      }
      const svg = result.output;
      const { width, height } = svgSize(svg);
      const maxSide = options.maxSide ?? 1600;
      let zoom = options.scale ?? 1;
      const longest = Math.max(width, height) * zoom;
      if (Number.isFinite(longest) && longest > maxSide) zoom *= maxSide / longest;
      const resvg = new Resvg(svg, {
        background: "white",
        fitTo: { mode: "zoom", value: zoom },
        font: {
          fontBuffers: [font],
          loadSystemFonts: false,
          defaultFontFamily: FONT_FAMILY,
          sansSerifFamily: FONT_FAMILY,
          serifFamily: FONT_FAMILY,
          monospaceFamily: FONT_FAMILY,
        },
      });
      try {
        const image = resvg.render();
        try {
          return { png: image.asPng(), width: image.width, height: image.height };
        } finally {
          image.free();
        }
      } finally {
        resvg.free();
      }
    },
  };
}
