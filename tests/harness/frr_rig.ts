/**
 * Real BGP route servers on loopback for integration tests: FRR `bgpd`
 * instances (telnet vty, no login, hostname `route-views`) fed over real BGP
 * sessions by GoBGP speakers. Each route server listens for BGP on its own
 * loopback address and may filter what it accepts, so that different servers
 * hold deliberately different views.
 *
 * Every process is started here in the foreground and stopped by its pid.
 * Only loopback addresses are used.
 */

import { listenerOwner } from "./port_owner.ts";

const BGPD = "/usr/lib/frr/bgpd";

/** Whether the rig can run on this machine, and why not. */
export async function rigAvailability(): Promise<{ available: boolean; reason: string }> {
  for (const binary of [BGPD, "/usr/bin/vtysh"]) {
    if (!(await exists(binary))) {
      return { available: false, reason: `${binary} is missing (apt-get install frr)` };
    }
  }
  for (const binary of ["gobgpd", "gobgp"]) {
    if (!(await onPath(binary))) {
      return { available: false, reason: `${binary} is missing (apt-get install gobgpd)` };
    }
  }
  const uid = (await run("id", ["-u"])).trim();
  if (uid !== "0") {
    return { available: false, reason: "bgpd needs to start as root (it drops to user frr)" };
  }
  return { available: true, reason: "" };
}

/**
 * Registers a test that needs the rig: ignored with the reason where FRR/GoBGP
 * are missing, but a failure under `CI=true`.
 */
export async function rigTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): Promise<void> {
  const { available, reason } = await rigAvailability();
  const ci = Deno.env.get("CI") === "true";
  if (!available && !ci) {
    Deno.test({ name: `${name} (ignored: ${reason})`, ignore: true, fn() {} });
    return;
  }
  Deno.test({
    name,
    async fn(t) {
      if (!available) throw new Error(`CI=true but the FRR rig cannot run: ${reason}`);
      await fn(t);
    },
  });
}

/** A GoBGP speaker feeding routes. */
export interface FeederSpec {
  /** Its address is 127.0.0.`id`; its next hops are 198.51.100.`id` and 2001:db8::`id`. */
  id: number;
  /** Its AS (prepended by GoBGP to every path). */
  as: number;
  /** `gobgp global rib` arguments, one route each (e.g. `add 8.8.8.0/24 aspath 15169`). */
  routes: string[];
  /**
   * Routes loaded with `gobgp mrt inject global` (a TABLE_DUMP_V2 file from `mrt.ts`), with
   * how many IPv4 and IPv6 prefixes it holds (the injection ends when the RIB has them all).
   */
  mrt?: { bytes: Uint8Array; ipv4: number; ipv6: number };
  /** Send every path of a prefix (BGP add-path), not only the best one. */
  addPath?: boolean;
}

/** An FRR route server. */
export interface RouteServerSpec {
  /** Name used in the generated servers.json. */
  name: string;
  /** Loopback address its BGP listens on (127.0.0.1 or 127.0.0.1x). */
  address: string;
  /** Feeder ids it peers with. */
  feeders: number[];
  /** IPv4 prefixes it refuses from every feeder (`prefix-list … deny`), exact match. */
  deny?: string[];
  /** Extra neighbours configured but never up: `[address, as]`. */
  absent?: [string, number][];
  /** Prefix counts (v4 and v6 table sizes) to wait for before the rig is ready. */
  expect: { ipv4: number; ipv6: number };
  /**
   * Extra bgpd.conf lines: before `router bgp` (route maps, community lists), inside it, and
   * inside its IPv4 and IPv6 unicast address families.
   */
  config?: { global?: string[]; router?: string[]; ipv4?: string[]; ipv6?: string[] };
}

/** What to start. */
export interface RigSpec {
  feeders: FeederSpec[];
  routeServers: RouteServerSpec[];
}

/** A running rig. */
export interface Rig {
  /** Telnet vty port of each route server on 127.0.0.1, by name. */
  vtyPorts: Record<string, number>;
  /** Telnet vty port of the first route server. */
  vtyPort: number;
  /**
   * Writes a servers.json with one entry per route server (or with the given
   * ones) and returns its path.
   */
  writeConfig(
    extra?: Record<string, unknown>[],
    options?: { servers?: Record<string, unknown>[]; top?: Record<string, unknown> },
  ): Promise<string>;
  /** A directory for the test's own files, removed with the rig. */
  dir: string;
  /** Runs a vtysh command on a route server (harness use only). */
  vtysh(command: string, server?: string): Promise<string>;
  /** Stops every process the rig started and removes its files. */
  stop(): Promise<void>;
}

