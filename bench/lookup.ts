// deno-lint-ignore-file no-console -- a benchmark reports on stdout
/**
 * End-to-end latency against a real FRR route server, directly and through a
 * relay adding 25 ms each way, side by side:
 *
 * - floor: a minimal raw-socket exchange written here (connect, read to the
 *   prompt, send the command, read to the prompt), cold and on an open socket,
 *   and what the end sentinel adds (an empty line typed after the command,
 *   read until the second prompt);
 * - route_lookup over MCP (the real stdio server process): cold (new session),
 *   warm (reused session) and cached;
 * - a cold raw exchange with the setup line (`terminal length 0`) answered
 *   before the command, against the same typed ahead in one write with the
 *   command (what the server does): the round trip that typing ahead saves;
 * - throughput of 500 concurrent calls.
 *
 * Run (root, FRR and GoBGP installed): deno task bench:lookup
 */

import { callTool, loopbackEntry, Relay, spawnServer, startFrrRig } from "../tests/harness/mod.ts";

const ROUNDS = 25;
const DELAY_MS = 25;
// What route_lookup sends for 8.8.8.8 to FRR (text first).
const COMMAND = "show bgp ipv4 unicast 8.8.8.8";
const SETUP = "terminal length 0";

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms: number) => ms.toFixed(2).padStart(8);

/** The floor: raw bytes, no telnet negotiation logic beyond what is needed to see the prompt. */
class RawSession {
  #conn: Deno.TcpConn;
  #buffer = new Uint8Array(65536);
  #decoder = new TextDecoder();
  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }
  static async open(port: number): Promise<RawSession> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const session = new RawSession(conn);
    await session.#readToPrompt();
    return session;
  }
  async ask(command: string): Promise<string> {
    await this.#conn.write(new TextEncoder().encode(`${command}\r\n`));
    return await this.#readToPrompt();
  }
  /** The same with the client's end sentinel: an empty line in the same write, two prompts. */
  async askWithSentinel(command: string): Promise<string> {
    await this.#conn.write(new TextEncoder().encode(`${command}\r\n\r\n`));
    return await this.#readToPrompt(/> \r\n[^\n]*> $/);
  }
  /** The setup line and the command in one write: the answer ends at the second prompt. */
  async askTypedAhead(setup: string, command: string): Promise<string> {
    await this.#conn.write(new TextEncoder().encode(`${setup}\r\n${command}\r\n`));
    return await this.#readToPrompt(/> [^]*> $/);
  }
  close() {
    this.#conn.close();
  }
  async #readToPrompt(end = /> $/): Promise<string> {
    let text = "";
    while (!end.test(text)) {
      const n = await this.#conn.read(this.#buffer);
      if (n === null) throw new Error("closed");
      // Drop IAC sequences the crude way: the floor does not answer them (FRR does not wait).
      text += this.#decoder.decode(this.#buffer.subarray(0, n).filter((b) => b < 128));
    }
    return text;
  }
}

async function floorCold(port: number): Promise<number> {
  const started = performance.now();
  const session = await RawSession.open(port);
  await session.ask(COMMAND);
  const elapsed = performance.now() - started;
  session.close();
  return elapsed;
}

/** A cold exchange with the setup line first: answered before the command, or typed ahead. */
async function floorColdSetup(port: number, typedAhead: boolean): Promise<number> {
  const started = performance.now();
  const session = await RawSession.open(port);
  if (typedAhead) await session.askTypedAhead(SETUP, COMMAND);
  else {
    await session.ask(SETUP);
    await session.ask(COMMAND);
  }
  const elapsed = performance.now() - started;
  session.close();
  return elapsed;
}

