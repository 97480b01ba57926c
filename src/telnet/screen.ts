/**
 * Pure text handling for what a router CLI prints: recognising prompts, login
 * questions and pager markers at the end of the received text, and cleaning a
 * finished answer (NULs, CRs, backspace erasures, pager markers, ANSI escapes,
 * the echoed command line and the trailing prompt).
 *
 * @module
 */

import { freeText } from "../_text.ts";

/** How many characters at the end of the received text the detectors look at. */
export const TAIL_WINDOW = 512;

/**
 * Text received for one command or login, kept as chunks (joined once, at the
 * end) with a rolling tail for the detectors: work per read stays constant
 * however long the answer.
 */
export class ReceivedText {
  #chunks: string[] = [];
  #length = 0;
  #rawTail = "";

  /** Appends decoded data. */
  append(data: string): void {
    if (data === "") return;
    this.#chunks.push(data);
    this.#length += data.length;
    this.#rawTail = (this.#rawTail + data).slice(-TAIL_WINDOW);
  }

  /** Characters received so far. */
  get length(): number {
    return this.#length;
  }

  /** The end of the text as a terminal shows it (see {@linkcode tailOf}). */
  get tail(): string {
    return tailOf(this.#rawTail);
  }

  /** Whether the last pager marker in the tail started after character `index`. */
  markerAfter(index: number): boolean {
    const at = Math.max(this.#rawTail.lastIndexOf("More"), this.#rawTail.lastIndexOf("(more"));
    return at >= 0 && this.#length - this.#rawTail.length + at > index;
  }

  /** Everything received. */
  text(): string {
    if (this.#chunks.length > 1) this.#chunks = [this.#chunks.join("")];
    return this.#chunks[0] ?? "";
  }

  /** Forgets everything. */
  clear(): void {
    this.#chunks = [];
    this.#length = 0;
    this.#rawTail = "";
  }
}

/** A CLI prompt: host name (optionally `user@`), then `>` or `#`, then at most one space. */
const PROMPT_LINE = /^[A-Za-z0-9][\w.@:/()-]*[>#] ?$/;

/** Pager markers that pause output until a key is pressed. */
const PAGER_AT_END = /(?:--\s?More\s?--|---\(more(?: \d{1,3}%)?\)---) *$/;

/** ANSI CSI escape sequences (colour, cursor movement). */
// deno-lint-ignore no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Login questions, matched on the last line of the received text. */
const USERNAME_QUESTION = /(?:username|user name|login):\s*$/i;
const PASSWORD_QUESTION = /password:\s*$/i;

/** What a server says when it refuses credentials. */
const LOGIN_REFUSED =
  /% ?(?:login invalid|authentication failed|access denied|bad passwords?)|login incorrect|access denied|permission denied/i;

/** Removes CR and NUL bytes: line ends become plain `\n`, NVT padding goes. */
export function stripNulCr(text: string): string {
  return text.replaceAll("\r", "").replaceAll("\0", "");
}

/**
 * Returns the end of `text` as a terminal would show it, for the detectors
 * below: NULs and CRs removed, backspaces applied (a pager's erase sequence).
 */
export function tailOf(text: string): string {
  return applyBackspaces(stripNulCr(text.slice(-TAIL_WINDOW)));
}

/** The last line of a cleaned tail (text after the final newline). */
function lastLine(tail: string): string {
  return tail.slice(tail.lastIndexOf("\n") + 1);
}

/**
 * If the text ends with something that looks like a CLI prompt, returns that
 * prompt exactly (including a trailing space, if any); otherwise `null`.
 */
export function detectPrompt(tail: string): string | null {
  const line = lastLine(tail);
  return PROMPT_LINE.test(line) ? line : null;
}

/**
 * Whether the text ends with the learned prompt on a line of its own (trailing
 * spaces ignored: a prompt's space may arrive in a later read).
 */
export function endsWithPrompt(tail: string, prompt: string): boolean {
  return lastLine(tail).trimEnd() === prompt.trimEnd();
}

/**
 * Whether the text ends with the prompt twice: the prompt after the answer,
 * then (after blank lines, or on the same line from a server that does not
 * echo) the prompt the server printed for the empty line typed after the
 * command. This is the end-of-answer sentinel: a prompt-like line inside an
 * answer, or an answer cut at a read boundary, is followed by more text.
 */
export function endsWithRepeatedPrompt(tail: string, prompt: string): boolean {
  const promptText = prompt.trimEnd();
  if (promptText === "") return false;
  const text = tail.trimEnd();
  if (!text.endsWith(promptText)) return false;
  const before = text.slice(0, text.length - promptText.length);
  // The last prompt stands alone: at a line start, or after the first prompt and blanks.
  if (before !== "" && !/\s$/.test(before)) return false;
  const rest = before.trimEnd();
  if (!rest.endsWith(promptText)) return false;
  const start = rest.length - promptText.length;
  // The first prompt starts a line of its own (the line before it is the answer's last line).
  return start === 0 || rest[start - 1] === "\n";
}

/** Whether the text ends with a pager marker waiting for a key. */
export function endsWithPager(tail: string): boolean {
  return PAGER_AT_END.test(tail);
}

/** What the end of the text is asking during login. */
export type LoginQuestion = "username" | "password" | null;

/** Recognises a username or password question at the end of the text. */
export function detectLoginQuestion(tail: string): LoginQuestion {
  const line = lastLine(tail);
  if (PASSWORD_QUESTION.test(line)) return "password";
  if (USERNAME_QUESTION.test(line)) return "username";
  return null;
}

/** Finds a login refusal message in text received after credentials were sent (controls stripped). */
export function detectLoginRefusal(text: string): string | null {
  const match = LOGIN_REFUSED.exec(text);
  if (!match) return null;
  const start = text.lastIndexOf("\n", match.index) + 1;
  const end = text.indexOf("\n", match.index);
  return freeText(text.slice(start, end < 0 ? undefined : end), 160);
}

/** Whether `text` holds a line with something besides blanks and prompts (`rv> rv> ` is none). */
export function hasContent(text: string, prompt: string): boolean {
  const promptText = prompt.trimEnd();
  return stripNulCr(text).split("\n").some((line) => {
    const rest = promptText === "" ? line : line.split(promptText).join("");
    return rest.trim() !== "";
  });
}

/**
 * Turns the raw text received for one command into its output: removes NUL and
 * CR, applies backspaces the way a terminal would, drops pager markers and ANSI
 * escape sequences, the echoed command line and the final prompt.
 */
export function cleanAnswer(raw: string, command: string, prompt: string): string {
  const text = stripPagerMarkers(applyBackspaces(stripNulCr(raw))).replace(ANSI_ESCAPE, "");
  let lines = text.split("\n");
  // Everything up to the echo of the command is not the answer: the echo itself, an old
  // Quagga's extra empty prompt, anything a server printed while the session was idle.
  const echo = lines.findIndex((line) => line.trimEnd().endsWith(command));
  const promptText = prompt.trimEnd();
  if (echo >= 0) lines = lines.slice(echo + 1);
  else {
    while (lines.length > 0 && (lines[0].trimEnd() === promptText || lines[0].trim() === "")) {
      lines.shift();
    }
    // Without an echo, output may start right after a stray prompt on the same line.
    if (lines.length > 0 && lines[0].startsWith(promptText)) {
      lines[0] = lines[0].slice(promptText.length).trimStart();
    }
  }
  while (lines.length > 0) {
    const last = lines[lines.length - 1].trimEnd();
    if (last === promptText || last === "") lines.pop();
    else break;
  }
  return lines.join("\n");
}

/** Applies backspace (0x08) as "erase the previous character on this line". */
export function applyBackspaces(text: string): string {
  if (!text.includes("\b")) return text;
  const out: string[] = [];
  for (const char of text) {
    if (char === "\b") {
      if (out.length > 0 && out[out.length - 1] !== "\n") out.pop();
    } else {
      out.push(char);
    }
  }
  return out.join("");
}

/** Removes pager markers that the server did not erase itself. */
function stripPagerMarkers(text: string): string {
  return text.replace(/ ?--\s?More\s?-- ?|---\(more(?: \d{1,3}%)?\)---/g, "");
}
