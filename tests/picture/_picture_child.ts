/**
 * Child process for tests/picture_png_test.ts: draws the example picture
 * and prints what the parent checks (size, SHA-256 of the PNG, warnings) as
 * one JSON line. Run with no permissions at all.
 *
 * @module
 */

import { buildAsGraph } from "../../src/picture/graph.ts";
import { renderPicture } from "../../src/picture/render.ts";
import { EXAMPLE, exampleName } from "./_picture_fixtures.ts";

const picture = await renderPicture(
  buildAsGraph({ destination: "8.8.8.8", outcomes: EXAMPLE, asName: exampleName }),
);
const png = picture.png;
const digest = png
  ? new Uint8Array(await crypto.subtle.digest("SHA-256", png.png.slice()))
  : undefined;
const line = JSON.stringify({
  width: png?.width,
  height: png?.height,
  bytes: png?.png.length,
  sha256: digest ? [...digest].map((b) => b.toString(16).padStart(2, "0")).join("") : null,
  warnings: picture.warnings,
});
await Deno.stdout.write(new TextEncoder().encode(line + "\n"));
