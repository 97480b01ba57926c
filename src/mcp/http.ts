/**
 * MCP over Streamable HTTP, for a team: `Deno.serve` with the SDK's
 * web-standard transport, bearer tokens, DNS rebinding checks, `/healthz` and
 * `/metrics`.
 *
 * Stateless: every POST to `/mcp` gets a fresh transport and a fresh MCP
 * server from the factory, closed when its answer has been sent (or the
 * client went away, which cancels the tool calls in it). No session lives in
 * a replica, so any replica behind a load balancer can answer any request and
 * nothing piles up in memory; what must be shared between requests (cache,
 * quota ledger, connection limits) lives in the looking glass, in Redis for a
 * team. The cost: no server-to-client stream outside a request (GET is
 * answered 405), and a `notifications/cancelled` sent in its own request
 * reaches no call (a client that drops the connection does cancel).
 *
 * Access: with tokens (`--tokens FILE`) every request to `/mcp` and
 * `/metrics` needs `Authorization: Bearer <token>` (401 with the reason
 * otherwise); the token's name is the user the call runs for. Without tokens
 * the server listens on loopback only. The Host header must name this server
 * (for a loopback address: localhost, 127.0.0.1 or [::1], plus any
 * `allowedHosts`), and a request with an Origin header must come from one of
 * `allowedOrigins` (none by default): a web page cannot reach the server by
 * DNS rebinding. `/healthz` answers `ok` to anyone, with no detail.
 *
 * @module
 */

import type { AuthInfo, JSONRPCMessage, McpServer } from "./_sdk.ts";
import { WebStandardStreamableHTTPServerTransport } from "./_sdk.ts";
import { BindRefusedError } from "../errors.ts";
import { log } from "../log.ts";
import { runAsUser } from "../politeness/user_context.ts";
import { type Tokens, unauthorized } from "./auth.ts";
import { METRICS_CONTENT_TYPE, type ServerMetrics, serverMetrics } from "./metrics.ts";

/** Who a request is for: the factory builds its MCP server with this. */
export interface RequestContext {
  /** The token's name, or `undefined` when the server runs without tokens. */
  user: string | undefined;
}

/** Options for {@linkcode serveHttp}. */
export interface HttpServeOptions {
  /** Address to listen on (`127.0.0.1`, `::1`, `0.0.0.0` …). */
  hostname: string;
  /** Port (0: any free one). */
  port: number;
  /** Bearer tokens; without them only a loopback address is allowed. */
  tokens?: Tokens | null;
  /** Builds the MCP server for one request (e.g. `() => createServer(lg)`). */
  createServer: (context: RequestContext) => McpServer;
  /** The metrics to count into and serve at `/metrics` (default: new ones). */
  metrics?: ServerMetrics;
  /** More host names the Host header may carry (e.g. the name clients use). */
  allowedHosts?: readonly string[];
  /** Origins allowed to call (`https://app.example.net`); none by default. */
  allowedOrigins?: readonly string[];
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Called once listening, with the address. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A running HTTP server. */
export interface HttpServer extends AsyncDisposable {
  /** The address it listens on. */
  addr: Deno.NetAddr;
  /** `http://host:port/mcp`. */
  url: string;
  /** The metrics it counts into. */
  metrics: ServerMetrics;
  /** Stops accepting, ends the requests in flight and closes their MCP servers. */
  shutdown(): Promise<void>;
}

/** Whether a listening address or host name is loopback only. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host === "::1") return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((p) => Number(p) <= 255) && v4[1] === "127";
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Starts serving MCP over HTTP at `/mcp`.
 *
 * @throws {BindRefusedError} for a non-loopback address without tokens (nothing is opened)
 */
export function serveHttp(options: HttpServeOptions): HttpServer {
  const tokens = options.tokens ?? null;
  if (tokens === null && !isLoopback(options.hostname)) {
    throw new BindRefusedError(options.hostname);
  }
  const metrics = options.metrics ?? serverMetrics();
  const loopback = isLoopback(options.hostname);
  const hosts = new Set([
    ...(loopback ? LOOPBACK_HOSTS : []),
    ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
  ]);
  const origins = new Set(options.allowedOrigins ?? []);
  const live = new Set<() => Promise<void>>();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") {
      return request.method === "GET" || request.method === "HEAD"
        ? new Response(request.method === "HEAD" ? null : "ok\n", {
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        })
        : methodNotAllowed("GET");
    }
    if (url.pathname !== "/mcp" && url.pathname !== "/metrics") {
      return jsonError(404, -32000, `Not found: the MCP endpoint is /mcp`);
    }
    const refused = checkHostAndOrigin(request, hosts, origins);
    if (refused) return refused;
    let user: string | undefined;
    if (tokens) {
      const outcome = tokens.authenticate(request.headers.get("authorization"));
      if (!outcome.ok) {
        metrics.authFailures.inc({ reason: outcome.reason });
        return unauthorized(outcome);
      }
      user = outcome.user;
    }
    if (url.pathname === "/metrics") {
      if (request.method !== "GET") return methodNotAllowed("GET");
      return new Response(await metrics.registry.render(), {
        headers: { "Content-Type": METRICS_CONTENT_TYPE },
      });
    }
    if (request.method !== "POST") {
      // Stateless: no stream outside a request, no session to delete.
      return methodNotAllowed("POST");
    }
    return await mcpRequest(request, user);
  };

  const mcpRequest = async (request: Request, user: string | undefined): Promise<Response> => {
    const server = options.createServer({ user });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: maxBodyBytes,
    });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      live.delete(close);
      // Closing the server closes the transport and aborts the calls still running.
      await server.close().catch(() => {});
    };
    live.add(close);
    try {
      await server.connect(transport);
      count(transport, metrics);
      const authInfo: AuthInfo | undefined = user === undefined
        ? undefined
        : { token: "(not kept)", clientId: user, scopes: [] };
      const response = await (user === undefined
        ? transport.handleRequest(request, { authInfo })
        : runAsUser(user, () =>
          transport.handleRequest(request, { authInfo })));
      if (response.body === null) {
        await close();
        return response;
      }
      // Closed once the answer has been sent, or when the client stops reading.
      const reader = response.body.getReader();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) {
            controller.close();
            await close();
          } else {
            controller.enqueue(value);
          }
        },
        async cancel(reason) {
          await reader.cancel(reason).catch(() => {});
          await close();
        },
      });
      return new Response(stream, { status: response.status, headers: response.headers });
    } catch (error) {
      await close();
      log("error", `HTTP request failed: ${(error as Error)?.stack ?? error}`);
      return jsonError(500, -32603, "Internal error; the request was not handled");
    }
  };

  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: (addr) => options.onListen?.(addr as Deno.NetAddr),
    onError: (error) => {
      log("error", `HTTP handler failed: ${(error as Error)?.stack ?? error}`);
      return jsonError(500, -32603, "Internal error");
    },
  }, async (request) => {
    const response = await handle(request);
    const path = new URL(request.url).pathname;
    metrics.requests.inc({
      path: ["/mcp", "/metrics", "/healthz"].includes(path) ? path : "(other)",
      status: String(response.status),
    });
    return response;
  });
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const shutdown = async () => {
    await Promise.all([...live].map((close) => close()));
    await server.shutdown();
  };
  return {
    addr,
    url: `http://${host}:${addr.port}/mcp`,
    metrics,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}

