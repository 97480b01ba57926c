/**
 * The Streamable HTTP edge with the SDK's real StreamableHTTPClientTransport
 * on loopback: tokens (ok, missing, wrong), the user reaching the tool, a
 * non-loopback bind without tokens refused, Host/Origin checks, `/healthz`,
 * `/metrics` behind the token, and a client that goes away cancelling its call.
 */

import assert from "node:assert/strict";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { z } from "zod";
import { type CallToolResult, McpServer } from "../../src/mcp/_sdk.ts";
import { parseTokens } from "../../src/mcp/auth.ts";
import { BindRefusedError } from "../../src/errors.ts";
import { isLoopback, serveHttp } from "../../src/mcp/http.ts";
import { currentUser } from "../../src/politeness/user_context.ts";
import { Client } from "../harness/mcp.ts";

const ALICE = "a".repeat(20) + "0123456789abcdef0123";
const BOB = "b".repeat(20) + "0123456789abcdef0123";
const TOKENS = parseTokens(`# team\nalice:${ALICE}\nbob:${BOB}\n`, "tokens.txt");

/** A small MCP server: `whoami` says who the call is for; `wait` runs until cancelled. */
function factory(observed: { aborted: number }) {
  return ({ user }: { user: string | undefined }) => {
    const server = new McpServer({ name: "http-test", version: "0.0.0" });
    server.registerTool("whoami", {
      description: "who am I",
      inputSchema: { shout: z.boolean().optional() },
    }, (args, extra) => {
      const text = `${user}/${extra.authInfo?.clientId}/${currentUser()}`;
      return { content: [{ type: "text", text: args.shout ? text.toUpperCase() : text }] };
    });
    server.registerTool("fail", { description: "fails" }, () => {
      throw new Error("it failed");
    });
    server.registerTool(
      "wait",
      { description: "waits" },
      (extra) =>
        new Promise<CallToolResult>((resolve) => {
          const timer = setTimeout(
            () => resolve({ content: [{ type: "text", text: "late" }] }),
            10_000,
          );
          extra.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            observed.aborted++;
            resolve({ content: [{ type: "text", text: "cancelled" }] });
          }, { once: true });
        }),
    );
    return server;
  };
}

async function connect(url: string, token?: string): Promise<Client & AsyncDisposable> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "http-test-client", version: "0.0.0" });
  await client.connect(transport);
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

/** A POST to /mcp over a plain socket, with the given Host header; the response's head and body. */
async function rawPost(port: number, host: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const request = `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Accept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n` +
      `Connection: close\r\n\r\n${body}`;
    await conn.write(new TextEncoder().encode(request));
    let text = "";
    const buffer = new Uint8Array(16_384);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
      if (/\r\n\r\n/.test(text) && /"(result|error)"/.test(text)) break;
    }
    return text;
  } finally {
    conn.close();
  }
}

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0].text;
}

