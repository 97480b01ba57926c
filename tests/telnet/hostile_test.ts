/**
 * Hostile route servers against the real server process (stdio): each gives a
 * clear isError result within its deadline + 1 s, the process keeps serving
 * other calls, and its memory stays bounded.
 */

import assert from "node:assert/strict";
import {
  callTool,
  type FakeConnection,
  FakeTelnetServer,
  fixture,
  FRR_NEGOTIATION,
  frrScript,
  IOS_ERASE,
  IOS_MORE,
  loopbackEntry,
  NAMES_RSS_ALLOWANCE,
  spawnServer,
} from "../harness/mod.ts";

const LOGIN_MS = 1000;
const COMMAND_MS = 1500;
const MAX_BYTES = 64 * 1024;

type Script = (c: FakeConnection) => Promise<void>;

/** Greets like FRR, then runs `answer` for every command after `terminal length 0`. */
function afterPrompt(answer: (c: FakeConnection, line: string) => Promise<boolean>): Script {
  return async (c) => {
    await c.send(FRR_NEGOTIATION);
    await c.send("rv> ");
    c.prompt = "rv> "; // an empty line gets the prompt again, as on FRR
    while (true) {
      const line = await c.command();
      if (line === null) return;
      if (line === "terminal length 0") {
        await c.send(`${line}\r\nrv> `);
        continue;
      }
      if (!(await answer(c, line))) return;
    }
  };
}

const HOSTILE: Record<string, { script: Script; phase: "login" | "command"; message: RegExp }> = {
  "iac-flood": {
    phase: "login",
    message: /sent more than 256 KiB without showing a prompt|did not show a prompt/,
    script: async (c) => {
      const flood = new Uint8Array(4095);
      for (let i = 0; i < flood.length; i += 3) flood.set([255, 251 + (i % 4), (i / 3) % 256], i);
      while (await c.send(flood)) { /* until the client hangs up */ }
    },
  },
  "sb-without-se": {
    phase: "login",
    message: /sent more than 256 KiB without showing a prompt|did not show a prompt/,
    script: async (c) => {
      await c.send(new Uint8Array([255, 250, 24]));
      const chunk = new Uint8Array(4096).fill(65);
      while (await c.send(chunk)) { /* never IAC SE */ }
    },
  },
  "accept-then-silence": {
    phase: "login",
    message: /did not show a prompt within 1 s/,
    script: (c) => c.sleep(60_000),
  },
  "endless-more": {
    phase: "command",
    message: /exceeded the 64 KiB output cap|did not finish answering/,
    script: afterPrompt(async (c, line) => {
      await c.send(`${line}\r\n`);
      while (true) {
        if (!(await c.send("x".repeat(200) + "\r\n" + IOS_MORE))) return false;
        if ((await c.key()) === null) return false;
        await c.send(IOS_ERASE);
      }
    }),
  },
  "prompt-changes": {
    phase: "command",
    message: /did not finish answering .* within 1\.5 s/,
    script: afterPrompt(async (c, line) => {
      await c.send(`${line}\r\n{}\r\nother-router# `);
      return true;
    }),
  },
  "huge-answer": {
    phase: "command",
    message: /exceeded the 64 KiB output cap/,
    script: afterPrompt(async (c, line) => {
      await c.send(`${line}\r\n`);
      for (let i = 0; i < 100_000; i++) {
        if (!(await c.send(`line ${i} of a table walk nobody asked for\r\n`))) return false;
      }
      return false;
    }),
  },
  "reset-mid-command": {
    phase: "command",
    message: /closed the connection/,
    script: afterPrompt(async (c, line) => {
      await c.send(`${line}\r\n{ "prefix": "8.8.8.0/24", "paths": [`);
      return false;
    }),
  },
  "slowloris": {
    phase: "command",
    message: /did not finish answering .* within 1\.5 s/,
    script: afterPrompt(async (c, line) => {
      for (const char of `${line}\r\n{}\r\nrv> `) {
        await c.sleep(1000);
        if (!(await c.send(char))) return false;
      }
      return true;
    }),
  },
};

Deno.test("hostile servers: clear errors within deadline + 1 s, the process keeps serving, memory bounded", async (t) => {
  const good = new FakeTelnetServer(frrScript({
    answers: {
      "show bgp ipv4 unicast 8.8.8.8 json": fixture("frr-rig/route_8.8.8.8.json.txt"),
      // NULs, ANSI colour codes and invalid UTF-8 around a real answer are cleaned, not fatal.
      "show bgp ipv4 unicast 8.8.8.1 json": "\x1b[1m" + fixture("frr-rig/route_8.8.8.8.json.txt")
        .replace('"prefix"', '\u0000"prefix"').replace('"version"', '"vers\u00c3\u0028ion"') +
        "\x1b[0m",
    },
  }));
  const fakes = Object.fromEntries(
    Object.entries(HOSTILE).map(([name, { script }]) => [name, new FakeTelnetServer(script)]),
  );
  const dir = await Deno.makeTempDir();
  try {
    const entry = (name: string, port: number) => loopbackEntry(name, port);
    const config = `${dir}/servers.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        defaultServer: "good",
        limits: {
          loginTimeoutMs: LOGIN_MS,
          commandTimeoutMs: COMMAND_MS,
          queryTimeoutMs: 20_000,
          maxOutputBytes: MAX_BYTES,
          cacheTtlMs: 0,
        },
        servers: [
          entry("good", good.port),
          ...Object.entries(fakes).map(([name, fake]) => entry(name, fake.port)),
        ],
      }),
    );
    const ports = [good.port, ...Object.values(fakes).map((f) => f.port)].map((p) =>
      `127.0.0.1:${p}`
    );
    await using server = await spawnServer(config, ports);

    for (const [name, { phase, message }] of Object.entries(HOSTILE)) {
      await t.step(name, async () => {
        const started = performance.now();
        const result = await callTool(server.client, "route_lookup", {
          destination: "8.8.8.8",
          server: name,
        });
        const elapsed = performance.now() - started;
        assert.equal(result.isError, true, result.text);
        assert.match(result.text, message);
        const deadline = phase === "login" ? LOGIN_MS : COMMAND_MS;
        assert.ok(elapsed <= deadline + 1000, `${name} answered after ${Math.round(elapsed)} ms`);
        // The process keeps serving.
        const ok = await callTool(server.client, "route_lookup", { destination: "8.8.8.8" });
        assert.equal(ok.isError, undefined, ok.text);
      });
    }

    await t.step("NULs, ANSI escapes and invalid UTF-8 in an answer are cleaned", async () => {
      const result = await callTool(server.client, "route_lookup", { destination: "8.8.8.1" });
      assert.equal(result.isError, undefined, result.text);
      const paths =
        (result.structuredContent as { paths: { asPath: number[]; best: boolean }[] }).paths;
      assert.deepEqual(paths.find((p) => p.best)?.asPath, [15169, 15169]);
    });

    await t.step("memory stayed bounded", async () => {
      const rss = await server.peakRss();
      assert.ok(rss < 150 * 1024 * 1024 + NAMES_RSS_ALLOWANCE, `peak RSS ${rss}`);
    });
    assert.doesNotMatch(server.stderr(), /Unexpected error|unexpected failure/);
  } finally {
    for (const fake of Object.values(fakes)) await fake.close();
    await good.close();
    await Deno.remove(dir, { recursive: true });
  }
});
