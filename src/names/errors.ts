/**
 * Errors of the AS-names lookups. Each message says what happened and what to
 * do, because tool results show it to the user as is.
 *
 * @module
 */

/** AS-names data that cannot be read as a distilled table. */
export class NamesDataError extends SyntaxError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "NamesDataError";
  }
}

/** Why the AS-names data could not be had. */
export type NamesUnavailableReason = "missing" | "damaged" | "unreadable" | "permission";

/** The AS-names data could not be loaded; nothing was looked up. */
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

/** Text appended to every AS-number error: what is accepted. */
export const ACCEPTED_ASNS =
  "Accepted: an AS number from 0 to 4294967295, as 3356, AS3356 or asdot 1.10; " +
  "to find an AS by name, search for a part of its name instead";

/** A name search that cannot be run. Nothing was looked up. */
export class InvalidAsSearchError extends RangeError {
  /** Creates the error. */
  constructor(reason: string) {
    super(`${reason}. Search with 1 to 100 characters of an AS or organisation name (cogent)`);
    this.name = "InvalidAsSearchError";
  }
}
