/**
 * Every error class of the project, in one place. Each is the closest
 * built-in class (`RangeError` for a refused value, `SyntaxError` for text
 * that cannot be read) or a small domain subclass, and carries the data a
 * caller needs; its message says what happened and what to do, because tool
 * results show it to the user as is.
 *
 * Query errors say whether anything was sent in a field, `nothingSent`; the
 * ones raised before any byte left (a refused destination or filter, an
 * unusable server, a query a dialect cannot express, a busy pool) end their
 * message with one sentence, written once here: {@linkcode NOTHING_SENT}.
 *
 * No logging here: what a user reads for any failure, and the logging of
 * unexpected ones, is `service/describe_error.ts`.
 *
 * @module
 */

import { escaped } from "./_text.ts";

/** The sentence that ends the message of an error raised before anything was sent. */
export const NOTHING_SENT: string = "Nothing was sent to any server";

/** `message` ending with {@linkcode NOTHING_SENT}. */
function beforeSending(message: string): string {
  return `${message}. ${NOTHING_SENT}`;
}

/** Text after every destination error: what is accepted. */
export const ACCEPTED_DESTINATIONS: string =
  "Accepted: a global unicast IPv4 or IPv6 address (8.8.8.8, 2001:4860:4860::8888) or prefix " +
  "(8.8.8.0/24, 2001:4860::/32), IPv4 /8 to /32, IPv6 /16 to /128";

/** A destination that was refused before anything was sent to a server. */
export class InvalidDestinationError extends RangeError {
  /** The input as given (possibly truncated for display). */
  readonly input: string;
  /** What is wrong with it, alone (the message adds what is accepted). */
  readonly reason: string;
  /** Always true: a refused destination is never sent. */
  readonly nothingSent = true;

  /** Creates the error; `input` is the raw destination, `reason` what is wrong with it. */
  constructor(input: string, reason: string) {
    super(beforeSending(`${reason}. ${ACCEPTED_DESTINATIONS}`));
    this.name = "InvalidDestinationError";
    this.input = input;
    this.reason = reason;
  }
}

/** Text after every host-name refusal: what is accepted. */
export const ACCEPTED_HOSTS: string =
  "Accepted: a public host name (github.com) or a global unicast address or prefix";

/** A host name that is not one, or may not be resolved: refused before anything was sent. */
export class InvalidHostNameError extends RangeError {
  /** The input as given. */
  readonly input: string;
  /** Always true: nothing is resolved or sent for a refused name. */
  readonly nothingSent = true;

  /** Creates the error; `reason` says what is wrong. */
  constructor(input: string, reason: string) {
    super(beforeSending(`${reason}. ${ACCEPTED_HOSTS}`));
    this.name = "InvalidHostNameError";
    this.input = input;
  }
}

/** Why resolving a valid host name gave no usable address. */
export type ResolveFailure =
  | "not-found"
  | "timeout"
  | "permission"
  | "all-refused"
  | "failed"
  | "disabled";

/**
 * The sentence that ends a host-name failure: the DNS server may have been
 * asked, no route server was.
 */
export const NO_ROUTE_SERVER_ASKED: string = "No route server was asked";

/** An address a host name resolved to that is not a valid destination. */
export interface RefusedAddress {
  /** The address as the resolver gave it. */
  address: string;
  /** Why it was refused: the reason a typed address gets. */
  reason: string;
}

/** A host name that could not be resolved to any usable address. No route server was asked. */
export class HostResolutionError extends Error {
  /** The host name (ASCII, lower case). */
  readonly host: string;
  /** What went wrong. */
  readonly failure: ResolveFailure;
  /** Addresses the name resolved to that were refused, with the reasons. */
  readonly refused: readonly RefusedAddress[];
  /** Always true: no route server is asked about a name that did not resolve. */
  readonly nothingSent = true;

  /** Creates the error; the message ends with {@linkcode NO_ROUTE_SERVER_ASKED}. */
  constructor(
    host: string,
    failure: ResolveFailure,
    message: string,
    options: ErrorOptions & { refused?: RefusedAddress[] } = {},
  ) {
    super(`${message}. ${NO_ROUTE_SERVER_ASKED}`, options);
    this.name = "HostResolutionError";
    this.host = host;
    this.failure = failure;
    this.refused = options.refused ?? [];
  }
}

/** A server name that is not in the configuration, or not enabled, or not usable for a query. */
export class ServerSelectionError extends Error {
  /** The server name as given, if any. */
  readonly server: string | undefined;
  /** Always true: the server is chosen before anything is sent. */
  readonly nothingSent = true;

