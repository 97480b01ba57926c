/**
 * Attribution of the AS-names data (CC BY 4.0) and the labels every answer
 * that uses it carries. The dataset's licence requires naming Route Views,
 * the NRO and DB-IP, with a link to DB-IP.
 *
 * @module
 */

/** One source of the AS-names data. */
export interface DataCredit {
  /** Who made it. */
  name: string;
  /** What they provide. */
  provides: string;
  /** Where it is. */
  url: string;
}

/** The licence of the AS-names data. */
export const DATA_LICENCE = {
  name: "CC BY 4.0",
  url: "https://creativecommons.org/licenses/by/4.0/",
} as const;

/** Every source of the AS-names data, in the dataset's priority order. */
export const DATA_CREDITS: readonly DataCredit[] = [
  {
    name: "Route Views",
    provides: "IPv4 prefix-to-AS mapping (pfx2as)",
    url: "https://www.routeviews.org",
  },
  {
    name: "NRO (AFRINIC, APNIC, ARIN, LACNIC, RIPE NCC)",
    provides: "the RIRs' delegation statistics",
    url: "https://www.nro.net",
  },
  {
    name: "DB-IP",
    provides: "IP to ASN Lite: most organisation names",
    url: "https://db-ip.com",
  },
  {
    name: "@ip-location-db/asn (sapics/ip-location-db)",
    provides: "the merged table this program distils",
    url: "https://github.com/sapics/ip-location-db",
  },
];

/** One line of attribution for tool output and the command line. */
export const ATTRIBUTION_TEXT =
  "AS names and origins: @ip-location-db/asn (CC BY 4.0), from Route Views " +
  "(routeviews.org), the RIRs via the NRO (nro.net) and IP to ASN Lite by DB-IP " +
  "(https://db-ip.com)";

/** `AS names as of 2026-06-17`: shown in every answer that names an AS. */
export function namesLabel(date: string): string {
  return `AS names as of ${date}`;
}

/** The label of an origin taken from the dataset rather than from a route server. */
export function originLabel(date: string): string {
  return `dataset as of ${date}, not a live view: use route_lookup for the live table`;
}
