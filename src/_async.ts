/**
 * Deadlines and bounded concurrency, once, so that no module hand-rolls a
 * timer, an abort listener and their cleanup: {@linkcode deadlineSignal} (a
 * signal that aborts at a deadline or with its parent, cleared by `using`)
 * and {@linkcode mapPooled} (a map with at most `limit` calls in flight).
 * Internal.
 *
 * @module
 */

/** A signal that aborts at a deadline; dispose it (`using`) to clear the timer. */
export interface Deadline extends Disposable {
  /** Aborts when the deadline passes (with the `reason` given) or the parent signal aborts. */
  readonly signal: AbortSignal;
  /** Whether it was the deadline (not the parent signal) that aborted it. */
  readonly expired: boolean;
}

/** Options for {@linkcode deadlineSignal}. */
export interface DeadlineOptions {
  /** The abort reason when the deadline passes (default: a `TimeoutError` DOMException). */
  reason?: () => unknown;
  /** A parent signal: when it aborts, so does this one, with its reason. */
  signal?: AbortSignal;
}

/**
 * A signal that aborts `ms` from now, or as soon as `options.signal` aborts.
 * Use it with `using`: leaving the block clears the timer and the listener.
 *
 * @example
 * ```ts
 * using deadline = deadlineSignal(5_000, { signal });
 * const conn = await Deno.connect({ hostname, port, signal: deadline.signal });
 * ```
 */
export function deadlineSignal(ms: number, options: DeadlineOptions = {}): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(
      options.reason ? options.reason() : new DOMException("The deadline passed", "TimeoutError"),
    );
  }, ms);
  const parent = options.signal;
  const onAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onAbort();
  else parent?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    [Symbol.dispose]() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
}

/**
 * Calls `fn` on every item with at most `limit` calls in flight, taking the
 * items in order; resolves to the results in the items' order. A call that
 * rejects rejects the whole map (the calls in flight still finish).
 */
export async function mapPooled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
