import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromDataFrame, toDataFrame } from '../../engine/frame.js';
import {
  cellValue,
  makeTable,
  numberColumn,
  stringColumn,
  type Table,
} from '../../engine/table.js';
import { repoRoot } from '../helpers/golden.js';

const table = makeTable(
  [
    numberColumn('id', [1, 2, 3]),
    stringColumn('label', ['spam', null, 'ham']),
    numberColumn('score', [0.1 + 0.2, NaN, 1e-300]),
  ],
  { path: 'x.csv' },
);

function rows(t: Table): unknown[][] {
  return Array.from({ length: t.nRows }, (_, r) => t.columns.map((c) => cellValue(c, r)));
}

test('a table becomes a DataFrame with its values, float64 intact', async () => {
  const frame = await toDataFrame(table);
  assert.deepEqual(frame.columns, ['id', 'label', 'score']);
  assert.deepEqual(frame.dtypes, ['int32', 'string', 'float32']);
  assert.deepEqual(frame.column('label').values, ['spam', null, 'ham']);
  const scores = frame.column('score').values as number[];
  assert.equal(scores[0], 0.30000000000000004);
  assert.ok(Number.isNaN(scores[1]));
  assert.equal(scores[2], 1e-300);
});

test('and back: the same cells, kinds and names', async () => {
  const back = fromDataFrame(await toDataFrame(table), { derivedFrom: '%%ts cell' });
  assert.deepEqual(
    back.columns.map((c) => `${c.name}:${c.kind}`),
    ['id:number', 'label:string', 'score:number'],
  );
  assert.deepEqual(rows(back), rows(table));
  assert.deepEqual(back.source, { derivedFrom: '%%ts cell' });
});

test('a DataFrame built in a cell: booleans become text, NaN in text is missing', async () => {
  const { DataFrame } = await import('danfojs-node');
  const frame = new DataFrame({ ok: [true, false], name: ['a', NaN], n: [1, null] });
  const back = fromDataFrame(frame);
  assert.deepEqual(rows(back), [
    ['true', 'a', 1],
    ['false', null, null],
  ]);
});

test('a table without columns is an empty frame; without rows, a clear error', async () => {
  const frame = await toDataFrame(makeTable([]));
  assert.deepEqual(frame.shape, [0, 0]);
  await assert.rejects(toDataFrame(makeTable([numberColumn('x', [])])), {
    code: 'bad-argument',
    message: 'a table without rows cannot become a DataFrame',
  });
});

test('importing engine/frame.js does not load danfojs; converting does', () => {
  const frameModule = join(repoRoot, 'dist', 'engine', 'frame.js');
  const tableModule = join(repoRoot, 'dist', 'engine', 'table.js');
  const script = `
    import { createRequire } from 'node:module';
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).some((k) => k.includes('danfojs-node'));
    const { toDataFrame } = await import(${JSON.stringify(frameModule)});
    const { makeTable, numberColumn } = await import(${JSON.stringify(tableModule)});
    const before = loaded();
    await toDataFrame(makeTable([numberColumn('x', [1])]));
    console.log(JSON.stringify({ before, after: loaded() }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1) ?? ''), { before: false, after: true });
});
