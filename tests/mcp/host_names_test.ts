/**
 * Host names as destinations through the real SDK client, resolved by a DNS
 * responder on loopback (never the system's resolver): the answer says which
 * name resolved to which addresses and which one was asked; every address is
 * validated as a typed one, so a name in private space is refused with that
 * reason and no route server is asked; everything that can be refused without
 * the network is refused before DNS is asked; cancelling a call cancels its
 * resolution; `hostNames: false` (--no-dns) asks nothing.
 */

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/schema.ts";
import { openLookingGlass } from "../../src/service/looking_glass.ts";
import { lookupRoute } from "../../src/service/route_lookup.ts";
import {
  callTool,
  connectInProcess,
  type DnsResponder,
  FakeTelnetServer,
  fixture,
  frrScript,
  iosScript,
  loopbackEntry,
  startDnsResponder,
} from "../harness/mod.ts";

const ZONES = {
  "dual.example.net": { A: ["8.8.8.8"], AAAA: ["2001:4860:4860::8888"] },
  "v6only.example.net": { AAAA: ["2001:4860:4860::8888"] },
  "private.example.net": { A: ["10.1.2.3", "192.168.7.7"], AAAA: ["fd00::1"] },
  "mixed.example.net": { A: ["127.0.0.1", "8.8.8.8"] },
  "slow.example.net": { silent: true },
};

const ROUTE = "show bgp ipv4 unicast 8.8.8.8 json";

async function withRig(
  run: (fake: FakeTelnetServer, dns: DnsResponder, port: number) => Promise<void>,
) {
  const dns = await startDnsResponder(ZONES);
  await using fake = new FakeTelnetServer(frrScript({
    answers: {
      [ROUTE]: fixture("frr-rig/route_8.8.8.8.json.txt"),
      "show bgp ipv6 unicast 2001:4860:4860::8888 json": fixture(
        "frr-rig/route_2001_4860_32.json.txt",
      ),
    },
  }));
  try {
    await run(fake, dns, fake.port);
  } finally {
    await dns.close();
  }
}

function config(port: number) {
  return parseConfig({
    defaultServer: "rig",
    servers: [
      // The fixtures are FRR's json answers: ask in json first.
      loopbackEntry("rig", port, { addressFamilies: ["ipv4", "ipv6"], preferJson: true }),
      loopbackEntry("rig2", port, { addressFamilies: ["ipv4", "ipv6"], preferJson: true }),
      loopbackEntry("v4", port, { preferJson: true }),
    ],
  }, "t");
}

const via = (dns: DnsResponder) => ({
  hostNames: true,
  dnsServer: { ipAddr: "127.0.0.1", port: dns.port },
});

Deno.test("route_lookup of a host name: resolved, every address shown, the IPv4 one asked", async () => {
  await withRig(async (fake, dns, port) => {
    await using client = await connectInProcess(config(port), via(dns));
    const result = await callTool(client, "route_lookup", { destination: "Dual.Example.NET." });
    assert.equal(result.isError, undefined, result.text);
    const data = result.structuredContent as {
      destination: string;
      prefix: string;
      resolution: { host: string; addresses: string[]; refused: unknown[]; asked: string };
    };
    assert.equal(data.destination, "8.8.8.8");
    assert.equal(data.prefix, "8.8.8.0/24");
    assert.deepEqual(
      { ...data.resolution, elapsedMs: undefined },
      {
        host: "dual.example.net",
        addresses: ["8.8.8.8", "2001:4860:4860::8888"],
        refused: [],
        asked: "8.8.8.8",
        elapsedMs: undefined,
      },
    );
    assert.match(
      result.text,
      /^dual\.example\.net resolved to 8\.8\.8\.8, 2001:4860:4860::8888 \(DNS, \d+ ms\); asked about 8\.8\.8\.8\.\n/,
    );
    // The route server got the canonical address, never the name.
    assert.ok(fake.lines.includes(ROUTE));
    assert.ok(fake.lines.every((line) => !line.includes("example")));
    assert.deepEqual(dns.questions.map((q) => q.type).sort(), ["A", "AAAA"]);

    // A name with only IPv6 is asked in IPv6; a server that carries only IPv4 says it needs one.
    const v6 = await callTool(client, "route_lookup", { destination: "v6only.example.net" });
    assert.equal(
      (v6.structuredContent as { destination: string }).destination,
      "2001:4860:4860::8888",
    );
    const v4 = await callTool(client, "route_lookup", {
      destination: "v6only.example.net",
      server: "v4",
    });
    assert.equal(v4.isError, true);
    assert.match(
      v4.text,
      /v6only\.example\.net resolves only to 2001:4860:4860::8888, and this query needs an IPv4 address/,
    );
  });
});

