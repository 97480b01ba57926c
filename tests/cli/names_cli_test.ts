/**
 * The CLI's offline commands, run as a real process with no permission at
 * all (the built-in table is a module: no read, no net): `as ASN`, `as
 * --search TEXT`, `origin DEST`, their bad input (exit 1, one message, nothing
 * on stdout), `--no-names` and `--no-dns`.
 */

import assert from "node:assert/strict";
import { DATA_DATE } from "../../src/names/asn_data.ts";
import { runCli } from "../harness/cli.ts";

function cli(...args: string[]) {
  return runCli(args, { env: { NO_COLOR: "1" } });
}

const ATTRIBUTION =
  /\nAS names and origins: @ip-location-db\/asn \(CC BY 4\.0\), from Route Views .*DB-IP \(https:\/\/db-ip\.com\)\.\n$/;

Deno.test("cli: as ASN names the AS with its ranges, the date and the attribution, offline", async () => {
  const lumen = await cli("as", "3356");
  assert.equal(lumen.code, 0, lumen.stderr);
  assert.match(lumen.stdout, /^AS3356 Level 3 Communications, Inc\.\nThe dataset maps \d+ IPv4/);
  assert.match(
    lumen.stdout,
    new RegExp(`\\nDataset as of ${DATA_DATE}, not a live view: use route_lookup`),
  );
  assert.match(lumen.stdout, ATTRIBUTION);
  assert.equal(lumen.stderr, "");

  const json = JSON.parse((await cli("as", "AS64512", "--json")).stdout);
  assert.deepEqual([json.as.asn, json.as.name, json.as.source], [64512, "Private use", "iana"]);
  assert.equal(json.as.special.reference, "RFC 6996");
  assert.equal(json.namesAsOf, DATA_DATE);
  assert.match(json.attribution, /CC BY 4\.0/);
});

Deno.test("cli: as --search ranks the matches, bounded by --limit", async () => {
  const text = await cli("as", "--search", "cogent", "--limit", "2");
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^\d+ ASes match "cogent"; the best 2:\n/);
  assert.match(text.stdout, /\n174 +Cogent Communications +\d+\/\d+\n/);
  const json = JSON.parse((await cli("as", "--search", "Cogent", "--json")).stdout);
  assert.equal(json.search.query, "cogent");
  assert.equal(json.search.matches[0].asn, 174);
  assert.ok(json.search.matches.length <= 10);
});

Deno.test("cli: origin gives the dataset's range and AS, labelled as not live", async () => {
  const google = await cli("origin", "8.8.8.8");
  assert.equal(google.code, 0, google.stderr);
  assert.match(
    google.stdout,
    new RegExp(
      `^8\\.8\\.8\\.8: in 8\\.8\\.8\\.0/24 AS15169 Google LLC\\.\\nDataset as of ${DATA_DATE}, ` +
        "not a live view: use route_lookup for the live table\\.\\n",
    ),
  );
  assert.match(google.stdout, ATTRIBUTION);
  const json = JSON.parse((await cli("origin", "2001:4860:4860::8888", "--json")).stdout);
  assert.equal(json.covering.asn, 15169);
  assert.equal(json.family, "ipv6");
});

Deno.test("cli: bad input to as and origin is one message on stderr, exit 1 or 2, nothing on stdout", async () => {
  const cases: [string[], number, RegExp][] = [
    [["as", "AS4294967296"], 1, /^"AS4294967296" is out of range\. Accepted: an AS number/],
    [["as", "cogent"], 1, /is not an AS number\. Accepted.*search for a part of its name/],
    [["as", "--search", ""], 1, /^The search text is empty/],
    [["as", "3356", "--limit", "0"], 2, /^--limit is a positive whole number/],
    [["as"], 2, /^as takes one AS number, or --search TEXT/],
    [["as", "1", "2"], 2, /^as takes one AS number/],
    [["origin"], 2, /^origin takes one address, prefix or host name/],
    [["origin", "10.1.2.3"], 1, /^"10\.1\.2\.3" is inside 10\.0\.0\.0\/8, private-use space/],
    [["origin", "2001:db8::1"], 1, /documentation/],
    [["--no-names", "as", "3356"], 1, /^AS names are turned off \(--no-names/],
    [["--no-names", "origin", "8.8.8.8"], 1, /^AS names are turned off/],
    [["origin", "github.com", "--no-dns"], 1, /is a host name, and host names are turned off/],
    [["origin", "printer.local"], 1, /local/],
  ];
  for (const [args, code, message] of cases) {
    const result = await cli(...args);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdout, "", args.join(" "));
  }
});

Deno.test("cli: a host name without permission for the DNS server names the flag to add; nothing is sent", async () => {
  // No --allow-net at all: Deno refuses before any packet leaves.
  const result = await cli("origin", "github.com");
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^Resolving github\.com needs permission to ask the DNS server( \S+)?: add --allow-net=\S+ \(or --no-dns to turn host names off\)\. No route server was asked/,
  );
  assert.equal(result.stdout, "");
});
