/**
 * Cisco IOS / FRR style AS-path regular expressions (`show ip bgp regexp`),
 * matched in linear time to filter BGP paths on the client side.
 *
 * A pattern is compiled to a Thompson NFA and simulated over the AS path text
 * one character at a time, keeping every live state at once. Nothing ever
 * backtracks, and user patterns are never handed to `RegExp`: a test takes at
 * most about (text length + 1) × (NFA size) steps, and an explicit step
 * budget caps that as well.
 *
 * The text is the AS path written as ASNs separated by single spaces, such as
 * `3356 174 15169`; AS_SETs appear as `{64501,64502}` and confederation
 * segments as `(65001 65002)`. The caller normalises it.
 *
 * @module
 */

import { AsPathPatternError } from "../errors.ts";
import { quoted } from "../_text.ts";

/** A compiled AS-path pattern. */
export interface AsPathPattern {
  /** The pattern as given to {@linkcode compileAsPathPattern}. */
  readonly source: string;
  /**
   * Whether the pattern matches anywhere in `asPathText` (unanchored unless the
   * pattern uses `^` or `$`), like `RegExp.prototype.test`.
   *
   * @throws {RangeError} If the match would take more than the step budget,
   * which only a text far longer than any real AS path can need.
   */
  test(asPathText: string): boolean;
}

/** Longest pattern accepted, in characters. */
export const MAX_AS_PATH_PATTERN = 100;

/**
 * Most NFA states one test may visit. A test visits each state at most once per
 * position, and a 100-character pattern compiles to at most 501 states (five
 * per `_` plus the match), so any accepted pattern fits over a 4096-character
 * path (the longest the AS path parser reads) with room to spare.
 */
const STEP_BUDGET = 5_000_000;

/** Appended to syntax errors: what a pattern may contain. */
const ALLOWED = "allowed: digits, space, . _ ^ $ * + ? | ( ) and classes such as [0-9] or [^13579]";

/** Characters `_` consumes when it is not at the start or end of the text. */
const BOUNDARY_CHARACTERS = " ,{}()";

/**
 * Compiles an AS-path pattern.
 *
 * Supported: digits and space (literal), `.` (any character), `_` (a space,
 * comma, brace or parenthesis, or the start or end of the text), `^` and `$`
 * (anchors), postfix `*`, `+` and `?`, classes such as `[0-9]`, `[13579]` and
 * `[^0-9]`, grouping with `( )` and alternation with `|` (empty alternatives
 * match the empty string). Parentheses in a pattern always group, so literal
 * parentheses in the text are matched with `_` or `.`.
 *
 * @example Usage
 * ```ts
 * import { compileAsPathPattern } from "./as_path_regex.ts";
 *
 * const originatedByGoogle = compileAsPathPattern("_15169$");
 * originatedByGoogle.test("3356 174 15169"); // true
 * originatedByGoogle.test("3356 174 215169"); // false
 * ```
 *
 * @throws {AsPathPatternError} If the pattern is empty, longer than
 * {@linkcode MAX_AS_PATH_PATTERN}, or not valid in the syntax above.
 */
export function compileAsPathPattern(pattern: string): AsPathPattern {
  if (pattern.length === 0) {
    throw new AsPathPatternError(
      pattern,
      `AS-path pattern is empty; write one such as _15169$ (${ALLOWED})`,
    );
  }
  if (pattern.length > MAX_AS_PATH_PATTERN) {
    throw new AsPathPatternError(
      pattern,
      `AS-path pattern is ${pattern.length} characters long; the limit is ${MAX_AS_PATH_PATTERN}`,
    );
  }
  const nfa = buildNfa(new Parser(pattern).parse());
  return Object.freeze({
    source: pattern,
    test: (asPathText: string) => simulate(nfa, asPathText),
  });
}

// ---------------------------------------------------------------------------
// Parsing

