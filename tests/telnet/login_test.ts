/**
 * The login as pure steps, table by table: what the end of the received text
 * is, what was sent, what is configured → wait, send, done or refuse. The
 * session tests (session_test.ts) run the same logins against fake servers.
 */

import assert from "node:assert/strict";
import { type Login, type LoginState, type LoginStep, loginStep } from "../../src/telnet/login.ts";

const FRESH: LoginState = { usernameSent: false, passwordSent: false };
const USER_SENT: LoginState = { usernameSent: true, passwordSent: false };
const BOTH_SENT: LoginState = { usernameSent: true, passwordSent: true };
const RVIEWS: Login = { username: "rviews" };
const WITH_PASSWORD: Login = { username: "rviews", password: "s3cret" };

interface Row {
  what: string;
  tail: string;
  state: LoginState;
  login: Login;
  step: LoginStep;
}

const ROWS: Row[] = [
  {
    what: "a prompt ends the login",
    tail: "\nroute-views>",
    state: FRESH,
    login: "none",
    step: { action: "done", prompt: "route-views>" },
  },
  {
    what: "the prompt is kept without its trailing space",
    tail: "Hello, this is FRRouting\nrv> ",
    state: FRESH,
    login: "none",
    step: { action: "done", prompt: "rv>" },
  },
  {
    what: "a prompt after the credentials ends the login, whatever the banner said",
    tail: "access denied to nothing in particular\nrouter#",
    state: BOTH_SENT,
    login: WITH_PASSWORD,
    step: { action: "done", prompt: "router#" },
  },
  {
    what: "a username question is answered with the username",
    tail: "User Access Verification\n\nUsername: ",
    state: FRESH,
    login: RVIEWS,
    step: { action: "send", line: "rviews", what: "username", state: USER_SENT },
  },
  {
    what: "`login:` is a username question too",
    tail: "login: ",
    state: FRESH,
    login: RVIEWS,
    step: { action: "send", line: "rviews", what: "username", state: USER_SENT },
  },
  {
    what: "a password question is answered with the password",
    tail: "Password: ",
    state: USER_SENT,
    login: WITH_PASSWORD,
    step: { action: "send", line: "s3cret", what: "password", state: BOTH_SENT },
  },
  {
    what: "a username question with no login configured is refused",
    tail: "Username: ",
    state: FRESH,
    login: "none",
    step: {
      action: "refuse",
      reason: "it asked for a username but servers.json configures no login",
    },
  },
  {
    what: "a password question with no password configured is refused",
    tail: "Password: ",
    state: USER_SENT,
    login: RVIEWS,
    step: { action: "refuse", reason: "it asked for a password but servers.json configures none" },
  },
  {
    what: "the username asked again is a refused login, quoting the server",
    tail: "% Login invalid\n\nUsername: ",
    state: USER_SENT,
    login: RVIEWS,
    step: {
      action: "refuse",
      reason: 'it asked for the username again after "rviews" ("% Login invalid")',
    },
  },
  {
    what: "the password asked again is a wrong password",
    tail: "% Bad passwords\nPassword: ",
    state: BOTH_SENT,
    login: WITH_PASSWORD,
    step: {
      action: "refuse",
      reason: 'it asked for the password again (wrong password) ("% Bad passwords")',
    },
  },
  {
    what: "a % refusal after the credentials ends the login",
    tail: "% Authentication failed\n",
    state: BOTH_SENT,
    login: WITH_PASSWORD,
    step: { action: "refuse", reason: 'it answered "% Authentication failed"' },
  },
  {
    what: "a refusal without % (just text) waits for the server's next question",
    tail: "Login incorrect\n",
    state: USER_SENT,
    login: RVIEWS,
    step: { action: "wait" },
  },
  {
    what: "a refusal word before anything was sent is banner text: wait",
    tail: "% Access denied for unknown people\n",
    state: FRESH,
    login: RVIEWS,
    step: { action: "wait" },
  },
  {
    what: "a banner without a question or a prompt: wait",
    tail: "****\n  RouteViews BGP Route Viewer\n****\n",
    state: FRESH,
    login: RVIEWS,
    step: { action: "wait" },
  },
  {
    what: "nothing yet: wait",
    tail: "",
    state: FRESH,
    login: "none",
    step: { action: "wait" },
  },
];

for (const row of ROWS) {
  Deno.test(`login step: ${row.what}`, () => {
    assert.deepEqual(loginStep(row.tail, row.state, row.login), row.step);
  });
}

Deno.test("login step: a question is never mistaken for a prompt", () => {
  // `Username:` would not match the prompt pattern, but `login#`-like text before a question
  // must not end the login either.
  const step = loginStep("router#\nPassword: ", USER_SENT, WITH_PASSWORD);
  assert.equal(step.action, "send");
});

Deno.test("login step: the state given is not changed", () => {
  const state = { ...FRESH };
  loginStep("Username: ", state, RVIEWS);
  assert.deepEqual(state, FRESH);
});
