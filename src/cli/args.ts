/**
 * Reading the command line: every option `node:util`'s `parseArgs` knows, the
 * command and its arguments, and the team-mode options (`--redis`,
 * `--redis-prefix`, `--user-share`, `--user`) checked before anything is
 * opened. Pure: a deployment recipe's command line can be checked with it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../errors.ts";
import { redactedUrl } from "../politeness/redis_client.ts";
import { checkShare } from "../politeness/share.ts";
import { escaped, quoted } from "../_text.ts";

/** Every option's value as given. */
export interface CommandLineValues {
  config?: string;
  ledger?: string;
  communities?: string;
  http?: string;
  tokens?: string;
  redis?: string;
  "redis-prefix"?: string;
  "user-share"?: string;
  "allowed-host"?: string[];
  "allowed-origin"?: string[];
  user?: string;
  server?: string;
  family?: string;
  limit?: string;
  dialect?: string;
  json?: boolean;
  probe?: boolean;
  search?: string;
  servers?: string;
  "max-servers"?: string;
  png?: string;
  mermaid?: boolean;
  "no-names"?: boolean;
  "names-data"?: string;
  "no-dns"?: boolean;
  "dns-server"?: string;
  verbose?: boolean;
  version?: boolean;
  help?: boolean;
}

/** A command line, read. */
export interface CommandLine {
  /** The options. */
  values: CommandLineValues;
  /** The command (`serve` when none is given). */
  command: string;
  /** The positional arguments after it. */
  rest: string[];
}

/** What team mode adds to the looking glass's options. */
export interface TeamOptions {
  /** `--redis URL` and `--redis-prefix NAME`. */
  redis?: { redisUrl: string; prefix?: string };
  /** `--user-share FRACTION`. */
  userShare?: number;
}

/** The name of a user, as in a tokens file. */
const USER = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** A Redis key prefix: printable, no spaces. */
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Reads the options, the command and its arguments.
 *
 * @throws {UsageError} for an unknown option or a missing value
 */
export function readCommandLine(args: string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string" },
        ledger: { type: "string" },
        communities: { type: "string" },
        http: { type: "string" },
        tokens: { type: "string" },
        redis: { type: "string" },
        "redis-prefix": { type: "string" },
        "user-share": { type: "string" },
        "allowed-host": { type: "string", multiple: true },
        "allowed-origin": { type: "string", multiple: true },
        user: { type: "string" },
        server: { type: "string" },
        family: { type: "string" },
        limit: { type: "string" },
        dialect: { type: "string" },
        json: { type: "boolean" },
        probe: { type: "boolean" },
        search: { type: "string" },
        servers: { type: "string" },
        "max-servers": { type: "string" },
        png: { type: "string" },
        mermaid: { type: "boolean" },
        "no-names": { type: "boolean" },
        "names-data": { type: "string" },
        "no-dns": { type: "boolean" },
        "dns-server": { type: "string" },
        verbose: { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(escaped((error as Error).message));
  }
  const [command = "serve", ...rest] = parsed.positionals;
  return { values: parsed.values as CommandLineValues, command, rest };
}

/**
 * The team-mode options of a command line, checked before anything is opened.
 *
 * @throws {UsageError} for a bad or misplaced team option
 */
export function teamOptions(values: CommandLineValues, command: string): TeamOptions {
  const only = (flag: string, commands: string[]) => {
    const list = commands.length > 1
      ? `${commands.slice(0, -1).join(", ")} and ${commands.at(-1)}`
      : commands[0];
    throw new UsageError(`${flag} only applies to ${list}`);
  };
  if (values.http !== undefined && command !== "serve" && command !== "allow-net") {
    only("--http", ["serve", "allow-net"]);
  }
  for (const flag of ["tokens", "allowed-host", "allowed-origin", "user-share"] as const) {
    if (values[flag] !== undefined && command !== "serve") only(`--${flag}`, ["serve"]);
  }
  if (values.user !== undefined && !["query", "compare", "summary", "servers"].includes(command)) {
    only("--user", ["query", "compare", "summary", "servers"]);
  }
  if (values.redis !== undefined && values.ledger !== undefined) {
    throw new UsageError(
      "--ledger and --redis exclude each other: with --redis the quota ledger is in Redis",
    );
  }
  if (values["redis-prefix"] !== undefined && values.redis === undefined) {
    throw new UsageError("--redis-prefix only applies with --redis URL");
  }
  if (values.user !== undefined && !USER.test(values.user)) {
    throw new UsageError(
      `--user takes a user's name as in the tokens file (letters, digits and ._@-), not ` +
        quoted(values.user),
    );
  }
  const prefix = values["redis-prefix"];
  if (prefix !== undefined && !PREFIX.test(prefix)) {
    throw new UsageError(
      `--redis-prefix takes letters, digits and ._:- (up to 64), not ${quoted(prefix)}`,
    );
  }
  let userShare: number | undefined;
  const share = values["user-share"];
  if (share !== undefined) {
    try {
      userShare = checkShare(/^(?:\d+\.?\d*|\.\d+)$/.test(share) ? Number(share) : NaN);
    } catch (error) {
      throw new UsageError(`--user-share ${quoted(share)}: ${(error as Error).message}`);
    }
  }
  if (values.redis !== undefined) {
    try {
      redactedUrl(values.redis);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    ...(values.redis === undefined
      ? {}
      : { redis: { redisUrl: values.redis, ...(prefix === undefined ? {} : { prefix }) } }),
    ...(userShare === undefined ? {} : { userShare }),
  };
}
