/**
 * The query engine: runs a dialect's plan (its steps, best first) on a pooled
 * session with one server, within the server's deadline for the whole query
 * and this query's share of the download budget, and returns the first answer
 * the server accepts, parsed. Knows nothing of any one tool.
 *
 * @module
 */

import type { ServerConfig } from "../config/schema.ts";
import { commandRefusal, type QueryStep, type SizeEstimate } from "../dialects/mod.ts";
import { CommandRejectedError, ParseError, TelnetError, type TelnetFailure } from "../errors.ts";
import { log } from "../log.ts";
import type { SessionPool } from "../politeness/pool.ts";
import type { Session } from "../session.ts";
import { deadlineSignal } from "../_async.ts";
import { engineOf, type LookingGlass } from "./looking_glass.ts";

/** A parsed answer with the command that produced it (what the cache holds). */
export interface PlanAnswer<T> {
  /** The parsed answer. */
  parsed: T;
  /** The command whose answer it is. */
  command: string;
  /** Fallbacks taken on the way. */
  notes: string[];
  /** Set when the answer was cut at its byte cap and only its complete part was read. */
  truncated?: boolean;
}

/** Options for {@linkcode runPlan}. */
export interface RunPlanOptions<T> {
  /** The dialect's steps, best first: later ones are tried when the server refuses earlier ones. */
  steps: QueryStep<T>[];
  /** Cancels the query; the session is closed at once. */
  signal: AbortSignal;
  /** The pool to take a session from (default: the looking glass's query pool). */
  pool?: SessionPool;
  /** A count asked first: when it says the answer will not fit in its cap, nothing more is sent. */
  estimate?: SizeEstimate;
  /** Share of the download budget left that this query may spend (default: all of it). */
  budgetShare?: number;
}

/**
 * Closes a session whose answer could not be read before the error goes up:
 * what else is on its way from that server (the rest of an answer cut short,
 * for instance) is unknown, so the session is not reused.
 */
function unusable(session: Session, error: ParseError): ParseError {
  session.close();
  return error;
}

/**
 * Runs the steps on a pooled session until one is accepted, within the
 * server's deadline for the whole query. Paging was turned off when the
 * session was opened. Later steps are tried when the server refuses earlier
 * ones. One query never downloads more than its share of the budget left:
 * with an estimate, a query whose answer would not fit is refused before it is
 * sent; a step that can read a cut answer returns its complete part, marked
 * `truncated`.
 */
