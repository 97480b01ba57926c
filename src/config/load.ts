/**
 * Loading the server list: the file named with `--config` (a regular file of
 * bounded size, JSON, then validated) or the servers.json shipped with the
 * program, embedded at build time.
 *
 * @module
 */

import shipped from "../../servers.json" with { type: "json" };
import { readBoundedTextFile } from "../_files.ts";
import { ConfigError, FileReadError } from "../errors.ts";
import { type Config, parseConfig } from "./schema.ts";

/** Largest server list read (the shipped one, 60 servers, is about 19 KB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads and validates a configuration file: a regular file of at most
 * {@linkcode MAX_CONFIG_BYTES} (a FIFO or a device is never opened).
 *
 * @throws {ConfigError} when the file cannot be read, is not JSON, or is invalid
 */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readBoundedTextFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    throw new ConfigError(path, `cannot read the file: ${reason}`, { cause: error });
  }
  let json: unknown;
  try {
    // A UTF-8 byte order mark (as some editors on Windows write) is dropped by the decoder.
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseConfig(json, path);
}

/** The servers.json shipped with the program (embedded at build time, no file access). */
export function builtinConfig(): Config {
  return parseConfig(shipped, "servers.json (built in)");
}
