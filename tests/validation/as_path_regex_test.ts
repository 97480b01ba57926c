import assert from "node:assert/strict";
import { AsPathPatternError } from "../../src/errors.ts";
import { compileAsPathPattern, MAX_AS_PATH_PATTERN } from "../../src/validation/as_path_regex.ts";
import { referenceMatch } from "./_as_path_reference.ts";
import { prng, seedBanner, testSeed } from "../harness/mod.ts";

/** The seed of the random differential test below: fixed, unless TEST_SEED chooses another. */
const SEED = testSeed();
// deno-lint-ignore no-console
console.error(seedBanner("tests/validation/as_path_regex_test.ts", SEED));

Deno.test("AS-path patterns match as on Cisco IOS and FRR", () => {
  const cases: [pattern: string, text: string, expected: boolean][] = [
    // Origin AS: the boundary keeps 215169 from matching.
    ["_15169$", "3356 174 15169", true],
    ["_15169$", "3356 174 215169", false],
    ["_15169$", "15169", true],
    ["_15169$", "15169 174", false],
    ["_15169$", "64500 {15169}", false],
    ["_15169_", "64500 {15169}", true],
    // Neighbour AS: "_" is zero-width at the end of the text.
    ["^3356_", "3356 174", true],
    ["^3356_", "3356", true],
    ["^3356_", "33561 174", false],
    ["^3356_", "174 3356", false],
    // Transit AS anywhere, including alone.
    ["_174_", "3356 174 15169", true],
    ["_174_", "174", true],
    ["_174_", "1174", false],
    ["_174_", "3356 1745", false],
    ["_174_", "(174 3356) 15169", true],
    ["_174_", "3356 (65001 174)", true],
    // Empty path.
    ["^$", "", true],
    ["^$", " ", false],
    ["^$", "1", false],
    // Alternation inside a group.
    ["^(3356|174)_", "3356 15169", true],
    ["^(3356|174)_", "174 15169", true],
    ["^(3356|174)_", "174", true],
    ["^(3356|174)_", "1742 15169", false],
    ["^(3356|174)_", "15169 3356", false],
    // Exactly one AS before the origin.
    ["_[0-9]+_15169$", "3356 15169", true],
    ["_[0-9]+_15169$", "174 3356 15169", true],
    ["_[0-9]+_15169$", "15169", false],
    ["_[0-9]+_15169$", "3356 215169", false],
    ["_[0-9]+_15169$", "{3356} 15169", false], // "_" consumes exactly one character
    // Anything.
    [".*", "", true],
    [".*", "3356 174", true],
    [".*", "64500 {64501,64502}", true],
    // Prepends.
    ["^15169(_15169)*$", "15169", true],
    ["^15169(_15169)*$", "15169 15169 15169", true],
    ["^15169(_15169)*$", "15169 15169 174", false],
    ["^15169(_15169)*$", "174 15169", false],
    ["^15169(_15169)*$", "15169 151690", false],
    // AS_SET and confederation members are delimited by , { } ( ).
    ["_64501_", "64500 {64501,64502}", true],
    ["_64501_", "64500 {64502,64501}", true],
    ["_64501_", "64500 {645011,64502}", false],
    ["_65001_", "(65001 65002) 174", true],
    ["^_65002_", "(65001 65002) 174", false],
    // Negated classes.
    ["[^0-9]", "3356", false],
    ["[^0-9]", "3356 174", true],
    ["[^0-9]", "", false],
    ["[^0-9]", "{1}", true],
    ["^[^0-9]", "(65001) 1", true],
    ["^[^0-9]", "1 (65001)", false],
    ["[^13579]$", "174", true],
    ["[^13579]$", "3356 1", false],
    ["^[13579]+$", "1357", true],
    ["^[13579]+$", "1358", false],
    ["^[0-2 ]+$", "12 20 1", true],
    ["^[0-2 ]+$", "12 30", false],
    // Alternation with anchors: "|" binds loosest.
    ["^174$|^3356$", "174", true],
    ["^174$|^3356$", "3356", true],
    ["^174$|^3356$", "174 3356", false],
    ["^174|3356$", "174 1", true],
    ["^174|3356$", "1 3356", true],
    ["^174|3356$", "1 174", false],
    ["^174|3356$", "3356 1", false],
    // Optional and one-or-more.
    ["^3356_?174$", "3356 174", true],
    ["^3356_?174$", "3356174", true],
    ["^3356_?174$", "3356  174", false],
    ["^1?74$", "74", true],
    ["^1?74$", "174", true],
    ["^1?74$", "1174", false],
    ["^1+$", "1", true],
    ["^1+$", "111", true],
    ["^1+$", "", false],
    ["^1+$", "12", false],
    ["_(174_)+15169$", "3356 174 174 15169", true],
    ["_(174_)+15169$", "3356 15169", false],
    // Any single character.
    ["^3.5", "3356", true],
    ["^.$", "1", true],
    ["^.$", "12", false],
    ["^.$", "", false],
    // Unanchored search, including across ASNs.
    ["56 1", "3356 174", true],
    ["56 1", "3356174", false],
    // Empty alternatives and groups.
    ["^(3356|)174", "174", true],
    ["^(3356|)174", "3356174", true],
    ["^(3356|)174", "3356 174", false],
    ["^174(|_3356)$", "174 3356", true],
    ["^174(|_3356)$", "174 33", false],
    ["^()174$", "174", true],
    ["|", "174", true],
    // "_" at the ends may be zero-width or consume a delimiter.
    ["^_174", "174", true],
    ["^_174", " 174", true],
    ["174_$", "174", true],
    ["174_$", "174 ", true],
    ["^__174", "174", true],
    ["^_$", "", true],
    ["^_$", " ", true],
    ["^_$", "1", false],
    // Anchors in the middle only match at the ends.
    ["1$2", "12", false],
    ["1^2", "12", false],
    ["(^|_)174($|_)", "3356 174", true],
    // Loops over things that can match the empty string.
    ["^(1*)*$", "", true],
    ["^(1*)*$", "111", true],
    ["^(1*)*$", "112", false],
    ["^(_)*174", "  174", true],
    ["^(1?)+2$", "112", true],
    ["^()*$", "", true],
    ["1($)?", "12", true],
    ["^(^1|$)+$", "1", true],
  ];
  for (const [pattern, text, expected] of cases) {
    assert.equal(
      compileAsPathPattern(pattern).test(text),
      expected,
      `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`,
    );
  }
});

