import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import {
  compareLabels,
  encodeLabels,
  inferTask,
  isCategorical,
  labelIndex,
  positiveIndicator,
} from '../../engine/labels.js';
import { numberColumn, stringColumn, type StringColumn } from '../../engine/table.js';

function engineError(code: string, pattern: RegExp, location: object = {}) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof EngineError, `not an EngineError: ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    assert.deepEqual({ ...e.location }, location);
    return true;
  };
}

test('string labels are encoded over the sorted union of truth and predictions', () => {
  const truth = stringColumn('label', ['spam', 'ham', 'ham']);
  const base = stringColumn('base', ['ham', 'eggs', 'spam']);
  const ft = stringColumn('ft', ['spam', 'ham', 'ham']);
  const e = encodeLabels(truth, [base, ft]);
  assert.deepEqual(e.labels, ['eggs', 'ham', 'spam']);
  assert.deepEqual(Array.from(e.truth), [2, 1, 1]);
  assert.deepEqual(Array.from(e.preds[0]), [1, 0, 2]);
  assert.deepEqual(Array.from(e.preds[1]), [2, 1, 1]);
});

test('numeric labels sort numerically, not as text', () => {
  const truth = numberColumn('label', [10, 2, -1, 2]);
  const e = encodeLabels(truth, [numberColumn('p', [2, 10, 10, 9])]);
  assert.deepEqual(e.labels, [-1, 2, 9, 10]);
  assert.deepEqual(Array.from(e.truth), [3, 1, 0, 1]);
  assert.deepEqual(Array.from(e.preds[0]), [1, 3, 3, 2]);
});

test('large, negative and fractional numeric labels sort with the small whole ones', () => {
  const e = encodeLabels(numberColumn('y', [5000, 1, -3, 2.5, 1023, 1024, 0]), []);
  assert.deepEqual(e.labels, [-3, 0, 1, 2.5, 1023, 1024, 5000]);
  assert.deepEqual(Array.from(e.truth), [6, 2, 0, 3, 4, 5, 1]);
});

test('categories that no row uses are not labels', () => {
  // A column sliced from a larger table keeps its whole dictionary.
  const sliced: StringColumn = {
    kind: 'string',
    name: 'label',
    codes: Int32Array.from([2, 1]),
    categories: ['unused', 'b', 'a'],
  };
  const e = encodeLabels(sliced, []);
  assert.deepEqual(e.labels, ['a', 'b']);
  assert.deepEqual(Array.from(e.truth), [0, 1]);
});

test('strings sort by code point, as Python does (not by UTF-16 unit)', () => {
  // U+FF21 (fullwidth A) is below U+1F600 (an emoji) by code point, above it by UTF-16 unit.
  const labels = ['😀', 'Ａ', 'a', 'B'];
  assert.deepEqual([...labels].sort(compareLabels), ['B', 'a', 'Ａ', '😀']);
  assert.equal(compareLabels('ab', 'a'), 1);
  assert.equal(compareLabels('a', 'ab'), -1);
  assert.equal(compareLabels('a', 'a'), 0);
});

test('extra labels join the union: a test set without positives keeps a 2×2 matrix', () => {
  const truth = numberColumn('label', [0, 0]);
  const e = encodeLabels(truth, [numberColumn('p', [0, 0])], { extraLabels: ['1'] });
  assert.deepEqual(e.labels, [0, 1]);
  assert.deepEqual(Array.from(e.truth), [0, 0]);
  const s = encodeLabels(stringColumn('l', ['ham']), [], { extraLabels: ['spam'] });
  assert.deepEqual(s.labels, ['ham', 'spam']);
  assert.throws(
    () => encodeLabels(truth, [], { extraLabels: ['spam'] }),
    engineError('unknown-label', /label "spam" is text but the label columns hold numbers/),
  );
});

test('a missing cell is an error naming the column and the 1-based row', () => {
  const truth = stringColumn('label', ['a', 'b', 'a']);
  const pred = stringColumn('ft_pred', ['a', null, 'b']);
  assert.throws(
    () => encodeLabels(truth, [pred]),
    engineError('missing-value', /column "ft_pred" has a missing value at row 2/, {
      column: 'ft_pred',
      row: 2,
    }),
  );
  assert.throws(
    () => encodeLabels(numberColumn('label', [1, NaN]), []),
    engineError('missing-value', /row 2/, { column: 'label', row: 2 }),
  );
});

test('numbers mixed with text labels are an error', () => {
  assert.throws(
    () => encodeLabels(numberColumn('label', [0, 1]), [stringColumn('p', [null, 'x'])]),
    engineError('unknown-label', /"p" holds text \("x" at row 2\)/, { column: 'p', row: 2 }),
  );
  assert.throws(
    () => encodeLabels(numberColumn('label', [0, 1]), [stringColumn('base_pred', ['spam', 'ham'])]),
    engineError(
      'unknown-label',
      /labels of "label" are numbers but "base_pred" holds text \("spam" at row 1\)/,
      { column: 'base_pred', row: 1 },
    ),
  );
});

test('columns of different lengths are an error', () => {
  assert.throws(
    () => encodeLabels(numberColumn('label', [0, 1]), [numberColumn('p', [0])]),
    engineError('length-mismatch', /column "p" has 1 rows but "label" has 2/, { column: 'p' }),
  );
});

test('labelIndex matches text and numbers across types', () => {
  assert.equal(labelIndex([0, 1], 1), 1);
  assert.equal(labelIndex([0, 1], '1'), 1);
  assert.equal(labelIndex([0, 1], ' 1.0 '), 1);
  assert.equal(labelIndex(['0', '1'], 1), 1);
  assert.equal(labelIndex(['ham', 'spam'], 'spam'), 1);
  assert.equal(labelIndex(['ham', 'spam'], 'Spam'), -1);
  assert.equal(labelIndex([0, 1], 'one'), -1);
});

test('positiveIndicator marks the positive label in numeric and text columns', () => {
  assert.deepEqual(Array.from(positiveIndicator(numberColumn('y', [1, 0, 1, 2]), 1)), [1, 0, 1, 0]);
  assert.deepEqual(Array.from(positiveIndicator(numberColumn('y', [1, 0]), '1')), [1, 0]);
  const text = stringColumn('y', ['ham', 'spam', 'spam']);
  assert.deepEqual(Array.from(positiveIndicator(text, 'spam')), [0, 1, 1]);
  assert.deepEqual(Array.from(positiveIndicator(text, 'eggs')), [0, 0, 0]);
  assert.throws(
    () => positiveIndicator(stringColumn('y', ['a', null]), 'a'),
    engineError('missing-value', /row 2/, { column: 'y', row: 2 }),
  );
});

test('isCategorical: text, and few whole numbers, are labels; decimals are targets', () => {
  assert.equal(isCategorical(stringColumn('s', ['x', 'y'])), true);
  assert.equal(isCategorical(numberColumn('b', [0, 1, 1, 0])), true);
  assert.equal(isCategorical(numberColumn('r', [1, 2, 3, 4, 5, NaN])), true);
  assert.equal(isCategorical(numberColumn('y', [70.846, 12.5])), false);
  const many = numberColumn(
    'count',
    Array.from({ length: 21 }, (_, i) => i),
  );
  assert.equal(isCategorical(many), false);
  assert.equal(isCategorical(many, 21), true);
});

test('inferTask tells binary, multiclass and regression apart', () => {
  const binary = stringColumn('l', ['a', 'b']);
  assert.equal(inferTask(binary, [stringColumn('p', ['a', 'a'])]), 'binary');
  assert.equal(inferTask(binary, [stringColumn('p', ['a', 'c'])]), 'multiclass');
  assert.equal(inferTask(numberColumn('y', [1.5, 2]), [numberColumn('p', [1, 2])]), 'regression');
  assert.equal(inferTask(numberColumn('y', [1, 0]), [numberColumn('p', [0.2, 0.9])]), 'regression');
});
