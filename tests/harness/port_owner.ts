/**
 * Who listens on a loopback TCP port, read from Linux's `/proc`: the FRR rig
 * picks its ports before the processes bind them, and `bgpd` starts without
 * its vty when the port was taken meanwhile (another test's rig, for
 * instance), so the rig checks that each port is its own process's.
 *
 * @module
 */

/** Whether `pid` holds the listening socket, another process does, or nobody (yet). */
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
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Deno.readTextFile(table).catch(() => "");
    for (const inode of listeningInodes(text, address, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return "none";
  for await (const entry of Deno.readDir(`/proc/${pid}/fd`)) {
    const target = await Deno.readLink(`/proc/${pid}/fd/${entry.name}`).catch(() => "");
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) return "ours";
  }
  return "other";
}

/** The socket inodes of a `/proc/net/tcp{,6}` table in state LISTEN on the address (or a wildcard) and port. */
function listeningInodes(table: string, address: string, port: number): string[] {
  const v4 = hexAddress(address);
  const wanted = new Set([
    v4,
    "00000000",
    "0".repeat(32),
    // ::ffff:a.b.c.d, as the kernel prints it (32-bit words in host order)
    `0000000000000000FFFF0000${v4}`,
  ]);
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes: string[] = [];
  for (const line of table.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== "0A") continue; // 0A: LISTEN
    const [host, hexPort] = fields[1].split(":");
    if (hexPort === portHex && wanted.has(host)) inodes.push(fields[9]);
  }
  return inodes;
}

/** An IPv4 address as `/proc/net/tcp` prints it on a little-endian machine. */
function hexAddress(address: string): string {
  return address.split(".").reverse().map((byte) =>
    Number(byte).toString(16).toUpperCase().padStart(2, "0")
  ).join("");
}
