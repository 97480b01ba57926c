/**
 * The seam between the query engine and a transport: what a session with a
 * route server does (run one command at a time under a deadline and a byte
 * cap, close), and how one is opened. The session pool (`politeness/pool.ts`)
 * and the query engine (`service/run_plan.ts`) depend on this and nothing
 * else; telnet (`telnet/session.ts`) is the one transport today. Another one —
 * an HTTP looking glass, a BIRD control socket — implements {@linkcode Session}
 * and is passed as `openSession` where the edges open the looking glass
 * (`openLookingGlass` in `service/looking_glass.ts`).
 *
 * A transport keeps the politeness contract: every byte it reads or writes
 * goes through the {@linkcode ByteMeter} it is opened with (download reserved
 * before each read, never read past the reservation; upload booked before it
 * is sent), it says when a closed connection is really gone at the server
 * ({@linkcode Session.gone}, and `lingering` for a connection a failed open
 * leaves closing), and its failures are `TelnetError`s whose `failure` says what
 * went wrong (`connect` and `permission` when no connection was made, so the
 * booked connection is given back; `closed` when the server went away).
 *
 * @module
 */

import type { ServerConfig } from "./config/schema.ts";
import type { ByteMeter } from "./politeness/budget.ts";
import type { SoftwareSeen } from "./telnet/banner.ts";

/** Limits for one command. */
export interface CommandOptions {
  /** Deadline for the complete answer, pager pauses included. */
  timeoutMs: number;
  /** Most bytes accepted for the answer before the session is ended. */
  maxBytes: number;
  /** What the cap is, for the message (default `output cap`). */
  capReason?: string;
  /** Cancels the command (and ends the session). */
  signal?: AbortSignal;
}

/** An answer that may have been cut at its byte cap (see {@linkcode Session.commandUpTo}). */
export interface PartialAnswer {
  /** The output: complete, or up to the last whole line before the cap. */
  output: string;
  /** Whether the answer ended where the server ended it (false: cut at the cap, the session ended). */
  complete: boolean;
  /** Why it was cut, for the message. */
  cutReason?: string;
}

/** A logged-in session with one route server, running one command at a time. */
export interface Session {
  /** Whether the session has been closed (by us, by the server, or by a failure). */
  readonly closed: boolean;
  /**
   * Whether the server began answering the last command. A session that fails
   * before that was already dead when the command was sent: the pool retries
   * once, on a new session.
   */
  readonly answerStarted: boolean;
  /** Bytes received from the server so far. */
  readonly bytesReceived: number;
  /**
   * The router software the server's greeting showed, where the transport can
   * tell (`null`: the greeting said nothing either way).
   */
  readonly software?: SoftwareSeen | null;
  /**
   * Sends one command and returns its complete output.
   *
   * @throws {TelnetError} when the deadline or byte cap is hit or the server goes away;
   * the session is closed then
   */
  command(line: string, options: CommandOptions): Promise<string>;
  /**
   * Like {@linkcode Session.command}, but an answer that reaches its byte cap
   * is returned cut at its last whole line, `complete: false`, and the session
   * is ended.
   */
  commandUpTo(line: string, options: CommandOptions): Promise<PartialAnswer>;
  /** Sends a line without waiting for its answer (setup commands); the next command skips it. */
  typeAhead(line: string): Promise<void>;
  /** Says goodbye and closes; resolves when {@linkcode Session.gone} does (at most `waitMs`). */
  quit(options?: { waitMs?: number }): Promise<void>;
  /**
   * Ends the session: nothing more is sent and a command in flight ends at
   * once; the connection itself is let go as {@linkcode Session.gone} says.
   * Safe to call more than once.
   */
  close(): void;
  /**
   * Resolves once the connection is gone at the server too (it closed its
   * side after ours, or was cut off after a bounded wait): what a per-server
   * connection limit counts, so the pool gives a connection's permit back only
   * then. Pending until the session is closed.
   */
  readonly gone: Promise<void>;
}

/** What opening a session is given. */
export interface OpenSessionOptions {
  /** Cancels the connection and the login. */
  signal?: AbortSignal;
  /** Books every byte read and written against the server's quota. */
  meter: ByteMeter;
  /**
   * Takes the connection a failed open leaves closing: its promise resolves
   * once the connection is gone at the server (the pool holds its permit until
   * then). Without it, a failed open waits for that before it throws.
   */
  lingering?: (gone: Promise<void>) => void;
}

/**
 * Opens a logged-in session with a server (its connect and login deadlines
 * are the server's `limits`). The caller has booked the connection already.
 *
 * @throws {TelnetError} on refusal, timeout, a closed connection or a missing permission
 */
export type OpenSession = (server: ServerConfig, options: OpenSessionOptions) => Promise<Session>;
