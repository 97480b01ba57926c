/**
 * Domain errors. Each carries the data a caller needs and a message that says
 * what happened and what to do, because tool results show it to the user as is.
 *
 * @module
 */

import { log } from "./log.ts";

/** A destination that was refused before anything was sent to a server. */
export class InvalidDestinationError extends RangeError {
  /** The input as given (possibly truncated for display). */
  readonly input: string;

  /** Creates the error; `input` is the raw destination, `reason` what is wrong with it. */
  constructor(input: string, reason: string) {
    super(`${reason}. ${ACCEPTED_DESTINATIONS}`);
    this.name = "InvalidDestinationError";
    this.input = input;
  }
}

/** Text appended to every destination error: what is accepted. */
export const ACCEPTED_DESTINATIONS =
  "Accepted: a global unicast IPv4 or IPv6 address (8.8.8.8, 2001:4860:4860::8888) or prefix " +
  "(8.8.8.0/24, 2001:4860::/32), IPv4 /8 to /32, IPv6 /16 to /128. Nothing was sent to any server";

/** A server name that is not in the configuration, or not enabled, or not usable for a query. */
export class ServerSelectionError extends Error {
  /** The server name as given, if any. */
  readonly server: string | undefined;

  /** Creates the error. */
  constructor(message: string, server?: string) {
    super(message);
    this.name = "ServerSelectionError";
    this.server = server;
  }
}

/** Which limit or step a {@linkcode TelnetError} is about. */
export type TelnetFailure =
  | "connect"
  | "login-refused"
  | "login-timeout"
  | "closed"
  | "timeout"
  | "output-limit"
  | "permission";

/** A failure talking to a route server. Partial output is never attached. */
export class TelnetError extends Error {
  /** The server's configured name. */
  readonly server: string;
  /** What failed. */
  readonly failure: TelnetFailure;

  /** Creates the error. */
  constructor(server: string, failure: TelnetFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TelnetError";
    this.server = server;
    this.failure = failure;
  }
}

/** The server answered a command with an error message (`% Invalid input …`). */
export class CommandRejectedError extends Error {
  /** The server's configured name. */
  readonly server: string;
  /** The command that was refused. */
  readonly command: string;
  /** The server's own words. */
  readonly reply: string;

  /** Creates the error; `hint` says what the user can do. */
  constructor(server: string, command: string, reply: string, hint: string) {
    super(`${server} rejected \`${command}\`: ${sentence(reply)} ${hint}`);
    this.name = "CommandRejectedError";
    this.server = server;
    this.command = command;
    this.reply = reply;
  }
}

/** `text` ending with one full stop (or its own `!` or `?`), however the router ended it. */
function sentence(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "." || text[end - 1].trim() === "")) end--;
  if (end === 0) return "(no reason given).";
  const last = text[end - 1];
  return last === "!" || last === "?" ? text.slice(0, end) : `${text.slice(0, end)}.`;
}

/** A query a dialect cannot express (e.g. a longest match for a prefix on FRR). Nothing was sent. */
export class UnsupportedQueryError extends Error {
  /** The dialect that cannot do it. */
  readonly dialect: string;

  /** Creates the error; the message says what to ask instead. */
  constructor(dialect: string, message: string) {
    super(message);
    this.name = "UnsupportedQueryError";
    this.dialect = dialect;
  }
}

/** A filter that was given but cannot be used. Nothing was sent. */
export class InvalidFilterError extends RangeError {
  /** The filter's name. */
  readonly filter: string;

  /** Creates the error. */
  constructor(filter: string, message: string) {
    super(`${message}. Nothing was sent to any server`);
    this.name = "InvalidFilterError";
    this.filter = filter;
  }
}

/** Router output that a parser could not make sense of. */
export class ParseError extends SyntaxError {
  /** The dialect whose parser failed. */
  readonly dialect: string;

  /** Creates the error. */
  constructor(dialect: string, message: string) {
    super(message);
    this.name = "ParseError";
    this.dialect = dialect;
  }
}

/** Which allowance a quota refusal is about. */
export type QuotaKind = "connections" | "bytesDown" | "bytesUp";

/** A query refused because it would exceed a server's quota. Nothing was sent. */
export class QuotaExceededError extends Error {
  /** The server's configured name. */
  readonly server: string;
  /** The allowance that is used up. */
  readonly kind: QuotaKind;
  /** Current use. */
  readonly used: number;
  /** The limit. */
  readonly limit: number;
  /** When enough of the window has slid by for the query to be allowed. */
  readonly freesAt: Date;
  /** Set when the use is unknown (an unreadable quota ledger): since when it counts as spent. */
  readonly unknownSince: Date | undefined;

