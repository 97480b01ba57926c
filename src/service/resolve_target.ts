/**
 * Host names as destinations, for the queries that take one: what the user
 * typed is read (`readTarget`: an address or prefix, or a host name checked
 * as one — nothing resolved yet), the query checks everything else it can
 * without the network, and only then is the name resolved (DNS: the one
 * query besides the route server's that leaves the machine) and one of its
 * addresses chosen. Every address was validated exactly as a typed one.
 *
 * @module
 */

import type { HostResolutionInfo } from "../bgp/results.ts";
import { InvalidDestinationError } from "../errors.ts";
import type { Destination, Family } from "../validation/destination.ts";
import { chooseAddress, readTarget, type Target } from "../validation/resolve_host.ts";

export type { Target } from "../validation/resolve_host.ts";
import { engineOf, type LookingGlass } from "./looking_glass.ts";

/** A destination ready to be asked about, and what a host name resolved to. */
export interface AskedDestination {
  /** The validated destination. */
  destination: Destination;
  /** Set when the user gave a host name. */
  resolution?: HostResolutionInfo;
}

/**
 * Reads a destination as typed (see `readTarget`), with host names allowed
 * when the looking glass resolves them. Nothing leaves the machine.
 *
 * @throws {InvalidDestinationError} for a refused destination (or a host name with DNS off)
 * @throws {InvalidHostNameError} for a host name that is not one
 */
export function targetOf(lg: LookingGlass, input: string): Target {
  return readTarget(input, { hostNames: engineOf(lg).resolver !== null });
}

/**
 * Resolves a host name to the destination to ask about: through DNS, then
 * its first address of the families preferred (in order), within the call's
 * signal. Callers take a typed destination as it is, without awaiting, so a
 * query of an address starts exactly as it did before host names existed.
 *
 * @throws {HostResolutionError} when the name gives no usable address
 * @throws {InvalidDestinationError} when it has none of the families wanted
 * @throws the signal's reason when the call is cancelled
 */
export async function resolveTarget(
  lg: LookingGlass,
  target: { host: string },
  options: { signal?: AbortSignal; families?: readonly Family[] } = {},
): Promise<AskedDestination> {
  const resolver = engineOf(lg).resolver!;
  const families = options.families ?? ["ipv4", "ipv6"];
  const resolution = await resolver(target.host, options.signal);
  const destination = chooseAddress(resolution, families);
  const info: HostResolutionInfo = {
    host: resolution.host,
    addresses: resolution.addresses.map((d) => d.canonical),
    refused: resolution.refused,
    asked: destination?.canonical ?? "",
    elapsedMs: Math.round(resolution.elapsedMs),
  };
  if (!destination) {
    const wanted = families.map((f) => (f === "ipv4" ? "IPv4" : "IPv6")).join(" or ");
    throw new InvalidDestinationError(
      target.host,
      `${target.host} resolves only to ${info.addresses.join(", ")}, and this query needs an ` +
        `${wanted} address`,
    );
  }
  return { destination, resolution: info };
}