/** Which characters a single-character step accepts. */
interface CharSet {
  /** For each ASCII code, 1 if accepted. */
  readonly ascii: Uint8Array;
  /** Whether characters beyond ASCII are accepted. */
  readonly other: boolean;
}

/** A parsed pattern. */
type Node =
  | { readonly kind: "empty" }
  | { readonly kind: "set"; readonly set: CharSet }
  | { readonly kind: "start" }
  | { readonly kind: "end" }
  | { readonly kind: "boundary" }
  | { readonly kind: "concat"; readonly items: readonly Node[] }
  | { readonly kind: "alt"; readonly options: readonly Node[] }
  | { readonly kind: "repeat"; readonly op: Quantifier; readonly body: Node };

type Quantifier = "*" | "+" | "?";

function isQuantifier(ch: string | undefined): ch is Quantifier {
  return ch === "*" || ch === "+" || ch === "?";
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

function charSet(chars: string, negated = false): CharSet {
  const ascii = new Uint8Array(128).fill(negated ? 1 : 0);
  for (const ch of chars) ascii[ch.charCodeAt(0)] = negated ? 0 : 1;
  return { ascii, other: negated };
}

const ANY: CharSet = charSet("", true);
const BOUNDARY: CharSet = charSet(BOUNDARY_CHARACTERS);

/** A recursive-descent parser; positions in messages are 1-based. */
class Parser {
  readonly #pattern: string;
  #pos = 0;

  constructor(pattern: string) {
    this.#pattern = pattern;
  }

  /** Parses the whole pattern. */
  parse(): Node {
    const node = this.#alternation();
    if (this.#pos < this.#pattern.length) {
      // An alternation only stops early at a ")" it did not open.
      throw this.#error(
        `Unmatched ")" at position ${this.#pos + 1}; every ")" needs an earlier "("`,
      );
    }
    return node;
  }

  #error(message: string): AsPathPatternError {
    return new AsPathPatternError(this.#pattern, message);
  }

  #peek(): string | undefined {
    return this.#pattern[this.#pos];
  }

  #alternation(): Node {
    const options = [this.#sequence()];
    while (this.#peek() === "|") {
      this.#pos++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? options[0] : { kind: "alt", options };
  }

  #sequence(): Node {
    const items: Node[] = [];
    for (let ch = this.#peek(); ch !== undefined && ch !== "|" && ch !== ")"; ch = this.#peek()) {
      items.push(this.#piece());
    }
    if (items.length === 0) return { kind: "empty" };
    return items.length === 1 ? items[0] : { kind: "concat", items };
  }

  #piece(): Node {
    const first = this.#peek();
    const atom = this.#atom();
    const op = this.#peek();
    if (!isQuantifier(op)) return atom;
    // A bare anchor cannot be repeated; a group holding one, such as "($)?", can.
    if (first === "^" || first === "$") {
      const position = this.#pos + 1;
      throw this.#error(
        `Quantifier "${op}" at position ${position} follows an anchor; "^" and "$" cannot be repeated`,
      );
    }
    this.#pos++;
    const after = this.#peek();
    if (isQuantifier(after)) {
      throw this.#error(
        `Quantifier "${after}" at position ${this.#pos + 1} follows another quantifier; ` +
          `use one of * + ? per atom, or group with ( ) first`,
      );
    }
    return { kind: "repeat", op, body: atom };
  }

  #atom(): Node {
    const at = this.#pos;
    const ch = this.#pattern[at];
    this.#pos++;
    switch (ch) {
      case ".":
        return { kind: "set", set: ANY };
      case "_":
        return { kind: "boundary" };
      case "^":
        return { kind: "start" };
      case "$":
        return { kind: "end" };
      case "(":
        return this.#group(at);
      case "[":
        return this.#bracket(at);
      case "]":
        throw this.#error(`Unmatched "]" at position ${at + 1}; write classes as [0-9]`);
      case "*":
      case "+":
      case "?":
        throw this.#error(
          `Quantifier "${ch}" at position ${at + 1} has nothing to repeat; ` +
            `put it after a digit, space, ".", "_", a [class] or a (group)`,
        );
      case "{":
        throw this.#error(
          `Counted repetition such as {2,3} (position ${at + 1}) is not supported; ` +
            `repeat the atom or use * + ?`,
        );
      case "\\":
        throw this.#error(`Backslash escapes (position ${at + 1}) are not supported; ${ALLOWED}`);
    }
    if (ch === " " || isDigit(ch)) return { kind: "set", set: charSet(ch) };
    throw this.#error(
      `Unsupported character ${quoted(ch)} at position ${at + 1}; ${ALLOWED}`,
    );
  }

  /** Parses a group whose "(" is at `open`. */
  #group(open: number): Node {
    if (this.#peek() === "?") {
      throw this.#error(
        `Group modifiers such as "(?:", "(?=" or "(?!" (position ${open + 1}) are not supported; ` +
          `use a plain ( ) group`,
      );
    }
    const body = this.#alternation();
    if (this.#peek() !== ")") {
      throw this.#error(`Unclosed group: "(" at position ${open + 1} has no matching ")"`);
    }
    this.#pos++;
    return body;
  }

  /** Parses a bracket class whose "[" is at `open`. */
  #bracket(open: number): Node {
    const negated = this.#peek() === "^";
    if (negated) this.#pos++;
    const ascii = new Uint8Array(128);
    let items = 0;
    for (;;) {
      const ch = this.#peek();
      if (ch === undefined) {
        throw this.#error(`Unclosed class: "[" at position ${open + 1} has no matching "]"`);
      }
      if (ch === "]") {
        if (items === 0) {
          const position = open + 1;
          throw this.#error(
            `Empty class at position ${position}; list digits or ranges inside, e.g. [0-9] or [^13579]`,
          );
        }
        this.#pos++;
        break;
      }
      const position = this.#pos + 1;
      const low = this.#classMember();
      let high = low;
      if (this.#peek() === "-") {
        this.#pos++;
        const end = this.#peek();
        if (end === undefined || end === "]") {
          throw this.#error(`Range at position ${position} has no end; write ranges such as 0-9`);
        }
        high = this.#classMember();
        if (high < low) {
          const range = this.#pattern.slice(position - 1, this.#pos);
          throw this.#error(
            `Range "${range}" at position ${position} is reversed; put the lower digit first, e.g. 0-9`,
          );
        }
      }
      ascii.fill(1, low, high + 1);
      items++;
    }
    if (negated) {
      for (let code = 0; code < ascii.length; code++) ascii[code] ^= 1;
    }
    return { kind: "set", set: { ascii, other: negated } };
  }

  /** Reads one character of a class, which must be a digit or a space; returns its code. */
  #classMember(): number {
    const ch = this.#pattern[this.#pos];
    if (ch !== " " && !isDigit(ch)) {
      throw this.#error(
        `Character ${quoted(ch)} at position ${this.#pos + 1} is not allowed in a class; ` +
          `a class holds digits, spaces and ranges such as 0-9`,
      );
    }
    this.#pos++;
    return ch.charCodeAt(0);
  }
}

