/**
 * Loads the AS-names table lazily, once: the committed module `asn_data.ts`
 * through a literal dynamic `import()` (so `deno compile` and the JSR package
 * carry it and no permission is needed), or a data file given with
 * `--names-data FILE` (which needs `--allow-read=FILE`). Nothing is loaded
 * until the first lookup; concurrent first callers share one load, and a
 * failed load is tried again by the next caller.
 *
 * @module
 */

import { NamesDataError, NamesUnavailableError } from "../errors.ts";
import { inflate, parsePayload, splitContainer } from "./format.ts";
import { NamesTable } from "./table.ts";

/** What the data module exports. */
export interface DataModule {
  /** A BGPLGASN container in base64. */
  DATA: string;
}

/** How a {@linkcode NamesLoader} finds its data. */
export interface NamesLoaderOptions {
  /** A data file (`--names-data FILE`) instead of the built-in module. */
  file?: string;
  /** Loads the built-in module (tests inject a failing or counting one). */
  importModule?: () => Promise<DataModule>;
  /** Reads the data file (tests inject one). */
  readFile?: (path: string) => Promise<Uint8Array>;
}

/** Loads the built-in data module. The specifier is a literal so every bundler sees it. */
function importBuiltIn(): Promise<DataModule> {
  return import("./asn_data.ts");
}

/**
 * The built-in table, decoded once per process however many loaders ask
 * (it never changes); a failed load is forgotten so the next one tries again.
 */
let builtIn: Promise<NamesTable> | undefined;

/** Decodes a container (module or file bytes) into a table. */
export async function decodeNames(bytes: Uint8Array): Promise<NamesTable> {
  const { header, payload } = splitContainer(bytes);
  const data = parsePayload(await inflate(payload, header.payloadBytes), header.counts);
  return new NamesTable(header, data);
}

/** Decodes base64 text (the data module's `DATA`). */
export function fromBase64(text: string): Uint8Array {
  const decode = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array })
    .fromBase64;
  if (decode) return decode(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The lazily loaded AS-names table of one service. */
export class NamesLoader {
  #options: NamesLoaderOptions;
  #pending: Promise<NamesTable> | undefined;
  #table: NamesTable | undefined;

  /** Creates a loader; nothing is read until {@linkcode NamesLoader.load}. */
  constructor(options: NamesLoaderOptions = {}) {
    this.#options = options;
  }

  /** The data file, when one was given. */
  get file(): string | undefined {
    return this.#options.file;
  }

  /** The table if it is loaded already, for synchronous callers (rendering). */
  get current(): NamesTable | undefined {
    return this.#table;
  }

  /**
   * The table, loading it on the first call. Concurrent callers share one
   * load; after a failure the next call tries again.
   *
   * @throws {NamesUnavailableError} saying why the data could not be had and what to do
   */
  load(): Promise<NamesTable> {
    if (this.#table) return Promise.resolve(this.#table);
    if (!this.#pending) {
      this.#pending = this.#read().then(
        (table) => {
          this.#table = table;
          this.#pending = undefined;
          return table;
        },
        (error: unknown) => {
          this.#pending = undefined;
          throw error;
        },
      );
    }
    return this.#pending;
  }

  #read(): Promise<NamesTable> {
    const file = this.#options.file;
    if (file !== undefined) return this.#readFile(file);
    if (this.#options.importModule) return this.#readModule(this.#options.importModule);
    builtIn ??= this.#readModule(importBuiltIn).catch((error) => {
      builtIn = undefined;
      throw error;
    });
    return builtIn;
  }

  async #readModule(importModule: () => Promise<DataModule>): Promise<NamesTable> {
    let module: DataModule;
    try {
      module = await importModule();
    } catch (error) {
      throw new NamesUnavailableError(
        "missing",
        `The built-in AS-names data could not be loaded (${(error as Error).message}). ` +
          "Run `deno task data` in a clone to rebuild src/names/asn_data.ts, or give a data " +
          "file with --names-data FILE",
        { cause: error },
      );
    }
    if (typeof module?.DATA !== "string") {
      throw new NamesUnavailableError(
        "damaged",
        "The built-in AS-names data module has no DATA: run `deno task data` to rebuild it",
      );
    }
    try {
      return await decodeNames(fromBase64(module.DATA));
    } catch (error) {
      throw new NamesUnavailableError(
        "damaged",
        `The built-in AS-names data is damaged: ${(error as Error).message}. ` +
          "Run `deno task data` to rebuild it",
        { cause: error },
      );
    }
  }

  async #readFile(file: string): Promise<NamesTable> {
    let bytes: Uint8Array;
    try {
      bytes = await (this.#options.readFile ?? Deno.readFile)(file);
    } catch (error) {
      if (
        error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ) {
        throw new NamesUnavailableError(
          "permission",
          `This process may not read the AS-names data file ${file}: add --allow-read=${file}`,
          { cause: error, file },
        );
      }
      const what = error instanceof Deno.errors.NotFound
        ? "does not exist"
        : `cannot be read (${(error as Error).message})`;
      throw new NamesUnavailableError(
        "unreadable",
        `The AS-names data file ${file} ${what}. Write one with ` +
          "`deno task data --out FILE`, or leave out --names-data to use the built-in data",
        { cause: error, file },
      );
    }
    try {
      return await decodeNames(bytes);
    } catch (error) {
      if (!(error instanceof NamesDataError)) throw error;
      throw new NamesUnavailableError(
        "damaged",
        `The AS-names data file ${file} cannot be used: ${error.message}. Write it again ` +
          "with `deno task data --out FILE`",
        { cause: error, file },
      );
    }
  }
}