  /** Creates the error; `message` says why and which servers would do. */
  constructor(message: string, server?: string) {
    super(beforeSending(message));
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

/** Failures that happen before any command of the query is sent. */
const BEFORE_ANY_COMMAND: ReadonlySet<TelnetFailure> = new Set([
  "connect",
  "permission",
  "login-refused",
  "login-timeout",
]);

/** A failure talking to a route server (over any transport). Partial output is never attached. */
export class TelnetError extends Error {
  /** The server's configured name. */
  readonly server: string;
  /** What failed. */
  readonly failure: TelnetFailure;
  /** Whether it failed before any command of the query was sent (no connection, no login). */
  readonly nothingSent: boolean;

  /** Creates the error. */
  constructor(server: string, failure: TelnetFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TelnetError";
    this.server = server;
    this.failure = failure;
    this.nothingSent = BEFORE_ANY_COMMAND.has(failure);
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
  /** Always false: the command was sent, and refused. */
  readonly nothingSent = false;

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

/**
 * A query that cannot be asked: of any server (an `orlonger` over too wide a
 * prefix, a ping of a prefix), or of servers of one dialect (a longest match
 * for a prefix on FRR), named in `dialect`. Raised before anything is sent.
 */
export class UnsupportedQueryError extends Error {
  /** The dialect that cannot express it; absent when no server may be asked it. */
  readonly dialect: string | undefined;
  /** Always true: the query is refused before it is sent. */
  readonly nothingSent = true;

  /** Creates the error; the message says what to ask instead. */
  constructor(message: string, options: { dialect?: string } = {}) {
    super(beforeSending(message));
    this.name = "UnsupportedQueryError";
    this.dialect = options.dialect;
  }
}

/** A filter that was given but cannot be used. Raised before anything is sent. */
export class InvalidFilterError extends RangeError {
  /** The filter's name. */
  readonly filter: string;
  /** Always true: filters are checked before anything is sent. */
  readonly nothingSent = true;

  /** Creates the error. */
  constructor(filter: string, message: string) {
    super(beforeSending(message));
    this.name = "InvalidFilterError";
    this.filter = filter;
  }
}

/** Where in an answer a {@linkcode ParseError} is. */
export interface ParseErrorOptions extends ErrorOptions {
  /** The line that could not be read, 1 for the first line of the answer. */
  lineNumber?: number;
  /** That line as the server sent it (control characters escaped, at most 200 characters). */
  line?: string;
}

/** Router output that a parser could not make sense of. */
export class ParseError extends SyntaxError {
  /** The dialect whose parser failed. */
  readonly dialect: string;
  /** The line that could not be read (1-based), when the problem is one line of a text answer. */
  readonly lineNumber: number | undefined;
  /** That line as the server sent it (escaped, bounded), with {@linkcode ParseError.lineNumber}. */
  readonly line: string | undefined;
  /** Always false: the command was sent, and its answer could not be read. */
  readonly nothingSent = false;

  /** Creates the error; `options` says which line of the answer it is about. */
  constructor(dialect: string, message: string, options: ParseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ParseError";
    this.dialect = dialect;
    this.lineNumber = options.lineNumber;
    this.line = options.line === undefined ? undefined : escaped(options.line, 200);
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
  /** Always true: the budget is checked before connecting (its message begins by saying so). */
  readonly nothingSent = true;

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
  /** Always true: the booking comes before the connection (its message says so). */
  readonly nothingSent = true;

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

/**
 * The shared quota ledger file cannot be locked or written: nothing was
 * booked, nothing sent. Use made now would count for no other process sharing
 * the file and be forgotten at a restart, so none is made until it can be.
 */
export class LedgerUnavailableError extends Error {
  /** The ledger file. */
  readonly path: string;
  /** Why it cannot be used (the operating system's words). */
  readonly reason: string;
  /** Always true: the booking comes before the connection (its message says so). */
  readonly nothingSent = true;

  /** Creates the error. */
  constructor(path: string, reason: string) {
    super(
      `The quota ledger ${path} cannot be used: ${reason}; nothing was booked or sent, since ` +
        "use made now would count for no other process sharing the budget and be forgotten " +
        "at a restart. Let this process lock and write it (a regular file or none at " +
        `${path}.lock, write permission on its directory, free space), or start with ` +
        "--ledger memory for a budget of this process alone",
    );
    this.name = "LedgerUnavailableError";
    this.path = path;
    this.reason = reason;
  }
}

/** A query that waited too long for a free session with a busy server. Nothing was sent. */
export class PoolBusyError extends Error {
  /** The server's configured name. */
  readonly server: string;
  /** Always true: the query gave up waiting for a session. */
  readonly nothingSent = true;

  /** Creates the error. */
  constructor(server: string, waitedMs: number, limit: number) {
    super(
      beforeSending(
        `${server} is busy: ${limit} queries already in flight and this one waited ` +
          `${(waitedMs / 1000).toFixed(1)} s for a free session. ` +
          "Try again in a moment or use another server",
      ),
    );
    this.name = "PoolBusyError";
    this.server = server;
  }
}

/** The server list is missing, unreadable or invalid. */
export class ConfigError extends Error {
  /** The file's path. */
  readonly source: string;

  /** Creates the error. */
  constructor(source: string, message: string, options?: ErrorOptions) {
    // The path and the file's own values are user input: shown escaped, bounded.
    super(escaped(`${source}: ${message}`), options);
    this.name = "ConfigError";
    this.source = source;
  }
}

/** Longest dictionary key quoted in an error message. */
const MAX_QUOTED_KEY = 40;

/** A community dictionary file that is missing, unreadable or invalid; names the file and entry. */
export class CommunityDictionaryError extends SyntaxError {
  /** The file's path (or whatever name the caller gave `CommunityDictionary.parse`). */
  readonly source: string;
  /** Keys from the top of the file to the offending entry (`["3356", "500-499"]`); empty when
   * the problem is the file itself. */
  readonly entry: readonly string[];

  /** Creates the error; `problem` says what is wrong, in lower case, without a trailing period. */
  constructor(source: string, entry: readonly string[], problem: string, options?: ErrorOptions) {
    const where = entry.length === 0 ? "" : `, entry ${entry.map(quoteKey).join("")}`;
    // The path and the file's keys are user input: shown escaped, bounded.
    super(escaped(`Community dictionary ${source}${where}: ${problem}`), options);
    this.name = "CommunityDictionaryError";
    this.source = source;
    this.entry = Object.freeze([...entry]);
  }
}

/** `["3356"]`, shortened so a huge key cannot flood the message. */
function quoteKey(key: string): string {
  const shown = key.length > MAX_QUOTED_KEY ? `${key.slice(0, MAX_QUOTED_KEY)}…` : key;
  return `[${JSON.stringify(shown)}]`;
}

/** AS-names data that cannot be read as a distilled table. */
export class NamesDataError extends SyntaxError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "NamesDataError";
  }
}

/** Why the AS-names data could not be had. */
export type NamesUnavailableReason = "missing" | "damaged" | "unreadable" | "permission" | "off";

/** The AS-names data could not be loaded (or is turned off); nothing was looked up. */
export class NamesUnavailableError extends Error {
  /** What went wrong. */
  readonly reason: NamesUnavailableReason;
  /** The data file, when one was given with `--names-data`. */
  readonly file: string | undefined;

  /** Creates the error. */
  constructor(
    reason: NamesUnavailableReason,
    message: string,
    options: ErrorOptions & { file?: string } = {},
  ) {
    super(message, options);
    this.name = "NamesUnavailableError";
    this.reason = reason;
    this.file = options.file;
  }
}

/** Text appended to every AS-number error: what is accepted. */
export const ACCEPTED_ASNS: string =
  "Accepted: an AS number from 0 to 4294967295, as 3356, AS3356 or asdot 1.10; " +
  "to find an AS by name, search for a part of its name instead";

/** An AS number given by a user that is not one. Nothing was looked up. */
export class InvalidAsnError extends RangeError {
  /** The input as given (shortened for display). */
  readonly input: string;

  /** Creates the error; `reason` says what is wrong. */
  constructor(input: string, reason: string) {
    super(`${reason}. ${ACCEPTED_ASNS}`);
    this.name = "InvalidAsnError";
    this.input = input;
  }
}

/** A name search that cannot be run. Nothing was looked up. */
export class InvalidAsSearchError extends RangeError {
  /** Creates the error. */
  constructor(reason: string) {
    super(`${reason}. Search with 1 to 100 characters of an AS or organisation name (cogent)`);
    this.name = "InvalidAsSearchError";
  }
}

/** An AS-path pattern that is not valid; the message says what is wrong and what is allowed. */
export class AsPathPatternError extends SyntaxError {
  /** The pattern as given. */
  readonly pattern: string;

  /** Creates the error; `pattern` is the refused input, `message` what is wrong with it. */
  constructor(pattern: string, message: string) {
    super(message);
    this.name = "AsPathPatternError";
    this.pattern = pattern;
  }
}

/** Why a file given by the user was not read; `reason` is the words for a message. */
export class FileReadError extends Error {
  /** The path as given. */
  readonly path: string;
  /** What is wrong, in sentence case without a trailing period, e.g. `no such file`. */
  readonly reason: string;

  /** Creates the error for `path`; the message is `<path>: <reason>`. */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.name = "FileReadError";
    this.path = path;
    this.reason = reason;
  }
}

/** A command line that cannot be run: the CLI prints the message, then the usage (exit code 2). */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure the CLI reports in one line (no usage, no stack): exit code 1. */
export class CliError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
  }
}

// Team mode: shared state in Redis, per-user shares, the HTTP edge.

/**
 * The shared state in Redis cannot be used (unreachable, not answering, or
 * refusing writes): route-server queries are refused, nothing was sent.
 */
export class RedisUnavailableError extends Error {
  /** The Redis URL, without its password. */
  readonly url: string;
  /** What went wrong, in words. */
  readonly reason: string;

