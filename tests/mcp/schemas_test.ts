/**
 * What a model reads about each tool's answer: every field of every output
 * schema, nested ones included, is described (the schemas are checked against
 * the result types at compile time, in src/mcp/tools/_schemas.ts).
 */

import assert from "node:assert/strict";
import { builtinConfig } from "../../src/config/load.ts";
import { connectInProcess } from "../harness/mod.ts";

type Schema = {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
};

/** The paths of the fields under `schema` that have no description. */
function undescribed(schema: Schema, path: string): string[] {
  const out: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (!field.description) out.push(`${path}.${name}`);
    out.push(...undescribed(field, `${path}.${name}`));
  }
  if (schema.items) out.push(...undescribed(schema.items, `${path}[]`));
  for (const [i, branch] of (schema.anyOf ?? []).entries()) {
    out.push(...undescribed(branch, `${path}<${i}>`));
  }
  return out;
}

Deno.test("every output field of every tool is described", async () => {
  await using client = await connectInProcess(builtinConfig());
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), [
    "route_lookup",
    "route_compare",
    "bgp_summary",
    "list_servers",
    "ping",
    "traceroute",
    "as_info",
    "ip_origin",
  ]);
  for (const tool of tools) {
    const schema = tool.outputSchema as Schema | undefined;
    assert.ok(schema?.properties, `${tool.name} has an output schema`);
    assert.deepEqual(undescribed(schema, tool.name), []);
    // The arguments were described before; they stay so.
    assert.deepEqual(undescribed(tool.inputSchema as Schema, `${tool.name}(args)`), []);
  }
});