Deno.test("invalid AS-path patterns are refused with a message saying what is wrong", () => {
  const cases: [pattern: string, message: RegExp][] = [
    ["", /^AS-path pattern is empty; write one such as _15169\$ \(allowed: digits, space,/],
    [
      "1".repeat(MAX_AS_PATH_PATTERN + 1),
      /^AS-path pattern is 101 characters long; the limit is 100$/,
    ],
    ["AS15169", /^Unsupported character "A" at position 1; allowed: digits, space, \. _ \^ \$/],
    ["15169a", /^Unsupported character "a" at position 6;/],
    ["1,2", /^Unsupported character "," at position 2;/],
    ["1}", /^Unsupported character "}" at position 2;/],
    ["1\t2", /^Unsupported character "\\t" at position 2;/],
    ["\\d+", /^Backslash escapes \(position 1\) are not supported; allowed:/],
    ["_\\b", /^Backslash escapes \(position 2\) are not supported;/],
    ["1{2}", /^Counted repetition such as \{2,3\} \(position 2\) is not supported;/],
    ["(1){2,3}", /^Counted repetition such as \{2,3\} \(position 4\) is not supported;/],
    [
      "(?=1)",
      /^Group modifiers such as .* \(position 1\) are not supported; use a plain \( \) group$/,
    ],
    ["(?!1)2", /^Group modifiers such as /],
    ["2(?<=1)", /^Group modifiers such as .* \(position 2\)/],
    ["(?:1)", /^Group modifiers such as /],
    ["*1", /^Quantifier "\*" at position 1 has nothing to repeat; put it after a digit,/],
    ["+", /^Quantifier "\+" at position 1 has nothing to repeat;/],
    ["?1", /^Quantifier "\?" at position 1 has nothing to repeat;/],
    ["(*1)", /^Quantifier "\*" at position 2 has nothing to repeat;/],
    ["1|*2", /^Quantifier "\*" at position 3 has nothing to repeat;/],
    ["(|+)", /^Quantifier "\+" at position 3 has nothing to repeat;/],
    ["1**", /^Quantifier "\*" at position 3 follows another quantifier;/],
    ["1+?", /^Quantifier "\?" at position 3 follows another quantifier;/],
    ["^*", /^Quantifier "\*" at position 2 follows an anchor; "\^" and "\$" cannot be repeated$/],
    ["1$+", /^Quantifier "\+" at position 3 follows an anchor;/],
    ["(1", /^Unclosed group: "\(" at position 1 has no matching "\)"$/],
    ["((1)", /^Unclosed group: "\(" at position 1 has no matching "\)"$/],
    ["(1|(2)", /^Unclosed group: "\(" at position 1 /],
    ["1)", /^Unmatched "\)" at position 2; every "\)" needs an earlier "\("$/],
    ["(1))", /^Unmatched "\)" at position 4;/],
    [")(", /^Unmatched "\)" at position 1;/],
    ["[0-9", /^Unclosed class: "\[" at position 1 has no matching "\]"$/],
    ["1[", /^Unclosed class: "\[" at position 2 /],
    ["[^", /^Unclosed class: /],
    ["0-9]", /^Unsupported character "-" at position 2;/],
    ["09]", /^Unmatched "\]" at position 3; write classes as \[0-9\]$/],
    [
      "[]",
      /^Empty class at position 1; list digits or ranges inside, e.g. \[0-9\] or \[\^13579\]$/,
    ],
    ["[^]", /^Empty class at position 1;/],
    ["[9-0]", /^Range "9-0" at position 2 is reversed; put the lower digit first, e.g. 0-9$/],
    ["[0-]", /^Range at position 2 has no end; write ranges such as 0-9$/],
    ["[0-", /^Range at position 2 has no end;/],
    ["[a-z]", /^Character "a" at position 2 is not allowed in a class; a class holds digits,/],
    ["[0-a]", /^Character "a" at position 4 is not allowed in a class;/],
    ["[.]", /^Character "\." at position 2 is not allowed in a class;/],
    ["[_]", /^Character "_" at position 2 is not allowed in a class;/],
    ["[-1]", /^Character "-" at position 2 is not allowed in a class;/],
    ["[[:digit:]]", /^Character "\[" at position 2 is not allowed in a class;/],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(
      () => compileAsPathPattern(pattern),
      (error: unknown) => {
        assert.ok(error instanceof AsPathPatternError, pattern);
        assert.ok(error instanceof SyntaxError, pattern);
        assert.equal(error.name, "AsPathPatternError");
        assert.equal(error.pattern, pattern);
        assert.match(error.message, message, pattern);
        assert.match(error.message, /^[A-Z]/, `sentence case: ${error.message}`);
        assert.ok(!error.message.endsWith("."), `no trailing period: ${error.message}`);
        return true;
      },
      JSON.stringify(pattern),
    );
  }
});

Deno.test("a pattern of exactly MAX_AS_PATH_PATTERN characters is accepted", () => {
  const pattern = "1".repeat(MAX_AS_PATH_PATTERN);
  assert.equal(compileAsPathPattern(pattern).test(pattern), true);
  assert.equal(compileAsPathPattern(pattern).test(pattern.slice(1)), false);
});

Deno.test("a compiled pattern keeps its source, is frozen and works detached", () => {
  const pattern = compileAsPathPattern("_174_");
  assert.equal(pattern.source, "_174_");
  assert.ok(Object.isFrozen(pattern));
  const paths = ["3356 174 15169", "3356 15169", "174"];
  assert.deepEqual(paths.filter(pattern.test), ["3356 174 15169", "174"]);
  // Compiled once, reusable: a second pass gives the same answers.
  assert.deepEqual(paths.map(pattern.test), [true, false, true]);
});

Deno.test("pathological patterns run in linear time instead of backtracking", () => {
  const zeros = "0".repeat(4000);
  const patterns = [
    "(0*)*1",
    "((.*)*)*1",
    "(0|0)*1",
    "(0|00)*1",
    "(0?)*0*1",
    "^(.*0*)*$9",
    "(_*0*)*_9",
  ];
  for (const source of patterns) {
    assert.equal(compileAsPathPattern(source).test(zeros), false, source);
  }
  // Exponential for a backtracking engine on every call; a few hundred
  // milliseconds in all here.
  const pattern = compileAsPathPattern("(0*)*1");
  for (let i = 0; i < 1000; i++) assert.equal(pattern.test(zeros), false);
  const nested = compileAsPathPattern("((.*)*)*_9");
  for (let i = 0; i < 1000; i++) assert.equal(nested.test(zeros), false);
});

Deno.test("the step budget fits any accepted pattern over a 4096-character path", () => {
  // "_" compiles to the most states per character, and all of them stay live over spaces.
  const widest = compileAsPathPattern(`${"_".repeat(MAX_AS_PATH_PATTERN - 1)}9`);
  assert.equal(widest.test(" ".repeat(4096)), false);
  const loops = compileAsPathPattern(`${"(_|.)*".repeat(16)}9`);
  assert.equal(loops.test("0".repeat(4096)), false);
});

Deno.test("the step budget stops a test over an absurdly long text", () => {
  const loops = compileAsPathPattern(`${"(_|.)*".repeat(16)}9`);
  assert.throws(
    () => loops.test("0".repeat(100_000)),
    (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(
        error.message,
        /^Matching an AS path of 100000 characters needs more than \d+ steps; shorten the path or the pattern$/,
      );
      return true;
    },
  );
  // A pattern that matches early stops early, whatever the length.
  assert.equal(loops.test(`9${"0".repeat(100_000)}`), true);
  assert.equal(compileAsPathPattern("^3356_").test(`3356 ${"1".repeat(100_000)}`), true);
});

// ---------------------------------------------------------------------------
// Differential test against the reference matcher (tests/validation/_as_path_reference.ts).

/** Random patterns and AS path texts over a small alphabet, so that matches are common. */
class Generator {
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = prng(seed);
  }

  #below(n: number): number {
    return Math.floor(this.#random() * n);
  }

  #pick(choices: string): string {
    return choices[this.#below(choices.length)];
  }

  pattern(depth = 0): string {
    const options = this.#random() < 0.75 ? 1 : 2 + this.#below(2);
    return Array.from({ length: options }, () => this.#sequence(depth)).join("|");
  }

  #sequence(depth: number): string {
    let out = "";
    for (let n = this.#below(5); n > 0; n--) out += this.#piece(depth);
    return out;
  }

  #piece(depth: number): string {
    const r = this.#random();
    if (r < 0.07) return "^";
    if (r < 0.14) return "$";
    const atom = this.#atom(depth);
    return this.#random() < 0.35 ? atom + this.#pick("*+?") : atom;
  }

  #atom(depth: number): string {
    const r = this.#random();
    if (r < 0.4) return this.#pick("0112233");
    if (r < 0.47) return " ";
    if (r < 0.57) return ".";
    if (r < 0.72) return "_";
    if (r < 0.84 || depth >= 2) return this.#class();
    return `(${this.pattern(depth + 1)})`;
  }

  #class(): string {
    let out = this.#random() < 0.3 ? "[^" : "[";
    for (let n = 1 + this.#below(2); n > 0; n--) {
      const r = this.#random();
      if (r < 0.1) {
        out += " ";
      } else if (r < 0.5) {
        const low = this.#below(4);
        out += `${low}-${low + this.#below(4 - low)}`;
      } else {
        out += this.#pick("0123");
      }
    }
    return `${out}]`;
  }

  text(): string {
    const segments: string[] = [];
    for (let n = this.#below(4); n > 0; n--) {
      const r = this.#random();
      if (r < 0.1) segments.push(`{${this.#asn()},${this.#asn()}}`);
      else if (r < 0.2) segments.push(`(${this.#asn()} ${this.#asn()})`);
      else segments.push(this.#asn());
    }
    return segments.join(" ");
  }

  #asn(): string {
    let out = this.#pick("123");
    for (let n = this.#below(3); n > 0; n--) out += this.#pick("0123");
    return out;
  }
}

Deno.test("random patterns match exactly like the reference matcher", () => {
  const generator = new Generator(SEED);
  let cases = 0;
  let matches = 0;
  while (cases < 2000) {
    const pattern = generator.pattern();
    if (pattern === "" || pattern.length > MAX_AS_PATH_PATTERN) continue;
    const compiled = compileAsPathPattern(pattern);
    for (let i = 0; i < 4; i++) {
      const text = generator.text();
      const expected = referenceMatch(pattern, text).matched;
      assert.equal(
        compiled.test(text),
        expected,
        `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`,
      );
      cases++;
      if (expected) matches++;
    }
  }
  // Both outcomes must be well represented, or the comparison proves little.
  assert.ok(matches > cases * 0.2 && matches < cases * 0.8, `${matches} of ${cases} matched`);
});
