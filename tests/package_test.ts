/**
 * Shipping: the JSR package (publish dry run, documentation lint, what is in
 * it), the compile command line (without downloading a runtime), and the
 * `--allow-net` list for edge cases.
 */

import assert from "node:assert/strict";
import { builtinConfig } from "../src/config/load.ts";
import { parseConfig } from "../src/config/schema.ts";
import { allowNetFlag, allowNetList } from "../src/config/permissions.ts";
import { VERSION } from "../src/version.ts";
import { compileArgs, compileDns, explainCompileFailure, TARGETS } from "../scripts/compile.ts";
import denoJson from "../deno.json" with { type: "json" };

const ROOT = new URL("..", import.meta.url);

async function deno(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: output.code,
    text: new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr),
  };
}

Deno.test("deno publish --dry-run passes and ships the library, not the tests", async () => {
  const result = await deno("publish", "--dry-run", "--allow-dirty");
  assert.equal(result.code, 0, result.text);
  assert.match(
    result.text,
    new RegExp(`Simulating publish of @bgp-lg/mcp@${VERSION.replaceAll(".", "\\.")}`),
  );
  const files = [...result.text.matchAll(/file:\/\/\S+/g)].map((m) =>
    m[0].slice(new URL(ROOT).href.length)
  );
  for (
    const wanted of [
      "src/mod.ts",
      "src/parsers.ts",
      "src/errors.ts",
      "src/main.ts",
      "servers.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
    ]
  ) {
    assert.ok(files.includes(wanted), `${wanted} is published`);
  }
  assert.deepEqual(files.filter((f) => /^(tests|bench|scripts|\.ci)\//.test(f)), []);
});

Deno.test("deno doc --lint passes for every entry point, each on its own", async () => {
  const exports = Object.values(denoJson.exports).map((path) => path.replace(/^\.\//, ""));
  assert.deepEqual(exports, ["src/mod.ts", "src/parsers.ts", "src/errors.ts", "src/main.ts"]);
  for (const entry of exports) {
    const result = await deno("doc", "--lint", entry);
    assert.equal(result.code, 0, `${entry}: ${result.text}`);
    // The check task lints each one alone too.
    assert.ok(denoJson.tasks.check.includes(`deno doc --lint ${entry}`), entry);
  }
});

Deno.test("CHANGELOG has an entry for this version", async () => {
  const changelog = await Deno.readTextFile(new URL("CHANGELOG.md", ROOT));
  assert.match(changelog, new RegExp(`^## ${VERSION.replaceAll(".", "\\.")} `, "m"));
  assert.match(VERSION, /^\d+\.\d+\.\d+$/);
});

Deno.test("compile: no prompt, exactly the servers' --allow-net (and the DNS servers), nothing else", () => {
  // Host names off: --no-dns is baked in, so the binary never asks DNS and needs no more net.
  const args = compileArgs(builtinConfig());
  assert.deepEqual(args, [
    "compile",
    "--no-prompt",
    allowNetFlag(builtinConfig()),
    "--output",
    "dist/bgp-lg-mcp",
    "src/main.ts",
    "--no-dns",
  ]);
  assert.equal(args.filter((a) => a.startsWith("--allow")).length, 1);
  // This machine's resolvers: allowed on port 53, exactly as `deno task start` allows them.
  const system = compileArgs(builtinConfig(), { dns: { system: ["10.255.255.53:53"] } });
  assert.equal(system[2], `${allowNetFlag(builtinConfig())},10.255.255.53:53`);
  assert.deepEqual(system.slice(-1), ["src/main.ts"]);
  // One given server: allowed and baked in as --dns-server, for a binary for another machine.
  const server = compileArgs(builtinConfig(), {
    target: "aarch64-apple-darwin",
    dns: { server: { ipAddr: "2001:db8::53", port: 53 } },
  });
  assert.equal(server[2], `${allowNetFlag(builtinConfig())},[2001:db8::53]:53`);
  assert.deepEqual(server.slice(-3), ["src/main.ts", "--dns-server", "[2001:db8::53]:53"]);
  for (const a of [args, system, server]) {
    assert.deepEqual(a.filter((x) => x.startsWith("--allow")).map((x) => x.split("=")[0]), [
      "--allow-net",
    ]);
  }
  const windows = compileArgs(builtinConfig(), { target: "x86_64-pc-windows-msvc" });
  assert.deepEqual(windows.slice(3, 7), [
    "--output",
    "dist/bgp-lg-mcp-x86_64-pc-windows-msvc.exe",
    "--target",
    "x86_64-pc-windows-msvc",
  ]);
  assert.ok(TARGETS.includes("aarch64-apple-darwin"));
});

Deno.test("compile: how the binary resolves host names, by target and flags", () => {
  const conf = "# generated\nnameserver 10.255.255.53\nnameserver fe80::1%eth0\n";
  assert.deepEqual(compileDns({ resolvConf: conf }), {
    system: ["10.255.255.53:53", "[fe80::1]:53"],
  });
  // Another machine's resolvers are not known when the binary is built.
  assert.equal(compileDns({ target: "aarch64-apple-darwin", resolvConf: conf }), "off");
  assert.equal(compileDns({ resolvConf: "" }), "off");
  assert.equal(compileDns({ noDns: true, resolvConf: conf }), "off");
  assert.equal(compileDns({ noDns: true, dnsServer: "192.0.2.53" }), "off");
  assert.deepEqual(compileDns({ target: "x86_64-pc-windows-msvc", dnsServer: "192.0.2.53:5353" }), {
    server: { ipAddr: "192.0.2.53", port: 5353 },
  });
  assert.throws(() => compileDns({ dnsServer: "dns.example.net" }), /--dns-server takes an IP/);
});

Deno.test("compile: a runtime download failure says what happened and what to do", () => {
  const stderr = [
    "Compile src/main.ts to dist/bgp-lg-mcp",
    "Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip",
    "error: Writing deno compile executable to temporary file 'dist/bgp-lg-mcp.tmp-1'",
    "Caused by:",
    "    0: Setting up base binary.",
    "    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known",
  ].join("\n");
  const message = explainCompileFailure(stderr, "x86_64-unknown-linux-gnu");
  assert.match(message, /could not download the Deno runtime for x86_64-unknown-linux-gnu/);
  assert.match(message, /needs internet access \(dl\.deno\.land\)/);
  assert.match(
    explainCompileFailure("error: Module not found", "host"),
    /deno compile failed for host:\nerror: Module not found/,
  );
});

Deno.test("allow-net: host names, IPv6 literals in brackets, ports, no duplicates, disabled skipped", () => {
  const entry = (name: string, host: string, port: number, enabled = true) => ({
    name,
    host,
    port,
    dialect: "frr",
    login: "none",
    location: "",
    addressFamilies: ["ipv4"],
    enabled,
  });
  const config = parseConfig({
    defaultServer: "a",
    servers: [
      entry("a", "route-views2.routeviews.org", 23),
      entry("b", "2001:db8::23", 2605),
      entry("c", "192.0.2.7", 8023),
      entry("d", "route-views2.routeviews.org", 23), // same host:port twice
      entry("e", "off.example.net", 23, false),
    ],
  }, "t");
  assert.deepEqual(allowNetList(config), [
    "route-views2.routeviews.org:23",
    "[2001:db8::23]:2605",
    "192.0.2.7:8023",
  ]);
  assert.equal(
    allowNetFlag(config),
    "--allow-net=route-views2.routeviews.org:23,[2001:db8::23]:2605,192.0.2.7:8023",
  );
});

Deno.test("the library surface is deliberate: these values, and the types they take and return", async () => {
  const surface = async (path: string) => Object.keys(await import(path)).sort();
  assert.deepEqual(await surface("../src/mod.ts"), [
    "CommunityDictionary",
    "FINDING_KINDS",
    "LookingGlass",
    "VERSION",
    "asInfo",
    "builtinConfig",
    "compareRoute",
    "consensus",
    "describeError",
    "fetchSummary",
    "ipOrigin",
    "listServers",
    "loadCommunityDictionary",
    "loadConfig",
    "lookupRoute",
    "parseConfig",
    "parseDestination",
    "ping",
    "traceroute",
  ]);
  assert.deepEqual(await surface("../src/parsers.ts"), [
    "CommunityDictionary",
    "ParseError",
    "WELL_KNOWN_COMMUNITY_NAMES",
    "compileAsPathPattern",
    "describeCommunities",
    "parseFrrRoute",
    "parseFrrRouteJson",
    "parseFrrSummary",
    "parseFrrSummaryJson",
    "parseFrrTable",
    "parseFrrTableJson",
    "parseIosPing",
    "parseIosRoute",
    "parseIosSummary",
    "parseIosTable",
    "parseIosTraceroute",
    "parseJunosRoute",
    "parseJunosRoutes",
    "parseJunosSummary",
  ]);
  assert.deepEqual(await surface("../src/main.ts"), ["main", "serveStdio"]);
});
