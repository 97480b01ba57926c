/**
 * Errors of team mode (shared state in Redis, per-user shares). Each message
 * says what happened and what to do, as a tool result shows it as is.
 *
 * @module
 */

import { QuotaExceededError, type QuotaKind } from "../errors.ts";

/**
 * The shared state in Redis cannot be used (unreachable, not answering, or
 * refusing writes): route-server queries are refused, nothing was sent.
 */
export class RedisUnavailableError extends Error {
  /** The Redis URL, without its password. */
  readonly url: string;
  /** What went wrong, in words. */
  readonly reason: string;

  /** Creates the error; `reason` is what the client saw (`connection refused`, …). */
  constructor(url: string, reason: string, options?: ErrorOptions) {
    super(
      `Refused before connecting: the team's shared budget and cache in Redis (${url}) cannot ` +
        `be used (${reason}); no route server was contacted, because without Redis this ` +
        "replica cannot know what the rest of the team has used. Reconnecting with backoff; " +
        "try again in a moment. Tools that need no route server keep working",
      options,
    );
    this.name = "RedisUnavailableError";
    this.url = url;
    this.reason = reason;
  }
}

/** What a user may use of a server's budget, next to the team's use. */
export interface ShareDetail {
  /** The user (a token's name). */
  user: string;
  /** The user's allowance of this kind (the share of the limit, rounded down). */
  userLimit: number;
  /** The user's fraction of the team's budget (0 < share ≤ 1). */
  share: number;
  /** The team's use of this kind in the window. */
  teamUsed: number;
}

/**
 * A query refused because the user's share of a server's budget is used up
 * (the per-user fairness rule), although the team may have budget left.
 */
export class ShareExceededError extends QuotaExceededError {
  /** The user whose share is used up. */
  readonly user: string;
  /** The user's allowance of this kind. */
  readonly userLimit: number;

  /** Creates the error; `used` is the user's use, `limit` the team's limit. */
  constructor(
    server: string,
    kind: QuotaKind,
    used: number,
    limit: number,
    freesAt: Date,
    windowMs: number,
    detail: ShareDetail,
  ) {
    super(server, kind, used, limit, freesAt, windowMs);
    const hours = windowMs / 3_600_000;
    const amount = (n: number) => kind === "connections" ? `${n} connections` : bytes(n);
    const what = kind === "connections"
      ? "connection"
      : kind === "bytesDown"
      ? "download"
      : "upload";
    this.message =
      `Refused before connecting: your share of the ${what} budget for ${server} is used up ` +
      `(you: ${amount(used)} of the ${amount(detail.userLimit)} each user may take in ` +
      `${hours} h, ${Math.round(detail.share * 100)}% of the team's ${amount(limit)}; the team ` +
      `has used ${amount(detail.teamUsed)}). Your share frees up at ${freesAt.toISOString()}. ` +
      "Use a cached answer, another server, or wait";
    this.name = "ShareExceededError";
    this.user = detail.user;
    this.userLimit = detail.userLimit;
  }
}

/**
 * Refused because a server's use is unknown: the shared ledger in Redis was
 * lost or damaged (a restart without persistence, a flush, a damaged key), so
 * that use counts as the whole budget until it leaves the window.
 */
export class UnknownSharedUseError extends QuotaExceededError {
  /** Creates the error; `unknownSince` is when the loss was noticed. */
  constructor(
    server: string,
    kind: QuotaKind,
    used: number,
    limit: number,
    unknownSince: Date,
    windowMs: number,
  ) {
    const freesAt = new Date(unknownSince.getTime() + windowMs);
    super(server, kind, used, limit, freesAt, windowMs, { unknownSince });
    const what = kind === "connections"
      ? "connection"
      : kind === "bytesDown"
      ? "download"
      : "upload";
    this.message = `Refused before connecting: the ${what} use for ${server} is unknown since ` +
      `${unknownSince.toISOString()} (the team's shared ledger in Redis was lost or damaged ` +
      "then: a restart without persistence, a flush or a damaged key), so it counts as the " +
      `whole budget until it leaves the ${windowMs / 3_600_000} h window. Budget frees up at ` +
      `${freesAt.toISOString()}. Use a cached answer, another server, or wait`;
    this.name = "UnknownSharedUseError";
  }
}

/** Redis is set up so that the shared ledger could silently vanish (it evicts any key). */
export class RedisConfigError extends Error {
  /** Creates the error with what is wrong and what to set. */
  constructor(message: string) {
    super(message);
    this.name = "RedisConfigError";
  }
}

/**
 * Another replica's query for the same answer failed; its message is passed
 * on to the callers that waited for it (nothing was sent by this replica).
 */
export class SharedQueryError extends Error {
  /** The name of the error the other replica saw (`TelnetError`, …). */
  readonly originalName: string;

  /** Creates the error from the other replica's error name and message. */
  constructor(originalName: string, message: string) {
    super(message);
    this.name = "SharedQueryError";
    this.originalName = originalName;
  }
}

/** Waited too long for another replica's answer to the same question. Nothing was sent. */
export class SharedWaitTimeoutError extends Error {
  /** How long it waited. */
  readonly waitedMs: number;

  /** Creates the error. */
  constructor(waitedMs: number) {
    super(
      `Another replica has been asking the route server the same question for ` +
        `${(waitedMs / 1000).toFixed(0)} s and has not answered yet; this call stopped waiting ` +
        "and sent nothing. Try again in a moment",
    );
    this.name = "SharedWaitTimeoutError";
    this.waitedMs = waitedMs;
  }
}

function bytes(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} KB` : `${n} bytes`;
}
