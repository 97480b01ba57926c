/**
 * Bearer tokens for the HTTP transport: read from a file of `name:token`
 * lines (`--tokens FILE`), kept only as SHA-256 digests, and compared in
 * constant time — the presented token's digest against every user's digest,
 * with no early exit, so that timing tells nothing about any token. Each
 * token's name is a user: budgets and usage are counted per user.
 *
 * The file: one `name:token` per line; blank lines and lines starting with
 * `#` are ignored. A name is 1 to 64 letters, digits, `.`, `_`, `@` or `-`; a
 * token is 32 to 512 characters of `A-Z a-z 0-9 - . _ ~ + / =` (the bearer
 * token alphabet, RFC 6750), e.g. from `openssl rand -hex 32`. Names and
 * tokens must be unique.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { readBoundedTextFile } from "../_files.ts";
import { FileReadError, TokenFileError } from "../errors.ts";
import { log } from "../log.ts";

/** Largest tokens file read. */
export const MAX_TOKENS_FILE_BYTES = 1024 * 1024;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MIN_TOKEN = 32;
const MAX_TOKEN = 512;

/** The outcome of checking a request's `Authorization` header. */
export type AuthOutcome =
  | { ok: true; user: string }
  | { ok: false; reason: "missing" | "malformed" | "invalid"; message: string };

interface Entry {
  user: string;
  digest: Buffer;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** The users and their token digests. */
export class Tokens {
  readonly #entries: readonly Entry[];

  /** Use {@linkcode parseTokens} or {@linkcode loadTokens}. */
  constructor(entries: readonly { user: string; token: string }[]) {
    this.#entries = entries.map(({ user, token }) => ({ user, digest: digest(token) }));
  }

  /** How many users there are. */
  get size(): number {
    return this.#entries.length;
  }

  /** The users' names, in file order. */
  get users(): string[] {
    return this.#entries.map((e) => e.user);
  }

  /** Checks an `Authorization` header value (`null` when the request has none). */
  authenticate(header: string | null): AuthOutcome {
    if (header === null || header.trim() === "") {
      return {
        ok: false,
        reason: "missing",
        message: "Missing bearer token: send the header `Authorization: Bearer <token>` with a " +
          "token from this server's operator (the server reads its tokens from --tokens FILE)",
      };
    }
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) {
      return {
        ok: false,
        reason: "malformed",
        message: "The Authorization header is not `Bearer <token>`; send " +
          "`Authorization: Bearer <token>` with a token from this server's operator",
      };
    }
    const presented = digest(match[1]);
    let user: string | null = null;
    // Every entry is compared, whatever matched before: the time taken is the same.
    for (const entry of this.#entries) {
      if (timingSafeEqual(presented, entry.digest) && user === null) user = entry.user;
    }
    if (user === null) {
      return {
        ok: false,
        reason: "invalid",
        message: "The bearer token is not valid for this server; ask its operator for a token " +
          "(or check that the whole token was copied)",
      };
    }
    return { ok: true, user };
  }
}

/**
 * Reads the tokens from the text of a tokens file.
 *
 * @throws {TokenFileError} naming the line and what is wrong with it (the token itself is never shown)
 */
export function parseTokens(text: string, path: string): Tokens {
  const entries: { user: string; token: string }[] = [];
  const names = new Set<string>();
  const tokens = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const colon = line.indexOf(":");
    if (colon < 0) {
      throw new TokenFileError(path, "expected `name:token`, found no colon", i + 1);
    }
    const user = line.slice(0, colon).trim();
    const token = line.slice(colon + 1).trim();
    if (!NAME.test(user)) {
      throw new TokenFileError(
        path,
        "the name is 1 to 64 letters, digits, dots, underscores, @ or hyphens, starting with a " +
          "letter or digit",
        i + 1,
      );
    }
    if (token.length < MIN_TOKEN || token.length > MAX_TOKEN || !TOKEN.test(token)) {
      throw new TokenFileError(
        path,
        `the token of ${user} must be ${MIN_TOKEN} to ${MAX_TOKEN} characters of A-Z, a-z, ` +
          "0-9, - . _ ~ + / (and = at the end); make one with `openssl rand -hex 32`",
        i + 1,
      );
    }
    if (names.has(user)) throw new TokenFileError(path, `${user} is named twice`, i + 1);
    if (tokens.has(token)) {
      throw new TokenFileError(path, `${user} has the same token as another user`, i + 1);
    }
    names.add(user);
    tokens.add(token);
    entries.push({ user, token });
  });
  if (entries.length === 0) {
    throw new TokenFileError(path, "it holds no `name:token` line");
  }
  return new Tokens(entries);
}

/**
 * Reads a tokens file (a regular file of at most 1 MiB). Warns when others
 * than its owner may read it.
 *
 * @throws {TokenFileError} when it cannot be read or holds a bad line
 */
export async function loadTokens(path: string): Promise<Tokens> {
  let text: string;
  try {
    text = await readBoundedTextFile(path, MAX_TOKENS_FILE_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    throw new TokenFileError(path, reason);
  }
  const tokens = parseTokens(text, path);
  try {
    const { mode } = await Deno.stat(path);
    if (mode !== null && (mode & 0o077) !== 0) {
      log(
        "warn",
        `tokens file ${path} may be read by other users (mode ${
          (mode & 0o777).toString(8)
        }); chmod 600 it`,
      );
    }
  } catch {
    // read a moment ago; a stat failure now changes nothing
  }
  return tokens;
}

/** The 401 answer for a failed check: a JSON-RPC error with the reason, and `WWW-Authenticate`. */
export function unauthorized(outcome: Extract<AuthOutcome, { ok: false }>): Response {
  const challenge = outcome.reason === "missing"
    ? 'Bearer realm="bgp-lg-mcp"'
    : 'Bearer realm="bgp-lg-mcp", error="invalid_token"';
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32001, message: outcome.message }, id: null },
    { status: 401, headers: { "WWW-Authenticate": challenge } },
  );
}
