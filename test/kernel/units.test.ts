/** The kernel's small pure parts: cursors, history, the send queue, the logo PNGs, TS types. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { codePointsToIndex, indexToCodePoints } from '../../kernel/cursor.js';
import { History, globToRegExp } from '../../kernel/history.js';
import { LOGO_SIZES, crc32, encodePng, logoFileName, logoPng } from '../../kernel/png.js';
import { SendQueue } from '../../kernel/send-queue.js';
import { MainSharedState, WorkerSharedState, createSharedBuffer } from '../../kernel/shared.js';
import { isDeclarableName, isTypeScriptCell, typeOfValue } from '../../kernel/ts-cells.js';
import { repoRoot } from '../helpers/golden.js';

test('cursor positions convert between code points and UTF-16 indices', () => {
  const text = 'a🙂b€c𝔸';
  // code points: a 🙂 b € c 𝔸  -> UTF-16 indices 0 1 3 4 5 6 (end 8)
  const indices = [0, 1, 3, 4, 5, 6, 8];
  indices.forEach((index, codePoints) => {
    assert.equal(codePointsToIndex(text, codePoints), index);
    assert.equal(indexToCodePoints(text, index), codePoints);
  });
  assert.equal(codePointsToIndex(text, 100), text.length);
  assert.equal(indexToCodePoints(text, 100), 6);
  // A lone surrogate counts as one code point.
  assert.equal(codePointsToIndex('\ud83dx', 1), 1);
});

test('history: tail, range with session 0 and negatives, search with glob and unique', () => {
  const history = new History();
  history.record(1, 'load "a.csv" as a');
  history.record(2, 'show a');
  history.setOutput(2, 'table a');
  history.record(3, 'show a');
  history.record(4, 'compare x on a against y');
  assert.deepEqual(history.query({ hist_access_type: 'tail', output: false, raw: true, n: 2 }), [
    [1, 3, 'show a'],
    [1, 4, 'compare x on a against y'],
  ]);
  const range = (session: number, start: number, stop: number | null) =>
    history.query({ hist_access_type: 'range', output: false, raw: true, session, start, stop });
  assert.deepEqual(range(0, 4, null), [[1, 4, 'compare x on a against y']]);
  assert.deepEqual(range(-1, 2, 3), [], 'there is no earlier session in this process');
  assert.deepEqual(range(1, 1, null).length, 4);
  assert.deepEqual(
    history.query({
      hist_access_type: 'range',
      output: true,
      raw: true,
      session: 1,
      start: 2,
      stop: 4,
    }),
    [
      [1, 2, ['show a', 'table a']],
      [1, 3, ['show a', null]],
    ],
  );
  const search = (pattern: string, unique: boolean, n: number | null) =>
    history.query({ hist_access_type: 'search', output: false, raw: true, pattern, unique, n });
  assert.deepEqual(search('show*', false, null), [
    [1, 2, 'show a'],
    [1, 3, 'show a'],
  ]);
  assert.deepEqual(search('show*', true, null), [[1, 3, 'show a']]);
  assert.deepEqual(search('*a?csv*', false, 1), [[1, 1, 'load "a.csv" as a']]);
  assert.equal(globToRegExp('a.b').test('axb'), false);
});

test('the send queue sends in order, one at a time, and survives a failing send', async () => {
  const sent: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const errors: unknown[] = [];
  const queue = new SendQueue(
    {
      async send(frames) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        if (frames[0].toString() === 'bad') throw new Error('EBUSY');
        sent.push(frames[0].toString());
      },
    },
    (error) => errors.push(error),
  );
  const labels = ['a', 'b', 'bad', 'c', 'd'];
  for (const label of labels) void queue.send([Buffer.from(label)]);
  assert.equal(queue.pending, 5);
  await queue.drain();
  assert.deepEqual(sent, ['a', 'b', 'c', 'd']);
  assert.equal(maxInFlight, 1);
  assert.equal(errors.length, 1);
  assert.equal(queue.pending, 0);
});

test('one send queue keeps the order of sends across sockets: a slow socket holds the next', async () => {
  const handed: string[] = [];
  const socket = (name: string, delayMs: number) => ({
    async send(frames: Buffer[]) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      handed.push(`${name}:${frames[0].toString()}`);
    },
  });
  const iopub = socket('iopub', 5);
  const shell = socket('shell', 0);
  const queue = new SendQueue(iopub, () => undefined);
  // A backlog on iopub, then a busy status and the reply on an idle shell socket.
  void queue.send([Buffer.from('stream')]);
  void queue.send([Buffer.from('busy')]);
  void queue.send([Buffer.from('reply')], shell);
  void queue.send([Buffer.from('idle')]);
  await queue.drain();
  assert.deepEqual(handed, ['iopub:stream', 'iopub:busy', 'shell:reply', 'iopub:idle']);
});

test('urgent sends pass the ordinary backlog in their own order; a shutdown drops the backlog', async () => {
  const handed: string[] = [];
  const queue = new SendQueue(
    {
      async send(frames: Buffer[]) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        handed.push(frames[0].toString());
      },
    },
    () => undefined,
  );
  for (const label of ['out1', 'out2', 'out3', 'out4']) void queue.send([Buffer.from(label)]);
  for (const label of ['busy', 'reply', 'idle']) {
    void queue.send([Buffer.from(label)], undefined, { urgent: true });
  }
  // out1 is already on its way; the urgent three go next, then the rest.
  await queue.drain();
  assert.deepEqual(handed, ['out1', 'busy', 'reply', 'idle', 'out2', 'out3', 'out4']);
  handed.length = 0;
  const settled: string[] = [];
  for (const label of ['a', 'b', 'c']) {
    void queue.send([Buffer.from(label)]).then(() => settled.push(label));
  }
  assert.equal(queue.discardOrdinary(), 2, 'all but the one in flight');
  await queue.drain();
  assert.deepEqual(handed, ['a']);
  assert.deepEqual(settled.sort(), ['a', 'b', 'c'], 'dropped sends settle too');
});

/** Reads width, height and RGBA pixels back out of an 8-bit RGBA, filter-0 PNG. */
function decodeOwnPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 6, 0, 0, 0]);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0);
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, pixels };
}

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('PNG encoding round-trips pixels', () => {
  const pixels = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
  const decoded = decodeOwnPng(encodePng(3, 2, pixels));
  assert.equal(decoded.width, 3);
  assert.equal(decoded.height, 2);
  assert.deepEqual([...decoded.pixels], [...pixels]);
});

