/** Reads a parser fixture (see tests/fixtures/SOURCES.md for where each came from). */
export function fixture(path: string): string {
  return Deno.readTextFileSync(new URL(`../fixtures/${path}`, import.meta.url));
}
