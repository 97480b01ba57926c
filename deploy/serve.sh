#!/bin/sh
# One replica of a team's bgp-lg-mcp: MCP over Streamable HTTP at http://$LISTEN/mcp, bearer
# tokens from $TOKENS, the quota ledger, answer cache and connection limits in $REDIS_URL.
# The systemd unit (bgp-lg-mcp.service) and the container (Containerfile) both run this.
# Run it from the top of a clone whose packages are cached (see README, "Team deployment").
#
#   LISTEN      address to listen on            (default 0.0.0.0:8080)
#   TOKENS      the tokens file, name:token     (default /etc/bgp-lg-mcp/tokens)
#   REDIS_URL   the team's Redis                (default redis://127.0.0.1:6379)
#   DENO        the deno binary                 (default deno)
#   Arguments are passed on to `serve` (e.g. --allowed-host lg.example.net --user-share 0.25).
set -eu
LISTEN="${LISTEN:-0.0.0.0:8080}"
TOKENS="${TOKENS:-/etc/bgp-lg-mcp/tokens}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DENO="${DENO:-deno}"
# Nothing is fetched at run time, and what is loaded must match the lock (the Redis client too).
run="run --no-prompt --frozen --lock=tests/deno.lock --cached-only"
# Exactly the enabled route servers, the listening address and Redis: nothing else.
allow_net=$("$DENO" $run src/main.ts allow-net --http "$LISTEN" --redis "$REDIS_URL")
exec "$DENO" $run "$allow_net" --allow-read="$TOKENS" \
  src/main.ts serve --http "$LISTEN" --tokens "$TOKENS" --redis "$REDIS_URL" "$@"
