/**
 * The per-user fairness rule of team mode: no user may take more than
 * `share` of a server's budget of each kind (connections, bytes down, bytes
 * up) in the sliding window, however much the team has left. The allowance is
 * the share of the limit rounded down, and at least 1 of each kind. A share
 * of 1 turns the rule off (each user may use the whole team budget). Pure.
 *
 * @module
 */

import type { QuotaLimits } from "./ledger.ts";

/** The default share: one user may take half of a server's daily budget. */
export const DEFAULT_USER_SHARE = 0.5;

/**
 * Checks a share given by the user (`--user-share`).
 *
 * @throws {RangeError} unless 0 < share ≤ 1
 */
export function checkShare(share: number): number {
  if (!(Number.isFinite(share) && share > 0 && share <= 1)) {
    throw new RangeError(
      `The per-user share is a fraction of each server's budget above 0 and at most 1 ` +
        `(0.5 = half), not ${share}`,
    );
  }
  return share;
}

/** What one user may use of a server's budget. */
export function userLimits(limits: QuotaLimits, share: number): QuotaLimits {
  checkShare(share);
  const part = (limit: number) => Math.max(1, Math.floor(limit * share + 1e-9));
  return {
    connections: part(limits.connections),
    bytesDown: part(limits.bytesDown),
    bytesUp: part(limits.bytesUp),
  };
}