  /**
   * When it happened: `connect`, before a connection or a query (nothing was
   * sent); `session`, during a query on an open session (the query was
   * stopped and the session closed); `start`, while starting (the process stops).
   */
  readonly stage: "connect" | "session" | "start";

  /**
   * Creates the error; `reason` is what the client saw (`connection refused`, …).
   * The `stage` (default `connect`) decides what the message says happened.
   */
  constructor(
    url: string,
    reason: string,
    options?: ErrorOptions & { stage?: "connect" | "session" | "start" },
  ) {
    const stage = options?.stage ?? "connect";
    const retry = "Reconnecting with backoff; try again in a moment. Tools that need no route " +
      "server keep working";
    super(
      stage === "start"
        ? `Cannot start: the team's shared budget and cache in Redis (${url}) cannot be used ` +
          `(${reason}). Start Redis, or check --redis (host, port, password); nothing was ` +
          "sent to any route server"
        : stage === "session"
        ? `The team's shared budget and cache in Redis (${url}) cannot be used (${reason}): ` +
          "the query was stopped and its session with the route server closed, since without " +
          `Redis this replica cannot book what it sends and reads. ${retry}`
        : `Refused before connecting: the team's shared budget and cache in Redis (${url}) ` +
          `cannot be used (${reason}); no route server was contacted, because without Redis ` +
          `this replica cannot know what the rest of the team has used. ${retry}`,
      options,
    );
    this.stage = stage;
    this.name = "RedisUnavailableError";
    this.url = url;
    this.reason = reason;
  }
}

/** Redis answered with an error (a script error, WRONGTYPE, OOM …). */
export class RedisReplyError extends Error {
  /** Creates the error with Redis's own words. */
  constructor(message: string) {
    super(message);
    this.name = "RedisReplyError";
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
    const amount = (n: number) => kind === "connections" ? `${n} connections` : formatAmount(n);
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

/** A tokens file that cannot be used: which file, which line, what is wrong. */
export class TokenFileError extends Error {
  /** The file as given. */
  readonly path: string;
  /** The line (1-based), when the problem is on one. */
  readonly line: number | undefined;

  /** Creates the error. */
  constructor(path: string, reason: string, line?: number) {
    super(`Tokens file ${escaped(path)}${line === undefined ? "" : ` line ${line}`}: ${reason}`);
    this.name = "TokenFileError";
    this.path = path;
    this.line = line;
  }
}

/** Refused at start: listening beyond loopback without tokens would open the team's budget to anyone. */
export class BindRefusedError extends Error {
  /** The address that was asked for. */
  readonly hostname: string;

  /** Creates the error for `hostname`. */
  constructor(hostname: string) {
    super(
      `Refusing to listen on ${hostname} without tokens: anyone who can reach it could spend ` +
        "the team's route-server budget. Give --tokens FILE (one name:token per line), or " +
        "listen on a loopback address (127.0.0.1, ::1 or localhost)",
    );
    this.name = "BindRefusedError";
    this.hostname = hostname;
  }
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

/**
 * A JSON-RPC error answered to an MCP client with exactly its code and message
 * (a prompt's invalid argument, a resource not found). The SDK's `McpError`
 * puts `MCP error <code>: ` in front of its message and the SDK's client does
 * it again; this one leaves the prefix to the client.
 */
export class ProtocolError extends Error {
  /** The JSON-RPC error code (e.g. -32602, invalid params). */
  readonly code: number;
  /** Extra data for the client, sent as the error's `data`. */
  readonly data?: unknown;

  /** Creates the error. */
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}
