/**
 * Files a user names are read only when they are regular files, and never
 * beyond a cap: a FIFO is not opened (that would block), a huge file is
 * refused from its size, a stream is cut at the cap.
 */

import assert from "node:assert/strict";
import { FileReadError } from "../src/errors.ts";
import { readBoundedText, readBoundedTextFile } from "../src/_files.ts";

Deno.test("readBoundedTextFile: regular files up to the cap; everything else a FileReadError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ok.json`, "{}\n");
    assert.equal(await readBoundedTextFile(`${dir}/ok.json`, 3), "{}\n");
    const refused = async (path: string, cap: number, reason: RegExp) => {
      await assert.rejects(readBoundedTextFile(path, cap), (error: unknown) => {
        assert.ok(error instanceof FileReadError);
        assert.equal(error.path, path);
        assert.match(error.reason, reason);
        assert.equal(error.message, `${path}: ${error.reason}`);
        return true;
      });
    };
    await refused(
      `${dir}/ok.json`,
      2,
      /^it has 3 bytes, more than the 2 bytes such a file may have$/,
    );
    await refused(`${dir}/missing.json`, 10, /^no such file$/);
    await refused(dir, 10, /^it is a directory$/);
    const made = await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).output();
    assert.ok(made.success, "mkfifo");
    await refused(`${dir}/fifo`, 10, /^it is not a regular file \(a FIFO, a socket or a device\)$/);
    await Deno.symlink(`${dir}/fifo`, `${dir}/link`);
    await refused(`${dir}/link`, 10, /^it is not a regular file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readBoundedText: a stream up to the cap is text; one byte more is refused", async () => {
  const stream = (bytes: number) => ReadableStream.from([new Uint8Array(bytes).fill(0x61)]);
  assert.equal(await readBoundedText(stream(4), 4), "aaaa");
  await assert.rejects(
    readBoundedText(stream(5), 4),
    /^RangeError: The input is more than 4 bytes$/,
  );
});
