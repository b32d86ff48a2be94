import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLeakage, normalizeText } from '../../engine/leakage.js';
import { loadTable } from '../../engine/load/index.js';
import { makeTable, numberColumn, stringColumn } from '../../engine/table.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

test('leakage_duplicates: exact text matches between train and test', async () => {
  const expected = readExpected('leakage_duplicates');
  const train = await loadTable(goldenPath('leakage_duplicates', 'train.csv'));
  const test = await loadTable(goldenPath('leakage_duplicates', 'test.csv'));
  const result = findLeakage(train, test, { column: expected.column, idColumn: 'id' });
  const { case: _case, kind: _kind, task: _task, files: _files, match: _match, ...keys } = expected;
  assertGolden(toGoldenKeys(result), keys);
  assert.equal(result.normalized, undefined);
  // The golden lists hold every leaked value; nothing more is reported.
  assert.equal(result.duplicates.length, expected.duplicates.length);
});

test('without an id column, rows are named by 1-based row number', async () => {
  const train = await loadTable(goldenPath('leakage_duplicates', 'train.csv'));
  const test = await loadTable(goldenPath('leakage_duplicates', 'test.csv'));
  const result = findLeakage(train, test, { column: 'text' });
  assert.deepEqual(result.leakedTestIds, [23, 31, 33, 42, 51, 54, 55]);
  assert.deepEqual(result.duplicates[0].trainIds, [191]);
});

const train = makeTable([
  stringColumn('id', ['a1', 'a2', 'a3', 'a4', 'a5']),
  stringColumn('text', ['Hello  World', 'same', 'same', null, 'Tab\there ']),
]);
const testTable = makeTable([
  stringColumn('id', ['b1', 'b2', 'b3', 'b4', 'b5', 'b6']),
  stringColumn('text', ['hello world', 'same', null, 'other', 'same', ' tab here']),
]);

test('exact matching: byte-for-byte only, several rows per value, missing never matches', () => {
  const result = findLeakage(train, testTable, { column: 'text', idColumn: 'id' });
  assert.deepEqual(toGoldenKeys(result), {
    column: 'text',
    train_rows: 5,
    test_rows: 6,
    duplicate_text_count: 1,
    duplicates: [{ text: 'same', train_ids: ['a2', 'a3'], test_ids: ['b2', 'b5'] }],
    leaked_test_ids: ['b2', 'b5'],
    leaked_train_ids: ['a2', 'a3'],
    leaked_test_fraction: 2 / 6,
  });
});

test('normalize: lowercase, collapsed white space, trimmed, reported separately', () => {
  assert.equal(normalizeText('  Tab\there \n'), 'tab here');
  const result = findLeakage(train, testTable, { column: 'text', idColumn: 'id', normalize: true });
  assert.equal(result.duplicateTextCount, 1);
  assert.deepEqual(toGoldenKeys(result.normalized), {
    duplicate_text_count: 3,
    duplicates: [
      { text: 'hello world', train_ids: ['a1'], test_ids: ['b1'] },
      { text: 'same', train_ids: ['a2', 'a3'], test_ids: ['b2', 'b5'] },
      { text: 'tab here', train_ids: ['a5'], test_ids: ['b6'] },
    ],
    leaked_test_ids: ['b1', 'b2', 'b5', 'b6'],
    leaked_train_ids: ['a1', 'a2', 'a3', 'a5'],
    leaked_test_fraction: 4 / 6,
  });
});

test('numeric keys match by value; ids sort numerically', () => {
  const a = makeTable([numberColumn('k', [1.5, 2, 10, NaN])]);
  const b = makeTable([numberColumn('k', [10, 3, 1.5, NaN, 10])]);
  const result = findLeakage(a, b, { column: 'k' });
  assert.deepEqual(
    result.duplicates.map((d) => [d.text, d.trainIds, d.testIds]),
    [
      ['10', [3], [1, 5]],
      ['1.5', [1], [3]],
    ],
  );
  assert.deepEqual(result.leakedTestIds, [1, 3, 5]);
  assert.equal(result.leakedTestFraction, 3 / 5);
});

test('an empty test table leaks nothing', () => {
  const empty = makeTable([stringColumn('text', [])]);
  const result = findLeakage(train, empty, { column: 'text' });
  assert.equal(result.leakedTestFraction, 0);
  assert.equal(result.duplicateTextCount, 0);
});

test('a missing key column is named', () => {
  assert.throws(() => findLeakage(train, testTable, { column: 'body' }), {
    code: 'unknown-column',
    message: 'no column "body" (columns: id, text)',
  });
});
