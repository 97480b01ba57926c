/**
 * Domain errors. Each carries the data a caller needs and a message that says
 * what happened and what to do, because tool results show it to the user as is.
 *
 * @module
 */

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
    super(`${server} rejected \`${command}\`: ${reply}. ${hint}`);
    this.name = "CommandRejectedError";
    this.server = server;
    this.command = command;
    this.reply = reply;
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