/** 403 for a Host this server is not, or an Origin that is not allowed; `null` when both are fine. */
function checkHostAndOrigin(
  request: Request,
  hosts: ReadonlySet<string>,
  origins: ReadonlySet<string>,
): Response | null {
  if (hosts.size > 0) {
    const header = request.headers.get("host");
    let hostname: string | null = null;
    try {
      hostname = header === null ? null : new URL(`http://${header}`).hostname.toLowerCase();
    } catch {
      hostname = null;
    }
    if (hostname === null || !hosts.has(hostname)) {
      return jsonError(
        403,
        -32000,
        `Refused: the Host header (${JSON.stringify((header ?? "").slice(0, 100))}) does not ` +
          "name this server (a guard against DNS rebinding); the operator can allow more names " +
          "with --allowed-host",
      );
    }
  }
  const origin = request.headers.get("origin");
  if (origin !== null && !origins.has(origin)) {
    return jsonError(
      403,
      -32000,
      `Refused: requests from the web origin ${JSON.stringify(origin.slice(0, 100))} are not ` +
        "allowed (a guard against DNS rebinding and cross-site calls); the operator can allow " +
        "one with --allowed-origin",
    );
  }
  return null;
}

/** Counts tool calls and error results by tool, watching the transport's messages. */
function count(transport: WebStandardStreamableHTTPServerTransport, metrics: ServerMetrics): void {
  const calls = new Map<string | number, string>();
  const inbound = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const m = message as { method?: string; id?: string | number; params?: { name?: unknown } };
    if (m.method === "tools/call" && m.id !== undefined) {
      const tool = typeof m.params?.name === "string" ? m.params.name.slice(0, 64) : "(none)";
      calls.set(m.id, tool);
      metrics.toolCalls.inc({ tool });
    }
    inbound?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage, options) => {
    const m = message as { id?: string | number; error?: unknown; result?: { isError?: boolean } };
    if (
      m.id !== undefined && calls.has(m.id) && (m.error !== undefined || m.result !== undefined)
    ) {
      const tool = calls.get(m.id)!;
      calls.delete(m.id);
      if (m.error !== undefined || m.result?.isError === true) metrics.toolErrors.inc({ tool });
    }
    return send(message, options);
  };
}

function methodNotAllowed(allow: string): Response {
  return new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      error: { code: -32000, message: `Method not allowed: use ${allow}` },
      id: null,
    }),
    { status: 405, headers: { Allow: allow, "Content-Type": "application/json" } },
  );
}

function jsonError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}
