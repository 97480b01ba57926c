/**
 * What a user reads for any failure, at every edge (a tool's `isError`
 * result, a CLI line, a server's line in `route_compare`): a domain error's
 * own message; an unreadable answer with the dialect and the line it is
 * about; a cancellation; or, logged to stderr with its stack, an unexpected
 * error.
 *
 * @module
 */

import {
  CommandRejectedError,
  HostResolutionError,
  InvalidAsnError,
  InvalidAsSearchError,
  InvalidDestinationError,
  InvalidFilterError,
  InvalidHostNameError,
  LedgerBusyError,
  LedgerUnavailableError,
  NamesUnavailableError,
  ParseError,
  PoolBusyError,
  QuotaExceededError,
  RedisUnavailableError,
  ServerSelectionError,
  SharedQueryError,
  SharedWaitTimeoutError,
  TelnetError,
  UnsupportedQueryError,
} from "../errors.ts";
import { log } from "../log.ts";

/** The message a user reads for `error`. */
export function describeError(error: unknown): string {
  if (
    error instanceof InvalidDestinationError || error instanceof ServerSelectionError ||
    error instanceof TelnetError || error instanceof CommandRejectedError ||
    error instanceof QuotaExceededError || error instanceof PoolBusyError ||
    error instanceof UnsupportedQueryError || error instanceof InvalidFilterError ||
    error instanceof LedgerBusyError || error instanceof LedgerUnavailableError ||
    error instanceof RedisUnavailableError || error instanceof SharedQueryError ||
    error instanceof SharedWaitTimeoutError ||
    error instanceof InvalidHostNameError || error instanceof HostResolutionError ||
    error instanceof InvalidAsnError || error instanceof InvalidAsSearchError ||
    error instanceof NamesUnavailableError
  ) {
    return error.message;
  }
  if (error instanceof ParseError) {
    const where = error.lineNumber === undefined ? "" : `, line ${error.lineNumber}`;
    return `Could not read the server's answer (${error.dialect}${where}): ${error.message}. ` +
      "The server may run a software version this tool does not know; try another server";
  }
  if ((error as Error)?.name === "AbortError") {
    return "The request was cancelled";
  }
  log("error", `unexpected failure: ${(error as Error)?.stack ?? error}`);
  return `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
}
