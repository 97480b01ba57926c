/**
 * Closing a TCP connection the way the server sees it. A server counts a
 * connection as open until it has read our end of it and closed its own; a
 * socket we merely close may still sit in its accept queue or unread for a
 * while, so a new connection opened right after would be one too many at the
 * server. {@linkcode hangUp} closes our sending side (FIN), reads — and books —
 * whatever the server still sends until it closes its side, within a bound,
 * and only then closes the socket: when it resolves, the connection is gone at
 * both ends (or the server took longer than the bound and was cut off).
 *
 * @module
 */

import type { ByteMeter } from "../politeness/budget.ts";

/** How long a polite close waits for the server to close its side before cutting it off. */
export const HANG_UP_WAIT_MS = 2_000;

/** Most bytes read after our side is closed (a server that keeps talking is cut off). */
export const HANG_UP_BYTES = 4 * 1024;

/** Options for {@linkcode hangUp}. */
export interface HangUpOptions {
  /** Longest wait for the server to close its side (default {@linkcode HANG_UP_WAIT_MS}). */
  waitMs?: number;
  /** Most bytes read meanwhile (default {@linkcode HANG_UP_BYTES}). */
  maxBytes?: number;
  /** Books what is read (download reserved before each read); settled at the end. */
  meter?: ByteMeter;
  /** A read already in flight on `conn` (its result is booked like the others). */
  inFlight?: Promise<number | null>;
  /** The buffer `inFlight` reads into, reused for the reads here. */
  buffer?: Uint8Array;
}

/**
 * Closes our side of `conn`, waits for the server to close its side (reading
 * and booking at most `maxBytes` meanwhile, at most `waitMs`), then closes the
 * socket. Never throws.
 */
export async function hangUp(conn: Deno.TcpConn, options: HangUpOptions = {}): Promise<void> {
  const { meter } = options;
  const maxBytes = options.maxBytes ?? HANG_UP_BYTES;
  const buffer = options.buffer ?? new Uint8Array(Math.min(16 * 1024, Math.max(1, maxBytes)));
  let cut = false;
  const close = () => {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  };
  // Closing the socket ends a pending read: that is how the wait is bounded.
  const timer = setTimeout(() => {
    cut = true;
    close();
  }, options.waitMs ?? HANG_UP_WAIT_MS);
  try {
    try {
      await conn.closeWrite();
    } catch {
      // Not connected any more (the server reset it, or our side is closed already).
    }
    let read = 0;
    if (options.inFlight) {
      const count = await options.inFlight;
      if (count === null) return;
      meter?.received(count);
      read += count;
    }
    while (!cut && read <= maxBytes) {
      let room = Math.max(1, Math.min(buffer.length, maxBytes - read + 1));
      if (meter) room = await meter.allowDown(room);
      const count = await conn.read(buffer.subarray(0, room));
      if (count === null) return;
      meter?.received(count);
      read += count;
    }
  } catch {
    // Reset, cut off by the timer, or no download budget left: closing is all that is left.
  } finally {
    clearTimeout(timer);
    close();
    meter?.settle();
  }
}
