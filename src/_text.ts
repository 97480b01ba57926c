/**
 * Untrusted text on its way to a model or a terminal: characters that control
 * a display (C0 and C1 controls, DEL, line and paragraph separators,
 * bidirectional and zero-width formatting, the byte order mark, soft hyphens,
 * variation selectors, Unicode tag characters and other invisible fillers) are stripped
 * from free text and escaped where text is quoted in a message. Internal:
 * parsers and validation use it.
 *
 * @module
 */

/**
 * Characters never passed on raw: C0 controls, DEL, C1 controls, U+061C (Arabic
 * letter mark), zero-width and bidi marks U+200B–U+200F, U+2028 and U+2029,
 * bidi embeddings and overrides U+202A–U+202E, word joiner and invisible
 * operators U+2060–U+2064, bidi isolates U+2066–U+2069, deprecated format
 * characters U+206A–U+206F, the byte order mark U+FEFF, interlinear
 * annotation marks U+FFF9–U+FFFB; the soft hyphen U+00AD, the combining
 * grapheme joiner U+034F, Hangul fillers U+115F, U+1160, U+3164 and U+FFA0,
 * Khmer inherent vowels U+17B4–U+17B5, the Mongolian vowel separator U+180E,
 * variation selectors U+FE00–U+FE0F and U+E0100–U+E01EF, musical invisible
 * format characters U+1D173–U+1D17A, and the tag characters U+E0000–U+E007F
 * (invisible on screen, yet a model reads them as text).
 */
const UNSAFE_CLASS =
  "[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5" +
  "\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0" +
  "\\ufff9-\\ufffb\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}]";
const UNSAFE = new RegExp(UNSAFE_CLASS, "gu");
const UNSAFE_ONE = new RegExp(UNSAFE_CLASS, "u");

/** Whether `text` holds any character that controls a display (see {@linkcode freeText}). */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

/** Terminal escape sequences: CSI (`ESC [ … final`, or the C1 CSI), OSC (`ESC ] … BEL/ST`). */
const ESCAPE_SEQUENCE_SOURCE =
  "(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]|\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?";
const ESCAPE_SEQUENCE = new RegExp(ESCAPE_SEQUENCE_SOURCE, "g");

/**
 * Free text from a server made safe to show: terminal escape sequences are
 * removed, tabs, line breaks and every other control or invisible formatting
 * character become a space, runs of spaces collapse, and the result is cut to
 * `max` characters (with `…`).
 */
export function freeText(text: string, max: number): string {
  const flat = text.replace(ESCAPE_SEQUENCE, " ").replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  return shorten(flat, max);
}

/**
 * Text quoted inside a message: in double quotes, cut to `max` characters,
 * with quotes, backslashes and every control or invisible formatting character
 * escaped (`\n`, `\u007f`, `\u2028`, …), so what the user or server sent is
 * shown exactly and cannot act on the display.
 */
export function quoted(text: string, max = 70): string {
  const short = shorten(text, max);
  // JSON escapes C0 controls, quotes, backslashes and lone surrogates; the rest is done here.
  return JSON.stringify(short).replace(UNSAFE, escapeOne);
}

/**
 * Text echoed inside a message without quotes (a path, an option, a whole
 * message built from user input): cut to `max` characters, every control or
 * invisible formatting character escaped (`\u000a`, `\u007f`, `\u2028`, …);
 * everything else, quotes and backslashes included, is left as it is.
 */
export function escaped(text: string, max = 1000): string {
  return shorten(text, max).replace(UNSAFE, escapeOne);
}

/** `\\uXXXX` for each UTF-16 unit (a character beyond U+FFFF becomes its surrogate pair, as in JSON). */
function escapeOne(char: string): string {
  let out = "";
  for (let i = 0; i < char.length; i++) {
    out += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
  }
  return out;
}

/** Cuts `text` to at most `max` characters, ending with `…` when cut. */
function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
