/**
 * Writing a file so that it is either all there or not changed at all: the content goes to a
 * temporary file in the same folder, is flushed, and is renamed over the target (rename within
 * a folder is atomic). A failure (a full disk, a read-only folder, a path through a file)
 * leaves any previous file as it was, removes the temporary file, and raises a FileWriteError
 * whose message names the file and says why in words.
 *
 * Every file Evalbook writes goes through `writeFileAtomic`: reports and their chart pages,
 * executed notebooks and their renderings, the main job's index, kernelspec files.
 */
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFailure } from './system-errors.js';

/** The file-system calls a write makes: a seam, so that tests can make one fail. */
export type WriteSystem = Pick<
  typeof fs,
  | 'closeSync'
  | 'fsyncSync'
  | 'lstatSync'
  | 'mkdirSync'
  | 'openSync'
  | 'realpathSync'
  | 'renameSync'
  | 'statSync'
  | 'unlinkSync'
  | 'writeSync'
>;

export interface AtomicWriteOptions {
  /** The new file's permission bits; by default those of the file it replaces, or 0o666 less the umask. */
  readonly mode?: number;
  readonly system?: WriteSystem;
}

/** A write that failed; `path` is the file that could not be written, `reason` why. */
export class FileWriteError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'FileWriteError';
    this.path = path;
    this.reason = reason;
  }
}

/** Creates a folder (and its parents) to write into; a failure is a FileWriteError. */
export function ensureDirectory(dir: string, system: WriteSystem = fs): void {
  try {
    system.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new FileWriteError(dir, writeFailure(error));
  }
}

let counter = 0;

/** Writes `content` to `path` atomically (see the module comment), creating its folder. */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const system = options.system ?? fs;
  const target = linkTarget(path, system);
  const dir = dirname(target);
  const temporary = join(dir, `.${basename(target)}.${process.pid}.${++counter}.tmp`);
  let fd: number | null = null;
  let created = false;
  // The rename would replace a FIFO, socket or device with a file; whoever made one there
  // meant something else by it, so it is left alone.
  const special = specialFileKind(target, system);
  if (special !== null) throw new FileWriteError(path, `it is ${special}, not a regular file`);
  try {
    system.mkdirSync(dir, { recursive: true });
    const mode = options.mode ?? existingMode(target, system) ?? 0o666;
    fd = system.openSync(temporary, 'wx', mode);
    created = true;
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let done = 0; done < bytes.length;) {
      done += system.writeSync(fd, bytes, done, bytes.length - done);
    }
    system.fsyncSync(fd);
    system.closeSync(fd);
    fd = null;
    system.renameSync(temporary, target);
    created = false;
  } catch (error) {
    if (fd !== null) ignoring(() => system.closeSync(fd as number));
    if (created) ignoring(() => system.unlinkSync(temporary));
    throw new FileWriteError(path, writeFailure(error));
  }
}

/** Where a write to `path` lands: through a symlink to the file it names, as a plain write would. */
function linkTarget(path: string, system: WriteSystem): string {
  try {
    if (!system.lstatSync(path).isSymbolicLink()) return path;
    return system.realpathSync(path);
  } catch {
    return path; // nothing there, or a dangling link: the write replaces the name itself
  }
}

/** What kind of special file is at `path` (null for a file, a folder or nothing). */
function specialFileKind(path: string, system: WriteSystem): string | null {
  let stats: fs.Stats;
  try {
    stats = system.statSync(path);
  } catch {
    return null;
  }
  if (stats.isFile() || stats.isDirectory()) return null;
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

function existingMode(path: string, system: WriteSystem): number | undefined {
  try {
    return system.statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function ignoring(action: () => void): void {
  try {
    action();
  } catch {
    // cleaning up after a failure that is already being reported
  }
}
