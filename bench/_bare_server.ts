/**
 * The start-up baseline: a bare MCP SDK server on stdio with one echo tool.
 */

import { z } from "zod";
import { McpServer, StdioServerTransport } from "../src/mcp/_sdk.ts";

const server = new McpServer({ name: "bare", version: "0.0.0" });
server.registerTool("echo", { inputSchema: { text: z.string() } }, ({ text }) => ({
  content: [{ type: "text", text }],
}));
await server.connect(new StdioServerTransport());
