/**
 * Who a call is for: the user (a bearer token's name) travels with the async
 * context from the HTTP request to the ledger, so the pools, sessions and
 * meters between them need no parameter for it. Outside a request (stdio, the
 * CLI, a timer of the pool) there is no user and use counts for the team only.
 *
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts) on behalf of `user`. */
export function runAsUser<T>(user: string, fn: () => T): T {
  return storage.run(user, fn);
}

/** The user the current call is for, if any. */
export function currentUser(): string | undefined {
  return storage.getStore();
}