/** Routes injected by the single-server rig's feeders; tests assert the route server returns exactly these. */
export const RIG_ROUTES = {
  google: {
    prefix: "8.8.8.0/24",
    viaGoogle: {
      asPath: [15169, 15169],
      nextHop: "198.51.100.2",
      communities: ["15169:100", "65535:666"],
    },
    viaLevel3: { asPath: [3356, 174, 15169], nextHop: "198.51.100.3", med: 10 },
  },
  cloudflare: { prefix: "1.1.1.0/24", asPath: [3356, 13335], largeCommunities: ["13335:1:2"] },
  /** More specifics of 1.1.1.0/24, for `orlonger`. */
  cloudflareMoreSpecific: [
    { prefix: "1.1.1.128/25", asPath: [15169, 13335], communities: ["13335:10"] },
    { prefix: "1.1.1.192/26", asPath: [3356, 6939, 13335] },
  ],
  googleV6MoreSpecific: { prefix: "2001:4860:1::/48", asPath: [15169, 15169] },
  googleV6: {
    prefix: "2001:4860::/32",
    viaGoogle: { asPath: [15169, 15169], nextHop: "2001:db8::2", communities: ["15169:200"] },
    viaLevel3: { asPath: [3356, 174, 15169], nextHop: "2001:db8::3", med: 20 },
  },
} as const;

/** One route server named `rig`, fed by AS15169 (127.0.0.2) and AS3356 (127.0.0.3). */
export const SINGLE_RIG: RigSpec = {
  feeders: [
    {
      id: 2,
      as: 15169,
      routes: [
        "add 8.8.8.0/24 aspath 15169 origin igp community 15169:100,65535:666",
        "add 1.1.1.128/25 aspath 13335 origin igp community 13335:10",
        "-a ipv6 add 2001:4860::/32 aspath 15169 origin igp community 15169:200",
        "-a ipv6 add 2001:4860:1::/48 aspath 15169 origin igp",
      ],
    },
    {
      id: 3,
      as: 3356,
      routes: [
        "add 8.8.8.0/24 aspath 174,15169 origin igp med 10",
        "add 1.1.1.0/24 aspath 13335 origin igp large-community 13335:1:2",
        "add 1.1.1.192/26 aspath 6939,13335 origin igp",
        "-a ipv6 add 2001:4860::/32 aspath 174,15169 origin igp med 20",
      ],
    },
  ],
  routeServers: [{
    name: "rig",
    address: "127.0.0.1",
    feeders: [2, 3],
    absent: [["127.0.0.4", 64999]],
    expect: { ipv4: 5, ipv6: 3 },
  }],
};

/** Starts the single route server rig. */
export function startFrrRig(): Promise<Rig> {
  return startRig(SINGLE_RIG);
}

/** Options for {@linkcode startRig}. */
export interface StartRigOptions {
  /**
   * Picks `count` distinct ports for one attempt, popped from the end: each route server's BGP
   * and vty port, then each feeder's BGP and API port (default: free ones; a test can hand out
   * a taken one).
   */
  pickPorts?: (count: number) => number[];
}

/** Starts a rig at most this many times when its ports were taken before its processes bound them. */
const START_ATTEMPTS = 5;

/** A port the rig picked was bound by another process before the rig's own could bind it. */
class PortTakenError extends Error {
  /** The process that should have listened, and where. */
  readonly listener: string;

  constructor(listener: string) {
    super(`Another process took ${listener} before the rig's own process bound it`);
    this.name = "PortTakenError";
    this.listener = listener;
  }
}

/**
 * Starts a rig and waits until every route server holds its expected routes.
 * Its ports are picked free but bound later, by bgpd and gobgpd: a rig whose
 * port another process took meanwhile (bgpd then runs without its vty, and the
 * test would talk to someone else's) is stopped and started on new ports.
 */
export async function startRig(spec: RigSpec, options: StartRigOptions = {}): Promise<Rig> {
  const pickPorts = options.pickPorts ?? freePorts;
  for (let attempt = 1;; attempt++) {
    try {
      return await startOnce(spec, pickPorts);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) {
        throw error instanceof PortTakenError
          ? new Error(`The FRR rig did not start after ${attempt} attempts: ${error.message}`)
          : error;
      }
    }
  }
}

