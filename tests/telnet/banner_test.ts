/** The software a server's greeting shows, and a mismatch with the configured dialect. */

import assert from "node:assert/strict";
import { dialectMismatch, softwareFromGreeting } from "../../src/telnet/banner.ts";

Deno.test("FRR, Quagga and Zebra by their motd, with the version", () => {
  assert.deepEqual(
    softwareFromGreeting(
      "\r\nHello, this is FRRouting (version 8.4.4).\r\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\r\n\r\n",
      "route-views> ",
    ),
    { software: "FRR", version: "8.4.4", evidence: "banner" },
  );
  assert.deepEqual(
    softwareFromGreeting(
      "\nHello, this is Quagga (version 0.99.24.1).\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\n\n",
      "route-views.saopaulo.routeviews.org> ",
    ),
    { software: "Quagga", version: "0.99.24.1", evidence: "banner" },
  );
  assert.deepEqual(
    softwareFromGreeting("Hello, this is zebra (version 0.95a).\n", "route-views.wide> "),
    { software: "Zebra", version: "0.95a", evidence: "banner" },
  );
});

Deno.test("IOS by its login questions; Junos by its version line or its prompt", () => {
  const ios = 'C\r\n****\r\n To login, use the username "rviews".\r\n\r\nUser Access Verification' +
    "\r\n\r\nUsername: ";
  assert.deepEqual(softwareFromGreeting(ios, "route-views>"), {
    software: "IOS",
    evidence: "banner",
  });
  assert.deepEqual(
    softwareFromGreeting(
      "login: rviews\r\nPassword:\r\n\r\n--- JUNOS 17.1R1-S1 built 2017-04-07 08:21:13 UTC\r\n",
      "rviews@route-server.ip.att.net> ",
    ),
    { software: "Junos", version: "17.1R1-S1", evidence: "banner" },
  );
  assert.deepEqual(softwareFromGreeting("login: ", "rviews@route-server.ip.att.net> "), {
    software: "Junos",
    evidence: "prompt",
  });
});

Deno.test("a greeting that says nothing is nothing (a replaced motd, a password only)", () => {
  assert.equal(softwareFromGreeting("Welcome to our route server\r\n", "rs> "), null);
  assert.equal(softwareFromGreeting("User Access Verification\r\n\r\nPassword: ", "rs> "), null);
  assert.equal(softwareFromGreeting("", "route-views>"), null);
});

Deno.test("a mismatch names the configured dialect and what the greeting shows", () => {
  const frr = { software: "FRR", version: "8.4.4", evidence: "banner" } as const;
  assert.equal(dialectMismatch(frr, "frr"), null);
  assert.equal(dialectMismatch({ software: "Quagga", evidence: "banner" }, "frr"), null);
  assert.equal(dialectMismatch(null, "cisco-ios"), null);
  assert.equal(
    dialectMismatch(frr, "cisco-ios"),
    "configured as cisco-ios, but its greeting shows FRR 8.4.4 (the frr dialect)",
  );
  assert.equal(
    dialectMismatch({ software: "IOS", evidence: "banner" }, "junos"),
    "configured as junos, but its greeting shows IOS (the cisco-ios dialect)",
  );
});
