/**
 * A single flight: one query in progress that several callers wait for. Used
 * by the in-process cache and by the Redis cache alike.
 *
 * @module
 */

import { abortError } from "../errors.ts";

/** A query in flight and the callers waiting for it. */
export interface Flight<T> {
  /** Settles with the query. */
  promise: Promise<T>;
  /** Aborts the query when the last waiter gives up. */
  controller: AbortController;
  /** How many callers wait now. */
  waiters: number;
}

/**
 * Waits for `flight`; giving up (an abort of `signal`) cancels the flight when
 * no one else waits for it.
 */
export async function waitForFlight<T>(flight: Flight<T>, signal?: AbortSignal): Promise<T> {
  flight.waiters++;
  if (!signal) {
    try {
      return await flight.promise;
    } finally {
      flight.waiters--;
    }
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([flight.promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    flight.waiters--;
    if (signal.aborted && flight.waiters === 0) flight.controller.abort(abortError(signal));
    // The race's loser must not surface as an unhandled rejection.
    aborted.catch(() => {});
    flight.promise.catch(() => {});
  }
}
