/**
 * Loading files that are not files, and files whose contents are hostile: a FIFO, a socket, a
 * device, a directory, a symlink loop; corrupt and truncated Parquet, JSON and JSONL; binary
 * garbage and invalid UTF-8. Each is a loader error (EngineError) naming the file, never a
 * hang and never a JavaScript error from inside a parser.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { loadFileTable, loadTable } from '../../engine/load/index.js';
import { repoRoot } from '../helpers/golden.js';

const tmp = join(repoRoot, 'test', '.tmp', `load-hostile-${process.pid}`);
const PARQUET = readFileSync(join(repoRoot, 'test', 'golden-programs', 'data', 'ten_rows.parquet'));
const JSON_DOC = readFileSync(join(repoRoot, 'test', 'golden-programs', 'data', 'ten_rows.json'));
const JSONL_DOC = readFileSync(join(repoRoot, 'test', 'golden-programs', 'data', 'ten_rows.jsonl'));

let server: Server | null = null;
before(() => mkdirSync(tmp, { recursive: true }));
after(async () => {
  await new Promise<void>((resolve) =>
    server === null ? resolve() : server.close(() => resolve()),
  );
  rmSync(tmp, { recursive: true, force: true });
});

function writeTmp(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** The EngineError a load raises (fails the test when it loads, or raises anything else). */
async function loadError(path: string, format?: 'csv'): Promise<EngineError> {
  const file = path;
  try {
    await loadTable(path, { format });
  } catch (error) {
    assert.ok(error instanceof EngineError, `not an EngineError: ${String(error)}`);
    assert.ok(error.message.startsWith(`${file}`), `the message names the file: ${error.message}`);
    return error;
  }
  assert.fail(`${path} loaded`);
}

/** Messages that are a parser's internals, not words for a user. */
const INTERNAL =
  /Cannot read properties|is not a function|undefined|Invalid (typed )?array length|argument must be/u;

