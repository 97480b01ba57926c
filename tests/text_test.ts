import assert from "node:assert/strict";
import { escaped, freeText, hasUnsafeCharacters, quoted } from "../src/_text.ts";

/** `text` in Unicode tag characters (U+E0020–E007E). */
function tags(text: string): string {
  return [...text].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join("");
}

const INVISIBLE = [
  ["tag characters", tags("IGNORE ALL")],
  ["a soft hyphen", "\u00ad"],
  ["a variation selector", "\ufe0f"],
  ["a supplementary variation selector", "\u{e0100}"],
  ["a Hangul filler", "\u3164"],
  ["a combining grapheme joiner", "\u034f"],
];

for (const [what, text] of INVISIBLE) {
  Deno.test(`text: ${what} never reaches a model raw`, () => {
    const input = `% Unknown command${text} here`;
    assert.equal(hasUnsafeCharacters(input), true);
    assert.equal(freeText(input, 200), "% Unknown command here");
    assert.equal(hasUnsafeCharacters(quoted(input, 200)), false);
    assert.equal(hasUnsafeCharacters(escaped(input)), false);
    // Escaped as JSON would (UTF-16 units), so a reader can tell exactly what was sent.
    assert.equal(JSON.parse(quoted(input, 200)), input);
  });
}
