/**
 * The sandbox: the server runs with nothing but `--allow-net` for the route
 * servers of its (embedded) configuration — no read, write, env or run
 * permission — like the compiled binary. Every tool works against the real FRR
 * rig; a server outside the allow list is refused with the permission named,
 * never a prompt. AS names come from the built-in table with no read
 * permission; host names resolve through the one DNS server the binary is
 * given (`--dns-server`, baked in by `deno task compile --dns-server`), with
 * `--allow-net` for exactly that server. Then the MCP Inspector CLI (the version README names)
 * drives the same process.
 *
 * Nothing here downloads a module: the server runs with `--cached-only`. The
 * Inspector starts its server with only HOME, PATH, SHELL and TERM, so it is
 * given the module cache explicitly (`-e DENO_DIR=…`); the step runs npx under
 * an empty HOME to prove that nothing else is needed.
 */

import assert from "node:assert/strict";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  callTool,
  Client,
  INSPECTOR,
  RIG_ROUTES,
  rigTest,
  startDnsResponder,
  startFrrRig,
} from "./harness/mod.ts";

const ROOT = new URL("..", import.meta.url);

await rigTest(
  "sandbox: only --allow-net, embedded config; all tools; refusals; Inspector CLI",
  async (t) => {
    const rig = await startFrrRig();
    const dns = await startDnsResponder({
      "dual.example.net": { A: ["8.8.8.8"], AAAA: ["2001:4860:4860::8888"] },
      "private.example.net": { A: ["10.1.2.3"] },
    });
    try {
      // An entry module with the configuration compiled in (a static JSON import needs no permission).
      const config = JSON.parse(
        await Deno.readTextFile(
          await rig.writeConfig([{
            name: "elsewhere",
            host: "127.0.0.1",
            port: rig.vtyPort + 1,
            dialect: "frr",
            login: "none",
            location: "not in the allow list",
            addressFamilies: ["ipv4"],
            enabled: true,
          }]),
        ),
      );
      await Deno.writeTextFile(`${rig.dir}/servers.json`, JSON.stringify(config));
      await Deno.writeTextFile(
        `${rig.dir}/entry.ts`,
        [
          `import config from "./servers.json" with { type: "json" };`,
          `import { parseConfig } from "${new URL("src/config/schema.ts", ROOT)}";`,
          `import { serveStdio } from "${new URL("src/main.ts", ROOT)}";`,
          `await serveStdio(parseConfig(config, "servers.json (embedded)"), {`,
          `  dnsServer: { ipAddr: "127.0.0.1", port: ${dns.port} },`,
          `});`,
        ].join("\n"),
      );
      const command = [
        "run",
        "--no-prompt",
        "--cached-only",
        `--config=${new URL("deno.json", ROOT).pathname}`,
        `--allow-net=127.0.0.1:${rig.vtyPort},127.0.0.1:${dns.port}`,
        `${rig.dir}/entry.ts`,
      ];
      const env = Object.fromEntries(
        ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((k) => {
          const v = Deno.env.get(k);
          return v === undefined ? [] : [[k, v]];
        }),
      );

      await t.step(
        "SDK client: every tool works, a server outside --allow-net is refused",
        async () => {
          const transport = new StdioClientTransport({
            command: Deno.execPath(),
            args: command,
            env,
            stderr: "pipe",
          });
          let stderr = "";
          transport.stderr?.on(
            "data",
            (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)),
          );
          const client = new Client({ name: "sandbox", version: "0.0.0" });
          await client.connect(transport);
          try {
            const lookup = await callTool(client, "route_lookup", { destination: "8.8.8.8" });
            assert.equal(lookup.isError, undefined, lookup.text);
            const best =
              (lookup.structuredContent as { paths: { best: boolean; asPath: number[] }[] }).paths
                .find((p) => p.best)!;
            assert.deepEqual(best.asPath, RIG_ROUTES.google.viaGoogle.asPath);
            // AS names from the built-in table: a module, so no read permission is needed.
            assert.deepEqual(
              (best as { asPathNames?: string[] }).asPathNames,
              ["Google LLC", "Google LLC"],
            );
            assert.match(lookup.text, /\nAS names as of \S+: .*15169 Google LLC/);
            const asInfo = await callTool(client, "as_info", { asn: 3356 });
            assert.equal(
              (asInfo.structuredContent as { as: { name: string } }).as.name,
              "Level 3 Communications, Inc.",
            );
            const origin = await callTool(client, "ip_origin", { address: "1.1.1.1" });
            assert.equal(
              (origin.structuredContent as { covering: { asn: number } }).covering.asn,
              13335,
            );

            // A host name through the one DNS server allowed; its private address is refused.
            const named = await callTool(client, "route_lookup", {
              destination: "dual.example.net",
            });
            assert.equal(named.isError, undefined, named.text);
            assert.deepEqual(
              (named.structuredContent as { resolution: { asked: string } }).resolution.asked,
              "8.8.8.8",
            );
            const privateName = await callTool(client, "route_lookup", {
              destination: "private.example.net",
            });
            assert.equal(privateName.isError, true);
            assert.match(privateName.text, /10\.1\.2\.3.*private-use space/);

            const compare = await callTool(client, "route_compare", {
              destination: "8.8.8.0/24",
              servers: ["rig", "elsewhere"],
            });
            const c =
              (compare.structuredContent as { consensus: { seenBy: string[]; failed: string[] } })
                .consensus;
            assert.deepEqual([c.seenBy, c.failed], [["rig"], ["elsewhere"]]);
            assert.match(compare.text, /not allowed to connect to elsewhere/);
            // Findings and the picture, drawn with no permission beyond --allow-net.
            const judged = compare.structuredContent as {
              findings: { kind: string }[];
              graph: { mermaid: string };
              warnings: string[];
            };
            // FRR without RPKI; the server that could not be asked counts neither way.
            assert.deepEqual(judged.findings.map((f) => f.kind), ["rpki-not-validated"]);
            assert.match(compare.text, /^Findings \(/);
            assert.match(compare.text, /```mermaid\nflowchart LR\n/);
            assert.match(judged.graph.mermaid, /^flowchart LR/);
            const [image, ...more] = compare.content.filter((item) => item.type === "image");
            assert.deepEqual(more, []);
            assert.equal(image?.mimeType, "image/png", judged.warnings.join("; "));
            const png = Uint8Array.from(atob(image.data as string), (ch) => ch.charCodeAt(0));
            assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
            assert.ok(png.length > 5000, `${png.length} bytes`);

            const summary = await callTool(client, "bgp_summary", {});
            assert.equal(
              (summary.structuredContent as { totals: { established: number } }).totals.established,
              2,
            );

            const list = await callTool(client, "list_servers", { probe: true });
            const probes = (list.structuredContent as {
              servers: { probe: { reachable: boolean; error?: string } }[];
            })
              .servers.map((s) => s.probe);
            assert.equal(probes[0].reachable, true);
            assert.match(
              probes[1].error ?? "",
              /not allowed: start with --allow-net including 127\.0\.0\.1:\d+/,
            );

            const refused = await callTool(client, "route_lookup", {
              destination: "1.1.1.1",
              server: "elsewhere",
            });
            assert.equal(refused.isError, true);
            assert.match(
              refused.text,
              /not allowed to connect to elsewhere \(127\.0\.0\.1:\d+\).*--allow-net/,
            );
          } finally {
            await client.close();
            // StdioClientTransport.close() leaves a 2 s timer behind; let it fire (op sanitizer).
            await new Promise((resolve) => setTimeout(resolve, 2100));
          }
          assert.match(stderr, /quota ledger kept in memory only/);
          assert.doesNotMatch(stderr, /prompt|Granted|Deny/i);
        },
      );

      await t.step(
        "MCP Inspector CLI: tools/list and tools/call against the same process",
        async () => {
          // What the server needs beyond HOME, PATH, SHELL and TERM: the module cache.
          const denoDir = await denoInfo("denoDir");
          // npx keeps its own cache, so an empty HOME changes nothing for npx itself; the server
          // then finds no module cache under HOME and must get DENO_DIR from the Inspector.
          const home = await Deno.makeTempDir();
          const npxEnv = { ...env, HOME: home, npm_config_cache: await npmCache() };
          const inspector = async (...args: string[]) => {
            const output = await new Deno.Command("npx", {
              // Inspector options first; everything after `--` is the server's command line.
              args: [
                "-y",
                INSPECTOR,
                "--cli",
                "-e",
                `DENO_DIR=${denoDir}`,
                ...args,
                "--",
                Deno.execPath(),
                ...command,
              ],
              env: npxEnv,
              stdin: "null",
              stdout: "piped",
              stderr: "piped",
            }).output();
            return {
              code: output.code,
              stdout: new TextDecoder().decode(output.stdout),
              stderr: new TextDecoder().decode(output.stderr),
            };
          };
          try {
            const list = await inspector("--method", "tools/list");
            assert.equal(list.code, 0, list.stderr);
            const names = (JSON.parse(list.stdout).tools as { name: string }[]).map((tool) =>
              tool.name
            ).sort();
            assert.deepEqual(names, [
              "as_info",
              "bgp_summary",
              "ip_origin",
              "list_servers",
              "route_compare",
              "route_lookup",
            ]);

            const call = await inspector(
              "--method",
              "tools/call",
              "--tool-name",
              "route_lookup",
              "--tool-arg",
              "destination=1.1.1.0/24",
            );
            assert.equal(call.code, 0, call.stderr);
            const result = JSON.parse(call.stdout);
            assert.deepEqual(
              result.structuredContent.paths[0].asPath,
              RIG_ROUTES.cloudflare.asPath,
            );
          } finally {
            await Deno.remove(home, { recursive: true });
          }
        },
      );
    } finally {
      await dns.close();
      await rig.stop();
    }
  },
);

/** A field of `deno info --json`, e.g. the module cache in use (`denoDir`). */
async function denoInfo(field: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(output.stdout))[field];
}

/** npm's cache directory (where npx keeps the Inspector). */
async function npmCache(): Promise<string> {
  const output = await new Deno.Command("npm", {
    args: ["config", "get", "cache"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}