Deno.test("a name in private space is refused with the reason a typed address gets; no route server is asked", async () => {
  await withRig(async (fake, dns, port) => {
    await using client = await connectInProcess(config(port), via(dns));
    for (
      const [tool, args] of [
        ["route_lookup", { destination: "private.example.net" }],
        ["route_compare", { destination: "private.example.net", servers: ["rig", "rig2"] }],
        ["ip_origin", { address: "private.example.net" }],
      ] as const
    ) {
      const result = await callTool(client, tool, args);
      assert.equal(result.isError, true, tool);
      assert.match(
        result.text,
        /^private\.example\.net resolves only to addresses that are not global unicast: 10\.1\.2\.3 \("10\.1\.2\.3" is inside 10\.0\.0\.0\/8, private-use space \(RFC 1918\), which is not routed on the public internet\); 192\.168\.7\.7 \(.*\); fd00::1 \(.*unique local.*\)\. No route server was asked$/,
        tool,
      );
    }
    assert.equal(fake.connections, 0);

    // A name with one global address among non-global ones: the global one is asked, the others
    // are listed with their reasons.
    const mixed = await callTool(client, "route_lookup", { destination: "mixed.example.net" });
    const resolution = (mixed.structuredContent as {
      resolution: { addresses: string[]; refused: { address: string; reason: string }[] };
    }).resolution;
    assert.deepEqual(resolution.addresses, ["8.8.8.8"]);
    assert.deepEqual(resolution.refused.map((r) => r.address), ["127.0.0.1"]);
    assert.match(resolution.refused[0].reason, /loopback \(RFC 1122\)/);
    assert.match(mixed.text, /; refused 127\.0\.0\.1 \(not global unicast\)/);
  });
});

Deno.test("route_compare, ip_origin, ping and traceroute take host names too", async () => {
  await withRig(async (_fake, dns, port) => {
    await using client = await connectInProcess(config(port), via(dns));
    const compare = await callTool(client, "route_compare", {
      destination: "dual.example.net",
      servers: ["rig", "rig2"],
    });
    const c = compare.structuredContent as {
      destination: string;
      consensus: { seenBy: string[] };
      resolution: { asked: string };
    };
    assert.deepEqual([c.destination, c.consensus.seenBy, c.resolution.asked], [
      "8.8.8.8",
      ["rig", "rig2"],
      "8.8.8.8",
    ]);
    const origin = await callTool(client, "ip_origin", { address: "dual.example.net" });
    assert.equal(
      (origin.structuredContent as { covering: { asn: number } }).covering.asn,
      15169,
    );
    assert.match(
      origin.text,
      /^dual\.example\.net resolved to .*\n8\.8\.8\.8: in 8\.8\.8\.0\/24 AS15169/,
    );
  });

  const dns = await startDnsResponder(ZONES);
  try {
    const ping = [
      "Type escape sequence to abort.",
      "Sending 1, 100-byte ICMP Echos to 8.8.8.8, timeout is 1 seconds:",
      "!",
      "Success rate is 100 percent (1/1), round-trip min/avg/max = 12/12/12 ms",
    ].join("\n");
    const trace = [
      "Type escape sequence to abort.",
      "Tracing the route to 8.8.8.8",
      "  1 8.8.8.8 [AS 15169] 20 msec 19 msec 20 msec",
    ].join("\n");
    await using ios = new FakeTelnetServer(iosScript({
      answers: {
        "ping 8.8.8.8 repeat 1 timeout 1": ping,
        "traceroute 8.8.8.8 timeout 1 ttl 1 1": trace,
      },
    }));
    await using client = await connectInProcess(
      parseConfig({
        defaultServer: "rv",
        servers: [loopbackEntry("rv", ios.port, {
          dialect: "cisco-ios",
          login: { username: "rviews" },
          supports: ["ping", "traceroute"],
        })],
      }, "t"),
      via(dns),
    );
    const pinged = await callTool(client, "ping", {
      destination: "dual.example.net",
      count: 1,
      timeoutSeconds: 1,
    });
    assert.equal(pinged.isError, undefined, pinged.text);
    assert.match(
      pinged.text,
      /^dual\.example\.net resolved to 8\.8\.8\.8.*\nrv → 8\.8\.8\.8: 1\/1 replies/,
    );
    const traced = await callTool(client, "traceroute", {
      destination: "dual.example.net",
      maxHops: 1,
      timeoutSeconds: 1,
    });
    const data = traced.structuredContent as {
      target: string;
      resolution: { asked: string };
      hops: { asName?: string }[];
    };
    assert.deepEqual([data.target, data.resolution.asked, data.hops[0].asName], [
      "8.8.8.8",
      "8.8.8.8",
      "Google LLC",
    ]);
    assert.ok(ios.lines.every((line) => !line.includes("example")));
  } finally {
    await dns.close();
  }
});