Deno.test("a client with a token calls tools as its user; the others get 401", async () => {
  await using server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    tokens: TOKENS,
    createServer: factory({ aborted: 0 }),
  });
  {
    await using client = await connect(server.url, ALICE);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, ["fail", "wait", "whoami"]);
    assert.equal(
      text(await client.callTool({ name: "whoami", arguments: {} })),
      "alice/alice/alice",
    );
    const failed = await client.callTool({ name: "fail", arguments: {} });
    assert.equal(failed.isError, true);
  }
  {
    await using bob = await connect(server.url, BOB);
    assert.equal(
      text(await bob.callTool({ name: "whoami", arguments: { shout: true } })),
      "BOB/BOB/BOB",
    );
  }
  // No token and a wrong token: the SDK client's error carries the reason.
  await assert.rejects(() => connect(server.url), (error: Error & { code?: number }) => {
    assert.equal(error.code, 401);
    assert.match(
      error.message,
      /Missing bearer token: send the header `Authorization: Bearer <token>`/,
    );
    return true;
  });
  await assert.rejects(
    () => connect(server.url, "c".repeat(40)),
    (error: Error & { code?: number }) => {
      assert.equal(error.code, 401);
      assert.match(error.message, /The bearer token is not valid for this server/);
      return true;
    },
  );
  const raw = await fetch(server.url, { method: "POST", body: "{}" });
  assert.equal(raw.status, 401);
  assert.equal(raw.headers.get("www-authenticate"), 'Bearer realm="bgp-lg-mcp"');
  await raw.body?.cancel();
  const malformed = await fetch(server.url, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa("alice:x")}` },
  });
  assert.equal(malformed.status, 401);
  assert.match((await malformed.json()).error.message, /is not `Bearer <token>`/);

  // /metrics needs the token and counts what happened.
  const anonymous = await fetch(server.url.replace("/mcp", "/metrics"));
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const scrape = await fetch(server.url.replace("/mcp", "/metrics"), {
    headers: { Authorization: `Bearer ${ALICE}` },
  });
  assert.equal(scrape.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const metrics = await scrape.text();
  assert.match(metrics, /^bgp_lg_tool_calls_total\{tool="whoami"\} 2$/m);
  assert.match(metrics, /^bgp_lg_tool_calls_total\{tool="fail"\} 1$/m);
  assert.match(metrics, /^bgp_lg_tool_errors_total\{tool="fail"\} 1$/m);
  assert.doesNotMatch(metrics, /bgp_lg_tool_errors_total\{tool="whoami"\}/);
  assert.match(metrics, /^bgp_lg_auth_failures_total\{reason="missing"\} [1-9]/m);
  assert.match(metrics, /^bgp_lg_auth_failures_total\{reason="invalid"\} 1$/m);
});

Deno.test("without tokens only loopback may listen", async () => {
  for (const hostname of ["0.0.0.0", "::", "192.0.2.10", "example.net"]) {
    assert.throws(
      () => serveHttp({ hostname, port: 0, createServer: factory({ aborted: 0 }) }),
      (error: Error) => {
        assert.ok(error instanceof BindRefusedError);
        assert.match(error.message, /^Refusing to listen on .* without tokens/);
        return true;
      },
    );
  }
  for (const hostname of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"]) {
    assert.ok(isLoopback(hostname), hostname);
  }
  for (const hostname of ["0.0.0.0", "::", "128.0.0.1", "::ffff:10.0.0.1", "localhost.example"]) {
    assert.ok(!isLoopback(hostname), hostname);
  }
  await using server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    createServer: factory({ aborted: 0 }),
  });
  await using client = await connect(server.url);
  assert.equal(
    text(await client.callTool({ name: "whoami", arguments: {} })),
    "undefined/undefined/undefined",
  );
});

Deno.test("a foreign Host or Origin is refused; /healthz says ok to anyone", async () => {
  await using server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    createServer: factory({ aborted: 0 }),
    allowedOrigins: ["http://127.0.0.1:3000"],
  });
  const post = (headers: Record<string, string>) =>
    fetch(server.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
  // fetch() sets Host itself: a raw request carries the one a rebound DNS name would.
  const rebound = await rawPost(server.addr.port, `attacker.example:${server.addr.port}`);
  assert.match(rebound, /^HTTP\/1\.1 403 /);
  assert.match(rebound, /Host header .*attacker\.example.* does not name this server/);
  assert.match(
    await rawPost(server.addr.port, `localhost:${server.addr.port}`),
    /^HTTP\/1\.1 200 /,
  );
  const page = await post({ Origin: "https://attacker.example" });
  assert.equal(page.status, 403);
  assert.match(
    (await page.json()).error.message,
    /web origin "https:\/\/attacker\.example" are not allowed/,
  );
  const allowed = await post({ Origin: "http://127.0.0.1:3000" });
  assert.equal(allowed.status, 200);
  await allowed.body?.cancel();

  const health = await fetch(server.url.replace("/mcp", "/healthz"), {
    headers: { Host: "anything.example" },
  });
  assert.deepEqual([health.status, await health.text()], [200, "ok\n"]);
  const get = await fetch(server.url);
  assert.deepEqual([get.status, get.headers.get("allow")], [405, "POST"]);
  await get.body?.cancel();
  const other = await fetch(server.url.replace("/mcp", "/admin"));
  assert.equal(other.status, 404);
  await other.body?.cancel();
});

Deno.test("a client that goes away cancels its call", async () => {
  const observed = { aborted: 0 };
  await using server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    tokens: TOKENS,
    createServer: factory(observed),
  });
  const controller = new AbortController();
  const request = fetch(server.url, {
    method: "POST",
    signal: controller.signal,
    headers: {
      Authorization: `Bearer ${ALICE}`,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "wait", arguments: {} },
    }),
  });
  const response = await request;
  assert.equal(response.status, 200);
  controller.abort();
  await response.body?.cancel().catch(() => {});
  const deadline = Date.now() + 5_000;
  while (observed.aborted === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(observed.aborted, 1);
});