async function startOnce(spec: RigSpec, pickPorts: (count: number) => number[]): Promise<Rig> {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-rig-" });
  await Deno.chmod(dir, 0o755);
  const children: Deno.ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
    }
    await Promise.all(children.map(async (child) => {
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // exited meanwhile
        }
      }, 5000);
      await child.status;
      clearTimeout(timer);
    }));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const ports = pickPorts(2 * (spec.routeServers.length + spec.feeders.length));
  const servers = spec.routeServers.map((rs) => ({
    ...rs,
    bgpPort: ports.pop()!,
    vtyPort: ports.pop()!,
    run: `${dir}/${rs.name}`,
  }));
  const feeders = spec.feeders.map((f) => ({ ...f, port: ports.pop()!, api: ports.pop()! }));
  const vtysh = (command: string, name = servers[0].name) => {
    const rs = servers.find((s) => s.name === name)!;
    return run("vtysh", ["--vty_socket", rs.run, "-d", "bgpd", "-c", command]);
  };
  try {
    await Deno.mkdir(`${dir}/test`);
    for (const rs of servers) {
      await Deno.mkdir(rs.run);
      await Deno.writeTextFile(`${rs.run}/bgpd.conf`, bgpdConf(rs, feeders));
    }
    for (const f of feeders) {
      const peers = servers.filter((rs) => rs.feeders.includes(f.id));
      await Deno.writeTextFile(`${dir}/gobgp${f.id}.toml`, gobgpConf(f, peers));
    }
    await run("chown", ["-R", "frr:frr", dir]);

    const listeners: Listener[] = [];
    for (const rs of servers) {
      children.push(spawn(BGPD, [
        ...["-f", `${rs.run}/bgpd.conf`, "-Z", "-p", String(rs.bgpPort), "-l", rs.address],
        ...["-A", "127.0.0.1", "-P", String(rs.vtyPort), "-i", `${rs.run}/bgpd.pid`],
        ...["--vty_socket", rs.run, "-u", "frr", "-g", "frr", "--log", `file:${rs.run}/bgpd.log`],
      ]));
      const pid = children.at(-1)!.pid;
      listeners.push({ what: `${rs.name}'s vty`, pid, address: "127.0.0.1", port: rs.vtyPort });
      listeners.push({ what: `${rs.name}'s BGP`, pid, address: rs.address, port: rs.bgpPort });
    }
    for (const f of feeders) {
      children.push(spawn("gobgpd", [
        ...["-f", `${dir}/gobgp${f.id}.toml`, "--api-hosts", `127.0.0.1:${f.api}`, "-l", "warn"],
      ]));
      const pid = children.at(-1)!.pid;
      listeners.push({ what: `feeder ${f.id}'s API`, pid, address: "127.0.0.1", port: f.api });
      listeners.push({
        what: `feeder ${f.id}'s BGP`,
        pid,
        address: `127.0.0.${f.id}`,
        port: f.port,
      });
    }
    await waitForListeners(listeners);
    await waitFor("every BGP session to reach Established", async () => {
      for (const f of feeders) {
        const table = await run("gobgp", ["-p", String(f.api), "neighbor"]);
        const up = table.split("\n").filter((line) => line.includes("Establ")).length;
        if (up < servers.filter((rs) => rs.feeders.includes(f.id)).length) return false;
      }
      return true;
    });
    for (const f of feeders) {
      for (const route of f.routes) {
        await run("gobgp", ["-p", String(f.api), "global", "rib", ...route.split(" ")]);
      }
      if (f.mrt) await injectMrt(f.api, f.mrt);
    }
    await waitFor("the injected routes to reach every route server", async () => {
      for (const rs of servers) {
        const v4 = JSON.parse(await vtysh("show bgp ipv4 unicast json", rs.name)).routes ?? {};
        const v6 = JSON.parse(await vtysh("show bgp ipv6 unicast json", rs.name)).routes ?? {};
        const count = (table: Record<string, unknown[]>) =>
          Object.values(table).reduce((n, paths) => n + paths.length, 0);
        if (count(v4) !== rs.expect.ipv4 || count(v6) !== rs.expect.ipv6) return false;
      }
      return true;
    });

    const vtyPorts = Object.fromEntries(servers.map((rs) => [rs.name, rs.vtyPort]));
    return {
      vtyPorts,
      vtyPort: servers[0].vtyPort,
      dir: `${dir}/test`,
      vtysh,
      stop,
      async writeConfig(extra = [], options = {}) {
        const path = `${dir}/test/servers-${crypto.randomUUID().slice(0, 8)}.json`;
        const entries = options.servers ?? servers.map((rs) => ({
          name: rs.name,
          host: "127.0.0.1",
          port: rs.vtyPort,
          dialect: "frr",
          login: "none",
          location: `loopback FRR route server ${rs.name}`,
          addressFamilies: ["ipv4", "ipv6"],
          enabled: true,
        }));
        await Deno.writeTextFile(
          path,
          JSON.stringify(
            {
              defaultServer: String(entries[0].name),
              // Loopback answers come in milliseconds, but on a loaded machine (parallel test
              // runs on two cores) a few seconds are not enough: a test that wants a timeout
              // sets its own.
              limits: {
                connectTimeoutMs: 20_000,
                loginTimeoutMs: 30_000,
                commandTimeoutMs: 30_000,
                queryTimeoutMs: 60_000,
              },
              ...options.top,
              servers: [...entries, ...extra],
            },
            null,
            2,
          ),
        );
        return path;
      },
    };
  } catch (error) {
    const logs = await Promise.all(
      servers.map((rs) => Deno.readTextFile(`${rs.run}/bgpd.log`).catch(() => "(no bgpd log)")),
    );
    await stop();
    if (error instanceof PortTakenError) throw error;
    throw new Error(
      `The FRR rig did not start: ${(error as Error).message}\n${logs.join("\n").slice(-3000)}`,
    );
  }
}

