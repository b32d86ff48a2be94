/**
 * Reading a data file's bytes, with its SHA-256, progress and cancellation.
 *
 * The file is read in chunks into one buffer of its size, hashing each chunk as it arrives, so
 * the hash costs no second pass and a large read can be interrupted between chunks.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createHash } from 'node:crypto';
import { constants as fsConstants, lstatSync, readlinkSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { type CancelToken, EngineError, throwIfCancelled } from '../errors.js';
import { loadErrors } from './messages.js';

export interface FileBytes {
  /**
   * The file's bytes. In its ArrayBuffer they are followed by one spare LF byte, outside the
   * view, which lets the CSV parser scan without bounds checks and without a copy.
   */
  readonly bytes: Buffer;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
  /** Which file was read, links resolved: what a later write must not replace. */
  readonly identity: FileIdentity;
}

/** A file as the file system knows it: the same file under any name, link or hard link. */
export interface FileIdentity {
  readonly realPath: string;
  readonly dev: number;
  readonly ino: number;
}

const READ_CHUNK = 16 << 20;

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The loader error for a failed stat or open of the file. */
function openError(error: unknown, file: string, path: string): Error {
  const code = errorCode(error);
  if (code === 'ENOENT') {
    const target = danglingLinkTarget(path);
    if (target !== null) return loadErrors.danglingSymlink(file, target);
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') return loadErrors.fileNotFound(file);
  if (code === 'ELOOP') return loadErrors.symlinkLoop(file);
  if (code === 'EISDIR') return loadErrors.isDirectory(file);
  if (code === 'EACCES' || code === 'EPERM')
    return loadErrors.unreadable(file, 'permission denied');
  return loadErrors.unreadable(file, code ?? String(error));
}

/** Where a symbolic link that leads nowhere points, or null when `path` is no such link. */
function danglingLinkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

/**
 * Refuses what is not a regular file. A FIFO or a device can block a read forever (and with
 * it a thread of the pool every later read needs), so they are refused before any read.
 */
function requireRegularFile(stats: Stats, file: string): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) throw loadErrors.isDirectory(file);
  const kind = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : 'a special file';
  throw loadErrors.notARegularFile(file, kind);
}

/** Reads the whole file; `file` is the path as the user wrote it (used in messages). */
export async function readFileBytes(
  path: string,
  file: string,
  onProgress?: (bytesDone: number, bytesTotal: number) => void,
  cancel?: CancelToken,
): Promise<FileBytes> {
  try {
    requireRegularFile(await stat(path), file);
  } catch (error) {
    throw error instanceof EngineError ? error : openError(error, file, path);
  }
  let handle;
  try {
    // Non-blocking, so that a FIFO put in the file's place since the stat cannot block the open.
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    throw openError(error, file, path);
  }
  try {
    const stats = await handle.stat();
    requireRegularFile(stats, file);
    let realPathOfFile: string;
    try {
      realPathOfFile = await realpath(path);
    } catch (error) {
      throw openError(error, file, path);
    }
    const identity: FileIdentity = { realPath: realPathOfFile, dev: stats.dev, ino: stats.ino };
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
    return { bytes: data, sha256: hash.digest('hex'), identity };
  } finally {
    await handle.close();
  }
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
