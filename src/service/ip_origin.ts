/**
 * `ip_origin`: the dataset's range and origin AS for an address, a prefix or
 * a host name's address — the offline view, labelled as such, with a pointer
 * to `route_lookup` for the live table. The destination is validated exactly
 * as `route_lookup`'s; nothing but a host name's DNS query leaves the machine.
 *
 * @module
 */

import type { IpOriginResult } from "../bgp/results.ts";
import { originLabel } from "../names/attribution.ts";
import { namesTable } from "./as_info.ts";
import type { LookingGlass, QueryOptions } from "./looking_glass.ts";
import { type AskedDestination, resolveTarget, targetOf } from "./resolve_target.ts";

/**
 * The dataset's origin for a destination.
 *
 * @throws {InvalidDestinationError} for a refused destination (the same refusals as route_lookup)
 * @throws {InvalidHostNameError} for a host name that is not one
 * @throws {HostResolutionError} for a name with no usable address
 * @throws {NamesUnavailableError} when names are turned off or the data cannot be loaded
 */
export async function ipOrigin(
  lg: LookingGlass,
  request: { address: string },
  options: QueryOptions = {},
): Promise<IpOriginResult> {
  const target = targetOf(lg, request.address);
  const tablePromise = namesTable(lg);
  // Loading overlaps resolving; a refusal above never loads the data.
  tablePromise.catch(() => {});
  const { destination, resolution }: AskedDestination = target.destination
    ? { destination: target.destination }
    : await resolveTarget(lg, target, { signal: options.signal });
  const table = await tablePromise;
  const answer = table.originOf(destination);
  return {
    destination: answer.query,
    family: answer.family,
    covering: answer.covering,
    overlapping: answer.overlapping,
    overlappingCount: answer.overlappingCount,
    namesAsOf: table.date,
    note: originLabel(table.date),
    warnings: [...destination.warnings],
    ...(resolution ? { resolution } : {}),
  };
}
