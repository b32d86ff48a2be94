/**
 * Reading a data file's bytes, with its SHA-256, progress and cancellation.
 *
 * The file is read in chunks into one buffer of its size, hashing each chunk as it arrives, so
 * the hash costs no second pass and a large read can be interrupted between chunks.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type CancelToken, throwIfCancelled } from '../errors.js';
import { loadErrors } from './messages.js';

export interface FileBytes {
  /**
   * The file's bytes. In its ArrayBuffer they are followed by one spare LF byte, outside the
   * view, which lets the CSV parser scan without bounds checks and without a copy.
   */
  readonly bytes: Buffer;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

const READ_CHUNK = 16 << 20;

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Reads the whole file; `file` is the path as the user wrote it (used in messages). */
export async function readFileBytes(
  path: string,
  file: string,
  onProgress?: (bytesDone: number, bytesTotal: number) => void,
  cancel?: CancelToken,
): Promise<FileBytes> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw loadErrors.fileNotFound(file);
    if (code === 'EISDIR') throw loadErrors.isDirectory(file);
    if (code === 'EACCES' || code === 'EPERM')
      throw loadErrors.unreadable(file, 'permission denied');
    throw loadErrors.unreadable(file, code ?? String(error));
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw loadErrors.isDirectory(file);
    const size = stats.size;
    if (size > bufferConstants.MAX_LENGTH) {
      throw loadErrors.unreadable(
        file,
        `${gib(size)} is more than the ${gib(bufferConstants.MAX_LENGTH)} a file can have here`,
      );
    }
    const padded = Buffer.allocUnsafe(size + 1);
    const bytes = padded.subarray(0, size);
    const hash = createHash('sha256');
    let done = 0;
    while (done < size) {
      throwIfCancelled(cancel);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(bytes, done, Math.min(READ_CHUNK, size - done), done));
      } catch (error) {
        const code = errorCode(error);
        if (code === 'EISDIR') throw loadErrors.isDirectory(file);
        throw loadErrors.unreadable(file, code ?? String(error));
      }
      if (bytesRead === 0) break; // the file shrank while being read
      hash.update(bytes.subarray(done, done + bytesRead));
      done += bytesRead;
      onProgress?.(done, size);
    }
    padded[done] = 10; // the spare LF after the data (see FileBytes)
    const data = done === size ? bytes : bytes.subarray(0, done);
    return { bytes: data, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
