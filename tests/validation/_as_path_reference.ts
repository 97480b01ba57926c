/**
 * A reference matcher for AS-path patterns, written independently of
 * src/as_path_regex.ts to serve as a test oracle.
 *
 * Where the code builds a Thompson NFA and runs it one character at a time,
 * this reads a pattern as a function from a start position to the set of end
 * positions it can match there, memoised per (node, position). That takes
 * polynomial time on every input — at most 2 × nodes × (length + 1)^3 steps
 * ({@linkcode stepBound}) — so it answers the nested quantifiers, such as
 * `((1*)*)*$`, on which a backtracking `RegExp` runs for minutes.
 *
 * Only valid patterns are read (callers filter with `compileAsPathPattern`);
 * anything else throws.
 *
 * @module
 */

/** A parsed pattern. */
type Node =
  | { kind: "char"; accepts: (ch: string) => boolean }
  | { kind: "start" }
  | { kind: "end" }
  | { kind: "boundary" }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "repeat"; op: "*" | "+" | "?"; body: Node };

/** Characters `_` reads when it is not at the start or the end of the text. */
const BOUNDARY = new Set([..." ,{}()"]);

/** Reads a (valid) pattern into nodes. */
function parse(pattern: string): Node {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`reference parser: ${what} at ${at} in ${JSON.stringify(pattern)}`);
  };
  function alternation(): Node {
    const options = [sequence()];
    while (pattern[at] === "|") {
      at++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0] : { kind: "alt", options };
  }
  function sequence(): Node {
    const items: Node[] = [];
    while (at < pattern.length && pattern[at] !== "|" && pattern[at] !== ")") {
      let node = atom();
      const op = pattern[at];
      if (op === "*" || op === "+" || op === "?") {
        at++;
        node = { kind: "repeat", op, body: node };
      }
      items.push(node);
    }
    return { kind: "seq", items };
  }
  function atom(): Node {
    const ch = pattern[at++];
    if (ch === "^") return { kind: "start" };
    if (ch === "$") return { kind: "end" };
    if (ch === "_") return { kind: "boundary" };
    if (ch === ".") return { kind: "char", accepts: () => true };
    if (ch === " " || (ch >= "0" && ch <= "9")) return { kind: "char", accepts: (c) => c === ch };
    if (ch === "(") {
      const body = alternation();
      if (pattern[at++] !== ")") fail("unclosed group");
      return body;
    }
    if (ch === "[") return bracket();
    return fail(`unexpected ${JSON.stringify(ch)}`);
  }
  function bracket(): Node {
    const negated = pattern[at] === "^";
    if (negated) at++;
    const members = new Set<string>();
    while (pattern[at] !== "]") {
      if (at >= pattern.length) fail("unclosed class");
      const low = pattern[at++];
      let high = low;
      if (pattern[at] === "-") {
        at++;
        high = pattern[at++];
      }
      for (let code = low.charCodeAt(0); code <= high.charCodeAt(0); code++) {
        members.add(String.fromCharCode(code));
      }
    }
    at++;
    return { kind: "char", accepts: (c) => members.has(c) !== negated };
  }
  const node = alternation();
  if (at !== pattern.length) fail("unmatched )");
  return node;
}

/** The outcome of {@linkcode referenceMatch}. */
export interface ReferenceAnswer {
  /** Whether the pattern matches anywhere in the text. */
  matched: boolean;
  /** Positions visited: the work done, bounded by a polynomial in the sizes. */
  steps: number;
  /** Nodes in the parsed pattern. */
  nodes: number;
}

function countNodes(node: Node): number {
  switch (node.kind) {
    case "seq":
      return 1 + node.items.reduce((sum, item) => sum + countNodes(item), 0);
    case "alt":
      return 1 + node.options.reduce((sum, option) => sum + countNodes(option), 0);
    case "repeat":
      return 1 + countNodes(node.body);
    default:
      return 1;
  }
}

/**
 * The most steps {@linkcode referenceMatch} can take: each (node, start) pair
 * is computed once, and combines at most (length + 1) starts with (length + 1)
 * ends per child.
 */
export function stepBound(nodes: number, textLength: number): number {
  return 2 * nodes * (textLength + 1) ** 3;
}

/** Whether `pattern` matches anywhere in `text` (like `RegExp.prototype.test`), and the work it took. */
export function referenceMatch(pattern: string, text: string): ReferenceAnswer {
  const root = parse(pattern);
  const n = text.length;
  const memo = new Map<Node, Map<number, readonly number[]>>();
  let steps = 0;

  /** The end positions `node` can reach from `i`, sorted, without repeats. */
  function ends(node: Node, i: number): readonly number[] {
    let byStart = memo.get(node);
    if (byStart === undefined) memo.set(node, byStart = new Map());
    const known = byStart.get(i);
    if (known !== undefined) return known;
    const out = new Set<number>();
    const from = (starts: Iterable<number>, next: Node) => {
      const reached = new Set<number>();
      for (const start of starts) {
        for (const end of ends(next, start)) {
          steps++;
          reached.add(end);
        }
      }
      return reached;
    };
    switch (node.kind) {
      case "char":
        if (i < n && node.accepts(text[i])) out.add(i + 1);
        break;
      case "start":
        if (i === 0) out.add(i);
        break;
      case "end":
        if (i === n) out.add(i);
        break;
      case "boundary":
        if (i === 0 || i === n) out.add(i);
        if (i < n && BOUNDARY.has(text[i])) out.add(i + 1);
        break;
      case "seq": {
        let current = new Set([i]);
        for (const item of node.items) current = from(current, item);
        for (const end of current) out.add(end);
        break;
      }
      case "alt":
        for (const option of node.options) for (const end of ends(option, i)) out.add(end);
        break;
      case "repeat": {
        // "+" is one body then "*"; "*" is the closure of the body from i; "?" is i or one body.
        const first = node.op === "+" ? ends(node.body, i) : [i];
        for (const end of first) out.add(end);
        if (node.op === "?") {
          for (const end of ends(node.body, i)) out.add(end);
          break;
        }
        const frontier = [...out];
        while (frontier.length > 0) {
          const start = frontier.pop()!;
          for (const end of ends(node.body, start)) {
            steps++;
            if (!out.has(end)) {
              out.add(end);
              frontier.push(end);
            }
          }
        }
        break;
      }
    }
    steps++;
    const sorted = [...out].sort((a, b) => a - b);
    byStart.set(i, sorted);
    return sorted;
  }

  let matched = false;
  for (let start = 0; start <= n && !matched; start++) matched = ends(root, start).length > 0;
  return { matched, steps, nodes: countNodes(root) };
}
