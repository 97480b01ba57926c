import assert from "node:assert/strict";
import {
  applyBackspaces,
  cleanAnswer,
  detectLoginQuestion,
  detectLoginRefusal,
  detectPrompt,
  endsWithPager,
  endsWithPrompt,
  endsWithRepeatedPrompt,
  hasContent,
  tailOf,
} from "../../src/telnet/screen.ts";

Deno.test("prompts are recognised at the end only, with their exact trailing space", () => {
  assert.equal(detectPrompt(tailOf("\r\nHello\r\nroute-views> ")), "route-views> ");
  assert.equal(detectPrompt(tailOf("banner\r\nroute-views>")), "route-views>");
  assert.equal(
    detectPrompt("rviews@route-server.ip.att.net> "),
    "rviews@route-server.ip.att.net> ",
  );
  assert.equal(
    detectPrompt("route-views.eqix.routeviews.org> "),
    "route-views.eqix.routeviews.org> ",
  );
  assert.equal(detectPrompt("route-views> \r\nmore text"), null);
  assert.equal(detectPrompt("Network        Next Hop   Path\n"), null);
  assert.equal(detectPrompt("a line that ends with > but has spaces> "), null);
});

Deno.test("a command ends only on the learned prompt on a line of its own", () => {
  assert.equal(endsWithPrompt("output\nroute-views> ", "route-views>"), true);
  assert.equal(endsWithPrompt("route-views> ", "route-views>"), true);
  // The prompt's trailing space may still be in flight.
  assert.equal(endsWithPrompt("output\nroute-views>", "route-views>"), true);
  assert.equal(endsWithPrompt("output\nroute-views", "route-views>"), false);
  assert.equal(endsWithPrompt("AS path: 64500 route-views> ", "route-views> "), false);
  assert.equal(endsWithPrompt("output > \nmore>", "route-views> "), false);
});

Deno.test("pager markers: IOS, FRR (with NUL), Junos", () => {
  assert.equal(endsWithPager(tailOf("line\r\n --More-- ")), true);
  assert.equal(endsWithPager(tailOf("line\n --More-- \u0000")), true);
  assert.equal(endsWithPager("line\n---(more)---"), true);
  assert.equal(endsWithPager("line\n---(more 42%)---"), true);
  assert.equal(endsWithPager("line\n --More-- then text"), false);
});

Deno.test("the tail shows the prompt that follows a pager erase sequence", () => {
  const frr = "x\r\n --More-- \u0000" + "\b".repeat(10) + " ".repeat(10) + "\b".repeat(10) + "rv> ";
  assert.equal(endsWithPrompt(tailOf(frr), "rv>"), true);
  const ios = "x\r\n --More-- " + "\b".repeat(9) + " ".repeat(8) + "\b".repeat(9) + "route-views>";
  assert.equal(endsWithPrompt(tailOf(ios), "route-views>"), true);
});

Deno.test("login questions and refusals", () => {
  assert.equal(detectLoginQuestion("User Access Verification\n\nUsername: "), "username");
  assert.equal(detectLoginQuestion("route-server.ip.att.net\nlogin: "), "username");
  assert.equal(detectLoginQuestion("Password:"), "password");
  assert.equal(detectLoginQuestion("Username: rviews\nroute-views>"), null);
  assert.equal(detectLoginRefusal("\n% Login invalid\n\nUsername: "), "% Login invalid");
  assert.equal(detectLoginRefusal("Login incorrect\nlogin: "), "Login incorrect");
  assert.equal(detectLoginRefusal("route-views>"), null);
});

Deno.test("backspaces erase like a terminal, not across lines", () => {
  assert.equal(applyBackspaces("abc\b\bX"), "aX");
  assert.equal(applyBackspaces("a\n\b\bb"), "a\nb");
});

Deno.test("an answer is cleaned of echo, prompt, pager erasures, NULs, CRs and ANSI", () => {
  const ios =
    "show ip bgp 8.8.8.8\r\nline 1\r\n --More-- \b\b\b\b\b\b\b\b\b        \b\b\b\b\b\b\b\b\bline 2\r\nroute-views>";
  assert.equal(cleanAnswer(ios, "show ip bgp 8.8.8.8", "route-views>"), "line 1\nline 2");
  const frr =
    "show bgp x\r\nline 1\r\n --More-- \u0000\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bline 2\r\nrv> ";
  assert.equal(cleanAnswer(frr, "show bgp x", "rv> "), "line 1\nline 2");
  // Markers the server never erased are dropped too; colour codes go.
  assert.equal(
    cleanAnswer("cmd\r\na\r\n --More-- b\r\n\x1b[1mc\x1b[0m\r\nrv> ", "cmd", "rv> "),
    "a\nb\nc",
  );
  // An old Quagga's extra empty prompt before the echo is dropped.
  assert.equal(cleanAnswer("rv> \r\ncmd\r\nanswer\r\nrv> ", "cmd", "rv> "), "answer");
});

Deno.test("an answer ends on the prompt twice: after the answer, and for the empty line typed after it", () => {
  const ends = (text: string, prompt = "route-views>") =>
    endsWithRepeatedPrompt(tailOf(text), prompt);
  // IOS (no trailing space), FRR (trailing space), Junos (a blank line before its prompt).
  assert.equal(ends("answer\r\nroute-views>\r\nroute-views>"), true);
  assert.equal(ends("answer\r\nrv> \r\nrv> ", "rv>"), true);
  assert.equal(ends("answer\r\nrv> \r\nrv>", "rv>"), true); // the last space not read yet
  assert.equal(ends("answer\r\n\r\nuser@rs> \r\nuser@rs> ", "user@rs>"), true);
  // A server that does not echo prints the second prompt on the same line.
  assert.equal(ends("answer\r\nrv> rv> ", "rv>"), true);
  // An empty answer: the first prompt is on the line of the echoed command.
  assert.equal(ends("route-views>show x\r\nroute-views>\r\nroute-views>"), true);
  // One prompt is not the end: a prompt-like line inside an answer, or a read boundary after it.
  assert.equal(ends("path 1\r\nroute-views>"), false);
  assert.equal(ends("path 1\r\nroute-views>\r\npath 2\r\nroute-views>"), false);
  assert.equal(ends("answer\r\nxroute-views>\r\nroute-views>"), false);
  assert.equal(ends("answer\r\nroute-views>\r\nxroute-views>"), false);
  assert.equal(ends("answer\r\nroute-views>\r\nroute-views> tail"), false);
  assert.equal(ends("answer\r\nother>\r\nroute-views>"), false);
  assert.equal(ends(""), false);
});

Deno.test("a login refusal is shown without control characters, bounded", () => {
  const refusal = detectLoginRefusal(`% Login invalid\u001b[2J\u2028${"x".repeat(500)}\r\n`)!;
  assert.match(refusal, /^% Login invalid x+…$/);
  assert.ok(refusal.length <= 160);
});

Deno.test("prompts alone, even two on a line from a server that does not echo, are no answer", () => {
  assert.equal(hasContent("\r\nrv> ", "rv>"), false);
  assert.equal(hasContent("rv> rv> \r\n\r\nrv> ", "rv>"), false);
  assert.equal(hasContent("rv> is my name", "rv>"), true);
  assert.equal(hasContent("answer 1\r\nrv> ", "rv>"), true);
});
