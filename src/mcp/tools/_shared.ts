/**
 * What the tools share: the error-to-result mapping, the server-name schema,
 * the annotations of a read-only network query, and the path schema.
 *
 * @module
 */

import { z } from "zod";
import type { CallToolResult } from "../_sdk.ts";
import { type Config, enabledServers } from "../../config/schema.ts";
import { describeError } from "../../errors.ts";

/** Annotations for a tool that only reads from public servers. */
export const QUERY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

/** The `server` argument: one of the enabled servers' names, optional. */
export function serverNameSchema(config: Config) {
  const names = enabledServers(config).map((s) => s.name) as [string, ...string[]];
  const message = `Unknown or disabled server. Enabled servers: ${
    names.join(", ")
  } (list_servers describes them)`;
  return z.enum(names, { error: () => message }).optional().describe(
    `Route server to ask (default: ${config.defaultServer}). Use list_servers to see where each one is.`,
  );
}

/** Turns any failure into an `isError` tool result with an actionable message. */
export function errorResult(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: "text", text: describeError(error) }] };
}

/** Zod schema of one BGP path (mirrors `BgpPath`). */
export const pathSchema = z.object({
  best: z.boolean(),
  valid: z.boolean(),
  asPath: z.array(z.number().int()),
  asPathText: z.string(),
  originAs: z.number().int().nullable(),
  origin: z.enum(["IGP", "EGP", "incomplete"]),
  nextHop: z.string(),
  peer: z.object({ address: z.string(), routerId: z.string().optional() }),
  med: z.number().int().optional(),
  localPref: z.number().int().optional(),
  communities: z.array(z.string()),
  largeCommunities: z.array(z.string()),
  extendedCommunities: z.array(z.string()),
  rpki: z.enum(["valid", "invalid", "not-found"]).optional(),
  lastUpdate: z.string().optional(),
  communityDetails: z.array(z.object({
    community: z.string(),
    kind: z.enum(["standard", "large", "extended"]),
    name: z.string().optional(),
    asn: z.number().int().optional(),
    value: z.number().int().optional(),
    global: z.number().int().optional(),
    local1: z.number().int().optional(),
    local2: z.number().int().optional(),
    type: z.string().optional(),
    administrator: z.string().optional(),
    assigned: z.string().optional(),
  })).optional(),
});
