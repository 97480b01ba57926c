/**
 * Host names as destinations, resolved by the real `Deno.resolveDns` against
 * a DNS responder on 127.0.0.1 (tests/_dns_responder.ts) — never the system's
 * resolver or any outside address: A and AAAA, every address validated like a
 * typed one, names refused before anything is sent, time bounds and
 * cancellation, and the permission story in child processes (`--allow-net`
 * of the DNS server's address and port, nothing else).
 */

import assert from "node:assert/strict";
import { HostResolutionError, InvalidHostNameError } from "../../src/errors.ts";
import {
  chooseAddress,
  dnsAllowNet,
  parseHostName,
  resolveHost,
  type ResolveHostOptions,
} from "../../src/validation/resolve_host.ts";
import { type DnsResponder, startDnsResponder, type Zone } from "../harness/dns_responder.ts";

const ROOT = new URL("../..", import.meta.url);

const ZONES: Record<string, Zone> = {
  "dual.example.net": { A: ["8.8.8.8", "1.1.1.1"], AAAA: ["2001:4860:4860::8888"] },
  "v4only.example.net": { A: ["193.0.6.139"] },
  "private.example.net": { A: ["10.1.2.3", "192.168.0.1"], AAAA: ["fd00::1"] },
  "mixed.example.net": { A: ["127.0.0.1", "9.9.9.9"], AAAA: ["2001:db8::53"] },
  "nodata.example.net": {},
  "broken.example.net": { rcode: 2 },
  "slow.example.net": { silent: true },
};

async function withResponder(test: (dns: DnsResponder) => Promise<void>): Promise<void> {
  const dns = await startDnsResponder(ZONES);
  try {
    await test(dns);
  } finally {
    await dns.close();
  }
}

function via(dns: DnsResponder, extra: ResolveHostOptions = {}): ResolveHostOptions {
  return { nameServer: { ipAddr: "127.0.0.1", port: dns.port }, timeoutMs: 5000, ...extra };
}

Deno.test("resolve: A and AAAA, each address validated, which name gave which addresses", async () => {
  await withResponder(async (dns) => {
    const answer = await resolveHost("Dual.Example.NET.", via(dns));
    assert.equal(answer.host, "dual.example.net");
    assert.deepEqual(answer.addresses.map((d) => [d.family, d.canonical, d.kind]), [
      ["ipv4", "8.8.8.8", "address"],
      ["ipv4", "1.1.1.1", "address"],
      ["ipv6", "2001:4860:4860::8888", "address"],
    ]);
    assert.deepEqual(answer.refused, []);
    assert.deepEqual(answer.missing, {});
    assert.equal(chooseAddress(answer)?.canonical, "8.8.8.8");
    assert.equal(chooseAddress(answer, ["ipv6"])?.canonical, "2001:4860:4860::8888");
    // Asked as a fully qualified name: both types, no search domain added.
    assert.deepEqual(
      dns.questions.map((q) => `${q.name} ${q.type}`).sort(),
      ["dual.example.net A", "dual.example.net AAAA"],
    );

    const v4only = await resolveHost("v4only.example.net", via(dns));
    assert.deepEqual(v4only.addresses.map((d) => d.canonical), ["193.0.6.139"]);
    assert.deepEqual(v4only.missing, { ipv6: "no AAAA record" });
    assert.equal(chooseAddress(v4only, ["ipv6"]), undefined);
  });
});

Deno.test("resolve: private and other non-global answers are refused with the typed-address reason", async () => {
  await withResponder(async (dns) => {
    const mixed = await resolveHost("mixed.example.net", via(dns));
    assert.deepEqual(mixed.addresses.map((d) => d.canonical), ["9.9.9.9"]);
    assert.deepEqual(mixed.refused, [
      {
        address: "127.0.0.1",
        reason: '"127.0.0.1" is inside 127.0.0.0/8, loopback (RFC 1122), which is not routed on ' +
          "the public internet",
      },
      { address: "2001:db8::53", reason: mixed.refused[1].reason },
    ]);
    assert.match(mixed.refused[1].reason, /2001:db8::\/32, documentation space \(RFC 3849\)/);

    await assert.rejects(resolveHost("private.example.net", via(dns)), (error: unknown) => {
      assert.ok(error instanceof HostResolutionError);
      assert.equal(error.failure, "all-refused");
      assert.deepEqual(error.refused.map((r) => r.address), ["10.1.2.3", "192.168.0.1", "fd00::1"]);
      assert.match(
        error.message,
        /^private\.example\.net resolves only to addresses that are not global unicast: 10\.1\.2\.3 \(.*private-use space \(RFC 1918\).*fd00::1 \(.*unique local addresses.*\)\. No route server was asked$/,
      );
      return true;
    });
  });
});

Deno.test("resolve: unknown names, names without addresses and failing servers are clear errors", async () => {
  await withResponder(async (dns) => {
    // Deno.resolveDns reports NXDOMAIN, no data and SERVFAIL alike (all NotFound).
    for (const name of ["nowhere.example.net", "nodata.example.net", "broken.example.net"]) {
      await assert.rejects(resolveHost(name, via(dns)), (error: unknown) => {
        assert.ok(error instanceof HostResolutionError);
        assert.equal(error.failure, "not-found");
        assert.equal(
          error.message,
          `${name} has no A or AAAA record (the DNS server found none, or failed). Check the ` +
            "name, or give the address. No route server was asked",
        );
        return true;
      });
    }
    // Any other resolver error is reported as it came.
    const failing = () => Promise.reject(new Error("connection reset"));
    await assert.rejects(
      resolveHost("dual.example.net", { resolveDns: failing }),
      /: Resolving dual\.example\.net failed: connection reset\. Try again, or give the address\. No route server was asked$/,
    );
  });
});

Deno.test("resolve: bounded in time, and cancelled with the caller's signal", async () => {
  await withResponder(async (dns) => {
    const started = performance.now();
    await assert.rejects(
      resolveHost("slow.example.net", via(dns, { timeoutMs: 200 })),
      (error: unknown) => {
        assert.ok(error instanceof HostResolutionError);
        assert.equal(error.failure, "timeout");
        assert.equal(
          error.message,
          "Resolving slow.example.net took longer than 0.2 s. Try again, or give the address. " +
            "No route server was asked",
        );
        return true;
      },
    );
    assert.ok(performance.now() - started < 4000);

    const controller = new AbortController();
    const pending = resolveHost("slow.example.net", via(dns, { signal: controller.signal }));
    setTimeout(
      () => controller.abort(new DOMException("The call was cancelled", "AbortError")),
      50,
    );
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof DOMException && error.message === "The call was cancelled");
      return true;
    });
  });
});