// ---------------------------------------------------------------------------
// Thompson NFA

/** Reads one character if its set accepts it, then goes to `out`. */
const CHAR = 0;
/** Goes to both `out` and `alt` without reading. */
const SPLIT = 1;
/** Goes to `out` without reading, at the start of the text only. */
const START = 2;
/** Goes to `out` without reading, at the end of the text only. */
const END = 3;
/** A match. */
const MATCH = 4;

/** An NFA as parallel arrays indexed by state. */
interface Nfa {
  readonly kinds: number[];
  readonly outs: number[];
  readonly alts: number[];
  readonly sets: (CharSet | undefined)[];
  /** The state matching starts in. */
  readonly start: number;
}

/** The states of an NFA under construction. */
type States = Omit<Nfa, "start">;

function addState(nfa: States, kind: number, out: number, alt = -1, set?: CharSet): number {
  nfa.kinds.push(kind);
  nfa.outs.push(out);
  nfa.alts.push(alt);
  nfa.sets.push(set);
  return nfa.kinds.length - 1;
}

function buildNfa(node: Node): Nfa {
  const states: States = { kinds: [], outs: [], alts: [], sets: [] };
  const start = compile(states, node, addState(states, MATCH, -1));
  return { ...states, start };
}

/** Adds states for `node`, continuing at `next`; returns the state to enter them by. */
function compile(nfa: States, node: Node, next: number): number {
  switch (node.kind) {
    case "empty":
      return next;
    case "set":
      return addState(nfa, CHAR, next, -1, node.set);
    case "start":
      return addState(nfa, START, next);
    case "end":
      return addState(nfa, END, next);
    case "boundary":
      return addState(
        nfa,
        SPLIT,
        addState(nfa, START, next),
        addState(nfa, SPLIT, addState(nfa, END, next), addState(nfa, CHAR, next, -1, BOUNDARY)),
      );
    case "concat": {
      let entry = next;
      for (let i = node.items.length - 1; i >= 0; i--) entry = compile(nfa, node.items[i], entry);
      return entry;
    }
    case "alt": {
      let entry = compile(nfa, node.options[node.options.length - 1], next);
      for (let i = node.options.length - 2; i >= 0; i--) {
        entry = addState(nfa, SPLIT, compile(nfa, node.options[i], next), entry);
      }
      return entry;
    }
    case "repeat": {
      if (node.op === "?") return addState(nfa, SPLIT, compile(nfa, node.body, next), next);
      // The loop state goes back into the body or on to `next`.
      const loop = addState(nfa, SPLIT, -1, next);
      const body = compile(nfa, node.body, loop);
      nfa.outs[loop] = body;
      return node.op === "*" ? loop : body;
    }
  }
}

