/**
 * A child process for the DNS permission tests: resolves the name given as
 * the first argument against the DNS server on 127.0.0.1 at the port given as
 * the second (never the system's), and prints the answer or the error as one
 * JSON line.
 *
 * @module
 */

import { HostResolutionError } from "../../src/errors.ts";
import { resolveHost } from "../../src/validation/resolve_host.ts";

const [name, port] = Deno.args;
try {
  const answer = await resolveHost(name, {
    nameServer: { ipAddr: "127.0.0.1", port: Number(port) },
    timeoutMs: 5000,
  });
  const out = { host: answer.host, addresses: answer.addresses.map((d) => d.canonical) };
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(out)}\n`));
} catch (error) {
  const failure = error instanceof HostResolutionError ? error.failure : "other";
  const out = { error: (error as Error).name, failure, message: (error as Error).message };
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(out)}\n`));
}