export async function runPlan<T>(
  lg: LookingGlass,
  server: ServerConfig,
  options: RunPlanOptions<T>,
): Promise<PlanAnswer<T>> {
  const { steps, signal, pool = engineOf(lg).pool } = options;
  const { limits } = server;
  using deadline = deadlineSignal(limits.queryTimeoutMs, {
    signal,
    reason: () =>
      new TelnetError(
        server.name,
        "timeout",
        `${server.name} did not answer within ${limits.queryTimeoutMs / 1000} s (waiting for a ` +
          "session, connecting, logging in and asking together); no partial output is shown. " +
          "Try again later or another server",
      ),
  });
  const querySignal = deadline.signal;
  const share = Math.min(1, Math.max(0, options.budgetShare ?? 1));
  // A json answer over its cap ends its session: the steps then go on from the next one, on a
  // new session, with what was noted so far.
  let from = 0;
  const carried: string[] = [];
  while (true) {
    let answer: PlanAnswer<T> | number;
    try {
      answer = await runOnSession(from);
    } catch (error) {
      throw unconfirmed(lg, server, error);
    }
    if (typeof answer !== "number") return answer;
    from = answer;
  }

  function runOnSession(from: number): Promise<PlanAnswer<T> | number> {
    return pool.run(server, async (session): Promise<PlanAnswer<T> | number> => {
      // Never download more than this query's share of what the ledger has left (the session's
      // meter enforces the budget itself, read by read), minus what this query has already
      // received (a refused json form, for instance).
      const left = lg.budget(server).remaining.bytesDown;
      const allowance = Math.max(1, Math.floor(left * share));
      const capReason = share < 1
        ? `share of today's download budget left (${Math.round(share * 100)}% of ${formatKb(left)})`
        : "download budget left for today";
      const startDown = session.bytesReceived;
      const commandOptions = () => {
        const room = Math.max(1, allowance - (session.bytesReceived - startDown));
        return {
          timeoutMs: limits.commandTimeoutMs,
          maxBytes: Math.min(limits.maxOutputBytes, room),
          capReason: room < limits.maxOutputBytes ? capReason : undefined,
          signal: querySignal,
        };
      };
      const notes: string[] = [...carried];
      const { estimate } = options;
      if (estimate && from === 0) {
        // A count is a line or two: a server that prints more does not support it.
        const small = { ...commandOptions(), maxBytes: Math.min(4096, commandOptions().maxBytes) };
        const counted = estimate.read(await session.command(estimate.command, small));
        const cap = commandOptions().maxBytes;
        if (counted && counted.bytes > cap) {
          const why = cap < limits.maxOutputBytes ? capReason : "maxOutputBytes";
          throw new TelnetError(
            server.name,
            "output-limit",
            `${server.name} counted ${counted.counted} for \`${steps[0].command}\` ` +
              `(\`${estimate.command}\`): about ${formatKb(counted.bytes)} or more, over the ` +
              `${formatKb(cap)} this query may download, its ${why}. The table was not asked ` +
              "for. Ask for a longer prefix",
          );
        }
        if (counted) {
          notes.push(
            `Counted first with \`${estimate.command}\`: ${counted.counted}, about ` +
              `${formatKb(counted.bytes)}; within the ${formatKb(cap)} this query may download`,
          );
        } else {
          log("debug", `${server.name} gave no count for \`${estimate.command}\``);
        }
      }
      let lastRefusal = "";
      // An answer that could not be read says more than the refusals of the fallbacks after it.
      let unreadable: ParseError | null = null;
      for (let index = from; index < steps.length; index++) {
        let step = steps[index];
        let output: string;
        let complete = true;
        let cutReason: string | undefined;
        try {
          if (step.parsePartial) {
            ({ output, complete, cutReason } = await session.commandUpTo(
              step.command,
              commandOptions(),
            ));
          } else {
            output = await session.command(step.command, commandOptions());
          }
        } catch (error) {
          if (
            step.fallbackOnCap && index + 1 < steps.length && error instanceof TelnetError &&
            error.failure === "output-limit"
          ) {
            carried.push(
              `The answer to \`${step.command}\` was over this query's byte cap, which ended that ` +
                `session; asked \`${steps[index + 1].command}\` on a new one instead`,
            );
            return index + 1;
          }
          throw error;
        }
        let refusal = complete ? commandRefusal(output) : null;
        if (!refusal && step.followUp) {
          // The first command of two: its answer says what to ask, or is the answer.
          let next: QueryStep<T> | { value: T };
          try {
            next = step.followUp(output);
          } catch (error) {
            if (!(error instanceof ParseError)) throw error;
            throw unusable(session, error);
          }
          if ("value" in next) return { parsed: next.value, command: step.command, notes };
          step = next;
          output = await session.command(step.command, commandOptions());
          refusal = commandRefusal(output);
        }
        if (refusal) {
          lastRefusal = refusal;
          log("debug", `${server.name} refused \`${step.command}\`: ${refusal}`);
          continue;
        }
        let value: T;
        try {
          value = complete ? step.parse(output) : step.parsePartial!(output);
        } catch (error) {
          const parseError = error instanceof ParseError
            ? error
            : new ParseError(server.dialect, (error as Error)?.message ?? String(error));
          if (step.fallbackOnParseError && complete) {
            lastRefusal = parseError.message;
            unreadable ??= parseError;
            continue;
          }
          throw unusable(session, parseError);
        }
        if (index !== 0 && carried.length === 0) {
          notes.push(
            `${server.name} did not accept \`${steps[0].command}\`; used \`${step.command}\``,
          );
        }
        if (!complete) {
          if (Array.isArray(value) && value.length === 0) {
            throw new TelnetError(
              server.name,
              "output-limit",
              `The answer from ${server.name} to \`${step.command}\` reached the ${cutReason} ` +
                "before its first complete prefix; the session was ended and nothing is shown. " +
                "Ask for a longer prefix",
            );
          }
          notes.push(
            `The answer was cut at the ${cutReason}, so the session was ended: ` +
              `${Array.isArray(value) ? `the ${value.length} prefixes shown` : "what is shown"} ` +
              "are complete, but more may follow them. Ask for a longer prefix to see the rest",
          );
          return { parsed: value, command: step.command, notes, truncated: true };
        }
        return { parsed: value, command: step.command, notes };
      }
      if (unreadable) throw unusable(session, unreadable);
      throw new CommandRejectedError(
        server.name,
        steps[steps.length - 1].command,
        lastRefusal,
        "The server does not support this query; try another server (list_servers shows them)",
      );
    }, querySignal);
  }
}

/** Failures that say a server may not offer telnet at all (nothing answered, or not a CLI). */
const NO_CLI: ReadonlySet<TelnetFailure> = new Set(["connect", "login-timeout", "closed"]);

/**
 * A server no public source confirms as telnet-reachable, never yet seen
 * answering: a failure to reach its CLI says so, and what to do instead.
 */
function unconfirmed(lg: LookingGlass, server: ServerConfig, error: unknown): unknown {
  if (
    server.confirmed || !(error instanceof TelnetError) || !NO_CLI.has(error.failure) ||
    engineOf(lg).contacts.has(server.name)
  ) {
    return error;
  }
  return new TelnetError(
    server.name,
    error.failure,
    `${error.message}. No public source confirms that ${server.name} offers telnet (its ` +
      "operator lists it, but no transcript shows it answering): it may be reachable only " +
      "through its operator's looking glass or API. Ask another server",
    { cause: error },
  );
}

function formatKb(bytes: number): string {
  return bytes >= 10_000 ? `${(bytes / 1000).toFixed(1)} KB` : `${bytes} bytes`;
}
