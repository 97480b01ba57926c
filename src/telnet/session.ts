/**
 * One telnet session with a route server: connect, negotiate options, log in,
 * learn the prompt, run commands one at a time under a deadline and a byte
 * cap, and close. Every failure closes the connection; partial output is never
 * returned as an answer. Closing is polite (`hang_up.ts`): the session is
 * {@linkcode TelnetSession.gone} only once the server has closed its side.
 *
 * @module
 */

import type { ByteMeter } from "../politeness/budget.ts";
import type { CommandOptions, OpenSessionOptions, PartialAnswer, Session } from "../session.ts";
import {
  abortError,
  QuotaExceededError,
  RedisUnavailableError,
  TelnetError,
  type TelnetFailure,
} from "../errors.ts";
import { connectTcp } from "./connect.ts";
import { deadlineSignal } from "../_async.ts";
import { HANG_UP_WAIT_MS, hangUp } from "./hang_up.ts";
import { type Login, type LoginState, loginStep } from "./login.ts";
import { encodeLine, TelnetNegotiator } from "./negotiator.ts";
import { softwareFromGreeting, type SoftwareSeen } from "./banner.ts";
import {
  cleanAnswer,
  detectPrompt,
  endsWithPager,
  endsWithPrompt,
  endsWithRepeatedPrompt,
  hasContent,
  ReceivedText,
  stripNulCr,
} from "./screen.ts";

/** Where to connect and how to log in. */
export interface SessionTarget {
  /** Configured server name, used in messages. */
  name: string;
  /** Host name or IP literal, exactly as allowed by `--allow-net`. */
  host: string;
  /** TCP port. */
  port: number;
  /** Login flow. */
  login: Login;
}

/** Options for {@linkcode TelnetSession.open}. */
export interface OpenOptions {
  /** Time allowed for the TCP connection. */
  connectTimeoutMs: number;
  /** Time allowed from connection to the first prompt (banner, login). */
  loginTimeoutMs: number;
  /** Cancels the whole session. */
  signal?: AbortSignal;
  /** Reserves download and books upload before every read and write (the quota ledger). */
  meter?: ByteMeter;
  /**
   * Takes the connection a failed open leaves closing (its promise resolves
   * once it is gone at the server), so that the failure is thrown at once;
   * without it, a failed open waits for that itself.
   */
  lingering?: (gone: Promise<void>) => void;
}

/** A step run under {@linkcode TelnetSession}'s guard: its deadline and what missing it means. */
interface Guard {
  /** The deadline. */
  timeoutMs: number;
  /** The failure when the deadline passes. */
  failure: TelnetFailure;
  /** The message then. */
  message: string;
  /** Cancels the step. */
  signal?: AbortSignal;
}

const READ_BUFFER_SIZE = 16 * 1024;
const MAX_PAGER_KEYS = 10_000;
/** Banners are a few KiB; more than this before the first prompt is not a router greeting. */
const MAX_LOGIN_BYTES = 256 * 1024;
/** The greeting kept for telling the software: its motd and version lines are near the top. */
const MAX_GREETING_CHARS = 8192;
/** What a read or write in flight resolves to when the session is closed under it. */
const STOPPED = Symbol("stopped");

/**
 * A logged-in telnet session. Use {@linkcode TelnetSession.open} (or
 * {@linkcode openTelnetSession}, the pool's opener); close it with
 * {@linkcode TelnetSession.close} and wait for {@linkcode TelnetSession.gone}
 * where a connection limit counts (or `using`, which closes at once).
 */
export class TelnetSession implements Session, Disposable {
  readonly #target: SessionTarget;
  readonly #conn: Deno.TcpConn;
  readonly #negotiator = new TelnetNegotiator();
  readonly #decoder = new TextDecoder();
  readonly #buffer = new Uint8Array(READ_BUFFER_SIZE);
  readonly #received = new ReceivedText();
  readonly #meter: ByteMeter | undefined;
  #prompt = "";
  #greeting = "";
  #software: SoftwareSeen | null = null;
  #closed = false;
  #busy = false;
  #answerStarted = false;
  #failure: Error | null = null;
  /** Guarded steps running (a read or write of theirs may be in flight). */
  #active = 0;
  /** The server closed its side, the connection broke, or it was cut off: nothing to wait for. */
  #eof = false;
  /** A read left in flight by a step that the close ended (the hang-up books its result). */
  #inFlight: Promise<number | null> | null = null;
  #hangUpStarted = false;
  #hangUpWaitMs = HANG_UP_WAIT_MS;
  readonly #stop = Promise.withResolvers<typeof STOPPED>();
  readonly #gone = Promise.withResolvers<void>();
  #bytesReceived = 0;
  #bytesSent = 0;

