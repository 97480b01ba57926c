/**
 * Types of `_resvg_wasm.js`.
 *
 * @module
 */

/** resvg's compiled WebAssembly module. */
declare const resvgModule: WebAssembly.Module;
export default resvgModule;
