/**
 * What a server's greeting says about its software: the text it sends before
 * its first prompt (banner, login questions, the motd) and the prompt itself.
 *
 * - FRR: `Hello, this is FRRouting (version 8.4.4).`; Quagga and Zebra:
 *   `Hello, this is Quagga (version 0.99.24.1).`, `Hello, this is zebra …`
 *   (their default motd); a prompt ending in `> ` (with the space) when the motd
 *   was replaced.
 * - Junos: `--- JUNOS 17.1R1-S1 built …` after the login, a `user@host> `
 *   prompt.
 * - Cisco IOS: `User Access Verification` then `Username:`, and a prompt
 *   without a trailing space (FRR asks for a password only, never a username).
 *
 * Pure: no I/O.
 *
 * @module
 */

import type { DialectId } from "../dialects/mod.ts";

/** Router software told apart by its greeting. */
export type Software = "FRR" | "Quagga" | "Zebra" | "IOS" | "Junos";

/** What the greeting showed. */
export interface SoftwareSeen {
  /** The software. */
  software: Software;
  /** Its version, when the greeting printed one. */
  version?: string;
  /** What told it: the banner's own words, or only the prompt's shape. */
  evidence: "banner" | "prompt";
}

const HELLO = /Hello, this is (FRRouting|Quagga|zebra) \(version ([\w.+~-]{1,40})\)/i;
const JUNOS = /(?:^|\n)\s*--- JUNOS ([\w.-]{1,40})/;

/**
 * The software a greeting shows, or `null` when it says nothing either way.
 * `greeting` is the text before the prompt; `prompt` the prompt as received
 * (trailing space kept).
 */
export function softwareFromGreeting(greeting: string, prompt: string): SoftwareSeen | null {
  const hello = HELLO.exec(greeting);
  if (hello) {
    const name = hello[1].toLowerCase();
    const software: Software = name === "frrouting"
      ? "FRR"
      : name === "quagga"
      ? "Quagga"
      : "Zebra";
    return { software, version: hello[2].replace(/\.$/, ""), evidence: "banner" };
  }
  const junos = JUNOS.exec(greeting);
  if (junos) return { software: "Junos", version: junos[1], evidence: "banner" };
  if (/User Access Verification/.test(greeting) && /Username:/.test(greeting)) {
    return { software: "IOS", evidence: "banner" };
  }
  if (/^[\w.-]+@[\w.-]+> $/.test(prompt)) return { software: "Junos", evidence: "prompt" };
  return null;
}

/** The dialect each software speaks. */
const DIALECT_OF: Readonly<Record<Software, DialectId>> = {
  FRR: "frr",
  Quagga: "frr",
  Zebra: "frr",
  IOS: "cisco-ios",
  Junos: "junos",
};

/** The dialect `software` speaks. */
export function dialectOf(software: Software): DialectId {
  return DIALECT_OF[software];
}

/**
 * Whether what was seen contradicts the configured dialect (`null` when
 * nothing was seen, or it agrees).
 */
export function dialectMismatch(seen: SoftwareSeen | null, configured: DialectId): string | null {
  if (!seen || dialectOf(seen.software) === configured) return null;
  return `configured as ${configured}, but its greeting shows ${seen.software}` +
    (seen.version ? ` ${seen.version}` : "") + ` (the ${dialectOf(seen.software)} dialect)`;
}
