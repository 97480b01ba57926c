/**
 * A real BGP route server on loopback for integration tests: FRR `bgpd`
 * (telnet vty, no login, hostname `route-views`) fed over real BGP sessions by
 * two GoBGP speakers, AS15169 on 127.0.0.2 and AS3356 on 127.0.0.3. A third
 * configured neighbour (127.0.0.4, AS64999) never comes up.
 *
 * Every process is started here in the foreground and stopped by its pid.
 * Only loopback addresses are used.
 */

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

/** A running rig. */
export interface Rig {
  /** Telnet vty port of the route server on 127.0.0.1. */
  vtyPort: number;
  /** Writes a servers.json naming the rig and returns its path. */
  writeConfig(extra?: Record<string, unknown>[]): Promise<string>;
  /** Runs a vtysh command on the route server (harness use only). */
  vtysh(command: string): Promise<string>;
  /** Stops every process the rig started and removes its files. */
  stop(): Promise<void>;
}

/** Routes injected by the feeders; tests assert the route server returns exactly these. */
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
  googleV6: {
    prefix: "2001:4860::/32",
    viaGoogle: { asPath: [15169, 15169], nextHop: "2001:db8::2", communities: ["15169:200"] },
    viaLevel3: { asPath: [3356, 174, 15169], nextHop: "2001:db8::3", med: 20 },
  },
} as const;

