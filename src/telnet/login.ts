/**
 * The login, as pure steps: given the end of what the server has shown (a
 * cleaned tail, see `screen.ts`), what has been sent so far and the
 * configured login, say what to do next — wait for more, send a line, stop
 * because the prompt is there, or give up with a reason. The session reads
 * and writes; this decides, and is table-tested like the negotiator.
 *
 * @module
 */

import { detectLoginQuestion, detectLoginRefusal, detectPrompt } from "./screen.ts";

/** How to log in: not at all, with a username only, or with username and password. */
export type Login = "none" | { username: string; password?: string };

/** What the login has sent so far. */
export interface LoginState {
  /** The username was sent. */
  usernameSent: boolean;
  /** The password was sent. */
  passwordSent: boolean;
}

/** What to do next in a login. */
export type LoginStep =
  /** Nothing to act on yet: read more. */
  | { action: "wait" }
  /** The prompt is shown (without trailing spaces): the login is over. */
  | { action: "done"; prompt: string }
  /** Type `line` (and remember `state`): the server asked for it. */
  | { action: "send"; line: string; what: "username" | "password"; state: LoginState }
  /** Stop: the server refused the login, or asks for what is not configured. */
  | { action: "refuse"; reason: string };

/**
 * The next step of a login, from the end of the text received since the last
 * line was sent. A prompt ends the login, whatever the banner before it says;
 * a question is answered once (asked again, the credentials were refused); a
 * `%` refusal after credentials ends it.
 */
export function loginStep(tail: string, state: LoginState, login: Login): LoginStep {
  const question = detectLoginQuestion(tail);
  const prompt = detectPrompt(tail);
  if (prompt !== null && question === null) return { action: "done", prompt: prompt.trimEnd() };
  const refusal = state.usernameSent || state.passwordSent ? detectLoginRefusal(tail) : null;
  const because = refusal ? ` ("${refusal}")` : "";
  if (question === "username") {
    if (login === "none") {
      return {
        action: "refuse",
        reason: "it asked for a username but servers.json configures no login",
      };
    }
    if (state.usernameSent) {
      return {
        action: "refuse",
        reason: `it asked for the username again after "${login.username}"${because}`,
      };
    }
    return {
      action: "send",
      line: login.username,
      what: "username",
      state: { ...state, usernameSent: true },
    };
  }
  if (question === "password") {
    const password = login === "none" ? undefined : login.password;
    if (password === undefined) {
      return {
        action: "refuse",
        reason: "it asked for a password but servers.json configures none",
      };
    }
    if (state.passwordSent) {
      return {
        action: "refuse",
        reason: `it asked for the password again (wrong password)${because}`,
      };
    }
    return {
      action: "send",
      line: password,
      what: "password",
      state: { ...state, passwordSent: true },
    };
  }
  if (refusal && /^%/.test(refusal)) {
    return { action: "refuse", reason: `it answered "${refusal}"` };
  }
  return { action: "wait" };
}
