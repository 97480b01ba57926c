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
  bgp-lg-mcp query DEST [--server NAME] [--json]
  bgp-lg-mcp summary [--server NAME] [--family ipv4|ipv6] [--limit N] [--json]
  bgp-lg-mcp servers [--probe] [--json]
  bgp-lg-mcp parse route|table|summary --dialect ${
    PARSE_DIALECTS.join("|")
  } [--family ipv4|ipv6] FILE|-
  bgp-lg-mcp allow-net [--config FILE]        print --allow-net=… for the enabled servers

Options:
  --config FILE   server list to use instead of the built-in servers.json
  --communities FILE  names for operators' communities (JSON; see README)
  --family F      parse: read Junos' inet.0 (ipv4) or inet6.0 (ipv6) table only
  --ledger FILE   quota ledger file (default: ledger.json in $XDG_STATE_HOME/bgp-lg-mcp
                  or ~/.local/state/bgp-lg-mcp, the first this process may read and
                  write); "memory" keeps it in memory only
  --verbose       log connections and commands to stderr
  --version       print the version
  --help          print this help`;