test('a FIFO is refused at once, and many refused FIFOs leave every later load working', async () => {
  const fifo = join(tmp, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  // Before the fix each of these blocked a thread of libuv's pool (4 by default) for ever.
  for (let i = 0; i < 6; i++) {
    const error = await loadError(fifo);
    assert.equal(error.message, `${fifo}: is a named pipe (FIFO), not a regular file`);
    assert.equal(error.code, 'file-unreadable');
  }
  const csv = writeTmp('after-fifo.csv', 'a,b\n1,2\n');
  assert.equal((await loadTable(csv)).nRows, 1);
});

test('a socket, a device and a directory are refused with what they are', async () => {
  const socket = join(tmp, 'sock.csv');
  server = createServer();
  await new Promise<void>((resolve) => server?.listen(socket, resolve));
  assert.equal((await loadError(socket)).message, `${socket}: is a socket, not a regular file`);
  assert.equal(
    (await loadError('/dev/zero', 'csv')).message,
    '/dev/zero: is a device, not a regular file',
  );
  const dir = join(tmp, 'folder.csv');
  mkdirSync(dir);
  assert.equal((await loadError(dir)).message, `${dir}: is a directory, not a file`);
});

test('a symlink loop is reported as a loop, not as a missing file', async () => {
  const a = join(tmp, 'loop-a.csv');
  const b = join(tmp, 'loop-b.csv');
  symlinkSync(b, a);
  symlinkSync(a, b);
  const error = await loadError(a);
  assert.equal(error.message, `${a}: is a symbolic link loop (a link that leads back to itself)`);
  assert.equal(error.code, 'file-unreadable');
});

test('a missing file is still "no such file"', async () => {
  const missing = join(tmp, 'nope.csv');
  const error = await loadError(missing);
  assert.equal(error.message, `${missing}: no such file`);
  assert.equal(error.code, 'file-not-found');
});

test('a symbolic link to nothing names where it points, not "no such file"', async () => {
  const link = join(tmp, 'dangling.csv');
  symlinkSync('gone.csv', link);
  const error = await loadError(link);
  assert.equal(error.message, `${link}: is a symbolic link to "gone.csv", which does not exist`);
  assert.equal(error.code, 'file-not-found');
});

test('a number beyond the range of a double is refused with its column and row, in every text format', async () => {
  const tooLarge =
    'the number is too large for a double (beyond ±1.8e308); write it smaller or as text';
  const csv = writeTmp('overflow.csv', 'a,b\n1,2\n3,-1e400\n');
  assert.equal((await loadError(csv)).message, `${csv}, column b, row 2: ${tooLarge}`);
  const tsv = writeTmp('overflow.tsv', 'a\tb\n1e999\t2\n');
  assert.equal((await loadError(tsv)).message, `${tsv}, column a, row 1: ${tooLarge}`);
  const json = writeTmp('overflow.json', '[{"a": 1}, {"a": 2}, {"a": 1e400}]');
  const jsonError = await loadError(json);
  assert.equal(jsonError.message, `${json}, column a, row 3: ${tooLarge}`);
  assert.equal(jsonError.code, 'not-numeric');
  // JSONL rows are line numbers: the blank line counts.
  const jsonl = writeTmp('overflow.jsonl', '{"a": 1}\n\n{"a": 1e400}\n');
  assert.equal((await loadError(jsonl)).message, `${jsonl}, column a, row 3: ${tooLarge}`);
  // The largest doubles load, and a text column may hold the same characters as text.
  const edge = writeTmp('edge.csv', 'a,b\n1.7976931348623157e308,1e400\n-1e308,x\n');
  const table = await loadTable(edge);
  const a = table.columns[0];
  assert.ok(a.kind === 'number');
  assert.deepEqual([...a.values], [1.7976931348623157e308, -1e308]);
  assert.equal(table.columns[1].kind, 'string');
});

test('the identity of a loaded file is the same under a symlink and a hard link', async () => {
  const data = writeTmp('ident.csv', 'a,b\n1,2\n');
  const soft = join(tmp, 'ident-soft.csv');
  const hard = join(tmp, 'ident-hard.csv');
  symlinkSync(data, soft);
  linkSync(data, hard);
  const stats = statSync(data);
  const direct = await loadFileTable(data);
  assert.deepEqual(direct.identity, { realPath: data, dev: stats.dev, ino: stats.ino });
  assert.deepEqual((await loadFileTable(soft)).identity, direct.identity);
  const viaHard = (await loadFileTable(hard)).identity;
  assert.deepEqual([viaHard.dev, viaHard.ino], [stats.dev, stats.ino]);
  assert.equal(viaHard.realPath, hard, 'a hard link has its own real path; the inode is shared');
});

test('every truncation of a Parquet file is a Parquet error naming the file', async () => {
  const cuts = [
    1,
    3,
    4,
    8,
    12,
    40,
    100,
    300,
    PARQUET.length - 9,
    PARQUET.length - 5,
    PARQUET.length - 1,
  ];
  for (const cut of cuts) {
    const path = writeTmp(`cut-${cut}.parquet`, PARQUET.subarray(0, cut));
    const error = await loadError(path);
    assert.equal(error.code, 'bad-format', error.message);
    assert.ok(error.message.startsWith(`${path}: not a readable Parquet file (`), error.message);
    assert.doesNotMatch(error.message, INTERNAL);
  }
});

test('corrupt Parquet bytes never leak a JavaScript error from inside the reader', async () => {
  let refused = 0;
  // Overwrite 8 bytes at each of many places, and flip single bytes of the footer.
  const variants: Buffer[] = [];
  for (let k = 0; k < 60; k++) {
    const bytes = Buffer.from(PARQUET);
    const at = 4 + ((k * 37) % (PARQUET.length - 12));
    bytes.fill(0xff, at, at + 8);
    variants.push(bytes);
  }
  for (let k = 0; k < 60; k++) {
    const bytes = Buffer.from(PARQUET);
    const at = PARQUET.length - 9 - k * 3;
    bytes[at] ^= 0x5a;
    variants.push(bytes);
  }
  for (const [i, bytes] of variants.entries()) {
    const path = writeTmp(`corrupt-${i}.parquet`, bytes);
    try {
      await loadTable(path);
    } catch (error) {
      assert.ok(error instanceof EngineError, `variant ${i}: ${String(error)}`);
      assert.ok(error.message.startsWith(`${path}: `), error.message);
      assert.doesNotMatch(error.message, INTERNAL, `variant ${i}`);
      refused++;
    }
  }
  // Most variants break the metadata; some only change values, which Parquet cannot detect.
  assert.ok(refused > variants.length / 2, `${refused} of ${variants.length} refused`);
});

test('a Parquet file whose metadata is garbage says the file is corrupt or truncated', async () => {
  // Footer length 20 pointing at bytes that decode as a struct with a list field of garbage.
  const variants = [4, 6, 24, 25].map((k) => {
    const bytes = Buffer.from(PARQUET);
    const at = 4 + ((k * 37) % (PARQUET.length - 12));
    bytes.fill(0xff, at, at + 8);
    return bytes;
  });
  const messages = new Set<string>();
  for (const [i, bytes] of variants.entries()) {
    const path = writeTmp(`meta-${i}.parquet`, bytes);
    messages.add((await loadError(path)).message.slice(path.length));
  }
  assert.ok(
    messages.has(': not a readable Parquet file (the file is corrupt or truncated)'),
    [...messages].join('\n'),
  );
});

test('truncated and garbled JSON and JSONL are loader errors naming the file', async () => {
  const cases: [string, Uint8Array, string][] = [
    ['half.json', JSON_DOC.subarray(0, 200), 'bad-format'],
    ['deep.json', Buffer.from('['.repeat(100_000)), 'bad-format'],
    ['nested.json', Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`), 'bad-format'],
    ['binary.json', Buffer.from([0xff, 0xfe, 0x5b, 0x00]), 'bad-encoding'],
    ['half.jsonl', JSONL_DOC.subarray(0, 70), 'bad-format'],
    ['binary.jsonl', Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]), 'bad-encoding'],
  ];
  for (const [name, bytes, code] of cases) {
    const path = writeTmp(name, bytes);
    const error = await loadError(path);
    assert.equal(error.code, code, `${name}: ${error.message}`);
    assert.doesNotMatch(error.message, INTERNAL);
  }
});

test('binary garbage and invalid UTF-8 in CSV and TSV are encoding errors naming the file', async () => {
  const cases: [string, Uint8Array][] = [
    ['garbage.csv', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a])],
    ['utf16.csv', Buffer.from('\ufeffa,b\n1,2\n', 'utf16le')],
    [
      'cell.tsv',
      Buffer.concat([Buffer.from('a\tb\n1\t'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    ],
  ];
  for (const [name, bytes] of cases) {
    const path = writeTmp(name, bytes);
    const error = await loadError(path);
    assert.equal(error.code, 'bad-encoding', `${name}: ${error.message}`);
    assert.match(error.message, /the text is not valid UTF-8/u);
  }
});

/** How many of this process's descriptors are open on `path`. */
function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed while being listed
    }
  }).length;
}

test('an interrupted load releases its file, whether stopped while reading or parsing', async () => {
  // More than one read chunk (16 MiB), so that the read is interrupted between chunks.
  const row = '1,0,0.25,text\n';
  const path = writeTmp('big.csv', `a,b,c,d\n${row.repeat(Math.ceil((17 << 20) / row.length))}`);
  for (const phase of ['read', 'parse'] as const) {
    const cancel = { cancelled: false };
    let seen = false;
    await assert.rejects(
      loadTable(path, {
        cancel,
        onProgress: (p) => {
          if (p.phase !== phase) return;
          seen = true;
          assert.equal(descriptorsOn(path), phase === 'read' ? 1 : 0);
          cancel.cancelled = true;
        },
      }),
      (error: unknown) => error instanceof EngineError && error.code === 'interrupted',
    );
    assert.ok(seen, `the load reported its ${phase} phase`);
    assert.equal(descriptorsOn(path), 0, `no descriptor left after an interrupted ${phase}`);
  }
  assert.equal((await loadTable(path)).columns.length, 4, 'the file loads afterwards');
});

test('a Parquet footer that claims more rows than its row groups hold is refused', async () => {
  // FileMetaData.num_rows (thrift compact: field header 0x16, zigzag varint 0x14 = 10) is the
  // first i64 of the footer; 0x7e claims 63 rows, while the one row group holds 10.
  const footerLength = PARQUET.readUInt32LE(PARQUET.length - 8);
  const footer = PARQUET.length - 8 - footerLength;
  const at = PARQUET.indexOf(Buffer.from([0x16, 0x14]), footer);
  assert.ok(at > footer, 'the fixture has the row count where expected');
  const bytes = Buffer.from(PARQUET);
  bytes[at + 1] = 0x7e;
  const path = writeTmp('claims-63-rows.parquet', bytes);
  assert.equal(
    (await loadError(path)).message,
    `${path}: not a readable Parquet file (the file is corrupt or truncated)`,
  );
});
