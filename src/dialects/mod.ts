/**
 * The dialect registry: the one list of router CLIs this project speaks, and
 * every vendor fact read from it — the dialect ids (servers.json's `dialect`,
 * `list_servers`' output), the parsers by kind (the CLI's `parse` table, the
 * property tests and benches), how a server refuses a command, and which
 * measurements (`ping`, `traceroute`) a dialect can run. A new vendor is one
 * file in this folder (see `docs/extension.md`) and one line in
 * {@linkcode REGISTERED} below.
 *
 * @module
 */

import { ciscoIos } from "./cisco_ios.ts";
import type { Dialect, ParserEntry, ParserKind } from "./dialect.ts";
import { frr } from "./frr.ts";
import { junos } from "./junos.ts";
import { freeText } from "../_text.ts";

export type {
  Dialect,
  DialectOptions,
  DialectParsers,
  MeasurementPlan,
  ParserEntry,
  ParserKind,
  PingOptions,
  QueryStep,
  RefusalRules,
  SizeEstimate,
  TracerouteOptions,
} from "./dialect.ts";

/** Supported CLI dialects, by id (`servers.json`'s `dialect`). */
export type DialectId = "cisco-ios" | "frr" | "junos";

/** Every dialect, in the order they are listed to people. */
const REGISTERED = [ciscoIos, frr, junos] as const satisfies readonly Dialect<DialectId>[];

// The ids above are exactly the registered dialects' ids: a dialect left out of one of the two
// lists is a type error here.
const _ALL_REGISTERED: [DialectId] extends [(typeof REGISTERED)[number]["id"]] ? true : never =
  true;

/** The registered dialect ids, in order. */
export const DIALECT_IDS: readonly [DialectId, ...DialectId[]] = REGISTERED.map((d) => d.id) as [
  DialectId,
  ...DialectId[],
];

/** Every supported dialect by id. */
export const DIALECTS: Readonly<Record<DialectId, Dialect<DialectId>>> = Object.freeze(
  Object.fromEntries(REGISTERED.map((d) => [d.id, d])) as Record<DialectId, Dialect<DialectId>>,
);

/** One registered parser, with where it comes from. */
export interface RegisteredParser extends ParserEntry<unknown> {
  /** The dialect it belongs to. */
  dialect: DialectId;
  /** What it reads. */
  kind: ParserKind;
  /** Its name for `parse --dialect`: the dialect's id, with `-json` for its JSON form. */
  cliName: string;
}

/** Every registered parser, dialect by dialect in registry order. */
export const PARSERS: readonly RegisteredParser[] = REGISTERED.flatMap((dialect) =>
  (["route", "routes", "summary"] as const).flatMap((kind) =>
    (dialect.parsers[kind] as readonly ParserEntry<unknown>[]).map((entry) => ({
      ...entry,
      dialect: dialect.id,
      kind,
      cliName: entry.format === "json" ? `${dialect.id}-json` : dialect.id,
    }))
  )
);

/** The measurements a dialect can run: the tools beyond the route queries it supports. */
export function measurementsOf(dialect: Dialect): ("ping" | "traceroute")[] {
  return (["ping", "traceroute"] as const).filter((kind) => dialect[kind] !== undefined);
}

/**
 * If the answer is the server refusing the command (`% Invalid input …`,
 * `% Unknown command`, `error: syntax error …`), returns that message,
 * stripped of control characters and cut to 160 characters. An answer that
 * only looks like a refusal (`% Network not in table`) is not one.
 *
 * Every registered dialect's rules apply to every server: which software a
 * server runs is known only from the server list, which can be wrong, and a
 * refusal must never be read as an answer.
 */
export function commandRefusal(output: string): string | null {
  const line = output.split("\n").map((l) => l.trim()).find((l) =>
    REGISTERED.some((d) => d.refusal.line.test(l))
  );
  if (!line || REGISTERED.some((d) => d.refusal.answer?.test(line))) return null;
  // A refusal is the whole answer (apart from a caret marker line), not a remark inside output.
  const meaningful = output.split("\n").filter((l) => l.trim() !== "" && !/^\s*\^\s*$/.test(l));
  return meaningful.length <= 2 ? freeText(line, 160) : null;
}