Deno.test("what can be refused without the network is refused before DNS is asked", async () => {
  await withRig(async (fake, dns, port) => {
    await using client = await connectInProcess(config(port), via(dns));
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "route_lookup",
        { destination: "dual.example.net", match: "orlonger" },
        /needs a prefix.*not a host name/,
      ],
      ["route_lookup", { destination: "dual.example.net", community: "bogus" }, /community/i],
      ["route_lookup", { destination: "localhost" }, /single label/],
      ["route_lookup", { destination: "printer.local" }, /under \.local, a special-use name/],
      ["route_lookup", { destination: "a..example.net" }, /not a valid host name/],
      ["route_compare", { destination: "dual.example.net", servers: ["nope"] }, /server/i],
      [
        "route_lookup",
        { destination: "x".repeat(300) + ".net" },
        /characters long; the limit is 253/,
      ],
    ];
    for (const [tool, args, message] of cases) {
      const result = await callTool(client, tool, args);
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(result.text, message, JSON.stringify(args));
    }
    assert.deepEqual(dns.questions, []);
    assert.equal(fake.connections, 0);
  });
});

Deno.test("host names off (--no-dns): a name is refused with that reason and nothing is asked", async () => {
  await withRig(async (fake, dns, port) => {
    await using client = await connectInProcess(config(port), {
      hostNames: false,
      dnsServer: { ipAddr: "127.0.0.1", port: dns.port },
    });
    const result = await callTool(client, "route_lookup", { destination: "dual.example.net" });
    assert.equal(result.isError, true);
    assert.match(
      result.text,
      /^"dual\.example\.net" is a host name, and host names are turned off \(--no-dns, or "hostNames": false in the server list\); give its address\. Accepted: a global unicast/,
    );
    const { tools } = await client.listTools();
    const lookup = tools.find((t) => t.name === "route_lookup")!;
    assert.doesNotMatch(JSON.stringify(lookup.inputSchema), /host name/);
    assert.deepEqual(dns.questions, []);
    assert.equal(fake.connections, 0);
  });
});

Deno.test("cancelling a call cancels its resolution; the next call is served", async () => {
  await withRig(async (_fake, dns, port) => {
    await using lg = await openLookingGlass(config(port), { ledgerPath: null, ...via(dns) });
    const controller = new AbortController();
    const started = performance.now();
    const pending = lookupRoute(lg, { destination: "slow.example.net" }, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new DOMException("cancelled", "AbortError")), 100);
    await assert.rejects(pending, (error: unknown) => (error as Error).name === "AbortError");
    assert.ok(performance.now() - started < 2000, "cancelled at once");
    const next = await lookupRoute(lg, { destination: "dual.example.net" });
    assert.equal(next.prefix, "8.8.8.0/24");
  });
});