test('the committed logos are the drawn ones, at 32 and 64 pixels, with transparent corners', () => {
  for (const size of LOGO_SIZES) {
    const file = readFileSync(join(repoRoot, 'kernel', 'assets', logoFileName(size)));
    assert.deepEqual(file, logoPng(size), `${logoFileName(size)} is stale: run make-logos`);
    const { width, height, pixels } = decodeOwnPng(file);
    assert.equal(width, size);
    assert.equal(height, size);
    assert.equal(pixels[3], 0, 'top-left corner is transparent');
    const centre = ((size / 2) * size + size / 2) * 4;
    assert.equal(pixels[centre + 3], 255, 'the centre is opaque');
  }
});

test('%%ts cells are recognised by their first line only', () => {
  assert.equal(isTypeScriptCell('%%ts\n1'), true);
  assert.equal(isTypeScriptCell('%%ts  \n1'), true);
  assert.equal(isTypeScriptCell('%%ts'), true);
  assert.equal(isTypeScriptCell(' %%ts\n1'), false);
  assert.equal(isTypeScriptCell('load "x" as t\n%%ts'), false);
  assert.equal(isTypeScriptCell('%%tsx\n1'), false);
});

test('session values get TypeScript types; DataFrame-like objects are any', () => {
  class DataFrame {}
  assert.equal(typeOfValue(3), 'number');
  assert.equal(typeOfValue('x'), 'string');
  assert.equal(typeOfValue(null), 'null');
  assert.equal(typeOfValue([1, 2]), 'number[]');
  assert.equal(typeOfValue([1, 'a']), '(number | string)[]');
  assert.equal(typeOfValue([]), 'unknown[]');
  assert.equal(typeOfValue(new Float64Array(2)), 'Float64Array');
  assert.equal(typeOfValue(new DataFrame()), 'any');
  assert.equal(
    typeOfValue({ f1: 0.5, 'odd key': { n: 1 } }),
    '{ "f1": number; "odd key": { "n": number } }',
  );
  assert.equal(
    typeOfValue(() => 1),
    'any',
  );
  assert.equal(isDeclarableName('test'), true);
  assert.equal(isDeclarableName('not an identifier'), false);
  assert.equal(isDeclarableName('class'), false);
});

test('the shell backlog: the worker waits for room at the limit, and a shutdown ends the wait', async () => {
  const buffer = createSharedBuffer();
  const worker = new WorkerSharedState(buffer);
  const main = new MainSharedState(buffer);
  for (let i = 0; i < 3; i++) worker.shellReceived();
  assert.equal(worker.shellBacklog, 3);
  let roomed = false;
  const room = worker.shellRoom(3).then(() => (roomed = true));
  // Let the wait run; it must still be waiting, as the backlog is at the limit.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(roomed, false);
  main.shellTaken();
  await room;
  assert.equal(worker.shellBacklog, 2);
  // Below the limit: no wait at all.
  await worker.shellRoom(3);
  worker.shellReceived();
  let ended = false;
  const waiting = worker.shellRoom(3).then(() => (ended = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ended, false);
  worker.shutDown();
  worker.wakeShell();
  await waiting;
  assert.equal(worker.shellBacklog, 3, 'a shutdown takes nothing from the backlog');
});
