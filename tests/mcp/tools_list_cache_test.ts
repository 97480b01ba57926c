/**
 * `tools/list` is computed once (the SDK converts every zod schema to JSON
 * Schema on each request, 28 to 38 ms for this server) and again only when the
 * tools change.
 */

import assert from "node:assert/strict";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { z } from "zod";
import { builtinConfig } from "../../src/config/load.ts";
import { createServer } from "../../src/mcp/server.ts";
import { LookingGlass } from "../../src/service/looking_glass.ts";
import { Client } from "../harness/mod.ts";

Deno.test("tools/list is answered from its first answer until the tools change", async () => {
  await using lg = await LookingGlass.open(builtinConfig(), { ledgerPath: null });
  const server = createServer(lg);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "t", version: "0" });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  try {
    const first = await client.listTools();
    const lookup = first.tools.find((t) => t.name === "route_lookup")!;
    assert.ok(lookup.inputSchema.properties?.destination);
    // Changed behind the SDK's back: an answer computed again would show it.
    const registered = (server as unknown as {
      _registeredTools: Record<string, { description: string }>;
    })._registeredTools;
    const description = registered.route_lookup.description;
    registered.route_lookup.description = "changed";
    const second = await client.listTools();
    assert.deepEqual(second, first);
    registered.route_lookup.description = description;

    // A tool added (the SDK says the list changed) is listed.
    server.registerTool("added", { description: "x", inputSchema: { a: z.string() } }, () => ({
      content: [],
    }));
    const third = await client.listTools();
    assert.deepEqual(third.tools.map((t) => t.name), [...first.tools.map((t) => t.name), "added"]);
    assert.deepEqual(
      third.tools.find((t) => t.name === "route_lookup"),
      lookup,
    );
  } finally {
    await client.close();
    await server.close();
  }
});
