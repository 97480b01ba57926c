/**
 * What the CLI and the tools say when something fails: `parse` on a file it
 * cannot read says so in one line and exits 1; a router's refusal is quoted
 * with one full stop; the CLI names its own `servers` command where the tools
 * name `list_servers`.
 */

import assert from "node:assert/strict";
import { CommandRejectedError } from "../../src/errors.ts";
import { hasUnsafeCharacters } from "../../src/_text.ts";
import { callTool, connectInProcess, FakeTelnetServer, iosScript } from "../harness/mod.ts";
import { withDeadline } from "../_deadline.ts";
import { parseConfig } from "../../src/config/schema.ts";
import { runCli } from "../harness/cli.ts";

const root = new URL("../..", import.meta.url);

/** Runs the CLI (`src/main.ts`) with `permissions` and `args`; bounded in time. */
function cli(permissions: string[], args: string[]) {
  return runCli(args, { allow: permissions });
}

function iosServer(name: string, port: number) {
  return {
    name,
    host: "127.0.0.1",
    port,
    dialect: "cisco-ios",
    login: { username: "rviews" },
    location: name,
    addressFamilies: ["ipv4"],
    enabled: true,
  };
}

Deno.test("cli: parse on a file it cannot read prints one line and exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/missing.txt`;
    const absent = await cli([`--allow-read=${dir}`], [
      "parse",
      "route",
      "--dialect",
      "frr",
      missing,
    ]);
    assert.deepEqual([absent.code, absent.stdout, absent.stderr], [
      1,
      "",
      `Cannot read ${missing}: no such file\n`,
    ]);

    const capture = `${dir}/capture.txt`;
    await Deno.writeTextFile(capture, "BGP routing table entry for 8.8.8.0/24\n");
    const denied = await cli([], ["parse", "route", "--dialect", "frr", capture]);
    assert.deepEqual([denied.code, denied.stdout, denied.stderr], [
      1,
      "",
      `Cannot read ${capture}: no permission to read it; give it on stdin instead ` +
      `(\`parse … - < ${capture}\`), or run with deno run --allow-read=${capture}\n`,
    ]);

    const directory = await cli([`--allow-read=${dir}`], [
      "parse",
      "route",
      "--dialect",
      "frr",
      dir,
    ]);
    assert.deepEqual([directory.code, directory.stderr], [
      1,
      `Cannot read ${dir}: it is a directory\n`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: a FIFO or a huge file as --config, --communities or parse input: one line, never a hang", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = `${dir}/fifo`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success, "mkfifo");
    const huge = `${dir}/huge.json`;
    {
      // Sparse: 65 MiB of nothing, more than any of the three may be.
      using file = await Deno.open(huge, { write: true, create: true });
      await file.truncate(65 * 1024 * 1024);
    }
    const read = [`--allow-read=${dir}`];
    const cases: [string[], number, string][] = [
      [["--config", fifo, "servers"], 2, `${fifo}: cannot read the file: it is not a regular file`],
      [["--config", huge, "servers"], 2, `${huge}: cannot read the file: it has 68157440 bytes`],
      [["--communities", fifo, "servers"], 2, `Community dictionary ${fifo}: not a regular file`],
      [
        ["--communities", huge, "servers"],
        2,
        `Community dictionary ${huge}: it has 68157440 bytes`,
      ],
      [["parse", "route", "--dialect", "frr", fifo], 1, `Cannot read ${fifo}: it is not a regular`],
      [
        ["parse", "route", "--dialect", "frr", huge],
        1,
        `Cannot read ${huge}: it has 68157440 bytes`,
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(read, args);
      assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      assert.ok(result.stderr.startsWith(message), `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: parse - reads at most 64 MiB of stdin", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "src/main.ts", "parse", "route", "--dialect", "frr", "-"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writing = (async () => {
    const writer = child.stdin.getWriter();
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    try {
      for (let i = 0; i < 80; i++) await writer.write(chunk);
      await writer.close();
    } catch {
      // The CLI stopped reading and exited: the pipe is closed.
    }
  })();
  const output = await withDeadline(child.output(), 30_000, "parse -", () => child.kill());
  await writing;
  const stderr = new TextDecoder().decode(output.stderr);
  assert.deepEqual([output.code, stderr], [
    1,
    "Cannot read stdin: The input is more than 64 MiB\n",
  ]);
});

Deno.test("cli: a command, an option or a path from the command line is echoed escaped", async () => {
  const hostile = "\u001b[2J\u0085\u2028\u202e";
  const command = await cli([], [`${hostile}frobnicate`]);
  assert.equal(command.code, 2);
  assert.ok(
    command.stderr.startsWith('Unknown command "\\u001b[2J\\u0085\\u2028\\u202efrobnicate"\n'),
    command.stderr.slice(0, 120),
  );
  const option = await cli([], [`--${hostile}x`]);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /\\u001b\[2J\\u0085\\u2028\\u202ex/);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/${hostile}.txt`;
    const path = await cli([`--allow-read=${dir}`], ["parse", "route", "--dialect", "frr", file]);
    assert.deepEqual([path.code, path.stderr], [
      1,
      `Cannot read ${dir}/\\u001b[2J\\u0085\\u2028\\u202e.txt: no such file\n`,
    ]);
    const config = await cli([`--allow-read=${dir}`], ["--config", file, "servers"]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /\\u001b\[2J\\u0085\\u2028\\u202e\.txt: cannot read the file/);
    // Log lines too (the ledger path in a warning).
    const logged = await cli([`--allow-write=${dir}`], ["--ledger", file, "servers"]);
    assert.match(logged.stderr, /bgp-lg-mcp warn: quota ledger .*\\u001b\[2J\\u0085\\u2028\\u202e/);
    for (const { stderr } of [command, option, path, config, logged]) {
      // One line each (the usage after a usage error aside): nothing that acts on a display.
      assert.ok(
        !hasUnsafeCharacters(stderr.replaceAll("\n", "")),
        JSON.stringify(stderr.slice(0, 200)),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a router's refusal is quoted with one full stop, whatever it ends with", () => {
  const hint = "The server does not support this query";
  const message = (reply: string) => new CommandRejectedError("rv", "show x", reply, hint).message;
  assert.equal(
    message("% Invalid input detected at '^' marker."),
    "rv rejected `show x`: % Invalid input detected at '^' marker. The server does not support this query",
  );
  assert.equal(message("% Unknown command"), "rv rejected `show x`: % Unknown command. " + hint);
  assert.equal(
    message("% Ambiguous command..  \n"),
    "rv rejected `show x`: % Ambiguous command. " + hint,
  );
  assert.equal(message("Really?"), "rv rejected `show x`: Really? " + hint);
  assert.equal(message(" . "), "rv rejected `show x`: (no reason given). " + hint);
  assert.equal(new CommandRejectedError("rv", "show x", "a.", hint).reply, "a.");
});

Deno.test("cli: a refusal is one sentence and points to the servers command", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ defaultServer: "rv", servers: [iosServer("rv", server.port)] }),
    );
    const permissions = [`--allow-read=${config}`, `--allow-net=127.0.0.1:${server.port}`];
    const options = ["--config", config, "--ledger", "memory"];

    const refused = await cli(permissions, ["query", "8.8.8.8", ...options]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, "");
    assert.equal(
      refused.stderr,
      "rv rejected `show ip bgp 8.8.8.8 | exclude pathid:|Epoch`: % Invalid input detected at '^' marker. " +
        "The server does not support this query; try another server (the servers command shows them)\n",
    );

    const unknown = await cli(permissions, ["query", "8.8.8.8", "--server", "rv9", ...options]);
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr,
      'Unknown server "rv9". Use the servers command to see the configured servers. ' +
        "Nothing was sent to any server\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tools: a refusal is one sentence and points to list_servers", async () => {
  await using server = new FakeTelnetServer(iosScript({ answers: {} }));
  await using client = await connectInProcess(
    parseConfig({ defaultServer: "rv", servers: [iosServer("rv", server.port)] }, "test"),
  );
  const result = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
  assert.equal(result.isError, true);
  assert.equal(
    result.text,
    "rv rejected `show ip bgp 8.8.8.8 | exclude pathid:|Epoch`: % Invalid input detected at '^' marker. " +
      "The server does not support this query; try another server (list_servers shows them)",
  );
});