function bgpdConf(
  rs: RouteServerSpec,
  feeders: { id: number; as: number; port: number }[],
): string {
  const peers = feeders.filter((f) => rs.feeders.includes(f.id));
  const deny = rs.deny ?? [];
  return [
    "hostname route-views",
    "!",
    ...deny.map((prefix, i) => `ip prefix-list RIG-IN seq ${(i + 1) * 5} deny ${prefix}`),
    "ip prefix-list RIG-IN seq 1000 permit 0.0.0.0/0 le 32",
    ...(rs.config?.global ?? []),
    "!",
    "router bgp 6447",
    ` bgp router-id ${rs.address}`,
    " no bgp ebgp-requires-policy",
    " no bgp network import-check",
    ...(rs.config?.router ?? []).map((line) => ` ${line}`),
    ...peers.flatMap((f) => [
      ` neighbor 127.0.0.${f.id} remote-as ${f.as}`,
      ` neighbor 127.0.0.${f.id} port ${f.port}`,
      ` neighbor 127.0.0.${f.id} update-source ${rs.address}`,
      ` neighbor 127.0.0.${f.id} timers connect 1`,
    ]),
    ...(rs.absent ?? []).map(([address, as]) => ` neighbor ${address} remote-as ${as}`),
    " address-family ipv4 unicast",
    ...peers.map((f) => `  neighbor 127.0.0.${f.id} prefix-list RIG-IN in`),
    ...(rs.config?.ipv4 ?? []).map((line) => `  ${line}`),
    " exit-address-family",
    " address-family ipv6 unicast",
    ...peers.map((f) => `  neighbor 127.0.0.${f.id} activate`),
    ...(rs.config?.ipv6 ?? []).map((line) => `  ${line}`),
    " exit-address-family",
    "!",
    "line vty",
    " no login",
    "!",
    "",
  ].join("\n");
}

