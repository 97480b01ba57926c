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
import { imageContent } from "../../picture/content.ts";
import { type PictureOptions, renderPicture } from "../../picture/render.ts";
import type { Attached } from "./_tool.ts";

/** The `picture` argument of a tool, with its default. */
export function pictureArgument(byDefault: boolean): z.ZodOptional<z.ZodBoolean> {
  return z.boolean().optional().describe(
    `Also return the AS graph as a PNG image content item (default ${byDefault}); ` +
      "the Mermaid text is always in graph.mermaid and in the text",
  );
}

/** The result with its graph drawn as PNG, when asked for and the result has a graph. */
export async function attachPicture<R extends { graph?: RouteGraph; warnings: string[] }>(
  result: R,
  wanted: boolean,
  options: Pick<PictureOptions, "loadEngine"> = {},
): Promise<Attached<R>> {
  if (!wanted || !result.graph) return { result, content: [] };
  const { mermaid: _mermaid, ...graph } = result.graph;
  const picture = await renderPicture({ ...graph, warnings: [] }, options);
  const warnings = picture.warnings;
  return {
    result: warnings.length > 0
      ? { ...result, warnings: [...result.warnings, ...warnings] }
      : result,
    content: imageContent(picture),
  };
}