Deno.test("host names: bad and special-use names are refused before anything is sent", async () => {
  await withResponder(async (dns) => {
    const cases: [string, RegExp][] = [
      ["", /^The host name is empty\. Accepted: a public host name/],
      ["localhost", /single label/],
      ["router", /single label; give the full name/],
      ["printer.local", /under \.local, a special-use name \(RFC 6762, multicast DNS\)/],
      ["app.localhost", /under \.localhost/],
      ["www.example", /under \.example/],
      ["db.internal", /under \.internal/],
      ["nas.home.arpa", /under \.home\.arpa/],
      ["4.3.2.1.in-addr.arpa", /under \.arpa/],
      ["abc.onion", /under \.onion/],
      ["1.2.3.256", /ends in a number/],
      ["www.example.123", /ends in a number/],
      ["8.8.8.8", /is an address, not a host name/],
      ["0x08080808", /is not a valid IP address \(an IPv4 address is four decimal numbers/],
      ["0x8.8.8.8", /is not a valid IP address, and it ends in a number/],
      ["2001:db8::1", /not a host name \(letters, digits, hyphens and dots only\)/],
      ["git hub.com", /letters, digits, hyphens and dots only/],
      ["evil.com\u0000", /letters, digits, hyphens and dots only/],
      ["-bad.example.net", /each label 1 to 63/],
      ["a..b.net", /not a valid host name/],
      [`${"a".repeat(64)}.net`, /each label 1 to 63/],
      [`${"abcdefghi.".repeat(26)}net`, /characters long; the limit is 253/],
    ];
    for (const [name, message] of cases) {
      await assert.rejects(resolveHost(name, via(dns)), (error: unknown) => {
        assert.ok(error instanceof InvalidHostNameError, name);
        assert.match(error.message, message, name);
        assert.match(error.message, /Nothing was sent to any server$/);
        return true;
      });
    }
    assert.deepEqual(dns.questions, []);
  });
  assert.equal(parseHostName("Bücher.Example.COM"), "xn--bcher-kva.example.com");
  assert.equal(parseHostName("github.com."), "github.com");
});

Deno.test("dnsAllowNet: the --allow-net entries for a resolv.conf", () => {
  const conf = [
    "# generated",
    "nameserver 127.0.0.53",
    "nameserver 2001:4860:4860::8888",
    "nameserver fe80::1%eth0",
    "nameserver 127.0.0.53",
    "search corp.example.net",
    "options edns0",
  ].join("\n");
  assert.deepEqual(dnsAllowNet(conf), [
    "127.0.0.53:53",
    "[2001:4860:4860::8888]:53",
    "[fe80::1]:53",
  ]);
  assert.deepEqual(dnsAllowNet("nameserver not-an-address\n"), []);
});

async function child(flags: string[], name: string, port: number) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...flags,
      "tests/validation/_resolve_child.ts",
      name,
      String(port),
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("permissions: resolving needs --allow-net of the DNS server's address and port, nothing broader", async () => {
  await withResponder(async (dns) => {
    const allowed = await child(
      [`--allow-net=127.0.0.1:${dns.port}`],
      "dual.example.net",
      dns.port,
    );
    assert.deepEqual(allowed, {
      host: "dual.example.net",
      addresses: ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"],
    });
    const asked = dns.questions.length;
    assert.equal(asked, 2);

    for (
      const flags of [[], [`--allow-net=127.0.0.1:${dns.port + 1}`], [
        "--allow-net=dual.example.net",
      ]]
    ) {
      const refused = await child(flags, "dual.example.net", dns.port);
      assert.equal(refused.failure, "permission", JSON.stringify(flags));
      assert.equal(
        refused.message,
        `Resolving dual.example.net needs permission to ask the DNS server 127.0.0.1:${dns.port}: ` +
          `add --allow-net=127.0.0.1:${dns.port} (or --no-dns to turn host names off). ` +
          "No route server was asked",
      );
    }
    // The refused children sent nothing.
    assert.equal(dns.questions.length, asked);
  });
});
