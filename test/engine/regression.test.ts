import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { regressionMetrics } from '../../engine/metrics/regression.js';
import type { Column } from '../../engine/table.js';
import { column, readCsv } from '../helpers/csv.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

function values(c: Column): Float64Array {
  assert.equal(c.kind, 'number', `${c.name} should be numeric`);
  return c.kind === 'number' ? c.values : new Float64Array();
}

for (const name of ['regression_basic', 'regression_near_zero_targets']) {
  test(`golden regression metrics: ${name}`, () => {
    const expected = readExpected(name);
    const table = readCsv(goldenPath(name));
    const truth = values(column(table, expected.label_column));
    for (const model of ['base', 'ft'] as const) {
      const pred = values(column(table, expected.prediction_columns[model]));
      const result = regressionMetrics(truth, pred);
      assert.equal(result.n, expected.n);
      assertGolden(toGoldenKeys(result), expected.models[model], `${name}.models.${model}`);
    }
  });
}

test('near-zero targets: MAPE explodes while MAE stays small', () => {
  const expected = readExpected('regression_near_zero_targets');
  const table = readCsv(goldenPath('regression_near_zero_targets'));
  const r = regressionMetrics(
    values(column(table, 'y_true')),
    values(column(table, expected.prediction_columns.base)),
  );
  assert.ok(r.mape > 1, `mape ${r.mape}`);
  assert.ok(r.mae < 1, `mae ${r.mae}`);
});

test('a hand-worked example', () => {
  const r = regressionMetrics(Float64Array.from([1, 2, 3, 4]), Float64Array.from([2, 2, 3, 1]));
  // residuals 1, 0, 0, 3 (signs: −1, 0, 0, +3)
  assert.equal(r.mse, 2.5);
  assert.equal(r.rmse, Math.sqrt(2.5));
  assert.equal(r.mae, 1);
  assert.equal(r.r2, 1 - 10 / 5);
  assert.equal(r.maxError, 3);
  assert.equal(r.medianAbsoluteError, 0.5);
  assert.equal(r.mape, (1 + 0 + 0 + 0.75) / 4);
  // Var(y − ŷ): residuals −1, 0, 0, 3 have mean 0.5 and variance 2.25; Var(y) = 1.25.
  assert.equal(r.explainedVariance, 1 - 2.25 / 1.25);
});

test('an offset prediction has explained variance 1 but R² below 1', () => {
  const r = regressionMetrics(Float64Array.from([1, 2, 3]), Float64Array.from([2, 3, 4]));
  assert.equal(r.explainedVariance, 1);
  assert.equal(r.r2, -0.5);
  assert.equal(r.medianAbsoluteError, 1);
});

test('a constant target: R² and explained variance are 1 for a perfect fit, else 0', () => {
  const y = Float64Array.from([3, 3, 3]);
  const perfect = regressionMetrics(y, Float64Array.from([3, 3, 3]));
  assert.equal(perfect.r2, 1);
  assert.equal(perfect.explainedVariance, 1);
  const off = regressionMetrics(y, Float64Array.from([3, 4, 3]));
  assert.equal(off.r2, 0);
  assert.equal(off.explainedVariance, 0);
});

test('a constant target whose float mean is not exact: R² and explained variance stay 0 or 1', () => {
  // The mean of three 0.1s is 0.10000000000000002: the deviations would not be zero.
  const y = Float64Array.from([0.1, 0.1, 0.1]);
  const spread = regressionMetrics(y, Float64Array.from([0.6, 1.6, 2.6]));
  assert.equal(spread.r2, 0);
  assert.equal(spread.explainedVariance, 0);
  const perfect = regressionMetrics(y, Float64Array.from([0.1, 0.1, 0.1]));
  assert.equal(perfect.r2, 1);
  assert.equal(perfect.explainedVariance, 1);
  // An offset explains all the (zero) variance, as sklearn's force_finite: 1, but R² is 0.
  const offset = regressionMetrics(y, Float64Array.from([0.3, 0.3, 0.3]));
  assert.equal(offset.r2, 0);
  assert.equal(offset.explainedVariance, 1);
});

test('MAPE floors |y| at machine epsilon for a zero target', () => {
  const r = regressionMetrics(Float64Array.from([0]), Float64Array.from([1]));
  assert.equal(r.mape, 1 / 2.220446049250313e-16);
});

test('missing values, different lengths and no rows are errors', () => {
  const code = (c: string) => (e: unknown) => e instanceof EngineError && e.code === c;
  assert.throws(
    () =>
      regressionMetrics(Float64Array.from([1, NaN]), Float64Array.from([1, 2]), {
        truth: 'y_true',
      }),
    (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'missing-value' &&
      e.location.row === 2 &&
      /column "y_true" has a missing value at row 2/.test(e.message),
  );
  assert.throws(
    () => regressionMetrics(Float64Array.from([1]), Float64Array.from([1, 2])),
    code('length-mismatch'),
  );
  assert.throws(
    () => regressionMetrics(new Float64Array(), new Float64Array()),
    code('bad-argument'),
  );
});

test('compensated sums do not drift over a million rows', () => {
  // Adding 0.1 a million times naively gives 100000.00000133288, so MAE 0.10000000000133288.
  const n = 1_000_000;
  const r = regressionMetrics(new Float64Array(n).fill(0.1), new Float64Array(n));
  assert.equal(r.mae, 0.1);
  assert.equal(r.mse, 0.1 * 0.1);
  assert.equal(r.mape, 1);
});
