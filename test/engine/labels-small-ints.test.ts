// The paths of numeric label encoding: labels that are already their own codes (0..k-1, one
// pass), small whole numbers that need remapping, and a column whose first pass stops at a
// value outside the small range or at a missing cell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { encodeLabels } from '../../engine/labels.js';
import { numberColumn } from '../../engine/table.js';

function codes(a: Int32Array): number[] {
  return Array.from(a);
}

test('0/1 labels are their own codes', () => {
  const e = encodeLabels(numberColumn('y', [1, 0, 1]), [numberColumn('p', [0, 0, 1])]);
  assert.deepEqual(e.labels, [0, 1]);
  assert.deepEqual(codes(e.truth), [1, 0, 1]);
  assert.deepEqual(codes(e.preds[0]), [0, 0, 1]);
});

test('small whole numbers that are not 0..k-1 are remapped in every column', () => {
  const e = encodeLabels(numberColumn('y', [3, 1, 3]), [numberColumn('p', [1, 1, 7])]);
  assert.deepEqual(e.labels, [1, 3, 7]);
  assert.deepEqual(codes(e.truth), [1, 0, 1]);
  assert.deepEqual(codes(e.preds[0]), [0, 0, 2]);
});

test('a single label 1 gets code 0; an extra label 0 makes the codes the labels again', () => {
  const alone = encodeLabels(numberColumn('y', [1, 1]), []);
  assert.deepEqual(alone.labels, [1]);
  assert.deepEqual(codes(alone.truth), [0, 0]);
  const withZero = encodeLabels(numberColumn('y', [1, 1]), [], { extraLabels: [0] });
  assert.deepEqual(withZero.labels, [0, 1]);
  assert.deepEqual(codes(withZero.truth), [1, 1]);
});

test('a value past the small range in a later column re-encodes the earlier ones', () => {
  const e = encodeLabels(numberColumn('y', [0, 2, 1]), [numberColumn('p', [1, 0, 5000])]);
  assert.deepEqual(e.labels, [0, 1, 2, 5000]);
  assert.deepEqual(codes(e.truth), [0, 2, 1]);
  assert.deepEqual(codes(e.preds[0]), [1, 0, 3]);
});

test('negative, fractional and small values mixed in one column', () => {
  const e = encodeLabels(numberColumn('y', [1, -2, 0.5, 1, 1023, 1024]), []);
  assert.deepEqual(e.labels, [-2, 0.5, 1, 1023, 1024]);
  assert.deepEqual(codes(e.truth), [2, 0, 1, 2, 3, 4]);
});

test('-0 is the label 0', () => {
  const e = encodeLabels(numberColumn('y', [-0, 1]), [numberColumn('p', [0, 1])]);
  assert.deepEqual(e.labels, [0, 1]);
  assert.deepEqual(codes(e.truth), [0, 1]);
});

test('a missing cell after small labels names its row, in the column where it is', () => {
  assert.throws(
    () => encodeLabels(numberColumn('y', [0, 1, 1]), [numberColumn('p', [1, 0, NaN])]),
    (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'missing-value' &&
      e.location.column === 'p' &&
      e.location.row === 3,
  );
  assert.throws(
    () => encodeLabels(numberColumn('y', [0, 7000, NaN]), []),
    (e: unknown) => e instanceof EngineError && e.location.column === 'y' && e.location.row === 3,
  );
});