/** Runs the NFA over `text` with every live state at once; true as soon as a match is reached. */
function simulate(nfa: Nfa, text: string): boolean {
  const { kinds, outs, alts, sets } = nfa;
  const size = kinds.length;
  const length = text.length;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  let nextCount = 0;
  // The position at which each state was last added, so a state is visited once per position.
  const seen = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size);
  let steps = 0;
  let matched = false;

  /** Adds to `next` the CHAR states reachable from `state` at `pos` without reading. */
  function follow(state: number, pos: number): void {
    if (seen[state] === pos) return;
    seen[state] = pos;
    let top = 0;
    stack[top++] = state;
    while (top > 0) {
      const s = stack[--top];
      if (++steps > STEP_BUDGET) {
        throw new RangeError(
          `Matching an AS path of ${length} characters needs more than ${STEP_BUDGET} steps; ` +
            `shorten the path or the pattern`,
        );
      }
      let to = -1;
      switch (kinds[s]) {
        case CHAR:
          next[nextCount++] = s;
          break;
        case MATCH:
          matched = true;
          break;
        case START:
          if (pos === 0) to = outs[s];
          break;
        case END:
          if (pos === length) to = outs[s];
          break;
        case SPLIT:
          if (seen[alts[s]] !== pos) {
            seen[alts[s]] = pos;
            stack[top++] = alts[s];
          }
          to = outs[s];
          break;
      }
      if (to >= 0 && seen[to] !== pos) {
        seen[to] = pos;
        stack[top++] = to;
      }
    }
  }

  follow(nfa.start, 0);
  for (let pos = 0; pos < length && !matched; pos++) {
    const swap = current;
    current = next;
    next = swap;
    const count = nextCount;
    nextCount = 0;
    const code = text.charCodeAt(pos);
    for (let i = 0; i < count; i++) {
      const set = sets[current[i]]!;
      if (code < 128 ? set.ascii[code] === 1 : set.other) follow(outs[current[i]], pos + 1);
    }
    // Unanchored search: a match may also begin at the next position.
    follow(nfa.start, pos + 1);
  }
  return matched;
}