const rig = await startFrrRig();
const relay = new Relay({
  target: { hostname: "127.0.0.1", port: rig.vtyPort },
  delayMs: DELAY_MS,
});
try {
  const entry = (name: string, port: number, limits: Record<string, number>) =>
    loopbackEntry(name, port, { limits });
  const rows: [string, number, number][] = [];
  for (
    const [label, port] of [["loopback", rig.vtyPort], [
      `+${DELAY_MS} ms each way`,
      relay.port,
    ]] as const
  ) {
    // cold: a session is opened for every call (idle timeout shorter than the pause between calls)
    const config = await rig.writeConfig([], {
      servers: [
        entry("cold", port, { idleTimeoutMs: 100, cacheTtlMs: 0 }),
        entry("warm", port, { cacheTtlMs: 0 }),
        entry("cached", port, {}),
      ],
      top: { quota: { connections: 1e6, bytesDown: 1e9, bytesUp: 1e9 } },
    });
    await using server = await spawnServer(config, [`127.0.0.1:${port}`], ["--ledger", "memory"]);
    const timed = async (name: string, destination = "8.8.8.8") => {
      const started = performance.now();
      const result = await callTool(server.client, "route_lookup", { destination, server: name });
      if (result.isError) throw new Error(result.text);
      return performance.now() - started;
    };
    const floorColdMs: number[] = [];
    const floorWarmMs: number[] = [];
    const floorSentinelMs: number[] = [];
    const setupWaitedMs: number[] = [];
    const setupAheadMs: number[] = [];
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    const cachedMs: number[] = [];
    const raw = await RawSession.open(port);
    await timed("warm");
    await timed("cached");
    // Cold rounds pause so that the idle session closes; warm and cached rounds run back to
    // back (after a pause, waking the processes up costs more than the query).
    for (let i = 0; i < ROUNDS; i++) {
      floorColdMs.push(await floorCold(port));
      setupWaitedMs.push(await floorColdSetup(port, false));
      setupAheadMs.push(await floorColdSetup(port, true));
      coldMs.push(await timed("cold"));
      await new Promise((resolve) => setTimeout(resolve, 250)); // let the cold session close
    }
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await raw.ask(COMMAND);
      floorWarmMs.push(performance.now() - started);
      const sentinelStarted = performance.now();
      await raw.askWithSentinel(COMMAND);
      floorSentinelMs.push(performance.now() - sentinelStarted);
      warmMs.push(await timed("warm"));
      cachedMs.push(await timed("cached"));
    }
    raw.close();
    const f = {
      cold: median(floorColdMs),
      warm: median(floorWarmMs),
      sentinel: median(floorSentinelMs),
    };
    const m = { cold: median(coldMs), warm: median(warmMs), cached: median(cachedMs) };
    console.log(`\n${label} (medians of ${ROUNDS}, ms)`);
    console.log(`  floor cold ${fmt(f.cold)}   floor warm ${fmt(f.warm)}`);
    console.log(
      `  end sentinel (empty line after the command) costs ${fmt(f.sentinel - f.warm)} ms ` +
        "on a warm raw exchange",
    );
    const waited = median(setupWaitedMs);
    const ahead = median(setupAheadMs);
    console.log(
      `  cold with \`${SETUP}\`: answered first ${fmt(waited)}   typed ahead ${fmt(ahead)}` +
        `   saves ${fmt(waited - ahead)} ms`,
    );
    console.log(
      `  MCP cold   ${fmt(m.cold)}   MCP warm   ${fmt(m.warm)}   MCP cached ${fmt(m.cached)}`,
    );
    console.log(`  cold MCP / floor       ${(m.cold / f.cold).toFixed(2)}×`);
    console.log(`  MCP overhead (warm)    ${fmt(m.warm - f.warm)} ms   goal ≤ 2 ms on loopback`);
    console.log(
      `  warm / cold            ${(m.warm / m.cold).toFixed(2)}×     goal ≤ 0.5× through the delay`,
    );
    console.log(`  cached                 ${fmt(m.cached)} ms   goal ≤ 5 ms`);
    rows.push([label, m.cold, m.warm]);

    if (port === rig.vtyPort) {
      const started = performance.now();
      const calls = Array.from(
        { length: 500 },
        (_, i) =>
          callTool(server.client, "route_lookup", {
            destination: `8.8.8.${(i % 250) + 1}`,
            server: i % 2 ? "warm" : "cold",
          }),
      );
      const results = await Promise.all(calls);
      const seconds = (performance.now() - started) / 1000;
      const errors = results.filter((r) => r.isError).length;
      console.log(
        `  500 concurrent calls   ${
          (500 / seconds).toFixed(0)
        } calls/s (${errors} errors), peak RSS ${
          ((await server.peakRss()) / 1024 / 1024).toFixed(0)
        } MB`,
      );
    }
  }
} finally {
  await relay.close();
  await rig.stop();
}
