/**
 * A JSON-RPC error answered to the client with exactly its code and message.
 * The SDK's `McpError` puts `MCP error <code>: ` in front of its message, and
 * the SDK's client puts it in front again, so a client would read the prefix
 * twice; this error leaves the prefix to the client.
 *
 * @module
 */

/** A JSON-RPC error for the client: `code`, a plain message and optional `data`. */
export class ProtocolError extends Error {
  /** The JSON-RPC error code (e.g. -32602, invalid params). */
  readonly code: number;
  /** Extra data for the client, sent as the error's `data`. */
  readonly data?: unknown;

  /** Creates the error. */
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}
