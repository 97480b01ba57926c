/**
 * The team-mode command line, read before anything is opened: `--http`
 * addresses, the flags that need `--http` or `serve`, `--redis` URLs,
 * `--user-share`, `--user`, and the `allow-net` entries for the listening
 * address and Redis.
 */

import assert from "node:assert/strict";
import { allowNet, teamAllowNet } from "../../src/cli/allow_net.ts";
import { readCommandLine, teamOptions } from "../../src/cli/args.ts";
import { checkServeArguments, parseListenAddress } from "../../src/cli/serve.ts";
import { UsageError } from "../../src/errors.ts";

function team(args: string[]) {
  const { values, command } = readCommandLine(args);
  return teamOptions(values, command);
}

Deno.test("--http takes HOST:PORT, IPv6 in brackets, port 0 to 65535", () => {
  assert.deepEqual(parseListenAddress("127.0.0.1:8080"), { hostname: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseListenAddress("[::1]:0"), { hostname: "::1", port: 0 });
  assert.deepEqual(parseListenAddress("lg.example.net:443"), {
    hostname: "lg.example.net",
    port: 443,
  });
  for (const bad of ["8080", "localhost", "::1:8080", "[::1]", "host:65536", "a b:1", ":80"]) {
    assert.throws(() => parseListenAddress(bad), UsageError, bad);
  }
});

Deno.test("HTTP-only flags need --http; serve-only flags need serve", () => {
  assert.throws(
    () => checkServeArguments({ tokens: "t" }),
    /^UsageError: --tokens only applies to serve --http HOST:PORT$/,
  );
  assert.throws(
    () => checkServeArguments({ allowedHosts: ["a"], allowedOrigins: ["https://b"] }),
    /--allowed-host, --allowed-origin only apply to serve --http/,
  );
  assert.equal(checkServeArguments({}), null);
  assert.throws(
    () => checkServeArguments({ http: "127.0.0.1:1", allowedOrigins: ["https://a.example/x"] }),
    /--allowed-origin takes an origin such as https:\/\/app\.example\.net/,
  );
  assert.deepEqual(
    checkServeArguments({ http: "127.0.0.1:1", allowedOrigins: ["https://a.example:8443"] }),
    { hostname: "127.0.0.1", port: 1 },
  );
  assert.throws(() => team(["query", "8.8.8.8", "--http", "127.0.0.1:1"]), /--http only applies/);
  assert.throws(() => team(["servers", "--tokens", "t"]), /--tokens only applies to serve/);
  assert.throws(() => team(["query", "--user-share", "0.5"]), /--user-share only applies/);
  assert.throws(() => team(["serve", "--user", "alice"]), /--user only applies to query/);
});

Deno.test("--redis, --redis-prefix, --user-share, --user: checked, or a usage error", () => {
  assert.deepEqual(team(["serve", "--redis", "redis://127.0.0.1:6379"]), {
    redis: { redisUrl: "redis://127.0.0.1:6379" },
  });
  assert.deepEqual(
    team(["serve", "--redis", "rediss://u:p@r.example:6380/2", "--redis-prefix", "noc:lg"]),
    { redis: { redisUrl: "rediss://u:p@r.example:6380/2", prefix: "noc:lg" } },
  );
  assert.throws(() => team(["serve", "--redis", "http://x"]), /redis:\/\/ or rediss:\/\//);
  assert.throws(() => team(["serve", "--redis", "not a url"]), /is not a URL/);
  assert.throws(
    () => team(["serve", "--redis", "redis://x", "--ledger", "l.json"]),
    /--ledger and --redis exclude each other/,
  );
  assert.throws(() => team(["serve", "--redis-prefix", "p"]), /only applies with --redis/);
  assert.throws(
    () => team(["serve", "--redis", "redis://x", "--redis-prefix", "a b"]),
    /--redis-prefix takes/,
  );
  assert.deepEqual(team(["serve", "--user-share", "0.25"]), { userShare: 0.25 });
  assert.deepEqual(team(["serve", "--user-share", "1"]), { userShare: 1 });
  for (const bad of ["0", "1.5", "-0.1", "half", "", "1e-1", "0x1"]) {
    assert.throws(
      () => team(["serve", `--user-share=${bad}`]),
      /--user-share .*per-user share/,
      bad,
    );
  }
  assert.deepEqual(team(["servers", "--user", "alice@noc"]), {});
  assert.deepEqual(team(["compare", "8.8.8.0/24", "--user", "alice"]), {});
  assert.throws(
    () => team(["as", "15169", "--user", "alice"]),
    /^UsageError: --user only applies to query, compare, summary and servers$/,
  );
  assert.throws(() => team(["servers", "--user", "al ice"]), /--user takes a user's name/);
  assert.throws(() => readCommandLine(["--frobnicate"]), UsageError);
});

Deno.test("allow-net adds the listening address and Redis, nothing else", () => {
  assert.deepEqual(teamAllowNet({}), []);
  assert.deepEqual(teamAllowNet({ http: "0.0.0.0:8080", redis: "redis://10.0.0.5" }), [
    "0.0.0.0:8080",
    "10.0.0.5:6379",
  ]);
  assert.deepEqual(teamAllowNet({ http: "[::]:0", redis: "rediss://:pw@[2001:db8::6]:6380/1" }), [
    "[::]",
    "[2001:db8::6]:6380",
  ]);
  assert.equal(typeof allowNet, "function");
});
