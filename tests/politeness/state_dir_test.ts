import assert from "node:assert/strict";
import { stateDirectory } from "../../src/politeness/state_dir.ts";

function env(values: Record<string, string>) {
  return (name: string) => values[name];
}
const everywhere = () => true;

Deno.test("state directory: XDG_STATE_HOME first, then HOME; relative or empty values are skipped", () => {
  assert.deepEqual(
    stateDirectory({
      env: env({ XDG_STATE_HOME: "/x/state", HOME: "/home/u" }),
      os: "linux",
      permitted: everywhere,
    }),
    { path: "/x/state/bgp-lg-mcp" },
  );
  assert.deepEqual(
    stateDirectory({
      env: env({ XDG_STATE_HOME: "state", HOME: "/home/u/" }),
      os: "linux",
      permitted: everywhere,
    }),
    { path: "/home/u/.local/state/bgp-lg-mcp" },
  );
  assert.deepEqual(
    stateDirectory({ env: env({ HOME: "/home/a b" }), os: "linux", permitted: everywhere }),
    { path: "/home/a b/.local/state/bgp-lg-mcp" },
  );
});

Deno.test("state directory: no HOME means none at all, never one at the filesystem root", () => {
  const cases: Record<string, string>[] = [{}, { HOME: "" }, { HOME: "relative" }, {
    XDG_STATE_HOME: "",
  }];
  for (const values of cases) {
    const found = stateDirectory({ env: env(values), os: "linux", permitted: everywhere });
    assert.equal(found.path, null, JSON.stringify(values));
    assert.match(found.reason!, /no state directory is known/);
  }
  const unreadable = stateDirectory({
    env: () => {
      throw new Deno.errors.NotCapable("Requires env access");
    },
    os: "linux",
    permitted: everywhere,
  });
  assert.equal(unreadable.path, null);
  assert.equal(
    unreadable.reason,
    "no state directory is known (XDG_STATE_HOME not allowed to be read, HOME not allowed to be " +
      "read); start with --allow-env=XDG_STATE_HOME,HOME",
  );
});

Deno.test("state directory: the first one the process may read and write; else why not", () => {
  const values = env({ XDG_STATE_HOME: "/x", HOME: "/home/u" });
  assert.deepEqual(
    stateDirectory({ env: values, os: "linux", permitted: (p) => p.startsWith("/home") }),
    { path: "/home/u/.local/state/bgp-lg-mcp" },
  );
  const none = stateDirectory({ env: values, os: "linux", permitted: () => false });
  assert.equal(none.path, null);
  assert.match(
    none.reason!,
    /no permission to read and write \/x\/bgp-lg-mcp \(start with --allow-read=/,
  );
});

Deno.test("state directory on Windows: LOCALAPPDATA, then USERPROFILE", () => {
  assert.deepEqual(
    stateDirectory({
      env: env({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local", USERPROFILE: "C:\\Users\\u" }),
      os: "windows",
      permitted: everywhere,
    }),
    { path: "C:\\Users\\u\\AppData\\Local\\bgp-lg-mcp" },
  );
  assert.deepEqual(
    stateDirectory({
      env: env({ USERPROFILE: "C:\\Users\\u" }),
      os: "windows",
      permitted: everywhere,
    }),
    { path: "C:\\Users\\u\\AppData\\Local\\bgp-lg-mcp" },
  );
  const none = stateDirectory({
    env: env({ USERPROFILE: "Users" }),
    os: "windows",
    permitted: everywhere,
  });
  assert.equal(
    none.reason,
    "no state directory is known (XDG_STATE_HOME unset, HOME unset, LOCALAPPDATA unset, " +
      "USERPROFILE not an absolute path)",
  );
});
