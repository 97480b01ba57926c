/**
 * End to end: the SDK's real MCP client spawns the real server process over
 * stdio, with network access limited to the rig's vty port, and calls every tool.
 */

import assert from "node:assert/strict";
import type { BgpPath } from "../../src/bgp/types.ts";
import { callTool, RIG_ROUTES, rigTest, spawnServer, startFrrRig } from "../harness/mod.ts";

await rigTest(
  "stdio end to end: spawned server with scoped --allow-net answers all three tools",
  async (t) => {
    const rig = await startFrrRig();
    try {
      // A second server on a port the process is not allowed to reach.
      const configPath = await rig.writeConfig([{
        name: "not-allowed",
        host: "127.0.0.1",
        port: rig.vtyPort + 1,
        dialect: "frr",
        login: "none",
        location: "outside the --allow-net list",
        addressFamilies: ["ipv4"],
        enabled: true,
      }]);
      const server = await spawnServer(configPath, [`127.0.0.1:${rig.vtyPort}`]);
      const client = server.client;
      try {
        await t.step("initialize: name, version and instructions", () => {
          assert.equal(client.getServerVersion()?.name, "bgp-lg-mcp");
          assert.match(client.getInstructions() ?? "", /route_lookup/);
        });

        await t.step("route_lookup over stdio", async () => {
          const result = await callTool(client, "route_lookup", { destination: "8.8.8.0/24" });
          assert.equal(result.isError, undefined, result.text);
          const data = result.structuredContent as { prefix: string; paths: BgpPath[] };
          assert.equal(data.prefix, RIG_ROUTES.google.prefix);
          const best = data.paths.find((p) => p.best)!;
          assert.deepEqual(best.asPath, RIG_ROUTES.google.viaGoogle.asPath);
          assert.equal(best.nextHop, RIG_ROUTES.google.viaGoogle.nextHop);
        });

        await t.step("bgp_summary over stdio", async () => {
          const result = await callTool(client, "bgp_summary", {});
          const data = result.structuredContent as {
            totals: { neighbors: number; established: number };
          };
          assert.deepEqual(data.totals.established, 2);
          assert.deepEqual(data.totals.neighbors, 3);
        });

        await t.step("list_servers over stdio", async () => {
          const result = await callTool(client, "list_servers", { probe: true });
          const servers = (result.structuredContent as {
            servers: { name: string; probe: { reachable: boolean } }[];
          })
            .servers;
          assert.deepEqual(servers.map((s) => [s.name, s.probe.reachable]), [["rig", true], [
            "not-allowed",
            false,
          ]]);
        });

        await t.step(
          "a refused destination is an isError result and the process keeps serving",
          async () => {
            const refused = await callTool(client, "route_lookup", { destination: "fe80::1%eth0" });
            assert.equal(refused.isError, true);
            assert.match(refused.text, /zone id/);
            const again = await callTool(client, "route_lookup", { destination: "1.1.1.0/24" });
            assert.equal(again.isError, undefined);
          },
        );

        await t.step(
          "a server outside --allow-net is a clear permission error, never a prompt",
          async () => {
            const result = await callTool(client, "route_lookup", {
              destination: "8.8.8.8",
              server: "not-allowed",
            });
            assert.equal(result.isError, true);
            assert.match(
              result.text,
              /not allowed to connect to not-allowed .*--allow-net that includes 127\.0\.0\.1:\d+/,
            );
            const still = await callTool(client, "bgp_summary", { server: "rig" });
            assert.equal(still.isError, undefined);
          },
        );
      } finally {
        await server[Symbol.asyncDispose]();
      }
      const stderr = server.stderr();
      // Logs went to stderr only; stdout carried nothing but the protocol (or the client would have failed).
      assert.doesNotMatch(stderr, /error/i);
      // No --allow-env/--allow-write: the quota ledger lives in memory, and says so once.
      assert.equal(stderr.match(/quota ledger kept in memory only/g)?.length, 1, stderr);
    } finally {
      await rig.stop();
    }
  },
);
