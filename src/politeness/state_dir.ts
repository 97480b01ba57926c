/**
 * Where the program keeps state (the quota ledger): the first of these known
 * directories that the process may read and write, and nowhere else:
 *
 * 1. `$XDG_STATE_HOME/bgp-lg-mcp`
 * 2. `$HOME/.local/state/bgp-lg-mcp`
 * 3. on Windows, `%LOCALAPPDATA%\bgp-lg-mcp`, then `%USERPROFILE%\AppData\Local\bgp-lg-mcp`
 *
 * A variable that is unset, empty, relative or unreadable is skipped, so an
 * empty `HOME` never becomes `/.local/state`. Without any, state stays in memory.
 *
 * @module
 */

/** The state directory, or `null` with the reason there is none. */
export interface StateDirectory {
  /** The directory, when one is known and allowed. */
  path: string | null;
  /** Why there is none (for the one line on stderr). */
  reason?: string;
}

/** What {@linkcode stateDirectory} looks at (the real environment by default). */
export interface StateDirectoryOptions {
  /** Reads an environment variable; may throw when not allowed. */
  env?: (name: string) => string | undefined;
  /** The operating system (default `Deno.build.os`). */
  os?: string;
  /** Whether the process may read and write a directory (default: asks Deno, never prompts). */
  permitted?: (path: string) => boolean;
}

/** The application's directory name under a state home. */
const APP = "bgp-lg-mcp";

/** The state directory for this process (see the module documentation for the order). */
export function stateDirectory(options: StateDirectoryOptions = {}): StateDirectory {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const windows = (options.os ?? Deno.build.os) === "windows";
  const permitted = options.permitted ?? mayReadAndWrite;
  const join = (...parts: string[]) => parts.join(windows ? "\\" : "/").replace(/[\\/]+$/, "");
  const why: string[] = [];
  const denied: string[] = [];
  const read = (name: string): string | null => {
    let value: string | undefined;
    try {
      value = env(name);
    } catch {
      why.push(`${name} not allowed to be read`);
      denied.push(name);
      return null;
    }
    if (value === undefined || value === "") {
      why.push(`${name} unset`);
      return null;
    }
    if (!isAbsolute(value, windows)) {
      why.push(`${name} not an absolute path`);
      return null;
    }
    return value.replace(/[\\/]+$/, "") || value.slice(0, 1);
  };
  const candidates: string[] = [];
  const xdg = read("XDG_STATE_HOME");
  if (xdg !== null) candidates.push(join(xdg, APP));
  const home = read("HOME");
  if (home !== null) candidates.push(join(home, ".local", "state", APP));
  if (windows) {
    const local = read("LOCALAPPDATA");
    if (local !== null) candidates.push(join(local, APP));
    const profile = read("USERPROFILE");
    if (profile !== null) candidates.push(join(profile, "AppData", "Local", APP));
  }
  for (const path of candidates) if (permitted(path)) return { path };
  if (candidates.length > 0) {
    const first = candidates[0];
    return {
      path: null,
      reason: `no permission to read and write ${first} (start with --allow-read=${first} ` +
        `--allow-write=${first})`,
    };
  }
  const hint = denied.length > 0 ? `; start with --allow-env=${denied.join(",")}` : "";
  return { path: null, reason: `no state directory is known (${why.join(", ")})${hint}` };
}

function isAbsolute(path: string, windows: boolean): boolean {
  if (windows) return /^[A-Za-z]:[\\/]/.test(path) || /^[\\/]{2}[^\\/]/.test(path);
  return path.startsWith("/");
}

function mayReadAndWrite(path: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "read", path }).state === "granted" &&
      Deno.permissions.querySync({ name: "write", path }).state === "granted";
  } catch {
    return false;
  }
}
