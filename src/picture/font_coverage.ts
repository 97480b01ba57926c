/**
 * The characters the picture's font holds: DejaVu Sans cut down to Latin
 * (Basic Latin, Latin-1, Latin Extended-A), general punctuation, arrows and
 * U+FFFD (`scripts/font.ts` makes the font from these ranges). A label
 * character outside them is drawn as U+FFFD in the PNG rather than left
 * out; the Mermaid and DOT text keep every character.
 *
 * @module
 */

/** Code point ranges in the font, inclusive. */
export const FONT_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2010, 0x2027],
  [0x2030, 0x203a],
  [0x2190, 0x2193],
  [0xfffd, 0xfffd],
];

/** Whether the font has a glyph for a code point. */
export function inFont(codePoint: number): boolean {
  return FONT_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** The text with every character the font lacks replaced by U+FFFD. */
export function coverText(text: string): string {
  let out = "";
  for (const char of text) out += inFont(char.codePointAt(0)!) ? char : "\ufffd";
  return out;
}
