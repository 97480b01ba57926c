/**
 * The tokens file and the bearer check: what a good file looks like, every
 * bad line named (never the token), and each header outcome.
 */

import assert from "node:assert/strict";
import { TokenFileError } from "../../src/errors.ts";
import { loadTokens, parseTokens } from "../../src/mcp/auth.ts";

const T1 = "0123456789abcdef0123456789abcdef";
const T2 = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5+/==";

Deno.test("a tokens file: names, comments, blank lines, CRLF", () => {
  const tokens = parseTokens(`# the NOC\r\n\r\nalice:${T1}\r\n  bob.smith@noc : ${T2}  \n`, "t");
  assert.deepEqual(tokens.users, ["alice", "bob.smith@noc"]);
  assert.deepEqual(tokens.authenticate(`Bearer ${T1}`), { ok: true, user: "alice" });
  assert.deepEqual(tokens.authenticate(`bearer   ${T2}`), { ok: true, user: "bob.smith@noc" });
});

Deno.test("bad lines are refused with the line and the reason, never the token", () => {
  const cases: [string, RegExp][] = [
    [`alice ${T1}`, /line 1: expected `name:token`, found no colon/],
    [`-alice:${T1}`, /line 1: the name is 1 to 64 letters/],
    [`${"a".repeat(65)}:${T1}`, /line 1: the name is 1 to 64/],
    ["alice:short-token", /line 1: the token of alice must be 32 to 512 characters/],
    [`alice:${T1.slice(0, 31)} x`, /the token of alice must be/],
    [`alice:${T1}\nalice:${T2}`, /line 2: alice is named twice/],
    [`alice:${T1}\nbob:${T1}`, /line 2: bob has the same token as another user/],
    ["# nothing\n\n", /holds no `name:token` line/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseTokens(text, "tokens.txt"), (error: Error) => {
      assert.ok(error instanceof TokenFileError);
      assert.match(error.message, /^Tokens file tokens\.txt/);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(T1.slice(0, 31)), "the token is not shown");
      return true;
    }, text);
  }
});

Deno.test("each Authorization header gets its own answer", () => {
  const tokens = parseTokens(`alice:${T1}`, "t");
  const outcome = (header: string | null) => {
    const result = tokens.authenticate(header);
    return result.ok ? `ok ${result.user}` : result.reason;
  };
  assert.equal(outcome(null), "missing");
  assert.equal(outcome("  "), "missing");
  assert.equal(outcome(`Basic ${btoa(`alice:${T1}`)}`), "malformed");
  assert.equal(outcome(`Bearer ${T1} extra`), "malformed");
  assert.equal(outcome("Bearer"), "malformed");
  assert.equal(outcome(`Bearer ${T1}x`), "invalid");
  assert.equal(outcome(`Bearer ${T1.toUpperCase()}`), "invalid");
  assert.equal(outcome(`Bearer ${T1}`), "ok alice");
});

Deno.test("a tokens file is read from disk: a missing file or a directory is named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tokens`;
    await Deno.writeTextFile(path, `alice:${T1}\n`, { mode: 0o600 });
    assert.deepEqual((await loadTokens(path)).users, ["alice"]);
    await assert.rejects(() => loadTokens(`${dir}/missing`), (error: Error) => {
      assert.ok(error instanceof TokenFileError);
      assert.match(error.message, /missing: no such file/);
      return true;
    });
    await assert.rejects(() => loadTokens(dir), /it is a directory/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
