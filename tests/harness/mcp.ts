/**
 * The SDK's real MCP client for tests, with typed imports (see src/_sdk.ts for why).
 */

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Config } from "../../src/config/schema.ts";
import {
  type EngineOptions,
  type LookingGlass,
  openLookingGlass,
} from "../../src/service/looking_glass.ts";
import { createServer } from "../../src/mcp/server.ts";

export { Client };
export type { CallToolResult };

/**
 * An in-process client connected to `createServer()`. Close it when done.
 * The ledger is in memory and host names are off unless `options` say
 * otherwise: a test that resolves names gives its own loopback DNS server
 * (`dnsServer`), so no test ever asks the system's resolver.
 */
export async function connectInProcess(
  config: Config,
  options: EngineOptions = {},
): Promise<Client & AsyncDisposable & { lg: LookingGlass }> {
  const lg = await openLookingGlass(config, { ledgerPath: null, hostNames: false, ...options });
  const server = createServer(lg);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "bgp-lg-mcp-tests", version: "0.0.0" });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return Object.assign(client, {
    lg,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
      await lg.close();
    },
  });
}

/** Calls a tool and returns the result with its text joined. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  return { ...result, text };
}
