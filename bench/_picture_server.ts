/**
 * The server as it will start once findings and pictures are wired in:
 * `src/main.ts` plus static imports of both modules (the renderer itself
 * stays behind its dynamic import). For bench/picture.ts.
 */

import "../src/findings/mod.ts";
import "../src/picture/mod.ts";
import { main } from "../src/main.ts";

Deno.exitCode = await main(Deno.args);
