import assert from "node:assert/strict";
import { budgetKey } from "../../src/politeness/budget.ts";
import { LedgerStore } from "../../src/politeness/ledger_store.ts";

const SAME_SERVER: [string, string[]][] = [
  ["route-views2.routeviews.org:23", [
    "route-views2.routeviews.org",
    "Route-Views2.RouteViews.ORG",
    "route-views2.routeviews.org.",
    "ROUTE-VIEWS2.ROUTEVIEWS.ORG.",
  ]],
  ["[2001:db8::1]:23", [
    "2001:db8::1",
    "2001:DB8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    "2001:db8:0:0::1",
    "[2001:db8::1]",
  ]],
  ["[::ffff:c000:201]:23", ["::ffff:192.0.2.1", "0:0:0:0:0:ffff:c000:0201"]],
  ["192.0.2.1:23", ["192.0.2.1", "192.0.2.1."]],
];

for (const [key, spellings] of SAME_SERVER) {
  Deno.test(`budget key: every spelling of ${key} is one budget`, () => {
    for (const host of spellings) assert.equal(budgetKey({ host, port: 23 }), key, host);
  });
}

Deno.test("budget key: other ports and other hosts stay apart", () => {
  assert.notEqual(
    budgetKey({ host: "2001:db8::1", port: 23 }),
    budgetKey({ host: "2001:db8::1", port: 2605 }),
  );
  assert.notEqual(
    budgetKey({ host: "2001:db8::1", port: 23 }),
    budgetKey({ host: "2001:db8::10", port: 23 }),
  );
  assert.notEqual(
    budgetKey({ host: "a.example", port: 23 }),
    budgetKey({ host: "a.example.net", port: 23 }),
  );
});

Deno.test("budget key: a connection booked under one spelling is spent for the other", async () => {
  const limits = { connections: 1, bytesDown: 1000, bytesUp: 1000 };
  const store = new LedgerStore();
  await store.bookConnection(budgetKey({ host: "Route-Views.Example.", port: 23 }), limits, "a");
  await assert.rejects(
    store.bookConnection(budgetKey({ host: "route-views.example", port: 23 }), limits, "b"),
    { name: "QuotaExceededError" },
  );
  await store.close();
});