/** Starts the rig and waits until both feeders' routes are in the route server. */
export async function startFrrRig(): Promise<Rig> {
  const dir = await Deno.makeTempDir({ prefix: "bgp-lg-rig-" });
  await Deno.chmod(dir, 0o755);
  await Deno.mkdir(`${dir}/run`);
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
  try {
    const bgpPort = await freePort("127.0.0.1");
    const vtyPort = await freePort("127.0.0.1");
    const feeders = [
      { n: 2, as: 15169, port: await freePort("127.0.0.2"), api: await freePort("127.0.0.1") },
      { n: 3, as: 3356, port: await freePort("127.0.0.3"), api: await freePort("127.0.0.1") },
    ];
    await Deno.writeTextFile(`${dir}/bgpd.conf`, bgpdConf(feeders));
    for (const f of feeders) {
      await Deno.writeTextFile(`${dir}/gobgp${f.n}.toml`, gobgpConf(f, bgpPort));
    }
    await run("chown", ["-R", "frr:frr", dir]);

    children.push(spawn(BGPD, [
      "-f",
      `${dir}/bgpd.conf`,
      "-Z",
      "-p",
      String(bgpPort),
      "-l",
      "127.0.0.1",
      "-A",
      "127.0.0.1",
      "-P",
      String(vtyPort),
      "-i",
      `${dir}/run/bgpd.pid`,
      "--vty_socket",
      `${dir}/run`,
      "-u",
      "frr",
      "-g",
      "frr",
      "--log",
      `file:${dir}/bgpd.log`,
    ]));
    for (const f of feeders) {
      children.push(spawn("gobgpd", [
        "-f",
        `${dir}/gobgp${f.n}.toml`,
        "--api-hosts",
        `127.0.0.1:${f.api}`,
        "-l",
        "warn",
      ]));
    }
    const [google, level3] = feeders;
    await waitFor("both BGP sessions to reach Established", async () => {
      const states = await Promise.all(
        feeders.map((f) => run("gobgp", ["-p", String(f.api), "neighbor"])),
      );
      return states.every((s) => s.includes("Establ"));
    });

    const add = (api: number, args: string) =>
      run("gobgp", ["-p", String(api), "global", "rib", ...args.split(" ")]);
    await add(google.api, "add 8.8.8.0/24 aspath 15169 origin igp community 15169:100,65535:666");
    await add(level3.api, "add 8.8.8.0/24 aspath 174,15169 origin igp med 10");
    await add(level3.api, "add 1.1.1.0/24 aspath 13335 origin igp large-community 13335:1:2");
    await add(google.api, "-a ipv6 add 2001:4860::/32 aspath 15169 origin igp community 15169:200");
    await add(level3.api, "-a ipv6 add 2001:4860::/32 aspath 174,15169 origin igp med 20");

    const vtysh = (command: string) =>
      run("vtysh", ["--vty_socket", `${dir}/run`, "-d", "bgpd", "-c", command]);
    await waitFor("the injected routes to reach the route server", async () => {
      const v4 = JSON.parse(await vtysh("show bgp ipv4 unicast json")).routes ?? {};
      const v6 = JSON.parse(await vtysh("show bgp ipv6 unicast json")).routes ?? {};
      return v4["8.8.8.0/24"]?.length === 2 && v4["1.1.1.0/24"]?.length === 1 &&
        v6["2001:4860::/32"]?.length === 2;
    });

    return {
      vtyPort,
      vtysh,
      stop,
      async writeConfig(extra = []) {
        const path = `${dir}/servers.json`;
        await Deno.writeTextFile(
          path,
          JSON.stringify(
            {
              defaultServer: "rig",
              limits: { connectTimeoutMs: 3000, loginTimeoutMs: 5000, commandTimeoutMs: 10000 },
              servers: [{
                name: "rig",
                host: "127.0.0.1",
                port: vtyPort,
                dialect: "frr",
                login: "none",
                location: "loopback FRR 8.4 route server",
                addressFamilies: ["ipv4", "ipv6"],
                enabled: true,
              }, ...extra],
            },
            null,
            2,
          ),
        );
        return path;
      },
    };
  } catch (error) {
    const log = await Deno.readTextFile(`${dir}/bgpd.log`).catch(() => "(no bgpd log)");
    await stop();
    throw new Error(`The FRR rig did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
  }
}

function bgpdConf(feeders: { n: number; as: number; port: number }[]): string {
  return [
    "hostname route-views",
    "!",
    "router bgp 6447",
    " bgp router-id 127.0.0.1",
    " no bgp ebgp-requires-policy",
    " no bgp network import-check",
    ...feeders.flatMap((f) => [
      ` neighbor 127.0.0.${f.n} remote-as ${f.as}`,
      ` neighbor 127.0.0.${f.n} port ${f.port}`,
      ` neighbor 127.0.0.${f.n} timers connect 1`,
    ]),
    " neighbor 127.0.0.4 remote-as 64999",
    " address-family ipv6 unicast",
    ...feeders.map((f) => `  neighbor 127.0.0.${f.n} activate`),
    " exit-address-family",
    "!",
    "line vty",
    " no login",
    "!",
    "",
  ].join("\n");
}

function gobgpConf(f: { n: number; as: number; port: number }, bgpPort: number): string {
  // FRR rejects 127/8 next hops as martian: rewrite them to documentation addresses.
  return `[global.config]
  as = ${f.as}
  router-id = "127.0.0.${f.n}"
  port = ${f.port}
  local-address-list = ["127.0.0.${f.n}"]
[global.apply-policy.config]
  export-policy-list = ["nh"]
  default-export-policy = "accept-route"
[[policy-definitions]]
  name = "nh"
  [[policy-definitions.statements]]
    name = "v6"
    [policy-definitions.statements.conditions.bgp-conditions]
      afi-safi-in-list = ["ipv6-unicast"]
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions]
      set-next-hop = "2001:db8::${f.n}"
  [[policy-definitions.statements]]
    name = "v4"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions]
      set-next-hop = "198.51.100.${f.n}"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 6447
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "127.0.0.${f.n}"
    remote-port = ${bgpPort}
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
`;
}

function spawn(command: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
}

async function run(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!output.success) {
    throw new Error(
      `${command} ${args.join(" ")}: ${new TextDecoder().decode(output.stderr).trim()}`,
    );
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

/** A port that was free a moment ago on the given loopback address. */
async function freePort(hostname: string): Promise<number> {
  const listener = Deno.listen({ hostname, port: 0 });
  const { port } = listener.addr;
  listener.close();
  await Promise.resolve();
  return port;
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
  })
    .output();
  return output.success;
}
