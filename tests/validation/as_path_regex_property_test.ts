/**
 * Property-based tests (fast-check) for AS-path patterns: any string compiles
 * or is refused with AsPathPatternError; valid patterns test any AS-path-like
 * text up to 4096 characters within the time limit, the largest NFAs
 * included; and every match is exactly what the reference matcher
 * (_as_path_reference.ts) says.
 */

import assert from "node:assert/strict";
import { AsPathPatternError } from "../../src/errors.ts";
import { compileAsPathPattern, MAX_AS_PATH_PATTERN } from "../../src/validation/as_path_regex.ts";
import { referenceMatch } from "./_as_path_reference.ts";
import { attempt, describeError, fc, seedProperties, timed } from "../_property.ts";

seedProperties("tests/validation/as_path_regex_property_test.ts");

/** The largest 32-bit AS number. */
const MAX_ASN = 4294967295;

/** Patterns from the documented grammar (may be empty or too long: those must be refused). */
const { alternation: grammarPattern } = fc.letrec<{
  alternation: string;
  sequence: string;
  piece: string;
  atom: string;
}>((tie) => ({
  alternation: fc.array(tie("sequence"), { minLength: 1, maxLength: 3 }).map((o) => o.join("|")),
  sequence: fc.array(tie("piece"), { maxLength: 4 }).map((pieces) => pieces.join("")),
  piece: fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom("^", "$") },
    {
      weight: 6,
      arbitrary: fc.tuple(tie("atom"), fc.constantFrom("", "", "", "*", "+", "?")).map(
        ([atom, quantifier]) => atom + quantifier,
      ),
    },
  ),
  atom: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    fc.constantFrom(..."0123456789", " ", ".", "_"),
    fc.tuple(
      fc.boolean(),
      fc.array(
        fc.oneof(
          fc.constantFrom(..."0123456789 "),
          fc.tuple(fc.nat(9), fc.nat(9)).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    ).map(([negated, items]) => `[${negated ? "^" : ""}${items.join("")}]`),
    tie("alternation").map((body) => `(${body})`),
  ),
}));

const PATTERN_ALPHABET = [..."0123456789 ._^$*+?|()[]-{},\\:a"];

/** AS paths as the caller normalises them, plus arbitrary text, up to 4096 characters. */
const asPathLike = fc.oneof(
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: MAX_ASN }).map(String) },
      {
        weight: 1,
        arbitrary: fc.array(fc.integer({ min: 0, max: 99999 }), { minLength: 1, maxLength: 4 })
          .map((a) => `{${a.join(",")}}`),
      },
      {
        weight: 1,
        arbitrary: fc.array(fc.integer({ min: 64512, max: 65534 }), { minLength: 1, maxLength: 3 })
          .map((a) => `(${a.join(" ")})`),
      },
    ),
    { maxLength: 600, size: "large" },
  ).map((tokens) => tokens.join(" ").slice(0, 4096)),
  fc.string({ unit: fc.constantFrom(..."0123456789 ,{}()"), maxLength: 4096, size: "large" }),
  fc.string({ unit: "binary", maxLength: 4096, size: "large" }).map((s) => s.slice(0, 4096)),
);

/** Patterns that make the NFA large: as many states per character as the syntax allows. */
const heavyPattern = fc.array(
  fc.constantFrom("_", "_*", "(_|.)*", "[0-9]*", ".*", "(1|_)+", "_?", "(_)+", "((_)*)*"),
  { minLength: 1, maxLength: 60 },
).map((units) => {
  let pattern = "";
  for (const unit of units) {
    if (pattern.length + unit.length > MAX_AS_PATH_PATTERN) break;
    pattern += unit;
  }
  return pattern;
}).filter((p) => p.length > 0);

function compiles(pattern: string): boolean {
  return attempt(() => compileAsPathPattern(pattern)).ok;
}

Deno.test("as-path regex: any string compiles or throws AsPathPatternError", () => {
  const input = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.string({ unit: "binary", maxLength: 120 }),
    fc.string({ unit: fc.constantFrom(...PATTERN_ALPHABET), maxLength: 120 }),
    grammarPattern,
    heavyPattern,
  );
  fc.assert(
    fc.property(input, (pattern) => {
      const outcome = timed(
        "compileAsPathPattern",
        pattern.length,
        () => compileAsPathPattern(pattern),
      );
      if (outcome.ok) {
        assert.equal(outcome.value.source, pattern);
        assert.ok(pattern.length >= 1 && pattern.length <= MAX_AS_PATH_PATTERN);
      } else {
        assert.ok(
          outcome.error instanceof AsPathPatternError,
          `${JSON.stringify(pattern)} threw ${describeError(outcome.error)}`,
        );
        assert.equal(outcome.error.pattern, pattern);
      }
    }),
    { numRuns: 1000 },
  );
});

Deno.test("as-path regex: valid patterns test any AS-path-like text up to 4096 chars", () => {
  const validPattern = fc.oneof(
    grammarPattern,
    heavyPattern,
    fc.string({ unit: fc.constantFrom(...PATTERN_ALPHABET), minLength: 1, maxLength: 30 }),
  ).filter(compiles);
  fc.assert(
    fc.property(validPattern, asPathLike, (source, text) => {
      const pattern = compileAsPathPattern(source);
      const outcome = timed(`test(${source})`, text.length, () => pattern.test(text));
      assert.ok(outcome.ok, outcome.ok ? "" : describeError(outcome.error));
      assert.equal(typeof outcome.value, "boolean");
    }),
    { numRuns: 200 },
  );
});

Deno.test("as-path regex: the largest NFAs test 4096-character paths without hitting the budget", () => {
  const longPath = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."0123456789 ,{}()"), minLength: 4096, maxLength: 4096 }),
    fc.constantFrom("1 ".repeat(2048), " ".repeat(4096), "1".repeat(4096), "{1,1} ".repeat(682)),
  );
  fc.assert(
    fc.property(heavyPattern, longPath, (source, text) => {
      const pattern = compileAsPathPattern(source);
      const outcome = timed(`test(${source})`, text.length, () => pattern.test(text));
      assert.ok(outcome.ok, outcome.ok ? "" : describeError(outcome.error));
    }),
    { numRuns: 30 },
  );
});

Deno.test("as-path regex: matches exactly what the reference matcher matches", () => {
  // The reference takes polynomial time on any input (a backtracking RegExp, the oracle this
  // replaced, ran for minutes on nested quantifiers), so texts can be three times longer.
  const text = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."0123456789 ,{}()x"), maxLength: 48 }),
    fc.array(fc.constantFrom("1", "12", "123", "{1,2}", "(1 2)", "15169", "3356"), {
      maxLength: 12,
    }).map((t) => t.join(" ")),
  );
  let cases = 0;
  let matches = 0;
  fc.assert(
    fc.property(grammarPattern.filter(compiles), text, (source, asPath) => {
      const expected = referenceMatch(source, asPath).matched;
      assert.equal(
        compileAsPathPattern(source).test(asPath),
        expected,
        `pattern ${JSON.stringify(source)} on ${JSON.stringify(asPath)}`,
      );
      cases++;
      if (expected) matches++;
    }),
    { numRuns: 500 },
  );
  // Both outcomes must be well represented, or the comparison proves little.
  assert.ok(matches > cases * 0.1 && matches < cases * 0.9, `${matches} of ${cases} matched`);
});
