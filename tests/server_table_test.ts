/** README's server table says what servers.json says (scripts/server_table.ts writes it). */

import assert from "node:assert/strict";
import { END, serverTable, shippedServerTable, START } from "../scripts/server_table.ts";

/** Rows of a markdown table as trimmed cells (deno fmt pads the columns). */
function cells(table: string): string[][] {
  return table.trim().split("\n").map((row) =>
    row.trim().replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim())
  ).filter((row) => !row.every((cell) => /^-+$/.test(cell)));
}

Deno.test("README's server table is the one servers.json gives", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  assert.ok(start >= 0 && end > start, "README.md has the generated server table");
  assert.deepEqual(cells(readme.slice(start + START.length, end)), cells(shippedServerTable()));
});

Deno.test("a disabled entry names its successor; an unconfirmed one says how it is checked", () => {
  const table = serverTable([
    {
      name: "new.ix",
      host: "new.ix.example",
      dialect: "frr",
      location: "NEW-IX, Somewhere, XX",
      addressFamilies: ["ipv4", "ipv6"],
      enabled: true,
      confirmed: false,
    },
    {
      name: "old",
      host: "old.example",
      dialect: "frr",
      location: "OLD-IX",
      addressFamilies: ["ipv4"],
      enabled: false,
      successor: "new.ix",
    },
    {
      name: "main",
      host: "main.example",
      dialect: "cisco-ios",
      location: "Eugene",
      addressFamilies: ["ipv4"],
      enabled: true,
      supports: ["ping", "rpki"],
    },
  ]);
  assert.deepEqual(cells(table).slice(1), [
    [
      "`new.ix`",
      "NEW-IX, Somewhere, XX",
      "FRR",
      "IPv4, IPv6",
      "telnet not confirmed publicly: checked on first use",
    ],
    ["`old`", "OLD-IX", "FRR", "IPv4", "disabled: use `new.ix`"],
    ["`main`", "Eugene", "Cisco IOS", "IPv4", "ping, RPKI state"],
  ]);
});
