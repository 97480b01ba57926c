/**
 * The PNG picture of a result's AS graph as an MCP image content item, for
 * the tools that take a `picture` argument. The renderer is loaded on the
 * first picture only (`picture/render.ts`), so start-up and `tools/list` do
 * not pay for it; a picture that cannot be drawn leaves the Mermaid text in
 * the answer and a warning, never a failed call.
 *
 * @module
 */

import { z } from "zod";
import type { RouteGraph } from "../../bgp/results.ts";
import type { Picture, PictureOptions, PngEngine } from "../../picture/render.ts";
import type { Attached } from "./_tool.ts";

/** The `picture` argument of a tool, with its default. */
export function pictureArgument(byDefault: boolean): z.ZodOptional<z.ZodBoolean> {
  return z.boolean().optional().describe(
    `Also return the AS graph as a PNG image content item (default ${byDefault}); ` +
      "the Mermaid text is always in graph.mermaid and in the text",
  );
}

let modules:
  | Promise<typeof import("../../picture/render.ts") & typeof import("../../picture/content.ts")>
  | undefined;

/**
 * The picture modules, imported on the first picture (as the renderer they load in turn), so
 * start-up does not pay for them; one `import()` per process, not one per call.
 */
function pictureModules(): NonNullable<typeof modules> {
  modules ??= Promise.all([import("../../picture/render.ts"), import("../../picture/content.ts")])
    .then(([render, content]) => ({ ...render, ...content }));
  return modules;
}

/** Pictures drawn lately, per renderer, by their Mermaid text (which says all the PNG shows). */
const drawn = new WeakMap<() => Promise<PngEngine>, Map<string, Picture>>();
/** How many pictures each renderer's memo keeps: a PNG is 10–400 KB. */
const MAX_DRAWN = 16;

/**
 * The result with its graph drawn as PNG, when asked for and the result has
 * a graph. The same graph (the same answers, e.g. one asked twice within the
 * cache's minute) is drawn once: a renderer gives the same bytes for the
 * same input, and drawing takes 50–400 ms of CPU.
 */
export async function attachPicture<R extends { graph?: RouteGraph; warnings: string[] }>(
  result: R,
  wanted: boolean,
  options: Pick<PictureOptions, "loadEngine"> = {},
): Promise<Attached<R>> {
  if (!wanted || !result.graph) return { result, content: [] };
  const { mermaid, ...graph } = result.graph;
  const { loadBundledEngine, renderPicture, imageContent } = await pictureModules();
  const loadEngine = options.loadEngine ?? loadBundledEngine;
  const memo = drawn.get(loadEngine) ?? new Map<string, Picture>();
  drawn.set(loadEngine, memo);
  let picture = memo.get(mermaid);
  if (picture) memo.delete(mermaid); // most recently used last
  else picture = await renderPicture({ ...graph, warnings: [] }, { loadEngine });
  if (picture.png) {
    memo.set(mermaid, picture);
    if (memo.size > MAX_DRAWN) memo.delete(memo.keys().next().value!);
  }
  const warnings = picture.warnings;
  return {
    result: warnings.length > 0
      ? { ...result, warnings: [...result.warnings, ...warnings] }
      : result,
    content: imageContent(picture),
  };
}
