/**
 * writeFileAtomic: the new content or the old, never a fragment. Real failures where a real
 * one can be had as root (a path through a file, a directory in the file's place); a full disk
 * through the module's seam: the real temporary file is created and partly written, then the
 * next write fails with ENOSPC, as it would on a full disk.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ensureDirectory,
  FileWriteError,
  writeFileAtomic,
  type WriteSystem,
} from '../../kernel/atomic-write.js';
import { repoRoot } from '../helpers/golden.js';

const tmp = join(repoRoot, 'test', '.tmp', `atomic-write-${process.pid}`);
before(() => fs.mkdirSync(tmp, { recursive: true }));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dirOf(name: string): string {
  const dir = join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The error a write throws (fails the test when it does not throw one). */
function writeError(action: () => void): FileWriteError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof FileWriteError, String(error));
    return error;
  }
  assert.fail('the write succeeded');
}

test('a write replaces the file, creates its folder, and leaves nothing else behind', () => {
  const dir = dirOf('plain');
  const path = join(dir, 'sub', 'report.html');
  writeFileAtomic(path, 'first');
  writeFileAtomic(path, Buffer.from('second'));
  assert.equal(fs.readFileSync(path, 'utf8'), 'second');
  assert.deepEqual(fs.readdirSync(join(dir, 'sub')), ['report.html']);
});

test('a file keeps its permission bits when it is replaced', () => {
  const path = join(dirOf('mode'), 'kernel.json');
  fs.writeFileSync(path, 'old');
  fs.chmodSync(path, 0o640);
  writeFileAtomic(path, 'new');
  assert.equal(fs.statSync(path).mode & 0o777, 0o640);
});

test('a write through a symlink replaces the file it names and keeps the link', () => {
  const dir = dirOf('link');
  const real = join(dir, 'real.html');
  const link = join(dir, 'link.html');
  fs.writeFileSync(real, 'old');
  fs.symlinkSync(real, link);
  writeFileAtomic(link, 'new');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(real, 'utf8'), 'new');
});

test('a path through a file fails with words and the file name, writing nothing', () => {
  const dir = dirOf('through-file');
  const blocker = join(dir, 'data.csv');
  fs.writeFileSync(blocker, 'a,b\n1,2\n');
  const path = join(blocker, 'report.html');
  const error = writeError(() => writeFileAtomic(path, 'x'));
  assert.equal(error.message, `${path}: a part of its path is a file, not a directory`);
  assert.equal(error.path, path);
  assert.equal(fs.readFileSync(blocker, 'utf8'), 'a,b\n1,2\n');
  assert.deepEqual(fs.readdirSync(dir), ['data.csv']);
  const folder = writeError(() => ensureDirectory(join(blocker, 'out')));
  assert.equal(
    folder.message,
    `${join(blocker, 'out')}: a part of its path is a file, not a directory`,
  );
});

test("a directory in the file's place fails, and the directory is left as it was", () => {
  const dir = dirOf('is-dir');
  const path = join(dir, 'report.html');
  fs.mkdirSync(path);
  fs.writeFileSync(join(path, 'inside.txt'), 'kept');
  const error = writeError(() => writeFileAtomic(path, 'x'));
  assert.match(error.message, /report\.html: (it is a directory|EISDIR|ENOTEMPTY|EEXIST)/u);
  assert.equal(fs.readFileSync(join(path, 'inside.txt'), 'utf8'), 'kept');
  assert.deepEqual(fs.readdirSync(dir), ['report.html'], 'no temporary file is left');
});

test("a named pipe or a device in the file's place is refused, and left as it was", () => {
  const dir = dirOf('special');
  const fifo = join(dir, 'r.html');
  execFileSync('mkfifo', [fifo]);
  const error = writeError(() => writeFileAtomic(fifo, 'report'));
  assert.equal(error.message, `${fifo}: it is a named pipe (FIFO), not a regular file`);
  assert.ok(fs.statSync(fifo).isFIFO());
  assert.deepEqual(fs.readdirSync(dir), ['r.html']);
  // Through a symlink too: the link leads to the device, which is not replaced.
  const link = join(dir, 'null.html');
  fs.symlinkSync('/dev/null', link);
  assert.equal(
    writeError(() => writeFileAtomic(link, 'report')).message,
    `${link}: it is a device, not a regular file`,
  );
  assert.ok(fs.statSync('/dev/null').isCharacterDevice());
});

test('a full disk midway leaves the previous file intact and no fragment', () => {
  const dir = dirOf('full-disk');
  const path = join(dir, 'report.html');
  fs.writeFileSync(path, 'the previous report');
  let writes = 0;
  const fullDisk: WriteSystem = {
    ...fs,
    // The first write lands (a real partial file), the next finds the disk full.
    writeSync: ((fd: number, buffer: Uint8Array, offset: number) => {
      if (++writes > 1) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
        });
      }
      return fs.writeSync(fd, buffer, offset, 4);
    }) as WriteSystem['writeSync'],
  };
  const content = 'x'.repeat(10_000);
  const error = writeError(() => writeFileAtomic(path, content, { system: fullDisk }));
  assert.equal(writes, 2, 'the content was partly written before the failure');
  assert.equal(error.message, `${path}: no space left on the device`);
  assert.equal(fs.readFileSync(path, 'utf8'), 'the previous report');
  assert.deepEqual(fs.readdirSync(dir), ['report.html'], 'the fragment was removed');
});

test('a failing rename (a read-only folder) leaves the previous file and no fragment', () => {
  const dir = dirOf('read-only');
  const path = join(dir, 'notebook.ipynb');
  fs.writeFileSync(path, '{}');
  const readOnly: WriteSystem = {
    ...fs,
    renameSync: () => {
      throw Object.assign(new Error('EROFS: read-only file system, rename'), { code: 'EROFS' });
    },
  };
  const error = writeError(() => writeFileAtomic(path, '{"cells": []}', { system: readOnly }));
  assert.equal(error.message, `${path}: the file system is read-only`);
  assert.equal(fs.readFileSync(path, 'utf8'), '{}');
  assert.deepEqual(fs.readdirSync(dir), ['notebook.ipynb']);
});
