/**
 * The CLI's help text.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import { PARSE_DIALECTS } from "./parse.ts";

/** What `--help` prints, and what follows a usage error. */
export const USAGE: string =
  `bgp-lg-mcp ${VERSION}: a BGP looking glass for MCP clients (Route Views over telnet)

Usage:
  bgp-lg-mcp [serve] [--config FILE]          serve MCP on stdio (default)
  bgp-lg-mcp serve --http HOST:PORT [--tokens FILE] [--redis URL]
                                              serve MCP over Streamable HTTP at /mcp
  bgp-lg-mcp query DEST [--server NAME] [--json]
  bgp-lg-mcp compare DEST [--servers a,b,…|all] [--max-servers N] [--png FILE] [--mermaid] [--json]
                                              findings, verdict and table over several
                                              servers (progress on stderr); the AS graph as
                                              Mermaid text, or drawn as PNG into FILE
                                              (needs --allow-write=FILE)
  bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
  bgp-lg-mcp servers [--probe] [--json]
  bgp-lg-mcp as ASN [--json]                  who an AS is (offline AS-names dataset)
  bgp-lg-mcp as --search TEXT [--limit N] [--json]
  bgp-lg-mcp origin DEST [--json]             the dataset's origin AS of an address (offline)
  bgp-lg-mcp parse route|table|summary --dialect ${
    PARSE_DIALECTS.join("|")
  } [--family ipv4|ipv6] FILE|-
  bgp-lg-mcp allow-net [--config FILE] [--http HOST:PORT] [--redis URL]
                                              print --allow-net=… for the enabled servers
                                              (and the DNS servers host names need)

Options:
  --config FILE   server list to use instead of the built-in servers.json
  --communities FILE  names for operators' communities (JSON; see README)
  --family F      parse: read Junos' inet.0 (ipv4) or inet6.0 (ipv6) table only
  --ledger FILE   quota ledger file (default: ledger.json in $XDG_STATE_HOME/bgp-lg-mcp
                  or ~/.local/state/bgp-lg-mcp, the first this process may read and
                  write); "memory" keeps it in memory only
  --no-names      do not name ASes from the offline dataset (never loads it)
  --names-data FILE  AS-names data written by \`deno task data --out FILE\`
                  (needs --allow-read=FILE) instead of the built-in table
  --no-dns        do not accept host names as destinations (never asks DNS)
  --dns-server ADDR[:PORT]  resolve host names with this DNS server instead of
                  the system's (needs --allow-net=ADDR:PORT)
  --verbose       log connections and commands to stderr
  --version       print the version
  --help          print this help

Team mode (see README, "Team deployment"):
  --http HOST:PORT      serve over HTTP (stateless, one MCP server per request) instead
                        of stdio; without --tokens only a loopback address is allowed
  --tokens FILE         bearer tokens, one name:token per line; each name is a user
  --allowed-host NAME   another name clients use in the Host header (repeatable)
  --allowed-origin URL  a web origin allowed to call (repeatable; none by default)
  --user-share F        most of each server's daily budget one user may take
                        (default 0.5; 1 turns the rule off)
  --redis URL           the quota ledger, answer cache and connection limits in Redis
                        (redis://[user:password@]host:port[/db]), shared by every
                        replica and command that uses it; excludes --ledger
  --redis-prefix NAME   prefix of the team's keys (default bgp-lg-mcp)
  --user NAME           query, compare, summary, servers: act as this user (their
                        share, and servers shows it)`;
