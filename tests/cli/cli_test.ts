import assert from "node:assert/strict";
import { FakeTelnetServer, fixture, loopbackEntry } from "../harness/mod.ts";
import { runCli } from "../harness/cli.ts";

function cli(args: string[], options: { stdin?: string; allow?: string[] } = {}) {
  return runCli(args, options);
}

Deno.test("cli: --help and --version", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /bgp-lg-mcp query DEST/);
  const version = await cli(["--version"]);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

Deno.test("cli: parse route turns captured FRR json into structured paths", async () => {
  const path = "tests/fixtures/frr-rig/route_8.8.8.8.json.txt";
  const result = await cli(["parse", "route", "--dialect", "frr-json", path], {
    allow: [`--allow-read=${path}`],
  });
  assert.equal(result.code, 0, result.stderr);
  const route = JSON.parse(result.stdout);
  assert.equal(route.prefix, "8.8.8.0/24");
  assert.deepEqual(route.paths.map((p: { asPath: number[] }) => p.asPath), [[3356, 174, 15169], [
    15169,
    15169,
  ]]);
});

Deno.test("cli: parse summary reads IOS text from stdin", async () => {
  const result = await cli(["parse", "summary", "--dialect", "cisco-ios", "-"], {
    stdin: fixture("cisco-ios/show_ip_bgp_summary.txt"),
  });
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.localAs, 65000);
  assert.equal(summary.neighbors.length, 10);
});

Deno.test("cli: parse table reads an orlonger answer (a BGP table)", async () => {
  const result = await cli(["parse", "table", "--dialect", "frr", "-"], {
    stdin: fixture("frr/show_ip_bgp_table.txt"),
  });
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as { prefix: string; paths: { nextHop: string }[] }[];
  assert.ok(rows.length > 1);
  assert.ok(rows.every((r) => /\/\d+$/.test(r.prefix) && r.paths.length > 0), result.stdout);
});

Deno.test("cli: parse --family picks Junos' inet.0 or inet6.0, and applies to Junos only", async () => {
  const ipv6 = fixture("junos-composed/show_route_detail_ipv6_orlonger.txt");
  const prefixes = async (family: string) => {
    const result = await cli(["parse", "table", "--dialect", "junos", "--family", family, "-"], {
      stdin: ipv6,
    });
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as { prefix: string }[]).map((r) => r.prefix);
  };
  assert.deepEqual(await prefixes("ipv6"), ["2001:db8:100::/40", "2001:db8:100:8000::/49"]);
  assert.deepEqual(await prefixes("ipv4"), []);
  const multi = fixture("junos/show_route_prefix_bgp_multi_table.txt");
  const route = await cli(["parse", "route", "--dialect", "junos", "--family", "ipv4", "-"], {
    stdin: multi,
  });
  assert.equal(JSON.parse(route.stdout).prefix, "10.36.255.252/32");
  const frr = await cli(["parse", "table", "--dialect", "frr", "--family", "ipv6", "-"], {
    stdin: "",
  });
  assert.equal(frr.code, 2);
  assert.match(
    frr.stderr,
    /^--family does not apply to --dialect frr: its table answers hold one family\n/,
  );
  const bad = await cli(["parse", "route", "--dialect", "junos", "--family", "inet6", "-"], {
    stdin: "",
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^--family is ipv4 or ipv6\n/);
});

Deno.test("cli: a parse error names the line number and the line", async () => {
  const text = [
    "BGP routing table entry for 8.8.8.0/24",
    "Paths: (1 available, best #1)",
    "  15169",
    "    bogus from 192.0.2.4 (192.0.2.4)",
    "      Origin IGP, valid, external, best",
  ].join("\n");
  const result = await cli(["parse", "route", "--dialect", "frr", "-"], { stdin: text });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    'Cannot parse stdin as frr route, line 4 "    bogus from 192.0.2.4 (192.0.2.4)": ' +
      'The next hop "bogus" is not an IP address\n',
  );
});

Deno.test("cli: usage errors exit 2 with the usage", async () => {
  const unknown = await cli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  const dialect = await cli(["parse", "route", "--dialect", "bird", "-"], { stdin: "" });
  assert.equal(dialect.code, 2);
  assert.match(
    dialect.stderr,
    /--dialect for parse route is one of cisco-ios, frr, frr-json, junos/,
  );
});

Deno.test("cli: a bad config stops the program naming the file, entry and field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/servers.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        defaultServer: "x",
        servers: [{
          name: "x",
          host: "h",
          port: 0,
          dialect: "frr",
          login: "none",
          location: "",
          addressFamilies: ["ipv4"],
          enabled: true,
        }],
      }),
    );
    const result = await cli(["serve", "--config", file], { allow: [`--allow-read=${file}`] });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /servers\.json: servers\[0\] \(x\) field "port"/);
    assert.equal(result.stdout, "");
    const unreadable = await cli(["--config", file]);
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /cannot read the file.*--allow-read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a refused destination exits 1 and contacts nobody (no network permission at all)", async () => {
  const result = await cli(["query", "fe80::1%eth0"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /zone id/);
  assert.equal(result.stdout, "");
});

Deno.test("cli: allow-net prints the flag deno task start uses", async () => {
  const result = await cli(["allow-net"]);
  assert.equal(result.code, 0);
  const denoJson = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  assert.ok(denoJson.tasks.start.includes(result.stdout.trim()));
  assert.match(
    result.stdout,
    /^--allow-net=route-views\.routeviews\.org:23,route-views2\.routeviews\.org:23,/,
  );
});

Deno.test("cli: servers --json never prints a password", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/servers.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        defaultServer: "att",
        servers: [{
          name: "att",
          host: "route-server.example.net",
          port: 23,
          dialect: "frr",
          login: { username: "rviews", password: "s3cret-pw" },
          location: "x",
          addressFamilies: ["ipv4"],
          enabled: true,
        }],
      }),
    );
    const result = await cli(["servers", "--json", "--config", file, "--ledger", "memory"], {
      allow: [`--allow-read=${file}`],
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.includes("s3cret-pw"), false);
    assert.deepEqual(JSON.parse(result.stdout).servers[0].login, {
      username: "rviews",
      password: "(set)",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: servers --probe books each probe in the quota ledger, like list_servers, and stops at the budget", async () => {
  await using fake = new FakeTelnetServer(async (c) => {
    await c.send("rv> ");
    await c.line(); // a probe closes at once
  });
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/servers.json`;
    const ledger = `${dir}/ledger.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        defaultServer: "rs",
        servers: [loopbackEntry("rs", fake.port, { quota: { connections: 1 } })],
      }),
    );
    const probe = () =>
      cli(["--config", config, "--ledger", ledger, "servers", "--probe", "--json"], {
        allow: [
          `--allow-net=127.0.0.1:${fake.port}`,
          `--allow-read=${dir}`,
          `--allow-write=${dir}`,
        ],
      });
    type Listed = {
      servers: {
        budget: { used: { connections: number } };
        probe: { reachable: boolean; error?: string };
      }[];
    };
    const first = await probe();
    assert.equal(first.code, 0, first.stderr);
    const [once] = (JSON.parse(first.stdout) as Listed).servers;
    assert.equal(once.probe.reachable, true);
    assert.equal(once.budget.used.connections, 1);
    // The next process reads the booking back: the budget is spent, so no connection is made.
    const second = await probe();
    assert.equal(second.code, 0, second.stderr);
    const [again] = (JSON.parse(second.stdout) as Listed).servers;
    assert.equal(again.probe.reachable, false);
    assert.match(again.probe.error ?? "", /not probed: the connection budget is used up/);
    assert.equal(fake.connections, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
