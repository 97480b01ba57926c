/**
 * Reading the small files a user names (the server list, the community names,
 * a capture for `parse`): regular files only, never more than a cap. A FIFO,
 * a socket or a device is never opened (opening a FIFO blocks until someone
 * writes to it), and a huge file is never read whole.
 *
 * @module
 */

import { FileReadError } from "./errors.ts";

/**
 * Reads a regular file of at most `maxBytes` as UTF-8 text. Looks at the file
 * first and refuses anything that is not a regular file without opening it.
 *
 * @throws {FileReadError} when the file is missing, not allowed, not a regular
 * file or larger than `maxBytes`
 */
export async function readBoundedTextFile(path: string, maxBytes: number): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new FileReadError(path, reasonFor(error, path), { cause: error });
  }
  if (info.isDirectory) throw new FileReadError(path, "it is a directory");
  if (!info.isFile) {
    throw new FileReadError(path, "it is not a regular file (a FIFO, a socket or a device)");
  }
  if (info.size > maxBytes) throw tooLarge(path, `${info.size} bytes`, maxBytes);
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(path, maxBytes + 1);
  } catch (error) {
    throw new FileReadError(path, reasonFor(error, path), { cause: error });
  }
  // It grew between the look and the read.
  if (bytes.length > maxBytes) throw tooLarge(path, "more", maxBytes);
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a stream as UTF-8 text, but no more than `maxBytes` of it.
 *
 * @throws {RangeError} when the stream holds more than `maxBytes`
 */
export async function readBoundedText(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > maxBytes) {
      throw new RangeError(`The input is more than ${formatBytes(maxBytes)}`);
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(concat(chunks, length));
}

/** Reads a file, but no more than `limit` bytes of it. */
export async function readAtMost(path: string, limit: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < limit) {
    const chunk = new Uint8Array(Math.min(64 * 1024, limit - length));
    const count = await file.read(chunk);
    if (count === null) break;
    chunks.push(chunk.subarray(0, count));
    length += count;
  }
  return concat(chunks, length);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function tooLarge(path: string, size: string, maxBytes: number): FileReadError {
  return new FileReadError(
    path,
    `it has ${size}, more than the ${formatBytes(maxBytes)} such a file may have`,
  );
}

function reasonFor(error: unknown, path: string): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.NotCapable) {
    return `no permission to read it (start with --allow-read=${path})`;
  }
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return (error as Error)?.message ?? String(error);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
