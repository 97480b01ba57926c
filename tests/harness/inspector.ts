/**
 * The MCP Inspector version the tests and README's commands use, and the
 * Node.js it needs (its package's `engines`). Unpinned, npx picks the newest
 * release whose `engines` accept the local Node: 0.15.0 on Node 20, whose
 * `--tool-arg … -- deno run …` fails with "Invalid parameter format".
 *
 * @module
 */

/** The Inspector package, pinned. */
export const INSPECTOR = "@modelcontextprotocol/inspector@2.12.0";

/** The oldest Node.js it supports. */
export const INSPECTOR_NODE = "22.19";
