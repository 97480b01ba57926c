/**
 * The shared test harness, imported by `tests/`, `bench/` and the red team
 * (`scripts/_red_team/`): fake telnet servers that behave like IOS and FRR
 * vtys, a counting and delaying TCP relay, the real FRR rig fed by GoBGP, the
 * SDK's real MCP client (in process and over stdio), a seeded PRNG, parser
 * fixtures, loopback server-list entries, a loopback DNS responder and the
 * AS-names table of the committed data slice.
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
export * from "./inspector.ts";
export * from "./mcp.ts";
export * from "./names_fixture.ts";
export * from "./prng.ts";
export * from "./relay.ts";
export * from "./servers.ts";
export * from "./stdio.ts";