  private constructor(target: SessionTarget, conn: Deno.TcpConn, meter?: ByteMeter) {
    this.#target = target;
    this.#conn = conn;
    this.#meter = meter;
  }

  /**
   * Connects, logs in and learns the prompt.
   *
   * @throws {TelnetError} on refusal, timeout, a closed connection or a missing permission
   */
  static async open(target: SessionTarget, options: OpenOptions): Promise<TelnetSession> {
    const conn = await connectTcp(target, options);
    const session = new TelnetSession(target, conn, options.meter);
    try {
      // Pager keys and command lines are tiny writes that must not wait for Nagle.
      conn.setNoDelay(true);
      await session.#guard({
        timeoutMs: options.loginTimeoutMs,
        failure: "login-timeout",
        message: `${target.name} (${target.host}:${target.port}) did not show a prompt within ` +
          `${seconds(options.loginTimeoutMs)}; the server may be overloaded or not a router CLI. ` +
          "Try again later or pick another server",
        signal: options.signal,
      }, () => session.#login());
      return session;
    } catch (error) {
      // The caller's permit covers the connection until the server has let go of it.
      session.close();
      if (options.lingering) options.lingering(session.gone);
      else await session.gone;
      throw error;
    }
  }

  /**
   * The router software the greeting showed (FRR, Quagga, Zebra, IOS, Junos), or
   * `null` when it said nothing either way.
   */
  get software(): SoftwareSeen | null {
    return this.#software;
  }

  /** The prompt learned after login, without trailing spaces, e.g. `route-views>`. */
  get prompt(): string {
    return this.#prompt;
  }

  /** Whether the session has been closed (by us or by a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Resolves once the connection is gone at both ends — the server closed its
   * side after ours, or did not within {@linkcode HANG_UP_WAIT_MS} and was cut
   * off — which is what a per-server connection limit counts. Pending until
   * the session is closed.
   */
  get gone(): Promise<void> {
    return this.#gone.promise;
  }

  /**
   * Whether the server began answering the last command (its echo, or output
   * from a server that does not echo). A session that fails before that was
   * already dead when the command was sent.
   */
  get answerStarted(): boolean {
    return this.#answerStarted;
  }

  /** Bytes received from the server so far. */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Bytes sent to the server so far. */
  get bytesSent(): number {
    return this.#bytesSent;
  }

  /**
   * Sends one command and returns its output: the text between the echoed
   * command line and the next prompt. An empty line is typed right after the
   * command (same write): the server answers it with a second prompt, and only
   * the prompt twice ends the answer, so a prompt-like line inside the answer
   * or a pause at a read boundary never cuts it short. Pager pauses are
   * continued with a space; a pager may eat the empty line as its key, so
   * after a paged answer that ends in one prompt the empty line is typed again.
   *
   * @throws {TelnetError} when the deadline or byte cap is hit or the server goes away;
   * the session is closed in that case
   */
  async command(line: string, options: CommandOptions): Promise<string> {
    if (this.#closed) {
      throw this.#error("closed", `The session with ${this.#target.name} is already closed`);
    }
    if (this.#busy) throw new Error("TelnetSession runs one command at a time");
    this.#busy = true;
    try {
      return (await this.#command(line, options, false)).output;
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Like {@linkcode TelnetSession.command}, but an answer that reaches its byte
   * cap (`maxBytes`, or the download budget) is returned cut at its last whole
   * line, with `complete: false`, instead of failing; the session is ended then.
   * For answers that can be read in part (a BGP table, row by row).
   *
   * @throws {TelnetError} when the deadline is hit or the server goes away
   */
  async commandUpTo(line: string, options: CommandOptions): Promise<PartialAnswer> {
    if (this.#closed) {
      throw this.#error("closed", `The session with ${this.#target.name} is already closed`);
    }
    if (this.#busy) throw new Error("TelnetSession runs one command at a time");
    this.#busy = true;
    try {
      return await this.#command(line, options, true);
    } finally {
      this.#busy = false;
    }
  }

  async #command(line: string, options: CommandOptions, partial: boolean): Promise<PartialAnswer> {
    const sentinel = encodeLine("");
    const command = encodeLine(line);
    const encoded = new Uint8Array(command.length + sentinel.length);
    encoded.set(command);
    encoded.set(sentinel, command.length);
    return await this.#guard(
      {
        timeoutMs: options.timeoutMs,
        failure: "timeout",
        message: `${this.#target.name} did not finish answering \`${line}\` within ` +
          `${seconds(options.timeoutMs)}; no partial output is shown. ` +
          "Try again later, a more specific prefix, or another server",
        signal: options.signal,
      },
      async () => {
        // Anything still unread (an old Quagga's extra prompt, late echo) belongs to no command.
        this.#received.clear();
        await this.#write(encoded);
        const start = this.#bytesReceived;
        let pagerKeys = 0;
        let keyAt = -1;
        let sentinelRetyped = false;
        // The answer starts after the echo of the command (servers that echo) or with some
        // output (servers that do not): a prompt before that (an old Quagga's late extra
        // prompt, idle chatter) ends nothing.
        const echoes = this.#negotiator.serverEchoes;
        let answered = false;
        this.#answerStarted = false;
        let carry = "";
        const cut = (why: string): PartialAnswer => {
          this.#cutOff();
          if (partial) {
            const raw = this.#received.text();
            const whole = raw.slice(0, raw.lastIndexOf("\n") + 1);
            this.#received.clear();
            return {
              output: cleanAnswer(whole, line, this.#prompt),
              complete: false,
              cutReason: why,
            };
          }
          throw this.#error(
            "output-limit",
            `The answer from ${this.#target.name} to \`${line}\` exceeded the ${why}; the ` +
              "session was ended and no partial output is shown. Ask for a more specific prefix",
          );
        };
        while (true) {
          // Never read past the cap by more than one byte: the byte that proves it was crossed.
          const room = options.maxBytes - (this.#bytesReceived - start) + 1;
          let fresh: string;
          try {
            fresh = await this.#read(room);
          } catch (error) {
            if (error instanceof QuotaExceededError && error.kind === "bytesDown") {
              return cut("download budget left for today");
            }
            throw error;
          }
          if (this.#bytesReceived - start > options.maxBytes) {
            return cut(
              `${formatBytes(options.maxBytes)} ${options.capReason ?? "output cap"}`,
            );
          }
          if (fresh === "") continue; // only telnet commands: nothing new to look at
          if (!answered) {
            if (echoes) {
              const probe = stripNulCr(carry + fresh);
              answered = probe.includes(line);
              carry = probe.slice(-line.length);
            } else {
              answered = hasContent(fresh, this.#prompt);
            }
          }
          this.#answerStarted = answered;
          const tail = this.#received.tail;
          if (answered && endsWithRepeatedPrompt(tail, this.#prompt)) break;
          if (answered && pagerKeys > 0 && !sentinelRetyped && endsWithPrompt(tail, this.#prompt)) {
            // The pager may have taken the typed-ahead empty line as its key (IOS: one more line).
            sentinelRetyped = true;
            await this.#write(sentinel);
          }
          // One key per pause: only a marker that arrived after the last key asks for another.
          if (endsWithPager(tail) && this.#received.markerAfter(keyAt)) {
            if (++pagerKeys > MAX_PAGER_KEYS) {
              this.#cutOff();
              throw this.#error(
                "output-limit",
                `${this.#target.name} paged more than ${MAX_PAGER_KEYS} times`,
              );
            }
            // Space continues; `q` would truncate the answer.
            keyAt = this.#received.length;
            await this.#write(new Uint8Array([0x20]));
          }
        }
        const answer = cleanAnswer(this.#received.text(), line, this.#prompt);
        this.#received.clear();
        return { output: answer, complete: true };
      },
    );
  }

  /**
   * Types a line without waiting for its answer (type-ahead). The next
   * {@linkcode TelnetSession.command} skips that answer: an answer only starts
   * after the echo of its own command. Saves a round trip for setup commands.
   *
   * @throws {TelnetError} when the connection is gone
   */
  async typeAhead(line: string): Promise<void> {
    if (this.#closed) {
      throw this.#error("closed", `The session with ${this.#target.name} is already closed`);
    }
    await this.#write(encodeLine(line));
  }

  /**
   * Says goodbye (`exit`), closes, and resolves once the connection is
   * {@linkcode TelnetSession.gone}: the server hung up, or `waitMs` passed
   * (default {@linkcode HANG_UP_WAIT_MS}) and it was cut off.
   */
  async quit(options: { waitMs?: number } = {}): Promise<void> {
    const waitMs = options.waitMs ?? HANG_UP_WAIT_MS;
    if (!this.#closed) {
      try {
        await this.#guard(
          { timeoutMs: waitMs, failure: "timeout", message: "" },
          () => this.#write(encodeLine("exit")),
        );
      } catch {
        // The server is gone (or not reading): closing is all that matters.
      }
      this.#hangUpWaitMs = waitMs;
      this.close();
    }
    await this.gone;
  }

  /**
   * Ends the session: nothing more is sent, our side of the connection is
   * closed at once (a read or write in flight ends), and the socket once the
   * server has closed its side too (see {@linkcode TelnetSession.gone}). Safe
   * to call more than once.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.resolve(STOPPED);
    // A step still running hands over to the hang-up when it ends (its finally).
    if (this.#active === 0) this.#hangUp();
  }

  /** Closes at once, without waiting for the server (for `using` in short scripts and tests). */
  [Symbol.dispose](): void {
    this.#closed = true;
    this.#hangUpStarted = true;
    this.#stop.resolve(STOPPED);
    this.#destroy();
  }

  /**
   * Closes a session whose server is still sending what will not be read (a
   * byte cap or the budget was reached): reset at once, nothing more is read.
   */
  #cutOff(): void {
    this.#eof = true;
    this.close();
  }

  /** Closes the socket now; a hang-up in progress ends with it. */
  #destroy(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer, the runtime or the hang-up.
    }
    this.#gone.resolve();
  }

  /** Once closed and no step runs: our side first, the socket once the server let go. */
  #hangUp(): void {
    if (this.#hangUpStarted) return;
    this.#hangUpStarted = true;
    if (this.#eof) {
      this.#destroy();
      return;
    }
    hangUp(this.#conn, {
      waitMs: this.#hangUpWaitMs,
      meter: this.#meter,
      inFlight: this.#inFlight ?? undefined,
      buffer: this.#buffer,
    }).finally(() => this.#destroy());
  }

  async #login(): Promise<void> {
    const login = this.#target.login;
    let state: LoginState = { usernameSent: false, passwordSent: false };
    while (true) {
      let fresh: string;
      try {
        fresh = await this.#read(MAX_LOGIN_BYTES - this.#bytesReceived + 1);
      } catch (error) {
        if (error instanceof QuotaExceededError && error.kind === "bytesDown") {
          this.#cutOff();
          throw this.#error(
            "output-limit",
            `The download budget for ${this.#target.name} ran out during the login; the ` +
              "session was ended. Wait until budget frees up (list_servers shows it) or use " +
              "another server",
          );
        }
        throw error;
      }
      if (this.#bytesReceived > MAX_LOGIN_BYTES) {
        this.#cutOff();
        throw this.#error(
          "output-limit",
          `${this.#target.name} sent more than ${formatBytes(MAX_LOGIN_BYTES)} without showing a ` +
            "prompt; it does not look like a router CLI. Check its host and port in servers.json",
        );
      }
      if (fresh === "") continue;
      if (this.#greeting.length < MAX_GREETING_CHARS) {
        this.#greeting = (this.#greeting + fresh).slice(0, MAX_GREETING_CHARS);
      }
      const step = loginStep(this.#received.tail, state, login);
      if (step.action === "done") {
        this.#prompt = step.prompt;
        const shown = detectPrompt(this.#received.tail) ?? step.prompt;
        this.#software = softwareFromGreeting(this.#greeting, shown);
        this.#received.clear();
        return;
      }
      if (step.action === "refuse") throw this.#refused(step.reason);
      if (step.action === "send") {
        state = step.state;
        this.#received.clear();
        await this.#write(encodeLine(step.line));
      }
    }
  }

  /**
   * Reads one chunk of at most `limit` bytes (and no more than the download
   * budget allows), answers telnet options, appends the data; returns the new text.
   */
  async #read(limit: number = READ_BUFFER_SIZE): Promise<string> {
    let room = Math.max(1, Math.min(READ_BUFFER_SIZE, limit));
    if (this.#meter) room = await this.#meter.allowDown(room);
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw this.#stopped();
    let count: number | null;
    try {
      const read = this.#conn.read(this.#buffer.subarray(0, room));
      const first = await Promise.race([read, this.#stop.promise]);
      if (first === STOPPED) {
        // Closed under the read: it stays in flight, and the hang-up books what it brings.
        this.#inFlight = read;
        throw this.#failure ?? this.#stopped();
      }
      count = first;
    } catch (error) {
      if (this.#inFlight) throw error;
      this.#eof = true;
      throw this.#failure ?? this.#lost(error);
    }
    if (count !== null) this.#meter?.received(count);
    else this.#eof = true;
    if (this.#failure) throw this.#failure;
    if (count === null) {
      this.close();
      throw this.#error(
        "closed",
        `${this.#target.name} closed the connection${this.#prompt ? "" : " during login"}. ` +
          "It may be rate-limiting or down; try again later or pick another server",
      );
    }
    this.#bytesReceived += count;
    const { data, replies } = this.#negotiator.push(this.#buffer.subarray(0, count));
    if (replies.length > 0) await this.#write(replies);
    const text = data.length > 0 ? this.#decoder.decode(data, { stream: true }) : "";
    this.#received.append(text);
    return text;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    try {
      await this.#meter?.sending(bytes.length);
    } catch (error) {
      this.close();
      // The team's ledger in Redis away: its own message (the query stopped, the session closed).
      if (error instanceof RedisUnavailableError) throw error;
      throw this.#error(
        "output-limit",
        `${
          (error as Error).message.replace(/^Refused before connecting: t/, "T")
        }; the session was ended`,
      );
    }
    let offset = 0;
    try {
      while (offset < bytes.length) {
        if (this.#closed) throw this.#stopped();
        const write = this.#conn.write(bytes.subarray(offset));
        const written = await Promise.race([write, this.#stop.promise]);
        if (written === STOPPED) {
          // Closed under the write: it ends when the socket does.
          write.catch(() => {});
          throw this.#stopped();
        }
        offset += written;
      }
    } catch (error) {
      if (this.#closed) throw this.#failure ?? error;
      this.#eof = true;
      throw this.#failure ?? this.#lost(error);
    }
    this.#bytesSent += bytes.length;
  }

  #stopped(): Error {
    return this.#failure ??
      this.#error("closed", `The session with ${this.#target.name} was closed`);
  }

  /**
   * Runs `work` under a deadline and an optional abort signal. Either one
   * records the failure and closes the session, which ends the step at once
   * (a read in flight is left to the hang-up).
   */
  async #guard<T>(guard: Guard, work: () => Promise<T>): Promise<T> {
    const { signal } = guard;
    if (signal?.aborted) {
      this.close();
      throw abortError(signal);
    }
    this.#active++;
    using deadline = deadlineSignal(guard.timeoutMs, {
      signal,
      reason: () => this.#error(guard.failure, guard.message),
    });
    const onAbort = () => {
      if (this.#failure) return;
      this.#failure = deadline.expired ? deadline.signal.reason as Error : abortError(signal!);
      this.close();
    };
    deadline.signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      this.close();
      throw this.#failure ?? error;
    } finally {
      deadline.signal.removeEventListener("abort", onAbort);
      // What was reserved for this step and not received goes back to the budget (unless a
      // read is still in flight on it: the hang-up settles after booking that read).
      if (!this.#inFlight) this.#meter?.settle();
      this.#active--;
      if (this.#closed && this.#active === 0) this.#hangUp();
    }
  }

  #refused(why: string): TelnetError {
    this.close();
    return this.#error(
      "login-refused",
      `${this.#target.name} refused the login: ${why}. Check the server's login settings in servers.json`,
    );
  }

  #lost(error: unknown): TelnetError {
    this.close();
    return this.#error(
      "closed",
      `The connection to ${this.#target.name} was lost: ${(error as Error)?.message ?? error}. ` +
        "Try again later or pick another server",
    );
  }

  #error(failure: TelnetFailure, message: string): TelnetError {
    return new TelnetError(this.#target.name, failure, message);
  }
}

/**
 * Opens a telnet session with a server, within its `connectTimeoutMs` and
 * `loginTimeoutMs`: the transport the session pool uses unless told otherwise.
 *
 * @throws {TelnetError} on refusal, timeout, a closed connection or a missing permission
 */
export function openTelnetSession(
  server: SessionTarget & { limits: { connectTimeoutMs: number; loginTimeoutMs: number } },
  options: OpenSessionOptions,
): Promise<TelnetSession> {
  return TelnetSession.open(server, {
    connectTimeoutMs: server.limits.connectTimeoutMs,
    loginTimeoutMs: server.limits.loginTimeoutMs,
    signal: options.signal,
    meter: options.meter,
    lingering: options.lingering,
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
