/**
 * For `deno task start` and `deno task cli`: prints `,<DNS server>:53` for each
 * `nameserver` of /etc/resolv.conf (nothing when there is none, or no such
 * file), which the task appends to its `--allow-net` so that host names can
 * be resolved with exactly the system's DNS servers and nothing broader. Run
 * with `--allow-read=/etc/resolv.conf` only.
 *
 * It runs before every start, so it imports nothing and is run with
 * `--no-config --no-lock`: a bare Deno process (about 30 ms) rather than one
 * that loads the project's modules (about 80 ms). `tests/config/config_test.ts`
 * checks that it prints what `dnsAllowNet` (src/validation/resolve_host.ts)
 * gives, for the same text.
 *
 * @module
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `text` is an IPv6 address (`URL` parses the bracketed form strictly). */
function isIpv6(text: string): boolean {
  if (!text.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** The `,<server>:53` suffix for a resolv.conf text. */
export function dnsAllowNetSuffix(resolvConf: string): string {
  const out: string[] = [];
  for (const line of resolvConf.split(/\r?\n/)) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!match) continue;
    const address = match[1].replace(/%.*$/, "");
    const entry = address.includes(":") ? `[${address}]:53` : `${address}:53`;
    if ((IPV4.test(address) || isIpv6(address)) && !out.includes(entry)) out.push(entry);
  }
  return out.map((entry) => `,${entry}`).join("");
}

if (import.meta.main) {
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/resolv.conf");
  } catch {
    // No resolver configuration here (Windows): host names answer with the permission to add.
  }
  const suffix = dnsAllowNetSuffix(text);
  if (suffix) Deno.stdout.writeSync(new TextEncoder().encode(suffix));
}
