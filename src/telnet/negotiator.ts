/**
 * A pure telnet option negotiator (RFC 854, 855, 1143): bytes from the server
 * go in, the data bytes and the replies to send back come out.
 *
 * Policy, chosen for router command lines: accept the server's ECHO and SGA
 * (the server echoes, character mode), refuse every other option the server
 * offers, and never enable any option on our side. As RFC 1143 asks, a request
 * that would change an option's state is always answered, and one that would
 * not (DONT/WONT for an option that is off, WILL for one already on) never is:
 * no loops. Refusals per option are capped, so a flood cannot make us talk
 * without end, and an unterminated subnegotiation is dropped after 1 KiB.
 *
 * @module
 */

/** Telnet command and option byte values used by the negotiator. */
export const TELNET = {
  IAC: 255,
  DONT: 254,
  DO: 253,
  WONT: 252,
  WILL: 251,
  SB: 250,
  SE: 240,
  ECHO: 1,
  SGA: 3,
  TTYPE: 24,
  NAWS: 31,
  LINEMODE: 34,
} as const;

/** What one call to {@linkcode TelnetNegotiator.push} produced. */
export interface NegotiationOutput {
  /** Data bytes with every telnet command removed and `IAC IAC` un-doubled. */
  data: Uint8Array;
  /** Bytes to send back to the server (option replies); may be empty. */
  replies: Uint8Array;
}

/** Decoder states. */
const State = { Data: 0, Iac: 1, Verb: 2, Sub: 3, SubIac: 4 } as const;
type State = typeof State[keyof typeof State];

/** Options we let the server enable on its side. */
const WANTED_REMOTE: ReadonlySet<number> = new Set([TELNET.ECHO, TELNET.SGA]);
/** Most refusals sent for one option (RFC 1143 answers every request; a flood gets this many). */
const MAX_REFUSALS = 16;
/** Longest subnegotiation payload skipped before it is taken as unterminated. */
const MAX_SUBNEGOTIATION = 1024;

/**
 * Streaming telnet decoder. Feed it every chunk read from the socket, in order;
 * it keeps its state across chunks so any sequence may be split at any byte.
 *
 * @example
 * ```ts
 * const n = new TelnetNegotiator();
 * const { data, replies } = n.push(new Uint8Array([255, 251, 1, 104, 105]));
 * // data = "hi", replies = IAC DO ECHO
 * ```
 */
export class TelnetNegotiator {
  #state: State = State.Data;
  #verb = 0;
  /** Options the server has enabled on its side with our agreement. */
  #remoteEnabled = new Set<number>();
  /** Refusals sent per option (DONT for its WILL, WONT for its DO). */
  #remoteRefusals = new Map<number, number>();
  #localRefusals = new Map<number, number>();
  #subLength = 0;

  /** Decodes one chunk. Never throws; memory use does not grow with input. */
  push(chunk: Uint8Array): NegotiationOutput {
    const data = new Uint8Array(chunk.length);
    let dataLength = 0;
    const replies: number[] = [];
    for (const byte of chunk) {
      switch (this.#state) {
        case State.Data:
          if (byte === TELNET.IAC) this.#state = State.Iac;
          else data[dataLength++] = byte;
          break;
        case State.Iac:
          if (byte === TELNET.IAC) {
            data[dataLength++] = byte;
            this.#state = State.Data;
          } else if (byte >= TELNET.WILL && byte <= TELNET.DONT) {
            this.#verb = byte;
            this.#state = State.Verb;
          } else if (byte === TELNET.SB) {
            this.#state = State.Sub;
            this.#subLength = 0;
          } else {
            // NOP, GA, DM, AYT, a stray SE …: two-byte commands, nothing to do.
            this.#state = State.Data;
          }
          break;
        case State.Verb:
          this.#answer(this.#verb, byte, replies);
          this.#state = State.Data;
          break;
        case State.Sub:
          if (byte === TELNET.IAC) this.#state = State.SubIac;
          else if (++this.#subLength > MAX_SUBNEGOTIATION) this.#state = State.Data;
          break;
        case State.SubIac:
          // IAC SE ends the subnegotiation; IAC IAC is a doubled data byte inside it.
          this.#state = byte === TELNET.SE ? State.Data : State.Sub;
          break;
      }
    }
    return { data: data.subarray(0, dataLength), replies: new Uint8Array(replies) };
  }

  /** Whether the server has agreed to echo what we type (WILL ECHO accepted). */
  get serverEchoes(): boolean {
    return this.#remoteEnabled.has(TELNET.ECHO);
  }

  #answer(verb: number, option: number, out: number[]): void {
    switch (verb) {
      case TELNET.WILL:
        if (WANTED_REMOTE.has(option)) {
          if (!this.#remoteEnabled.has(option)) {
            this.#remoteEnabled.add(option);
            out.push(TELNET.IAC, TELNET.DO, option);
          }
        } else if (refuse(this.#remoteRefusals, option)) {
          out.push(TELNET.IAC, TELNET.DONT, option);
        }
        break;
      case TELNET.WONT:
        // Acknowledge only a change of state: an option we had agreed to.
        if (this.#remoteEnabled.delete(option)) out.push(TELNET.IAC, TELNET.DONT, option);
        break;
      case TELNET.DO:
        // We enable nothing on our side: every DO is a request to refuse.
        if (refuse(this.#localRefusals, option)) out.push(TELNET.IAC, TELNET.WONT, option);
        break;
      case TELNET.DONT:
        // Our options are always off, so there is nothing to acknowledge.
        break;
    }
  }
}

/** Counts a refusal; false once an option has been refused MAX_REFUSALS times. */
function refuse(counts: Map<number, number>, option: number): boolean {
  const sent = counts.get(option) ?? 0;
  if (sent >= MAX_REFUSALS) return false;
  counts.set(option, sent + 1);
  return true;
}

/**
 * Encodes one command line for sending: printable ASCII only, terminated with
 * CR LF. Command text is built from fixed templates, so anything else is a bug.
 *
 * @throws {RangeError} if the line holds a byte outside printable ASCII
 */
export function encodeLine(line: string): Uint8Array {
  const bytes = new Uint8Array(line.length + 2);
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw new RangeError(`Refusing to send a non-printable character at index ${i}`);
    }
    bytes[i] = code;
  }
  bytes[line.length] = 13;
  bytes[line.length + 1] = 10;
  return bytes;
}
