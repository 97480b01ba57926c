/**
 * The picture as MCP tool-result content: an `image` item (PNG, base64) when
 * there is a PNG, and the Mermaid text as a fenced block for the text item.
 * PNG, never SVG: SVG image results are known to crash a popular client.
 *
 * @module
 */

import type { Picture } from "./render.ts";

/** An MCP image content item. */
export interface ImageContent {
  /** Always `image`. */
  type: "image";
  /** The PNG, base64. */
  data: string;
  /** Always `image/png`. */
  mimeType: "image/png";
}

/** Bytes as base64, in chunks (a spread of a big array would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The image item for the picture's PNG, or none when it has no PNG. */
export function imageContent(picture: Picture): ImageContent[] {
  return picture.png
    ? [{ type: "image", data: toBase64(picture.png.png), mimeType: "image/png" }]
    : [];
}

/** The Mermaid text as a fenced block for the text item (it holds no backtick). */
export function mermaidFence(picture: Picture): string {
  return "```mermaid\n" + picture.mermaid + "\n```";
}