function gobgpConf(
  f: { id: number; as: number; port: number; addPath?: boolean },
  peers: { address: string; bgpPort: number }[],
): string {
  // FRR rejects 127/8 next hops as martian: rewrite them to documentation addresses.
  const neighbors = peers.map((rs) =>
    `[[neighbors]]
  [neighbors.config]
    neighbor-address = "${rs.address}"
    peer-as = 6447
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "127.0.0.${f.id}"
    remote-port = ${rs.bgpPort}
${f.addPath ? "  [neighbors.add-paths.config]\n    send-max = 255\n" : ""}  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
`
  ).join("");
  return `[global.config]
  as = ${f.as}
  router-id = "127.0.0.${f.id}"
  port = ${f.port}
  local-address-list = ["127.0.0.${f.id}"]
[global.apply-policy.config]
  export-policy-list = ["nh"]
  default-export-policy = "accept-route"
  # A feeder is a source only: what the route servers send back would compete with its own
  # routes (and, over iBGP, win on local preference) and withdraw them.
  import-policy-list = ["from-route-servers"]
  default-import-policy = "accept-route"
[[defined-sets.neighbor-sets]]
  neighbor-set-name = "route-servers"
  neighbor-info-list = [${peers.map((rs) => `"${rs.address}"`).join(", ")}]
[[policy-definitions]]
  name = "from-route-servers"
  [[policy-definitions.statements]]
    name = "reject"
    [policy-definitions.statements.conditions.match-neighbor-set]
      neighbor-set = "route-servers"
    [policy-definitions.statements.actions]
      route-disposition = "reject-route"
[[policy-definitions]]
  name = "nh"
  [[policy-definitions.statements]]
    name = "v6"
    [policy-definitions.statements.conditions.bgp-conditions]
      afi-safi-in-list = ["ipv6-unicast"]
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions]
      set-next-hop = "2001:db8::${f.id}"
  [[policy-definitions.statements]]
    name = "v4"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions]
      set-next-hop = "198.51.100.${f.id}"
${neighbors}`;
}

/**
 * `gobgp mrt inject global` returns after its last send without waiting for the server (GoBGP
 * 3.10 drops what is still in flight), so the file is fed through stdin, which stays open until
 * the RIB holds every prefix.
 */
async function injectMrt(
  api: number,
  mrt: { bytes: Uint8Array; ipv4: number; ipv6: number },
): Promise<void> {
  const child = new Deno.Command("gobgp", {
    args: ["-p", String(api), "mrt", "inject", "global", "/dev/stdin"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(mrt.bytes);
    const count = async (family: string) => {
      const summary = await run("gobgp", [
        "-p",
        String(api),
        "global",
        "rib",
        "summary",
        "-a",
        family,
      ]);
      return Number(/Destination: (\d+)/.exec(summary)?.[1] ?? 0);
    };
    await waitFor(
      `GoBGP to load ${mrt.ipv4} + ${mrt.ipv6} prefixes from MRT`,
      async () => (await count("ipv4")) >= mrt.ipv4 && (await count("ipv6")) >= mrt.ipv6,
    );
  } finally {
    await writer.close().catch(() => {});
    await child.status;
  }
  const [status, message] = await Promise.all([child.status, stderr]);
  if (!status.success) throw new Error(`gobgp mrt inject: ${message.trim()}`);
}

function spawn(command: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" })
    .spawn();
}

async function run(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`${command} ${args.join(" ")}: ${stderr}`);
  }
  return new TextDecoder().decode(output.stdout);
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A port one of the rig's processes must listen on. */
interface Listener {
  what: string;
  pid: number;
  address: string;
  port: number;
}

/**
 * Waits until each process listens on its ports.
 *
 * @throws {PortTakenError} as soon as another process holds one of them
 */
async function waitForListeners(listeners: Listener[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = listeners;
  while (true) {
    const owners = await Promise.all(
      pending.map((l) => listenerOwner(l.pid, l.address, l.port).catch(() => "none" as const)),
    );
    const taken = pending.find((_, i) => owners[i] === "other");
    if (taken) throw new PortTakenError(`${taken.address}:${taken.port} (${taken.what})`);
    pending = pending.filter((_, i) => owners[i] !== "ours");
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      const names = pending.map((l) => `${l.address}:${l.port} (${l.what})`).join(", ");
      throw new Error(`Timed out waiting for the rig's processes to listen on ${names}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Distinct ports that were free a moment ago on 127.0.0.1 (and so, with
 * nothing bound to the wildcard address, on every loopback address). Another
 * process may take one before the rig binds it: `waitForListeners` tells.
 */
function freePorts(count: number): number[] {
  const held = Array.from({ length: count }, () => Deno.listen({ hostname: "127.0.0.1", port: 0 }));
  const ports = held.map((listener) => listener.addr.port);
  for (const listener of held) listener.close();
  return ports;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function onPath(binary: string): Promise<boolean> {
  const output = await new Deno.Command("sh", {
    args: ["-c", `command -v ${binary}`],
    stdout: "null",
    stderr: "null",
  }).output();
  return output.success;
}
