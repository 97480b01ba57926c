// @ts-self-types="./_resvg_wasm.d.ts"
/**
 * resvg's WebAssembly, compiled from the npm package's own file by Deno's
 * module loader (`import source`): no file permission, embedded by `deno
 * compile`. Plain JavaScript because TypeScript does not parse source-phase
 * imports yet; its types are in `_resvg_wasm.d.ts`.
 *
 * @module
 */

import source resvgModule from "@resvg/resvg-wasm/index_bg.wasm";

/** resvg's compiled WebAssembly module. */
export default resvgModule;
