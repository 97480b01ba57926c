/**
 * The shared test harness, imported by `tests/`, `bench/` and the red team
 * (`scripts/_red_team/`): fake telnet servers that behave like IOS and FRR
 * vtys, a counting and delaying TCP relay, the real FRR rig fed by GoBGP (with
 * an MRT writer for the routes it loads), the SDK's real MCP client (in
 * process, over stdio, and over Streamable HTTP to the real process), a real
 * redis-server, a seeded PRNG, parser fixtures, loopback server-list entries
 * and a loopback DNS responder. The AS-names table of the committed data
 * slice is `names_fixture.ts`, imported on its own: it uses the data script's
 * npm packages, which only tests/deno.lock pins, and the red-team script
 * imports this module with the root lockfile.
 *
 * Import this module; a program that runs without env permission (the parser
 * bench) imports the one file it needs instead, since the SDK's client reads
 * the environment when it is loaded.
 *
 * @module
 */

export * from "./dns_responder.ts";
export * from "./fake_telnet.ts";
export * from "./fixtures.ts";
export * from "./frr_rig.ts";
export * from "./http.ts";
export * from "./inspector.ts";
export * from "./mcp.ts";
export * from "./mrt.ts";
export * from "./prng.ts";
export * from "./redis.ts";
export * from "./relay.ts";
export * from "./servers.ts";
export * from "./stdio.ts";
export * from "./team.ts";
