/**
 * Who listens on a loopback TCP port, asked of `ss` (iproute2, which FRR's
 * package depends on; Deno refuses to read `/proc/net` without `--allow-all`):
 * the FRR rig picks its ports before its processes bind them, and `bgpd`
 * starts without its vty when the port was taken meanwhile (by another test's
 * rig, for instance), so the rig checks that each port is its own process's.
 *
 * @module
 */

/** Whether `pid` holds the listening socket, another process does, or nobody (yet, or that ss could name). */
export type PortOwner = "ours" | "other" | "none";

/**
 * Who listens on TCP `address:port` (an IPv4 address; a wildcard listener on
 * the port counts, since it takes the port from every address), as seen from
 * process `pid`.
 */
export async function listenerOwner(
  pid: number,
  address: string,
  port: number,
): Promise<PortOwner> {
  const output = await new Deno.Command("ss", {
    args: ["-H", "-l", "-t", "-n", "-p", `sport = :${port}`],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`ss failed: ${new TextDecoder().decode(output.stderr).trim()}`);
  }
  return ownerIn(new TextDecoder().decode(output.stdout), { pid, address, port });
}

/** Reads `ss -Hltnp` lines: who listens on the address (or a wildcard) and port. */
export function ownerIn(
  table: string,
  wanted: { pid: number; address: string; port: number },
): PortOwner {
  const { pid, address, port } = wanted;
  const hosts = new Set([address, "0.0.0.0", "*", "[::]", `[::ffff:${address}]`]);
  let owner: PortOwner = "none";
  for (const line of table.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const local = fields[3];
    const colon = local.lastIndexOf(":");
    if (local.slice(colon + 1) !== String(port) || !hosts.has(local.slice(0, colon))) continue;
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1]));
    if (pids.includes(pid)) return "ours";
    // No pid: ss could not tell the owner at that instant (it scans /proc); ask again.
    if (pids.length > 0) owner = "other";
  }
  return owner;
}