  /** Creates the error; `options.unknownSince` says the use is unknown rather than spent. */
  constructor(
    server: string,
    kind: QuotaKind,
    used: number,
    limit: number,
    freesAt: Date,
    windowMs: number,
    options: { unknownSince?: Date } = {},
  ) {
    const what = kind === "connections"
      ? `${used} of ${limit} connections`
      : `${formatAmount(used)} of ${formatAmount(limit)} ${
        kind === "bytesDown" ? "downloaded" : "uploaded"
      }`;
    const hours = windowMs / 3_600_000;
    super(
      options.unknownSince
        ? `Refused before connecting: the ${QUOTA_LABEL[kind]} use for ${server} is unknown ` +
          `since ${options.unknownSince.toISOString()} (the quota ledger could not be read then; ` +
          "the unreadable file was kept aside), so it counts as the whole budget until it leaves " +
          `the ${hours} h window. Budget frees up at ${freesAt.toISOString()}. ` +
          "Use a cached answer, another server, or wait"
        : `Refused before connecting: the ${QUOTA_LABEL[kind]} budget for ${server} is used up ` +
          `(${what} in the last ${hours} h). Budget frees up at ${freesAt.toISOString()}. ` +
          "Use a cached answer, another server, or wait",
    );
    this.name = "QuotaExceededError";
    this.server = server;
    this.kind = kind;
    this.used = used;
    this.limit = limit;
    this.freesAt = freesAt;
    this.unknownSince = options.unknownSince;
  }
}

const QUOTA_LABEL: Record<QuotaKind, string> = {
  connections: "connection",
  bytesDown: "download",
  bytesUp: "upload",
};

function formatAmount(bytes: number): string {
  return bytes >= 10_000 ? `${(bytes / 1000).toFixed(1)} KB` : `${bytes} bytes`;
}

/** The quota ledger's lock stayed taken by another process: nothing was booked, nothing sent. */
export class LedgerBusyError extends Error {
  /** The lock file. */
  readonly lockPath: string;

  /** Creates the error. */
  constructor(lockPath: string, waitedMs: number) {
    super(
      `The quota ledger is locked by another process (${lockPath}, waited ` +
        `${(waitedMs / 1000).toFixed(1)} s); nothing was booked or sent. Try again in a moment`,
    );
    this.name = "LedgerBusyError";
    this.lockPath = lockPath;
  }
}

/** A query that waited too long for a free session with a busy server. Nothing was sent. */
export class PoolBusyError extends Error {
  /** The server's configured name. */
  readonly server: string;

  /** Creates the error. */
  constructor(server: string, waitedMs: number, limit: number) {
    super(
      `${server} is busy: ${limit} queries already in flight and this one waited ` +
        `${
          (waitedMs / 1000).toFixed(1)
        } s for a free session. Try again in a moment or use another server`,
    );
    this.name = "PoolBusyError";
    this.server = server;
  }
}

/**
 * The message a user reads for any failure: a domain error's own message, a
 * cancellation, or (logged to stderr with its stack) an unexpected error.
 */
export function describeError(error: unknown): string {
  if (
    error instanceof InvalidDestinationError || error instanceof ServerSelectionError ||
    error instanceof TelnetError || error instanceof CommandRejectedError ||
    error instanceof QuotaExceededError || error instanceof PoolBusyError ||
    error instanceof UnsupportedQueryError || error instanceof InvalidFilterError ||
    error instanceof LedgerBusyError
  ) {
    return error.message;
  }
  if (error instanceof ParseError) {
    return `Could not read the server's answer (${error.dialect}): ${error.message}. ` +
      "The server may run a software version this tool does not know; try another server";
  }
  if ((error as Error)?.name === "AbortError") {
    return "The request was cancelled";
  }
  log("error", `unexpected failure: ${(error as Error)?.stack ?? error}`);
  return `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * The error for an aborted signal: its reason when that is an Error, otherwise
 * an `AbortError` (MCP clients cancel with a plain string reason).
 */
export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const detail = typeof reason === "string" && reason !== "" ? `: ${reason}` : "";
  return new DOMException(`The request was cancelled${detail}`, "AbortError");
}
